/** Issue 7, second part: recommendations from a campaign's results remember their campaign and indicator; a decision
 * links to them; its effect is «нет данных следующего мониторинга» until the next campaign of the methodology has
 * results, then before/after per organisation and overall; cycle completeness follows. */
import JSZip from 'jszip';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { BACKENDS, Client, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

interface Line { organisation: string; before: number | null; after: number | null; change: number | null; trend: string | null; improved: boolean | null; targetReached: boolean | null }

describe.each(BACKENDS)('decision effect and cycle links on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let analyst: Client;
  const org: Record<number, string> = {};
  let before: string;
  let decisionId: string;
  let recIds: string[];

  /** Creates, opens a talents-2021 campaign over the given organisations, saves and submits their values. */
  async function campaign(period: string, values: Record<number, [number, number]>): Promise<string> {
    const year = period.slice(0, 4);
    const res = await analyst.post('/api/campaigns', {
      title: `Мониторинг охвата ДО ${period}`, methodologyId: 'talents-2021', methodologyVersion: '2021.1', period,
      participants: { mode: 'list', organisationIds: Object.keys(values).map((n) => org[Number(n)]) },
      opensOn: `${year}-02-15`, dueOn: `${year}-06-01`, closesOn: '2030-06-30',
    });
    expect(res.statusCode).toBe(201);
    const id = res.json().id as string;
    expect((await analyst.post(`/api/campaigns/${id}/open`)).statusCode).toBe(200);
    for (const [no, [students, programmes]] of Object.entries(values)) {
      const url = `/api/campaigns/${id}/organisations/${org[Number(no)]}`;
      const vals = { students: { value: students }, programmes: { value: programmes }, surveyed_students: { value: Math.round(students / 4) } };
      expect((await analyst.request('PUT', `${url}/values`, { values: vals, source: 'form' })).statusCode).toBe(200);
      const sub = await analyst.post(`${url}/submit`, {});
      expect(sub.statusCode, sub.body).toBe(200);
    }
    return id;
  }

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    app = (await buildTestApp(database)).app;
    for (const r of await database.db.selectFrom('organisations').select(['id', 'no']).execute()) org[r.no] = r.id;
    analyst = new Client(app, '10.8.0.1');
    expect((await analyst.login('analyst')).statusCode).toBe(200);
    // Seed 004 rows: №1 708 students / 16 programmes (2,3 — ниже среднего), №2 1552 / 20 (1,3 — низкий), №4 132 / 9 (6,8).
    before = await campaign('2022', { 1: [708, 16], 2: [1552, 20], 4: [132, 9] });
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('proposes recommendations from the campaign results by the methodology rules, storing nothing', async () => {
    const res = await analyst.get(`/api/campaigns/${before}/recommendation-proposals`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ campaignId: before, methodologyId: 'talents-2021', direction: 'talents', basis: 'submitted', rules: 2 });
    expect(body.proposals.map((p: { organisation: string; rule: string; indicator: string; organisationId: string }) => [p.organisation, p.rule, p.indicator, p.organisationId])).toEqual([
      ['№1', 'diversity_low', 'diversity_index', org[1]],
      ['№2', 'diversity_low', 'diversity_index', org[2]],
    ]);
    expect(body.proposals[0].because).toBe('diversity_index_level == "low" or diversity_index_level == "below_average" при diversity_index_level = below_average');
    expect(await database.db.selectFrom('recommendations').select('id').execute()).toEqual([]);
    const oo1 = new Client(app, '10.8.0.2');
    await oo1.login('oo1');
    expect((await oo1.get(`/api/campaigns/${before}/recommendation-proposals`)).statusCode).toBe(403);
  });

  it('issued recommendations remember the campaign and the indicator; a decision links to them and to the campaign', async () => {
    const res = await analyst.post('/api/recommendations', {
      direction: 'talents', campaignId: before, methodologyId: 'talents-2021', addresseeKind: 'head', organisationIds: [org[1], org[2]],
      text: 'Разнообразить количество и качество программ (отредактировано аналитиком).', dueDate: '2022-12-31',
      indicator: 'diversity_index', ruleId: 'diversity_low', basis: 'diversity_index_level = below_average',
    });
    expect(res.statusCode, res.body).toBe(201);
    recIds = res.json().items.map((r: { id: string }) => r.id);
    const rec = (await analyst.get(`/api/recommendations/${recIds[0]}`)).json();
    expect(rec).toMatchObject({ campaignId: before, campaignTitle: 'Мониторинг охвата ДО 2022', indicator: 'diversity_index', ruleId: 'diversity_low', organisationName: '№1' });

    const dec = await analyst.post('/api/decisions', {
      direction: 'talents', kind: 'order', number: '01-09/201', date: '2022-09-12', title: 'О развитии программ дополнительного образования',
      responsible: 'Иванова А. А.', recommendationIds: recIds, campaignId: before,
      indicators: [{ methodology_id: 'talents-2021', indicator: 'diversity_index', target: 2.6, direction: 'increase' }],
    });
    expect(dec.statusCode, dec.body).toBe(201);
    decisionId = dec.json().id;
    expect(dec.json()).toMatchObject({ campaignId: before, recommendationIds: [...recIds].sort() });
    const audit = await database.db.selectFrom('audit_log').select('details').where('action', '=', 'decision.create').executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ campaignId: before, recommendationIds: expect.arrayContaining(recIds) });
  });

  it('before the next campaign: no data of the next monitoring, and the cycle shows the decision without evaluation', async () => {
    const d = (await analyst.get(`/api/decisions/${decisionId}`)).json();
    expect(d.campaign).toMatchObject({ id: before, title: 'Мониторинг охвата ДО 2022' });
    expect(d.effect).toMatchObject({ measurable: false, summary: 'нет данных следующего мониторинга' });
    expect(d.effect.indicators[0]).toMatchObject({ status: 'no_next_campaign', message: 'нет данных следующего мониторинга', before: { id: before }, after: null });
    expect(d.recommendations.map((r: { organisationName: string }) => r.organisationName).sort()).toEqual(['№1', '№2']);
    const c = (await analyst.get('/api/cycle/talents/2022?today=2022-10-01')).json();
    const eff = c.stages.find((s: { code: string }) => s.code === 'effectiveness');
    expect(eff.state).toBe('missing');
    expect(eff.missing).toEqual(['решение от 12.09.2022 без оценки эффективности («О развитии программ дополнительного образования»)']);
  });

  it('after the next campaign: before/after per organisation and overall, target reached or not, and the cycle stage is evaluated', async () => {
    // 2023: №1 adds programmes (708 / 25 → 3,5), №2 does not (1,3), №4 as before (6,8).
    const next = await campaign('2023', { 1: [708, 25], 2: [1552, 20], 4: [132, 9] });
    // An open collection is not yet the next monitoring: the effect waits for its closing.
    expect((await analyst.get(`/api/decisions/${decisionId}`)).json().effect.summary).toBe('нет данных следующего мониторинга');
    expect((await analyst.post(`/api/campaigns/${next}/close`)).statusCode).toBe(200);
    const d = (await analyst.get(`/api/decisions/${decisionId}`)).json();
    const ind = d.effect.indicators[0];
    expect(ind).toMatchObject({ status: 'measured', target: 2.6, direction: 'increase', after: { title: 'Мониторинг охвата ДО 2023', periodCode: '2023' } });
    expect(ind.organisations.map((l: Line) => [l.organisation, l.before, l.after, l.change, l.trend, l.improved, l.targetReached])).toEqual([
      ['№1', 2.3, 3.5, 1.2, 'up', true, true],
      ['№2', 1.3, 1.3, 0, 'same', false, false],
    ]);
    // Overall: the methodology's mean of organisations, (2,3 + 1,3 + 6,8) / 3 = 3,5 → (3,5 + 1,3 + 6,8) / 3 = 3,9.
    expect(ind.overall).toMatchObject({ before: 3.5, after: 3.9, change: 0.4, trend: 'up', improved: true, targetReached: true });
    expect(d.effect.measurable).toBe(true);
    expect(d.effect.summary).toMatch(/^«Индекс многообразия программ дополнительного образования детей \(в расчете на 100 человек\)»: 3,5 → 3,9, цель достигнута; улучшение у 1 из 2 организаций$/);
    const c = (await analyst.get('/api/cycle/talents/2022?today=2023-07-01')).json();
    const eff = c.stages.find((s: { code: string }) => s.code === 'effectiveness');
    expect(eff).toMatchObject({ state: 'ok', missing: [], found: ['эффективность оценена для 1 решения (до/после по показателям: 1)'] });
    const decStage = c.stages.find((s: { code: string }) => s.code === 'decisions');
    expect(decStage.missing).toEqual([]);
  });

  it('the yearly report gathers each direction: results, recommendations, decisions with effect, road map', async () => {
    const res = await analyst.get('/api/yearly-report/2022.docx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(res.headers['content-disposition']).toContain('doklad-2022.docx');
    const xml = await (await JSZip.loadAsync(res.rawPayload)).file('word/document.xml')!.async('string');
    const text = xml.replace(/<[^>]+>/g, '');
    expect(text).toContain('о состоянии муниципальной системы оценки качества образования за 2022 год');
    expect(text).toContain('Способности и таланты детей и молодежи');
    expect(text).toContain('«Мониторинг охвата ДО 2022» (период 2022): участников 3, учтено данных 3.');
    expect(text).toContain('Выдано рекомендаций: 2; выдана — 2');
    expect(text).toMatch(/О развитии программ дополнительного образования, № 01-09\/201 от 12\.09\.2022/);
    expect(text).toMatch(/3,5 → 3,9, цель достигнута/);
    const wg = new Client(app, '10.8.0.3');
    await wg.login('wg');
    expect((await wg.get('/api/yearly-report/2022.docx')).statusCode).toBe(200);
    const oo1 = new Client(app, '10.8.0.4');
    await oo1.login('oo1');
    expect((await oo1.get('/api/yearly-report/2022.docx')).statusCode).toBe(403);
  });
});
