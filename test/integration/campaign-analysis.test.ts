/** Campaign analysis through the HTTP API on the real database: the analysis of a seed-004 campaign (results table,
 * levels by type, statistics, correlation with n and p, clusters with k explained, dynamics against an earlier
 * campaign), regional values and targets in the conclusions, revised text blocks in the DOCX, audited downloads, an
 * uploaded municipality table, a linked survey, and the public page of the published campaign. */
import { readFileSync } from 'node:fs';
import JSZip from 'jszip';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignModel } from '../../src/services/analysis/campaign-analysis.ts';
import { changeCampaignStatus, findCampaignRow } from '../../src/services/collection/campaigns.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import type { Actor } from '../../src/services/errors.ts';
import { appendValues, changeSubmissionStatus } from '../../src/services/collection/submissions.ts';
import { SEED, seedCampaign } from './campaign-fixture.ts';
import { BACKENDS, Client, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

async function docxText(buffer: Buffer): Promise<string> {
  const xml = (await (await JSZip.loadAsync(buffer)).file('word/document.xml')?.async('string')) ?? '';
  return [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
}

function multipart(name: string, content: Buffer): { body: Buffer; type: string } {
  const boundary = '----msokoTestBoundary7MA4YWxk';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, type: `multipart/form-data; boundary=${boundary}` };
}

interface Analysis {
  previous: { id: string } | null;
  table: { rows: { name: string; type: string; cells: Record<string, { value: number; level: string; points: number }>; total: { points: number; max: number } | null }[] };
  model: {
    municipal: { indicator: { id: string }; value: number; target: { value: number; comparison: string } | null; regional?: { value: number; comparison: string } | null }[];
    distributions: { indicator: { id: string }; byType: { cols: string[]; body: { category: string; cells: { count: number; share: number }[]; total: { count: number; share: number } }[]; totals: { total: { count: number } } } }[];
    statistics: { indicator: { id: string }; all: { n: number; mean: number; median: number; q1: number; q3: number; min: number; max: number; sd: number } }[];
    conclusions: { id: string; text: string }[];
  };
  correlation: { pearson: { pairs: { a: string; b: string; correlation: { r: number; n: number; p: number }; significant: boolean; interpretation: string }[] } };
  clusters: { result: { k: number; tried: { k: number; silhouette: number }[] } | null; explanation: string };
  dynamics: { movedDown: { name: string; from: string; to: string }[]; municipal: { indicator: { id: string }; previous: number; current: number; change: number; direction: string }[] } | null;
  series: { campaign: { id: string }; values: Record<string, number | null> }[];
}

describe.each(BACKENDS)('campaign analysis over HTTP on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let analyst: Client;
  let wg: Client;
  let oo1: Client;
  let actor: Actor;
  let prevId: string;
  let curId: string;
  let ip = 0;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    app = (await buildTestApp(database)).app;
    const u = await database.db.selectFrom('users').select('id').where('login', '=', 'analyst').executeTakeFirstOrThrow();
    actor = { userId: u.id, login: 'analyst', ip: '127.0.0.1' };
    // The earlier campaign: half as many programmes again (so some organisations were a level higher then).
    prevId = await seedCampaign(database.db, actor, { title: 'Мониторинг 2020', period: '2020', scale: (r) => ({ students: Number(r.students), programmes: Math.round(Number(r.programmes) * 1.5) }) });
    curId = await seedCampaign(database.db, actor);
    analyst = new Client(app, '10.8.0.1');
    wg = new Client(app, '10.8.0.2');
    oo1 = new Client(app, '10.8.0.3');
    for (const [c, login] of [[analyst, 'analyst'], [wg, 'wg'], [oo1, 'oo1']] as const) expect((await c.login(login)).statusCode).toBe(200);
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('uploads the coverage table (multipart) and shows the analysis to the analyst and the working group, not to schools', async () => {
    const mp = multipart('coverage.csv', readFileSync(SEED('coverage.csv')));
    const up = await analyst.request('POST', `/api/campaigns/${curId}/tables`, mp.body, { headers: { 'content-type': mp.type } });
    expect(up.statusCode).toBe(201);
    expect(up.json()).toMatchObject({ datasetId: 'coverage', rows: 1 });
    const bad = multipart('organisations.csv', readFileSync(SEED('organisations.csv')));
    const refused = await analyst.request('POST', `/api/campaigns/${curId}/tables`, bad.body, { headers: { 'content-type': bad.type } });
    expect(refused.statusCode).toBe(400);
    expect((await oo1.get(`/api/campaigns/${curId}/analysis`)).statusCode).toBe(403);
    expect((await wg.get(`/api/campaigns/${curId}/analysis?basis=all`)).statusCode).toBe(200);
  });

  it('upload refusals of the shared multipart reader: not multipart 415, wrong type 400, over 10 MB 413, propose without its fields 400', async () => {
    const url = `/api/campaigns/${curId}/tables`;
    const json = await analyst.post(url, { file: 'coverage.csv' });
    expect(json.statusCode).toBe(415);
    expect(json.json().error).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Отправьте файл как multipart/form-data' });
    const txt = multipart('coverage.txt', readFileSync(SEED('coverage.csv')));
    const wrong = await analyst.request('POST', url, txt.body, { headers: { 'content-type': txt.type } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error).toMatchObject({ code: 'FILE_TYPE', fields: [{ path: 'file', message: 'Допустимы файлы CSV и XLSX' }] });
    const huge = multipart('coverage.csv', Buffer.alloc(10 * 1024 * 1024 + 1, 0x41));
    const big = await analyst.request('POST', url, huge.body, { headers: { 'content-type': huge.type } });
    expect(big.statusCode).toBe(413);
    expect(big.json().error).toMatchObject({ code: 'FILE_TOO_LARGE', message: 'Файл больше 10 МБ' });
    const noFields = multipart('coverage.csv', readFileSync(SEED('coverage.csv')));
    const propose = await analyst.request('POST', '/api/recommendations/propose', noFields.body, { headers: { 'content-type': noFields.type } });
    expect(propose.statusCode).toBe(400);
    expect(propose.json().error).toMatchObject({ code: 'VALIDATION', fields: [{ path: 'methodology', message: 'Укажите методику и версию (поля перед файлом)' }] });
    const tables = await analyst.get(url);
    expect(tables.json().items.filter((t: { datasetId: string }) => t.datasetId === 'coverage')).toHaveLength(1);
  });

  it('analysis: results table, levels by type adding up, statistics, correlation with n and p, clusters, dynamics', async () => {
    const res = await analyst.get(`/api/campaigns/${curId}/analysis?basis=all`);
    expect(res.statusCode).toBe(200);
    const a: Analysis = res.json();
    expect(a.table.rows).toHaveLength(51);
    const pet = a.table.rows.find((r) => r.name === 'Петровское')!;
    expect(pet.cells.diversity_index).toMatchObject({ value: 3.3, level: 'средний', points: 1 });
    // Only 2.1 is computed per organisation so far (nobody entered 1.1 yet): 1 point of 3.
    expect(pet.total).toEqual({ points: 1, max: 3, complete: true });
    const mv = (id: string) => a.model.municipal.find((m) => m.indicator.id === id)!;
    expect(mv('diversity_index').value).toBe(5.6);
    expect(mv('coverage_share')).toMatchObject({ value: 78.9, target: { value: 75, comparison: 'above' } });
    expect(a.model.conclusions.map((c) => c.text).join('\n')).toContain('78,9\u00A0%, что выше целевого показателя 75\u00A0%');

    const d = a.model.distributions.find((x) => x.indicator.id === 'diversity_index')!;
    expect(d.byType.cols).toEqual(['school', 'preschool', 'supplementary']);
    expect(d.byType.totals.total.count).toBe(51);
    for (let j = 0; j < 3; j++) expect(d.byType.body.reduce((s, r) => s + r.cells[j]!.share, 0)).toBeCloseTo(100, 6);
    expect(d.byType.body.reduce((s, r) => s + r.total.share, 0)).toBeCloseTo(100, 6);
    expect(d.byType.body.reduce((s, r) => s + r.total.count, 0)).toBe(51);

    const st = a.model.statistics.find((s) => s.indicator.id === 'diversity_index')!.all;
    expect(st.n).toBe(51);
    expect(st.median).toBe(5.2);
    expect(st.mean).toBeCloseTo(5.55, 2);

    const pair = a.correlation.pearson.pairs.find((p) => p.a === '2.1' && p.b === 'students')!;
    expect(pair.correlation.n).toBe(51);
    expect(pair.correlation.r).toBeLessThan(0);
    expect(pair.interpretation).toMatch(/n = 51; p/);

    expect(a.clusters.result?.k).toBeGreaterThanOrEqual(2);
    const best = Math.max(...a.clusters.result!.tried.map((t) => t.silhouette));
    expect(a.clusters.result!.tried.find((t) => t.k === a.clusters.result!.k)!.silhouette).toBe(best);
    expect(a.clusters.explanation).toMatch(/стандартизованным значениям.*силуэт/);

    expect(a.previous?.id).toBe(prevId);
    expect(a.series.map((s) => s.campaign.id)).toEqual([prevId, curId]);
    // №1: 24 / 708 × 100 = 3,4 («средний») in 2020, 16 / 708 × 100 = 2,3 («ниже среднего») now.
    expect(a.dynamics!.movedDown).toEqual(expect.arrayContaining([expect.objectContaining({ name: '№1', from: 'средний', to: 'ниже среднего' })]));
    const dm = a.dynamics!.municipal.find((x) => x.indicator.id === 'diversity_index')!;
    expect(dm.current).toBe(5.6);
    expect(dm.direction).toBe('down');
    expect(dm.change).toBeCloseTo(dm.current - dm.previous, 6);
  });

  it('a regional value and a target entered for the campaign are used by the conclusions', async () => {
    expect((await oo1.request('PUT', `/api/campaigns/${curId}/benchmarks`, { key: 'coverage_share', regional: 70, target: 80 })).statusCode).toBe(403);
    const put = await analyst.request('PUT', `/api/campaigns/${curId}/benchmarks`, { key: 'coverage_share', regional: 70, target: 80 });
    expect(put.statusCode).toBe(200);
    const bad = await analyst.request('PUT', `/api/campaigns/${curId}/benchmarks`, { key: 'nope', regional: 1, target: null });
    expect(bad.json().error.fields).toEqual([{ path: 'key', message: 'В методике нет показателя или агрегата «nope»' }]);
    const a: Analysis = (await analyst.get(`/api/campaigns/${curId}/analysis?basis=all`)).json();
    expect(a.model.municipal.find((m) => m.indicator.id === 'coverage_share')).toMatchObject({ target: { value: 80, comparison: 'below' }, regional: { value: 70, comparison: 'above' } });
    const text = a.model.conclusions.find((c) => c.id === 'municipal.coverage_share')!.text;
    expect(text).toContain('78,9\u00A0%, что ниже целевого показателя 80\u00A0%, выше регионального значения 70\u00A0%');
    // Cleared: the methodology's target 75 is back; the history keeps both rows.
    await analyst.request('PUT', `/api/campaigns/${curId}/benchmarks`, { key: 'coverage_share', regional: null, target: null });
    expect((await analyst.get(`/api/campaigns/${curId}/benchmarks`)).json().items).toEqual([]);
    expect(await database.db.selectFrom('campaign_benchmarks').select('id').where('campaign_id', '=', curId).execute()).toHaveLength(2);
  });

  it('revised text blocks go into the DOCX; downloads are audited; XLSX and the protocol draft come too', async () => {
    const put = await analyst.request('PUT', `/api/campaigns/${curId}/report-texts`, { blockId: 'goal', text: 'Цель, уточнённая аналитиком.' });
    expect(put.statusCode).toBe(200);
    expect((await wg.request('PUT', `/api/campaigns/${curId}/report-texts`, { blockId: 'goal', text: 'x' })).statusCode).toBe(403);
    const blocks = (await analyst.get(`/api/campaigns/${curId}/report-texts?basis=all`)).json();
    expect(blocks.blocks.find((b: { id: string }) => b.id === 'goal')).toMatchObject({ revised: true, text: 'Цель, уточнённая аналитиком.' });
    expect(blocks.history[0]).toMatchObject({ blockId: 'goal', actorLogin: 'analyst' });

    const docx = await wg.get(`/api/campaigns/${curId}/report?format=docx&basis=all`);
    expect(docx.statusCode).toBe(200);
    expect(docx.headers['content-disposition']).toMatch(/attachment; filename="spravka-2021\.docx"/);
    const text = await docxText(docx.rawPayload);
    expect(text).toContain('цель, уточнённая аналитиком.');
    expect(text).toContain('5,6');
    expect(text).toContain('78,9\u00A0%');
    // Петровское: the computed 3,3 (the protocol printed 3,7).
    expect(text).toContain('ПетровскоеОО359123,3');
    // The campaign's correlations (indicators and inputs) reach the document too.
    expect(text).toMatch(/2\.1 и «Численность обучающихся»: Связь обратная [а-я ]+ \(r = −?-?0,\d\d; n = 51; p/);
    const xlsx = await analyst.get(`/api/campaigns/${curId}/report?format=xlsx&basis=all`);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const protocol = await analyst.get(`/api/campaigns/${curId}/protocol?number=7&basis=all`);
    expect(await docxText(protocol.rawPayload)).toContain('ПРОТОКОЛ № 7');
    const audit = await database.db.selectFrom('audit_log').select(['action', 'actor_login', 'details']).where('target_id', '=', curId).where('action', 'like', 'campaign.%.download').orderBy('id').execute();
    expect(audit.map((x) => [x.action, x.actor_login, (x.details as { format?: string }).format ?? null])).toEqual([
      ['campaign.report.download', 'wg', 'docx'],
      ['campaign.report.download', 'analyst', 'xlsx'],
      ['campaign.protocol.download', 'analyst', null],
    ]);
  });

  it('public page of the published campaign: aggregates by type, survey groups below the minimum hidden, no names', async () => {
    const anon = new Client(app, '10.8.0.9');
    expect((await anon.get(`/api/public/campaigns/${curId}`)).statusCode).toBe(404);
    const org = new Map((await database.db.selectFrom('organisations').select(['id', 'no']).execute()).map((o) => [o.no, o.id]));
    const created = await analyst.post('/api/surveys', {
      title: 'Удовлетворённость родителей', campaignId: curId, audience: 'parents',
      participants: { mode: 'list', organisationIds: [org.get(1), org.get(2), org.get(30), org.get(48)] },
      opensOn: '2020-01-01', closesOn: '2099-12-31', minRespondents: 5,
      questions: [{ kind: 'scale', text: 'Насколько вы удовлетворены?', loyalty: true }],
    });
    expect(created.statusCode).toBe(201);
    const survey = created.json();
    await analyst.post(`/api/surveys/${survey.id}/open`);
    const links = new Map<number, string>((await analyst.get(`/api/surveys/${survey.id}/links`)).json().items.map((l: { no: number; token: string }) => [l.no, l.token]));
    const answer = async (no: number, score: number) => {
      const c = new Client(app, `10.9.${Math.floor(++ip / 250)}.${(ip % 250) + 1}`);
      expect((await c.post(`/api/public/surveys/${links.get(no)}/responses`, { answers: { [survey.questions[0].id]: score } })).statusCode).toBe(201);
    };
    for (const s of [10, 9, 9, 8, 7, 6]) await answer(1, s);
    for (const s of [10, 3]) await answer(2, s);
    for (const s of [9, 9, 10, 5, 8]) await answer(30, s);
    await answer(48, 10);
    await analyst.request('PUT', `/api/surveys/${survey.id}/enrolment`, { items: [1, 2, 30, 48].map((no) => ({ organisationId: org.get(no), children: 40 })) });

    // Every organisation submits (the share surveyed is test data: 30 % of the students) and is accepted.
    const record = await findCampaignRow(database.db, curId);
    const students = new Map((await database.db.selectFrom('value_history').select(['organisation_id', 'value']).where('campaign_id', '=', curId).where('input', '=', 'students').execute()).map((r) => [r.organisation_id, Number(r.value)]));
    for (const [id, n] of students) {
      await appendValues(database.db, actor, record, id, [{ input: 'surveyed_students', value: Math.round(n * 0.3), evidenceUrl: null }], 'form', null);
      await changeSubmissionStatus(database.db, actor, curId, id, 'submit', { comment: 'проверено' }, { scope: null });
      await changeSubmissionStatus(database.db, actor, curId, id, 'accept', {}, { scope: null });
    }
    await changeCampaignStatus(database.db, actor, curId, 'close');
    await changeCampaignStatus(database.db, actor, curId, 'publish');

    expect((await anon.get('/api/public/campaigns')).json().items.map((c: { id: string }) => c.id)).toEqual([curId]);
    const res = await anon.get(`/api/public/campaigns/${curId}`);
    expect(res.statusCode).toBe(200);
    const p = res.json();
    expect(p.organisations).toEqual([
      { type: 'school', label: 'Общеобразовательные организации', count: 29 },
      { type: 'preschool', label: 'Дошкольные образовательные организации', count: 18 },
      { type: 'supplementary', label: 'Организации дополнительного образования', count: 4 },
    ]);
    const dist = p.distributions.find((d: { indicator: { id: string } }) => d.indicator.id === 'diversity_index');
    expect(dist.columns.map((c: { total: number }) => c.total)).toEqual([29, 18, 4, 51]);
    const sat = p.groups.find((g: { title: string }) => g.title.startsWith('Онлайн-опрос'));
    // УДО: one answer (< 5) — hidden; schools 8 and preschools 5 answers — shown.
    expect(sat.rows.map((r: { label: string; suppressed: boolean }) => [r.label, r.suppressed])).toEqual([
      ['Общеобразовательные организации', false],
      ['Дошкольные образовательные организации', false],
      ['Организации дополнительного образования', true],
      ['Итого', false],
    ]);
    expect(Object.values(sat.rows[2].values)).toEqual([null, null]);
    const json = res.body;
    for (const name of ['Петровское', '№1', 'ДОУ №33', 'Инсайт']) expect(json).not.toContain(name);
    expect(p.municipal.find((m: { title: string }) => m.title.startsWith('2.2')).value).toBe(78.9);
  });

  it('the series: a campaign before the previous one gives its municipal values, computed for those only', async () => {
    const olderId = await seedCampaign(database.db, actor, { title: 'Мониторинг 2019', period: '2019', scale: (r) => ({ students: Number(r.students), programmes: Number(r.programmes) * 2 }) });
    const a: Analysis = (await analyst.get(`/api/campaigns/${curId}/analysis?basis=all`)).json();
    expect(a.series.map((s) => s.campaign.id)).toEqual([olderId, prevId, curId]);
    // Each earlier campaign's values are those of its whole computation (the older one computed with `municipalOnly`).
    for (const [i, id] of [olderId, prevId].entries()) {
      const whole = await campaignModel(database.db, id, { basis: 'all' });
      expect(a.series[i]!.values).toEqual(Object.fromEntries(whole.model.municipal.map((v) => [v.indicator.id, v.value])));
    }
    // Twice the programmes in 2019: a larger diversity index than now.
    expect(a.series[0]!.values.diversity_index).toBeGreaterThan(a.series[2]!.values.diversity_index as number);
  });
});
