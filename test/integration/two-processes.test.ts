/** Several app processes on one PostgreSQL server (issue 9, docs/deployment.md §3): two real servers
 * (`node bin/msoko.js serve`, each with its job worker and maintenance pass) share one fresh database on the server of
 * TEST_DATABASE_URL. A session made on process A works on process B (cookie and CSRF token), an import uploaded and
 * started on A is visible on B with its job and progress, it is executed exactly once although both workers poll
 * (one `import.apply` audit entry, the file's values written once, one attempt), and B's API shows the values. The
 * reminder pass both processes run at start creates every reminder once and e-mails each once (leased e-mails), and
 * two `msoko migrate` started together on the empty database apply each migration once (Kysely's migration lock).
 * Skipped without TEST_DATABASE_URL: PGlite's data directory belongs to one process only. */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/connection.ts';
import { migrations } from '../../src/db/migrate.ts';
import { changeCampaignStatus, createCampaign } from '../../src/services/collection/campaigns.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { addOrganisations, csvOf, multipart, rowsFor } from '../support/import-data.ts';
import { BIN, startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { startTestSmtp, type TestSmtp } from './smtp.ts';

const ADMIN_URL = process.env.TEST_DATABASE_URL;
const N = 3_000;
const FIRST = 100_001;

type Server = ServerProcess;
interface JobJson { kind: string; status: string; attempts: number; error: string | null; progress: { percent: number | null; message: string | null }; result: unknown }

const serve = (databaseUrl: string, smtpUrl: string): Promise<Server> =>
  startServerProcess({ env: { DATABASE_URL: databaseUrl, MSOKO_SMTP_URL: smtpUrl, MSOKO_JOB_WORKER: '1', MSOKO_MAINTENANCE_INTERVAL_MINUTES: '15' }, timeoutMs: 60_000 });

/** Runs `msoko <args>` to the end; stdout and the exit code. */
function cli(args: string[], databaseUrl: string): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out })));
}

/** A browser-like client of one process; `cookies` and `csrf` may be handed to a client of another process. */
class Browser {
  cookies = new Map<string, string>();
  csrf: string | null = null;
  constructor(readonly base: string) {}
  async request(method: 'GET' | 'POST', url: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; json: <T>() => T; text: string }> {
    const headers: Record<string, string> = {};
    if (method !== 'GET') {
      if (!this.csrf) this.csrf = (await this.request('GET', '/api/auth/csrf')).json<{ token: string }>().token;
      headers['x-csrf-token'] = this.csrf;
      headers['content-type'] = contentType;
    }
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const payload = body === undefined ? (method === 'GET' ? undefined : '{}') : Buffer.isBuffer(body) ? new Uint8Array(body) : JSON.stringify(body);
    const res = await fetch(`${this.base}${url}`, { method, headers, body: payload, signal: AbortSignal.timeout(20_000) });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = (pair ?? '').indexOf('=');
      if (i > 0) this.cookies.set(pair!.slice(0, i).trim(), pair!.slice(i + 1));
      if (i > 0 && pair!.slice(0, i).trim().endsWith('msoko_sid')) this.csrf = null; // CSRF tokens are bound to the session
    }
    const text = await res.text();
    return { status: res.status, text, json: <T>() => JSON.parse(text) as T };
  }
  /** The same browser talking to another process behind the proxy. */
  to(base: string): Browser {
    const b = new Browser(base);
    b.cookies = this.cookies;
    b.csrf = this.csrf;
    return b;
  }
}

