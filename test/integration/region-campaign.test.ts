/** Regional campaigns and municipal scoping of routes by id (issue 9) on the real database: the demo municipality A
 * (seed 004, not in the region) and a generated region of three synthetic municipalities B, C, D. The regional analyst
 * runs a campaign over B and C; a representative of a B organisation fills and submits; B's analyst sees the campaign
 * with only B's organisations and accepts, C's analyst cannot reach B's form (404), D's analyst does not see the
 * campaign. Road maps and decisions belong to a municipality: another municipality neither lists nor changes them. */
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { generateRegion } from '../../src/services/region/region-generate.ts';
import { createUser } from '../../src/services/admin/users.ts';
import { SYSTEM_ACTOR } from '../../src/services/errors.ts';
import { BACKENDS, Client, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

interface Row { municipality: string; organisations: number; counts: Record<string, number>; overdue: number }

describe.each(BACKENDS)('regional campaign and municipal scoping by id on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let regional: Client;
  let analystA: Client;
  let analystB: Client;
  let analystC: Client;
  let analystD: Client;
  let repB: Client;
  const mun: { id: string; name: string }[] = [];
  const orgsOf = new Map<string, { id: string; type: string }[]>();
  let campaignId: string;
  let orgB: string;

  const campaign = (body: Record<string, unknown>) => ({
    title: 'Региональный мониторинг охвата', methodologyId: 'talents-2021', methodologyVersion: '2021.1', period: '2023/2024',
    opensOn: '2024-02-15', dueOn: '2024-06-01', closesOn: '2030-06-30', ...body,
  });
  const form = (orgId: string) => `/api/campaigns/${campaignId}/organisations/${orgId}`;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    await generateRegion(database.db, SYSTEM_ACTOR, { municipalities: 3, organisations: 15, years: 1, seed: 11 });
    mun.push(...(await database.db.selectFrom('municipalities').select(['id', 'name']).where('synthetic', '=', true).orderBy('name').execute()));
    for (const m of mun) orgsOf.set(m.id, await database.db.selectFrom('organisations').select(['id', 'type']).where('municipality_id', '=', m.id).where('status', '=', 'active').orderBy('no').execute());
    const [b, c, d] = mun;
    orgB = orgsOf.get(b!.id)![0]!.id;
    for (const [login, m] of [['analyst-b', b!], ['analyst-c', c!], ['analyst-d', d!]] as const) {
      await createUser(database.db, SYSTEM_ACTOR, { login, fullName: `Аналитик ${login}`, role: 'analyst', password: 'demo2022' }, m.id);
    }
    await createUser(database.db, SYSTEM_ACTOR, { login: 'rep-b', fullName: 'Представитель ОО Б', role: 'org_rep', organisationId: orgB, password: 'demo2022' });
    app = (await buildTestApp(database)).app;
    regional = new Client(app, '10.9.0.1');
    analystA = new Client(app, '10.9.0.2');
    analystB = new Client(app, '10.9.0.3');
    analystC = new Client(app, '10.9.0.4');
    analystD = new Client(app, '10.9.0.5');
    repB = new Client(app, '10.9.0.6');
    for (const [client, login] of [[regional, 'region'], [analystA, 'analyst'], [analystB, 'analyst-b'], [analystC, 'analyst-c'], [analystD, 'analyst-d'], [repB, 'rep-b']] as const) {
      expect((await client.login(login)).statusCode).toBe(200);
    }
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('creates a campaign over 2 of 3 municipalities: the participants are exactly their organisations', async () => {
    const [b, c] = mun;
    const res = await regional.post('/api/region/regional-campaigns', campaign({ participants: { mode: 'municipalities', municipalityIds: [b!.id, c!.id] } }));
    expect(res.statusCode, res.body).toBe(201);
    campaignId = res.json().id;
    const expected = [...orgsOf.get(b!.id)!, ...orgsOf.get(c!.id)!].map((o) => o.id).sort();
    const stored = (await database.db.selectFrom('campaign_organisations').select('organisation_id').where('campaign_id', '=', campaignId).execute()).map((r) => r.organisation_id).sort();
    expect(stored).toEqual(expected);
    expect(res.json()).toMatchObject({ status: 'draft', organisationCount: expected.length, wholeRegion: false, types: null, municipalities: [b!.name, c!.name].sort() });
    const audit = await database.db.selectFrom('audit_log').select(['action', 'actor_login']).where('target_id', '=', campaignId).execute();
    expect(audit).toEqual([{ action: 'campaign.create', actor_login: 'region' }]);

    const list = (await regional.get('/api/region/regional-campaigns')).json().items as { id: string }[];
    expect(list.map((x) => x.id)).toEqual([campaignId]);
  });

  it('takes the whole region by organisation type, and refuses foreign municipalities and empty choices in Russian', async () => {
    const schools = await regional.post('/api/region/regional-campaigns', campaign({ title: 'Школы региона', participants: { mode: 'region' }, types: ['school'] }));
    expect(schools.statusCode, schools.body).toBe(201);
    const allSchools = [...orgsOf.values()].flat().filter((o) => o.type === 'school').map((o) => o.id).sort();
    const stored = (await database.db.selectFrom('campaign_organisations').select('organisation_id').where('campaign_id', '=', schools.json().id).execute()).map((r) => r.organisation_id).sort();
    expect(stored).toEqual(allSchools);
    expect(schools.json()).toMatchObject({ wholeRegion: true, types: ['school'], participants: { mode: 'types', types: ['school'] } });

    const demoMunicipality = (await database.db.selectFrom('municipalities').select('id').where('synthetic', '=', false).executeTakeFirstOrThrow()).id;
    const foreign = await regional.post('/api/region/regional-campaigns', campaign({ participants: { mode: 'municipalities', municipalityIds: [demoMunicipality] } }));
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().error.fields).toEqual([{ path: 'participants', message: expect.stringContaining('не входят в регион') }]);
    const none = await regional.post('/api/region/regional-campaigns', campaign({ participants: { mode: 'municipalities', municipalityIds: [] } }));
    expect(none.statusCode).toBe(400);
    expect(JSON.stringify(none.json().error.fields)).toContain('Выберите хотя бы один муниципалитет');
    const dates = await regional.post('/api/region/regional-campaigns', campaign({ participants: { mode: 'region' }, dueOn: '2024-01-01' }));
    expect(dates.statusCode).toBe(400);
    expect(dates.json().error.fields).toEqual([{ path: 'dueOn', message: 'Срок сдачи раньше даты открытия' }]);
  });

  it('is run by the regional analyst only; a representative fills and submits, the municipal analyst accepts their own', async () => {
    expect((await analystB.post(`/api/campaigns/${campaignId}/open`)).json().error.code).toBe('REGIONAL_CAMPAIGN');
    const opened = await regional.post(`/api/region/regional-campaigns/${campaignId}/open`);
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.json().status).toBe('open');

    const values = { values: { students: 640, programmes: 31, surveyed_students: 520 }, source: 'form' };
    const saved = await repB.request('PUT', `${form(orgB)}/values`, { ...values, values: Object.fromEntries(Object.entries(values.values).map(([k, v]) => [k, { value: v }])) });
    expect(saved.statusCode, saved.body).toBe(200);
    const submitted = await repB.post(`${form(orgB)}/submit`, { comment: 'Данные по журналу учёта' });
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json().status).toBe('submitted');
    expect(((await repB.get('/api/campaigns')).json().items as { id: string }[]).map((c) => c.id)).toContain(campaignId);

    // C's analyst: another municipality's form is a missing object, whatever the route.
    for (const res of [await analystC.post(`${form(orgB)}/accept`, {}), await analystC.post(`${form(orgB)}/return`, { comment: 'Чужая форма' }), await analystC.get(form(orgB))]) {
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('ORGANISATION_NOT_FOUND');
    }
    const accepted = await analystB.post(`${form(orgB)}/accept`, {});
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().status).toBe('accepted');
  });

  it('shows each municipal analyst the campaign with only their organisations; a non-participant does not see it', async () => {
    const [b, c] = mun;
    for (const [client, m] of [[analystB, b!], [analystC, c!]] as const) {
      expect(((await client.get('/api/campaigns')).json().items as { id: string }[]).map((x) => x.id)).toContain(campaignId);
      const detail = await client.get(`/api/campaigns/${campaignId}`);
      expect(detail.statusCode).toBe(200);
      expect((detail.json().rows as { organisationId: string }[]).map((r) => r.organisationId).sort()).toEqual(orgsOf.get(m.id)!.map((o) => o.id).sort());
      expect(detail.json().organisationCount).toBe(orgsOf.get(m.id)!.length);
      // The campaign page hides the status buttons of a regional campaign by this flag.
      expect(detail.json().regional).toBe(true);
      expect(((await client.get('/api/campaigns')).json().items as { id: string; organisationCount: number }[]).find((x) => x.id === campaignId)!.organisationCount).toBe(orgsOf.get(m.id)!.length);
    }
    expect(((await analystD.get('/api/campaigns')).json().items as { id: string }[]).map((x) => x.id)).not.toContain(campaignId);
    expect((await analystD.get(`/api/campaigns/${campaignId}`)).statusCode).toBe(404);
    // The analysis and report routes are covered by the same app-wide municipal scope hook.
    for (const path of ['analysis', 'report?format=docx', 'report-texts', 'recommendation-proposals']) {
      expect((await analystD.get(`/api/campaigns/${campaignId}/${path}`)).json().error.code).toBe('CAMPAIGN_NOT_FOUND');
    }
    expect((await analystD.post(`/api/campaigns/${campaignId}/close`)).statusCode).toBe(404);
    expect((await analystA.get(`/api/campaigns/${campaignId}`)).statusCode).toBe(404);
    // B's list: the regional campaigns flagged, B's own generated (municipal) campaigns not.
    const listB = (await analystB.get('/api/campaigns')).json().items as { id: string; regional: boolean }[];
    const regionalIds = new Set((await database.db.selectFrom('campaigns').select('id').where('region_id', 'is not', null).execute()).map((r) => r.id));
    const municipalB = listB.filter((x) => !regionalIds.has(x.id));
    expect(municipalB.length).toBeGreaterThan(0);
    expect(listB.map((x) => x.regional)).toEqual(listB.map((x) => regionalIds.has(x.id)));
    expect((await analystB.get(`/api/campaigns/${municipalB[0]!.id}`)).json().regional).toBe(false);
  });

  it('gives a municipal analyst the analysis, report text and proposals of a regional campaign over their organisations only', async () => {
    const [b, c] = mun;
    for (const [client, m] of [[analystB, b!], [analystC, c!]] as const) {
      const own = orgsOf.get(m.id)!.map((o) => o.id).sort();
      const analysis = await client.get(`/api/campaigns/${campaignId}/analysis?basis=all`);
      expect(analysis.statusCode, analysis.body).toBe(200);
      expect((analysis.json().organisations as { id: string }[]).map((o) => o.id).sort()).toEqual(own);
      expect((await client.get(`/api/campaigns/${campaignId}/report-texts?basis=all`)).statusCode).toBe(200);
      const proposals = await client.get(`/api/campaigns/${campaignId}/recommendation-proposals?basis=all`);
      expect(proposals.statusCode, proposals.body).toBe(200);
      // Proposals name organisations by id; skipped ones by registry number, which repeats across municipalities.
      const p = proposals.json() as { proposals: { organisationId: string | null }[]; skipped: { organisation: string }[] };
      for (const id of p.proposals.map((x) => x.organisationId)) expect(own).toContain(id);
      expect(new Set([...p.proposals.map((x) => x.organisationId), ...p.skipped.map((x) => x.organisation)]).size).toBeLessThanOrEqual(own.length);
    }
    // The regional analyst's comparison is not limited: the campaign has B's and C's organisations together.
    const all = await database.db.selectFrom('campaign_organisations').select('organisation_id').where('campaign_id', '=', campaignId).execute();
    expect(all.length).toBe(orgsOf.get(b!.id)!.length + orgsOf.get(c!.id)!.length);
  });

  it('reports participation per municipality with overdue forms', async () => {
    const [b, c] = mun;
    const res = await regional.get(`/api/region/regional-campaigns/${campaignId}`);
    expect(res.statusCode).toBe(200);
    const p = res.json() as { rows: Row[]; totals: { organisations: number; overdue: number; counts: Record<string, number> } };
    const nB = orgsOf.get(b!.id)!.length;
    const nC = orgsOf.get(c!.id)!.length;
    // Due 01.06.2024 has passed and the campaign is open: every form not submitted or accepted is overdue.
    expect(p.rows).toEqual([
      { municipalityId: b!.id, municipality: b!.name, organisations: nB, counts: { not_started: nB - 1, draft: 0, submitted: 0, returned: 0, accepted: 1 }, overdue: nB - 1 },
      { municipalityId: c!.id, municipality: c!.name, organisations: nC, counts: { not_started: nC, draft: 0, submitted: 0, returned: 0, accepted: 0 }, overdue: nC },
    ]);
    expect(p.totals).toEqual({ organisations: nB + nC, counts: { not_started: nB + nC - 1, draft: 0, submitted: 0, returned: 0, accepted: 1 }, overdue: nB + nC - 1 });
    const closed = await regional.post(`/api/region/regional-campaigns/${campaignId}/close`);
    expect(closed.json().status).toBe('closed');
    expect((await regional.get(`/api/region/regional-campaigns/${campaignId}`)).json().totals.overdue).toBe(0);
    // A municipal campaign is not the regional analyst's to run.
    const municipal = (await database.db.selectFrom('campaigns').select('id').where('region_id', 'is', null).where('status', '=', 'published').executeTakeFirstOrThrow()).id;
    expect((await regional.post(`/api/region/regional-campaigns/${municipal}/close`)).statusCode).toBe(404);
  });

  it('keeps the regional analyst off municipal routes', async () => {
    expect((await regional.get(`/api/campaigns/${campaignId}`)).statusCode).toBe(403);
    expect((await regional.post(`${form(orgB)}/accept`, {})).statusCode).toBe(403);
    expect((await regional.post(`/api/campaigns/${campaignId}/publish`)).statusCode).toBe(403);
    expect((await regional.get('/api/decisions')).statusCode).toBe(403);
    expect((await regional.get('/api/roadmaps/talents/2024')).statusCode).toBe(403);
    expect((await analystB.get('/api/region/regional-campaigns')).statusCode).toBe(403);
  });

  it('keeps road maps and decisions in their municipality: another analyst neither lists nor changes them', async () => {
    const dec = await analystA.post('/api/decisions', { direction: 'talents', kind: 'order', date: '2024-09-12', title: 'Приказ муниципалитета А', responsible: 'Иванова А. А.' });
    expect(dec.statusCode, dec.body).toBe(201);
    const ev = await analystA.post('/api/roadmaps/talents/2024/events', { title: 'Семинар муниципалитета А', deadlineText: 'ежегодно март', executor: 'ИМЦ' });
    expect(ev.statusCode, ev.body).toBe(201);
    const decId = dec.json().id as string;
    const evId = ev.json().id as string;

    expect(((await analystB.get('/api/decisions')).json().items as { id: string }[]).map((d) => d.id)).not.toContain(decId);
    expect(((await analystA.get('/api/decisions')).json().items as { id: string }[]).map((d) => d.id)).toContain(decId);
    // The cycle page counts only the caller's municipality's decisions and road map.
    expect(JSON.stringify((await analystA.get('/api/cycle/talents/2024')).json())).toContain('Приказ муниципалитета А');
    expect(JSON.stringify((await analystB.get('/api/cycle/talents/2024')).json())).not.toContain('Приказ муниципалитета А');
    const roadmapB = (await analystB.get('/api/roadmaps/talents/2024')).json().events as { id: string }[];
    expect(roadmapB.map((e) => e.id)).not.toContain(evId);
    expect(((await analystA.get('/api/roadmaps/talents/2024')).json().events as { id: string }[]).map((e) => e.id)).toContain(evId);

    for (const res of [
      await analystB.patch(`/api/decisions/${decId}`, { title: 'Чужой приказ' }),
      await analystB.get(`/api/decisions/${decId}`),
      await analystB.patch(`/api/roadmaps/events/${evId}`, { title: 'Чужое мероприятие' }),
      await analystB.request('DELETE', `/api/roadmaps/events/${evId}`),
      await analystB.post(`/api/roadmaps/events/${evId}/completions`, { occurrenceDue: '2024-03-31', doneAt: '2024-03-20' }),
    ]) expect(res.statusCode, res.body).toBe(404);
    expect((await database.db.selectFrom('decisions').select('title').where('id', '=', decId).executeTakeFirstOrThrow()).title).toBe('Приказ муниципалитета А');
    expect((await analystA.patch(`/api/decisions/${decId}`, { title: 'Приказ А (ред.)' })).statusCode).toBe(200);

    // Each municipality imports its own road map of the year from the template.
    const importA = await analystA.post('/api/roadmaps/talents/2024/import');
    const importB = await analystB.post('/api/roadmaps/talents/2024/import');
    expect(importA.statusCode, importA.body).toBe(200);
    expect(importB.json()).toEqual(importA.json());
    expect(importA.json().inserted).toBeGreaterThan(0);
    expect((await analystB.post('/api/roadmaps/talents/2024/import')).json()).toMatchObject({ inserted: 0, existing: importA.json().total });
    const countB = ((await analystB.get('/api/roadmaps/talents/2024')).json().events as unknown[]).length;
    expect(countB).toBe(importA.json().total);
  });

  it('limits the yearly report to the caller’s municipality: decisions, road map and campaigns', async () => {
    const docText = async (client: Client, year: number) => {
      const res = await client.get(`/api/yearly-report/${year}.docx`);
      expect(res.statusCode).toBe(200);
      return (await (await JSZip.loadAsync(res.rawPayload)).file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, '');
    };
    for (const [client, who] of [[analystA, 'А'], [analystB, 'Б']] as const) {
      const dec = await client.post('/api/decisions', { direction: 'talents', kind: 'order', date: '2025-03-10', title: `Доклад: приказ муниципалитета ${who}`, responsible: 'Петрова П. П.' });
      expect(dec.statusCode, dec.body).toBe(201);
      // Overdue (March 2025 has passed, not done): the report names it among the overdue road-map items.
      const ev = await client.post('/api/roadmaps/talents/2025/events', { title: `Доклад: семинар муниципалитета ${who}`, deadlineText: 'ежегодно март', executor: 'ИМЦ' });
      expect(ev.statusCode, ev.body).toBe(201);
    }
    const textA = await docText(analystA, 2025);
    const textB = await docText(analystB, 2025);
    expect(textA).toContain('Доклад: приказ муниципалитета А');
    expect(textA).toContain('Доклад: семинар муниципалитета А');
    expect(textA).not.toContain('муниципалитета Б');
    expect(textB).toContain('Доклад: приказ муниципалитета Б');
    expect(textB).toContain('Доклад: семинар муниципалитета Б');
    expect(textB).not.toContain('муниципалитета А');
    // The regional campaign (period 2023/2024) belongs to B and C, its participants' municipalities, not to A.
    expect(await docText(analystB, 2023)).toContain('Региональный мониторинг охвата');
    expect(await docText(analystA, 2023)).not.toContain('Региональный мониторинг охвата');
  });

  it('scopes survey write routes: another municipality’s survey is 404', async () => {
    const [b] = mun;
    const survey = await database.db
      .selectFrom('surveys as s')
      .innerJoin('survey_links as l', 'l.survey_id', 's.id')
      .innerJoin('organisations as o', 'o.id', 'l.organisation_id')
      .select(['s.id', 's.status'])
      .where('o.municipality_id', '=', b!.id)
      .executeTakeFirstOrThrow();
    expect((await analystC.post(`/api/surveys/${survey.id}/close`)).statusCode).toBe(404);
    expect((await analystC.get(`/api/surveys/${survey.id}/links`)).statusCode).toBe(404);
    expect((await database.db.selectFrom('surveys').select('status').where('id', '=', survey.id).executeTakeFirstOrThrow()).status).toBe(survey.status);
  });
});
