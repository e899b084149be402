import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { POLICY, findRule } from '../../src/http/policy.ts';
import { Client, BACKENDS, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

describe.each(BACKENDS)('application shell on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let routes: string[];
  let webDist: string;
  let webApp: FastifyInstance;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const built = await buildTestApp(database, {
      policy: { ...POLICY, 'GET /api/test/crash': { access: 'public' } },
      extraRoutes: (a) => {
        a.get('/api/test/crash', async () => {
          throw new Error('секретная подробность');
        });
      },
    });
    app = built.app;
    routes = built.routes;
    webDist = mkdtempSync(path.join(tmpdir(), 'msoko-web-'));
    mkdirSync(path.join(webDist, 'assets'));
    writeFileSync(path.join(webDist, 'index.html'), '<!doctype html><title>SPA</title>');
    writeFileSync(path.join(webDist, 'assets', 'app.js'), 'console.log(1)');
    // The build writes compressed copies beside each asset (web/vite.config.ts); the server sends them when accepted.
    writeFileSync(path.join(webDist, 'assets', 'app.js.br'), brotliCompressSync('console.log(1)'));
    writeFileSync(path.join(webDist, 'assets', 'app.js.gz'), gzipSync('console.log(1)'));
    webApp = (await buildTestApp(database, { webDist, demo: true })).app;
  });
  afterAll(async () => {
    await app?.close();
    await webApp?.close();
    await database?.dispose();
    rmSync(webDist, { recursive: true, force: true });
  });

  it('reports health with the database kind', async () => {
    const res = await app.inject('/api/health');
    expect(res.json()).toEqual({ status: 'ok', database: kind });
  });

  it('answers an unknown API route with 404 JSON carrying the request id', async () => {
    const res = await app.inject('/api/no/such/thing');
    expect(res.statusCode).toBe(404);
    const body = res.json();
    expect(body).toEqual({ error: { code: 'NOT_FOUND', message: 'Метод API не найден', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) } });
    expect(res.headers['x-request-id']).toBe(body.error.requestId);
  });

  it('turns a crash into 500 «Внутренняя ошибка сервера» without the stack or message', async () => {
    const res = await app.inject('/api/test/crash');
    expect(res.statusCode).toBe(500);
    expect(res.json().error).toMatchObject({ code: 'INTERNAL', message: 'Внутренняя ошибка сервера' });
    expect(res.body).not.toContain('секретная');
    expect(res.body).not.toContain('at ');
  });

  it('sends security headers', async () => {
    const res = await app.inject('/api/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(String(res.headers['content-security-policy'])).toContain("default-src 'self'");
  });

  it('refuses bodies over 1 MB with 413 and malformed JSON with 400', async () => {
    const c = new Client(app);
    const big = await c.request('POST', '/api/auth/login', { login: 'a', password: 'x'.repeat(1_100_000) });
    expect(big.statusCode).toBe(413);
    const bad = await c.request('POST', '/api/auth/login', undefined, { headers: { 'content-type': 'application/json' } });
    expect(bad.statusCode).toBe(400);
  });

  it('publishes an OpenAPI document listing the routes, and Swagger UI', async () => {
    const doc = (await app.inject('/api/openapi.json')).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([
      '/api/health', '/api/auth/csrf', '/api/auth/login', '/api/auth/logout', '/api/auth/logout-all', '/api/auth/me',
      '/api/demo-users', '/api/organisations', '/api/organisations/{id}', '/api/organisations/{id}/close',
      '/api/organisations/{id}/reopen', '/api/audit',
    ]));
    expect(Object.keys(doc.paths['/api/organisations'])).toEqual(expect.arrayContaining(['get', 'post']));
    expect(doc.paths['/api/organisations'].post.requestBody.content['application/json'].schema.required).toEqual(['shortName', 'fullName', 'type']);
    const ui = await app.inject('/api/docs');
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain('Swagger UI');
  });

  it('has a policy rule for every registered route, and no stale rule', async () => {
    expect(routes.length).toBeGreaterThan(15);
    for (const id of routes.filter((r) => r !== 'GET /api/test/crash')) expect(findRule(id), id).toBeDefined();
    const registered = new Set(routes);
    const stale = Object.keys(POLICY).filter((k) => !k.endsWith('*') && !registered.has(k));
    expect(stale).toEqual([]);
  });

  it('refuses to start with a route that has no policy rule', async () => {
    await expect(buildTestApp(database, { extraRoutes: (a) => void a.get('/api/unruled', async () => 'x') }))
      .rejects.toThrow('Маршрут GET /api/unruled не описан в политике доступа');
  });

  it('answers 401 to an anonymous caller on every non-public API route', async () => {
    const c = new Client(app);
    const guarded = routes.filter((id) => id.includes(' /api/') && findRule(id)?.access === 'roles');
    // Other modules add routes; the registry/auth/audit ones must be among them.
    expect(guarded).toEqual(expect.arrayContaining([
      'POST /api/auth/logout', 'POST /api/auth/logout-all', 'GET /api/organisations', 'GET /api/organisations/:id',
      'POST /api/organisations', 'PATCH /api/organisations/:id', 'POST /api/organisations/:id/close',
      'POST /api/organisations/:id/reopen', 'GET /api/audit',
    ]));
    for (const id of guarded) {
      const [method, url] = id.split(' ') as ['GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', string];
      const target = url.replace(/:([A-Za-z]+)/g, (_m, name: string) => (/id$/i.test(name) ? '00000000-0000-0000-0000-000000000000' : '2023'));
      const res = await c.request(method, target, method === 'GET' ? undefined : {});
      expect(res.statusCode, id).toBe(401);
      expect(res.json().error.message).toBe('Требуется вход в систему');
    }
  });

  it('serves demo users only in demo mode', async () => {
    expect((await app.inject('/api/demo-users')).json()).toEqual({ demo: false, users: [] });
    expect((await webApp.inject('/api/demo-users')).json()).toEqual({ demo: true, users: [] }); // nothing seeded here
  });

  it('serves the SPA with an index.html fallback, and a Russian hint when web/dist is missing', async () => {
    const deep = await webApp.inject('/organisations/123');
    expect(deep.statusCode).toBe(200);
    expect(deep.body).toContain('<title>SPA</title>');
    const asset = await webApp.inject('/assets/app.js');
    expect(asset.body).toBe('console.log(1)');
    expect(asset.headers['cache-control']).toContain('immutable');
    expect(asset.headers['content-encoding']).toBeUndefined();
    const br = await webApp.inject({ url: '/assets/app.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe('console.log(1)');
    const gz = await webApp.inject({ url: '/assets/app.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe('console.log(1)');
    expect((await webApp.inject('/api/missing')).statusCode).toBe(404);
    const hint = await app.inject('/');
    expect(hint.statusCode).toBe(200);
    expect(hint.body).toContain('npm run build:web');
  });
});
