/** Record lists in a campaign (issue 21, step 4): a list such as the ИС «Навигатор» programme export, imported into a
 * campaign whose methodology declares the record dataset (`record_datasets`).
 * - `campaign_record_lists`: one row per applied list — campaign, dataset, the import (file) it came from, the file
 *   name and sheet, the analyst's resolutions (confirmed / skipped organisations, value aliases), counts. A new list of
 *   the same dataset replaces the previous one for the results (the latest per campaign and dataset is in force); the
 *   previous ones stay as history.
 * - `campaign_records`: the records of a list, each with the registry organisation it was matched to, its row number in
 *   the file, its label and its typed fields (after aliases).
 * Both are append-only (the trigger of 0005). `import_mappings.aliases` holds value aliases of a saved mapping
 * (field → { text as written → declared value }), so next year's file goes through. */
import { sql, type Kysely } from 'kysely';

// Migrations must not depend on the evolving Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

const TABLES = ['campaign_record_lists', 'campaign_records'] as const;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('campaign_record_lists')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('campaign_id', 'uuid', (c) => c.notNull().references('campaigns.id'))
    .addColumn('dataset_id', 'text', (c) => c.notNull())
    .addColumn('import_id', 'uuid', (c) => c.references('imports.id'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('sheet', 'text')
    .addColumn('header_line', 'integer', (c) => c.notNull())
    .addColumn('rows_total', 'integer', (c) => c.notNull())
    .addColumn('records', 'integer', (c) => c.notNull())
    .addColumn('settings', 'jsonb', (c) => c.notNull())
    .addColumn('skipped', 'jsonb', (c) => c.notNull())
    .addColumn('actor_user_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('actor_login', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('campaign_record_lists_key').on('campaign_record_lists').columns(['campaign_id', 'dataset_id', 'at']).execute();
  await db.schema
    .createTable('campaign_records')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('list_id', 'uuid', (c) => c.notNull().references('campaign_record_lists.id'))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addColumn('line', 'integer', (c) => c.notNull())
    .addColumn('label', 'text')
    .addColumn('fields', 'jsonb', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('campaign_records_list_org').on('campaign_records').columns(['list_id', 'organisation_id', 'line']).execute();
  await db.schema.alterTable('import_mappings').addColumn('aliases', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`)).execute();
  for (const t of TABLES) {
    await sql`create trigger ${sql.raw(`${t}_append_only`)} before update or delete on ${sql.table(t)} for each row execute function msoko_append_only()`.execute(db);
    await sql`create trigger ${sql.raw(`${t}_no_truncate`)} before truncate on ${sql.table(t)} for each statement execute function msoko_append_only()`.execute(db);
  }
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('import_mappings').dropColumn('aliases').execute();
  await db.schema.dropTable('campaign_records').ifExists().execute();
  await db.schema.dropTable('campaign_record_lists').ifExists().execute();
}
