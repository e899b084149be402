/** The rows of one work (subject × grade) of a campaign by index (issue 22, the analysis of one work,
 * src/services/analysis/dimensional-work.ts): its current inputs are read with `campaign_id = … and dimensions = any(…)`
 * (`mergedDimensionalInputsSql`). The existing indexes lead with (campaign_id, organisation_id, …), so that read walked
 * every entry of the campaign (288 000 rows of a ВПР year; 50–100 ms on PostgreSQL 15 before any row is fetched, 1,5–1,7
 * ms with this index — docs/performance.md).
 * - `value_rows_work_idx` on value_rows (campaign_id, dimensions, id);
 * - `value_history_work_idx` on value_history (campaign_id, dimensions, id) where dimensions is not null: the forms'
 *   per-dimension rows only (ordinary values have none). */
import { sql, type Kysely } from 'kysely';

// Migrations must not depend on the evolving Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await sql`create index value_rows_work_idx on value_rows (campaign_id, dimensions, id)`.execute(db);
  await sql`create index value_history_work_idx on value_history (campaign_id, dimensions, id) where dimensions is not null`.execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  await sql`drop index if exists value_history_work_idx`.execute(db);
  await sql`drop index if exists value_rows_work_idx`.execute(db);
}
