/** Dimensions in a campaign (issue 22): values per organisation × subject × grade, and the ФИС ОКО login.
 * - `value_history.dimensions`: null for an ordinary value; for an input of a dimensional dataset (`dimensions` in the
 *   methodology) the dimension values it belongs to, each as the declared value's text:
 *   `{"subject": "Математика", "grade": "5"}`. The current value is the latest row per campaign × organisation × input ×
 *   dimensions (jsonb compares canonically, so key order does not matter). The view `value_history_visible` is
 *   recreated so that it carries the column.
 * - `organisations.fisoko_login`: the school's login in ФИС ОКО («sch510203»), used to match the rows of ФИС ОКО
 *   reports («(sch510203) МБОУ …») to the registry; unique within a municipality (case-insensitive). */
import { sql, type Kysely } from 'kysely';

// Migrations must not depend on the evolving Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

const VIEW = sql`
    create view value_history_visible as
    select vh.* from value_history vh
    where vh.import_job_id is null or exists (select 1 from imports i where i.job_id = vh.import_job_id and i.status = 'applied')`;

export async function up(db: AnyDb): Promise<void> {
  await sql`drop view value_history_visible`.execute(db);
  await db.schema.alterTable('value_history').addColumn('dimensions', 'jsonb').execute();
  await sql`alter table value_history add constraint value_history_dimensions_object check (dimensions is null or jsonb_typeof(dimensions) = 'object')`.execute(db);
  await VIEW.execute(db);
  await db.schema.alterTable('organisations').addColumn('fisoko_login', 'text').execute();
  await sql`create unique index organisations_fisoko_login_idx on organisations (municipality_id, lower(fisoko_login)) where fisoko_login is not null`.execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  await sql`drop index if exists organisations_fisoko_login_idx`.execute(db);
  await db.schema.alterTable('organisations').dropColumn('fisoko_login').execute();
  await sql`drop view value_history_visible`.execute(db);
  await db.schema.alterTable('value_history').dropColumn('dimensions').execute();
  await VIEW.execute(db);
}
