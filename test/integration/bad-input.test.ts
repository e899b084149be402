/** Bad input on EVERY write route (enumerated from the registered routes, like the permission matrix; the body
 * schemas come from the OpenAPI document the routes generate): wrong JSON types, missing fields, wrong field types,
 * unknown fields, an oversized body, broken JSON, a wrong content type, deep nesting. Each answer must be a 4xx JSON
 * error with a Russian message (never 5xx), and the database must be unchanged afterwards (a hash of every table).
 * Statically, every JSON body schema must refuse unknown fields (`additionalProperties: false` at every level). */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { decide, findRule, type Caller } from '../../src/http/policy.ts';
import { hashToken } from '../../src/services/admin/auth.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { BACKENDS, CSRF, Client, SID, buildTestApp, csrfTokenFor, openTestDatabase, type TestDatabase } from './helpers.ts';
import { multipart } from '../support/import-data.ts';
import { withHiddenEntry, worksheetXml } from '../support/zip-tricks.ts';

type JsonSchema = { type?: string | string[]; properties?: Record<string, JsonSchema>; required?: string[]; additionalProperties?: unknown;
  items?: JsonSchema; anyOf?: JsonSchema[]; oneOf?: JsonSchema[]; allOf?: JsonSchema[]; enum?: unknown[]; $ref?: string };
const FIXED_PARAMS: Record<string, string> = { direction: 'talents', year: '2022', version: '2021.1' };
const CYRILLIC = /[А-Яа-яЁё]/;

/** A value of the wrong type for a property schema. */
function wrongValue(s: JsonSchema | undefined): unknown {
  const t = Array.isArray(s?.type) ? s?.type[0] : s?.type;
  if (t === 'string') return 12345;
  if (t === 'number' || t === 'integer') return 'не число';
  if (t === 'boolean') return 'да';
  if (t === 'array') return { not: 'array' };
  if (t === 'object') return 'не объект';
  return [[{}]];
}

/** Object schemas inside a body schema that do NOT refuse unknown fields (path → schema). */
function openObjects(s: JsonSchema | undefined, path: string, out: string[]): void {
  if (!s) return;
  if (s.type === 'object' && s.properties && s.additionalProperties !== false) out.push(path || '(тело)');
  for (const [k, v] of Object.entries(s.properties ?? {})) openObjects(v, `${path}.${k}`, out);
  if (s.items) openObjects(s.items, `${path}[]`, out);
  for (const alt of [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])]) openObjects(alt, path, out);
}

