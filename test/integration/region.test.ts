/** Region level (issue 9) on the real database: the demo municipality A (seed 004) and a generated region of two
 * synthetic municipalities B and C in one database. A municipal analyst of A sees nothing of B (organisations,
 * campaigns, surveys, recommendations — lists and single items), B's analyst nothing of A; the regional analyst sees
 * the region's published campaigns and compares municipalities, and the figures agree with the same aggregation
 * written in SQL over the stored values. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { generateRegion } from '../../src/services/region/region-generate.ts';
import { createUser } from '../../src/services/admin/users.ts';
import { SYSTEM_ACTOR } from '../../src/services/errors.ts';
import { BACKENDS, Client, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

interface Item { id: string; title?: string; shortName?: string }

describe.each(BACKENDS)('region level and municipal scoping on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let analystA: Client;
  let analystB: Client;
  let regional: Client;
  let munB: string;
  let orgsB: string[];
  let campaignsB: string[];
  let surveyB: string;
  let recB: string;
  let campaignA: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    await generateRegion(database.db, SYSTEM_ACTOR, { municipalities: 2, organisations: 16, years: 2, seed: 7 });
    const muns = await database.db.selectFrom('municipalities').select(['id', 'name']).where('synthetic', '=', true).orderBy('name').execute();
    munB = muns[0]!.id;
    await createUser(database.db, SYSTEM_ACTOR, { login: 'analyst-b', fullName: 'Аналитик Б', role: 'analyst', password: 'demo2022' }, munB);
    orgsB = (await database.db.selectFrom('organisations').select('id').where('municipality_id', '=', munB).execute()).map((r) => r.id);
    campaignsB = (await sql<{ id: string }>`select distinct co.campaign_id as id from campaign_organisations co join organisations o on o.id = co.organisation_id where o.municipality_id = ${munB}`.execute(database.db)).rows.map((r) => r.id);
    surveyB = (await sql<{ id: string }>`select distinct l.survey_id as id from survey_links l join organisations o on o.id = l.organisation_id where o.municipality_id = ${munB}`.execute(database.db)).rows[0]!.id;
    app = (await buildTestApp(database)).app;
    analystA = new Client(app, '10.7.0.1');
    analystB = new Client(app, '10.7.0.2');
    regional = new Client(app, '10.7.0.3');
    expect((await analystA.login('analyst')).statusCode).toBe(200);
    expect((await analystB.login('analyst-b')).statusCode).toBe(200);
    expect((await regional.login('region')).statusCode).toBe(200);
    const rec = await analystB.post('/api/recommendations', { direction: 'talents', addresseeKind: 'head', organisationIds: [orgsB[0]], text: 'Рекомендация муниципалитета Б' });
    expect(rec.statusCode).toBe(201);
    recB = (rec.json() as { items: Item[] }).items[0]!.id;
    const created = await analystA.post('/api/campaigns', {
      title: 'Мониторинг А', methodologyId: 'talents-2021', methodologyVersion: '2021.1', period: '2021/2022',
      participants: { mode: 'all' }, opensOn: '2022-02-15', dueOn: '2022-06-01', closesOn: '2022-06-30',
    });
    expect(created.statusCode).toBe(201);
    campaignA = created.json().id;
    expect(created.json().organisationCount).toBe(51);
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('shows a municipal analyst of A nothing of B: organisations, campaigns, surveys, recommendations', async () => {
    const orgs = (await analystA.get('/api/organisations?status=all')).json().items as Item[];
    expect(orgs).toHaveLength(51);
    expect(orgs.filter((o) => orgsB.includes(o.id))).toEqual([]);
    expect((await analystA.get(`/api/organisations/${orgsB[0]}`)).statusCode).toBe(404);
    const campaigns = (await analystA.get('/api/campaigns')).json().items as Item[];
    expect(campaigns.map((c) => c.id)).toEqual([campaignA]);
    for (const id of campaignsB.slice(0, 3)) expect((await analystA.get(`/api/campaigns/${id}`)).statusCode).toBe(404);
    expect(((await analystA.get('/api/surveys')).json().items as Item[]).map((s) => s.id)).not.toContain(surveyB);
    expect((await analystA.get(`/api/surveys/${surveyB}`)).statusCode).toBe(404);
    expect((await analystA.get(`/api/surveys/${surveyB}/results`)).statusCode).toBe(404);
    expect(((await analystA.get('/api/recommendations')).json().items as Item[]).map((r) => r.id)).not.toContain(recB);
    expect((await analystA.get(`/api/recommendations/${recB}`)).statusCode).toBe(404);
  });

  it('shows the analyst of B only B, and a campaign over «all» organisations takes only B', async () => {
    const orgs = (await analystB.get('/api/organisations?status=all')).json().items as Item[];
    expect(orgs.map((o) => o.id).sort()).toEqual([...orgsB].sort());
    const campaigns = (await analystB.get('/api/campaigns')).json().items as Item[];
    expect(campaigns.map((c) => c.id).sort()).toEqual([...campaignsB].sort());
    expect(campaigns).toHaveLength(12); // 6 computable methodologies × 2 years
    expect((await analystB.get(`/api/campaigns/${campaignA}`)).statusCode).toBe(404);
    expect(((await analystB.get('/api/recommendations')).json().items as Item[]).map((r) => r.id)).toEqual([recB]);
    const draft = await analystB.post('/api/campaigns', {
      title: 'Черновик Б', methodologyId: 'talents-2021', methodologyVersion: '2021.1', period: '2022/2023',
      participants: { mode: 'all' }, opensOn: '2023-02-15', dueOn: '2023-06-01', closesOn: '2023-06-30',
    });
    expect(draft.statusCode).toBe(201);
    expect(draft.json().organisationCount).toBe(orgsB.length);
    const foreign = await analystB.post('/api/campaigns', {
      title: 'Чужие организации', methodologyId: 'talents-2021', methodologyVersion: '2021.1', period: '2022/2023',
      participants: { mode: 'list', organisationIds: [(await analystA.get('/api/organisations')).json().items[0].id] },
      opensOn: '2023-02-15', dueOn: '2023-06-01', closesOn: '2023-06-30',
    });
    expect(foreign.statusCode).toBe(400);
    const regionCampaigns = (await regional.get('/api/region/campaigns')).json().items as Item[];
    expect(regionCampaigns.map((c) => c.title)).not.toContain('Черновик Б');
    expect(regionCampaigns).toHaveLength(24);
  });

  it('keeps the roles apart: the regional analyst has no municipal routes, municipal roles no regional ones', async () => {
    expect((await regional.get('/api/organisations')).statusCode).toBe(403);
    expect((await regional.get('/api/campaigns')).statusCode).toBe(403);
    expect((await analystA.get('/api/region')).statusCode).toBe(403);
    const me = (await regional.get('/api/auth/me')).json().user;
    expect(me).toMatchObject({ login: 'region', role: 'regional_analyst', municipalityId: null });
  });

  it('ranks, distributes and follows the municipalities with the figures SQL computes from the same values', async () => {
    const overview = (await regional.get('/api/region')).json();
    expect(overview.municipalities).toHaveLength(2);
    expect(overview.region.synthetic).toBe(true);
    const talents = overview.methodologies.find((m: { id: string }) => m.id === 'talents-2021');
    expect(talents.periods.map((p: { code: string }) => p.code)).toEqual(['2020/2021', '2021/2022']);
    expect(talents.levelIndicators.map((i: { id: string }) => i.id)).toEqual(['diversity_index']);

    // The same aggregation in SQL: mean of the organisations' rounded diversity indices, per municipality.
    const expected = await sql<{ municipality_id: string; mean: number; n: number }>`
      with cur as (
        select distinct on (v.organisation_id, v.input) v.organisation_id, v.input, (v.value #>> '{}')::numeric as x
        from value_history v join campaigns c on c.id = v.campaign_id
        where c.methodology_id = 'talents-2021' and c.period_code = '2021/2022' and c.status = 'published' and v.input in ('students', 'programmes')
        order by v.organisation_id, v.input, v.id desc),
      idx as (
        select organisation_id, round(max(x) filter (where input = 'programmes') / nullif(max(x) filter (where input = 'students'), 0) * 100, 1) as i
        from cur group by organisation_id)
      select o.municipality_id, round(avg(i), 1)::float8 as mean, count(i)::int as n
      from idx join organisations o on o.id = idx.organisation_id where o.municipality_id is not null group by o.municipality_id`.execute(database.db);
    const ranking = await regional.get('/api/region/ranking?methodologyId=talents-2021&period=2021/2022&metric=aggregate:municipal_diversity_index');
    expect(ranking.statusCode).toBe(200);
    const rows = ranking.json().rows as { rank: number; municipalityId: string; value: number; organisations: number }[];
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      const e = expected.rows.find((x) => x.municipality_id === r.municipalityId);
      expect(r.value).toBe(Number(e?.mean));
      expect(r.organisations).toBe(Number(e?.n));
    }
    expect(rows[0]!.value).toBeGreaterThanOrEqual(rows[1]!.value);
    expect(rows.map((r) => r.rank)).toEqual(rows[0]!.value === rows[1]!.value ? [1, 1] : [1, 2]);

    const dist = (await regional.get('/api/region/distribution?methodologyId=talents-2021&period=2021/2022&indicator=diversity_index')).json();
    for (const row of dist.rows as { municipalityId: string; rated: number; counts: Record<string, number> }[]) {
      expect(Object.values(row.counts).reduce((s, n) => s + n, 0)).toBe(row.rated);
      expect(row.rated).toBe(Number(expected.rows.find((x) => x.municipality_id === row.municipalityId)?.n));
    }
    const dyn = (await regional.get('/api/region/dynamics?methodologyId=talents-2021&metric=aggregate:municipal_diversity_index')).json();
    expect(dyn.periods.map((p: { code: string }) => p.code)).toEqual(['2020/2021', '2021/2022']);
    for (const row of dyn.rows as { municipalityId: string; values: number[] }[]) expect(row.values[1]).toBe(rows.find((r) => r.municipalityId === row.municipalityId)?.value);

    const docx = await regional.get('/api/region/report.docx?methodologyId=talents-2021&period=2021/2022&metric=aggregate:municipal_diversity_index');
    expect(docx.statusCode).toBe(200);
    expect(docx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    expect((await regional.get('/api/region/ranking?methodologyId=talents-2021&period=2021/2022&metric=mean:nothing')).statusCode).toBe(400);
  });

  it('recomputes a campaign whose values changed after its statistics were stored', async () => {
    const url = '/api/region/ranking?methodologyId=talents-2021&period=2021/2022&metric=aggregate:diversity_ratio_of_sums';
    const before = (await regional.get(url)).json().rows as { municipalityId: string; value: number }[];
    const target = before.find((r) => r.municipalityId === munB)!;
    const campaign = (await sql<{ id: string }>`select c.id from campaigns c join campaign_organisations co on co.campaign_id = c.id join organisations o on o.id = co.organisation_id
      where o.municipality_id = ${munB} and c.methodology_id = 'talents-2021' and c.period_code = '2021/2022' limit 1`.execute(database.db)).rows[0]!.id;
    const sums = await sql<{ p: number; s: number }>`select sum((value #>> '{}')::numeric) filter (where input = 'programmes')::float8 as p, sum((value #>> '{}')::numeric) filter (where input = 'students')::float8 as s
      from (select distinct on (organisation_id, input) input, value from value_history where campaign_id = ${campaign} and input in ('programmes', 'students') order by organisation_id, input, id desc) cur`.execute(database.db);
    const { p, s } = sums.rows[0]!;
    expect(target.value).toBe(Math.round((p / s) * 1000) / 10);
    // A correction arrives (an import into the published campaign's history): 100 more programmes in one organisation.
    await database.db.insertInto('value_history').values({ campaign_id: campaign, organisation_id: orgsB[0]!, input: 'programmes', value: JSON.stringify(100 + Number((await sql<{ v: number }>`select (value #>> '{}')::int as v from value_history where campaign_id = ${campaign} and organisation_id = ${orgsB[0]!} and input = 'programmes' order by id desc limit 1`.execute(database.db)).rows[0]?.v ?? 0)), source: 'import', source_ref: 'test' }).execute();
    const after = (await regional.get(url)).json().rows as { municipalityId: string; value: number }[];
    expect(after.find((r) => r.municipalityId === munB)!.value).toBe(Math.round(((p + 100) / s) * 1000) / 10);
  });
});
