/** What the analysis of one work (dimensional-work.ts) reads from the database, and nothing more (issue 22, «analysis
 * query p95 < 100 ms»):
 * - `workParticipants`: the organisations on the basis — exactly those `campaignParticipants` marks `included`, in its
 *   order (number, id) — with their registry id and short name only, the basis applied in SQL;
 * - `workRows`: the current inputs of each organisation in one work, as `currentDimensionalRows` gives them for that
 *   work. The same rows of both logs (`value_rows` and the forms' `value_history`, visible, the work's dimension values,
 *   the index of migration 0022) are folded in id order, a later row overriding an earlier one per input — what
 *   `jsonb_merge(v order by id)` does in `mergedDimensionalInputsSql` — but in this process, over one text value the
 *   database writes for the whole work: PGlite's per-row protocol decoding and per-value JSON parsing were most of the
 *   read (3 000 rows of 23 inputs), and the fold in SQL needs a sort per group. Ids come from one sequence for both logs
 *   (migration 0020), so the order is the same. Read-only. */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DimensionalRow } from '../../core/rules/dimensional.ts';
import type { FieldValue } from '../../core/rules/check.ts';
import type { Database, SubmissionStatus } from '../../db/schema.ts';
import { visibleValueRow } from '../../db/value-rows.ts';
import type { ResultsBasis } from './basis.ts';
import { withoutJit } from './without-jit.ts';

/** The submission statuses on a basis (as `campaignParticipants`' `included`); null: every participant. */
function statusesOn(basis: ResultsBasis): SubmissionStatus[] | null {
  return basis === 'all' ? null : basis === 'accepted' ? ['accepted'] : ['submitted', 'accepted'];
}

/** The campaign's organisations on the basis (and in the municipality): registry id, short name and number. */
function participantsQuery(db: Kysely<Database>, campaignId: string, basis: ResultsBasis, municipalityId: string | null) {
  const statuses = statusesOn(basis);
  return db
    .selectFrom('campaign_organisations as co')
    .innerJoin('organisations as o', 'o.id', 'co.organisation_id')
    .$if(statuses !== null, (q) =>
      q.innerJoin('submissions as s', (j) => j.onRef('s.campaign_id', '=', 'co.campaign_id').onRef('s.organisation_id', '=', 'co.organisation_id')).where('s.status', 'in', statuses as SubmissionStatus[]),
    )
    .select(['o.id', 'o.short_name', 'o.no'])
    .where('co.campaign_id', '=', campaignId)
    .$if(municipalityId !== null, (q) => q.where('o.municipality_id', '=', municipalityId as string));
}

/** The campaign's organisations on the basis (and in the municipality), as `campaignParticipants(…).filter(included)`:
 * id and short name, ordered by number and id. */
export async function workParticipants(db: Kysely<Database>, campaignId: string, basis: ResultsBasis, municipalityId: string | null): Promise<{ id: string; name: string }[]> {
  const rows = await participantsQuery(db, campaignId, basis, municipalityId).orderBy('o.no').orderBy('o.id').execute();
  return rows.map((r) => ({ id: r.id, name: r.short_name }));
}

/** The digest of `workParticipants`' list without reading it: the MD5 (hex) of `id|name` lines in its order, joined by
 * newlines — what `participantsDigest` computes from the list. */
export function participantsDigestSql(db: Kysely<Database>, campaignId: string, basis: ResultsBasis, municipalityId: string | null) {
  return db
    .selectFrom(participantsQuery(db, campaignId, basis, municipalityId).as('p'))
    .select(sql<string>`md5(coalesce(string_agg(p.id::text || '|' || p.short_name, E'\n' order by p.no, p.id), ''))`.as('digest'));
}

/** The same digest of a list `workParticipants` gave. */
export function participantsDigest(orgs: readonly { id: string; name: string }[]): string {
  return createHash('md5').update(orgs.map((o) => `${o.id}|${o.name}`).join('\n'), 'utf8').digest('hex');
}

/** A read's values as the forms' rows hold them (`{ value, evidenceUrl: null }`), one frozen object per distinct value:
 * the rows of a work repeat their region's and municipality's figures (14 of a ВПР row's 23 inputs) and the shares
 * and counts take few values, so a year's 144 000 rows are some thousands of objects instead of 3,3 million for the
 * collector to trace while they are read and computed. */
export function valueWrappers(): (value: FieldValue) => DimensionalRow['values'][string] {
  const seen = new Map<FieldValue, DimensionalRow['values'][string]>();
  return (value) => {
    let w = seen.get(value);
    if (!w) seen.set(value, (w = Object.freeze({ value, evidenceUrl: null })));
    return w;
  };
}

/** Works (dimension values as JSON texts) as an SQL `jsonb[]`, for `dimensions = any(…)` by the index of migration 0022. */
export function worksArray(works: readonly string[]) {
  return works.length ? sql`array[${sql.join(works.map((w) => sql`${w}::jsonb`))}]` : sql`array[]::jsonb[]`;
}

/** The current inputs of one work (its dimension values as stored) per organisation: one row each, values without
 * evidence — `currentDimensionalRows(db, campaignId, [JSON.stringify(dims)])`, read as one text. */
