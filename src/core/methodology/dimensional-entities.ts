/** The engine's entities of a campaign's per-dimension values without the text-table round trip (issue 22): the typed
 * current values (numbers, booleans, strings of the import or the form) become the `Entity` list that
 * `mergeDimensionalTables` makes of the same values written into one text table per dataset — the same keys, the
 * dimension values as the methodology declares them, the same row order and `line` numbers, each value what
 * `parseCell` would read from its text. A value that has a fast path (a finite number without an exponent, a boolean,
 * an enum string) is checked like its text; any other goes through `parseCell` of the very text the table would hold.
 * Where the table would not be read cleanly (an error of a cell, a blank or repeated name, a header that another
 * dataset or a record list would claim, columns the table has no cells for), this returns null and the caller takes
 * the text path, which gives the same error as before. Pure. */
import type { Compiled } from './evaluate.ts';
import { datasetDimensions, dimensionalKey, readDimensionValue } from './dimensions.ts';
import { mergeEntityLists, type EntityList, type MergedTables } from './merge-tables.ts';
import { detectDataset, parseCell, requiredColumns, type Entity } from './records.ts';
import type { Value } from './expression.ts';
import type { DatasetDef, InputDef, Methodology } from './schema.ts';

/** One row of a dimensional dataset's table: the organisation's short name (the key column), its dimension values as
 * stored, and its inputs' typed values (`value`; absent or null = an empty cell) — the forms' current values as they
 * are, not copied. */
export interface TypedRow { name: string; dimensions: Readonly<Record<string, string>>; values: Readonly<Record<string, { readonly value: unknown } | undefined>> }

/** A dataset's rows, in the order its text table would list them (`line` = position + 2). */
export interface TypedTable { id: string; ds: DatasetDef; file: string; rows: readonly TypedRow[] }

/** The text a value has in the table (`dimensionalTable`): '' for none, «да»/«нет» for booleans. */
export const cellText = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'boolean' ? (v ? 'да' : 'нет') : String(v));

/** The column header of a dimensional dataset's table: key, dimension columns, the inputs' columns (not scores). */
export function dimensionalHeader(m: Methodology, ds: DatasetDef): { header: string[]; inputs: [string, string][] } {
  const inputs = Object.entries(ds.columns).filter(([input]) => m.inputs[input] && m.inputs[input]?.type !== 'score');
  return { header: [ds.key, ...datasetDimensions(m, ds).map((d) => ds.dimensions?.[d] as string), ...inputs.map(([, c]) => c)], inputs };
}

/** What `parseCell(cellText(v), def)` gives, without the text where the value's type allows. */
export function typedCell(v: unknown, def: InputDef): { ok: true; value: Value } | { ok: false; message: string } {
  switch (def.type) {
    case 'integer':
    case 'number':
    case 'percent':
    case 'score': {
      // String(v) of a finite number has no exponent for 0 and 1e-6 ≤ |v| < 1e21; Number(String(v)) is v then (−0 reads 0).
      if (typeof v !== 'number' || !(v === 0 || (Math.abs(v) >= 1e-6 && Math.abs(v) < 1e21))) break;
      const n = v === 0 ? 0 : v;
      if ((def.type === 'integer' || def.type === 'score') && !Number.isInteger(n)) break;
      if (def.type === 'score' && (n < 0 || n > 10)) break;
      if (def.type === 'percent' && (n < 0 || n > 100) && def.min === undefined && def.max === undefined) break;
      if ((def.min !== undefined && n < def.min) || (def.max !== undefined && n > def.max)) break;
      return { ok: true, value: n };
    }
    case 'boolean':
      if (typeof v === 'boolean') return { ok: true, value: v };
      break;
    case 'enum':
      if (typeof v === 'string' && v !== '' && v === v.trim() && (!def.values || def.values.includes(v))) return { ok: true, value: v };
      break;
  }
  return parseCell(cellText(v), def);
}

const norm = (s: string) => s.trim().toLowerCase();

const NONE: Record<string, never> = Object.freeze({});