describe.skipIf(!ADMIN_URL)('two app processes on one PostgreSQL server (runs only with TEST_DATABASE_URL: a PGlite directory belongs to one process)', () => {
  const name = `msoko_two_${process.pid}_${randomBytes(4).toString('hex')}`;
  let databaseUrl = '';
  let h: DatabaseHandle | null = null;
  let smtp: TestSmtp;
  const servers: Server[] = [];
  let campaignId = '';
  let orgs: Map<number, string>;

  beforeAll(async () => {
    const pg = (await import('pg')).default;
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(ADMIN_URL!);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    // Both processes migrate the empty database at once: Kysely's migration lock lets one apply, the other wait.
    const migrated = await Promise.all([cli(['migrate'], databaseUrl), cli(['migrate'], databaseUrl)]);
    expect(migrated.map((x) => x.code)).toEqual([0, 0]);
    expect(migrated.map((x) => x.out.trim()).sort()).toEqual([`Применены миграции: ${Object.keys(migrations).join(', ')}`, 'Схема базы данных актуальна.']);
    h = await openDatabase({ databaseUrl });
    expect(await h.db.selectFrom('kysely_migration' as never).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).toEqual({ n: Object.keys(migrations).length });
    const { municipalityId } = await seedDemo(h.db);
    // E-mail addresses, so the reminder pass has letters to send (and to send only once).
    await h.db.updateTable('users').set({ email: sql`login || '@two.example'` }).where('login', 'in', ['analyst', 'oo1']).execute();
    const analyst = await h.db.selectFrom('users').select(['id', 'login']).where('login', '=', 'analyst').executeTakeFirstOrThrow();
    const actor = { userId: analyst.id, login: analyst.login, ip: null };
    // Due in the past, closing far ahead: open and overdue, so each process's reminder pass at start has work.
    const c = await createCampaign(h.db, actor, {
      title: 'Два процесса', methodologyId: 'talents-2021', methodologyVersion: '2021.1', period: '2021/2022', participants: { mode: 'types', types: ['school'] },
      opensOn: '2022-02-15', dueOn: '2022-06-01', closesOn: '2099-06-30',
    });
    campaignId = c.id;
    await addOrganisations(h.db, municipalityId, FIRST, N);
    await sql`insert into campaign_organisations (campaign_id, organisation_id) select ${c.id}::uuid, id from organisations where no >= ${FIRST}`.execute(h.db);
    await changeCampaignStatus(h.db, actor, c.id, 'open');
    orgs = new Map((await h.db.selectFrom('organisations').select(['id', 'no']).where('no', '>=', FIRST).execute()).map((r) => [r.no, r.id]));
    smtp = await startTestSmtp();
    servers.push(...(await Promise.all([serve(databaseUrl, smtp.url), serve(databaseUrl, smtp.url)])));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((r) => {
      if (s.child.exitCode !== null) return r(null);
      s.child.once('exit', r);
      s.child.kill('SIGTERM');
    })));
    await h?.close();
    await smtp?.close();
    if (ADMIN_URL) {
      const pg = (await import('pg')).default;
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    }
  }, 60_000);

  it('a session of A works on B; an import started on A runs once, its job and values are visible on B', { timeout: 60_000 }, async () => {
    const [A, B] = servers as [Server, Server];
    expect(A.url).not.toBe(B.url);
    const a = new Browser(A.url);
    const login = await a.request('POST', '/api/auth/login', { login: 'analyst', password: 'demo2022' });
    expect(login.status, login.text).toBe(200);
    const b = a.to(B.url);
    const me = await b.request('GET', '/api/auth/me');
    expect(me.status, me.text).toBe(200);
    expect(me.json<{ user: unknown }>().user).toMatchObject({ login: 'analyst', role: 'analyst' });
    expect((await new Browser(B.url).request('GET', '/api/auth/me')).status).toBe(401);

    const m = multipart('два-процесса.csv', csvOf(rowsFor(FIRST, N)));
    const up = await a.request('POST', `/api/campaigns/${campaignId}/imports`, m.body, m.contentType);
    expect(up.status, up.text).toBe(201);
    const importId = up.json<{ id: string }>().id;
    // The upload is on B at once, and B takes A's CSRF token for a POST.
    const preview = await b.request('POST', `/api/imports/${importId}/preview`, {});
    expect(preview.status, preview.text).toBe(200);
    const checked = preview.json<{ totalRows: number; errorCount: number; settings: { columns: Record<string, string> } }>();
    expect(checked).toMatchObject({ totalRows: N, errorCount: 0 });
    const settings = { ...checked.settings, columns: { ...checked.settings.columns, 'Анкетировано обучающихся': 'surveyed_students' } };
    const started = await a.request('POST', `/api/imports/${importId}/apply`, settings);
    expect(started.status, started.text).toBe(202);
    const jobId = started.json<{ job: { id: string } }>().job.id;

    // B follows the job started on A until it is done, recording what it showed on the way.
    const seen: { status: string; percent: number | null; message: string | null }[] = [];
    let job: JobJson | null = null;
    for (let i = 0; i < 300; i++) {
      const r = await b.request('GET', `/api/jobs/${jobId}`);
      expect(r.status, r.text).toBe(200);
      job = r.json<JobJson>();
      seen.push({ status: job.status, percent: job.progress.percent, message: job.progress.message });
      if (job.status === 'done' || job.status === 'failed') break;
      await new Promise((res) => setTimeout(res, 50));
    }
    expect(job?.status, job?.error ?? '').toBe('done');
    expect(job).toMatchObject({ kind: 'import.apply', attempts: 1, progress: { percent: 100, message: 'Готово' }, result: { rows: N, organisations: N, values: 3 * N, errorCount: 0 } });
    expect(seen.every((s) => ['queued', 'running', 'done'].includes(s.status))).toBe(true);
    // Checking and writing 3,000 rows takes far longer than B's first poll: B saw the job before it was done.
    expect(seen[0]?.status).not.toBe('done');
    const aJob = (await a.request('GET', `/api/jobs/${jobId}`)).json<JobJson>();
    expect(aJob).toEqual(job);

    // Wait past one more poll of both workers: nothing runs the job again.
    await new Promise((res) => setTimeout(res, 1_500));
    const db = h!.db;
    const row = await db.selectFrom('jobs').select(['status', 'attempts', 'locked_by']).where('id', '=', jobId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'done', attempts: 1 });
    const by = servers.findIndex((s) => row.locked_by?.includes(`:${s.child.pid}:`));
    expect(by).toBeGreaterThanOrEqual(0);
    console.log(`задание импорта выполнил процесс ${'AB'[by]} (${row.locked_by}); B видел состояния: ${[...new Set(seen.map((s) => `${s.status} ${s.percent ?? '—'} %`))].join(', ')}`);
    const applied = await db.selectFrom('audit_log').select(['action', 'details']).where('target_id', '=', importId).orderBy('id').execute();
    expect(applied.map((x) => x.action)).toEqual(['import.upload', 'import.apply.start', 'import.apply']);
    expect(applied[2]?.details).toMatchObject({ rows: N, values: 3 * N });
    const history = await sql<{ n: number; distinct_keys: number }>`
      select count(*)::int as n, count(distinct (organisation_id, input))::int as distinct_keys from value_history where campaign_id = ${campaignId}`.execute(db);
    expect(history.rows[0]).toEqual({ n: 3 * N, distinct_keys: 3 * N });
    expect((await b.request('GET', `/api/imports/${importId}`)).json<{ status: string }>()).toMatchObject({ status: 'applied' });

    // The values through B's API: a few organisations' forms, every number as in the file.
    for (const no of [FIRST, FIRST + 1234, FIRST + N - 1]) {
      const form = await b.request('GET', `/api/campaigns/${campaignId}/organisations/${orgs.get(no)}`);
      expect(form.status, form.text).toBe(200);
      const want = rowsFor(no, 1)[0]!;
      const view = form.json<{ organisation: unknown; values: Record<string, { value: unknown; source: string; sourceRef: string }> }>();
      const v = view.values;
      expect(view.organisation).toMatchObject({ no, shortName: `ОО-${no}` });
      expect({ students: v.students?.value, programmes: v.programmes?.value, surveyed_students: v.surveyed_students?.value }).toEqual({ students: want.students, programmes: want.programmes, surveyed_students: want.surveyed });
      expect(v.students).toMatchObject({ source: 'import', sourceRef: `два-процесса.csv, строка ${no - FIRST + 2}` });
    }

    // Signing out on B ends the session on A too (the sessions table is shared).
    expect((await b.request('POST', '/api/auth/logout')).status).toBe(204);
    expect((await a.request('GET', '/api/auth/me')).status).toBe(401);
  });

  it('the reminder pass both processes run at start creates each reminder once and e-mails each once', { timeout: 30_000 }, async () => {
    const db = h!.db;
    // Both passes (1 s after each start) are over when both processes have logged theirs and no e-mail is leased.
    await expect.poll(async () => Number((await db.selectFrom('notifications').select(sql<number>`count(*)::int`.as('n')).where('email_status', '=', 'sent').executeTakeFirstOrThrow()).n), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(async () => Number((await db.selectFrom('notifications').select(sql<number>`count(*)::int`.as('n')).where('email_status', '=', 'pending').executeTakeFirstOrThrow()).n), { timeout: 20_000 }).toBe(0);
    const notes = await db.selectFrom('notifications as n').innerJoin('users as u', 'u.id', 'n.user_id').select(['u.login', 'n.kind', 'n.key', 'n.email_status', 'n.email_attempts']).where('n.campaign_id', '=', campaignId).execute();
    // oo1 represents a school of the campaign (the only representative of one); the analyst gets the overdue summary.
    expect(notes.map((x) => `${x.login} ${x.kind}`).sort()).toEqual(['analyst overdue_summary', 'oo1 overdue']);
    expect(notes.every((x) => x.email_status === 'sent' && x.email_attempts === 1)).toBe(true);
    const created = await db.selectFrom('audit_log').select('details').where('action', '=', 'reminders.create').where('target_id', '=', campaignId).execute();
    expect(created).toHaveLength(1);
    expect(smtp.received.map((x) => x.to.join(',')).sort()).toEqual(['analyst@two.example', 'oo1@two.example']);
  });
});
