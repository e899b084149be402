/** Several tables → one computation: at most one table of organisations plus any number of record lists. Records are
 * matched to the organisations of the other table by whichever key both have (ИНН, registry number, name), counted per
 * organisation into inputs (record-dataset.ts), and the organisations' indicators computed with them (run.ts). With
 * record lists alone, the organisations are those the records name. Pure. */
import { normaliseInn, normaliseName } from '../imports/match.ts';
import { formatNumber, plural } from '../format.ts';
import type { Compiled } from './evaluate.ts';
import type { LintItem } from './lint-item.ts';
import type { LocatedTable, RecordCellError, RecordRow } from './record-dataset.ts';
import { aggregateRecords, locateRecordTable, normaliseHeader, readRecords, suppliedInputs } from './record-dataset.ts';
import { mergeDimensionalTables } from './merge-tables.ts';
import type { NamedTable, TablesFailure } from './named-table.ts';
import type { Entity, TableRow } from './records.ts';
import { detectDataset, readEntities } from './records.ts';
import type { ComputeOutput, CountedRecords, RecordFileSummary, RecordSupply } from './run.ts';
import { computeEntities, computeTable, type ComputeOptions } from './run.ts';
import type { DatasetDef, RecordDatasetDef } from './schema.ts';

export type { NamedTable, TablesFailure } from './named-table.ts';

interface RecordTable { file: string; id: string; ds: RecordDatasetDef; located: LocatedTable; records: RecordRow[] }

/** Which record dataset a table is, if any (its header found among the first rows). */
export function detectRecordTable(c: Compiled, t: NamedTable): { id: string; ds: RecordDatasetDef; located: LocatedTable } | null {
  return detectRecord(c, t).found;
}

/** The record dataset of a table, or the nearest miss (most columns named) for the error message. */
function detectRecord(c: Compiled, t: NamedTable): { found: { id: string; ds: RecordDatasetDef; located: LocatedTable } | null; nearest: { error: RecordCellError; matched: number } | null } {
  const all: TableRow[] = [{ line: t.headerLine ?? 1, cells: t.header }, ...t.rows];
  let nearest: { error: RecordCellError; matched: number } | null = null;
  for (const [id, ds] of Object.entries(c.methodology.record_datasets ?? {})) {
    const located = locateRecordTable(ds, all);
    if (located.ok) return { found: { id, ds, located: located.table }, nearest: null };
    if (!nearest || located.matched > nearest.matched) nearest = { error: located.error, matched: located.matched };
  }
  return { found: null, nearest };
}

/** A list that names most of a record dataset's columns is that list with a column missing, not an unknown table. */
const NEAREST_MIN_COLUMNS = 3;

type Key = { inn: string | null; number: string | null; name: string | null };

function numberKey(text: string | null): string | null {
  const m = text ? /\d+/.exec(text) : null;
  return m ? String(Number(m[0])) : null;
}

function orgKeysOf(entity: Entity, header: readonly string[], row: TableRow | undefined, rds: RecordDatasetDef): Key {
  const find = (names: (string | undefined)[]) => {
    const wanted = new Set(names.filter((n): n is string => n !== undefined).map(normaliseHeader));
    const i = header.findIndex((h) => wanted.has(normaliseHeader(h)));
    return i < 0 || !row ? null : (row.cells[i] ?? '').trim() || null;
  };
  const inn = find(['инн', 'inn', rds.organisation.inn]);
  const number = find(['номер в реестре', 'registry_no', rds.organisation.number]);
  return { inn: inn ? normaliseInn(inn) : null, number: numberKey(number), name: normaliseName(entity.key) || null };
}

function recordKey(r: RecordRow): Key {
  return { inn: r.org.inn ? normaliseInn(r.org.inn) : null, number: numberKey(r.org.number), name: r.org.name ? normaliseName(r.org.name) : null };
}

function summary(t: RecordTable, organisations: number): RecordFileSummary {
  const excluded = new Map<string, number>();
  for (const r of t.records) if (r.excludedBy) excluded.set(r.excludedBy.value, (excluded.get(r.excludedBy.value) ?? 0) + 1);
  return {
    file: t.file, dataset: t.id, title: t.ds.title, headerLine: t.located.headerLine, rows: t.records.length,
    counted: t.records.filter((r) => r.excludedBy === null).length, skipped: t.located.skipped,
    excluded: [...excluded].map(([value, count]) => ({ value, count })), organisations,
  };
}

