/** Documents on the department's letterhead (issue 18, first part):
 * - `department_requisites`: the department's requisites per municipality (name, parent administration, address,
 *   phone, e-mail, ОКПО/ОГРН/ИНН/КПП, head, executor, numbering patterns) as JSON; append-only — the latest row per
 *   municipality is in force, the earlier ones are the history;
 * - `document_templates`: DOCX templates uploaded by the department per document kind; append-only, the latest per
 *   municipality and kind is in force (none: the built-in template of library/templates/);
 * - `document_counters`: the last outgoing number per municipality, kind and year — taken by an upsert in the issuing
 *   transaction, so concurrent issuing gets distinct numbers (the row lock serialises them);
 * - `documents`: the register of issued documents: kind, number, date, the DOCX bytes, what it was made from (campaign,
 *   fields, hashes of the data and of the template), who issued it; append-only — re-issuing makes a new row. */
import { sql, type Kysely } from 'kysely';

// Migrations must not depend on the evolving Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

const APPEND_ONLY = ['department_requisites', 'document_templates', 'documents'] as const;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('department_requisites')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('municipality_id', 'uuid', (c) => c.notNull().references('municipalities.id'))
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('actor_user_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('actor_login', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('department_requisites_key').on('department_requisites').columns(['municipality_id', 'id']).execute();

  await db.schema
    .createTable('document_templates')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('municipality_id', 'uuid', (c) => c.notNull().references('municipalities.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content', 'bytea', (c) => c.notNull())
    .addColumn('actor_user_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('actor_login', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('document_templates_key').on('document_templates').columns(['municipality_id', 'kind', 'at']).execute();

  await db.schema
    .createTable('document_counters')
    .addColumn('municipality_id', 'uuid', (c) => c.notNull().references('municipalities.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('last_number', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('document_counters_pk', ['municipality_id', 'kind', 'year'])
    .execute();

  await db.schema
    .createTable('documents')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('municipality_id', 'uuid', (c) => c.notNull().references('municipalities.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('issued_on', 'date', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('campaign_id', 'uuid', (c) => c.references('campaigns.id'))
    .addColumn('fields', 'jsonb', (c) => c.notNull())
    .addColumn('data_hash', 'text', (c) => c.notNull())
    .addColumn('template_id', 'uuid', (c) => c.references('document_templates.id'))
    .addColumn('template_sha256', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content', 'bytea', (c) => c.notNull())
    .addColumn('actor_user_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('actor_login', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('documents_number_once', ['municipality_id', 'kind', 'year', 'seq'])
    .execute();
  await db.schema.createIndex('documents_campaign').on('documents').columns(['campaign_id', 'at']).execute();

  for (const t of APPEND_ONLY) {
    await sql`create trigger ${sql.raw(`${t}_append_only`)} before update or delete on ${sql.table(t)} for each row execute function msoko_append_only()`.execute(db);
    await sql`create trigger ${sql.raw(`${t}_no_truncate`)} before truncate on ${sql.table(t)} for each statement execute function msoko_append_only()`.execute(db);
  }
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('documents').ifExists().execute();
  await db.schema.dropTable('document_counters').ifExists().execute();
  await db.schema.dropTable('document_templates').ifExists().execute();
  await db.schema.dropTable('department_requisites').ifExists().execute();
}
