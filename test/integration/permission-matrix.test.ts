/** The permission matrix: every route Fastify registered × every kind of caller (administrator, analyst,
 * working-group member, representative of org A, of org B, anonymous). The expected answer is generated from the
 * policy module (`decide` over `POLICY`), never from a hand list, and asserted against the real server over
 * `app.inject` — so a route added by anyone is in the matrix the moment it is registered, and a route without a rule
 * (or a rule without a route) fails here.
 *
 * Ids in the url are real where we can find them: `/organisations/:id` and `:orgId` are org A (and org B in a second
 * row), `/<table>/:id` takes a row of that table when it exists, anything else a random uuid. "Allowed" means the
 * guard let the request through: any status but 401/403 (a 400/404/409 from the dummy body is allowed by policy) and
 * never 5xx. "Denied" is exactly 401 UNAUTHORIZED for anonymous callers and 403 FORBIDDEN for the others. */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { POLICY, decide, findRule, type Caller } from '../../src/http/policy.ts';
import { hashToken } from '../../src/services/admin/auth.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { SYSTEM_ACTOR } from '../../src/services/errors.ts';
import { createUser } from '../../src/services/admin/users.ts';
import type { Role } from '../../src/core/registry/schema.ts';
import { BACKENDS, CSRF, Client, SID, buildTestApp, csrfTokenFor, openTestDatabase, type TestDatabase } from './helpers.ts';

type CallerName = 'admin' | 'analyst' | 'working_group' | 'org_rep_A' | 'org_rep_B' | 'regional_analyst' | 'anonymous';
const CALLERS: { name: CallerName; login: string | null }[] = [
  { name: 'admin', login: 'admin' },
  { name: 'analyst', login: 'analyst' },
  { name: 'working_group', login: 'wg' },
  { name: 'org_rep_A', login: 'oo1' },
  { name: 'org_rep_B', login: 'dou34' },
  { name: 'regional_analyst', login: 'region' },
  { name: 'anonymous', login: null },
];
const ALL_ROLES: Role[] = ['admin', 'analyst', 'working_group', 'org_rep', 'regional_analyst'];
/** Values for parameters that are not ids (a direction code, a year, a methodology version). */
const FIXED_PARAMS: Record<string, string> = { direction: 'talents', year: '2022', version: '1' };

interface Cell {
  route: string;
  caller: CallerName;
  url: string;
  expected: 'allow' | 401 | 403;
  status: number;
  code: string | null;
  message: string | null;
  cacheControl: string | null;
}

