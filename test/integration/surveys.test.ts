/** Anonymous surveys on the real database, through the HTTP API: an analyst creates and opens a survey, respondents
 * answer through the organisations' public links (CSRF token, no account), results per organisation, type and total
 * are computed by the methodology engine and suppressed below the minimum, the satisfaction.csv export feeds the
 * talents-2021 pipeline with the same loyalty index, single-use codes, the rate limit, and no personal data stored. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { loyaltyFromCounts, loyaltyFromScores } from '../../src/core/methodology/index.ts';
import { roundHalfUp } from '../../src/core/format.ts';
import { computeFromBuffer } from '../../src/services/methodology/compute.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { BACKENDS, Client, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

const LIMIT = 8;
process.env.MSOKO_SURVEY_ANSWER_LIMIT = String(LIMIT);

interface Link { organisationId: string; no: number; token: string; url: string; qrSvg: string; children: number | null }
interface QResult { questionId: string; kind: string; distribution: number[] | null; options: { label: string; count: number }[] | null; loyalty: { value: number | null; promoters: number; neutrals: number; critics: number; explanation: string } | null; texts: string[] | null }
interface Group { key: string; label: string; type: string | null; respondents: number; children: number | null; participation: { value: number | null; explanation: string }; suppressed: boolean; suppressionNote: string | null; questions: QResult[] }
interface Results { scope: string; total: Group | null; byType: Group[]; byOrganisation: Group[] }

describe.each(BACKENDS)('anonymous surveys on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let analyst: Client;
  let oo1: Client;
  let dou34: Client;
  const org: Record<number, string> = {};
  let surveyId: string;
  let questions: { id: string; kind: string; loyalty: boolean }[];
  let links: Map<number, Link>;
  let ipSeq = 0;
  const respondent = () => new Client(app, `10.77.${Math.floor(++ipSeq / 250)}.${(ipSeq % 250) + 1}`);

  const body = (over: Record<string, unknown> = {}) => ({
    title: 'Удовлетворённость родителей дополнительным образованием',
    period: '2021/2022',
    audience: 'parents',
    participants: { mode: 'list', organisationIds: [org[1], org[2], org[30], org[48]] },
    opensOn: '2020-01-01',
    closesOn: '2099-12-31',
    questions: [
      { kind: 'scale', text: 'Насколько вы удовлетворены результатами обучения ребёнка?', loyalty: true },
      { kind: 'single', text: 'Сколько лет ребёнок занимается?', options: ['Меньше года', '1–2 года', 'Больше 2 лет'] },
      { kind: 'multiple', text: 'Какие направленности посещает ребёнок?', options: ['Техническая', 'Художественная', 'Спортивная'] },
      { kind: 'text', text: 'Что улучшить?', required: false },
    ],
    ...over,
  });
  const answer = (token: string, score: number, extra: Record<string, unknown> = {}, client = respondent()) =>
    client.post(`/api/public/surveys/${token}/responses`, {
      answers: { [questions[0]!.id]: score, [questions[1]!.id]: score % 3, [questions[2]!.id]: score >= 9 ? [0, 2] : [1], ...extra },
    });

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    app = (await buildTestApp(database)).app;
    for (const r of await database.db.selectFrom('organisations').select(['id', 'no']).execute()) org[r.no] = r.id;
    analyst = new Client(app, '10.6.0.1');
    oo1 = new Client(app, '10.6.0.2');
    dou34 = new Client(app, '10.6.0.3');
    expect((await analyst.login('analyst')).statusCode).toBe(200);
    expect((await oo1.login('oo1')).statusCode).toBe(200);
    expect((await dou34.login('dou34')).statusCode).toBe(200);
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('an analyst creates a draft survey; validation is in Russian; an org representative may not create one', async () => {
    const bad = await analyst.post('/api/surveys', body({ closesOn: '2019-01-01', questions: [{ kind: 'single', text: 'Вопрос', options: ['Один'] }] }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toEqual(
      expect.arrayContaining([
        { path: 'closesOn', message: 'Дата закрытия раньше даты открытия' },
        { path: 'questions.0.options', message: 'Нужно не меньше двух вариантов ответа' },
      ]),
    );
    expect((await oo1.post('/api/surveys', body())).statusCode).toBe(403);
    const res = await analyst.post('/api/surveys', body());
    expect(res.statusCode).toBe(201);
    const s = res.json();
    expect(s).toMatchObject({ status: 'draft', period: '2021/2022', minRespondents: 5, organisationCount: 4, respondents: 0, audience: 'parents' });
    surveyId = s.id;
    questions = s.questions;
    expect(questions.map((q) => q.kind)).toEqual(['scale', 'single', 'multiple', 'text']);
    // Drafts are invisible to organisations.
    expect((await oo1.get('/api/surveys')).json().items).toEqual([]);
  });

  it('gives one unguessable link with a QR code per organisation; a draft is not open to answers', async () => {
    const res = await analyst.get(`/api/surveys/${surveyId}/links`);
    expect(res.statusCode).toBe(200);
    const items: Link[] = res.json().items;
    expect(items.map((l) => l.no)).toEqual([1, 2, 30, 48]);
    for (const l of items) {
      expect(l.token).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(l.url).toBe(`http://localhost:80/s/${l.token}`);
      expect(l.qrSvg.startsWith('<svg')).toBe(true);
    }
    expect(new Set(items.map((l) => l.token)).size).toBe(4);
    links = new Map(items.map((l) => [l.no, l]));
    expect((await oo1.get(`/api/surveys/${surveyId}/links`)).statusCode).toBe(403);
    const png = await analyst.get(`/api/surveys/${surveyId}/links/${org[1]}/qr.png`);
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.rawPayload.subarray(1, 4).toString()).toBe('PNG');

    const token = links.get(1)!.token;
    const pub = await respondent().get(`/api/public/surveys/${token}`);
    expect(pub.json()).toMatchObject({ state: 'not_open', questions: [] });
    const early = await answer(token, 10);
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toMatch(/^Опрос ещё не начался/);
    expect((await respondent().get('/api/public/surveys/AAAAAAAAAAAAAAAAAAAAAA')).json().error.message).toBe('Ссылка на опрос недействительна. Проверьте адрес или QR-код.');
  });

  it('respondents answer without an account (CSRF token required); bad answers are refused in Russian', async () => {
    expect((await analyst.post(`/api/surveys/${surveyId}/open`)).json().status).toBe('open');
    const token = links.get(1)!.token;
    const pub = await respondent().get(`/api/public/surveys/${token}`);
    expect(pub.statusCode).toBe(200);
    const p = pub.json();
    expect(p).toMatchObject({ state: 'open', organisationName: '№1', requiresCode: false, title: 'Удовлетворённость родителей дополнительным образованием' });
    expect(p.questions).toHaveLength(4);
    expect(p.questions[0]).not.toHaveProperty('loyalty');

    const noCsrf = await respondent().post(`/api/public/surveys/${token}/responses`, { answers: {} }, { csrf: false });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('CSRF_INVALID');
    const missing = await respondent().post(`/api/public/surveys/${token}/responses`, { answers: { [questions[0]!.id]: 11 } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.fields).toEqual([
      { path: `answers.${questions[0]!.id}`, message: 'Вопрос 1: оценка — целое число от 0 до 10' },
      { path: `answers.${questions[1]!.id}`, message: 'Вопрос 2: ответ обязателен' },
      { path: `answers.${questions[2]!.id}`, message: 'Вопрос 3: ответ обязателен' },
    ]);

    // School №1: 6 answers, school №2: 2, preschool №30: 5, supplementary №48: none.
    for (const s of [10, 9, 9, 8, 7, 6]) expect((await answer(token, s, s === 6 ? { [questions[3]!.id]: 'Больше кружков робототехники' } : {})).statusCode).toBe(201);
    for (const s of [10, 3]) expect((await answer(links.get(2)!.token, s)).statusCode).toBe(201);
    for (const s of [9, 9, 10, 5, 8]) expect((await answer(links.get(30)!.token, s)).statusCode).toBe(201);
  });

  it('computes results per organisation, type and total through the engine, suppressed below the minimum', async () => {
    await analyst.request('PUT', `/api/surveys/${surveyId}/enrolment`, {
      items: [
        { organisationId: org[1], children: 40 },
        { organisationId: org[2], children: 20 },
        { organisationId: org[30], children: 10 },
        { organisationId: org[48], children: 30 },
      ],
    });
    const res = await analyst.get(`/api/surveys/${surveyId}/results`);
    expect(res.statusCode).toBe(200);
    const r: Results = res.json();
    expect(r.scope).toBe('all');
    const byNo = (n: number) => r.byOrganisation.find((g) => g.key === org[n])!;
    // School №1 has enough answers, but school type minus school №1 would give school №2's two answers: hidden for
    // everyone who sees the type (secondary suppression, issue 25); its own representative still sees it.
    expect(byNo(1)).toMatchObject({ respondents: 6, children: 40, suppressed: true, suppressionNote: 'скрыто, чтобы по разности с итогом нельзя было узнать ответы групп, где меньше 5 ответов', participation: { value: 15 } });
    expect(byNo(1).questions.every((q) => q.distribution === null && q.options === null && q.loyalty === null)).toBe(true);
    const own: Results = (await oo1.get(`/api/surveys/${surveyId}/results`)).json();
    const oo1r = own.byOrganisation[0]!;
    expect(oo1r).toMatchObject({ respondents: 6, children: 40, suppressed: false, participation: { value: 15 } });
    expect(oo1r.participation.explanation).toBe('6 / 40 × 100 = 15,00 → 15,0');
    expect(oo1r.questions[0]!.distribution).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 1]);
    const expected1 = roundHalfUp(loyaltyFromScores([10, 9, 9, 8, 7, 6]).value!, 1);
    expect(oo1r.questions[0]!.loyalty).toMatchObject({ value: expected1, promoters: 3, neutrals: 2, critics: 1 });
    expect(expected1).toBe(33.3);
    expect(oo1r.questions[1]!.options).toEqual([{ label: 'Меньше года', count: 3 }, { label: '1–2 года', count: 2 }, { label: 'Больше 2 лет', count: 1 }]);
    expect(oo1r.questions[2]!.options).toEqual([{ label: 'Техническая', count: 3 }, { label: 'Художественная', count: 3 }, { label: 'Спортивная', count: 3 }]);

    const oo2 = byNo(2);
    expect(oo2).toMatchObject({ respondents: 2, suppressed: true, suppressionNote: 'недостаточно ответов (< 5)', participation: { value: 10 } });
    expect(oo2.questions.every((q) => q.distribution === null && q.options === null && q.loyalty === null)).toBe(true);
    expect(byNo(48)).toMatchObject({ respondents: 0, suppressed: true });

    // Per type: the two schools together (8 answers) are above the minimum although school №2 alone is not.
    const school = r.byType.find((g) => g.key === 'school')!;
    expect(school).toMatchObject({ respondents: 8, children: 60, suppressed: false });
    expect(school.questions[0]!.loyalty!.value).toBe(roundHalfUp(loyaltyFromScores([10, 9, 9, 8, 7, 6, 10, 3]).value!, 1));
    expect(school.questions[0]!.loyalty!.value).toBe(25);
    expect(r.byType.find((g) => g.key === 'preschool')).toMatchObject({ respondents: 5, suppressed: false, questions: [{ loyalty: { value: 40 } }, {}, {}, {}] });
    expect(r.byType.find((g) => g.key === 'supplementary')).toMatchObject({ respondents: 0, suppressed: true });
    const total = r.total!;
    expect(total).toMatchObject({ respondents: 13, children: 100, participation: { value: 13 } });
    expect(total.questions[0]!.loyalty!.value).toBe(roundHalfUp(loyaltyFromScores([10, 9, 9, 8, 7, 6, 10, 3, 9, 9, 10, 5, 8]).value!, 1));
    expect(total.questions[3]!.texts).toEqual(['Больше кружков робототехники']);
  });

  it('an org representative sees only their organisation, still suppressed; others are refused', async () => {
    const list = (await oo1.get('/api/surveys')).json().items;
    expect(list.map((s: { id: string }) => s.id)).toEqual([surveyId]);
    const r: Results = (await oo1.get(`/api/surveys/${surveyId}/results`)).json();
    expect(r.scope).toBe('organisation');
    expect(r.total).toBeNull();
    expect(r.byType).toEqual([]);
    expect(r.byOrganisation.map((g) => g.key)).toEqual([org[1]]);
    expect(r.byOrganisation[0]!.questions[3]!.texts).toBeNull();
    expect((await dou34.get(`/api/surveys/${surveyId}/results`)).statusCode).toBe(403);
    expect((await oo1.get(`/api/surveys/${surveyId}/satisfaction.csv`)).statusCode).toBe(403);
  });

  it('free-text answers go to analysts and administrators only, never to the working group (issue 25)', async () => {
    const textsOf = (r: Results) => [r.total, ...r.byType, ...r.byOrganisation].flatMap((g) => (g ? g.questions.map((q) => q.texts) : []));
    for (const login of ['analyst', 'admin']) {
      const c = new Client(app, '10.6.0.9');
      expect((await c.login(login)).statusCode).toBe(200);
      const r: Results = (await c.get(`/api/surveys/${surveyId}/results`)).json();
      expect(r.total!.questions[3]!.texts, login).toEqual(['Больше кружков робототехники']);
    }
    const wg = new Client(app, '10.6.0.10');
    expect((await wg.login('wg')).statusCode).toBe(200);
    const res = await wg.get(`/api/surveys/${surveyId}/results`);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('робототехники');
    expect(textsOf(res.json()).every((t) => t === null)).toBe(true);
  });

  it('exports counts as satisfaction.csv (audited); the talents-2021 pipeline gives the same loyalty index as the raw answers', async () => {
    const res = await analyst.get(`/api/surveys/${surveyId}/satisfaction.csv`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.body).toBe(
      ['org_type,children_5_17,respondents,promoters,neutrals,critics', 'school,60,8,4,2,2', 'preschool,10,5,3,1,1', 'supplementary,30,0,0,0,0', 'total,100,13,7,3,3', ''].join('\n'),
    );
    const audit = await database.db.selectFrom('audit_log').selectAll().where('action', '=', 'survey.export').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_login).toBe('analyst');

    const results: Results = (await analyst.get(`/api/surveys/${surveyId}/results`)).json();
    const fromRaw = new Map([...results.byType, results.total!].map((g) => [g.key, g.questions[0]!.loyalty?.value ?? null]));
    const computed = await computeFromBuffer({ methodology: 'talents-2021', buffer: new TextEncoder().encode(res.body), fileName: 'satisfaction.csv' });
    if (!computed.ok) throw new Error(computed.error.text);
    const loyalty = computed.output.results.filter((x) => x.indicator === 'loyalty_index');
    for (const key of ['school', 'preschool', 'total']) {
      const fromCsv = loyalty.find((x) => x.organisation === key)?.value;
      expect(fromCsv, key).toBe(fromRaw.get(key));
      const [, , respondents, p, n, c] = res.body.split('\n').find((l) => l.startsWith(`${key},`))!.split(',').map(Number);
      expect(roundHalfUp(loyaltyFromCounts({ promoters: p!, neutrals: n!, critics: c!, respondents: respondents! }).value!, 1)).toBe(fromRaw.get(key));
    }
    const share = computed.output.results.find((x) => x.indicator === 'parents_survey_share' && x.organisation === 'total');
    expect(share?.value).toBe(results.total!.participation.value);
  });

  it('stores no IP address, user agent, account or time of day with answers, and does not audit answering', async () => {
    const cols = await database.db
      .selectFrom('information_schema.columns' as never)
      .select(['table_name' as never, 'column_name' as never])
      .where('table_schema' as never, '=', 'public' as never)
      .where('table_name' as never, 'in', ['survey_responses', 'survey_answers', 'survey_codes'] as never)
      .execute() as unknown as { table_name: string; column_name: string }[];
    const by = (t: string) => cols.filter((c) => c.table_name === t).map((c) => c.column_name).sort();
    expect(by('survey_responses')).toEqual(['id', 'organisation_id', 'submitted_on', 'survey_id']);
    expect(by('survey_answers')).toEqual(['question_id', 'response_id', 'value']);
    expect(by('survey_codes')).toEqual(['code_hash', 'created_at', 'organisation_id', 'survey_id', 'used_at']);
    const types = await database.db
      .selectFrom('information_schema.columns' as never)
      .select(['data_type' as never])
      .where('table_name' as never, '=', 'survey_responses' as never)
      .where('column_name' as never, '=', 'submitted_on' as never)
      .executeTakeFirstOrThrow() as unknown as { data_type: string };
    expect(types.data_type).toBe('date');
    const dump = JSON.stringify([
      await database.db.selectFrom('survey_responses').selectAll().execute(),
      await database.db.selectFrom('survey_answers').selectAll().execute(),
    ]);
    expect(dump).not.toContain('10.77.');
    expect(dump).not.toContain('lightMyRequest');
    const logged = await database.db.selectFrom('audit_log').select('action').where('ip', 'like', '10.77.%').execute();
    expect(logged).toEqual([]);
  });

  it('single-use codes: required, unknown refused, used once, reuse refused «Этот код уже использован»', async () => {
    const s = (await analyst.post('/api/surveys', body({ title: 'По кодам', requiresCodes: true, participants: { mode: 'list', organisationIds: [org[1], org[2]] } }))).json();
    await analyst.post(`/api/surveys/${s.id}/open`);
    const codes = await analyst.post(`/api/surveys/${s.id}/codes`, { organisationId: org[1], count: 3 });
    expect(codes.statusCode).toBe(200);
    const list: string[] = codes.json().items[0].codes;
    expect(list).toHaveLength(3);
    for (const c of list) expect(c).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const stored = await database.db.selectFrom('survey_codes').select('code_hash').where('survey_id', '=', s.id).execute();
    expect(stored).toHaveLength(3);
    expect(JSON.stringify(stored)).not.toContain(list[0]!.replace('-', ''));
    const ls: Link[] = (await analyst.get(`/api/surveys/${s.id}/links`)).json().items;
    const t1 = ls.find((l) => l.no === 1)!.token;
    const t2 = ls.find((l) => l.no === 2)!.token;
    const q = s.questions as { id: string }[];
    const send = (token: string, code: string | null) =>
      respondent().post(`/api/public/surveys/${token}/responses`, { code, answers: { [q[0]!.id]: 9, [q[1]!.id]: 0, [q[2]!.id]: [0] } });

    expect((await respondent().get(`/api/public/surveys/${t1}`)).json().requiresCode).toBe(true);
    const none = await send(t1, null);
    expect(none.statusCode).toBe(400);
    expect(none.json().error.message).toBe('Для участия нужен код, выданный организацией');
    expect((await send(t1, 'ZZZZ-ZZZZ')).json().error.message).toBe('Код не найден. Проверьте, правильно ли он введён.');
    // A code of school №1 does not open school №2's link.
    expect((await send(t2, list[0]!)).statusCode).toBe(400);
    // Case and the dash do not matter.
    expect((await send(t1, list[0]!.toLowerCase().replace('-', ''))).statusCode).toBe(201);
    const again = await send(t1, list[0]!);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toBe('Этот код уже использован');
    expect((await send(t1, list[1]!)).statusCode).toBe(201);
    const links2: Link[] = (await analyst.get(`/api/surveys/${s.id}/links`)).json().items;
    expect(links2.find((l) => l.no === 1)).toMatchObject({ codesTotal: 3, codesUsed: 2 });
    const responses = await database.db.selectFrom('survey_responses').select('id').where('survey_id', '=', s.id).execute();
    expect(responses).toHaveLength(2);
  });

  it(`limits answers per IP address and survey (${LIMIT} per window) with a Russian 429`, async () => {
    const s = (await analyst.post('/api/surveys', body({ title: 'Лимит' }))).json();
    await analyst.post(`/api/surveys/${s.id}/open`);
    const ls: Link[] = (await analyst.get(`/api/surveys/${s.id}/links`)).json().items;
    const q = s.questions as { id: string }[];
    const flooder = new Client(app, '10.99.0.1');
    const send = (client: Client, token: string) => client.post(`/api/public/surveys/${token}/responses`, { answers: { [q[0]!.id]: 10, [q[1]!.id]: 0, [q[2]!.id]: [0] } });
    const statuses: number[] = [];
    // Alternating two organisations' links of the same survey: the limit is per survey, not per link.
    for (let i = 0; i <= LIMIT; i++) statuses.push((await send(flooder, ls[i % 2]!.token)).statusCode);
    expect(statuses).toEqual([...Array<number>(LIMIT).fill(201), 429]);
    const refused = await send(flooder, ls[0]!.token);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('RATE_LIMITED');
    expect(refused.json().error.message).toMatch(/^Слишком много ответов с этого устройства\. Повторите через/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Another address, and the same address on another survey, are not affected.
    expect((await send(respondent(), ls[0]!.token)).statusCode).toBe(201);
    expect((await answer(links.get(30)!.token, 10, {}, flooder)).statusCode).toBe(201);
    const n = await database.db.selectFrom('survey_responses').select('id').where('survey_id', '=', s.id).execute();
    expect(n).toHaveLength(LIMIT + 1);
  });

  it('a closed survey says so in Russian and takes no answers', async () => {
    expect((await analyst.post(`/api/surveys/${surveyId}/close`)).json().status).toBe('closed');
    const token = links.get(1)!.token;
    const pub = (await respondent().get(`/api/public/surveys/${token}`)).json();
    expect(pub).toMatchObject({ state: 'closed', message: 'Опрос завершён. Спасибо за интерес — ответы больше не принимаются.', questions: [] });
    const late = await answer(token, 10);
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('SURVEY_CLOSED');
    expect((await analyst.post(`/api/surveys/${surveyId}/close`)).statusCode).toBe(409);
  });

  it('the subtraction attack recovers nothing: every difference of shown figures covers 0 or at least the minimum (issue 25)', async () => {
    const s = (await analyst.post('/api/surveys', body({ title: 'Вторичное скрытие', participants: { mode: 'list', organisationIds: [org[1], org[2], org[30], org[48]] } }))).json();
    await analyst.post(`/api/surveys/${s.id}/open`);
    const l = new Map<number, Link>(((await analyst.get(`/api/surveys/${s.id}/links`)).json().items as Link[]).map((x) => [x.no, x]));
    const qs: { id: string }[] = s.questions;
    const send = (no: number, score: number, text?: string) => respondent().post(`/api/public/surveys/${l.get(no)!.token}/responses`, {
      answers: { [qs[0]!.id]: score, [qs[1]!.id]: score % 3, [qs[2]!.id]: [1], ...(text ? { [qs[3]!.id]: text } : {}) },
    });
    // School №1: 6, school №2: 2 (one with a text), preschool №30: 5, supplementary №48: 3.
    for (const sc of [10, 9, 9, 8, 7, 6]) expect((await send(1, sc, sc === 6 ? 'Текст школы один' : undefined)).statusCode).toBe(201);
    for (const sc of [0, 1]) expect((await send(2, sc, sc === 0 ? 'Секрет второй школы' : undefined)).statusCode).toBe(201);
    for (const sc of [9, 9, 10, 5, 8]) expect((await send(30, sc)).statusCode).toBe(201);
    for (const sc of [2, 3, 4]) expect((await send(48, sc)).statusCode).toBe(201);
    const res = await analyst.get(`/api/surveys/${s.id}/results`);
    const r: Results = res.json();
    const min = 5;
    const shownOrgs = r.byOrganisation.filter((g) => !g.suppressed);
    // The attack of the probe: a shown type minus its shown schools.
    const leaks: string[] = [];
    for (const t of r.byType.filter((g) => !g.suppressed)) {
      const members = shownOrgs.filter((g) => g.type === t.key);
      const residual = t.respondents - members.reduce((n, g) => n + g.respondents, 0);
      if (residual > 0 && residual < min) leaks.push(`${t.key}: ${residual}`);
      const dist = t.questions[0]!.distribution!.map((n, i) => n - members.reduce((k, g) => k + g.questions[0]!.distribution![i]!, 0));
      const recovered = dist.reduce((a, b) => a + b, 0);
      if (recovered > 0 && recovered < min) leaks.push(`${t.key} distribution: ${dist.join(',')}`);
    }
    if (!r.total!.suppressed) {
      const known = r.byType.filter((g) => !g.suppressed).reduce((n, g) => n + g.respondents, 0)
        + shownOrgs.filter((g) => r.byType.find((t) => t.key === g.type)!.suppressed).reduce((n, g) => n + g.respondents, 0);
      const residual = r.total!.respondents - known;
      if (residual > 0 && residual < min) leaks.push(`total: ${residual}`);
    }
    expect(leaks).toEqual([]);
    expect(r.byOrganisation.find((g) => g.key === org[1])!.suppressed).toBe(true);
    expect(r.byType.find((g) => g.key === 'school')!.suppressed).toBe(false);
    // Texts of a group below the minimum never reach the total; the others' do.
    expect(res.body).not.toContain('Секрет второй школы');
    expect(r.total!.questions[3]!.texts).toEqual(['Текст школы один']);
  });
});
