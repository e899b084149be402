/** Region level (issue 9): regions contain municipalities; the regional analyst (role `regional_analyst`, tied to a
 * region, not to a municipality) compares the municipalities' published campaigns. `synthetic` marks what
 * `msoko generate` made, so generated data is never mistaken for real data. `campaign_stats` caches, per campaign and municipality,
 * the statistics the regional comparison reads (indicator means, level counts, the methodology's aggregates); it is
 * derived data, stamped with the methodology's content hash and the last value-history id it was computed from, and
 * recomputed whenever either differs. One statement per call. */
import { sql, type Kysely } from 'kysely';

// Migrations must not depend on the evolving Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('regions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('synthetic', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema.alterTable('municipalities').addColumn('region_id', 'uuid', (c) => c.references('regions.id')).execute();
  await db.schema.alterTable('municipalities').addColumn('synthetic', 'boolean', (c) => c.notNull().defaultTo(false)).execute();
  await db.schema.createIndex('municipalities_region_idx').on('municipalities').column('region_id').execute();

  await db.schema.alterTable('users').addColumn('region_id', 'uuid', (c) => c.references('regions.id')).execute();
  await sql`alter table users drop constraint if exists users_role_check`.execute(db);
  await sql`alter table users add constraint users_role_check check (role in ('admin', 'analyst', 'working_group', 'org_rep', 'regional_analyst'))`.execute(db);
  await sql`alter table users add constraint users_regional_analyst_has_region check (role <> 'regional_analyst' or (region_id is not null and municipality_id is null and organisation_id is null))`.execute(db);

  // Scoping by municipality joins campaign participants to organisations; the regional queries read the newest value
  // id per campaign (freshness of campaign_stats).
  await db.schema.createIndex('campaign_organisations_organisation_idx').on('campaign_organisations').column('organisation_id').execute();
  await db.schema.createIndex('value_history_campaign_id_idx').on('value_history').columns(['campaign_id', 'id']).execute();

  await db.schema
    .createTable('campaign_stats_stamps')
    .addColumn('campaign_id', 'uuid', (c) => c.primaryKey().references('campaigns.id').onDelete('cascade'))
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('last_value_id', 'bigint', (c) => c.notNull())
    .addColumn('organisations', 'integer', (c) => c.notNull())
    .addColumn('computed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('campaign_stats')
    .addColumn('campaign_id', 'uuid', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('municipality_id', 'uuid', (c) => c.notNull().references('municipalities.id'))
    /** `mean:<indicator>`, `level:<indicator>:<level>`, `aggregate:<aggregate id>[.<group>]`. */
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision')
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_stats_pkey', ['campaign_id', 'municipality_id', 'metric'])
    .execute();
  await db.schema.createIndex('campaign_stats_metric_idx').on('campaign_stats').columns(['metric', 'municipality_id']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('campaign_stats').ifExists().execute();
  await db.schema.dropTable('campaign_stats_stamps').ifExists().execute();
  await db.schema.dropIndex('value_history_campaign_id_idx').ifExists().execute();
  await db.schema.dropIndex('campaign_organisations_organisation_idx').ifExists().execute();
  await sql`alter table users drop constraint if exists users_regional_analyst_has_region`.execute(db);
  await sql`alter table users drop constraint if exists users_role_check`.execute(db);
  await sql`alter table users add constraint users_role_check check (role in ('admin', 'analyst', 'working_group', 'org_rep'))`.execute(db);
  await db.schema.alterTable('users').dropColumn('region_id').execute();
  await db.schema.alterTable('municipalities').dropColumn('synthetic').execute();
  await db.schema.alterTable('municipalities').dropColumn('region_id').execute();
  await db.schema.dropTable('regions').ifExists().execute();
}
