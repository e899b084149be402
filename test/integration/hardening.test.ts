/** Issue 25: the defects found by probing the running server, each kept out by a test on the real server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MAX_XLSX_UNPACKED_BYTES } from '../../src/services/imports/datafile-limits.ts';
import { multipart } from '../support/import-data.ts';
import { withHiddenEntry, worksheetXml } from '../support/zip-tricks.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { hashToken, sessionSettingsFromEnv } from '../../src/services/admin/auth.ts';
import { BACKENDS, CSRF, Client, SID, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

describe.each(BACKENDS)('hardening (issue 25) on %s', (kind) => {
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

  async function counts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const t of ['organisations', 'survey_responses', 'survey_answers', 'recommendations', 'users']) {
      out[t] = (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(t)}`.execute(database.db)).rows[0]!.n;
    }
    out.audit = (await sql<{ n: number }>`select count(*)::int as n from audit_log where action not like 'auth.%'`.execute(database.db)).rows[0]!.n;
    return out;
  }

  it('a NUL character in a body, a query or a path parameter is a 400 validation error and writes nothing', async () => {
    const admin = new Client(app, '10.25.5.1');
    expect((await admin.login('admin')).statusCode).toBe(200);
    const org = await database.db.selectFrom('organisations').select('id').orderBy('no').executeTakeFirstOrThrow();
    const before = await counts();
    const anonymous = new Client(app, '10.25.5.2');
    const cases: [string, () => Promise<{ statusCode: number; json(): unknown }>][] = [
      ['login body', () => anonymous.post('/api/auth/login', { login: 'admin\u0000', password: 'demo2022' })],
      ['login password', () => anonymous.post('/api/auth/login', { login: 'admin', password: 'demo\u00002022' })],
      ['organisation body', () => admin.post('/api/organisations', { shortName: 'Школа\u0000', fullName: 'Школа с NUL', type: 'school' })],
      ['organisation update', () => admin.patch(`/api/organisations/${org.id}`, { fullName: 'Изменено\u0000' })],
      ['key with NUL', () => admin.post('/api/organisations', { 'shortName\u0000': 'x', shortName: 'Школа', fullName: 'Школа', type: 'school' })],
      ['organisation list ?q=', () => admin.get('/api/organisations?q=%00')],
      ['audit filter', () => admin.get('/api/audit?actor=a%00b')],
      ['audit action', () => admin.get('/api/audit?action=%00')],
      ['path parameter', () => admin.get('/api/organisations/a%00b')],
      ['path parameter (write)', () => admin.patch('/api/organisations/a%00b', { fullName: 'Изменено' })],
      ['public survey token', () => anonymous.get('/api/public/surveys/AAAAAAAAAAAAAAAAAAA%00AA')],
      ['public survey answer', () => anonymous.post('/api/public/surveys/AAAAAAAAAAAAAAAAAAAAAA/responses', { answers: { q: 'текст\u0000' } })],
    ];
    for (const [what, p] of cases) {
      const res = await p();
      expect(res.statusCode, what).toBe(400);
      const error = (res.json() as { error: { code: string; message: string; fields?: { message: string }[] } }).error;
      expect(error.code, what).toBe('VALIDATION');
      expect(error.message, what).toMatch(/NUL/);
    }
    expect(await counts()).toEqual(before);
  });

  it('16 concurrent wrong-password sign-ins for one login record at most 5 failures; the rest are 429', async () => {
    const clients = Array.from({ length: 16 }, () => new Client(app, '10.25.4.1'));
    // Each client gets its CSRF token first, so the 16 sign-ins themselves start together.
    await Promise.all(clients.map((c) => c.get('/api/auth/csrf').then((r) => { (c as unknown as { csrf: string }).csrf = r.json<{ token: string }>().token; })));
    const results = await Promise.all(clients.map((c) => c.login('wg', 'wrong-password')));
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    const failures = await database.db.selectFrom('login_attempts').select('id').where('login', '=', 'wg').where('ip', '=', '10.25.4.1').where('success', '=', false).execute();
    expect(failures.length).toBeLessThanOrEqual(5);
    // The right password is refused too now.
    expect((await new Client(app, '10.25.4.1').login('wg')).statusCode).toBe(429);
  });

  it('a CSRF token is bound to the session: an anonymous token and secret replayed with a victim session are refused', async () => {
    const victim = new Client(app, '10.25.7.1');
    expect((await victim.login('admin')).statusCode).toBe(200);
    const sid = victim.cookies.get(SID);
    expect(sid).toBeTruthy();
    // The attacker's own token and secret cookie, fetched anonymously.
    const mine = await app.inject('/api/auth/csrf');
    const token = mine.json<{ token: string }>().token;
    const secret = mine.cookies.find((c) => c.name === CSRF)?.value;
    expect(secret).toBeTruthy();
    const before = await database.db.selectFrom('organisations').select('id').execute();
    const forged = await app.inject({
      method: 'POST', url: '/api/organisations', remoteAddress: '10.25.7.2',
      payload: { shortName: 'Подделка', fullName: 'Школа от чужого токена', type: 'school' },
      headers: { 'x-csrf-token': token, cookie: `${CSRF}=${secret}; ${SID}=${sid}` },
    });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().error.code).toBe('CSRF_INVALID');
    // Another user's session token is refused too; the victim's own token (same secret cookie) works.
    const other = new Client(app, '10.25.7.3');
    expect((await other.login('analyst')).statusCode).toBe(200);
    const otherToken = (await other.get('/api/auth/csrf')).json<{ token: string }>().token;
    const crossed = await app.inject({ method: 'POST', url: '/api/auth/logout', remoteAddress: '10.25.7.2', headers: { 'x-csrf-token': otherToken, cookie: `${CSRF}=${other.cookies.get(CSRF)}; ${SID}=${sid}` } });
    expect(crossed.statusCode).toBe(403);
    expect((await database.db.selectFrom('organisations').select('id').execute()).length).toBe(before.length);
    const own = (await app.inject({ url: '/api/auth/csrf', headers: { cookie: `${CSRF}=${secret}; ${SID}=${sid}` } })).json<{ token: string }>().token;
    const ok = await app.inject({ method: 'POST', url: '/api/auth/logout', remoteAddress: '10.25.7.2', headers: { 'x-csrf-token': own, cookie: `${CSRF}=${secret}; ${SID}=${sid}` } });
    expect(ok.statusCode).toBe(204);
  });

  it('session and CSRF cookies carry the __Host- prefix (Secure, Path=/, no Domain) when served over HTTPS', async () => {
    const c = new Client(app, '10.25.7.4');
    const csrf = await c.get('/api/auth/csrf');
    const login = await c.login('wg');
    const cookies = [...csrf.cookies, ...login.cookies];
    expect(cookies.map((k) => k.name).sort()).toEqual([CSRF, SID].sort());
    expect(CSRF.startsWith('__Host-') && SID.startsWith('__Host-')).toBe(true);
    for (const k of cookies) {
      expect(k, k.name).toMatchObject({ secure: true, path: '/', httpOnly: true });
      expect(k.domain, k.name).toBeUndefined();
    }
  });

  let campaign: { analyst: Client; id: string } | null = null;
  /** An analyst and an open campaign to import into (made once). */
  async function importTarget(): Promise<{ analyst: Client; id: string }> {
    if (campaign) return campaign;
    const analyst = new Client(app, '10.25.1.1');
    expect((await analyst.login('analyst')).statusCode).toBe(200);
    const c = await analyst.post('/api/campaigns', {
      title: 'Проверка файлов', methodologyId: 'talents-2021', methodologyVersion: '2021.1', period: '2021/2022',
      participants: { mode: 'all' }, opensOn: '2022-02-15', dueOn: '2022-06-01', closesOn: '2030-06-30',
    });
    expect(c.statusCode, c.body).toBe(201);
    expect((await analyst.post(`/api/campaigns/${c.json().id}/open`)).statusCode).toBe(200);
    campaign = { analyst, id: c.json().id as string };
    return campaign;
  }
  const uploadImport = async (name: string, content: Buffer) => {
    const { analyst, id } = await importTarget();
    const m = multipart(name, content);
    return analyst.request('POST', `/api/campaigns/${id}/imports`, m.body, { headers: { 'content-type': m.contentType } });
  };

  it('a UTF-16 CSV (byte-order mark) is accepted as CSV and read, not refused as binary', async () => {
    const text = 'ИНН;Численность обучающихся;Количество программ ДО\r\n0261000001;1552;20\r\n';
    for (const [bom, enc] of [[[0xff, 0xfe], 'utf16le'], [[0xfe, 0xff], 'utf16be']] as const) {
      const body = enc === 'utf16le' ? Buffer.from(text, 'utf16le') : Buffer.from(text, 'utf16le').swap16();
      const res = await uploadImport('юникод.csv', Buffer.concat([Buffer.from(bom), body]));
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().format).toBe('csv');
      const preview = await campaign!.analyst.post(`/api/imports/${res.json().id}/preview`, {});
      expect(preview.statusCode, preview.body).toBe(200);
      expect(JSON.stringify(preview.json())).toContain('Численность обучающихся');
    }
  });

  it('an XLSX with a worksheet hidden from the ZIP directory is refused and leaves no temp file over the limit', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Data');
    ws.addRow(['ИНН', 'Численность обучающихся', 'Количество программ ДО']);
    ws.addRow(['0261000001', 1552, 20]);
    const book = Buffer.from(await wb.xlsx.writeBuffer());
    const upload = (content: Buffer) => uploadImport('навигатор.xlsx', content);
    expect((await upload(book)).statusCode).toBe(201);
    const imports = async () => (await sql<{ n: number }>`select count(*)::int as n from imports`.execute(database.db)).rows[0]!.n;
    const before = await imports();
    // The hidden sheet inflates past the limit (~70 MB of padding in ~70 KB); exceljs would spool it to a temp file.
    const hidden = withHiddenEntry(book, 'xl/worksheets/sheet2.xml', worksheetXml('скрытый лист', MAX_XLSX_UNPACKED_BYTES + 6 * 1024 * 1024));
    expect(hidden.length).toBeLessThan(1024 * 1024);
    const since = Date.now() - 1000;
    const res = await upload(hidden);
    expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.json().error.message).toMatch(/части, которых нет в оглавлении/);
    expect(res.body).not.toContain('Sheet2');
    expect(await imports()).toBe(before);
    const big = readdirSync(tmpdir()).map((f) => path.join(tmpdir(), f)).filter((f) => {
      try {
        const st = statSync(f);
        return st.isFile() && st.mtimeMs >= since && st.size > MAX_XLSX_UNPACKED_BYTES;
      } catch {
        return false;
      }
    });
    expect(big).toEqual([]);
  });

  it("Fastify's own errors (a malformed URL) use the one documented JSON error shape, in Russian", async () => {
    for (const url of ['/api/organisations/%E0%A4%A', '/%', '/api/organisations/%']) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBe(400);
      const body = res.json();
      expect(Object.keys(body), url).toEqual(['error']);
      expect(body.error, url).toMatchObject({ code: 'BAD_URL', message: expect.stringMatching(/^Некорректный адрес запроса/), requestId: res.headers['x-request-id'] });
    }
  });

  it('session idle timeout and absolute lifetime come from MSOKO_SESSION_IDLE_MINUTES / MSOKO_SESSION_MAX_HOURS and are enforced', async () => {
    expect(sessionSettingsFromEnv({})).toEqual({ idleMs: 8 * 3600_000, absoluteMs: 7 * 24 * 3600_000 });
    expect(() => sessionSettingsFromEnv({ MSOKO_SESSION_IDLE_MINUTES: 'ноль' })).toThrow('MSOKO_SESSION_IDLE_MINUTES=ноль: нужно положительное число');
    expect(() => sessionSettingsFromEnv({ MSOKO_SESSION_IDLE_MINUTES: '600', MSOKO_SESSION_MAX_HOURS: '2' })).toThrow(/простой не может быть дольше/);
    const saved = { idle: process.env.MSOKO_SESSION_IDLE_MINUTES, max: process.env.MSOKO_SESSION_MAX_HOURS };
    process.env.MSOKO_SESSION_IDLE_MINUTES = '5';
    process.env.MSOKO_SESSION_MAX_HOURS = '1';
    let short: FastifyInstance | null = null;
    try {
      short = (await buildTestApp(database)).app;
    } finally {
      for (const [k, v] of [['MSOKO_SESSION_IDLE_MINUTES', saved.idle], ['MSOKO_SESSION_MAX_HOURS', saved.max]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    try {
      const c = new Client(short, '10.25.9.1');
      const login = await c.login('wg');
      expect(login.statusCode).toBe(200);
      const expires = login.cookies.find((k) => k.name === SID)!.expires!.getTime();
      expect(Math.abs(expires - (Date.now() + 3600_000))).toBeLessThan(60_000);
      expect((await c.get('/api/auth/me')).statusCode).toBe(200);
      const id = hashToken(c.cookies.get(SID)!);
      // Unused for 6 minutes (> 5): over.
      await database.db.updateTable('sessions').set({ last_seen_at: new Date(Date.now() - 6 * 60_000) }).where('id', '=', id).execute();
      expect((await c.get('/api/auth/me')).statusCode).toBe(401);
      // Used a minute ago but past the absolute lifetime: over too.
      const d = new Client(short, '10.25.9.2');
      expect((await d.login('wg')).statusCode).toBe(200);
      const id2 = hashToken(d.cookies.get(SID)!);
      await database.db.updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000), last_seen_at: new Date(Date.now() - 60_000) }).where('id', '=', id2).execute();
      expect((await d.get('/api/auth/me')).statusCode).toBe(401);
    } finally {
      await short?.close();
    }
  });

  it('a bad percent-encoding in a documentation path is 404, not 500, without sign-in', async () => {
    for (const url of ['/docs/%25', '/docs/guide/%25E0%A4%A', '/docs/%E0%A4%A', '/docs/%']) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, url).toBeLessThan(500);
    }
    const res = await app.inject('/docs/%25');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
    expect((await app.inject('/docs/guide/index.md')).statusCode).toBe(200);
  });
});
