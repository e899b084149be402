/** Security headers on HTML pages, static files and API responses (JSON, errors, downloads); and the periodic
 * maintenance that removes expired and idle sessions (until now only a sign-in cleaned them). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { hashToken, DEFAULT_AUTH_SETTINGS } from '../../src/services/admin/auth.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { runMaintenance, startMaintenance } from '../../src/services/admin/maintenance.ts';
import { BACKENDS, Client, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

describe.each(BACKENDS)('security headers and session maintenance on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let webDist: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    webDist = mkdtempSync(path.join(tmpdir(), 'msoko-headers-web-'));
    writeFileSync(path.join(webDist, 'index.html'), '<!doctype html><title>МСОКО</title>');
    writeFileSync(path.join(webDist, 'app.js'), 'console.log(1)');
    app = (await buildTestApp(database, { webDist })).app;
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
    if (webDist) rmSync(webDist, { recursive: true, force: true });
  });

  function expectSecurityHeaders(h: Record<string, unknown>, what: string): void {
    const csp = String(h['content-security-policy'] ?? '');
    expect(csp, what).toContain("default-src 'self'");
    expect(csp, what).toContain("frame-ancestors 'self'");
    expect(csp, what).toContain("object-src 'none'");
    expect(csp, what).toContain("script-src 'self'");
    expect(h['x-content-type-options'], what).toBe('nosniff');
    expect(h['x-frame-options'], what).toBe('SAMEORIGIN');
    expect(h['referrer-policy'], what).toBe('no-referrer');
    expect(h['strict-transport-security'], what).toMatch(/max-age=\d+/);
    expect(h['x-powered-by'], what).toBeUndefined();
  }

  it('sets CSP, nosniff, frame and referrer policies on HTML, static files, JSON, errors and downloads', async () => {
    const admin = new Client(app, '10.70.0.1');
    expect((await admin.login('admin')).statusCode).toBe(200);
    const cases: [string, Promise<{ statusCode: number; headers: Record<string, unknown> }>, number, RegExp][] = [
      ['SPA page', app.inject('/organisations'), 200, /^text\/html/],
      ['index', app.inject('/'), 200, /^text\/html/],
      ['static file', app.inject('/app.js'), 200, /javascript/],
      ['API JSON', admin.get('/api/organisations'), 200, /^application\/json/],
      ['API 401', app.inject('/api/auth/me'), 401, /^application\/json/],
      ['API 404', app.inject('/api/nope'), 404, /^application\/json/],
      ['download', admin.get('/api/admin/backup'), 200, /^application\/gzip/],
    ];
    for (const [what, p, status, type] of cases) {
      const res = await p;
      expect(res.statusCode, what).toBe(status);
      expect(String(res.headers['content-type']), what).toMatch(type);
      expectSecurityHeaders(res.headers, what);
    }
  });

  it('maintenance removes expired and idle sessions (and old sign-in attempts) and keeps live ones', async () => {
    const user = await database.db.selectFrom('users').select('id').where('login', '=', 'analyst').executeTakeFirstOrThrow();
    const now = new Date();
    const hour = 3600_000;
    const sessions = [
      { id: hashToken('live'), expires_at: new Date(now.getTime() + hour), last_seen_at: now },
      { id: hashToken('expired'), expires_at: new Date(now.getTime() - 1000), last_seen_at: now },
      { id: hashToken('idle'), expires_at: new Date(now.getTime() + hour), last_seen_at: new Date(now.getTime() - DEFAULT_AUTH_SETTINGS.idleMs - 1000) },
    ];
    await database.db.deleteFrom('sessions').execute();
    await database.db.insertInto('sessions').values(sessions.map((s) => ({ ...s, user_id: user.id }))).execute();
    await database.db.insertInto('login_attempts').values([
      { login: 'x', ip: '1.1.1.1', success: false, at: new Date(now.getTime() - 48 * hour) },
      { login: 'x', ip: '1.1.1.1', success: false, at: now },
    ]).execute();
    const r = await runMaintenance(database.db, { now });
    expect(r).toEqual({ 'сеансы': 2, 'попытки входа': 1, 'напоминания': 0, 'удалённые подтверждения': 0 });
    const left = await database.db.selectFrom('sessions').select('id').execute();
    expect(left.map((s) => s.id)).toEqual([hashToken('live')]);
    expect((await database.db.selectFrom('login_attempts').select('at').where('login', '=', 'x').execute()).length).toBe(1);

    // The timer runs the same pass by itself (first pass one second after start).
    await database.db.insertInto('sessions').values({ id: hashToken('expired2'), user_id: user.id, expires_at: new Date(Date.now() - 1000) }).execute();
    const timer = startMaintenance(database.db, { log: () => undefined, intervalMs: 60_000 });
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && (await database.db.selectFrom('sessions').select('id').where('id', '=', hashToken('expired2')).executeTakeFirst())) {
      await new Promise((res) => setTimeout(res, 200));
    }
    await timer.stop();
    expect(await database.db.selectFrom('sessions').select('id').where('id', '=', hashToken('expired2')).executeTakeFirst()).toBeUndefined();
  });
});
