/** Record datasets (`record_datasets`, `unit: record`): a table with one row per record (a programme, a pupil, a
 * work), read tolerantly (a header block above the table, a two-row header with merged cells, a totals row), typed
 * by the dataset's fields, filtered, and aggregated per organisation into methodology inputs with a Russian
 * explanation of what was counted and what was left out. Pure. */
import { formatNumber, plural, roundHalfUp } from '../format.ts';
import type { CellError, TableRow } from './records.ts';
import type { RecordAggregationDef, RecordConditionDef, RecordDatasetDef, RecordFieldDef } from './schema.ts';

export type RecordValue = string | number | null;
export interface RecordOrg { inn: string | null; number: string | null; name: string | null }
export interface RecordRow {
  line: number;
  org: RecordOrg;
  fields: Record<string, RecordValue>;
  /** Null when the record is counted; otherwise the filter that left it out and the value it had. */
  excludedBy: { field: string; value: string } | null;
}
export interface RecordCellError extends CellError {
  /** The record field of the cell, its text and the allowed values (enum): what a campaign needs to offer an alias. */
  field?: string;
  value?: string;
  allowed?: string[];
}
export interface LocatedTable {
  headerLine: number;
  /** Column names as read (a two-row header is joined: «Возраст» over «с» → «Возраст с»). */
  header: string[];
  rows: TableRow[];
  /** Rows left out by the reader: the totals row. */
  skipped: { line: number; reason: string }[];
}

const HEADER_SEARCH_ROWS = 30;
const DEFAULT_TOTAL_MARKERS = ['итого', 'всего'];

/** Header text compared without case, «ё», line breaks, repeated spaces, a trailing «*» or «:». */
export function normaliseHeader(text: string): string {
  return text.toLowerCase().replace(/ё/g, 'е').replace(/[\s\u00A0\u202F]+/g, ' ').replace(/[*:]+$/, '').trim();
}

export function fieldRequired(f: RecordFieldDef): boolean {
  return f.required !== false;
}

/** The columns a file must have: every required field, and at least one of the organisation columns. */
export function recordColumns(ds: RecordDatasetDef): { required: string[]; organisation: string[] } {
  return {
    required: Object.values(ds.fields).filter(fieldRequired).map((f) => f.column),
    organisation: [ds.organisation.inn, ds.organisation.number, ds.organisation.name].filter((x): x is string => x !== undefined),
  };
}

function headerFits(ds: RecordDatasetDef, header: readonly string[]): { fits: boolean; matched: number; missing: string[] } {
  const have = new Set(header.map(normaliseHeader));
  const { required, organisation } = recordColumns(ds);
  const missing = required.filter((c) => !have.has(normaliseHeader(c)));
  const orgHave = organisation.filter((c) => have.has(normaliseHeader(c)));
  if (orgHave.length === 0) missing.push(organisation.join(' / '));
  const all = [...Object.values(ds.fields).map((f) => f.column), ...organisation];
  return { fits: missing.length === 0, matched: all.filter((c) => have.has(normaliseHeader(c))).length, missing };
}

/** Two header rows joined: the upper row carried over its merged (empty) cells, «upper lower» where both differ. */
export function joinHeaderRows(upper: readonly string[], lower: readonly string[]): string[] {
  const n = Math.max(upper.length, lower.length);
  const out: string[] = [];
  let carried = '';
  for (let i = 0; i < n; i++) {
    const u0 = (upper[i] ?? '').trim();
    const l = (lower[i] ?? '').trim();
    if (u0) carried = u0;
    const u = u0 || (l ? carried : '');
    out.push(u && l && normaliseHeader(u) !== normaliseHeader(l) ? `${u} ${l}` : u || l);
  }
  return out;
}

function isTotalsRow(cells: readonly string[], markers: readonly string[]): boolean {
  const first = cells.map((c) => c.trim()).filter((c) => c !== '').slice(0, 3);
  return first.some((c) => markers.some((m) => normaliseHeader(c).startsWith(m)));
}

/** Finds the header of a record table among the first rows (one row, or two joined), and the data rows below it
 * without empty rows and the totals row. `rows` are all rows of the file, the first one included. */
