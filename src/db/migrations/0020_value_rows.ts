/** Per-dimension values at scale (issue 22): one row per school × work instead of one per value.
 * - `value_rows`: append-only log of an import's per-dimension values — one row per campaign × organisation ×
 *   dimension values with all the inputs it changed as one jsonb object `values` (`{"vpr_share_5": 20.5,
 *   "region_vpr_share_5": 11.2, …}`) and the provenance `value_history` has (evidence is always null). Its ids come from
 *   `value_history`'s sequence, so «latest» is still «highest id» across both tables (and the import's id ranges
 *   cover both). Protected like `value_history` (migration 0005: no UPDATE, DELETE, TRUNCATE).
 * - `value_history_visible` becomes `value_history` UNION ALL `value_rows` unnested into one row per input (same
 *   columns, evidence null), with the same visibility rule (rows of an import count once it is applied, 0013): every
 *   reader of values keeps reading one row per value.
 * - `jsonb_merge(jsonb)`: an aggregate of `||` (later objects override earlier keys); over rows ordered by id it gives
 *   the latest value of every input without unnesting (`currentDimensionalInputs`, campaign-dimensional.ts).
 * Forms and ordinary imports still write `value_history`. */
import { sql, type Kysely } from 'kysely';

// Migrations must not depend on the evolving Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

const OLD_VIEW = sql`
    create view value_history_visible as
    select vh.* from value_history vh
    where vh.import_job_id is null or exists (select 1 from imports i where i.job_id = vh.import_job_id and i.status = 'applied')`;

const VIEW = sql`
    create view value_history_visible as
    select vh.id, vh.campaign_id, vh.organisation_id, vh.input, vh.value, vh.evidence_url, vh.source, vh.source_ref,
      vh.actor_user_id, vh.actor_login, vh.at, vh.import_job_id, vh.dimensions
    from value_history vh
    where vh.import_job_id is null or exists (select 1 from imports i where i.job_id = vh.import_job_id and i.status = 'applied')
    union all
    select vr.id, vr.campaign_id, vr.organisation_id, e.key, e.value, null::text, vr.source, vr.source_ref,
      vr.actor_user_id, vr.actor_login, vr.at, vr.import_job_id, vr.dimensions
    from value_rows vr cross join lateral jsonb_each(vr."values") e
    where vr.import_job_id is null or exists (select 1 from imports i where i.job_id = vr.import_job_id and i.status = 'applied')`;

export async function up(db: AnyDb): Promise<void> {
  const seq = (await sql<{ s: string }>`select pg_get_serial_sequence('value_history', 'id') as s`.execute(db)).rows[0]?.s;
  if (!seq) throw new Error('value_history.id has no sequence');
  await sql`
    create table value_rows (
      id bigint primary key default nextval(${sql.lit(seq)}::regclass),
      campaign_id uuid not null references campaigns (id) on delete cascade,
      organisation_id uuid not null references organisations (id),
      dimensions jsonb not null constraint value_rows_dimensions_object check (jsonb_typeof(dimensions) = 'object'),
      "values" jsonb not null constraint value_rows_values_object check (jsonb_typeof("values") = 'object'),
      source text not null constraint value_rows_source_check check (source in ('form', 'import', 'api')),
      source_ref text,
      actor_user_id uuid,
      actor_login text,
      at timestamptz not null default now(),
      import_job_id uuid references jobs (id)
    )`.execute(db);
  await sql`create index value_rows_current_idx on value_rows (campaign_id, organisation_id, dimensions, id)`.execute(db);
  await sql`create index value_rows_campaign_id_idx on value_rows (campaign_id, id)`.execute(db);
  await sql`create trigger value_rows_append_only before update or delete on value_rows for each row execute function msoko_append_only()`.execute(db);
  await sql`create trigger value_rows_no_truncate before truncate on value_rows for each statement execute function msoko_append_only()`.execute(db);
  await sql`create aggregate jsonb_merge(jsonb) (sfunc = jsonb_concat, stype = jsonb)`.execute(db);
  await sql`drop view value_history_visible`.execute(db);
  await VIEW.execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  await sql`drop view value_history_visible`.execute(db);
  await OLD_VIEW.execute(db);
  await sql`drop aggregate if exists jsonb_merge(jsonb)`.execute(db);
  await sql`drop table value_rows`.execute(db);
}
