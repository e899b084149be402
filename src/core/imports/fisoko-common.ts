/** Shared pieces of the ФИС ОКО / ГИА readers: header text normalisation, number cells, the ВПР header block, the
 * comparison rows (sample, region, municipality) and the error list. Pure. */
import type { TableRow } from '../methodology/records.ts';
import type { ComparisonKind, FisOkoError, FisOkoSource, VprHeader } from './fisoko-types.ts';

/** Lower case, ё → е, any dash → «-», any run of spaces (non-breaking, line breaks inside a cell) → one space, no
 * trailing «:» or «*». */
export function norm(text: string): string {
  let n = normed.get(text);
  if (n === undefined) {
    if (normed.size >= NORM_MEMO) normed.clear();
    normed.set(text, (n = normUncached(text)));
  }
  return n;
}

/** `norm` of the texts seen last: the row labels of a report («Понизили (Отм. < Отм. по журналу) %», «Всего») repeat
 * for every school; bounded (cleared when full). */
const NORM_MEMO = 8192;
const normed = new Map<string, string>();

function normUncached(text: string): string {
  return text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\s+/g, ' ')
    .replace(/[\s:*]+$/, '')
    .trim();
}

/** «Кол-во», «Кол. во», «Количество», «Число». */
export const COUNT = '(?:кол-? ?во|кол\\.? ?во|кол\\.|количество|число)';
export const PARTICIPANTS = new RegExp(`^${COUNT} ?участников`);
export const GROUPS = /^групп[аы] участников/;
export const TOTALS = /^(?:итого|всего)/;

export const isEmptyRow = (row: TableRow): boolean => row.cells.every((c) => c.trim() === '');
export const cell = (row: TableRow, col: number): string => (col < 0 ? '' : (row.cells[col] ?? '').trim());

/** The row's non-empty cells, a merged cell's repeated value once, joined by a space. */
export function rowText(row: TableRow): string {
  const out: string[] = [];
  for (const c of row.cells) {
    const t = c.replace(/\s+/g, ' ').trim();
    if (t && out[out.length - 1] !== t) out.push(t);
  }
  return out.join(' ');
}

/** The first column whose normalised header matches, or -1. */
export function findColumn(cells: readonly string[], test: (h: string) => boolean): number {
  return cells.findIndex((c) => test(norm(c)));
}

/** A column's header as printed, for messages. */
export const headerLabel = (cells: readonly string[], col: number, fallback: string): string => (cells[col] ?? '').replace(/\s+/g, ' ').trim() || fallback;

/** Errors of one grid, all of them (not only the first). */
export class ErrorList {
  readonly list: FisOkoError[] = [];
  constructor(private readonly source: FisOkoSource) {}
  add(line: number | null, column: string | null, message: string): void {
    this.list.push({ file: this.source.file, ...(this.source.sheet === undefined ? {} : { sheet: this.source.sheet }), line, column, message });
  }
  get size(): number {
    return this.list.length;
  }
}

const PLACEHOLDER = /^(?:-|н\/д|нет данных|x|х)$/i;

/** «12,34», «12.34», «1 234», «12,34 %» → a number; «» and «–» → null; anything else → undefined (unreadable). */
export function parseNumber(text: string): number | null | undefined {
  const t = text.replace(/[\s\u00A0\u202F\u2009]/g, '').replace(/[\u2010-\u2015\u2212]/g, '-').replace(/%$/, '');
  if (t === '' || PLACEHOLDER.test(t)) return null;
  const dot = t.replace(',', '.');
  if (!/^-?\d+(?:\.\d+)?(?:e-?\d+)?$/i.test(dot)) return undefined;
  return Number(dot);
}

/** Reads a number cell; reports an empty (when required) or unreadable cell and returns undefined then. */
export function readNumberCell(errors: ErrorList, row: TableRow, col: number, column: string, what: string, opts: { required: boolean; integer?: boolean; max?: number }): number | null | undefined {
  const text = cell(row, col);
  const v = parseNumber(text);
  if (v === undefined) {
    errors.add(row.line, column, `${what}: не число — «${text}»`);
    return undefined;
  }
  if (v === null) {
    if (!opts.required) return null;
    errors.add(row.line, column, `${what}: пустая ячейка`);
    return undefined;
  }
  if (opts.integer && (!Number.isInteger(v) || v < 0)) {
    errors.add(row.line, column, `${what}: должно быть целым неотрицательным числом, а не «${text}»`);
    return undefined;
  }
  if (v < 0 || (opts.max !== undefined && v > opts.max)) {
    errors.add(row.line, column, `${what}: ${fmt(v)} вне допустимых пределов 0–${opts.max ?? '∞'}`);
    return undefined;
  }
  return v;
}

/** A number for messages: decimal comma, at most two decimals. */
export const fmt = (v: number): string => String(Math.round(v * 100) / 100).replace('.', ',');