/** How a record is named in a drill-down: its `record_label` field (the programme's title), if any. */
export function labelOf(ds: RecordDatasetDef, r: RecordRow): string | null {
  const v = ds.record_label ? r.fields[ds.record_label] : null;
  return v === null || v === undefined ? null : String(v);
}

/** Counts each record table per entity (matched by `match`) into the supply of inputs. */
function supplyFor(tables: RecordTable[], entities: Entity[], match: (t: RecordTable, r: RecordRow) => Entity | null, matchedBy: (r: RecordRow) => keyof Key, otherFile: string | null): { ok: true; supply: RecordSupply } | TablesFailure {
  const counted: RecordSupply['counted'] = new Map();
  const files: RecordFileSummary[] = [];
  const unmatched: (RecordCellError & { file: string })[] = [];
  // Record tables of the same dataset are one list (two exports of one system).
  const byDataset = new Map<string, RecordTable[]>();
  for (const t of tables) byDataset.set(t.id, [...(byDataset.get(t.id) ?? []), t]);
  for (const group of byDataset.values()) {
    const ds = (group[0] as RecordTable).ds;
    const perEntity = new Map<Entity, { file: string; record: RecordRow }[]>(entities.map((e) => [e, []]));
    for (const t of group) {
      const seen = new Set<Entity>();
      for (const r of t.records) {
        const e = match(t, r);
        if (!e) {
          const by = matchedBy(r);
          const column = ds.organisation[by] ?? null;
          const what = { inn: 'ИНН', number: 'номер', name: 'наименование' }[by];
          unmatched.push({ file: t.file, line: r.line, column, message: `«${r.org[by] ?? ''}» — организация с таким ${what === 'ИНН' ? 'ИНН' : what === 'номер' ? 'номером' : 'наименованием'} не найдена${otherFile ? ` в файле ${otherFile}` : ''}` });
          continue;
        }
        seen.add(e);
        perEntity.get(e)?.push({ file: t.file, record: r });
      }
      files.push(summary(t, seen.size));
    }
    for (const [e, list] of perEntity) {
      const inputs = aggregateRecords(ds, list.map((x) => x.record));
      const fileOf = new Map(list.map((x) => [x.record, x.file]));
      const byLine = new Map(list.map((x) => [x.record.line, x.record]));
      const entry = counted.get(e.key) ?? {};
      for (const [input, ci] of Object.entries(inputs)) {
        const recs = ci.lines.map((line) => byLine.get(line) as RecordRow);
        entry[input] = { ...ci, file: [...new Set(recs.map((r) => fileOf.get(r) ?? ''))].join(', '), records: recs.map((r) => ({ line: r.line, label: labelOf(ds, r) })) };
      }
      counted.set(e.key, entry);
    }
  }
  if (unmatched.length) {
    const first = unmatched[0] as RecordCellError & { file: string };
    const more = unmatched.length - 1;
    return { ok: false, error: { ...first, message: more ? `${first.message} (и ещё ${formatNumber(more)} ${plural(more, ['строка', 'строки', 'строк'])} с ненайденными организациями)` : first.message }, errors: unmatched };
  }
  const indicators = [...new Set(tables.flatMap((t) => t.ds.indicators ?? []))];
  const inputs = [...new Set(tables.flatMap((t) => suppliedInputs(t.ds)))];
  return { ok: true, supply: { counted, indicators, inputs, files } };
}

/** The computation over several tables. One table without record lists is exactly `computeTable`. `opts` as for
 * `computeEntities` (run.ts: `explain: false` leaves the texts out, `only` computes some indicators). */