export function locateRecordTable(ds: RecordDatasetDef, rows: readonly TableRow[]): { ok: true; table: LocatedTable } | { ok: false; error: RecordCellError; matched: number } {
  let best: { missing: string[]; matched: number; line: number } | null = null;
  const limit = Math.min(rows.length, HEADER_SEARCH_ROWS);
  for (let i = 0; i < limit; i++) {
    const row = rows[i] as TableRow;
    if (row.cells.every((c) => c.trim() === '')) continue;
    const candidates: { header: string[]; used: number }[] = [{ header: row.cells.map((c) => c.trim()), used: 1 }];
    const next = rows[i + 1];
    if (next) candidates.push({ header: joinHeaderRows(row.cells, next.cells), used: 2 });
    // A two-row header (merged «Возраст» over «с» / «по») wins over its first row when it names more columns.
    const fits = candidates.map((cand) => ({ cand, fit: headerFits(ds, cand.header) }));
    const two = fits[1];
    if (two?.fit.fits && (fits[0] as (typeof fits)[number]).fit.matched < two.fit.matched) fits.reverse();
    for (const { cand, fit } of fits) {
      if (fit.fits) {
        const markers = (ds.total_markers ?? DEFAULT_TOTAL_MARKERS).map(normaliseHeader);
        const data: TableRow[] = [];
        const skipped: LocatedTable['skipped'] = [];
        for (const r of rows.slice(i + cand.used)) {
          if (r.cells.every((c) => c.trim() === '')) continue;
          if (isTotalsRow(r.cells, markers)) skipped.push({ line: r.line, reason: 'итоговая строка' });
          else data.push(r);
        }
        return { ok: true, table: { headerLine: row.line, header: cand.header, rows: data, skipped } };
      }
      if (!best || fit.matched > best.matched) best = { missing: fit.missing, matched: fit.matched, line: row.line };
    }
  }
  const b = best ?? { missing: recordColumns(ds).required, matched: 0, line: 1 };
  return {
    ok: false,
    matched: b.matched,
    error: {
      line: b.line,
      column: b.missing[0] ?? null,
      message: `не найдена строка заголовка таблицы «${ds.title}» в первых ${HEADER_SEARCH_ROWS} строках: нет ${b.missing.length === 1 ? 'столбца' : 'столбцов'} ${b.missing.map((c) => `«${c}»`).join(', ')}`,
    },
  };
}

/** An enum cell's declared value: exact, then without case, then through the aliases. */
export function enumValue(text: string, f: RecordFieldDef): string | null {
  const values = f.values ?? [];
  if (values.includes(text)) return text;
  const n = normaliseHeader(text);
  const found = values.find((v) => normaliseHeader(v) === n);
  if (found) return found;
  for (const [alias, value] of Object.entries(f.aliases ?? {})) if (normaliseHeader(alias) === n) return value;
  return null;
}

function parseField(text: string, f: RecordFieldDef): { ok: true; value: RecordValue } | { ok: false; message: string } {
  const t = text.trim();
  if (t === '') return fieldRequired(f) ? { ok: false, message: 'пусто — значение обязательно' } : { ok: true, value: null };
  switch (f.type) {
    case 'text':
      return { ok: true, value: t };
    case 'enum': {
      const v = enumValue(t, f);
      return v === null ? { ok: false, message: `«${t}» — недопустимое значение (допустимо: ${(f.values ?? []).join(', ')})` } : { ok: true, value: v };
    }
    case 'date': {
      const m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(t);
      if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return { ok: true, value: t };
      if (!m) return { ok: false, message: `«${t}» — не дата (ожидается ДД.ММ.ГГГГ)` };
      return { ok: true, value: `${m[3]}-${(m[2] as string).padStart(2, '0')}-${(m[1] as string).padStart(2, '0')}` };
    }
    case 'integer':
    case 'number': {
      const cleaned = t.replace(/[\s\u00A0\u202F]/g, '').replace(',', '.').replace('−', '-');
      if (!/^-?\d+(\.\d+)?$/.test(cleaned)) return { ok: false, message: `«${t}» — не число` };
      const n = Number(cleaned);
      if (f.type === 'integer' && !Number.isInteger(n)) return { ok: false, message: `«${t}» — не целое число` };
      if (f.min !== undefined && n < f.min) return { ok: false, message: `«${t}» меньше допустимого минимума ${formatNumber(f.min)}` };
      if (f.max !== undefined && n > f.max) return { ok: false, message: `«${t}» больше допустимого максимума ${formatNumber(f.max)}` };
      return { ok: true, value: n };
    }
  }
}

export function conditionHolds(c: RecordConditionDef, value: RecordValue): boolean {
  const text = value === null ? '' : String(value);
  if (c.in && !c.in.includes(text)) return false;
  if (c.not_in && c.not_in.includes(text)) return false;
  return true;
}

/** Reads the located rows into typed records. Every bad cell is reported (up to `maxErrors`), with its line and column;
 * with any error no records are returned. */
