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
import { sql, type Kysely } from 'kysely';
import type { DimensionalRow } from '../../core/rules/dimensional.ts';
import type { FieldValue } from '../../core/rules/check.ts';
import type { Database, SubmissionStatus } from '../../db/schema.ts';
import { visibleValueRow } from '../../db/value-rows.ts';
import type { ResultsBasis } from './campaign-results.ts';
import { withoutJit } from './without-jit.ts';

/** The submission statuses on a basis (as `campaignParticipants`' `included`); null: every participant. */
function statusesOn(basis: ResultsBasis): SubmissionStatus[] | null {
  return basis === 'all' ? null : basis === 'accepted' ? ['accepted'] : ['submitted', 'accepted'];
}

/** The campaign's organisations on the basis (and in the municipality), as `campaignParticipants(…).filter(included)`:
 * id and short name, ordered by number and id. */
export async function workParticipants(db: Kysely<Database>, campaignId: string, basis: ResultsBasis, municipalityId: string | null): Promise<{ id: string; name: string }[]> {
  const statuses = statusesOn(basis);
  const rows = await db
    .selectFrom('campaign_organisations as co')
    .innerJoin('organisations as o', 'o.id', 'co.organisation_id')
    .$if(statuses !== null, (q) =>
      q.innerJoin('submissions as s', (j) => j.onRef('s.campaign_id', '=', 'co.campaign_id').onRef('s.organisation_id', '=', 'co.organisation_id')).where('s.status', 'in', statuses as SubmissionStatus[]),
    )
    .select(['o.id', 'o.short_name'])
    .where('co.campaign_id', '=', campaignId)
    .$if(municipalityId !== null, (q) => q.where('o.municipality_id', '=', municipalityId as string))
    .orderBy('o.no')
    .orderBy('o.id')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.short_name }));
}

/** The current inputs of one work (its dimension values as stored) per organisation: one row each, values without
 * evidence — `currentDimensionalRows(db, campaignId, [JSON.stringify(dims)])`, read as one text. */
export async function workRows(db: Kysely<Database>, campaignId: string, dims: Readonly<Record<string, string>>): Promise<Map<string, DimensionalRow[]>> {
  const work = JSON.stringify(dims);
  const read = await withoutJit(db, (d) =>
    sql<{ dims: Record<string, string>; rows: string | null }>`
      select ${work}::jsonb as dims, '[' || string_agg('["' || organisation_id::text || '",' || v::text || ']', ',' order by organisation_id, id) || ']' as rows from (
        select vr.id, vr.organisation_id, vr."values" as v from value_rows vr
        where vr.campaign_id = ${campaignId}::uuid and vr.dimensions = ${work}::jsonb and ${visibleValueRow('vr')}
        union all
        select vh.id, vh.organisation_id, jsonb_build_object(vh.input, vh.value) as v from value_history vh
        where vh.campaign_id = ${campaignId}::uuid and vh.dimensions = ${work}::jsonb and ${visibleValueRow('vh')}) cur`.execute(d),
  );
  const text = read.rows[0]?.rows ?? null;
  const out = new Map<string, DimensionalRow[]>();
  if (text === null) return out;
  // The dimension values as the database gives them back (jsonb's order of keys), as the rows of that work carry them.
  const dimensions = read.rows[0]?.dims as Record<string, string>;
  // Each organisation's rows come together in id order: fold them into its first row's object (parsed here, no one
  // else's), then wrap the values.
  let org: string | null = null;
  let merged: Record<string, FieldValue> = {};
  const flush = () => {
    if (org === null) return;
    const values: DimensionalRow['values'] = {};
    for (const input in merged) values[input] = { value: merged[input] ?? null, evidenceUrl: null };
    out.set(org, [{ dimensions: { ...dimensions }, values }]);
  };
  for (const [id, v] of JSON.parse(text) as [string, Record<string, FieldValue>][]) {
    if (id !== org) {
      flush();
      org = id;
      merged = v;
    } else Object.assign(merged, v);
  }
  flush();
  return out;
}
