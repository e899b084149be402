/** Reminders (issue 5): in-app notifications with their e-mail delivery state, users' e-mail addresses, the
 * municipality's time zone (what "today" means) and the reminder lead time — globally per municipality and optionally
 * per campaign. One statement per call.
 *
 * Idempotence lives in the database: `(user_id, key)` is unique, where `key` names the campaign, the organisation, the
 * kind and the date the reminder is about (`due_soon:<campaign>:<org>:2022-06-01`). A reminder pass run twice, or in
 * two processes at once, inserts with `on conflict do nothing` and never duplicates. */
import { sql, type Kysely } from 'kysely';

// Migrations must not depend on the evolving Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('users').addColumn('email', 'text').execute();
  await db.schema
    .alterTable('municipalities')
    .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('Asia/Yekaterinburg'))
    .execute();
  await db.schema
    .alterTable('municipalities')
    .addColumn('remind_days_before', 'integer', (c) => c.notNull().defaultTo(3).check(sql`remind_days_before between 0 and 60`))
    .execute();
  await db.schema
    .alterTable('campaigns')
    .addColumn('remind_days_before', 'integer', (c) => c.check(sql`remind_days_before between 0 and 60`))
    .execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('due_soon', 'overdue', 'overdue_summary', 'returned')`))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('campaign_id', 'uuid', (c) => c.references('campaigns.id').onDelete('cascade'))
    .addColumn('organisation_id', 'uuid', (c) => c.references('organisations.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('link', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('read_at', 'timestamptz')
    .addColumn('email_status', 'text', (c) => c.notNull().defaultTo('none').check(sql`email_status in ('none', 'pending', 'sent', 'failed')`))
    .addColumn('email_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('email_error', 'text')
    .addColumn('email_locked_until', 'timestamptz')
    .addColumn('email_sent_at', 'timestamptz')
    .addUniqueConstraint('notifications_user_key', ['user_id', 'key'])
    .execute();
  await db.schema.createIndex('notifications_user_idx').on('notifications').columns(['user_id', 'id']).execute();
  await sql`create index notifications_unread_idx on notifications (user_id) where read_at is null`.execute(db);
  await sql`create index notifications_email_pending_idx on notifications (id) where email_status = 'pending'`.execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('notifications').ifExists().execute();
  await db.schema.alterTable('campaigns').dropColumn('remind_days_before').execute();
  await db.schema.alterTable('municipalities').dropColumn('remind_days_before').execute();
  await db.schema.alterTable('municipalities').dropColumn('time_zone').execute();
  await db.schema.alterTable('users').dropColumn('email').execute();
}
