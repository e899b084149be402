/** Imports that do not block other users (issue 5): an import's value rows are written in many short transactions
 * while the import is `writing`, each row carrying the id of the job applying it, and become visible all at once when
 * one short final transaction marks the import `applied` (with that job as its `job_id`; an import applied again after
 * a failure gets a new job, so the failed attempt's rows stay invisible). Everything that reads values reads `value_history_visible`: rows of
 * forms and the API, and rows of applied imports. Rows of an import that failed or was interrupted (a crash, a
 * campaign closed meanwhile) stay in the append-only log, never read, so all-or-nothing still holds.
 *
 * `import_job_id` references the job (jobs are never deleted). */
import { sql, type Kysely } from 'kysely';

// Migrations must not depend on the evolving Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('value_history').addColumn('import_job_id', 'uuid', (c) => c.references('jobs.id')).execute();
  await db.schema.createIndex('imports_job_idx').on('imports').column('job_id').execute();
  await sql`alter table imports drop constraint if exists imports_status_check`.execute(db);
  await sql`alter table imports add constraint imports_status_check check (status in ('uploaded', 'queued', 'writing', 'applied', 'rejected', 'failed'))`.execute(db);
  await sql`
    create view value_history_visible as
    select vh.* from value_history vh
    where vh.import_job_id is null or exists (select 1 from imports i where i.job_id = vh.import_job_id and i.status = 'applied')`.execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  await sql`drop view if exists value_history_visible`.execute(db);
  await sql`alter table imports drop constraint if exists imports_status_check`.execute(db);
  await sql`alter table imports add constraint imports_status_check check (status in ('uploaded', 'queued', 'applied', 'rejected', 'failed'))`.execute(db);
  await db.schema.dropIndex('imports_job_idx').ifExists().execute();
  await db.schema.alterTable('value_history').dropColumn('import_job_id').execute();
}
