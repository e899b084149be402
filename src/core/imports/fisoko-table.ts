/** A ФИС ОКО / ГИА report (fisoko.ts) → the table a dimensional methodology reads: one row per school × subject × grade
 * with the comparison rows (region, municipality) of the same subject × grade as columns, so a formula can say
 * `vpr_share_5 - region_vpr_share_5`. The column names are the contract with the methodology's datasets
 * (library/directions/preparation-2021.2.yaml: vpr_marks, vpr_journal, gia_results). Lines are the report's own, so an error
 * in a cell names the line of the file. Pure. */
import type { NamedTable } from '../methodology/named-table.ts';
import type { TableRow } from '../methodology/records.ts';
import type { FisOkoReport, GiaReport, VprJournalReport, VprMarksReport } from './fisoko-types.ts';

export const FISOKO_COLUMNS = {
  organisation: 'Организация',
  login: 'Логин ФИС ОКО',
  subject: 'Предмет',
  grade: 'Класс',
  year: 'Год',
  participants: 'ВПР: участников',
  journalParticipants: 'Журнал: участников',
  giaExam: 'Экзамен',
  giaParticipants: 'ГИА: участников',
  giaMean: 'Средний балл',
  giaFailed: 'Не преодолели порог',
} as const;

const MARKS = [2, 3, 4, 5] as const;
const num = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v).replace('.', ','));
const where = (r: { file: string; sheet?: string }) => (r.sheet ? `${r.file}, лист «${r.sheet}»` : r.file);

function marksTable(r: VprMarksReport): NamedTable {
  const header = [
    FISOKO_COLUMNS.organisation, FISOKO_COLUMNS.login, FISOKO_COLUMNS.subject, FISOKO_COLUMNS.grade, FISOKO_COLUMNS.year, FISOKO_COLUMNS.participants,
    ...MARKS.map((k) => `ВПР: «${k}», %`),
    ...MARKS.map((k) => `Регион: «${k}», %`),
    ...MARKS.map((k) => `Муниципалитет: «${k}», %`),
  ];
  const region = r.comparison.region;
  const municipality = r.comparison.municipality;
  // The same on every row: written once.
  const grade = String(r.grade);
  const year = num(r.year);
  const compared = [...MARKS.map((k) => num(region?.shares[k])), ...MARKS.map((k) => num(municipality?.shares[k]))];
  const rows: TableRow[] = r.schools.map((s) => ({
    line: s.line,
    cells: [s.name, s.login ?? '', r.subject, grade, year, String(s.participants), num(s.shares[2]), num(s.shares[3]), num(s.shares[4]), num(s.shares[5]), ...compared],
  }));
  return { file: where(r), header, rows };
}

function journalTable(r: VprJournalReport): NamedTable {
  const groups = ['Понизили', 'Подтвердили', 'Повысили'] as const;
  const pick = (x: { lowered: number; confirmed: number; raised: number } | undefined, i: number) => num(x ? [x.lowered, x.confirmed, x.raised][i] : null);
  const header = [
    FISOKO_COLUMNS.organisation, FISOKO_COLUMNS.login, FISOKO_COLUMNS.subject, FISOKO_COLUMNS.grade, FISOKO_COLUMNS.year, FISOKO_COLUMNS.journalParticipants,
    ...groups.map((g) => `${g}, %`),
    ...groups.map((g) => `Регион: ${g.toLowerCase()}, %`),
    ...groups.map((g) => `Муниципалитет: ${g.toLowerCase()}, %`),
  ];
  const grade = String(r.grade);
  const year = num(r.year);
  const compared = [...groups.map((_, i) => pick(r.comparison.region, i)), ...groups.map((_, i) => pick(r.comparison.municipality, i))];
  const rows: TableRow[] = r.schools.map((s) => ({
    line: s.line,
    cells: [s.name, s.login ?? '', r.subject, grade, year, String(s.participants), num(s.lowered), num(s.confirmed), num(s.raised), ...compared],
  }));
  return { file: where(r), header, rows };
}

function giaTable(r: GiaReport): { ok: true; table: NamedTable } | { ok: false; error: { file: string; line: number | null; column: string | null; message: string } } {
  if (r.exam === null)
    return { ok: false, error: { file: where(r), line: null, column: null, message: 'не указан экзамен: ГИА-9 (ОГЭ, ГВЭ-9) или ГИА-11 (ЕГЭ, ГВЭ-11) — добавьте столбец «Экзамен» или строку с названием экзамена над таблицей' } };
  const grade = r.exam === 'ГИА-9' ? '9' : '11';
  const header = [FISOKO_COLUMNS.organisation, FISOKO_COLUMNS.login, 'ИНН', FISOKO_COLUMNS.subject, FISOKO_COLUMNS.grade, FISOKO_COLUMNS.giaExam, FISOKO_COLUMNS.year, FISOKO_COLUMNS.giaParticipants, FISOKO_COLUMNS.giaMean, FISOKO_COLUMNS.giaFailed];
  const rows: TableRow[] = r.rows.map((x) => ({
    line: x.line,
    cells: [x.organisation, x.login ?? '', x.inn ?? '', x.subject, grade, r.exam as string, num(r.year), String(x.participants), num(x.meanScore), num(x.failed)],
  }));
  return { ok: true, table: { file: where(r), header, rows } };
}

/** The table of a report, or an error naming the file when the report cannot be placed (a ГИА table without its exam). */
export function fisOkoTable(r: FisOkoReport): { ok: true; table: NamedTable } | { ok: false; error: { file: string; line: number | null; column: string | null; message: string } } {
  switch (r.kind) {
    case 'vpr_marks': return { ok: true, table: marksTable(r) };
    case 'vpr_journal': return { ok: true, table: journalTable(r) };
    case 'gia': return giaTable(r);
  }
}