export function readRecords(ds: RecordDatasetDef, table: LocatedTable, maxErrors = 1000): { ok: true; records: RecordRow[] } | { ok: false; errors: RecordCellError[]; errorCount: number; records: RecordRow[] } {
  const index = new Map<string, number>();
  table.header.forEach((h, i) => {
    const k = normaliseHeader(h);
    if (!index.has(k)) index.set(k, i);
  });
  const pos = (column: string | undefined) => (column === undefined ? undefined : index.get(normaliseHeader(column)));
  const fields = Object.entries(ds.fields).map(([name, f]) => ({ name, f, at: pos(f.column) }));
  const orgAt = { inn: pos(ds.organisation.inn), number: pos(ds.organisation.number), name: pos(ds.organisation.name) };
  const orgColumns = recordColumns(ds).organisation;
  const errors: RecordCellError[] = [];
  const records: RecordRow[] = [];
  /** Errors past `maxErrors` are counted, not kept (a campaign import reports how many, and every record's organisation). */
  let more = 0;
  const note = (e: RecordCellError) => {
    if (errors.length < maxErrors) errors.push(e);
    else more++;
  };
  const text = (row: TableRow, at: number | undefined) => (at === undefined ? '' : (row.cells[at] ?? '').trim());
  for (const row of table.rows) {
    const org: RecordOrg = { inn: text(row, orgAt.inn) || null, number: text(row, orgAt.number) || null, name: text(row, orgAt.name) || null };
    if (!org.inn && !org.number && !org.name) {
      note({ line: row.line, column: orgColumns[0] ?? null, message: 'пусто — не указана организация' });
      continue;
    }
    const values: Record<string, RecordValue> = {};
    for (const { name, f, at } of fields) {
      if (at === undefined) {
        values[name] = null;
        continue;
      }
      const raw = text(row, at);
      const parsed = parseField(raw, f);
      if (!parsed.ok) {
        note({ line: row.line, column: f.column, message: parsed.message, field: name, value: raw, ...(f.type === 'enum' ? { allowed: f.values ?? [] } : {}) });
        values[name] = null;
        continue;
      }
      values[name] = parsed.value;
    }
    let excludedBy: RecordRow['excludedBy'] = null;
    for (const c of ds.filters ?? []) {
      if (!conditionHolds(c, values[c.field] ?? null)) {
        excludedBy = { field: c.field, value: values[c.field] === null || values[c.field] === undefined ? '(пусто)' : String(values[c.field]) };
        break;
      }
    }
    records.push({ line: row.line, org, fields: values, excludedBy });
  }
  return errors.length ? { ok: false, errors, errorCount: errors.length + more, records } : { ok: true, records };
}

/** A stored record (fields already typed) with its filter applied, as `readRecords` builds it. */
export function recordOf(ds: RecordDatasetDef, line: number, org: RecordOrg, fields: Record<string, RecordValue>): RecordRow {
  return { line, org, fields, excludedBy: excludedByOf(ds, fields) };
}

/** The first filter the fields fail, with the value they had («(пусто)» for none); null when the record is counted. */
export function excludedByOf(ds: RecordDatasetDef, fields: Readonly<Record<string, RecordValue>>): RecordRow['excludedBy'] {
  for (const c of ds.filters ?? []) {
    const v = fields[c.field];
    if (!conditionHolds(c, v ?? null)) return { field: c.field, value: v === null || v === undefined ? '(пусто)' : String(v) };
  }
  return null;
}

export interface CountedInput {
  input: string;
  value: number | null;
  explanation: string;
  /** The records counted into the value (lines of the file). */
  lines: number[];
}

const RECORD_FORMS: readonly [string, string, string] = ['запись', 'записи', 'записей'];
/** «по N записям» (sum, mean) and «в N записях» (distinct_count). */
const RECORD_DATIVE: readonly [string, string, string] = ['записи', 'записям', 'записям'];
const RECORD_LOCATIVE: readonly [string, string, string] = ['записи', 'записях', 'записях'];
const ROW_FORMS: readonly [string, string, string] = ['строки', 'строк', 'строк'];

/** «12 опубликованных программ» (the aggregation's label, else «записей»). */
function labelled(n: number, label: RecordAggregationDef['label'], forms = RECORD_FORMS): string {
  if (label === undefined) return `${formatNumber(n)} ${plural(n, forms)}`;
  return `${formatNumber(n)} ${typeof label === 'string' ? label : plural(n, label)}`;
}

/** The records left out by the filters, per value in order of first appearance. */
function excludedCounts(records: readonly RecordRow[]): Map<string, number> {
  const byValue = new Map<string, number>();
  for (const r of records) {
    if (r.excludedBy === null) continue;
    const v = r.excludedBy.value;
    byValue.set(v, (byValue.get(v) ?? 0) + 1);
  }
  return byValue;
}

