/** From a table (header + rows of text cells) to typed entity data, by a methodology's dataset: which dataset a header
 * belongs to, and every cell parsed by its input's type. Errors name the row and column; nothing partial is returned. */
import { formatNumber, parseRussianDate } from '../format.ts';
import type { Value } from './expression.ts';
import { datasetDimensions, dimensionalKey, readDimensionValue } from './dimensions.ts';
import type { DatasetDef, InputDef, Methodology } from './schema.ts';
import { attributeColumn } from './schema.ts';

export interface TableRow { line: number; cells: string[] }
export interface CellError { line: number | null; column: string | null; message: string }
export interface Entity {
  key: string;
  line: number;
  attributes: Record<string, string>;
  values: Record<string, Value>;
  evidence: Record<string, string>;
  scores: Record<string, number[]>;
  /** Printed figures, as text (their precision matters); '' for a blank cell of a printed column. */
  published: Record<string, string>;
  /** A row of a dimensional table: the organisation's name (`key` is then «name · value · value») and the values of the
   * dimensions (also copied into `attributes`, so aggregates can group by them). */
  name?: string;
  dimensions?: Record<string, string>;
  /** Joined from several tables (merge-tables.ts): only these indicators have their inputs in this row. */
  indicators?: string[];
}

/** `supplied`: inputs that another file (a record list) provides, so their columns may be absent. */
export function requiredColumns(m: Methodology, ds: DatasetDef, supplied?: ReadonlySet<string>): string[] {
  const cols = [ds.key, ...Object.values(ds.dimensions ?? {})];
  for (const ref of Object.values(ds.attributes ?? {})) cols.push(attributeColumn(ref).column);
  for (const [input, column] of Object.entries(ds.columns)) if (m.inputs[input]?.required !== false && !supplied?.has(input)) cols.push(column);
  return [...new Set(cols)];
}

function allColumns(m: Methodology, ds: DatasetDef): string[] {
  return [...new Set([...requiredColumns(m, ds), ...Object.values(ds.columns), ...(ds.published ?? []).map((p) => p.column), ...Object.values(ds.evidence_columns ?? {})])];
}

const norm = (s: string) => s.trim().toLowerCase();

/** The dataset whose columns the header has (all required ones; the most matching columns wins). */
export function detectDataset(m: Methodology, header: readonly string[], supplied?: ReadonlySet<string>): { ok: true; id: string } | { ok: false; message: string; missing: string[] } {
  const have = new Set(header.map(norm));
  const sets = Object.entries(m.datasets ?? {});
  if (sets.length === 0) return { ok: false, message: `в методике «${m.id}» не описано ни одного набора данных (datasets)`, missing: [] };
  let best: { id: string; missing: string[]; score: number } | null = null;
  for (const [id, ds] of sets) {
    const req = requiredColumns(m, ds, supplied);
    const missing = req.filter((c) => !have.has(norm(c)));
    const score = allColumns(m, ds).filter((c) => have.has(norm(c))).length - missing.length * 1000;
    if (!best || score > best.score) best = { id, missing, score };
  }
  const b = best as { id: string; missing: string[] };
  if (b.missing.length === 0) return { ok: true, id: b.id };
  const known = sets.map(([id, ds]) => `«${id}» (${requiredColumns(m, ds).join(', ')})`).join('; ');
  return {
    ok: false,
    message: `нет ${b.missing.length === 1 ? 'столбца' : 'столбцов'} ${b.missing.map((c) => `«${c}»`).join(', ')} — заголовок не подходит ни к одной таблице методики (ближе всего «${b.id}»). Таблицы методики: ${known}`,
    missing: b.missing,
  };
}

const TRUE = new Set(['да', 'yes', 'true', '1', '+', 'есть']);
const FALSE = new Set(['нет', 'no', 'false', '0', '-', '−', 'отсутствует']);

/** Parses one cell by the input's type; returns the value or a Russian message. */
export function parseCell(text: string, def: InputDef): { ok: true; value: Value } | { ok: false; message: string } {
  const t = text.trim();
  if (t === '') return def.required === false ? { ok: true, value: null } : { ok: false, message: 'пусто — значение обязательно' };
  let value: Value;
  switch (def.type) {
    case 'integer':
    case 'number':
    case 'percent':
    case 'score': {
      const cleaned = t.replace(/[\s\u00A0\u202F]/g, '').replace(/%$/, '').replace(',', '.').replace('−', '-');
      if (!/^-?\d+(\.\d+)?$/.test(cleaned)) return { ok: false, message: `«${t}» — не число` };
      const n = Number(cleaned);
      if ((def.type === 'integer' || def.type === 'score') && !Number.isInteger(n)) return { ok: false, message: `«${t}» — не целое число` };
      if (def.type === 'score' && (n < 0 || n > 10)) return { ok: false, message: `«${t}» — оценка вне шкалы 0–10` };
      if (def.type === 'percent' && (n < 0 || n > 100) && def.min === undefined && def.max === undefined)
        return { ok: false, message: `«${t}» — процент вне 0–100` };
      if (def.min !== undefined && n < def.min) return { ok: false, message: `«${t}» меньше допустимого минимума ${formatNumber(def.min)}` };
      if (def.max !== undefined && n > def.max) return { ok: false, message: `«${t}» больше допустимого максимума ${formatNumber(def.max)}` };
      value = n;
      break;
    }
    case 'boolean': {
      const l = t.toLowerCase();
      if (TRUE.has(l)) value = true;
      else if (FALSE.has(l)) value = false;
      else return { ok: false, message: `«${t}» — ожидалось «да» или «нет»` };
      break;
    }
    case 'enum':
      if (def.values && !def.values.includes(t)) return { ok: false, message: `«${t}» — недопустимое значение (допустимо: ${def.values.join(', ')})` };
      value = t;
      break;
    case 'date': {
      const iso = /^\d{4}-\d{2}-\d{2}$/.test(t) ? t : parseRussianDate(t);
      if (!iso) return { ok: false, message: `«${t}» — не дата (ожидается ДД.ММ.ГГГГ)` };
      value = iso;
      break;
    }
  }
  return { ok: true, value };
}

