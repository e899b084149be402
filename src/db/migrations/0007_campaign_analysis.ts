/** Analysis of a campaign (issue 6): three append-only tables (the latest row per key is in force; UPDATE, DELETE
 * and TRUNCATE raise through `msoko_append_only()` of migration 0005):
 * - `campaign_tables`: tables of the methodology that are not filled by organisations (a municipality row such as
 *   coverage, a breakdown by organisation type such as programme focus), uploaded by an analyst as header + cells;
 * - `campaign_benchmarks`: per campaign and indicator/aggregate, a regional value and/or a target (either may be null);
 * - `campaign_report_texts`: the analyst's revisions of a report's text blocks (`goal`, `conclusion.<id>`…); a row
 *   with `text` null restores the generated text. */
import { sql, type Kysely } from 'kysely';

// Migrations must not depend on the evolving Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

const TABLES = ['campaign_tables', 'campaign_benchmarks', 'campaign_report_texts'] as const;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('campaign_tables')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('campaign_id', 'uuid', (c) => c.notNull().references('campaigns.id'))
    .addColumn('dataset_id', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    /** string[] and string[][]: the table as read (cells as text, parsed by the engine at computation). */
    .addColumn('header', 'jsonb', (c) => c.notNull())
    .addColumn('rows', 'jsonb', (c) => c.notNull())
    .addColumn('actor_user_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('actor_login', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('campaign_tables_key').on('campaign_tables').columns(['campaign_id', 'dataset_id', 'id']).execute();

  await db.schema
    .createTable('campaign_benchmarks')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('campaign_id', 'uuid', (c) => c.notNull().references('campaigns.id'))
    /** An indicator id or an aggregate id of the campaign's methodology. */
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('regional_value', 'double precision')
    .addColumn('target_value', 'double precision')
    .addColumn('note', 'text')
    .addColumn('actor_user_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('actor_login', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('campaign_benchmarks_key').on('campaign_benchmarks').columns(['campaign_id', 'key', 'id']).execute();

  await db.schema
    .createTable('campaign_report_texts')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('campaign_id', 'uuid', (c) => c.notNull().references('campaigns.id'))
    .addColumn('block_id', 'text', (c) => c.notNull())
    .addColumn('text', 'text')
    .addColumn('actor_user_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('actor_login', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('campaign_report_texts_key').on('campaign_report_texts').columns(['campaign_id', 'block_id', 'id']).execute();

  for (const t of TABLES) {
    await sql`create trigger ${sql.raw(`${t}_append_only`)} before update or delete on ${sql.table(t)} for each row execute function msoko_append_only()`.execute(db);
    await sql`create trigger ${sql.raw(`${t}_no_truncate`)} before truncate on ${sql.table(t)} for each statement execute function msoko_append_only()`.execute(db);
  }
}

export async function down(db: AnyDb): Promise<void> {
  for (const t of [...TABLES].reverse()) await db.schema.dropTable(t).ifExists().execute();
}