export function computeTables(c: Compiled, tables: readonly NamedTable[], staticLint: LintItem[] = [], opts: ComputeOptions = {}): { ok: true; output: ComputeOutput<CountedRecords> } | TablesFailure {
  const m = c.methodology;
  const records: RecordTable[] = [];
  const plain: NamedTable[] = [];
  const nearest = new Map<NamedTable, { error: RecordCellError; matched: number }>();
  for (const t of tables) {
    const { found: detected, nearest: near } = detectRecord(c, t);
    if (!detected) {
      plain.push(t);
      if (near && near.matched >= NEAREST_MIN_COLUMNS) nearest.set(t, near);
      continue;
    }
    const read = readRecords(detected.ds, detected.located);
    if (!read.ok) {
      const errors = read.errors.map((e) => ({ ...e, file: t.file }));
      const first = errors[0] as RecordCellError & { file: string };
      const more = errors.length - 1;
      return { ok: false, error: { ...first, message: more ? `${first.message} (всего ошибок в файле: ${formatNumber(errors.length)})` : first.message }, errors };
    }
    records.push({ file: t.file, ...detected, records: read.records });
  }
  for (const t of plain) {
    const near = nearest.get(t);
    if (near && plain.length > 1) return { ok: false, error: { ...near.error, file: t.file } };
  }
  if (records.length === 0 && plain.length > 0) {
    const merged = mergeDimensionalTables(c, plain);
    if (merged && !merged.ok) return merged;
    if (merged) return { ok: true, output: computeEntities(c, merged.dsId, merged.ds, merged.entities, staticLint, undefined, opts) };
  }
  if (plain.length > 1)
    return { ok: false, error: { file: plain[1]?.file ?? '', line: null, column: null, message: `объединить можно одну таблицу организаций и списки записей; таблиц организаций ${plain.length}: ${plain.map((p) => p.file).join(', ')}` } };
  const only = plain[0];
  if (records.length === 0) {
    if (!only) return { ok: false, error: { file: '', line: null, column: null, message: 'нет файлов данных' } };
    const near = nearest.get(only);
    if (near && !detectDataset(m, only.header).ok) return { ok: false, error: { ...near.error, file: only.file } };
    const r = computeTable(c, only.header, only.rows, staticLint, opts);
    if (r.ok) return r;
    // A column that a record list could supply: say which list.
    const listFor = Object.values(m.record_datasets ?? {}).find((rds) =>
      suppliedInputs(rds).some((input) => Object.values(m.datasets ?? {}).some((d) => d.columns[input] !== undefined && d.columns[input] === r.error.column)));
    const hint = listFor && r.error.line === 1 ? `. Этот столбец можно не добавлять, если указать вторым файлом список «${listFor.title}»` : '';
    return { ok: false, error: { ...r.error, file: only.file, message: `${r.error.message}${hint}` } };
  }
  const supplied = new Set(records.flatMap((t) => suppliedInputs(t.ds)));

  if (only) {
    const detected = detectDataset(m, only.header, supplied);
    const near = nearest.get(only);
    if (!detected.ok && near) return { ok: false, error: { ...near.error, file: only.file } };
    if (!detected.ok) return { ok: false, error: { file: only.file, line: 1, column: detected.missing[0] ?? null, message: detected.message } };
    const ds = (m.datasets ?? {})[detected.id] as DatasetDef;
    const read = readEntities(m, ds, only.header, only.rows, supplied);
    if (!read.ok) return { ok: false, error: { ...read.error, file: only.file } };
    const rowByLine = new Map(only.rows.map((r) => [r.line, r]));
    const index = { inn: new Map<string, Entity>(), number: new Map<string, Entity>(), name: new Map<string, Entity>() };
    const rds = (records[0] as RecordTable).ds;
    for (const e of read.entities) {
      const k = orgKeysOf(e, only.header, rowByLine.get(e.line), rds);
      if (k.inn) index.inn.set(k.inn, e);
      if (k.number) index.number.set(k.number, e);
      if (k.name) index.name.set(k.name, e);
    }
    // The key each record is matched by (ИНН, else number, else name), normalised once per record.
    const keys = new WeakMap<RecordRow, { by: keyof Key; key: string | null }>();
    const keyOf = (r: RecordRow) => {
      let k = keys.get(r);
      if (!k) {
        const inn = r.org.inn && index.inn.size ? normaliseInn(r.org.inn) : null;
        const number = !inn && r.org.number && index.number.size ? numberKey(r.org.number) : null;
        k = inn ? { by: 'inn', key: inn } : number ? { by: 'number', key: number } : { by: 'name', key: r.org.name ? normaliseName(r.org.name) : null };
        keys.set(r, k);
      }
      return k;
    };
    const matchedBy = (r: RecordRow): keyof Key => keyOf(r).by;
    const match = (_t: RecordTable, r: RecordRow): Entity | null => {
      const { by, key } = keyOf(r);
      return key ? (index[by].get(key) ?? null) : null;
    };
    const s = supplyFor(records, read.entities, match, matchedBy, only.file);
    if (!s.ok) return s;
    return { ok: true, output: computeEntities(c, detected.id, ds, read.entities, staticLint, s.supply, opts) };
  }

  // Record lists alone: the organisations are those the records name (by ИНН, else number, else name).
  const entities: Entity[] = [];
  const byKey = new Map<string, Entity>();
  const first = records[0] as RecordTable;
  const keyText = (r: RecordRow) => {
    const k = recordKey(r);
    return k.inn ? `inn:${k.inn}` : k.number ? `no:${k.number}` : `name:${k.name ?? ''}`;
  };
  for (const t of records)
    for (const r of t.records) {
      const k = keyText(r);
      if (!byKey.has(k)) {
        const e: Entity = { key: r.org.name ?? r.org.inn ?? r.org.number ?? k, line: r.line, attributes: {}, values: {}, evidence: {}, scores: {}, published: {} };
        byKey.set(k, e);
        entities.push(e);
      }
    }
  const s = supplyFor(records, entities, (_t, r) => byKey.get(keyText(r)) ?? null, () => 'name', null);
  if (!s.ok) return s;
  const pseudo: DatasetDef = { title: first.ds.title, unit: 'organisation', key: first.ds.organisation.name ?? first.ds.organisation.inn ?? '', columns: {}, indicators: first.ds.indicators ?? [] };
  return { ok: true, output: computeEntities(c, first.id, pseudo, entities, staticLint, s.supply, opts) };
}

