/** «Сравнение отметок с отметками по журналу» (ВПР): the header block, the table header «Группы участников»,
 * «Кол-во участников», «%», then for each group (sample, region, municipality, each school) a title row followed by
 * «Понизили (Отм. < Отм. по журналу) %», «Подтвердили (Отм. = Отм. по журналу) %», «Повысили (Отм. > Отм. по
 * журналу) %» and «Всего». Pure. */
import type { TableRow } from '../methodology/records.ts';
import type { ErrorList} from './fisoko-common.ts';
import { findColumn, fmt, GROUPS, GroupSorter, headerLabel, isEmptyRow, norm, PARTICIPANTS, readNumberCell, readVprHeader, sumsTo100, type Group } from './fisoko-common.ts';
import type { FisOkoSource, VprJournalReport } from './fisoko-types.ts';

const PERCENT = /^(?:%|доля(?:, ?%| участников)?|процент\S*|доля в %|в %)$/;
const CATEGORIES = [
  ['lowered', /^понизили/, '«Понизили»'],
  ['confirmed', /^подтвердили/, '«Подтвердили»'],
  ['raised', /^повысили/, '«Повысили»'],
  ['total', /^всего/, '«Всего»'],
] as const;
type Category = (typeof CATEGORIES)[number][0];

export const JOURNAL_EXPECTED = '«Группы участников», «Кол-во участников», «%» и под каждой группой строки «Понизили…», «Подтвердили…», «Повысили…», «Всего»';

export interface JournalHeader {
  at: number;
  group: number;
  participants: number;
  percent: number;
  labels: string[];
}

/** Whether the row at `i` is a journal table header; which of its columns are missing otherwise. */
export function locateJournal(grid: readonly TableRow[], i: number): { header: JournalHeader } | { missing: string[] } | null {
  const row = grid[i] as TableRow;
  const group = findColumn(row.cells, (h) => GROUPS.test(h));
  if (group < 0) return null;
  const participants = findColumn(row.cells, (h) => PARTICIPANTS.test(h));
  const percent = findColumn(row.cells, (h) => PERCENT.test(h));
  if (participants < 0 || percent < 0) return { missing: [...(participants < 0 ? ['«Кол-во участников»'] : []), ...(percent < 0 ? ['«%»'] : [])] };
  return { header: { at: i, group, participants, percent, labels: row.cells.map((_, k) => headerLabel(row.cells, k, '')) } };
}

interface Open {
  group: Group;
  line: number;
  rows: Partial<Record<Category, { line: number; count: number | null; percent: number | null }>>;
  bad: boolean;
}