/** Shares that must add up to 100 % (±0,1). */
export const SUM_TOLERANCE = 0.1;
export const sumsTo100 = (xs: readonly number[]): boolean => Math.abs(xs.reduce((s, x) => s + x, 0) - 100) <= SUM_TOLERANCE + 1e-9;

/** «(sch510203) МБОУ «Средняя школа № 4»» → login and name. */
export function splitLogin(text: string): { login: string | null; name: string } {
  const m = /^\(\s*([^()\s]+)\s*\)\s*(.+)$/s.exec(text.trim());
  return m ? { login: m[1] as string, name: (m[2] as string).replace(/\s+/g, ' ').trim() } : { login: null, name: text.replace(/\s+/g, ' ').trim() };
}

export type Group = { kind: ComparisonKind; name: string } | { kind: 'school'; login: string | null; name: string };

/** Sorts the group rows of a ВПР table in file order: «Вся выборка» by its text; the rows without a login before the
 * first school with one are the region, then the municipality; every other row is a school. */
export class GroupSorter {
  private seen = new Set<ComparisonKind>();
  private schoolSeen = false;
  next(text: string): Group | { duplicate: ComparisonKind } {
    const name = text.replace(/\s+/g, ' ').trim();
    if (/^вся выборка/.test(norm(name))) {
      if (this.seen.has('sample')) return { duplicate: 'sample' };
      this.seen.add('sample');
      return { kind: 'sample', name };
    }
    const s = splitLogin(name);
    if (s.login === null && !this.schoolSeen) {
      for (const kind of ['region', 'municipality'] as const) {
        if (!this.seen.has(kind)) {
          this.seen.add(kind);
          return { kind, name };
        }
      }
    }
    this.schoolSeen = true;
    return { kind: 'school', ...s };
  }
}

export const COMPARISON_TITLES: Record<ComparisonKind, string> = { sample: 'вся выборка', region: 'регион', municipality: 'муниципалитет' };

/** A grade: «5 класс», «5 кл.», «(5 класс)», «5-й класс», «Класс: 5». */
export function findGrade(text: string): number | null {
  const t = norm(text);
  const m = /(?:^|[^\d])(\d{1,2}) ?(?:-?(?:й|ой|ый) )?кл(?:асс[а-я]*|\.|(?![а-я]))/.exec(t) ?? /класс[а-я]* ?:? ?(\d{1,2})(?!\d)/.exec(t);
  if (!m) return null;
  const g = Number(m[1]);
  return g >= 1 && g <= 11 ? g : null;
}

const labelValue = (text: string, label: RegExp): string | null => {
  const m = label.exec(text);
  if (!m) return null;
  const v = text.slice(m.index + m[0].length).replace(/^\s*:?\s*/, '').trim();
  return v || null;
};

/** The header block above a ВПР table: year and grade from «Всероссийские проверочные работы 2025 (5 класс)» (or any
 * line with the grade), «Дата: …», «Предмет: …», «Максимальный первичный балл: …». Reports a missing subject or
 * grade; returns null then. */
export function readVprHeader(block: readonly TableRow[], errors: ErrorList, headerLine: number): VprHeader | null {
  let year: number | null = null;
  let grade: number | null = null;
  let subject: string | null = null;
  let date: string | null = null;
  let maxScore: number | null = null;
  for (const row of block) {
    const text = rowText(row);
    if (!text) continue;
    const n = norm(text);
    if (/проверочн|^впр/.test(n)) year ??= yearIn(text);
    grade ??= /предмет|дата/.test(n) ? null : findGrade(text);
    if (/^предмет/.test(n)) subject ??= labelValue(text, /^\s*предмет/i);
    if (/^дата/.test(n)) date ??= labelValue(text, /^\s*дата/i);
    if (/^максимальн\S* (?:первичн\S* )?балл/.test(n)) {
      const v = parseNumber(labelValue(text, /^\s*максимальн\S*\s+(?:первичн\S*\s+)?балл/i) ?? '');
      if (v === undefined || v === null || !Number.isInteger(v) || v <= 0) errors.add(row.line, null, `максимальный первичный балл не прочитан: «${text}»`);
      else maxScore = v;
    }
  }
  year ??= date ? yearIn(date) : null;
  const at = block.find((r) => !isEmptyRow(r))?.line ?? headerLine;
  const where = at < headerLine ? `в блоке заголовка над таблицей (строки ${at}–${headerLine - 1})` : 'над таблицей нет блока заголовка:';
  if (subject === null) errors.add(at, null, `${where} нет предмета: ожидалась строка «Предмет: …»`);
  if (grade === null) errors.add(at, null, `${where} нет класса: ожидалась строка «Всероссийские проверочные работы 2025 (5 класс)» или «5 кл.»`);
  return subject === null || grade === null ? null : { year, grade, subject, date, maxScore };
}

/** The last 20xx in the text («2024/2025» → 2025), or null. */
export function yearIn(text: string): number | null {
  const all = [...text.matchAll(/(?:^|[^\d])(20\d{2})(?!\d)/g)];
  return all.length ? Number((all[all.length - 1] as RegExpMatchArray)[1]) : null;
}