/** A record list whose records are already matched to organisations (a campaign: matched on import, with the analyst's
 * resolutions), keyed by the entity key of the organisation table (the organisation's short name). */
export interface MatchedRecordList {
  id: string;
  ds: RecordDatasetDef;
  file: string;
  headerLine: number;
  skipped: { line: number; reason: string }[];
  records: { entityKey: string; record: RecordRow }[];
}

/** A table of organisations completed by matched record lists: the inputs the lists supply may be absent from the
 * table, and are counted per organisation exactly as `computeTables` counts the files of `msoko compute` (the same
 * `supplyFor`, aggregations and explanations). Records of organisations not in the table are left out. */
export function computeTableWithRecords(c: Compiled, header: readonly string[], rows: readonly TableRow[], lists: readonly MatchedRecordList[], staticLint: LintItem[] = []): { ok: true; output: ComputeOutput<CountedRecords> } | TablesFailure {
  const read = readCompletedTable(c, header, rows, lists);
  if (!read.ok) return read;
  const { dsId, ds } = read;
  const byKey = new Map(read.entities.map((e) => [e.key, e]));
  const entityOf = new WeakMap<RecordRow, Entity>();
  const tables: RecordTable[] = lists.map((l) => {
    const records: RecordRow[] = [];
    for (const { entityKey, record } of l.records) {
      const e = byKey.get(entityKey);
      if (!e) continue;
      entityOf.set(record, e);
      records.push(record);
    }
    return { file: l.file, id: l.id, ds: l.ds, located: { headerLine: l.headerLine, header: [], rows: [], skipped: l.skipped }, records };
  });
  const s = supplyFor(tables, read.entities, (_t, r) => entityOf.get(r) ?? null, () => 'name', null);
  if (!s.ok) return s;
  return { ok: true, output: computeEntities(c, dsId, ds, read.entities, staticLint, s.supply) };
}

/** The table of organisations that matched record lists complete: its dataset detected and its rows read, the inputs
 * the lists supply allowed to be absent. */
export function readCompletedTable(c: Compiled, header: readonly string[], rows: readonly TableRow[], lists: readonly { ds: RecordDatasetDef }[]): { ok: true; dsId: string; ds: DatasetDef; entities: Entity[] } | TablesFailure {
  const m = c.methodology;
  const supplied = new Set(lists.flatMap((l) => suppliedInputs(l.ds)));
  const detected = detectDataset(m, header, supplied);
  if (!detected.ok) return { ok: false, error: { file: '', line: 1, column: detected.missing[0] ?? null, message: detected.message } };
  const ds = (m.datasets ?? {})[detected.id] as DatasetDef;
  const read = readEntities(m, ds, header, rows, supplied);
  if (!read.ok) return { ok: false, error: { ...read.error, file: '' } };
  return { ok: true, dsId: detected.id, ds, entities: read.entities };
}
