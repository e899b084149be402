import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { Client, BACKENDS, SID, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

describe.each(BACKENDS)('auth on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    app = (await buildTestApp(database)).app;
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  const auditActions = async (login: string) =>
    (await database.db.selectFrom('audit_log').select(['action', 'ip']).where('actor_login', '=', login).orderBy('id').execute());

  it('signs in with a correct password: user JSON, httpOnly Secure SameSite=Lax cookie, /me works, audited', async () => {
    const c = new Client(app, '10.0.0.1');
    const res = await c.login('oo1');
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ login: 'oo1', role: 'org_rep', organisationName: '№1', fullName: 'Представитель школы №1 (демо)' });
    const cookie = res.cookies.find((k) => k.name === SID);
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });
    expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Only the hash is stored.
    const stored = await database.db.selectFrom('sessions').select('id').execute();
    expect(stored.map((s) => s.id)).not.toContain(cookie?.value);
    const me = await c.get('/api/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().user.login).toBe('oo1');
    expect(await auditActions('oo1')).toContainEqual({ action: 'auth.login', ip: '10.0.0.1' });
  });

  it('refuses a wrong password and an unknown login with the same Russian message', async () => {
    const c = new Client(app, '10.0.0.2');
    const wrong = await c.login('analyst', 'nope-nope');
    const unknown = await c.login('nobody', 'nope-nope');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error).toMatchObject({ code: 'INVALID_CREDENTIALS', message: 'Неверный логин или пароль' });
    expect(unknown.json().error.message).toBe(wrong.json().error.message);
    expect(unknown.json().error.code).toBe(wrong.json().error.code);
    expect(wrong.cookies.find((k) => k.name === SID)).toBeUndefined();
    expect((await c.get('/api/auth/me')).statusCode).toBe(401);
    expect(await auditActions('analyst')).toContainEqual({ action: 'auth.login_failed', ip: '10.0.0.2' });
    expect(await auditActions('nobody')).toContainEqual({ action: 'auth.login_failed', ip: '10.0.0.2' });
  });

  it('blocks the sixth attempt after 5 failures per login+IP with 429, even with the right password; other IPs unaffected', async () => {
    const c = new Client(app, '10.0.0.3');
    for (let i = 0; i < 5; i++) expect((await c.login('wg', 'wrong-password')).statusCode).toBe(401);
    const blocked = await c.login('wg');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.message).toBe('Слишком много попыток входа. Повторите через 15 мин.');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(800);
    const other = new Client(app, '10.0.0.4');
    expect((await other.login('wg')).statusCode).toBe(200);
  });

  it('refuses state-changing requests without a valid CSRF token (403) and signs nobody in', async () => {
    const c = new Client(app, '10.0.0.5');
    const none = await c.post('/api/auth/login', { login: 'admin', password: 'demo2022' }, { csrf: false });
    expect(none.statusCode).toBe(403);
    expect(none.json().error.code).toBe('CSRF_INVALID');
    expect(none.cookies.find((k) => k.name === SID)).toBeUndefined();
    await c.get('/api/auth/csrf'); // secret cookie now present, but a forged token
    const forged = await c.request('POST', '/api/auth/login', { login: 'admin', password: 'demo2022' }, { csrf: false, headers: { 'x-csrf-token': 'forged' } });
    expect(forged.statusCode).toBe(403);
    expect((await c.login('admin')).statusCode).toBe(200);
    const logoutWithout = await c.post('/api/auth/logout', undefined, { csrf: false });
    expect(logoutWithout.statusCode).toBe(403);
    expect((await c.get('/api/auth/me')).statusCode).toBe(200);
  });

  it('rotates the session on sign-in: the previous cookie stops working', async () => {
    const c = new Client(app, '10.0.0.6');
    await c.login('analyst');
    const first = c.cookies.get(SID);
    await c.login('analyst');
    const second = c.cookies.get(SID);
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    const old = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `${SID}=${first}` } });
    expect(old.statusCode).toBe(401);
    expect((await c.get('/api/auth/me')).statusCode).toBe(200);
  });

  it('signs out (204, cookie cleared, session deleted) and signs out everywhere', async () => {
    const a = new Client(app, '10.0.0.7');
    const b = new Client(app, '10.0.0.8');
    await a.login('dou34');
    await b.login('dou34');
    const c = new Client(app, '10.0.0.9');
    await c.login('dou34');
    const out = await c.post('/api/auth/logout');
    expect(out.statusCode).toBe(204);
    expect(out.cookies.find((k) => k.name === SID)?.value).toBe('');
    expect((await c.get('/api/auth/me')).statusCode).toBe(401);
    expect((await a.get('/api/auth/me')).statusCode).toBe(200);

    expect((await a.post('/api/auth/logout-all')).statusCode).toBe(204);
    expect((await a.get('/api/auth/me')).statusCode).toBe(401);
    expect((await b.get('/api/auth/me')).statusCode).toBe(401);
    const user = await database.db.selectFrom('users').select('id').where('login', '=', 'dou34').executeTakeFirstOrThrow();
    expect(await database.db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute()).toEqual([]);
    const actions = (await auditActions('dou34')).map((r) => r.action);
    expect(actions).toContain('auth.logout');
    expect(actions).toContain('auth.logout_all');
  });

  it('expires idle sessions', async () => {
    const c = new Client(app, '10.0.0.10');
    await c.login('admin');
    const user = await database.db.selectFrom('users').select('id').where('login', '=', 'admin').executeTakeFirstOrThrow();
    await database.db.updateTable('sessions').set({ last_seen_at: new Date(Date.now() - 9 * 3600_000) }).where('user_id', '=', user.id).execute();
    expect((await c.get('/api/auth/me')).statusCode).toBe(401);
    expect(await database.db.selectFrom('sessions').select('id').where('user_id', '=', user.id).where('ip', '=', '10.0.0.10').execute()).toEqual([]);
  });

  it('expires sessions at the absolute limit even when active', async () => {
    const c = new Client(app, '10.0.0.11');
    await c.login('admin');
    await database.db.updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000), last_seen_at: new Date() }).where('ip', '=', '10.0.0.11').execute();
    expect((await c.get('/api/auth/me')).statusCode).toBe(401);
  });
});
