/** Integration-test helpers: a real database per test file (a copy of the migrated PGlite template, or a fresh
 * database on the PostgreSQL server of TEST_DATABASE_URL), the app on top, and a cookie-keeping inject client that
 * does the CSRF dance like the browser. */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { openDatabase, type DatabaseHandle, type DatabaseKind } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { buildApp, type BuildAppOptions, type BuiltApp } from '../../src/http/app.ts';

export const BACKENDS: DatabaseKind[] = ['pglite', ...(process.env.TEST_DATABASE_URL ? (['postgres'] as const) : [])];

export interface TestDatabase extends DatabaseHandle {
  dispose(): Promise<void>;
}

export async function openTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'msoko-it-'));
    cpSync(inject('pgliteTemplate'), dir, { recursive: true });
    const h = await openDatabase({ dataDir: dir });
    await migrateToLatest(h.db);
    return { ...h, dispose: async () => { await h.close(); rmSync(dir, { recursive: true, force: true }); } };
  }
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) throw new Error('TEST_DATABASE_URL не задан');
  const name = `msoko_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const h = await openDatabase({ databaseUrl: url.toString() });
  await migrateToLatest(h.db);
  return {
    ...h,
    dispose: async () => {
      await h.close();
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export async function buildTestApp(database: DatabaseHandle, opts: Partial<BuildAppOptions> = {}): Promise<BuiltApp> {
  return buildApp({ database, logLevel: 'silent', webDist: path.join(tmpdir(), 'msoko-no-web'), cookieSecure: true, ...opts });
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** Cookie names of a test app (`buildTestApp` serves with Secure cookies, hence the `__Host-` prefix). */
export const SID = '__Host-msoko_sid';
export const CSRF = '__Host-msoko_csrf';

/** A CSRF token for a request carrying `cookies` (the CSRF secret cookie and maybe a session cookie): tokens are
 * bound to the session, so a token fetched without the session cookie is refused with it. */
export async function csrfTokenFor(app: FastifyInstance, cookies: string): Promise<string> {
  return (await app.inject({ method: 'GET', url: '/api/auth/csrf', headers: { cookie: cookies } })).json<{ token: string }>().token;
}

/** A browser-like client over `app.inject`: keeps cookies, fetches a CSRF token before the first unsafe request. */
export class Client {
  readonly cookies = new Map<string, string>();
  private csrf: string | null = null;
  constructor(
    private readonly app: FastifyInstance,
    private readonly ip = '127.0.0.1',
  ) {}

  async request(method: Method, url: string, body?: unknown, opts: { csrf?: boolean; headers?: Record<string, string> } = {}): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { ...opts.headers };
    if (method !== 'GET' && opts.csrf !== false) {
      if (!this.csrf) this.csrf = (await this.request('GET', '/api/auth/csrf')).json<{ token: string }>().token;
      headers['x-csrf-token'] = this.csrf;
    }
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await this.app.inject({
      method,
      url,
      headers,
      remoteAddress: this.ip,
      ...(body === undefined ? {} : { payload: body as object }),
    });
    for (const c of res.cookies) {
      // CSRF tokens are bound to the session cookie: a new (or cleared) session needs a new token, as in the web app.
      if (c.name.endsWith('msoko_sid')) this.csrf = null;
      if (c.value === '' || (c.expires && c.expires.getTime() <= Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }
  get(url: string) { return this.request('GET', url); }
  post(url: string, body?: unknown, opts?: { csrf?: boolean }) { return this.request('POST', url, body, opts); }
  patch(url: string, body?: unknown) { return this.request('PATCH', url, body); }

  async login(login: string, password = 'demo2022'): Promise<LightMyRequestResponse> {
    return this.post('/api/auth/login', { login, password });
  }
}
