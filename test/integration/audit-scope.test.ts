/** Issue 24: a municipal administrator's audit log shows the actions of their municipality's users only (sign-in
 * failures by the login tried), not another municipality's. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/services/admin/users.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { SYSTEM_ACTOR } from '../../src/services/errors.ts';
import { getOrCreateMunicipality } from '../../src/services/registry/registry.ts';
import { BACKENDS, Client, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

describe.each(BACKENDS)('audit log scoped to the administrator’s municipality on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    const other = await getOrCreateMunicipality(database.db, 'Соседний район');
    await createUser(database.db, SYSTEM_ACTOR, { login: 'admin2', fullName: 'Администратор соседнего района', role: 'admin', password: 'pass-word-2' }, other);
    await createUser(database.db, SYSTEM_ACTOR, { login: 'analyst2', fullName: 'Аналитик соседнего района', role: 'analyst', password: 'pass-word-2' }, other);
    app = (await buildTestApp(database)).app;
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('each administrator sees the sign-ins and failures of their own users only', async () => {
    expect((await new Client(app, '10.24.0.1').login('analyst')).statusCode).toBe(200);
    expect((await new Client(app, '10.24.0.2').login('analyst2', 'pass-word-2')).statusCode).toBe(200);
    expect((await new Client(app, '10.24.0.3').login('analyst2', 'не-тот')).statusCode).toBe(401);
    const admin = new Client(app, '10.24.0.4');
    expect((await admin.login('admin')).statusCode).toBe(200);
    const admin2 = new Client(app, '10.24.0.5');
    expect((await admin2.login('admin2', 'pass-word-2')).statusCode).toBe(200);

    const logins = async (c: Client) =>
      ((await c.get('/api/audit?limit=500')).json().items as { actorLogin: string | null; action: string }[])
        .filter((i) => i.action.startsWith('auth.'))
        .map((i) => `${i.action} ${i.actorLogin}`)
        .sort();
    expect(await logins(admin)).toEqual(['auth.login admin', 'auth.login analyst']);
    expect(await logins(admin2)).toEqual(['auth.login admin2', 'auth.login analyst2', 'auth.login_failed analyst2']);
    const total = (await admin.get('/api/audit?limit=1')).json().total as number;
    const all = await database.db.selectFrom('audit_log').select('id').execute();
    expect(total).toBeLessThan(all.length);
  });
});
