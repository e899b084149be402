/** `campaign_participation` (migration 0012, issue 9): participants of each campaign per municipality, kept by
 * triggers. It must always equal the count over campaign_organisations — after `msoko generate`'s bulk insert, a
 * campaign created through the service, a participant removed, an organisation moved to another municipality — and the
 * region's campaign list read from it must list exactly the participations. */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign } from '../../src/services/collection/campaigns.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { SYSTEM_ACTOR } from '../../src/services/errors.ts';
import { generateRegion } from '../../src/services/region/region-generate.ts';
import { regionCampaigns, type RegionRef } from '../../src/services/region/region.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from './helpers.ts';

interface Count { campaign_id: string; municipality_id: string; organisations: number }

describe.each(BACKENDS)('campaign participation per municipality on %s', (kind) => {
  let database: TestDatabase;
  let region: RegionRef;

  const stored = async () =>
    (await sql<Count>`select campaign_id, municipality_id, organisations from campaign_participation order by campaign_id, municipality_id`.execute(database.db)).rows;
  const counted = async () =>
    (await sql<Count>`select co.campaign_id, o.municipality_id, count(*)::int as organisations from campaign_organisations co
      join organisations o on o.id = co.organisation_id group by co.campaign_id, o.municipality_id order by co.campaign_id, o.municipality_id`.execute(database.db)).rows;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    await generateRegion(database.db, SYSTEM_ACTOR, { municipalities: 3, organisations: 18, years: 2, seed: 3 });
    region = await database.db.selectFrom('regions').select(['id', 'name', 'synthetic']).executeTakeFirstOrThrow();
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it('equals the participations after generation and after a campaign is created', async () => {
    const before = await stored();
    expect(before.length).toBeGreaterThan(10);
    expect(before).toEqual(await counted());
    const created = await createCampaign(database.db, SYSTEM_ACTOR, {
      title: 'Все организации', methodologyId: 'talents-2021', methodologyVersion: '2021.1', period: '2024/2025',
      opensOn: '2024-09-01', dueOn: '2024-10-01', closesOn: '2024-10-31', participants: { mode: 'all' },
    });
    const rows = (await stored()).filter((r) => r.campaign_id === created.id);
    expect(rows.reduce((n, r) => n + r.organisations, 0)).toBe(created.organisationCount);
    expect(await stored()).toEqual(await counted());
  });

  it('follows a removed participant and an organisation moved to another municipality', async () => {
    const [b, c] = await database.db.selectFrom('municipalities').select('id').where('region_id', '=', region.id).orderBy('name').execute();
    const org = await database.db.selectFrom('organisations').select('id').where('municipality_id', '=', b!.id).orderBy('no').executeTakeFirstOrThrow();
    // Published campaigns of this organisation with other participants of its municipality too.
    const campaignOf = (await sql<{ campaign_id: string }>`
      select co.campaign_id from campaign_organisations co join campaigns c on c.id = co.campaign_id
      where co.organisation_id = ${org.id} and c.status = 'published'
        and (select count(*) from campaign_organisations x join organisations xo on xo.id = x.organisation_id where x.campaign_id = co.campaign_id and xo.municipality_id = ${b!.id}) > 1
      order by co.campaign_id`.execute(database.db)).rows.map((r) => r.campaign_id);
    expect(campaignOf.length).toBeGreaterThan(0);
    const no = (await sql<{ n: number }>`select coalesce(max(no), 0)::int + 1 as n from organisations where municipality_id = ${c!.id}`.execute(database.db)).rows[0]!.n;
    await database.db.updateTable('organisations').set({ municipality_id: c!.id, no }).where('id', '=', org.id).execute();
    expect(await stored()).toEqual(await counted());
    const listed = (await regionCampaigns(database.db, region)).find((x) => x.id === campaignOf[0]);
    expect(listed?.municipalities.length).toBe(2);

    await database.db.deleteFrom('campaign_organisations').where('campaign_id', '=', campaignOf[0]!).where('organisation_id', '=', org.id).execute();
    expect(await stored()).toEqual(await counted());
    const after = (await regionCampaigns(database.db, region)).find((x) => x.id === campaignOf[0]);
    expect(after?.municipalities.length).toBe(1);
    expect(after?.organisations).toBe(listed!.organisations - 1);
  });
});