/** The entities of one table as `readEntities` reads its text, or null where that would not be clean. */
function tableEntities(m: Methodology, t: TypedTable, dimensionValue: (d: string, raw: string) => string | null): Entity[] | null {
  const { ds } = t;
  const { header, inputs } = dimensionalHeader(m, ds);
  const dims = datasetDimensions(m, ds);
  // The header must be read as written: distinct column names, every required column present, no attribute,
  // printed or evidence column (the table has no cells for them), and this dataset detected from it.
  const index = new Map(header.map((h, i) => [norm(h), i] as const));
  if (index.size !== header.length || ds.responses || ds.key_values) return null;
  if (Object.keys(ds.attributes ?? {}).length || (ds.published ?? []).some((p) => index.has(norm(p.column)))) return null;
  if (Object.values(ds.evidence_columns ?? {}).some((c) => index.has(norm(c)))) return null;
  if (requiredColumns(m, ds).some((c) => !index.has(norm(c)))) return null;
  const detected = detectDataset(m, header);
  if (!detected.ok || detected.id !== t.id) return null;
  // Each input's column: its own cell (an input's position in the header), or none.
  const reads: { input: string; def: InputDef; from: string | null }[] = [];
  for (const [input, column] of Object.entries(ds.columns)) {
    const def = m.inputs[input];
    if (!def) continue;
    const i = index.get(norm(column));
    if (i !== undefined && i < 1 + dims.length) return null;
    reads.push({ input, def, from: i === undefined ? null : (inputs[i - 1 - dims.length] as [string, string])[0] });
  }
  const evidenceRequired = Object.keys(ds.evidence_columns ?? {}).filter((input) => m.inputs[input]?.evidence === 'required');
  const byKey = new Set<string>();
  const out: Entity[] = [];
  let line = 1;
  for (const r of t.rows) {
    line += 1;
    const name = r.name.trim();
    if (name === '') return null;
    const dimValues: Record<string, string> = {};
    for (const d of dims) {
      const v = dimensionValue(d, r.dimensions[d] ?? '');
      if (v === null) return null;
      dimValues[d] = v;
    }
    const key = dimensionalKey(name, dimValues, dims);
    if (byKey.has(key)) return null;
    byKey.add(key);
    // The attributes are the dimension values (one object for both); evidence, scores and printed figures a table of
    // typed values never has — one frozen empty object for every row (a ВПР year has 288 000 rows of two tables).
    const e: Entity = { key, line, attributes: dimValues, values: {}, evidence: NONE, scores: NONE, published: NONE, name, dimensions: dimValues };
    for (const { input, def, from } of reads) {
      if (from === null) {
        e.values[input] = null;
        continue;
      }
      const parsed = typedCell(r.values[from]?.value, def);
      if (!parsed.ok) return null;
      e.values[input] = parsed.value;
    }
    if (evidenceRequired.some((input) => e.values[input] === true)) return null;
    out.push(e);
  }
  return out;
}

/** The merged entities of the tables (in order; each of a dimensional dataset), as `mergeDimensionalTables` gives them
 * for the same values as text, or null: take the text path. `parts`: each table's entities, a row each, in its order. */
export function dimensionalEntities(c: Compiled, tables: readonly TypedTable[]): (MergedTables & { parts: EntityList[] }) | null {
  const m = c.methodology;
  if (!tables.length || Object.keys(m.record_datasets ?? {}).length) return null;
  const dimsOf = (ds: DatasetDef) => Object.keys(ds.dimensions ?? {}).sort().join(',');
  const first = (tables[0] as TypedTable).ds;
  if (tables.some((t) => !t.ds.dimensions || dimsOf(t.ds) !== dimsOf(first) || t.ds.unit !== first.unit)) return null;
  const read = new Map<string, string | null>();
  const dimensionValue = (d: string, raw: string) => {
    const k = `${d}\u0000${raw}`;
    let v = read.get(k);
    if (v === undefined) {
      const r = readDimensionValue(m.dimensions?.[d] as NonNullable<Methodology['dimensions']>[string], raw);
      read.set(k, (v = r.ok ? r.value : null));
    }
    return v;
  };
  const parts: EntityList[] = [];
  for (const t of tables) {
    const entities = tableEntities(m, t, dimensionValue);
    if (!entities) return null;
    parts.push({ id: t.id, ds: t.ds, file: t.file, entities });
  }
  const merged = mergeEntityLists(c, parts);
  return merged.ok ? { ...merged, parts } : null;
}
