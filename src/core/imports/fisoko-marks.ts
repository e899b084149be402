/** «Статистика по отметкам» (ВПР): the header block, the two-row table header («Группы участников», «Кол-во ОО»,
 * «Кол-во участников», «Распределение групп баллов в %» over «2»…«5»), the comparison rows and one row per school.
 * Pure. */
import type { TableRow } from '../methodology/records.ts';
import type { ErrorList} from './fisoko-common.ts';
import { cell, COUNT, findColumn, fmt, GROUPS, GroupSorter, headerLabel, isEmptyRow, norm, PARTICIPANTS, readNumberCell, readVprHeader, sumsTo100, TOTALS } from './fisoko-common.ts';
import type { FisOkoSource, MarkShares, VprMarksReport } from './fisoko-types.ts';

export const MARKS = [2, 3, 4, 5] as const;
const MARK = /^(?:отметка ?)?[«"„]?([2-5])[»"“]?$/;
const SCHOOLS = new RegExp(`^${COUNT} ?(?:оо|образовательных организаций|организаций)$`);
const DISTRIBUTION = /^распределение/;

export const MARKS_EXPECTED = '«Группы участников», «Кол-во ОО», «Кол-во участников», «Распределение групп баллов в %» с подзаголовками «2», «3», «4», «5»';

export interface MarksHeader {
  /** Index (in the grid) of the first header row and of the first data row. */
  at: number;
  dataFrom: number;
  group: number;
  schools: number;
  participants: number;
  marks: Record<(typeof MARKS)[number], number>;
  labels: string[];
}

/** The mark columns «2»…«5» in one row, or null unless all four are there. */
function markColumns(cells: readonly string[]): MarksHeader['marks'] | null {
  const found: Partial<Record<number, number>> = {};
  cells.forEach((c, i) => {
    const m = MARK.exec(norm(c));
    if (m && found[Number(m[1])] === undefined) found[Number(m[1])] = i;
  });
  return MARKS.every((k) => found[k] !== undefined) ? (found as MarksHeader['marks']) : null;
}

/** Whether the row at `i` starts a marks table header; which of its columns are missing otherwise. */
export function locateMarks(grid: readonly TableRow[], i: number): { header: MarksHeader } | { missing: string[] } | null {
  const row = grid[i] as TableRow;
  const group = findColumn(row.cells, (h) => GROUPS.test(h));
  if (group < 0) return null;
  const participants = findColumn(row.cells, (h) => PARTICIPANTS.test(h));
  const distribution = findColumn(row.cells, (h) => DISTRIBUTION.test(h));
  const next = grid[i + 1];
  const below = next ? markColumns(next.cells) : null;
  const same = markColumns(row.cells);
  const marks = below ?? same;
  if (participants < 0 || !marks) {
    if (distribution < 0 && !marks) return null;
    return { missing: [...(participants < 0 ? ['«Кол-во участников»'] : []), ...(marks ? [] : ['«2», «3», «4», «5» под «Распределение групп баллов в %»'])] };
  }
  const labels = row.cells.map((c, k) => headerLabel(row.cells, k, ''));
  const top = headerLabel(row.cells, distribution, 'Распределение групп баллов в %');
  for (const k of MARKS) labels[marks[k]] = `${top} «${k}»`;
  return { header: { at: i, dataFrom: below ? i + 2 : i + 1, group, schools: findColumn(row.cells, (h) => SCHOOLS.test(h)), participants, marks, labels } };
}

export function readMarks(grid: readonly TableRow[], h: MarksHeader, source: FisOkoSource, errors: ErrorList): VprMarksReport | null {
  const headerRow = grid[h.at] as TableRow;
  const vpr = readVprHeader(grid.slice(0, h.at), errors, headerRow.line);
  const label = (col: number, fallback: string) => h.labels[col] || fallback;
  const groupLabel = label(h.group, 'Группы участников');
  const partLabel = label(h.participants, 'Кол-во участников');
  const report: Omit<VprMarksReport, keyof NonNullable<typeof vpr>> = { kind: 'vpr_marks', file: source.file, ...(source.sheet === undefined ? {} : { sheet: source.sheet }), comparison: {}, schools: [], skipped: [] };
  const sorter = new GroupSorter();
  for (const row of grid.slice(h.dataFrom)) {
    if (isEmptyRow(row)) continue;
    const text = cell(row, h.group);
    if (GROUPS.test(norm(text))) continue; // the header's second row repeating a vertically merged cell
    if (!text) {
      errors.add(row.line, groupLabel, 'не указана группа участников (школа, муниципалитет, регион или «Вся выборка»)');
      continue;
    }
    if (TOTALS.test(norm(text))) {
      report.skipped.push({ line: row.line, reason: 'итоговая строка' });
      continue;
    }
    const group = sorter.next(text);
    if ('duplicate' in group) {
      errors.add(row.line, groupLabel, 'вторая строка «Вся выборка»');
      continue;
    }
    const before = errors.size;
    const participants = readNumberCell(errors, row, h.participants, partLabel, 'число участников', { required: true, integer: true });
    const markTexts = MARKS.map((k) => cell(row, h.marks[k]));
    if (participants === 0 && markTexts.every((t) => t === '' || /^[-–—]$/.test(t) || t === '0')) {
      report.skipped.push({ line: row.line, reason: `«${text}»: нет участников` });
      continue;
    }
    const shares = MARKS.map((k) => readNumberCell(errors, row, h.marks[k], label(h.marks[k], `«${k}»`), `доля отметки «${k}», %`, { required: true, max: 100 }));
    const schools = h.schools < 0 ? null : readNumberCell(errors, row, h.schools, label(h.schools, 'Кол-во ОО'), 'число ОО', { required: false, integer: true });
    if (errors.size > before || participants == null) continue;
    const [s2, s3, s4, s5] = shares as number[];
    if (!sumsTo100(shares as number[])) {
      errors.add(row.line, label(h.marks[2], 'Распределение групп баллов в %'), `сумма долей отметок «2»–«5» равна ${fmt((s2 as number) + (s3 as number) + (s4 as number) + (s5 as number))} %, а должна быть 100 % (±0,1)`);
      continue;
    }
    const value: MarkShares = { 2: s2 as number, 3: s3 as number, 4: s4 as number, 5: s5 as number };
    if (group.kind === 'school') report.schools.push({ line: row.line, login: group.login, name: group.name, participants, shares: value });
    else report.comparison[group.kind] = { name: group.name, schools: schools ?? null, participants, shares: value };
  }
  return vpr ? { ...report, ...vpr } : null;
}