export function workRows(db: Kysely<Database>, campaignId: string, dims: Readonly<Record<string, string>>): Promise<Map<string, DimensionalRow[]>> {
  return worksRows(db, campaignId, [JSON.stringify(dims)]);
}

/** The same for several works (dimension values as JSON texts; an open selection, dimensional-selection.ts): an
 * organisation's rows in the order of `currentDimensionalRows` (organisations by id, their rows by dimension values as
 * the database orders jsonb). Read work by work (the event loop runs after each query, src/db/connection.ts): «по всем
 * предметам» of a grade is 8 works of 3 000 schools, and one read of them all was a stretch of seconds nobody else was
 * served in. */
export async function worksRows(db: Kysely<Database>, campaignId: string, works: readonly string[]): Promise<Map<string, DimensionalRow[]>> {
  if (works.length <= 1) return readWorks(db, campaignId, works);
  const ordered = await sql<{ d: string }>`select d::text as d from unnest(${worksArray(works)}) d order by d`.execute(db);
  const parts: Map<string, DimensionalRow[]>[] = [];
  for (const w of ordered.rows) parts.push(await readWorks(db, campaignId, [w.d]));
  // As one read orders them: organisations by id (uuid order is the order of their lower-case text), then by work.
  const orgs = new Set<string>();
  for (const p of parts) for (const org of p.keys()) orgs.add(org);
  const out = new Map<string, DimensionalRow[]>();
  for (const org of [...orgs].sort()) {
    const rows: DimensionalRow[] = [];
    for (const p of parts) for (const r of p.get(org) ?? []) rows.push(r);
    out.set(org, rows);
  }
  return out;
}

/** The rows of the works in one read (one text). */
async function readWorks(db: Kysely<Database>, campaignId: string, works: readonly string[]): Promise<Map<string, DimensionalRow[]>> {
  const out = new Map<string, DimensionalRow[]>();
  if (!works.length) return out;
  const list = worksArray(works);
  const read = await withoutJit(db, (d) =>
    sql<{ rows: string | null }>`
      select '[' || string_agg('["' || organisation_id::text || '",' || dimensions::text || ',' || v::text || ']', ',' order by organisation_id, dimensions, id) || ']' as rows from (
        select vr.id, vr.organisation_id, vr.dimensions, vr."values" as v from value_rows vr
        where vr.campaign_id = ${campaignId}::uuid and vr.dimensions = any(${list}) and ${visibleValueRow('vr')}
        union all
        select vh.id, vh.organisation_id, vh.dimensions, jsonb_build_object(vh.input, vh.value) as v from value_history vh
        where vh.campaign_id = ${campaignId}::uuid and vh.dimensions = any(${list}) and ${visibleValueRow('vh')}) cur`.execute(d),
  );
  const text = read.rows[0]?.rows ?? null;
  if (text === null) return out;
  // Each organisation × work's rows come together in id order: fold them into its first row's object (parsed here, no
  // one else's), then wrap the values. The dimension values are as the database gives them back (jsonb's key order).
  let org: string | null = null;
  let key = '';
  let dimensions: Record<string, string> = {};
  let merged: Record<string, FieldValue> = {};
  const wrap = valueWrappers();
  const flush = () => {
    if (org === null) return;
    const values: DimensionalRow['values'] = {};
    for (const input in merged) values[input] = wrap(merged[input] ?? null);
    const row = { dimensions, values };
    const rows = out.get(org);
    if (rows) rows.push(row);
    else out.set(org, [row]);
  };
  for (const [id, dims, v] of JSON.parse(text) as [string, Record<string, string>, Record<string, FieldValue>][]) {
    const k = JSON.stringify(dims);
    if (id !== org || k !== key) {
      flush();
      org = id;
      key = k;
      dimensions = dims;
      merged = v;
    } else Object.assign(merged, v);
  }
  flush();
  return out;
}

/** The works (dimension values as JSON texts) with a row in either log of the campaign whose chosen dimensions match
 * the selection (null: any value): the index of migration 0022 lists them without reading values — a skip scan, one
 * index probe per work (`dimensions > the previous one … limit 1`), not a walk over every row of the campaign (144 000
 * of a ВПР year); the rows' visibility is left to their read. */
export async function selectionWorks(db: Kysely<Database>, campaignId: string, sel: Readonly<Record<string, string | null>>): Promise<string[]> {
  const skip = (t: 'value_rows' | 'value_history') => sql`
    select d from (with recursive w(d) as (
      (select dimensions from ${sql.table(t)} where campaign_id = ${campaignId}::uuid and dimensions is not null order by dimensions limit 1)
      union all
      select (select v.dimensions from ${sql.table(t)} v where v.campaign_id = ${campaignId}::uuid and v.dimensions is not null and v.dimensions > w.d order by v.dimensions limit 1)
      from w where w.d is not null)
    select d from w where d is not null) ${sql.raw(t === 'value_rows' ? 'vr' : 'vh')}`;
  const rows = await sql<{ d: Record<string, string> }>`${skip('value_rows')} union ${skip('value_history')}`.execute(db);
  return rows.rows.filter((r) => Object.entries(sel).every(([k, v]) => v === null || r.d[k] === v)).map((r) => JSON.stringify(r.d));
}
