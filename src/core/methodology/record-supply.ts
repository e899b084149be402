/** A table of organisations completed by record lists whose records are already matched to its organisations (a
 * campaign: matched on import), counted straight into the supply of inputs (issue 21, the recompute of a campaign).
 * The same figures, explanations, record lines and file summaries as `computeTableWithRecords` (combine.ts), built
 * without its per-record maps (record → file, line → record, record → entity), which made most of a campaign's
 * recompute with a 100 000-row list; record-supply.test.ts checks the two agree on the synthetic Навигатор list.
 * `{ records: false }`: figures only — each counted input without the records behind it (their lines and labels),
 * the same values, explanations and file summaries otherwise (a campaign's recompute: its drill-down reads the records
 * of one organisation apart). `{ explain: false }`: without the texts (`ComputeOptions` in run.ts; the counted inputs'
 * explanations are then not written either). Pure. */
import type { LintItem } from './lint-item.ts';
import type { Compiled } from './evaluate.ts';
import type { MatchedRecordList, TablesFailure } from './combine.ts';
import { labelOf, readCompletedTable } from './combine.ts';
import { aggregateRecords, excludedByOf, suppliedInputs, type CountedInput, type RecordRow } from './record-dataset.ts';
import { aggregateRecordGroups, type RecordGroup } from './record-groups.ts';
import type { TableRow } from './records.ts';
import { computeEntities, type ComputeOptions, type ComputeOutput, type CountedRecords, type RecordFileSummary, type RecordSupply } from './run.ts';

type Computed<R> = { ok: true; output: ComputeOutput<R> } | TablesFailure;
/** A matched list given per entity (a campaign's list in force: its records already grouped by organisation): the
 * records of each entity of the table in file order, the entities in the list's order. */
export type EntityRecordList = Omit<MatchedRecordList, 'records'> & { byEntity: ReadonlyMap<string, readonly RecordRow[]> };
/** A matched list given as the groups of each entity's records (record-groups.ts; figures only: `records: false`), the
 * entities in the list's order. Counted alone: the only list of its dataset. */
export type EntityGroupList = Omit<MatchedRecordList, 'records'> & { groupsByEntity: ReadonlyMap<string, readonly RecordGroup[]> };
type AnyList = MatchedRecordList | EntityRecordList;

/** The records of a list per entity, in the list's order. */
function entries(l: AnyList): Iterable<readonly [string, readonly RecordRow[]]> {
  return 'byEntity' in l ? l.byEntity : l.records.map(({ entityKey, record }) => [entityKey, [record]] as const);
}

