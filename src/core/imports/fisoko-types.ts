/** What the ФИС ОКО / ГИА readers (fisoko.ts) return: one report per file or sheet, in one of three layouts (issue 22,
 * «ФИС ОКО adapters»). Percentages are numbers 0–100 as printed (two decimals in the reports), counts are integers.
 * Subjects are returned as printed (trimmed): aliases («Матем.» → «Математика») are the caller's business. */
import type { TableRow } from '../methodology/records.ts';

/** The grid of one CSV file or XLSX sheet: every row with its line number (1-based), cells as text. */
export type FisOkoGrid = readonly TableRow[];

/** Where the grid came from, for the error messages. */
export interface FisOkoSource {
  file: string;
  sheet?: string;
}

/** A problem named by file (and sheet), line and column (the column's header as printed; null when the problem is not
 * in one column). `line` is null only when the whole sheet is concerned (e.g. it is empty). The message is Russian and
 * names neither file nor line: `fisOkoErrorText` joins them. */
export interface FisOkoError {
  file: string;
  sheet?: string;
  line: number | null;
  column: string | null;
  message: string;
}

export type FisOkoResult<T> = { ok: true; value: T } | { ok: false; errors: FisOkoError[] };

/** Marks 2–5 → percentage of participants. */
export interface MarkShares {
  2: number;
  3: number;
  4: number;
  5: number;
}

/** The comparison rows of a ВПР report: «Вся выборка», the region and the municipality. Never organisations. */
export type ComparisonKind = 'sample' | 'region' | 'municipality';
export type Comparison<T> = Partial<Record<ComparisonKind, T>>;

/** A row of a report skipped on purpose: the totals row, a school with no participants (it did not write the work). */
export interface SkippedLine {
  line: number;
  reason: string;
}

/** Header block of a ВПР report (above the table). */
export interface VprHeader {
  /** From «Всероссийские проверочные работы 2025 (…)»; else the year of «Дата: …»; else null. */
  year: number | null;
  grade: number;
  /** «Предмет: …» as printed, trimmed. */
  subject: string;
  /** «Дата: …» as printed, trimmed (e.g. «17.04.2025» or «апрель 2025»); null when absent. */
  date: string | null;
  /** «Максимальный первичный балл: 20»; null when absent. */
  maxScore: number | null;
}

export interface MarksComparisonRow {
  name: string;
  /** «Кол-во ОО»; null when the cell is empty. */
  schools: number | null;
  participants: number;
  shares: MarkShares;
}

export interface MarksSchoolRow {
  line: number;
  /** ФИС ОКО login from «(sch510203) МБОУ …»; null when the name has no login in brackets. */
  login: string | null;
  /** The name after the login, trimmed. */
  name: string;
  participants: number;
  shares: MarkShares;
}

/** «Статистика по отметкам» (ВПР), one subject × grade. */
export interface VprMarksReport extends VprHeader {
  kind: 'vpr_marks';
  file: string;
  sheet?: string;
  comparison: Comparison<MarksComparisonRow>;
  schools: MarksSchoolRow[];
  skipped: SkippedLine[];
}

/** Percentages of participants whose ВПР mark was lower than, equal to, higher than the journal's mark. */
export interface JournalShares {
  participants: number;
  lowered: number;
  confirmed: number;
  raised: number;
}

export interface JournalComparisonRow extends JournalShares {
  name: string;
}

export interface JournalSchoolRow extends JournalShares {
  /** Line of the group's title row. */
  line: number;
  login: string | null;
  name: string;
}

/** «Сравнение отметок с отметками по журналу» (ВПР), one subject × grade. */
export interface VprJournalReport extends VprHeader {
  kind: 'vpr_journal';
  file: string;
  sheet?: string;
  comparison: Comparison<JournalComparisonRow>;
  schools: JournalSchoolRow[];
  skipped: SkippedLine[];
}

export type GiaExam = 'ГИА-9' | 'ГИА-11';

export interface GiaRow {
  line: number;
  /** The organisation as printed (without a leading «(login)», which goes to `login`). */
  organisation: string;
  login: string | null;
  inn: string | null;
  /** As printed, trimmed. */
  subject: string;
  participants: number;
  /** null when there is no such column or the cell is empty / «–». */
  meanScore: number | null;
  /** «Не преодолели минимальный порог», a count; null when there is no such column or the cell is empty. */
  failed: number | null;
}

/** ГИА-9 / ГИА-11 results per organisation × subject. */
export interface GiaReport {
  kind: 'gia';
  file: string;
  sheet?: string;
  /** From a column («Экзамен», «Форма ГИА»…) or the header block (ОГЭ/ГВЭ-9/ГИА-9 → ГИА-9, ЕГЭ/ГВЭ-11/ГИА-11 → ГИА-11). */
  exam: GiaExam | null;
  /** A «Год» column, else the first 20xx in the header block; null when neither. */
  year: number | null;
  rows: GiaRow[];
  skipped: SkippedLine[];
}

export type FisOkoReport = VprMarksReport | VprJournalReport | GiaReport;
