/** SQL over the two value logs read directly, not through `value_history_visible` (whose `value_rows` part is unnested
 * per input): `value_history` (a row per value) and `value_rows` (migration 0020, a row per organisation × dimension
 * values written by an import), which draw ids from the same sequence. */
import { sql, type RawBuilder } from 'kysely';

/** A row of either log under `alias` counts: it is not an import's, or its import is applied (the rule of
 * `value_history_visible`, migrations 0013 and 0020). */
export function visibleValueRow(alias: string): RawBuilder<boolean> {
  const job = sql.ref(`${alias}.import_job_id`);
  return sql<boolean>`(${job} is null or exists (select 1 from imports i where i.job_id = ${job} and i.status = 'applied'))`;
}

/** The newest value id of a campaign in either log (`campaign`: a uuid parameter or a column reference), null when it
 * has none; with `visible`, of the rows that count only. Each side is one backward probe of its (campaign_id, id)
 * index. */
export function newestValueId(campaign: RawBuilder<unknown>, opts: { visible?: boolean } = {}): RawBuilder<number | string | null> {
  const side = (t: 'value_history' | 'value_rows') =>
    sql`(select max(v.id) from ${sql.table(t)} v where v.campaign_id = ${campaign}${opts.visible ? sql` and ${visibleValueRow('v')}` : sql``})`;
  return sql`greatest(${side('value_history')}, ${side('value_rows')})`;
}