export function readJournal(grid: readonly TableRow[], h: JournalHeader, source: FisOkoSource, errors: ErrorList): VprJournalReport | null {
  const headerRow = grid[h.at] as TableRow;
  const vpr = readVprHeader(grid.slice(0, h.at), errors, headerRow.line);
  const groupLabel = h.labels[h.group] || 'Группы участников';
  const partLabel = h.labels[h.participants] || 'Кол-во участников';
  const pctLabel = h.labels[h.percent] || '%';
  const report: Omit<VprJournalReport, 'year' | 'grade' | 'subject' | 'date' | 'maxScore'> = { kind: 'vpr_journal', file: source.file, ...(source.sheet === undefined ? {} : { sheet: source.sheet }), comparison: {}, schools: [], skipped: [] };
  const sorter = new GroupSorter();
  // The label of a row: its first non-empty cell left of the numbers (the group column, or a column next to it).
  const labelEnd = Math.min(h.participants, h.percent);
  let open: Open | null = null;

  const close = (g: Open) => {
    const name = g.group.name;
    const missing = CATEGORIES.filter(([k]) => !g.rows[k]).map(([, , title]) => title);
    if (missing.length) {
      errors.add(g.line, groupLabel, `у группы «${name}» нет ${missing.length === 1 ? 'строки' : 'строк'} ${missing.join(', ')}`);
      return;
    }
    if (g.bad) return;
    const total = g.rows.total as { line: number; count: number | null };
    const parts = (['lowered', 'confirmed', 'raised'] as const).map((k) => g.rows[k] as { line: number; count: number | null; percent: number | null });
    if (total.count === 0) {
      report.skipped.push({ line: g.line, reason: `«${name}»: нет участников` });
      return;
    }
    const empty = parts.flatMap((p, i) => {
      const title = (CATEGORIES[i] as (typeof CATEGORIES)[number])[2];
      return [...(p.count === null ? [[p.line, partLabel, `${title}: число участников`] as const] : []), ...(p.percent === null ? [[p.line, pctLabel, `${title}: доля, %`] as const] : [])];
    });
    for (const [line, column, what] of empty) errors.add(line, column, `${what}: пустая ячейка`);
    if (empty.length) return;
    const percents = parts.map((p) => p.percent as number);
    if (!sumsTo100(percents)) {
      errors.add(total.line, pctLabel, `у группы «${name}» понизили + подтвердили + повысили = ${fmt(percents.reduce((s, x) => s + x, 0))} %, а должно быть 100 % (±0,1)`);
      return;
    }
    const participants = total.count as number;
    const over = parts.find((p) => (p.count as number) > participants);
    if (over) {
      errors.add(over.line, partLabel, `у группы «${name}» в строке больше участников (${over.count}), чем всего (${participants})`);
      return;
    }
    const sum = parts.reduce((s, p) => s + (p.count as number), 0);
    if (sum !== participants) {
      errors.add(total.line, partLabel, `у группы «${name}» понизили + подтвердили + повысили = ${sum} чел., а всего ${participants}`);
      return;
    }
    const value = { participants, lowered: percents[0] as number, confirmed: percents[1] as number, raised: percents[2] as number };
    if (g.group.kind === 'school') report.schools.push({ line: g.line, login: g.group.login, name, ...value });
    else report.comparison[g.group.kind] = { name, ...value };
  };

  for (const row of grid.slice(h.at + 1)) {
    if (isEmptyRow(row)) continue;
    let text = '';
    for (let k = 0, end = Math.min(row.cells.length, Math.max(labelEnd, h.group + 1)); k < end && text === ''; k++) text = (row.cells[k] as string).trim();
    const n = norm(text);
    if (GROUPS.test(n)) continue; // the header's second row repeating a vertically merged cell
    if (!text) {
      errors.add(row.line, groupLabel, 'нет названия группы или строки («Понизили», «Подтвердили», «Повысили», «Всего»)');
      continue;
    }
    const category = CATEGORIES.find(([, re]) => re.test(n));
    if (!category) {
      if (open) close(open);
      const group = sorter.next(text);
      if ('duplicate' in group) {
        errors.add(row.line, groupLabel, 'вторая группа «Вся выборка»');
        open = null;
      } else open = { group, line: row.line, rows: {}, bad: false };
      continue;
    }
    const [key, , title] = category;
    if (!open) {
      errors.add(row.line, groupLabel, `строка ${title} не под названием группы участников`);
      continue;
    }
    if (open.rows[key]) {
      errors.add(row.line, groupLabel, `у группы «${open.group.name}» вторая строка ${title}`);
      open.bad = true;
      continue;
    }
    const before = errors.size;
    // Empty cells are allowed only in a group with no participants: `close` checks them once «Всего» is known.
    const count = readNumberCell(errors, row, h.participants, partLabel, `${title}: число участников`, { required: key === 'total', integer: true });
    const percent = key === 'total' ? null : readNumberCell(errors, row, h.percent, pctLabel, `${title}: доля, %`, { required: false, max: 100 });
    open.rows[key] = { line: row.line, count: count ?? null, percent: percent ?? null };
    if (errors.size > before) open.bad = true;
  }
  if (open) close(open);
  return vpr ? { ...report, ...vpr } : null;
}
