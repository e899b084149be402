/** Region level, third part (issue 9): `campaign_participation` — the number of participating organisations of each
 * campaign per municipality. The region's campaign list and the overview's count of published campaigns read these
 * few rows per campaign instead of every participation of the region (3,000 organisations × 35 campaigns each).
 *
 * Kept exact by triggers, whatever inserts the participants (`createCampaign`, `msoko generate`'s bulk insert, a
 * test): inserting or deleting `campaign_organisations` rows adds or subtracts per statement (transition tables, one
 * grouped upsert per statement, not per row); moving an organisation to another municipality moves its participations.
 * Existing participations are counted once here. Works on PGlite and on a PostgreSQL server alike. */
import { sql, type Kysely } from 'kysely';

// Migrations must not depend on the evolving Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('campaign_participation')
    .addColumn('campaign_id', 'uuid', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('municipality_id', 'uuid', (c) => c.notNull().references('municipalities.id'))
    .addColumn('organisations', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_participation_pkey', ['campaign_id', 'municipality_id'])
    .execute();
  await db.schema.createIndex('campaign_participation_municipality_idx').on('campaign_participation').column('municipality_id').execute();
  await sql`
    insert into campaign_participation (campaign_id, municipality_id, organisations)
    select co.campaign_id, o.municipality_id, count(*)::int from campaign_organisations co join organisations o on o.id = co.organisation_id
    group by co.campaign_id, o.municipality_id`.execute(db);

  await sql`
    create function msoko_participation_added() returns trigger language plpgsql as $$
    begin
      insert into campaign_participation (campaign_id, municipality_id, organisations)
      select n.campaign_id, o.municipality_id, count(*)::int from added n join organisations o on o.id = n.organisation_id
      group by n.campaign_id, o.municipality_id
      on conflict (campaign_id, municipality_id) do update set organisations = campaign_participation.organisations + excluded.organisations;
      return null;
    end
    $$`.execute(db);
  await sql`
    create function msoko_participation_removed() returns trigger language plpgsql as $$
    begin
      update campaign_participation p set organisations = p.organisations - d.n
      from (select r.campaign_id, o.municipality_id, count(*)::int as n from removed r join organisations o on o.id = r.organisation_id
            group by r.campaign_id, o.municipality_id) d
      where p.campaign_id = d.campaign_id and p.municipality_id = d.municipality_id;
      delete from campaign_participation where organisations <= 0;
      return null;
    end
    $$`.execute(db);
  await sql`
    create function msoko_participation_moved() returns trigger language plpgsql as $$
    begin
      update campaign_participation p set organisations = p.organisations - 1
      from campaign_organisations co where co.organisation_id = new.id and p.campaign_id = co.campaign_id and p.municipality_id = old.municipality_id;
      delete from campaign_participation where organisations <= 0;
      insert into campaign_participation (campaign_id, municipality_id, organisations)
      select co.campaign_id, new.municipality_id, 1 from campaign_organisations co where co.organisation_id = new.id
      on conflict (campaign_id, municipality_id) do update set organisations = campaign_participation.organisations + 1;
      return null;
    end
    $$`.execute(db);
  await sql`create trigger campaign_participation_added after insert on campaign_organisations referencing new table as added
    for each statement execute function msoko_participation_added()`.execute(db);
  await sql`create trigger campaign_participation_removed after delete on campaign_organisations referencing old table as removed
    for each statement execute function msoko_participation_removed()`.execute(db);
  await sql`create trigger campaign_participation_moved after update of municipality_id on organisations
    for each row when (old.municipality_id is distinct from new.municipality_id) execute function msoko_participation_moved()`.execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  await sql`drop trigger if exists campaign_participation_moved on organisations`.execute(db);
  await sql`drop trigger if exists campaign_participation_removed on campaign_organisations`.execute(db);
  await sql`drop trigger if exists campaign_participation_added on campaign_organisations`.execute(db);
  for (const f of ['msoko_participation_moved', 'msoko_participation_removed', 'msoko_participation_added']) {
    await sql`drop function if exists ${sql.raw(f)}()`.execute(db);
  }
  await db.schema.dropTable('campaign_participation').ifExists().execute();
}
