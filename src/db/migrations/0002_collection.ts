/** Collection (issue 5): campaigns (мониторинги), their participating organisations and status events, submissions
 * with their workflow events, and the append-only history of every submitted value. One statement per call. */
import { sql, type Kysely } from 'kysely';

// Migrations must not depend on the evolving Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('campaigns')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('methodology_id', 'text', (c) => c.notNull())
    .addColumn('methodology_version', 'text', (c) => c.notNull())
    .addColumn('period_code', 'text', (c) => c.notNull())
    .addColumn('period_start', 'date', (c) => c.notNull())
    .addColumn('selection', 'jsonb', (c) => c.notNull())
    .addColumn('opens_on', 'date', (c) => c.notNull())
    .addColumn('due_on', 'date', (c) => c.notNull())
    .addColumn('closes_on', 'date', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft').check(sql`status in ('draft', 'open', 'closed', 'published')`))
    .addColumn('created_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('campaigns_dates_ordered', sql`opens_on <= due_on and due_on <= closes_on`)
    .execute();
  await db.schema.createIndex('campaigns_methodology_idx').on('campaigns').columns(['methodology_id', 'period_start']).execute();

  await db.schema
    .createTable('campaign_organisations')
    .addColumn('campaign_id', 'uuid', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addPrimaryKeyConstraint('campaign_organisations_pkey', ['campaign_id', 'organisation_id'])
    .execute();

  await db.schema
    .createTable('campaign_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('campaign_id', 'uuid', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('actor_user_id', 'uuid')
    .addColumn('actor_login', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('campaign_events_campaign_idx').on('campaign_events').column('campaign_id').execute();

  await db.schema
    .createTable('submissions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('campaign_id', 'uuid', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft').check(sql`status in ('draft', 'submitted', 'accepted', 'returned')`))
    .addColumn('submitter_comment', 'text')
    .addColumn('reviewer_comment', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('submissions_campaign_organisation_key', ['campaign_id', 'organisation_id'])
    .execute();

  await db.schema
    .createTable('submission_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('submission_id', 'uuid', (c) => c.notNull().references('submissions.id').onDelete('cascade'))
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('actor_user_id', 'uuid')
    .addColumn('actor_login', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('submission_events_submission_idx').on('submission_events').column('submission_id').execute();

  await db.schema
    .createTable('value_history')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('campaign_id', 'uuid', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addColumn('input', 'text', (c) => c.notNull())
    .addColumn('value', 'jsonb')
    .addColumn('evidence_url', 'text')
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('form', 'import', 'api')`))
    .addColumn('source_ref', 'text')
    .addColumn('actor_user_id', 'uuid')
    .addColumn('actor_login', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('value_history_current_idx')
    .on('value_history')
    .columns(['campaign_id', 'organisation_id', 'input', 'id'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const t of ['value_history', 'submission_events', 'submissions', 'campaign_events', 'campaign_organisations', 'campaigns']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
