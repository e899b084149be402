/** Readers of the ФИС ОКО and ГИА reports (issue 22, «ФИС ОКО adapters»): a grid of text cells (one CSV file or one
 * XLSX sheet) → one of three structured reports, or every problem found, named by file, line and column in Russian.
 *
 * - «Статистика по отметкам» (ВПР) → `VprMarksReport`;
 * - «Сравнение отметок с отметками по журналу» (ВПР) → `VprJournalReport`;
 * - ГИА-9 / ГИА-11 results per organisation × subject → `GiaReport`.
 *
 * The layout is recognised by the table header, found by meaning (case, «ё», spaces and line breaks inside cells do not
 * matter; a merged header cell may come as its value followed by empty cells or by the value repeated). Nothing is
 * matched to the registry here: a school is its ФИС ОКО login (when printed) and its name as printed. Pure. */
import type { TableRow } from '../methodology/records.ts';
import { ErrorList, isEmptyRow, norm, rowText } from './fisoko-common.ts';
import { GIA_EXPECTED, locateGia, readGia } from './fisoko-gia.ts';
import { JOURNAL_EXPECTED, locateJournal, readJournal } from './fisoko-journal.ts';
import { locateMarks, MARKS_EXPECTED, readMarks } from './fisoko-marks.ts';
import type { FisOkoError, FisOkoGrid, FisOkoReport, FisOkoResult, FisOkoSource } from './fisoko-types.ts';

export type * from './fisoko-types.ts';
export { examOf } from './fisoko-gia.ts';
export { findGrade, parseNumber, splitLogin } from './fisoko-common.ts';

/** How far down the table header is looked for. */
export const HEADER_SEARCH_ROWS = 60;

type Layout = 'vpr_marks' | 'vpr_journal' | 'gia';
const NAMES: Record<Layout, string> = { vpr_marks: '«Статистика по отметкам» (ВПР)', vpr_journal: '«Сравнение отметок с отметками по журналу» (ВПР)', gia: 'результаты ГИА-9 / ГИА-11 по организациям и предметам' };
const EXPECTED: Record<Layout, string> = { vpr_marks: MARKS_EXPECTED, vpr_journal: JOURNAL_EXPECTED, gia: GIA_EXPECTED };

/** The layout a title line names, if any. */
function titled(text: string): Layout | null {
  const t = norm(text);
  if (/статистика по отметкам/.test(t)) return 'vpr_marks';
  if (/сравнение отметок/.test(t)) return 'vpr_journal';
  if (/(?:^|[^а-я])(?:гиа|огэ|егэ|гвэ)(?![а-я])/.test(t)) return 'gia';
  return null;
}

/** Recognises the layout of the grid and reads it. All errors are collected, not only the first. */
export function readFisOko(grid: FisOkoGrid, source: FisOkoSource): FisOkoResult<FisOkoReport> {
  const errors = new ErrorList(source);
  const rows: readonly TableRow[] = grid;
  if (rows.every(isEmptyRow)) {
    errors.add(null, null, 'лист пуст: нет ни одной заполненной строки');
    return { ok: false, errors: errors.list };
  }
  let hint: { layout: Layout; line: number } | null = null;
  const partial: Partial<Record<Layout, { line: number; missing: string[] }>> = {};
  const limit = Math.min(rows.length, HEADER_SEARCH_ROWS);
  let report: FisOkoReport | null = null;
  for (let i = 0; i < limit && !report; i++) {
    const row = rows[i] as TableRow;
    if (isEmptyRow(row)) continue;
    const layout = titled(rowText(row));
    if (layout && !hint) hint = { layout, line: row.line };
    const marks = locateMarks(rows, i);
    if (marks && 'header' in marks) {
      report = readMarks(rows, marks.header, source, errors);
      break;
    }
    const journal = locateJournal(rows, i);
    if (journal && 'header' in journal && !(marks && 'missing' in marks)) {
      report = readJournal(rows, journal.header, source, errors);
      break;
    }
    const gia = locateGia(rows, i);
    if (gia && 'header' in gia) {
      report = readGia(rows, gia.header, source, errors);
      break;
    }
    if (marks) partial.vpr_marks ??= { line: row.line, missing: marks.missing };
    if (journal && 'missing' in journal) partial.vpr_journal ??= { line: row.line, missing: journal.missing };
    if (gia) partial.gia ??= { line: row.line, missing: gia.missing };
  }
  if (report && errors.size === 0) return { ok: true, value: report };
  if (!report && errors.size === 0) unrecognised(errors, rows, hint, partial);
  return { ok: false, errors: errors.list };
}

function unrecognised(errors: ErrorList, rows: readonly TableRow[], hint: { layout: Layout; line: number } | null, partial: Partial<Record<Layout, { line: number; missing: string[] }>>): void {
  const layout = hint?.layout ?? (Object.keys(partial)[0] as Layout | undefined);
  const near = layout ? partial[layout] : undefined;
  if (layout && near) {
    errors.add(near.line, null, `не найдена строка заголовка таблицы ${NAMES[layout]}: нет ${near.missing.length === 1 ? 'столбца' : 'столбцов'} ${near.missing.join(', ')}; ожидались ${EXPECTED[layout]}`);
    return;
  }
  if (layout && hint) {
    errors.add(hint.line, null, `не найдена строка заголовка таблицы ${NAMES[layout]} в первых ${HEADER_SEARCH_ROWS} строках; ожидались ${EXPECTED[layout]}`);
    return;
  }
  const first = rows.find((r) => !isEmptyRow(r)) as TableRow;
  const all = (Object.keys(NAMES) as Layout[]).map((l) => `${NAMES[l]} — ${EXPECTED[l]}`).join('; ');
  errors.add(first.line, null, `таблица не распознана: в первых ${HEADER_SEARCH_ROWS} строках нет заголовка ни одной из известных таблиц ФИС ОКО / ГИА. Ожидались: ${all}`);
}

/** «Файл «…», лист «…», строка 5, столбец «…»: message». */
export function fisOkoErrorText(e: FisOkoError): string {
  const where = [`файл «${e.file}»`, ...(e.sheet === undefined ? [] : [`лист «${e.sheet}»`]), ...(e.line === null ? [] : [`строка ${e.line}`]), ...(e.column === null ? [] : [`столбец «${e.column}»`])].join(', ');
  return `${where.charAt(0).toUpperCase()}${where.slice(1)}: ${e.message}`;
}