/** «; 3 не учтены: «Черновик» — 2, «Архив» — 1»: the records left out by the filters, per value in order of first
 * appearance (empty when none). */
function excludedCountsText(byValue: ReadonlyMap<string, number>): string {
  if (byValue.size === 0) return '';
  let total = 0;
  for (const n of byValue.values()) total += n;
  const list = [...byValue].map(([v, n]) => (byValue.size === 1 ? `«${v}»` : `«${v}» — ${formatNumber(n)}`)).join(', ');
  return `; ${formatNumber(total)} ${total % 10 === 1 && total % 100 !== 11 ? 'не учтена' : 'не учтены'}: ${list}`;
}

/** «Статус программы» — «Опубликована», …: the `where` conditions of count_where and share, for the explanation. */
function conditionText(ds: RecordDatasetDef, where: readonly RecordConditionDef[]): string {
  return where
    .map((c) => {
      const col = ds.fields[c.field]?.column ?? c.field;
      return c.in ? `«${col}» — ${c.in.map((v) => `«${v}»`).join(' или ')}` : `«${col}» — не ${(c.not_in ?? []).map((v) => `«${v}»`).join(' и не ')}`;
    })
    .join(', ');
}

function numbersOf(records: readonly RecordRow[], field: string): number[] {
  const out: number[] = [];
  for (const r of records) {
    const v = r.fields[field];
    if (typeof v === 'number') out.push(v);
  }
  return out;
}

/** What one aggregation found in one organisation's records (all of them, the excluded ones included), counted from
 * the records themselves (`aggregateRecords`) or from their groups (record-groups.ts): the value and explanation are
 * then written by `writeCounted`, the one place their texts live. */
export interface Tally {
  /** All rows, and the rows left out by the filters per value in order of first appearance. */
  rows: number;
  excluded: ReadonlyMap<string, number>;
  /** Rows counted (passing the filters), and of them those meeting `where` (count_where, share). */
  counted: number;
  hit: number;
  /** sum, mean: the sum and number of the field's values among the counted rows, and the values in file order when
   * there are at most 12 (the explanation lists them). */
  sum: number;
  values: number;
  terms: readonly number[] | null;
  /** distinct_count: the number of distinct values. */
  distinct: number;
}

/** Which rows a counted input stands for: the counted ones, those meeting `where`, or none (a share of nothing). */
export type TallyRows = 'counted' | 'hit' | 'none';

/** The value and explanation of one aggregation from its tally, and which rows it stands for; with `explain` false the
 * explanation is empty (the value and rows the same). */
export function writeCounted(ds: RecordDatasetDef, a: RecordAggregationDef, t: Tally, groupText: string, explain = true): { value: number | null; explanation: string; rows: TallyRows } {
  const figure = countedFigure(a, t);
  return { ...figure, explanation: explain ? countedText(ds, a, t, groupText, figure.value) : '' };
}

function countedFigure(a: RecordAggregationDef, t: Tally): { value: number | null; rows: TallyRows } {
  if (a.method === 'count_where') return { value: t.hit, rows: 'hit' };
  if (a.method === 'share') return t.counted === 0 ? { value: null, rows: 'none' } : { value: (t.hit / t.counted) * 100, rows: 'hit' };
  const value = a.method === 'count' ? t.counted : a.method === 'sum' ? t.sum : a.method === 'mean' ? (t.values === 0 ? null : t.sum / t.values) : t.distinct;
  return { value, rows: 'counted' };
}