export function computeTableWithMatchedRecords(c: Compiled, header: readonly string[], rows: readonly TableRow[], lists: readonly AnyList[], staticLint?: LintItem[], opts?: { records?: true } & ComputeOptions): Computed<CountedRecords>;
export function computeTableWithMatchedRecords(c: Compiled, header: readonly string[], rows: readonly TableRow[], lists: readonly (AnyList | EntityGroupList)[], staticLint: LintItem[], opts: { records: boolean } & ComputeOptions): Computed<unknown>;
export function computeTableWithMatchedRecords(c: Compiled, header: readonly string[], rows: readonly TableRow[], lists: readonly (AnyList | EntityGroupList)[], staticLint: LintItem[] = [], opts: { records?: boolean } & ComputeOptions = {}): Computed<unknown> {
  const withRecords = opts.records !== false;
  const explain = opts.explain !== false;
  const read = readCompletedTable(c, header, rows, lists);
  if (!read.ok) return read;
  const counted: RecordSupply<unknown>['counted'] = new Map();
  const files: RecordFileSummary[] = [];
  // Lists of the same dataset are one list (as combine.ts counts two exports of one system).
  const byDataset = new Map<string, (AnyList | EntityGroupList)[]>();
  for (const l of lists) byDataset.set(l.id, [...(byDataset.get(l.id) ?? []), l]);
  for (const all of byDataset.values()) {
    const first = all[0] as AnyList | EntityGroupList;
    if ('groupsByEntity' in first) {
      if (all.length > 1 || withRecords) throw new Error(`список «${first.id}» по группам записей считается один и без перечня записей`);
      countGroups(first, read.entities, counted, files, explain);
      continue;
    }
    const group = all as AnyList[];
    const ds0 = (group[0] as AnyList).ds;
    const perEntity = new Map<string, RecordRow[]>(read.entities.map((e) => [e.key, []]));
    // The file of each record, when the dataset has several lists (a campaign has one: the list in force).
    const fileOf = group.length > 1 ? new Map<RecordRow, string>() : null;
    for (const l of group) {
      const seen = new Set<string>();
      let rowsOf = 0;
      let countedOf = 0;
      const excluded = new Map<string, number>();
      for (const [entityKey, records] of entries(l)) {
        const list = perEntity.get(entityKey);
        if (!list) continue;
        seen.add(entityKey);
        for (const record of records) {
          list.push(record);
          fileOf?.set(record, l.file);
          if (record.excludedBy) excluded.set(record.excludedBy.value, (excluded.get(record.excludedBy.value) ?? 0) + 1);
          else countedOf++;
        }
        rowsOf += records.length;
      }
      files.push({
        file: l.file, dataset: l.id, title: l.ds.title, headerLine: l.headerLine, rows: rowsOf, counted: countedOf, skipped: l.skipped,
        excluded: [...excluded].map(([value, count]) => ({ value, count })), organisations: seen.size,
      });
    }
    const one = fileOf ? null : (group[0] as AnyList).file;
    for (const e of read.entities) {
      const records = perEntity.get(e.key) ?? [];
      const inputs = aggregateRecords(ds0, records, { explain });
      // Line → record (the last of a line, as combine.ts's map): for the records behind each input and their files.
      const byLine = fileOf || withRecords ? new Map<number, RecordRow>() : null;
      if (byLine) for (const r of records) byLine.set(r.line, r);
      const entry = counted.get(e.key) ?? {};
      for (const [input, ci] of Object.entries(inputs)) {
        const recs = byLine ? ci.lines.map((line) => byLine.get(line) as RecordRow) : null;
        const file = one !== null ? (ci.lines.length ? one : '') : [...new Set((recs as RecordRow[]).map((r) => fileOf?.get(r) ?? ''))].join(', ');
        const detail: CountedInput & { file: string } & Partial<CountedRecords> = { ...ci, file };
        if (withRecords) detail.records = (recs as RecordRow[]).map((r) => ({ line: r.line, label: labelOf(ds0, r) }));
        entry[input] = detail;
      }
      counted.set(e.key, entry);
    }
  }
  const indicators = [...new Set(lists.flatMap((l) => l.ds.indicators ?? []))];
  const inputs = [...new Set(lists.flatMap((l) => suppliedInputs(l.ds)))];
  return { ok: true, output: computeEntities<unknown>(c, read.dsId, read.ds, read.entities, staticLint, { counted, indicators, inputs, files }, { explain }) };
}

/** The supply of one list given as groups: the same file summary and counted inputs (without the records behind them)
 * as the records of the groups give above. */
function countGroups(l: EntityGroupList, entities: readonly { key: string }[], counted: RecordSupply<unknown>['counted'], files: RecordFileSummary[], explain: boolean): void {
  const inTable = new Set(entities.map((e) => e.key));
  let rowsOf = 0;
  let countedOf = 0;
  let seen = 0;
  const excluded = new Map<string, number>();
  for (const [entityKey, groups] of l.groupsByEntity) {
    if (!inTable.has(entityKey)) continue;
    seen++;
    // In file order (the first record of each group), as the records are.
    for (const g of [...groups].sort((a, b) => a.first - b.first)) {
      rowsOf += g.n;
      const out = excludedByOf(l.ds, g.keys);
      if (out) excluded.set(out.value, (excluded.get(out.value) ?? 0) + g.n);
      else countedOf += g.n;
    }
  }
  files.push({
    file: l.file, dataset: l.id, title: l.ds.title, headerLine: l.headerLine, rows: rowsOf, counted: countedOf, skipped: l.skipped,
    excluded: [...excluded].map(([value, count]) => ({ value, count })), organisations: seen,
  });
  for (const e of entities) {
    const inputs = aggregateRecordGroups(l.ds, l.groupsByEntity.get(e.key) ?? [], { explain });
    const entry = counted.get(e.key) ?? {};
    // No lines: the engine shows a counted input's value, explanation and file (run.ts presentCounted).
    for (const [input, ci] of Object.entries(inputs)) entry[input] = { input, value: ci.value, explanation: ci.explanation, file: ci.records ? l.file : '' } as CountedInput & { file: string };
    counted.set(e.key, entry);
  }
}
