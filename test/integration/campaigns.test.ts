/** Collection on the real database: campaigns, organisation forms, the submission workflow, append-only value
 * history, validation rules of talents-2021 (error, warning with comment, change against the previous campaign),
 * and the logged re-opening of a closed campaign. Through the HTTP API with real sessions. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { BACKENDS, Client, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

interface View {
  status: string;
  editable: boolean;
  overdue: boolean;
  fields: { name: string; required: boolean }[];
  values: Record<string, { value: unknown; actorLogin: string; source: string }>;
  findings: { id: string; severity: string; message: string }[];
  completeness: { filled: number; required: number; percent: number };
  reviewerComment: string | null;
  submitterComment: string | null;
  previousCampaign: { id: string } | null;
  events: { fromStatus: string | null; toStatus: string; comment: string | null; actorLogin: string }[];
}

describe.each(BACKENDS)('collection: campaigns and submissions on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let analyst: Client;
  let oo1: Client;
  let dou34: Client;
  const org: Record<number, string> = {};
  let campaignId: string;

  const create = async (body: Record<string, unknown>) =>
    analyst.post('/api/campaigns', {
      title: 'Мониторинг охвата дополнительным образованием',
      methodologyId: 'talents-2021',
      methodologyVersion: '2021.1',
      period: '2021/2022',
      participants: { mode: 'all' },
      opensOn: '2022-02-15',
      dueOn: '2022-06-01',
      closesOn: '2030-06-30',
      ...body,
    });
  const formUrl = (c: string, no: number) => `/api/campaigns/${c}/organisations/${org[no]}`;
  const save = (client: Client, c: string, no: number, values: Record<string, unknown>) =>
    client.request('PUT', `${formUrl(c, no)}/values`, { values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v }])), source: 'form' });

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    app = (await buildTestApp(database)).app;
    for (const r of await database.db.selectFrom('organisations').select(['id', 'no']).execute()) org[r.no] = r.id;
    analyst = new Client(app, '10.5.0.1');
    oo1 = new Client(app, '10.5.0.2');
    dou34 = new Client(app, '10.5.0.3');
    expect((await analyst.login('analyst')).statusCode).toBe(200);
    expect((await oo1.login('oo1')).statusCode).toBe(200);
    expect((await dou34.login('dou34')).statusCode).toBe(200);
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('an analyst creates a campaign (draft, hidden from organisations), validation is in Russian, org reps may not create', async () => {
    const bad = await create({ period: '2021/2023', dueOn: '2022-01-01' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toEqual(
      expect.arrayContaining([{ path: 'period', message: 'Учебный год «2021/2023» должен состоять из двух соседних лет, например 2021/2022.' }]),
    );
    const badDates = await create({ dueOn: '2022-01-01' });
    expect(badDates.json().error.fields).toEqual([{ path: 'dueOn', message: 'Срок сдачи раньше даты открытия' }]);
    const passport = await create({ methodologyId: 'nope', methodologyVersion: '1' });
    expect(passport.statusCode).toBe(404);
    expect(passport.json().error.message).toBe('Методика «nope» версии 1 не найдена');
    expect((await oo1.post('/api/campaigns', { title: 'x' })).statusCode).toBe(403);

    const res = await create({});
    expect(res.statusCode).toBe(201);
    const c = res.json();
    expect(c).toMatchObject({ status: 'draft', period: '2021/2022', periodLabel: '2021/2022 учебный год', organisationCount: 51, participants: { mode: 'all' } });
    campaignId = c.id;
    expect((await oo1.get('/api/campaigns')).json().items).toEqual([]);
    expect((await oo1.get(formUrl(campaignId, 1))).statusCode).toBe(404);
    expect((await save(oo1, campaignId, 1, { students: 1 })).statusCode).toBe(404);

    const opened = await analyst.post(`/api/campaigns/${campaignId}/open`);
    expect(opened.json().status).toBe('open');
    const again = await analyst.post(`/api/campaigns/${campaignId}/open`);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toBe('Открыть сбор можно только у мониторинга в статусе «Черновик» (сейчас: «Идёт сбор»)');
    expect((await oo1.get('/api/campaigns')).json().items.map((x: { id: string }) => x.id)).toEqual([campaignId]);
    const typed = await create({ participants: { mode: 'types', types: ['supplementary'] }, period: '2023' });
    expect(typed.json().organisationCount).toBe(4);
  });

  it('shows the form of talents-2021: the inputs of its organisation-level datasets', async () => {
    const v = (await oo1.get(formUrl(campaignId, 1))).json<View>();
    expect(v.status).toBe('not_started');
    expect(v.editable).toBe(true);
    expect(v.fields.map((f) => f.name)).toEqual(['students', 'programmes', 'surveyed_students']);
    expect(v.completeness).toEqual({ filled: 0, required: 3, percent: 0 });
  });

  it('appends a history row for every change: 3 saves → 3 rows, the current value is the last; unchanged saves write nothing', async () => {
    for (const n of [400, 410, 420]) expect((await save(oo1, campaignId, 1, { students: n })).statusCode).toBe(200);
    const same = await save(oo1, campaignId, 1, { students: 420 });
    expect(same.statusCode).toBe(200);
    const rows = await database.db.selectFrom('value_history').selectAll().where('campaign_id', '=', campaignId).where('organisation_id', '=', org[1]!).orderBy('id').execute();
    expect(rows.map((r) => [r.input, r.value, r.source, r.actor_login])).toEqual([
      ['students', 400, 'form', 'oo1'],
      ['students', 410, 'form', 'oo1'],
      ['students', 420, 'form', 'oo1'],
    ]);
    const view = (await oo1.get(formUrl(campaignId, 1))).json<View>();
    expect(view.values.students).toMatchObject({ value: 420, actorLogin: 'oo1', source: 'form' });
    expect(view.status).toBe('draft');
    const history = (await oo1.get(`${formUrl(campaignId, 1)}/history?input=students`)).json().items;
    expect(history.map((h: { value: number }) => h.value)).toEqual([420, 410, 400]);
    const wrongType = await save(oo1, campaignId, 1, { students: 'четыреста', unknown_input: 1 });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().error.fields).toEqual([
      { path: 'values.students', message: 'Введите целое число' },
      { path: 'values.unknown_input', message: 'В форме нет такого поля' },
    ]);
    const audit = await database.db.selectFrom('audit_log').select(['action', 'actor_login']).where('action', '=', 'submission.save').execute();
    expect(audit).toHaveLength(3);
    // The database refuses to rewrite history, whoever asks.
    await expect(database.db.updateTable('value_history').set({ value: '1' }).where('campaign_id', '=', campaignId).execute()).rejects.toThrow(
      'Таблица value_history только для добавления записей: изменение и удаление запрещены',
    );
    await expect(database.db.deleteFrom('value_history').where('campaign_id', '=', campaignId).execute()).rejects.toThrow(/только для добавления/);
    expect(await database.db.selectFrom('value_history').select('id').where('campaign_id', '=', campaignId).execute()).toHaveLength(3);
  });

  it('runs the workflow: error rules block submit, illegal transitions are refused in Russian, returned forms are fixed and resubmitted', async () => {
    await save(oo1, campaignId, 1, { programmes: 30, surveyed_students: 500 });
    const early = await analyst.post(`${formUrl(campaignId, 1)}/accept`, {});
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toBe('Принять можно только отправленную форму (сейчас: «Черновик»)');

    const blocked = await oo1.post(`${formUrl(campaignId, 1)}/submit`, {});
    expect(blocked.statusCode).toBe(400);
    expect(blocked.json().error).toMatchObject({
      code: 'SUBMISSION_HAS_ERRORS',
      message: 'Отправка невозможна: исправьте ошибки (1)',
      fields: [{ path: 'surveyed_students', message: 'Количество обучающихся, принявших участие в анкетировании, не может превышать численность обучающихся' }],
    });
    await save(oo1, campaignId, 1, { surveyed_students: 120 });
    const submitted = await oo1.post(`${formUrl(campaignId, 1)}/submit`, {});
    expect(submitted.statusCode).toBe(200);
    expect(submitted.json()).toMatchObject({ status: 'submitted', editable: false, findings: [] });

    const locked = await save(oo1, campaignId, 1, { programmes: 31 });
    expect(locked.statusCode).toBe(409);
    expect(locked.json().error.message).toBe('Форма отправлена на проверку: изменить значения можно после возврата на доработку');
    expect((await oo1.post(`${formUrl(campaignId, 1)}/accept`, {})).statusCode).toBe(403);
    const twice = await oo1.post(`${formUrl(campaignId, 1)}/submit`, {});
    expect(twice.json().error.message).toBe('Отправить можно только черновик или возвращённую на доработку форму (сейчас: «Отправлена»)');

    const noComment = await analyst.post(`${formUrl(campaignId, 1)}/return`, {});
    expect(noComment.statusCode).toBe(400);
    expect(noComment.json().error.fields).toEqual([{ path: 'comment', message: expect.any(String) }]);
    const returned = await analyst.post(`${formUrl(campaignId, 1)}/return`, { comment: 'Уточните число программ по данным Навигатора' });
    expect(returned.json()).toMatchObject({ status: 'returned', reviewerComment: 'Уточните число программ по данным Навигатора' });

    expect((await save(oo1, campaignId, 1, { programmes: 31 })).json().editable).toBe(true);
    expect((await oo1.post(`${formUrl(campaignId, 1)}/submit`, {})).json().status).toBe('submitted');
    const accepted = (await analyst.post(`${formUrl(campaignId, 1)}/accept`, {})).json<View>();
    expect(accepted.status).toBe('accepted');
    expect(accepted.events.map((e) => `${e.fromStatus ?? '∅'}→${e.toStatus}:${e.actorLogin}`)).toEqual([
      '∅→draft:oo1',
      'draft→submitted:oo1',
      'submitted→returned:analyst',
      'returned→submitted:oo1',
      'submitted→accepted:analyst',
    ]);
    expect((await save(oo1, campaignId, 1, { programmes: 32 })).json().error.message).toBe('Форма принята: изменения невозможны');

    const detail = (await analyst.get(`/api/campaigns/${campaignId}`)).json();
    expect(detail.rows).toHaveLength(51);
    const row1 = detail.rows.find((r: { no: number }) => r.no === 1);
    expect(row1).toMatchObject({ status: 'accepted', percent: 100, overdue: false });
    // The due date 01.06.2022 has passed: forms not submitted are overdue (derived from today).
    expect(detail.rows.find((r: { no: number }) => r.no === 2)).toMatchObject({ status: 'not_started', percent: 0, overdue: true });
    const actions = (await database.db.selectFrom('audit_log').select('action').where('action', 'like', 'submission.%').execute()).map((r) => r.action);
    expect(actions.filter((a) => a !== 'submission.save')).toEqual(['submission.submit', 'submission.return', 'submission.submit', 'submission.accept']);
  });

  it('scopes an org representative to their own organisation: another organisation’s form is 403 on read and write', async () => {
    expect((await oo1.get(formUrl(campaignId, 47))).statusCode).toBe(403);
    expect((await oo1.get(`${formUrl(campaignId, 47)}/history`)).statusCode).toBe(403);
    const write = await save(oo1, campaignId, 47, { students: 1 });
    expect(write.statusCode).toBe(403);
    expect(write.json().error.code).toBe('FORBIDDEN');
    expect((await dou34.post(`${formUrl(campaignId, 1)}/submit`, {})).statusCode).toBe(403);
    const own = (await dou34.get(`/api/campaigns/${campaignId}`)).json();
    expect(own.rows.map((r: { no: number }) => r.no)).toEqual([47]);
    expect((await dou34.get(formUrl(campaignId, 47))).statusCode).toBe(200);
  });

  it('a warning rule needs the submitter’s comment', async () => {
    await save(dou34, campaignId, 47, { students: 0, programmes: 0, surveyed_students: 0 });
    const refused = await dou34.post(`${formUrl(campaignId, 47)}/submit`, {});
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('COMMENT_REQUIRED');
    expect(refused.json().error.message).toBe('Есть предупреждения: поясните их в комментарии к отправке');
    const ok = await dou34.post(`${formUrl(campaignId, 47)}/submit`, { comment: 'Группа дополнительного образования в 2021 году не работала' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'submitted', submitterComment: 'Группа дополнительного образования в 2021 году не работала' });
  });

  it('warns when a value changed more than twice against the organisation’s previous campaign of the methodology', async () => {
    const prev = (await create({ title: 'Прошлый год', period: '2020/2021', participants: { mode: 'list', organisationIds: [org[3]] }, opensOn: '2021-02-15', dueOn: '2021-06-01', closesOn: '2021-06-30' })).json();
    await analyst.post(`/api/campaigns/${prev.id}/open`);
    await save(analyst, prev.id, 3, { students: 100, programmes: 10, surveyed_students: 20 });
    const view = (await save(analyst, campaignId, 3, { students: 250, programmes: 10, surveyed_students: 20 })).json<View>();
    expect(view.previousCampaign?.id).toBe(prev.id);
    expect(view.findings).toEqual([
      {
        id: 'change_vs_previous:students',
        kind: 'change',
        severity: 'warning',
        inputs: ['students'],
        message: '«Численность обучающихся»: 250 — больше в 2,5 раза, чем в прошлом мониторинге (100); допустимое изменение — не более чем в 2 раза. Проверьте значение или поясните в комментарии.',
      },
    ]);
    expect((await analyst.post(`${formUrl(campaignId, 3)}/submit`, {})).json().error.code).toBe('COMMENT_REQUIRED');
    expect((await save(analyst, campaignId, 3, { students: 199 })).json().findings).toEqual([]);
  });

  it('a closed campaign refuses writes until a logged re-opening with a reason', async () => {
    expect((await analyst.post(`/api/campaigns/${campaignId}/close`)).json().status).toBe('closed');
    const refused = await save(analyst, campaignId, 2, { students: 5 });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toBe('Мониторинг закрыт: изменения возможны только после повторного открытия с указанием причины');
    expect((await analyst.post(`${formUrl(campaignId, 47)}/accept`, {})).statusCode).toBe(409);
    expect((await analyst.post(`/api/campaigns/${campaignId}/reopen`, {})).statusCode).toBe(400);
    expect((await oo1.post(`/api/campaigns/${campaignId}/reopen`, { reason: 'Ошибка в данных' })).statusCode).toBe(403);
    const reopened = await analyst.post(`/api/campaigns/${campaignId}/reopen`, { reason: 'Школа №2 прислала исправленные данные письмом' });
    expect(reopened.json().status).toBe('open');
    expect((await save(analyst, campaignId, 2, { students: 5 })).statusCode).toBe(200);
    expect((await analyst.post(`${formUrl(campaignId, 47)}/accept`, {})).json().status).toBe('accepted');
    const detail = (await analyst.get(`/api/campaigns/${campaignId}`)).json();
    expect(detail.events.map((e: { toStatus: string; reason: string | null }) => [e.toStatus, e.reason])).toEqual([
      ['draft', null], ['open', null], ['closed', null], ['open', 'Школа №2 прислала исправленные данные письмом'],
    ]);
    const audit = await database.db.selectFrom('audit_log').select(['actor_login', 'details']).where('action', '=', 'campaign.reopen').execute();
    expect(audit).toEqual([{ actor_login: 'analyst', details: { from: 'closed', to: 'open', reason: 'Школа №2 прислала исправленные данные письмом' } }]);
    await analyst.post(`/api/campaigns/${campaignId}/close`);
    expect((await analyst.post(`/api/campaigns/${campaignId}/publish`)).json().status).toBe('published');
    expect((await analyst.post(`/api/campaigns/${campaignId}/reopen`, { reason: 'Ещё раз' })).statusCode).toBe(409);
  });
});
