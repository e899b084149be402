/** Several tables of a dimensional methodology, one computation: ВПР «Статистика по отметкам» for Математика 5 and
 * Русский язык 7, «Сравнение с журналом» for the same, ГИА results… Tables of the same dataset are one table (their rows
 * concatenated, a repeated organisation × dimension values is an error naming both places); tables of different
 * datasets are joined on the organisation × dimension values, so one row gets the inputs of every file that names it.
 * The indicators computed are those of the datasets present whose inputs the files supply. Pure. */
import type { Compiled } from './evaluate.ts';
import type { Entity } from './records.ts';
import { detectDataset, readEntities } from './records.ts';
import type { DatasetDef } from './schema.ts';
import type { NamedTable, TablesFailure } from './named-table.ts';

export interface MergedTables { ok: true; dsId: string; ds: DatasetDef; entities: Entity[] }

/** Inputs an indicator needs, through the indicators it uses. */
function inputsOf(c: Compiled, indicator: string, seen = new Set<string>()): Set<string> {
  const out = new Set<string>();
  if (seen.has(indicator)) return out;
  seen.add(indicator);
  const ci = c.byId.get(indicator);
  const loyalty = ci?.def.loyalty ? Object.values(ci.def.loyalty).filter((x): x is string => typeof x === 'string') : [];
  for (const u of [...(ci?.uses ?? []), ...loyalty]) {
    if (c.methodology.inputs[u]) out.add(u);
    else for (const x of inputsOf(c, u, seen)) out.add(x);
  }
  return out;
}

/** `null` when the tables are not all of dimensional datasets (the caller keeps its «one table» rule). */
export function mergeDimensionalTables(c: Compiled, tables: readonly NamedTable[]): MergedTables | TablesFailure | null {
  const m = c.methodology;
  const detected: { t: NamedTable; id: string; ds: DatasetDef }[] = [];
  for (const t of tables) {
    const d = detectDataset(m, t.header);
    if (!d.ok) return null;
    detected.push({ t, id: d.id, ds: (m.datasets ?? {})[d.id] as DatasetDef });
  }
  if (!detected.every((d) => d.ds.dimensions)) return null;
  const dimsOf = (ds: DatasetDef) => Object.keys(ds.dimensions ?? {}).sort().join(',');
  const first = detected[0] as (typeof detected)[number];
  const other = detected.find((d) => dimsOf(d.ds) !== dimsOf(first.ds) || d.ds.unit !== first.ds.unit);
  if (other)
    return { ok: false, error: { file: other.t.file, line: null, column: null, message: `таблица «${other.ds.title}» делится по другим измерениям, чем «${first.ds.title}» (${dimsOf(other.ds) || 'без измерений'} и ${dimsOf(first.ds)}): объединить их нельзя` } };

  const parts: EntityList[] = [];
  for (const { t, id, ds } of detected) {
    const read = readEntities(m, ds, t.header, t.rows);
    if (!read.ok) return { ok: false, error: { ...read.error, file: t.file } };
    parts.push({ id, ds, file: t.file, entities: read.entities });
  }
  return mergeEntityLists(c, parts);
}

/** The entities of one dimensional dataset's table, as `readEntities` gives them. */
export interface EntityList { id: string; ds: DatasetDef; file: string; entities: Entity[] }

/** Joins the entities of the tables (in their order) on the entity key: what `mergeDimensionalTables` does after
 * reading each table; also the end of the direct path from typed values (dimensional-entities.ts). The lists'
 * entities are changed in place (a joined row gets the inputs of the later tables). */
export function mergeEntityLists(c: Compiled, parts: readonly EntityList[]): MergedTables | TablesFailure {
  const m = c.methodology;
  const first = parts[0] as EntityList;
  // Where each entity came from, per table in order (a short list: one or two tables, not a Map per row).
  const merged = new Map<string, { e: Entity; from: { id: string; file: string; line: number }[] }>();
  const entities: Entity[] = [];
  const columns: Record<string, string> = {};
  const ids: string[] = [];
  for (const { id, ds, file, entities: list } of parts) {
    if (!ids.includes(id)) ids.push(id);
    Object.assign(columns, ds.columns);
    for (const e of list) {
      const have = merged.get(e.key);
      if (!have) {
        merged.set(e.key, { e, from: [{ id, file, line: e.line }] });
        entities.push(e);
        continue;
      }
      const before = have.from.find((f) => f.id === id);
      if (before)
        return { ok: false, error: { file, line: e.line, column: ds.key, message: `«${e.key}» уже есть в файле ${before.file}, строка ${before.line}` } };
      have.from.push({ id, file, line: e.line });
      for (const [input, v] of Object.entries(e.values)) {
        const prior = have.e.values[input];
        if (prior !== undefined && prior !== null && v !== null && prior !== v)
          return { ok: false, error: { file, line: e.line, column: ds.columns[input] ?? null, message: `«${e.key}»: значение ${String(v)} расходится с ${String(prior)} из другого файла` } };
        if (prior === undefined || prior === null) have.e.values[input] = v;
      }
      Object.assign(have.e.evidence, e.evidence);
      Object.assign(have.e.published, e.published);
    }
  }
  const supplied = new Set(Object.keys(columns));
  const dsList = ids.map((id) => (m.datasets ?? {})[id] as DatasetDef);
  const needs = new Map<string, Set<string>>();
  const needed = (i: string) => {
    let s = needs.get(i);
    if (!s) needs.set(i, (s = inputsOf(c, i)));
    return s;
  };
  const indicators = [...new Set(dsList.flatMap((ds) => ds.indicators))].filter((i) => [...needed(i)].every((x) => supplied.has(x)));
  // A row computes the indicators whose inputs its own tables give: a school with ГИА results only gets no ВПР rows.
  // The indicators are worked out once per combination of tables a row comes from (not once per row).
  const byTables = new Map<string, string[]>();
  const columnIds = Object.keys(columns);
  for (const e of entities) {
    const from = (merged.get(e.key)?.from ?? []).map((f) => f.id);
    for (const input of columnIds) if (!(input in e.values)) e.values[input] = null;
    if (ids.length <= 1) continue;
    const tablesKey = from.join('\u0000');
    let own = byTables.get(tablesKey);
    if (!own) {
      const inputs = new Set(from.flatMap((id) => Object.keys((m.datasets ?? {})[id]?.columns ?? {})));
      byTables.set(tablesKey, (own = indicators.filter((i) => [...needed(i)].every((x) => inputs.has(x)))));
    }
    // One list per combination of tables, shared by its rows (nothing changes an entity's list).
    e.indicators = own;
  }
  const ds: DatasetDef = {
    title: [...new Set(dsList.map((d) => d.title))].join('; '),
    unit: first.ds.unit,
    key: first.ds.key,
    ...(first.ds.dimensions ? { dimensions: first.ds.dimensions } : {}),
    columns,
    attributes: Object.assign({}, ...dsList.map((d) => d.attributes ?? {})),
    published: dsList.flatMap((d) => d.published ?? []),
    indicators: indicators.length ? indicators : first.ds.indicators,
  };
  return { ok: true, dsId: ids.join('+'), ds, entities };
}
