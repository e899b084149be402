/** Issue 22, item 5 (registry side): a school of the ФИС ОКО reports matched by name because the registry has no login
 * for it is offered for saving its printed login; saving it is an audited registry edit, after which the same reports
 * match it by login and offer nothing. A pair that was not offered is refused and nothing is written. Both engines. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { BACKENDS, Client, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

const FILE = 'статистика-математика-5.xlsx';
const content = readFileSync(fileURLToPath(new URL(`../../library/synthetic/fisoko-2025/${FILE}`, import.meta.url)));

describe.each(BACKENDS)('logins ФИС ОКО saved on the registry from an import on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let analyst: Client;
  let importId: string;
  let first: { id: string; short_name: string };
  let second: { id: string };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    first = await database.db.selectFrom('organisations').select(['id', 'short_name']).where('fisoko_login', '=', 'sch021201').executeTakeFirstOrThrow();
    second = await database.db.selectFrom('organisations').select(['id']).where('fisoko_login', '=', 'sch021202').executeTakeFirstOrThrow();
    // The registry does not know these two schools' logins yet.
    await database.db.updateTable('organisations').set({ fisoko_login: null }).where('id', 'in', [first.id, second.id]).execute();
    app = (await buildTestApp(database)).app;
    analyst = new Client(app, '10.22.7.1');
    expect((await analyst.login('analyst')).statusCode).toBe(200);
    const c = await analyst.post('/api/campaigns', {
      title: 'ВПР 2025', methodologyId: 'direction-preparation', methodologyVersion: '2021.2', period: '2024/2025', participants: { mode: 'types', types: ['school'] },
      opensOn: '2025-05-01', dueOn: '2025-06-30', closesOn: '2030-06-30',
    });
    expect(c.statusCode, c.body).toBe(201);
    const boundary = '----msokoLogins';
    const body = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${FILE}"\r\nContent-Type: application/octet-stream\r\n\r\n`), content, Buffer.from(`\r\n--${boundary}--\r\n`)]);
    const up = await analyst.request('POST', `/api/campaigns/${c.json().id}/imports/fisoko`, body, { headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
    expect(up.statusCode, up.body).toBe(201);
    importId = up.json().id;
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('offers the printed logins of the schools found by name, saves one as an audited registry edit, then matches it by login', async () => {
    const p = (await analyst.post(`/api/imports/${importId}/fisoko/preview`, {})).json();
    const school = p.schools.find((s: { login: string }) => s.login === 'sch021201');
    expect(school).toMatchObject({ how: 'name', organisation: { id: first.id } });
    expect(p.loginOffers.map((o: { login: string; how: string; organisation: { id: string } }) => [o.login, o.how, o.organisation.id])).toEqual([['sch021201', 'name', first.id], ['sch021202', 'name', second.id]]);

    const wrong = await analyst.post(`/api/imports/${importId}/fisoko/logins`, { logins: [{ organisationId: second.id, login: 'sch021201' }] });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.code).toBe('FISOKO_LOGIN_NOT_OFFERED');
    expect((await database.db.selectFrom('organisations').select('fisoko_login').where('id', '=', second.id).executeTakeFirstOrThrow()).fisoko_login).toBeNull();

    const res = await analyst.post(`/api/imports/${importId}/fisoko/logins`, { logins: [{ organisationId: first.id, login: 'SCH021201' }] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().saved).toEqual([{ organisationId: first.id, shortName: first.short_name, login: 'sch021201' }]);
    expect((await database.db.selectFrom('organisations').select('fisoko_login').where('id', '=', first.id).executeTakeFirstOrThrow()).fisoko_login).toBe('sch021201');
    const audit = await database.db.selectFrom('audit_log').select(['action', 'actor_login', 'details']).where('target_id', '=', first.id).where('action', '=', 'organisation.update').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_login: 'analyst', details: { changed: { fisokoLogin: { from: null, to: 'sch021201' } } } });

    const after = res.json().preview;
    expect(after.schools.find((s: { login: string }) => s.login === 'sch021201').how).toBe('login');
    expect(after.loginOffers.map((o: { login: string }) => o.login)).toEqual(['sch021202']);
  });
});
