/** Printed reports as their own object (issue 15, item 4):
 * - `printed_reports`: a report a campaign's results were published in («Протокол № 6 заседания рабочей группы от
 *   30.06.2022»): title, date, source (where it is kept, a link), who attached it and when. The row is never updated
 *   except to mark it removed (who, when, why) — removal is audited and the report's figures stay in the database;
 * - `printed_report_figures`: the figures the report printed, as printed text: per organisation × indicator
 *   (`scope` organisation), per row of a table by organisation type (`group`: school … total) and municipal figures
 *   (`municipal`: an aggregate id or an indicator of the municipality's row); a value and/or a level. Append-only: the
 *   latest row per report × scope × organisation × group × target is in force, a row with neither value nor level
 *   clears the figure; every entry or import is one batch (`batch`). */
import { sql, type Kysely } from 'kysely';

// Migrations must not depend on the evolving Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('printed_reports')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('campaign_id', 'uuid', (c) => c.notNull().references('campaigns.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('printed_on', 'date', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('actor_login', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('removed_at', 'timestamptz')
    .addColumn('removed_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('remover_login', 'text')
    .addColumn('removal_reason', 'text')
    .addCheckConstraint('printed_reports_title', sql`length(btrim(title)) > 0`)
    .execute();
  await db.schema.createIndex('printed_reports_campaign').on('printed_reports').columns(['campaign_id', 'printed_on']).execute();

  await db.schema
    .createTable('printed_report_figures')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('report_id', 'uuid', (c) => c.notNull().references('printed_reports.id'))
    .addColumn('batch', 'uuid', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('organisation_id', 'uuid', (c) => c.references('organisations.id'))
    .addColumn('group_key', 'text')
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('value_text', 'text')
    .addColumn('level_text', 'text')
    .addColumn('actor_user_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('actor_login', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'printed_report_figures_scope',
      sql`(scope = 'organisation' and organisation_id is not null and group_key is null)
        or (scope = 'group' and organisation_id is null and group_key is not null)
        or (scope = 'municipal' and organisation_id is null and group_key is null)`,
    )
    .execute();
  await db.schema.createIndex('printed_report_figures_report').on('printed_report_figures').columns(['report_id', 'id']).execute();
  await sql`create trigger printed_report_figures_append_only before update or delete on printed_report_figures for each row execute function msoko_append_only()`.execute(db);
  await sql`create trigger printed_report_figures_no_truncate before truncate on printed_report_figures for each statement execute function msoko_append_only()`.execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('printed_report_figures').ifExists().execute();
  await db.schema.dropTable('printed_reports').ifExists().execute();
}
