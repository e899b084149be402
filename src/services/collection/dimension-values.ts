/** Current values of per-dimension inputs (issue 22, migration 0017): the latest visible `value_history` row per
 * organisation × input × dimension values (`dimensions is not null`), grouped into one row per organisation ×
 * subject × grade. The ordinary values (`dimensions is null`) are read by `currentValuesOfCampaign` (campaigns.ts). */
import { sql, type Kysely } from 'kysely';
import { currentDimensionalRows } from '../analysis/campaign-dimensional.ts';
import { visibleValueRow } from '../../db/value-rows.ts';
import { dimensionsKey, type DimensionalRow, type DimensionValues } from '../../core/rules/dimensional.ts';
import type { CurrentValue } from '../../core/rules/check.ts';
import type { Database, ValueSource } from '../../db/schema.ts';

export type StoredValue = CurrentValue & { at: Date; actorLogin: string | null; source: ValueSource; sourceRef: string | null };
export interface StoredRow extends DimensionalRow { values: Record<string, StoredValue> }

/** A current value as the forms show it, from its `value_history_visible` row (ordinary and per-dimension alike). */
export function storedValue(r: { value: unknown; evidence_url: string | null; at: Date | string; actor_login: string | null; source: ValueSource; source_ref: string | null }): StoredValue {
  return {
    value: (r.value ?? null) as CurrentValue['value'],
    evidenceUrl: r.evidence_url,
    at: new Date(r.at),
    actorLogin: r.actor_login,
    source: r.source,
    sourceRef: r.source_ref,
  };
}

/** Per organisation: its rows (one per dimension values), in the order first seen. */
export async function currentDimensionalValues(db: Kysely<Database>, campaignId: string, organisationId?: string): Promise<Map<string, StoredRow[]>> {
  let q = db
    .selectFrom('value_history_visible')
    .distinctOn(['organisation_id', 'input', 'dimensions'])
    .select(['organisation_id', 'input', 'dimensions', 'value', 'evidence_url', 'at', 'actor_login', 'source', 'source_ref'])
    .where('campaign_id', '=', campaignId)
    .where('dimensions', 'is not', null);
  if (organisationId) q = q.where('organisation_id', '=', organisationId);
  const rows = await q.orderBy('organisation_id').orderBy('input').orderBy('dimensions').orderBy('id', 'desc').execute();
  const out = new Map<string, StoredRow[]>();
  const index = new Map<string, StoredRow>();
  for (const r of rows) {
    const dims = r.dimensions as DimensionValues;
    const key = `${r.organisation_id}\u0000${dimensionsKey(dims)}`;
    let row = index.get(key);
    if (!row) {
      row = { dimensions: dims, values: {} };
      index.set(key, row);
      const list = out.get(r.organisation_id);
      if (list) list.push(row);
      else out.set(r.organisation_id, [row]);
    }
    row.values[r.input] = storedValue(r);
  }
  return out;
}

/** Per organisation of a whole campaign, what its list needs (completeness and the last change), without the
 * provenance of every value: the per-dimension rows with their current values merged from `value_rows` and the forms'
 * rows without unnesting (`mergedDimensionalInputsSql`: a row per school × work to decode, not one per value — a
 * ФИС ОКО campaign of 3 000 schools has 144 000 works and 3,3 million values a year), and the time of the newest
 * visible per-dimension row (the newest row of an organisation is current for every input it holds). */
export async function dimensionalSummaryOfCampaign(db: Kysely<Database>, campaignId: string): Promise<Map<string, { rows: DimensionalRow[]; lastAt: Date | null }>> {
  const out = new Map<string, { rows: DimensionalRow[]; lastAt: Date | null }>();
  for (const [org, rows] of await currentDimensionalRows(db, campaignId)) out.set(org, { rows, lastAt: null });
  const last = await sql<{ organisation_id: string; at: Date | string }>`
    select organisation_id, max(at) as at from (
      select vr.organisation_id, vr.at from value_rows vr where vr.campaign_id = ${campaignId}::uuid and ${visibleValueRow('vr')}
      union all
      select vh.organisation_id, vh.at from value_history vh where vh.campaign_id = ${campaignId}::uuid and vh.dimensions is not null and ${visibleValueRow('vh')}) t
    group by organisation_id`.execute(db);
  for (const r of last.rows) {
    const entry = out.get(r.organisation_id);
    if (entry) entry.lastAt = new Date(r.at);
  }
  return out;
}