/** Reads the rows of a table into entities of the dataset. The first error stops reading (with row and column). */
export function readEntities(m: Methodology, ds: DatasetDef, header: readonly string[], rows: readonly TableRow[], supplied?: ReadonlySet<string>): { ok: true; entities: Entity[] } | { ok: false; error: CellError } {
  const index = new Map(header.map((h, i) => [norm(h), i] as const));
  // Column positions by name, looked up once per name (not once per cell).
  const positions = new Map<string, number | undefined>();
  const col = (name: string) => {
    if (positions.has(name)) return positions.get(name);
    const i = index.get(norm(name));
    positions.set(name, i);
    return i;
  };
  for (const c of requiredColumns(m, ds, supplied)) if (col(c) === undefined) return { ok: false, error: { line: 1, column: c, message: 'нет такого столбца в заголовке' } };
  const cell = (row: TableRow, name: string) => {
    const i = col(name);
    return i === undefined ? '' : (row.cells[i] ?? '');
  };
  const byKey = new Map<string, Entity>();
  const entities: Entity[] = [];
  const dims = datasetDimensions(m, ds);
  for (const row of rows) {
    if (row.cells.every((c) => c.trim() === '')) continue;
    const name = cell(row, ds.key).trim();
    if (name === '') return { ok: false, error: { line: row.line, column: ds.key, message: 'пусто — не указано название' } };
    if (ds.key_values && !ds.key_values.includes(name))
      return { ok: false, error: { line: row.line, column: ds.key, message: `«${name}» — неизвестное значение (допустимо: ${ds.key_values.join(', ')})` } };
    const dimValues: Record<string, string> = {};
    for (const d of dims) {
      const column = ds.dimensions?.[d] as string;
      const read = readDimensionValue(m.dimensions?.[d] as NonNullable<Methodology['dimensions']>[string], cell(row, column));
      if (!read.ok) return { ok: false, error: { line: row.line, column, message: read.message } };
      dimValues[d] = read.value;
    }
    const key = dims.length ? dimensionalKey(name, dimValues, dims) : name;
    const existing = byKey.get(key);
    if (existing && !ds.responses) return { ok: false, error: { line: row.line, column: ds.key, message: `«${key}» уже встречалось в строке ${existing.line}` } };
    const e: Entity = existing ?? { key, line: row.line, attributes: {}, values: {}, evidence: {}, scores: {}, published: {}, ...(dims.length ? { name, dimensions: dimValues } : {}) };
    if (!existing && dims.length) Object.assign(e.attributes, dimValues);
    for (const [name, ref] of Object.entries(ds.attributes ?? {})) {
      const a = attributeColumn(ref);
      const v = cell(row, a.column).trim();
      if (a.values && !a.values.includes(v))
        return { ok: false, error: { line: row.line, column: a.column, message: `«${v}» — неизвестное значение (допустимо: ${a.values.join(', ')})` } };
      if (!existing) e.attributes[name] = v;
    }
    for (const [input, column] of Object.entries(ds.columns)) {
      const def = m.inputs[input];
      if (!def) continue;
      if (col(column) === undefined) {
        if (!existing) e.values[input] = null;
        continue;
      }
      const parsed = parseCell(cell(row, column), def);
      if (!parsed.ok) return { ok: false, error: { line: row.line, column, message: parsed.message } };
      if (def.type === 'score' && ds.responses) {
        if (typeof parsed.value === 'number') (e.scores[input] ??= []).push(parsed.value);
      } else if (!existing) e.values[input] = parsed.value;
    }
    for (const [input, column] of Object.entries(ds.evidence_columns ?? {})) {
      const v = cell(row, column).trim();
      if (v) e.evidence[input] = v;
      else if (m.inputs[input]?.evidence === 'required' && e.values[input] === true)
        return { ok: false, error: { line: row.line, column, message: '«да» без ссылки на подтверждение' } };
    }
    for (const p of ds.published ?? []) {
      const v = cell(row, p.column).trim();
      // A blank printed cell is kept as '' (the report left it out), an absent column not at all.
      if (!existing && col(p.column) !== undefined) e.published[p.column] = v;
    }
    if (!existing) {
      byKey.set(key, e);
      entities.push(e);
    }
  }
  return { ok: true, entities };
}
