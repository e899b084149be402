/** Which campaigns the regional comparison takes, and that it stays fresh (issue 9, src/services/region/region.ts): a published
 * campaign is compared when any one of its participants is in the region — also when its first participant (in the
 * order of campaign_organisations' key) belongs to another region; a campaign of another region only is not; a value
 * added to a published campaign after its statistics were stored shows up in the ranking and the dynamics at once; two
 * recomputations of the same campaigns at once (two app processes answering right after an import) both succeed. */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { SYSTEM_ACTOR } from '../../src/services/errors.ts';
import { generateRegion } from '../../src/services/region/region-generate.ts';
import { recomputeCampaignStats, regionDynamics, regionRanking, type RegionRef } from '../../src/services/region/region.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from './helpers.ts';

const METRIC = 'aggregate:diversity_ratio_of_sums';
// The smallest uuid: this organisation of the other region comes first among a campaign's participants.
const FOREIGN_FIRST = '00000000-0000-4000-8000-000000000001';

describe.each(BACKENDS)('regional comparison: campaigns of the region, fresh figures on %s', (kind) => {
  let database: TestDatabase;
  let region: RegionRef;
  let munB: string;
  let orgsB: string[];
  let mixed: string;

  /** A published talents-2021 campaign over `organisations`, each with students, programmes and surveyed pupils. */
  async function publishedCampaign(period: string, start: string, organisations: string[]): Promise<string> {
    const db = database.db;
    const c = await db.insertInto('campaigns').values({
      title: `Сравнение ${period}`, methodology_id: 'talents-2021', methodology_version: '2021.1', period_code: period, period_start: start,
      selection: JSON.stringify({ mode: 'list', organisationIds: organisations }), opens_on: start, due_on: start, closes_on: start, status: 'published',
    }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('campaign_organisations').values(organisations.map((o) => ({ campaign_id: c.id, organisation_id: o }))).execute();
    await db.insertInto('value_history').values(organisations.flatMap((o, i) => [
      { campaign_id: c.id, organisation_id: o, input: 'students', value: JSON.stringify(100 + 10 * i), source: 'import' as const },
      { campaign_id: c.id, organisation_id: o, input: 'programmes', value: JSON.stringify(5 + i), source: 'import' as const },
      { campaign_id: c.id, organisation_id: o, input: 'surveyed_students', value: JSON.stringify(50), source: 'import' as const },
    ])).execute();
    return c.id;
  }

  /** programmes / students × 100 over the current values of a campaign's organisations in municipality B. */
  async function ratioOfB(campaign: string): Promise<number> {
    const r = await sql<{ p: number; s: number }>`
      select sum(x) filter (where input = 'programmes')::float8 as p, sum(x) filter (where input = 'students')::float8 as s
      from (select distinct on (v.organisation_id, v.input) v.input, (v.value #>> '{}')::numeric as x
        from value_history v join organisations o on o.id = v.organisation_id
        where v.campaign_id = ${campaign} and o.municipality_id = ${munB} order by v.organisation_id, v.input, v.id desc) cur`.execute(database.db);
    return Math.round((r.rows[0]!.p / r.rows[0]!.s) * 1000) / 10;
  }

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const db = database.db;
    await seedDemo(db);
    await generateRegion(db, SYSTEM_ACTOR, { municipalities: 2, organisations: 16, years: 2, seed: 7 });
    region = (await db.selectFrom('regions').select(['id', 'name', 'synthetic']).where('synthetic', '=', true).executeTakeFirstOrThrow()) as RegionRef;
    munB = (await db.selectFrom('municipalities').select('id').where('region_id', '=', region.id).orderBy('name').executeTakeFirstOrThrow()).id;
    orgsB = (await db.selectFrom('organisations').select('id').where('municipality_id', '=', munB).orderBy('no').execute()).map((r) => r.id);
    // Another region with one municipality and two schools, the first with the smallest possible id.
    const other = await db.insertInto('regions').values({ name: 'Соседний регион' }).returning('id').executeTakeFirstOrThrow();
    const munD = await db.insertInto('municipalities').values({ name: 'Муниципалитет Д', region_id: other.id }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('organisations').values([
      { id: FOREIGN_FIRST, municipality_id: munD.id, no: 9001, short_name: 'Школа Д-1', full_name: 'Школа Д-1', type: 'school' },
      { municipality_id: munD.id, no: 9002, short_name: 'Школа Д-2', full_name: 'Школа Д-2', type: 'school' },
    ]).execute();
    const orgsD = (await db.selectFrom('organisations').select('id').where('municipality_id', '=', munD.id).orderBy('no').execute()).map((r) => r.id);
    expect(orgsD[0]).toBe(FOREIGN_FIRST);
    mixed = await publishedCampaign('2030/2031', '2030-09-01', [FOREIGN_FIRST, ...orgsB.slice(0, 3)]);
    await publishedCampaign('2031/2032', '2031-09-01', orgsD);
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it('compares a campaign with a participant in the region even when its first participant is elsewhere; not one of another region only', async () => {
    const first = await database.db.selectFrom('campaign_organisations').select('organisation_id').where('campaign_id', '=', mixed).orderBy('organisation_id').executeTakeFirstOrThrow();
    expect(first.organisation_id).toBe(FOREIGN_FIRST);
    const ranking = await regionRanking(database.db, region, { methodologyId: 'talents-2021', period: '2030/2031', metric: METRIC });
    expect(ranking.rows.map((r) => ({ id: r.municipalityId, value: r.value, organisations: r.organisations }))).toEqual([{ id: munB, value: await ratioOfB(mixed), organisations: 3 }]);
    await expect(regionRanking(database.db, region, { methodologyId: 'talents-2021', period: '2031/2032', metric: METRIC })).rejects.toMatchObject({ code: 'NOTHING_TO_COMPARE' });
    const dyn = await regionDynamics(database.db, region, { methodologyId: 'talents-2021', metric: METRIC });
    expect(dyn.periods.map((p) => p.code)).toEqual(['2020/2021', '2021/2022', '2030/2031']);
    expect(dyn.rows.find((r) => r.municipalityId === munB)?.values[2]).toBe(await ratioOfB(mixed));
  });

  it('a value added to a published campaign after its statistics were stored shows up in the ranking and the dynamics', async () => {
    const q = { methodologyId: 'talents-2021', period: '2030/2031', metric: METRIC };
    const before = (await regionRanking(database.db, region, q)).rows[0]!.value;
    const stamp = await database.db.selectFrom('campaign_stats_stamps').select('last_value_id').where('campaign_id', '=', mixed).executeTakeFirstOrThrow();
    await database.db.insertInto('value_history').values({ campaign_id: mixed, organisation_id: orgsB[1]!, input: 'programmes', value: JSON.stringify(60), source: 'import', source_ref: 'исправление' }).execute();
    const expected = await ratioOfB(mixed);
    expect(expected).not.toBe(before);
    expect((await regionRanking(database.db, region, q)).rows[0]!.value).toBe(expected);
    const dyn = await regionDynamics(database.db, region, { methodologyId: 'talents-2021', metric: METRIC });
    expect(dyn.rows.find((r) => r.municipalityId === munB)?.values[2]).toBe(expected);
    const after = await database.db.selectFrom('campaign_stats_stamps').select('last_value_id').where('campaign_id', '=', mixed).executeTakeFirstOrThrow();
    expect(Number(after.last_value_id)).toBeGreaterThan(Number(stamp.last_value_id));
  });

  it('two recomputations of the same campaigns at once both succeed and leave one set of statistics', async () => {
    const db = database.db;
    const ids = (await db.selectFrom('campaigns').select('id').where('status', '=', 'published').execute()).map((r) => r.id);
    const count = async () => Number((await db.selectFrom('campaign_stats').select(sql<number>`count(*)::int`.as('n')).where('campaign_id', 'in', ids).executeTakeFirstOrThrow()).n);
    const single = await recomputeCampaignStats(db, ids, 10);
    const rows = await count();
    expect(rows).toBe(single.rows);
    // On a server the pool gives each recomputation its own connection, as two processes would have.
    for (let round = 0; round < 5; round++) {
      const both = await Promise.allSettled([recomputeCampaignStats(db, ids, 10), recomputeCampaignStats(db, ids, 10)]);
      expect(both.map((r) => (r.status === 'rejected' ? String(r.reason) : r.value.rows))).toEqual([rows, rows]);
    }
    expect(await count()).toBe(rows);
  });
});