describe.each(BACKENDS)('bad input on every write route on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let routes: string[];
  let openapi: { paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>> };
  const callers: { login: string; id: string; caller: Caller }[] = [];
  let orgA: string;
  let csrf: { token: string; cookie: string };
  const results: { route: string; variant: string; status: number; message: string | null; code: string | null }[] = [];
  let before: Record<string, string>;
  let after: Record<string, string>;
  /** Where each write route was called and by whom (null: public). */
  const targets = new Map<string, { url: string; who: { id: string } | null }>();

  async function tableHashes(): Promise<Record<string, string>> {
    const tables = await sql<{ t: string }>`select table_name as t from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1`.execute(database.db);
    const out: Record<string, string> = {};
    for (const { t } of tables.rows) {
      if (['sessions', 'login_attempts', 'kysely_migration_lock'].includes(t)) continue;
      const where = t === 'audit_log' ? sql`where action not like 'auth.%'` : sql``;
      const r = await sql<{ h: string | null; n: number }>`select md5(string_agg(x::text, '|' order by x::text)) as h, count(*)::int as n from ${sql.table(t)} x ${where}`.execute(database.db);
      out[t] = `${r.rows[0]?.n}:${r.rows[0]?.h ?? ''}`;
    }
    return out;
  }

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    const built = await buildTestApp(database);
    app = built.app;
    routes = built.routes;
    openapi = app.swagger() as unknown as typeof openapi;
    for (const login of ['admin', 'analyst', 'wg', 'oo1']) {
      const u = await database.db.selectFrom('users').select(['id', 'role', 'organisation_id']).where('login', '=', login).executeTakeFirstOrThrow();
      callers.push({ login, id: u.id, caller: { role: u.role, organisationId: u.organisation_id } });
    }
    orgA = String(callers.find((c) => c.login === 'oo1')?.caller.organisationId);
    const analyst = new Client(app, '10.80.0.1');
    expect((await analyst.login('analyst')).statusCode).toBe(200);
    const c = await analyst.post('/api/campaigns', {
      title: 'Проверка ввода', methodologyId: 'talents-2021', methodologyVersion: '2021.1', period: '2021/2022',
      participants: { mode: 'all' }, opensOn: '2022-02-15', dueOn: '2022-06-01', closesOn: '2030-06-30',
    });
    expect(c.statusCode, c.body).toBe(201);
    expect((await analyst.post(`/api/campaigns/${c.json().id}/open`)).statusCode).toBe(200);
    const tokenRes = await app.inject('/api/auth/csrf');
    csrf = { token: tokenRes.json<{ token: string }>().token, cookie: `${CSRF}=${tokenRes.cookies.find((x) => x.name === CSRF)?.value}` };

    const ids = new Map<string, string>();
    const withId = await sql<{ t: string }>`select table_name as t from information_schema.columns where table_schema = current_schema() and column_name = 'id'`.execute(database.db);
    for (const { t } of withId.rows) {
      const r = await sql<{ id: unknown }>`select id from ${sql.table(t)} order by 1 limit 1`.execute(database.db);
      if (r.rows[0]) ids.set(t, String(r.rows[0].id));
    }
    const writes = routes.filter((r) => /^(POST|PUT|PATCH|DELETE) /.test(r));
    expect(writes.length).toBeGreaterThan(20);
    before = await tableHashes();

    let ip = 0;
    for (const route of writes) {
      const [method, pattern] = route.split(' ') as [string, string];
      const segments = pattern.split('/');
      const params: Record<string, string> = {};
      const url = segments.map((s, i) => s.replace(/:([A-Za-z_]+)/g, (_m, name: string) => {
        const v = name === 'orgId' || (name === 'id' && segments[i - 1] === 'organisations') ? orgA
          : name === 'id' && segments[i - 1] === 'methodologies' ? 'talents-2021' : FIXED_PARAMS[name] ?? ids.get(segments[i - 1] ?? '') ?? randomUUID();
        params[name] = v;
        return v;
      })).join('/');
      const rule = findRule(route);
      if (!rule) throw new Error(`нет правила для ${route}`);
      const who = rule.access === 'public' ? null : callers.find((c) => decide(rule, c.caller, params).allow);
      if (who === undefined) continue;
      targets.set(route, { url, who });
      const op = openapi.paths[pattern.replace(/:([A-Za-z_]+)/g, '{$1}')]?.[method.toLowerCase()];
      const schema = op?.requestBody?.content?.['application/json']?.schema;
      const props = schema?.properties ?? {};
      const variants: [string, string, string][] = [
        ['массив вместо объекта', '[]', 'application/json'],
        ['строка вместо объекта', '"текст"', 'application/json'],
        ['число вместо объекта', '12345', 'application/json'],
        ['null', 'null', 'application/json'],
        ['сломанный JSON', '{"a":', 'application/json'],
        ['не тот Content-Type', 'a=1', 'text/plain'],
        ['глубокая вложенность', `${'['.repeat(5000)}${']'.repeat(5000)}`, 'application/json'],
        ['слишком большое тело', JSON.stringify({ x: 'я'.repeat(1024 * 1024) }), 'application/json'],
        ['неизвестное поле', JSON.stringify({ неизвестное_поле: 1, __proto__x: { a: 1 } }), 'application/json'],
      ];
      if (schema?.required?.length) variants.push(['нет обязательных полей', '{}', 'application/json']);
      if (Object.keys(props).length) variants.push(['неверные типы полей', JSON.stringify(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, wrongValue(v)]))), 'application/json']);
      // Issue 25: U+0000 anywhere (PostgreSQL text cannot hold it) is a 400 before any service runs.
      variants.push(['NUL в строке', JSON.stringify(Object.keys(props).length ? Object.fromEntries(Object.keys(props).map((k) => [k, 'текст\u0000'])) : { 'поле\u0000': 'текст\u0000' }), 'application/json']);
      const nulUrl = Object.keys(params).length ? url.replace(Object.values(params)[0]!, 'a%00b') : null;
      for (const [variant, payload, type] of [...variants, ...(nulUrl ? [['NUL в параметре пути', '{}', 'application/json'] as [string, string, string]] : [])]) {
        const cookies = [csrf.cookie];
        if (who) {
          const token = randomBytes(32).toString('base64url');
          await database.db.insertInto('sessions').values({ id: hashToken(token), user_id: who.id, expires_at: new Date(Date.now() + 3600_000) }).execute();
          cookies.push(`${SID}=${token}`);
        }
        const csrfToken = who ? await csrfTokenFor(app, cookies.join('; ')) : csrf.token;
        ip++;
        const res = await app.inject({
          method: method as 'POST', url: variant === 'NUL в параметре пути' && nulUrl ? nulUrl : url, payload, remoteAddress: `10.81.${Math.floor(ip / 250)}.${(ip % 250) + 1}`,
          headers: { 'content-type': type, 'x-csrf-token': csrfToken, cookie: cookies.join('; ') },
        });
        let error: { code?: string; message?: string } | undefined;
        try {
          error = (res.json() as { error?: { code?: string; message?: string } }).error;
        } catch {
          error = undefined;
        }
        results.push({ route, variant, status: res.statusCode, message: error?.message ?? null, code: error?.code ?? null });
      }
    }
    after = await tableHashes();
  }, 300_000);
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('answers every bad body on every write route with a 4xx JSON error in Russian, never a 5xx or a success', () => {
    const routesSeen = new Set(results.map((r) => r.route));
    expect(routesSeen.size).toBeGreaterThan(20);
    const wrong = results.filter((r) => r.status < 400 || r.status >= 500 || !r.message || !CYRILLIC.test(r.message));
    expect(wrong.map((r) => `${r.route} [${r.variant}] → ${r.status} ${r.code ?? ''} ${r.message ?? ''}`)).toEqual([]);
    expect(results.filter((r) => r.variant === 'слишком большое тело' && r.status !== 413 && r.status !== 415).map((r) => `${r.route} → ${r.status}`)).toEqual([]);
    expect(results.filter((r) => r.variant.startsWith('NUL') && r.status !== 400 && r.status !== 415).map((r) => `${r.route} [${r.variant}] → ${r.status}`)).toEqual([]);
    expect(results.filter((r) => r.variant.startsWith('NUL')).length).toBeGreaterThan(40);
    expect(results.filter((r) => r.variant === 'не тот Content-Type' && r.status !== 400 && r.status !== 415).map((r) => `${r.route} → ${r.status}`)).toEqual([]);
  });

  it('refuses NUL in a path parameter and in the query string of EVERY route (read or write) with 400 (issue 25)', async () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const route of routes) {
      const [method, pattern] = route.split(' ') as [string, string];
      if (pattern.includes('*')) continue;
      const urls = [`${pattern.replace(/:([A-Za-z_]+)/g, 'a%00b')}`, `${pattern.replace(/:([A-Za-z_]+)/g, (_m, n: string) => FIXED_PARAMS[n] ?? randomUUID())}?q=%00`];
      for (const url of urls) {
        if (!url.includes('%00')) continue;
        const res = await app.inject({ method: method as 'GET', url, headers: { 'x-csrf-token': csrf.token, cookie: csrf.cookie } });
        checked++;
        if (res.statusCode !== 400 || (res.json() as { error?: { code?: string } }).error?.code !== 'VALIDATION') wrong.push(`${route} ${url} → ${res.statusCode}`);
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(wrong).toEqual([]);
  });

  it('every file upload route refuses an XLSX with a part hidden from the ZIP directory, unless it only stores files (issue 25)', async () => {
    // Routes that keep an uploaded file as it is (evidence of a road-map event or decision) and never read it as a
    // table: they may accept it. Any route that READS an uploaded XLSX/DOCX (imports, criteria tables, compute,
    // record imports, templates…) must refuse it — a new one fails here until it goes through checkZipContainer.
    const STORES_ONLY = /evidence|documents?$|restore$/;
    // Form fields some upload routes need before the file.
    const UPLOAD_FIELDS: Record<string, Record<string, string>> = { 'POST /api/recommendations/propose': { methodology: 'talents-2021', version: '2021.1' } };
    const multipartWithFields = (name: string, content: Buffer, fields: Record<string, string>) => {
      const m = multipart(name, content);
      const boundary = m.contentType.split('boundary=')[1]!;
      const head = Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join('');
      return { contentType: m.contentType, body: Buffer.concat([Buffer.from(head), m.body]) };
    };
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Data');
    ws.addRow(['ИНН', 'Численность обучающихся', 'Количество программ ДО']);
    ws.addRow(['0261000001', 1552, 20]);
    const hidden = withHiddenEntry(Buffer.from(await wb.xlsx.writeBuffer()), 'xl/worksheets/sheet2.xml', worksheetXml('скрытый лист'));
    // Upload routes: those that answered a JSON body with «send the file as multipart/form-data» (routes/upload.ts).
    const multipartRoutes = new Set(results.filter((r) => r.message === 'Отправьте файл как multipart/form-data').map((r) => r.route));
    const uploads = [...targets].filter(([route]) => multipartRoutes.has(route));
    expect(uploads.length).toBeGreaterThanOrEqual(4);
    const wrong: string[] = [];
    let reading = 0;
    for (const [route, { url, who }] of uploads) {
      const cookies = [csrf.cookie];
      if (who) {
        const token = randomBytes(32).toString('base64url');
        await database.db.insertInto('sessions').values({ id: hashToken(token), user_id: who.id, expires_at: new Date(Date.now() + 3600_000) }).execute();
        cookies.push(`${SID}=${token}`);
      }
      const m = multipartWithFields('данные.xlsx', hidden, UPLOAD_FIELDS[route] ?? {});
      const res = await app.inject({
        method: route.split(' ')[0] as 'POST', url, payload: m.body, remoteAddress: '10.82.0.1',
        headers: { 'content-type': m.contentType, 'x-csrf-token': who ? await csrfTokenFor(app, cookies.join('; ')) : csrf.token, cookie: cookies.join('; ') },
      });
      if (STORES_ONLY.test(route.split(' ')[1]!)) continue;
      reading++;
      if (res.statusCode < 400 || res.statusCode >= 500 || !/нет в оглавлении/.test(res.body)) wrong.push(`${route} → ${res.statusCode} ${res.body.slice(0, 160)}`);
    }
    expect(reading).toBeGreaterThanOrEqual(3);
    expect(wrong).toEqual([]);
  });

  it('leaves the database unchanged (every table hashed before and after)', () => {
    const changed = Object.keys(before).filter((t) => before[t] !== after[t]).map((t) => `${t}: ${before[t]} → ${after[t]}`);
    expect(changed).toEqual([]);
  });

  it('every JSON body schema of a write route refuses unknown fields at every level', () => {
    const open: string[] = [];
    let checked = 0;
    for (const [p, ops] of Object.entries(openapi.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        if (m === 'get') continue;
        const out: string[] = [];
        const body = op.requestBody?.content?.['application/json']?.schema;
        if (body?.type === 'object') checked++;
        openObjects(body, '', out);
        for (const o of out) open.push(`${m.toUpperCase()} ${p} ${o}`);
      }
    }
    expect(checked).toBeGreaterThan(15);
    expect(open).toEqual([]);
  });
});
