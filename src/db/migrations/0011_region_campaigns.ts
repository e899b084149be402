/** Region level, second part (issue 9): regional campaigns and municipal road maps and decisions. One statement per
 * call.
 *
 * - `campaigns.region_id`: set for a campaign the regional analyst created; only the regional analyst changes its
 *   status. `campaigns.region_selection` keeps how its participants were chosen: `{ municipalityIds: uuid[] | null
 *   (null: the whole region), types: string[] | null }` (`selection` keeps the municipal shape: all or by types).
 * - `roadmap_events.municipality_id`, `decisions.municipality_id`: whose road map or decision it is. Existing rows get
 *   the single municipality when there is exactly one; otherwise null — a legacy row every municipality sees.
 *   A road map's template key becomes per municipality (nulls not distinct: legacy rows keep their key). */
import { sql, type Kysely } from 'kysely';

// Migrations must not depend on the evolving Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('campaigns').addColumn('region_id', 'uuid', (c) => c.references('regions.id')).execute();
  await db.schema.alterTable('campaigns').addColumn('region_selection', 'jsonb').execute();
  await db.schema.createIndex('campaigns_region_idx').on('campaigns').column('region_id').execute();

  for (const table of ['roadmap_events', 'decisions']) {
    await db.schema.alterTable(table).addColumn('municipality_id', 'uuid', (c) => c.references('municipalities.id')).execute();
    await sql`update ${sql.table(table)} set municipality_id = (select min(id::text)::uuid from municipalities) where (select count(*) from municipalities) = 1`.execute(db);
    await db.schema.createIndex(`${table}_municipality_idx`).on(table).column('municipality_id').execute();
  }
  await sql`alter table roadmap_events drop constraint roadmap_events_template_key`.execute(db);
  await sql`alter table roadmap_events add constraint roadmap_events_template_key unique nulls not distinct (municipality_id, direction, year, template_seq)`.execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  await sql`alter table roadmap_events drop constraint roadmap_events_template_key`.execute(db);
  await sql`alter table roadmap_events add constraint roadmap_events_template_key unique (direction, year, template_seq)`.execute(db);
  for (const table of ['decisions', 'roadmap_events']) {
    await db.schema.dropIndex(`${table}_municipality_idx`).ifExists().execute();
    await db.schema.alterTable(table).dropColumn('municipality_id').execute();
  }
  await db.schema.dropIndex('campaigns_region_idx').ifExists().execute();
  await db.schema.alterTable('campaigns').dropColumn('region_selection').execute();
  await db.schema.alterTable('campaigns').dropColumn('region_id').execute();
}
