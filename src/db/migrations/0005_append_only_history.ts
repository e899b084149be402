/** Database-level guard for the collection's logs: `value_history`, `submission_events` and `campaign_events` are
 * append-only — UPDATE, DELETE and TRUNCATE raise an error (a trigger works on PGlite and on a PostgreSQL server
 * alike, where GRANTs would not). The repository in src/services/collection/submissions.ts only INSERTs anyway. */
import { sql, type Kysely } from 'kysely';

// Migrations must not depend on the evolving Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

const TABLES = ['value_history', 'submission_events', 'campaign_events'] as const;

export async function up(db: AnyDb): Promise<void> {
  await sql`
    create function msoko_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'Таблица % только для добавления записей: изменение и удаление запрещены', tg_table_name
        using errcode = '42501';
    end
    $$`.execute(db);
  for (const t of TABLES) {
    await sql`create trigger ${sql.raw(`${t}_append_only`)} before update or delete on ${sql.table(t)} for each row execute function msoko_append_only()`.execute(db);
    await sql`create trigger ${sql.raw(`${t}_no_truncate`)} before truncate on ${sql.table(t)} for each statement execute function msoko_append_only()`.execute(db);
  }
}

export async function down(db: AnyDb): Promise<void> {
  for (const t of TABLES) {
    await sql`drop trigger if exists ${sql.raw(`${t}_append_only`)} on ${sql.table(t)}`.execute(db);
    await sql`drop trigger if exists ${sql.raw(`${t}_no_truncate`)} on ${sql.table(t)}`.execute(db);
  }
  await sql`drop function if exists msoko_append_only()`.execute(db);
}
