/** Documents sent as notifications (issue 18): an issued letter (the information letter of a monitoring, a letter with
 * an organisation's addressed recommendations) notifies the representatives of the organisations it is addressed to
 * — in the app, with a link to download the letter, and by e-mail with the DOCX attached.
 * - `notifications.kind` may be `document`;
 * - `notifications.document_id`: the issued document the notification carries. A user of an organisation may
 *   download a document only when a notification of it was addressed to that organisation (the index serves that
 *   check). */
import { sql, type Kysely } from 'kysely';

// Migrations must not depend on the evolving Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

const KINDS_BEFORE = `'due_soon', 'overdue', 'overdue_summary', 'returned'`;

/** The check constraints of `notifications.kind` (named by the server: `notifications_kind_check`). */
async function kindChecks(db: AnyDb): Promise<string[]> {
  const rows = await sql<{ conname: string }>`
    select conname from pg_constraint
    where conrelid = 'notifications'::regclass and contype = 'c' and pg_get_constraintdef(oid) like '%due_soon%'`.execute(db);
  return rows.rows.map((r) => r.conname);
}

export async function up(db: AnyDb): Promise<void> {
  for (const name of await kindChecks(db)) await sql`alter table notifications drop constraint ${sql.id(name)}`.execute(db);
  await sql`alter table notifications add constraint notifications_kind_check check (kind in (${sql.raw(KINDS_BEFORE)}, 'document'))`.execute(db);
  await db.schema.alterTable('notifications').addColumn('document_id', 'uuid', (c) => c.references('documents.id')).execute();
  await sql`create index notifications_document_idx on notifications (document_id, organisation_id) where document_id is not null`.execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('notifications_document_idx').ifExists().execute();
  await db.schema.alterTable('notifications').dropColumn('document_id').execute();
  for (const name of await kindChecks(db)) await sql`alter table notifications drop constraint ${sql.id(name)}`.execute(db);
  await sql`alter table notifications add constraint notifications_kind_check check (kind in (${sql.raw(KINDS_BEFORE)}))`.execute(db);
}
