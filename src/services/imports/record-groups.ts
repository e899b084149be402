/** The groups of a record list (issue 21, scale; the pure counting from them is src/core/methodology/record-groups.ts):
 * per organisation × the values of the compared fields, the number of records, the first line, per field summed or
 * averaged its sum, number of values and — with ≤ 12 values, in a group the filters count — [line, value], per
 * `distinct_count` field its distinct values. One query gives them as one compact JSON text: the compared values once
 * (each group names them by index), the groups of an organisation in one array; no object per record.
 * - `formRecordGroups`: the apply stores that text once, in its transaction, for the records it has just written
 *   (`campaign_record_groups`, migration 0021), under the hash of what the grouping depends on (`groupsDefinitionHash`);
 * - `recordGroupsOf`: a recompute reads the stored text for the list and the campaign's definition (one row, one
 *   JSON.parse), or forms the groups live (`loadRecordGroups`: lists applied before 0021, another definition). */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { RecordValue } from '../../core/methodology/record-dataset.ts';
import { comparedFields, groupedFields, type RecordGroup } from '../../core/methodology/record-groups.ts';
import type { RecordDatasetDef } from '../../core/methodology/schema.ts';
import type { Database } from '../../db/schema.ts';

/** The layout of the stored text; a change of the query's output must change it (stored groups then read as absent). */
const FORMAT = 'groups-1';

/** How many times the groups were read from storage or formed live in this process (tests see which path ran), and
 * how long the last apply's forming took (the bench prints it). */
export const recordGroupStats = { stored: 0, live: 0, lastFormedMs: 0 };

const numericOf = (ds: RecordDatasetDef) => (f: string) => ds.fields[f]?.type === 'integer' || ds.fields[f]?.type === 'number';

/** sha-256 of everything the groups of a list depend on besides its records: the compared, summed and distinct fields,
 * their types, the filters (the terms are listed only in groups the filters count) and the text's layout. */
export function groupsDefinitionHash(ds: RecordDatasetDef): string {
  const keys = comparedFields(ds);
  const { numbers, distinct } = groupedFields(ds);
  const types = [...new Set([...keys, ...numbers, ...distinct])].map((f) => [f, ds.fields[f]?.type ?? null]);
  return createHash('sha256').update(JSON.stringify([FORMAT, keys, numbers, distinct, types, ds.filters ?? []])).digest('hex');
}

/** The query giving the list's groups as one JSON text (column `t`). Values are read as `loadRecordsForCounting` reads
 * them (`fields->>…`, numbers cast as declared), each field once per record. */
function groupsQuery(listId: RawBuilder<unknown> | string, ds: RecordDatasetDef): RawBuilder<{ t: string | null }> {
  const keys = comparedFields(ds);
  const { numbers, distinct } = groupedFields(ds);
  const numeric = numericOf(ds);
  const used = [...new Set([...keys, ...numbers, ...distinct])];
  const col = (f: string) => sql.ref(`r.v${used.indexOf(f)}`);
  const read = used.map((f, i) => sql`${numeric(f) ? sql`(fields->>${f})::numeric` : sql`fields->>${f}`} as ${sql.id(`v${i}`)}`);
  // The filters' test of a record (conditionHolds: the value's text, '' for none), where it can be written in SQL
  // (text values); a number's text may differ from JavaScript's, so a filter on a number is left to the core.
  const holds = (ds.filters ?? []).filter((c) => !numeric(c.field)).map((c) => sql`coalesce(fields->>${c.field}, '') ${c.in ? sql`in` : sql`not in`} (${sql.join(c.in ?? c.not_in ?? [])})`);
  const inner = [
    sql`r.o`, ...keys.map((f, i) => sql`${col(f)} as ${sql.id(`k${i}`)}`), sql`count(*)::int as n`, sql`min(r.line) as f`,
    // Terms unordered: the core puts them in file order (≤ 12 per group).
    ...numbers.flatMap((f, i) => [
      sql`sum(${col(f)}) as ${sql.id(`s${i}`)}`, sql`count(${col(f)})::int as ${sql.id(`c${i}`)}`,
      sql`case when count(${col(f)}) <= 12 then json_agg(json_build_array(r.line, ${col(f)})) filter (where ${col(f)} is not null and r.counted) end as ${sql.id(`t${i}`)}`,
    ]),
    ...distinct.map((f, i) => sql`json_agg(distinct ${col(f)}) filter (where ${col(f)} is not null) as ${sql.id(`d${i}`)}`),
  ];
  const ranks = keys.map((_, i) => sql`dense_rank() over (order by ${sql.ref(`k${i}`)}) - 1 as ${sql.id(`i${i}`)}`);
  const row = [...keys.map((_, i) => sql.ref(`z.i${i}`)), sql`z.n`, sql`z.f`, ...numbers.flatMap((_, i) => [sql.ref(`z.s${i}`), sql.ref(`z.c${i}`), sql.ref(`z.t${i}`)]), ...distinct.map((_, i) => sql.ref(`z.d${i}`))];
  const dictionaries = keys.map((_, i) => sql`(select json_agg(x.k order by x.k) from (select distinct ${sql.ref(`k${i}`)} as k from g) x)`);
  return sql<{ t: string | null }>`
    with g as (
      select ${sql.join(inner)} from (
        select ${sql.join([sql`organisation_id as o`, sql`line`, ...read, sql`${holds.length ? sql.join(holds, sql` and `) : sql`true`} as counted`])}
        from campaign_records where list_id = ${listId}) r
      group by ${sql.join([sql`r.o`, ...keys.map((_, i) => sql.ref(`k${i}`))])})
    select json_build_array(json_build_array(${sql.join([sql`0`, ...dictionaries])}),
      (select json_agg(json_build_array(y.o, y.gs)) from (
        select z.o, json_agg(json_build_array(${sql.join(row)})) as gs from (select ${sql.join([sql`g.*`, ...ranks])} from g) z group by z.o) y))::text as t`;
}