function countedText(ds: RecordDatasetDef, a: RecordAggregationDef, t: Tally, groupText: string, value: number | null): string {
  const rowsText = `из ${formatNumber(t.rows)} ${plural(t.rows, ROW_FORMS)}${excludedCountsText(t.excluded)}`;
  const fieldCol = a.field ? `«${ds.fields[a.field]?.column ?? a.field}»` : '';
  const prefix = groupText ? `${groupText}: ` : '';
  switch (a.method) {
    case 'count':
      return `${prefix}${labelled(t.counted, a.label)} ${rowsText}`;
    case 'count_where':
    case 'share': {
      const cond = conditionText(ds, a.where ?? []);
      if (a.method === 'count_where') return `${prefix}${labelled(t.hit, a.label)} (${cond}) ${rowsText}`;
      if (value === null) return `${prefix}нет учтённых записей ${rowsText} — доля не определена`;
      return `${prefix}${formatNumber(t.hit)} из ${formatNumber(t.counted)} учтённых записей (${cond}) = ${formatNumber(roundHalfUp(value, 2))} % ${rowsText}`;
    }
    case 'sum': {
      const terms = t.values > 0 && t.values <= 12 && t.terms ? `${t.terms.map((x) => formatNumber(x)).join(' + ')} = ` : '';
      return `${prefix}сумма ${fieldCol} по ${labelled(t.counted, a.label, RECORD_DATIVE)}: ${terms}${formatNumber(t.sum)} ${rowsText}`;
    }
    case 'mean':
      if (value === null) return `${prefix}нет значений ${fieldCol} ${rowsText} — среднее не определено`;
      return `${prefix}среднее ${fieldCol} по ${labelled(t.values, a.label, RECORD_DATIVE)} = ${formatNumber(roundHalfUp(value, 2))} ${rowsText}`;
    case 'distinct_count':
      return `${prefix}${formatNumber(t.distinct)} разных значений ${fieldCol} в ${labelled(t.counted, a.label, RECORD_LOCATIVE)} ${rowsText}`;
  }
}

/** One aggregation over one organisation's records (all of them, the excluded ones included, for the explanation). */
function aggregateOne(ds: RecordDatasetDef, a: RecordAggregationDef, input: string, all: readonly RecordRow[], groupText: string, explain: boolean): CountedInput {
  const counted = all.filter((r) => r.excludedBy === null);
  const where = a.where ?? [];
  const hit = a.method === 'count_where' || a.method === 'share' ? counted.filter((r) => where.every((c) => conditionHolds(c, r.fields[c.field] ?? null))) : [];
  const xs = a.method === 'sum' || a.method === 'mean' ? numbersOf(counted, a.field ?? '') : [];
  const seen = new Set<string>();
  if (a.method === 'distinct_count') {
    for (const r of counted) {
      const v = r.fields[a.field ?? ''];
      if (v !== null && v !== undefined) seen.add(String(v));
    }
  }
  const { value, explanation, rows } = writeCounted(ds, a, {
    rows: all.length, excluded: excludedCounts(all), counted: counted.length, hit: hit.length,
    sum: xs.reduce((s, x) => s + x, 0), values: xs.length, terms: xs, distinct: seen.size,
  }, groupText, explain);
  const lines = rows === 'counted' ? counted.map((r) => r.line) : rows === 'hit' ? hit.map((r) => r.line) : [];
  return { input, value, explanation, lines };
}

/** The inputs one organisation's records give: each aggregation (each group of a grouped one) → a counted input (with
 * `explain: false`, its explanation empty). */
export function aggregateRecords(ds: RecordDatasetDef, records: readonly RecordRow[], opts: { explain?: boolean } = {}): Record<string, CountedInput> {
  const explain = opts.explain !== false;
  const out: Record<string, CountedInput> = {};
  for (const a of ds.aggregations) {
    if (a.group_by === undefined || typeof a.into === 'string') {
      const input = typeof a.into === 'string' ? a.into : '';
      if (input) out[input] = aggregateOne(ds, a, input, records, '', explain);
      continue;
    }
    const groupField = a.group_by;
    const column = ds.fields[groupField]?.column ?? groupField;
    // The records of each group in their order, in one pass.
    const groups = new Map<string, RecordRow[]>(Object.keys(a.into).map((value) => [value, []]));
    for (const r of records) groups.get(String(r.fields[groupField] ?? ''))?.push(r);
    for (const [value, input] of Object.entries(a.into)) out[input] = aggregateOne(ds, a, input, groups.get(value) as RecordRow[], `«${column}» = «${value}»`, explain);
  }
  return out;
}

/** The fields counting looks at (filters, aggregations, the label): what a stored list needs to read back. Without
 * `label`, the label field only if counting looks at it: what the figures need (not the records behind them). */
export function fieldsUsed(ds: RecordDatasetDef, opts: { label?: boolean } = {}): string[] {
  const out = new Set<string>();
  for (const c of ds.filters ?? []) out.add(c.field);
  for (const a of ds.aggregations) {
    if (a.field) out.add(a.field);
    if (a.group_by) out.add(a.group_by);
    for (const c of a.where ?? []) out.add(c.field);
  }
  if (ds.record_label && opts.label !== false) out.add(ds.record_label);
  return [...out].filter((f) => ds.fields[f] !== undefined);
}

/** Every input a record dataset supplies. */
export function suppliedInputs(ds: RecordDatasetDef): string[] {
  return ds.aggregations.flatMap((a) => (typeof a.into === 'string' ? [a.into] : Object.values(a.into)));
}
