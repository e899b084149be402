/** Counting a record list from its groups instead of its records (issue 21, the recompute of a campaign with a
 * 100 000-row list): the database groups an organisation's records by the values of the fields counting compares
 * (filters, `group_by`, `where`) and gives per group the number of records, the sum and number of values of each
 * field summed or averaged (with the values themselves, in file order, only where an explanation may list them: ≤ 12),
 * and the distinct values of each `distinct_count` field. `aggregateRecordGroups` gives exactly what `aggregateRecords`
 * (record-dataset.ts) gives for the same records — the values and explanation texts, and the number of records behind
 * each input instead of their lines; record-groups.test.ts checks that on random datasets and lists.
 * Exact for sums of whole numbers (a group's sum is the database's); `groupsExact` says whether a dataset qualifies.
 * Pure. */
import { conditionHolds, excludedByOf, writeCounted, type CountedInput, type RecordValue } from './record-dataset.ts';
import type { RecordAggregationDef, RecordDatasetDef } from './schema.ts';

/** The records of one organisation that share the values of the compared fields. Positions order records within the
 * organisation (the line in the file; several organisations under one name: the later one's lines after the earlier's). */
export interface RecordGroup {
  /** The values of the compared fields (`comparedFields`) shared by the group's records. */
  keys: Record<string, RecordValue>;
  /** Number of records. */
  n: number;
  /** Position of the group's first record. */
  first: number;
  /** Per field summed or averaged: the sum and the number of its non-empty values; with ≤ 12 values, [position, value]
   * of each, in any order (null otherwise; may be null too in a group the filters leave out: never listed). */
  numbers: Record<string, { sum: number; count: number; terms: [number, number][] | null }>;
  /** Per `distinct_count` field: its distinct non-empty values. */
  distinct: Record<string, RecordValue[]>;
}

/** A counted input as `aggregateRecords` gives it, with the number of records behind it instead of their lines. */
export type GroupCountedInput = Omit<CountedInput, 'lines'> & { records: number };

/** The fields whose values split the records into groups: those of the filters, `group_by` and `where`. */
export function comparedFields(ds: RecordDatasetDef): string[] {
  const out = new Set<string>();
  for (const c of ds.filters ?? []) out.add(c.field);
  for (const a of ds.aggregations) {
    if (a.group_by) out.add(a.group_by);
    for (const c of a.where ?? []) out.add(c.field);
  }
  return [...out].filter((f) => ds.fields[f] !== undefined);
}

/** The fields summed or averaged (`numbers` of a group) and counted distinct (`distinct`). */
export function groupedFields(ds: RecordDatasetDef): { numbers: string[]; distinct: string[] } {
  const numbers = new Set<string>();
  const distinct = new Set<string>();
  for (const a of ds.aggregations) {
    if (!a.field || ds.fields[a.field] === undefined) continue;
    if (a.method === 'sum' || a.method === 'mean') numbers.add(a.field);
    if (a.method === 'distinct_count') distinct.add(a.field);
  }
  return { numbers: [...numbers], distinct: [...distinct] };
}

/** Whether counting from groups gives exactly the records' figures: every field summed or averaged holds whole numbers
 * (a sum of fractions depends on the order of the additions; the records are added in file order). */
export function groupsExact(ds: RecordDatasetDef): boolean {
  return groupedFields(ds).numbers.every((f) => ds.fields[f]?.type === 'integer');
}

const EMPTY = { sum: 0, count: 0, terms: [] as [number, number][] };

/** One aggregation over the groups of one organisation (all of them, the excluded ones included, for the explanation). */
function aggregateOne(ds: RecordDatasetDef, a: RecordAggregationDef, input: string, all: readonly RecordGroup[], groupText: string, explain: boolean): GroupCountedInput {
  let rows = 0;
  let countedN = 0;
  const counted: RecordGroup[] = [];
  const excluded: { value: string; first: number; n: number }[] = [];
  for (const g of all) {
    rows += g.n;
    const out = excludedByOf(ds, g.keys);
    if (out === null) {
      counted.push(g);
      countedN += g.n;
      continue;
    }
    const same = excluded.find((x) => x.value === out.value);
    if (same) {
      same.n += g.n;
      same.first = Math.min(same.first, g.first);
    } else excluded.push({ value: out.value, first: g.first, n: g.n });
  }
  excluded.sort((x, y) => x.first - y.first);
  const where = a.where ?? [];
  let hit = 0;
  if (a.method === 'count_where' || a.method === 'share') for (const g of counted) if (where.every((c) => conditionHolds(c, g.keys[c.field] ?? null))) hit += g.n;
  let sum = 0;
  let values = 0;
  let terms: number[] | null = null;
  if (a.method === 'sum' || a.method === 'mean') {
    for (const g of counted) {
      const x = g.numbers[a.field ?? ''] ?? EMPTY;
      sum += x.sum;
      values += x.count;
    }
    // With ≤ 12 values each group carries its terms: merged in file order.
    if (values > 0 && values <= 12) terms = counted.flatMap((g) => (g.numbers[a.field ?? ''] ?? EMPTY).terms ?? []).sort((p, q) => p[0] - q[0]).map(([, x]) => x);
  }
  const seen = new Set<string>();
  if (a.method === 'distinct_count') for (const g of counted) for (const v of g.distinct[a.field ?? ''] ?? []) if (v !== null && v !== undefined) seen.add(String(v));
  const t = writeCounted(ds, a, { rows, excluded: new Map(excluded.map((x) => [x.value, x.n])), counted: countedN, hit, sum, values, terms, distinct: seen.size }, groupText, explain);
  return { input, value: t.value, explanation: t.explanation, records: t.rows === 'counted' ? countedN : t.rows === 'hit' ? hit : 0 };
}

/** The inputs one organisation's groups give: each aggregation (each group of a grouped one) → a counted input, as
 * `aggregateRecords` gives them for the records of the groups (with `explain: false`, explanations empty). */
export function aggregateRecordGroups(ds: RecordDatasetDef, groups: readonly RecordGroup[], opts: { explain?: boolean } = {}): Record<string, GroupCountedInput> {
  const explain = opts.explain !== false;
  const out: Record<string, GroupCountedInput> = {};
  for (const a of ds.aggregations) {
    if (a.group_by === undefined || typeof a.into === 'string') {
      const input = typeof a.into === 'string' ? a.into : '';
      if (input) out[input] = aggregateOne(ds, a, input, groups, '', explain);
      continue;
    }
    const groupField = a.group_by;
    const column = ds.fields[groupField]?.column ?? groupField;
    const byValue = new Map<string, RecordGroup[]>(Object.keys(a.into).map((value) => [value, []]));
    for (const g of groups) byValue.get(String(g.keys[groupField] ?? ''))?.push(g);
    for (const [value, input] of Object.entries(a.into)) out[input] = aggregateOne(ds, a, input, byValue.get(value) as RecordGroup[], `«${column}» = «${value}»`, explain);
  }
  return out;
}