describe.each(BACKENDS)('permission matrix on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let routes: string[];
  let webApp: FastifyInstance;
  let webRoutes: string[];
  let webDist: string;
  const users = new Map<CallerName, { id: string; caller: Caller } | null>();
  let orgA: string;
  let orgB: string;
  let csrf: { token: string; cookie: string };
  const cells: Cell[] = [];

  /** A fresh session per request: some allowed calls end sessions (sign-out, sign-out everywhere). */
  async function sessionCookie(userId: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await database.db.insertInto('sessions').values({ id: hashToken(token), user_id: userId, expires_at: new Date(Date.now() + 3600_000) }).execute();
    return `${SID}=${token}`;
  }

  async function tableIds(): Promise<Map<string, string | null>> {
    const tables = await sql<{ table_name: string }>`select table_name from information_schema.columns where table_schema = current_schema() and column_name = 'id'`.execute(database.db);
    const out = new Map<string, string | null>();
    for (const { table_name } of tables.rows) {
      const row = await sql<{ id: unknown }>`select id from ${sql.table(table_name)} order by 1 limit 1`.execute(database.db);
      out.set(table_name, row.rows[0] ? String(row.rows[0].id) : null);
    }
    return out;
  }

  /** Concrete urls for a route pattern: one per target organisation when the route names an organisation. */
  /** A real file under each wildcard route (Swagger UI's static assets). */
  const WILDCARD_SAMPLES: Record<string, string> = { '/api/docs/static/*': 'index.css', '/docs/*': 'guide/index.md' };

  function urlsFor(pattern: string, ids: Map<string, string | null>): string[] {
    const segments = pattern.split('/');
    const isOrg = (name: string, i: number) => name === 'orgId' || (name === 'id' && segments[i - 1] === 'organisations');
    const orgParam = segments.some((s, i) => [...s.matchAll(/:([A-Za-z_]+)/g)].some((m) => isOrg(m[1] ?? '', i)));
    return (orgParam ? [orgA, orgB] : [orgA]).map((target) =>
      segments
        .map((s, i) => {
          // A wildcard route serves files: ask for one that exists so the route itself answers.
          if (s === '*') return WILDCARD_SAMPLES[pattern] ?? 'x';
          return s.replace(/:([A-Za-z_]+)/g, (_m, name: string) => {
            if (isOrg(name, i)) return target;
            if (name in FIXED_PARAMS) return FIXED_PARAMS[name] as string;
            // `/<table>/:id` → a real row of that table when there is one (e.g. the open campaign).
            return ids.get(segments[i - 1] ?? '') ?? randomUUID();
          });
        })
        .join('/'),
    );
  }

  /** Route parameters as Fastify will see them (the same regex walk over the pattern). */
  function paramsOf(pattern: string, url: string): Record<string, string> {
    const names: string[] = [];
    const re = new RegExp(`^${pattern.split('/').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:([A-Za-z_]+)/g, (_m, n: string) => {
      names.push(n);
      return '([^/]+?)';
    })).join('/')}$`);
    const m = re.exec(url);
    return Object.fromEntries(names.map((n, i) => [n, m?.[i + 1] ?? '']));
  }

  /** What the policy module says. A public rule whose note promises 401 (`/api/auth/me`) answers anonymous with 401. */
  function expectedFor(route: string, caller: Caller | null, params: Record<string, string>): 'allow' | 401 | 403 {
    const rule = findRule(route);
    if (!rule) throw new Error(`нет правила для ${route}`);
    if (rule.access === 'public' && !caller && rule.note?.includes('401')) return 401;
    const d = decide(rule, caller, params);
    return d.allow ? 'allow' : d.status;
  }

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    // The regional analyst (issue 9) compares the municipalities of a region: put the demo municipality in one.
    const region = await database.db.insertInto('regions').values({ name: 'Регион матрицы прав' }).returning('id').executeTakeFirstOrThrow();
    await database.db.updateTable('municipalities').set({ region_id: region.id }).execute();
    await createUser(database.db, SYSTEM_ACTOR, { login: 'region', fullName: 'Региональный аналитик', role: 'regional_analyst', password: 'demo2022' }, null, region.id);
    const built = await buildTestApp(database);
    app = built.app;
    routes = built.routes;
    webDist = mkdtempSync(path.join(tmpdir(), 'msoko-matrix-web-'));
    writeFileSync(path.join(webDist, 'index.html'), '<!doctype html><title>SPA</title>');
    const webBuilt = await buildTestApp(database, { webDist });
    webApp = webBuilt.app;
    webRoutes = webBuilt.routes;

    for (const c of CALLERS) {
      if (!c.login) {
        users.set(c.name, null);
        continue;
      }
      const u = await database.db.selectFrom('users').select(['id', 'role', 'organisation_id']).where('login', '=', c.login).executeTakeFirstOrThrow();
      users.set(c.name, { id: u.id, caller: { role: u.role, organisationId: u.organisation_id } });
    }
    orgA = String(users.get('org_rep_A')?.caller.organisationId);
    orgB = String(users.get('org_rep_B')?.caller.organisationId);
    expect(orgA).not.toBe(orgB);

    // A real campaign over every organisation, open, so org representatives see it and the `:orgId` scope is exercised.
    const analyst = new Client(app, '10.9.0.1');
    expect((await analyst.login('analyst')).statusCode).toBe(200);
    const created = await analyst.post('/api/campaigns', {
      title: 'Матрица прав', methodologyId: 'talents-2021', methodologyVersion: '2021.1', period: '2021/2022',
      participants: { mode: 'all' }, opensOn: '2022-02-15', dueOn: '2022-06-01', closesOn: '2030-06-30',
    });
    expect(created.statusCode).toBe(201);
    expect((await analyst.post(`/api/campaigns/${created.json().id}/open`)).statusCode).toBe(200);

    const tokenRes = await app.inject('/api/auth/csrf');
    const secret = tokenRes.cookies.find((c) => c.name === CSRF);
    csrf = { token: tokenRes.json<{ token: string }>().token, cookie: `${CSRF}=${secret?.value}` };

    const ids = await tableIds();
    for (const route of routes) {
      const [method, pattern] = route.split(' ') as [string, string];
      for (const url of urlsFor(pattern, ids)) {
        for (const c of CALLERS) {
          const who = users.get(c.name) ?? null;
          const cookies = [csrf.cookie];
          if (who) cookies.push(await sessionCookie(who.id));
          const headers: Record<string, string> = { cookie: cookies.join('; ') };
          if (method !== 'GET') headers['x-csrf-token'] = who ? await csrfTokenFor(app, headers.cookie!) : csrf.token;
          const res = await app.inject({
            method: method as 'GET',
            url,
            headers,
            remoteAddress: '10.9.1.1',
            ...(method === 'GET' ? {} : { payload: {} }),
          });
          let error: { code?: string; message?: string } | undefined;
          try {
            error = (res.json() as { error?: { code?: string; message?: string } }).error;
          } catch {
            error = undefined;
          }
          const expected = expectedFor(route, who?.caller ?? null, paramsOf(pattern, url));
          const cacheControl = res.headers['cache-control'];
          cells.push({ route, caller: c.name, url, expected, status: res.statusCode, code: error?.code ?? null, message: error?.message ?? null, cacheControl: cacheControl === undefined ? null : String(cacheControl) });
        }
      }
    }
  }, 600_000); // ~150 routes × 7 callers through the real server: minutes on a loaded 2-core machine
  afterAll(async () => {
    await app?.close();
    await webApp?.close();
    await database?.dispose();
    if (webDist) rmSync(webDist, { recursive: true, force: true });
  });

  it('covers every registered route, and every rule of the policy table has a registered route', () => {
    for (const id of [...routes, ...webRoutes]) expect(findRule(id), `маршрут ${id} без правила`).toBeDefined();
    const all = new Set([...routes, ...webRoutes]);
    for (const key of Object.keys(POLICY)) {
      const [method, url] = key.split(' ') as [string, string];
      if (key.endsWith('*')) {
        const prefix = key.slice(0, -1);
        expect([...all].some((r) => r.startsWith(prefix)), `правило ${key} не соответствует ни одному маршруту`).toBe(true);
      } else {
        expect(app.hasRoute({ method: method as 'GET', url }) || webApp.hasRoute({ method: method as 'GET', url }), `правило ${key} без маршрута`).toBe(true);
      }
    }
    const covered = new Set(cells.map((c) => c.route));
    expect(routes.filter((r) => !covered.has(r))).toEqual([]);
    for (const route of routes) {
      const callers = new Set(cells.filter((c) => c.route === route).map((c) => c.caller));
      expect(callers.size, route).toBe(CALLERS.length);
    }
  });

  it('reaches the route itself in every cell (no url fell through to the not-found handler)', () => {
    expect(cells.filter((c) => c.message === 'Метод API не найден').map((c) => `${c.route} → ${c.url}`)).toEqual([]);
  });

  it('answers every route × caller as the policy module says (deny: 401 anonymous, 403 others; allow: neither, no 5xx)', () => {
    const wrong = cells.filter((c) => {
      if (c.status >= 500) return true;
      if (c.expected === 'allow') return c.status === 401 || c.status === 403;
      if (c.status !== c.expected) return true;
      return c.code !== (c.expected === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN');
    });
    expect(wrong.map((c) => `${c.route} ${c.url} ${c.caller}: ожидалось ${c.expected}, получено ${c.status} ${c.code ?? ''}`)).toEqual([]);
  });

  it('every API answer to a signed-in caller carries Cache-Control: no-store (issue 25)', () => {
    const signedIn = cells.filter((c) => c.caller !== 'anonymous' && c.url.startsWith('/api/'));
    expect(signedIn.length).toBeGreaterThan(300);
    expect(signedIn.filter((c) => c.cacheControl !== 'no-store').map((c) => `${c.route} ${c.caller} → ${c.status} ${c.cacheControl ?? '(нет)'}`)).toEqual([]);
  });

  it('exercises every kind of decision: each role is allowed somewhere and denied somewhere; the scope rule bites', () => {
    for (const name of ['admin', 'analyst', 'working_group', 'org_rep_A', 'org_rep_B', 'regional_analyst', 'anonymous'] as const) {
      const mine = cells.filter((c) => c.caller === name && c.route.includes(' /api/'));
      expect(mine.some((c) => c.expected === 'allow'), `${name}: allow`).toBe(true);
      if (name !== 'admin') expect(mine.some((c) => c.expected !== 'allow'), `${name}: deny`).toBe(true);
    }
    // Role-only rules: every role that is listed gets through, every other role is refused.
    for (const [route, rule] of Object.entries(POLICY)) {
      if (rule.access !== 'roles' || rule.scope) continue;
      for (const role of ALL_ROLES) {
        const hit = cells.filter((c) => c.route === route && users.get(c.caller)?.caller.role === role);
        for (const c of hit) expect(c.expected === 'allow', `${route} ${c.caller}`).toBe(rule.roles.includes(role));
      }
    }
    const own = (caller: CallerName, url: string) => cells.find((c) => c.route === 'GET /api/organisations/:id' && c.caller === caller && c.url === url);
    expect(own('org_rep_A', `/api/organisations/${orgA}`)).toMatchObject({ expected: 'allow', status: 200 });
    expect(own('org_rep_A', `/api/organisations/${orgB}`)).toMatchObject({ expected: 403, status: 403 });
    expect(own('org_rep_B', `/api/organisations/${orgB}`)).toMatchObject({ expected: 'allow', status: 200 });
    expect(own('org_rep_B', `/api/organisations/${orgA}`)).toMatchObject({ expected: 403, status: 403 });
    expect(own('anonymous', `/api/organisations/${orgA}`)).toMatchObject({ expected: 401, status: 401 });
    const form = cells.filter((c) => c.route === 'GET /api/campaigns/:id/organisations/:orgId');
    expect(form.find((c) => c.caller === 'org_rep_A' && c.url.endsWith(orgA))).toMatchObject({ expected: 'allow', status: 200 });
    expect(form.find((c) => c.caller === 'org_rep_A' && c.url.endsWith(orgB))).toMatchObject({ expected: 403, status: 403 });
    expect(cells.find((c) => c.route === 'POST /api/organisations' && c.caller === 'org_rep_A')).toMatchObject({ status: 403 });
    expect(cells.find((c) => c.route === 'GET /api/audit' && c.caller === 'analyst')).toMatchObject({ status: 403 });
  });

  it('notifications and reminders (issue 5): own notifications for every role, settings public to read, admin to change', () => {
    const cell = (route: string, caller: CallerName) => cells.find((c) => c.route === route && c.caller === caller);
    for (const caller of ['admin', 'analyst', 'working_group', 'org_rep_A', 'org_rep_B'] as const) {
      expect(cell('GET /api/notifications', caller)).toMatchObject({ expected: 'allow', status: 200 });
      expect(cell('GET /api/notifications/unread-count', caller)).toMatchObject({ expected: 'allow', status: 200 });
    }
    expect(cell('GET /api/notifications', 'anonymous')).toMatchObject({ expected: 401, status: 401 });
    expect(cell('GET /api/settings', 'anonymous')).toMatchObject({ expected: 'allow', status: 200 });
    expect(cell('PATCH /api/settings', 'admin')).toMatchObject({ expected: 'allow', status: 200 });
    expect(cell('PATCH /api/settings', 'analyst')).toMatchObject({ expected: 403, status: 403 });
    expect(cell('POST /api/reminders/run', 'analyst')).toMatchObject({ expected: 'allow', status: 200 });
    expect(cell('POST /api/reminders/run', 'org_rep_A')).toMatchObject({ expected: 403, status: 403 });
    expect(cell('PUT /api/users/:id/email', 'analyst')).toMatchObject({ expected: 403, status: 403 });
    expect(cell('PUT /api/users/:id/email', 'admin')).toMatchObject({ expected: 'allow', status: 400 });
    expect(cell('PUT /api/campaigns/:id/reminders', 'org_rep_A')).toMatchObject({ expected: 403, status: 403 });
  });
});