/** The groups per organisation from the query's JSON text. */
function parseGroups(text: string | null, ds: RecordDatasetDef): Map<string, RecordGroup[]> {
  const keys = comparedFields(ds);
  const { numbers, distinct } = groupedFields(ds);
  const [dicts, orgs] = JSON.parse(text ?? '[[0],null]') as [[0, ...RecordValue[][]], [string, unknown[][]][] | null];
  const values = dicts.slice(1) as RecordValue[][];
  const out = new Map<string, RecordGroup[]>();
  // One keys object per combination of compared values, shared by the groups that have it.
  const keyObjects = new Map<string, Record<string, RecordValue>>();
  const n0 = keys.length;
  const d0 = n0 + 2 + numbers.length * 3;
  for (const [org, gs] of orgs ?? []) {
    out.set(org, gs.map((g): RecordGroup => {
      const id = g.slice(0, n0).join(',');
      let k = keyObjects.get(id);
      if (!k) keyObjects.set(id, (k = Object.fromEntries(keys.map((f, i) => [f, (values[i] as RecordValue[])[g[i] as number] ?? null]))));
      const nums: RecordGroup['numbers'] = {};
      numbers.forEach((f, i) => (nums[f] = { sum: Number(g[n0 + 2 + i * 3] ?? 0), count: g[n0 + 3 + i * 3] as number, terms: (g[n0 + 4 + i * 3] ?? null) as [number, number][] | null }));
      const dist: RecordGroup['distinct'] = {};
      distinct.forEach((f, i) => (dist[f] = (g[d0 + i] ?? []) as RecordValue[]));
      return { keys: k, n: g[n0] as number, first: g[n0 + 1] as number, numbers: nums, distinct: dist };
    }));
  }
  return out;
}

/** The groups of a list formed live from its records (the database groups 100 000 jsonb rows: ~0,2–0,7 s). */
export async function loadRecordGroups(db: Kysely<Database>, listId: string, ds: RecordDatasetDef): Promise<Map<string, RecordGroup[]>> {
  const r = await groupsQuery(listId, ds).execute(db);
  return parseGroups(r.rows[0]?.t ?? null, ds);
}

/** The groups stored for the list under the dataset's definition, or null when there are none (`recordGroupsOf`). */
export async function storedRecordGroups(db: Kysely<Database>, listId: string, ds: RecordDatasetDef): Promise<Map<string, RecordGroup[]> | null> {
  const r = await sql<{ t: string }>`select groups::text as t from campaign_record_groups where list_id = ${listId} and definition_hash = ${groupsDefinitionHash(ds)}`.execute(db);
  const row = r.rows[0];
  return row ? parseGroups(row.t, ds) : null;
}

/** The groups of a list for counting: stored when the apply formed them with this definition, else formed live. */
export async function recordGroupsOf(db: Kysely<Database>, listId: string, ds: RecordDatasetDef): Promise<Map<string, RecordGroup[]>> {
  const stored = await storedRecordGroups(db, listId, ds);
  if (stored) {
    recordGroupStats.stored++;
    return stored;
  }
  recordGroupStats.live++;
  return loadRecordGroups(db, listId, ds);
}

/** Stores the groups of a list just written (in the apply's transaction): one `insert … select … group by` over its
 * records, under the definition's hash. */
export async function formRecordGroups(trx: Kysely<Database>, listId: string, ds: RecordDatasetDef): Promise<void> {
  const t0 = performance.now();
  await sql`insert into campaign_record_groups (list_id, definition_hash, groups)
    select ${listId}::uuid, ${groupsDefinitionHash(ds)}, q.t::json from (${groupsQuery(sql`${listId}::uuid`, ds)}) q`.execute(trx);
  recordGroupStats.lastFormedMs = performance.now() - t0;
}
