/** Management cycle, second part (issue 7): recommendations remember the indicator and rule that motivated them;
 * decisions link to the motivating campaign; road-map events can be edited and removed by hand with an append-only
 * revision history (removal is a mark, undone by restore); evidence files (recommendation reports, road-map
 * occurrences, decision documents) are stored in the database, type-checked by content. One statement per call. */
import { sql, type Kysely } from 'kysely';

// Migrations must not depend on the evolving Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('recommendations').addColumn('indicator', 'text').execute();
  await db.schema.alterTable('recommendations').addColumn('rule_id', 'text').execute();
  await db.schema.alterTable('recommendations').addColumn('basis', 'text').execute();
  await db.schema.alterTable('decisions').addColumn('campaign_id', 'uuid', (c) => c.references('campaigns.id').onDelete('set null')).execute();

  await db.schema.alterTable('roadmap_events').addColumn('removed_at', 'timestamptz').execute();
  await db.schema.alterTable('roadmap_events').addColumn('removed_by', 'uuid').execute();
  await db.schema.alterTable('roadmap_events').addColumn('updated_at', 'timestamptz').execute();

  await db.schema
    .createTable('roadmap_event_revisions')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('event_id', 'uuid', (c) => c.notNull().references('roadmap_events.id').onDelete('cascade'))
    .addColumn('action', 'text', (c) => c.notNull().check(sql`action in ('create', 'update', 'remove', 'restore')`))
    /** The event's editable fields before the change (null for create). */
    .addColumn('before', 'jsonb')
    .addColumn('after', 'jsonb')
    .addColumn('actor_user_id', 'uuid')
    .addColumn('actor_login', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('roadmap_event_revisions_event_idx').on('roadmap_event_revisions').column('event_id').execute();
  await sql`create trigger roadmap_event_revisions_append_only before update or delete on roadmap_event_revisions for each row execute function msoko_append_only()`.execute(db);

  await db.schema
    .createTable('evidence_files')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('owner_type', 'text', (c) => c.notNull().check(sql`owner_type in ('recommendation', 'roadmap_event', 'decision')`))
    .addColumn('owner_id', 'uuid', (c) => c.notNull())
    /** Road-map occurrence the file evidences (owner_type = roadmap_event). */
    .addColumn('occurrence_due', 'date')
    /** Organisation whose representative may download it (the recommendation's addressee); null — municipal only. */
    .addColumn('organisation_id', 'uuid', (c) => c.references('organisations.id'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('pdf', 'docx', 'xlsx', 'odt', 'jpeg', 'png')`))
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull().check(sql`size > 0 and size <= 10485760`))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content', 'bytea', (c) => c.notNull())
    .addColumn('uploaded_by', 'uuid')
    .addColumn('uploader_login', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('evidence_files_owner_idx').on('evidence_files').columns(['owner_type', 'owner_id']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('evidence_files').ifExists().execute();
  await db.schema.dropTable('roadmap_event_revisions').ifExists().execute();
  for (const c of ['removed_at', 'removed_by', 'updated_at']) await db.schema.alterTable('roadmap_events').dropColumn(c).execute();
  await db.schema.alterTable('decisions').dropColumn('campaign_id').execute();
  for (const c of ['indicator', 'rule_id', 'basis']) await db.schema.alterTable('recommendations').dropColumn(c).execute();
}
