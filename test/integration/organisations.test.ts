import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { Client, BACKENDS, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

describe.each(BACKENDS)('organisations API on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let admin: Client;
  let idOf: (no: number) => Promise<string>;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    app = (await buildTestApp(database)).app;
    admin = new Client(app, '10.1.0.1');
    expect((await admin.login('admin')).statusCode).toBe(200);
    idOf = async (no) => (await database.db.selectFrom('organisations').select('id').where('no', '=', no).executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('seeds 51 demo organisations of three types with the two growth points, idempotently', async () => {
    const again = await seedDemo(database.db);
    expect(again).toMatchObject({ organisationsCreated: 0, usersCreated: 0 });
    const res = await admin.get('/api/organisations?status=all');
    const items = res.json().items as { no: number; shortName: string; type: string; growthPoint: boolean }[];
    expect(items).toHaveLength(51);
    expect(items.filter((o) => o.type === 'school')).toHaveLength(29);
    expect(items.filter((o) => o.type === 'preschool')).toHaveLength(18);
    expect(items.filter((o) => o.type === 'supplementary').map((o) => o.shortName)).toEqual(['ДДЮТ', 'СЮТ', 'ДЭБЦ', 'Инсайт']);
    expect(items.filter((o) => o.growthPoint).map((o) => o.shortName)).toEqual(['Кинзебулатово', 'Кулгунино']);
    expect(items[0]).toEqual({
      id: expect.any(String), no: 1, shortName: '№1', fullName: 'МБОУ СОШ №1 г. Ишимбая', type: 'school', inn: '0261000001', fisokoLogin: 'sch021201',
      growthPoint: false, status: 'active', openedAt: null, closedAt: null, closeReason: null,
    });
    const filtered = await admin.get(`/api/organisations?type=preschool&q=${encodeURIComponent('№34')}`);
    expect(filtered.json().items.map((o: { shortName: string }) => o.shortName)).toEqual(['ДОУ №34']);
  });

  it('scopes an org representative to their own organisation: list has one item, another one is 403', async () => {
    const rep = new Client(app, '10.1.0.2');
    await rep.login('oo1');
    const list = await rep.get('/api/organisations?status=all');
    expect(list.json().items.map((o: { no: number }) => o.no)).toEqual([1]);
    const own = await rep.get(`/api/organisations/${await idOf(1)}`);
    expect(own.statusCode).toBe(200);
    expect(own.json().shortName).toBe('№1');
    const other = await rep.get(`/api/organisations/${await idOf(47)}`);
    expect(other.statusCode).toBe(403);
    expect(other.json().error).toMatchObject({ code: 'FORBIDDEN', message: 'Недостаточно прав' });
    const write = await rep.patch(`/api/organisations/${await idOf(1)}`, { shortName: 'x' });
    expect(write.statusCode).toBe(403);
  });

  it('requires a session (401) and the admin role for writes (403 for an analyst)', async () => {
    const anon = new Client(app, '10.1.0.3');
    expect((await anon.get('/api/organisations')).statusCode).toBe(401);
    const analyst = new Client(app, '10.1.0.4');
    await analyst.login('analyst');
    expect((await analyst.get('/api/organisations')).json().items).toHaveLength(51);
    const res = await analyst.post('/api/organisations', { shortName: 'Новая', fullName: 'Новая школа', type: 'school' });
    expect(res.statusCode).toBe(403);
    expect((await analyst.get('/api/audit')).statusCode).toBe(403);
  });

  it('lets the admin create, edit, close and reopen an organisation, each audited with actor, target and IP', async () => {
    const created = await admin.post('/api/organisations', {
      shortName: 'Школа №99', fullName: 'МБОУ СОШ №99', type: 'school', inn: '026100009999', growthPoint: true, openedAt: '2023-09-01',
    });
    expect(created.statusCode).toBe(201);
    const org = created.json();
    expect(org).toMatchObject({ no: 52, shortName: 'Школа №99', inn: '026100009999', growthPoint: true, status: 'active', openedAt: '2023-09-01' });

    const edited = await admin.patch(`/api/organisations/${org.id}`, { fullName: 'МБОУ «СОШ №99»', inn: null });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({ fullName: 'МБОУ «СОШ №99»', inn: null, shortName: 'Школа №99' });

    const closed = await admin.post(`/api/organisations/${org.id}/close`, { closedAt: '2024-08-31', reason: 'Реорганизация' });
    expect(closed.json()).toMatchObject({ status: 'closed', closedAt: '2024-08-31', closeReason: 'Реорганизация' });
    expect((await admin.get('/api/organisations')).json().items.map((o: { id: string }) => o.id)).not.toContain(org.id);
    expect((await admin.get('/api/organisations?status=closed')).json().items.map((o: { id: string }) => o.id)).toEqual([org.id]);
    expect((await admin.post(`/api/organisations/${org.id}/close`, { closedAt: '2024-09-01', reason: 'x' })).statusCode).toBe(409);

    const reopened = await admin.post(`/api/organisations/${org.id}/reopen`);
    expect(reopened.json()).toMatchObject({ status: 'active', closedAt: null, closeReason: null });

    const audit = await admin.get(`/api/audit?actor=admin&limit=10`);
    expect(audit.statusCode).toBe(200);
    const rows = (audit.json().items as { action: string; targetId: string; actorLogin: string; ip: string; details: Record<string, unknown> }[])
      .filter((r) => r.targetId === org.id);
    expect(rows.map((r) => r.action)).toEqual(['organisation.reopen', 'organisation.close', 'organisation.update', 'organisation.create']);
    for (const r of rows) expect(r).toMatchObject({ actorLogin: 'admin', ip: '10.1.0.1', targetType: 'organisation' });
    expect(rows[2]?.details).toEqual({ changed: { fullName: { from: 'МБОУ СОШ №99', to: 'МБОУ «СОШ №99»' }, inn: { from: '026100009999', to: null } } });
    expect(rows[1]?.details).toEqual({ closedAt: '2024-08-31', reason: 'Реорганизация' });
    const byAction = await admin.get('/api/audit?action=organisation.close');
    expect(byAction.json().total).toBe(1);
  });

  it('rejects an invalid body with 400 and Russian field messages, writing nothing', async () => {
    const count = async () => Number((await database.db.selectFrom('organisations').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const auditCount = async () => Number((await database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const [before, auditBefore] = [await count(), await auditCount()];
    const res = await admin.post('/api/organisations', { fullName: 'X', type: 'лицей', inn: '12345', no: 'три', extra: 1 });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error.code).toBe('VALIDATION');
    expect(body.error.requestId).toBe(res.headers['x-request-id']);
    const fields = Object.fromEntries((body.error.fields as { path: string; message: string }[]).map((f) => [f.path, f.message]));
    expect(fields).toEqual({
      no: 'Должно быть числом',
      shortName: 'Обязательное поле',
      type: 'Допустимые значения: school, preschool, supplementary',
      inn: 'ИНН должен содержать 10 или 12 цифр',
      extra: 'Неизвестное поле',
    });
    const badClose = await admin.post(`/api/organisations/${await idOf(2)}/close`, { closedAt: '2024-02-30' });
    expect(badClose.statusCode).toBe(400);
    expect(badClose.json().error.fields).toEqual([
      { path: 'closedAt', message: 'Такой даты нет в календаре' },
      { path: 'reason', message: 'Обязательное поле' },
    ]);
    expect([await count(), await auditCount()]).toEqual([before, auditBefore]);
  });

  it('answers 404 for an unknown organisation and 409 for a taken number', async () => {
    const missing = await admin.get('/api/organisations/00000000-0000-0000-0000-000000000000');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.message).toBe('Организация не найдена');
    expect((await admin.get('/api/organisations/not-a-uuid')).statusCode).toBe(404);
    const dup = await admin.patch(`/api/organisations/${await idOf(3)}`, { no: 4 });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.fields).toEqual([{ path: 'no', message: 'Номер уже занят' }]);
  });

  it('keeps a ФИС ОКО login per organisation: checked, stored in lower case, unique per municipality, audited', async () => {
    const id = await idOf(30);
    const bad = await admin.patch(`/api/organisations/${id}`, { fisokoLogin: 'школа 5' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toEqual([{ path: 'fisokoLogin', message: 'Логин ФИС ОКО: «sch» и цифры, например sch510203' }]);
    const taken = await admin.patch(`/api/organisations/${id}`, { fisokoLogin: 'SCH021208' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error).toMatchObject({ code: 'FISOKO_LOGIN_TAKEN', message: 'Логин ФИС ОКО sch021208 уже указан у организации «№14»' });
    expect(taken.json().error.fields).toEqual([{ path: 'fisokoLogin', message: 'Логин уже указан у организации «№14»' }]);
    const created = await admin.post('/api/organisations', { shortName: 'Тест', fullName: 'МБОУ Тест', type: 'school', fisokoLogin: 'sch021201' });
    expect(created.statusCode).toBe(409);
    const ok = await admin.patch(`/api/organisations/${id}`, { fisokoLogin: 'SCH099930' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().fisokoLogin).toBe('sch099930');
    const found = await admin.get('/api/organisations?q=sch0999&status=all');
    expect(found.json().items.map((o: { no: number }) => o.no)).toEqual([30]);
    const audit = (await admin.get('/api/audit?action=organisation.update&limit=1')).json().items[0];
    expect(audit.details).toEqual({ changed: { fisokoLogin: { from: null, to: 'sch099930' } } });
    const cleared = await admin.patch(`/api/organisations/${id}`, { fisokoLogin: null });
    expect(cleared.json().fisokoLogin).toBeNull();
  });
});
