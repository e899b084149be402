/** Deadline day, compressed: 300 organisation representatives each fill a form the way the browser does it — open it
 * (GET), autosave a few fields at a time (PUT of at most two fields, several seconds apart in real time) and submit
 * it — and 2,000 parents each open a survey (GET) and answer it half a minute later, all within a simulated ten-minute
 * window compressed to LOAD_WINDOW_SECONDS (default 30 s, i.e. 20×). Open model: every first action has a scheduled
 * moment (random within the window) and is sent then, whatever the server's backlog, so latency includes queueing; a
 * follow-up waits for its predecessor's answer (a person acts on what the page shows) and for its own moment. The real
 * server runs as child processes (`msoko serve`): one on the embedded PGlite database, and — when BENCH_DATABASE_URL
 * is set — TWO on a PostgreSQL server (requests alternate between them). Prints p50/p99 latency and error counts per
 * kind, then checks the database holds every save, submission and answer. Bounded: the run ends when the last
 * scheduled action is answered. Sign-in is not part of the run (sessions are created beforehand; argon2 is measured
 * elsewhere); the survey flood limit per address is lifted because every parent here comes from 127.0.0.1.
 * LOAD_REPS / LOAD_PARENTS shrink the run while developing; LOAD_DUMP=file.jsonl writes every request (kind, moment
 * sent, latency, status) to see when a slow stretch happened. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import type { Database } from '../src/db/schema.ts';
import type { BenchTable } from './run.ts';

const REPS = Number(process.env.LOAD_REPS ?? 300);
const PARENTS = Number(process.env.LOAD_PARENTS ?? 2000);

export const title = `Нагрузка в день сдачи: ${REPS} представителей ОО и ${PARENTS} родителей за «10 минут» (сжато)`;
const WINDOW_S = Number(process.env.LOAD_WINDOW_SECONDS ?? 30);
const BIN = fileURLToPath(new URL('../bin/msoko.js', import.meta.url));

interface Prepared { campaignId: string; fields: { name: string; value: number }[]; reps: { orgId: string; token: string }[]; links: string[]; questions: string[] }

async function prepare(db: Kysely<Database>): Promise<Prepared> {
  const { migrateToLatest } = await import('../src/db/migrate.ts');
  const { seedDemo } = await import('../src/services/demo/demo.ts');
  const { createCampaign, changeCampaignStatus } = await import('../src/services/collection/campaigns.ts');
  const { createSurvey, changeSurveyStatus } = await import('../src/services/surveys/surveys.ts');
  const { SYSTEM_ACTOR } = await import('../src/services/errors.ts');
  const { hashToken } = await import('../src/services/admin/auth.ts');
  await migrateToLatest(db);
  await seedDemo(db);
  const muni = (await db.selectFrom('municipalities').select('id').executeTakeFirstOrThrow()).id;
  const have = (await db.selectFrom('organisations').select('id').execute()).length;
  const extra = Array.from({ length: Math.max(0, REPS - have) }, (_, i) => ({
    municipality_id: muni, no: 1000 + i, short_name: `Школа ${1000 + i}`, full_name: `МБОУ «Школа № ${1000 + i}» (нагрузочный тест)`, type: 'school' as const,
  }));
  if (extra.length) await db.insertInto('organisations').values(extra).execute();
  const orgs = (await db.selectFrom('organisations').select('id').where('status', '=', 'active').orderBy('no').limit(REPS).execute()).map((o) => o.id);
  const hash = (await db.selectFrom('users').select('password_hash').where('login', '=', 'oo1').executeTakeFirstOrThrow()).password_hash;
  const reps: Prepared['reps'] = [];
  for (const [i, orgId] of orgs.entries()) {
    const u = await db.insertInto('users').values({ login: `load${i}`, full_name: `Представитель ${i}`, password_hash: hash, role: 'org_rep', organisation_id: orgId, municipality_id: muni }).returning('id').executeTakeFirstOrThrow();
    const token = randomBytes(32).toString('base64url');
    await db.insertInto('sessions').values({ id: hashToken(token), user_id: u.id, expires_at: new Date(Date.now() + 6 * 3600_000) }).execute();
    reps.push({ orgId, token });
  }
  const c = await createCampaign(db, SYSTEM_ACTOR, {
    title: 'Мониторинг (нагрузка)', methodologyId: 'talents-2021', methodologyVersion: '2021.1', period: '2021/2022',
    participants: { mode: 'all' }, opensOn: '2022-02-15', dueOn: '2022-06-01', closesOn: '2030-06-30',
  });
  await changeCampaignStatus(db, SYSTEM_ACTOR, c.id, 'open');
  // Every numeric field of the campaign's form, with values that satisfy its rules (students ≥ the other counts).
  const { campaignMethodology } = await import('../src/services/collection/campaigns.ts');
  const form = await campaignMethodology(db, 'talents-2021', '2021.1');
  const fields = form.fields
    .filter((f) => f.type === 'integer' || f.type === 'number')
    .map((f) => ({ name: f.name, value: f.name === 'students' ? 900 : 50 }));
  const s = await createSurvey(db, SYSTEM_ACTOR, {
    title: 'Удовлетворённость родителей (нагрузка)', period: '2021/2022', audience: 'parents', participants: { mode: 'all' }, opensOn: '2020-01-01', closesOn: '2099-12-31',
    questions: [
      { kind: 'scale', text: 'Порекомендуете ли вы организацию?', loyalty: true },
      { kind: 'single', text: 'Стаж занятий', options: ['< 1 года', '1–2 года', '> 2 лет'] },
      { kind: 'multiple', text: 'Направленности', options: ['Техническая', 'Художественная', 'Спортивная'] },
    ],
  });
  await changeSurveyStatus(db, SYSTEM_ACTOR, s.id, 'open');
  const links = (await db.selectFrom('survey_links').select('token').where('survey_id', '=', s.id).execute()).map((r) => r.token);
  return { campaignId: c.id, fields, reps, links, questions: s.questions.map((q) => q.id) };
}

function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn('node', [BIN, 'serve', '--port', '0', '--log-level', 'error'], {
    env: { ...process.env, MSOKO_COOKIE_SECURE: 'false', MSOKO_SURVEY_ANSWER_LIMIT: '1000000', MSOKO_JOB_WORKER: '0', MSOKO_REMIND_INTERVAL_MINUTES: '0', MSOKO_MAINTENANCE_INTERVAL_MINUTES: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`сервер не запустился: ${out}`)); }, 240_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /МСОКО работает: (http:\/\/\S+)/.exec(out);
      if (m) { clearTimeout(timer); resolve({ child, url: m[1] as string }); }
    });
    child.stderr?.on('data', (d: Buffer) => { out += d.toString(); });
  });
}

/** CPU seconds (user + system) a server process has used so far: Linux /proc, else null. Less noisy than latency on
 * a shared machine: it is what the requests cost, whatever else runs. */
function cpuSeconds(s: { child: ChildProcess }): number | null {
  try {
    const fields = readFileSync(`/proc/${s.child.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

async function stopServer(s: { child: ChildProcess }): Promise<void> {
  if (s.child.exitCode !== null) return;
  const done = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  await done;
}

type Kind = 'открытие формы' | 'сохранение формы' | 'отправка формы' | 'анкета родителя' | 'ответ родителя';
const KINDS: Kind[] = ['открытие формы', 'сохранение формы', 'отправка формы', 'анкета родителя', 'ответ родителя'];
/** The browser's autosave sends what was typed since the last save: here at most two fields per request. */
const FIELDS_PER_SAVE = 2;
/** `at`: when the request was sent, ms from the start of the run. */
interface Sample { kind: Kind; at: number; ms: number; status: number | 'сбой'; error?: string }

async function drive(urls: string[], p: Prepared): Promise<{ samples: Sample[]; wallS: number }> {
  const csrfRes = await fetch(new URL('/api/auth/csrf', urls[0]));
  const csrf = ((await csrfRes.json()) as { token: string }).token;
  const csrfCookie = (csrfRes.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const window = WINDOW_S * 1000;
  type Action = { at: number; kind: Kind; path: string; method: string; body: string; cookie: string; csrf?: string; then?: Action };
  const actions: Action[] = [];
  const chain = (steps: Omit<Action, 'then'>[]): Action => steps.reduceRight<Action | undefined>((next, st) => ({ ...st, then: next }), undefined) as Action;
  const rnd = (() => { let x = 42; return () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31); })();
  for (const r of p.reps) {
    const at = rnd() * window * 0.8;
    const cookie = `${csrfCookie}; msoko_sid=${r.token}`;
    // CSRF tokens are bound to the session: each representative takes one with their session cookie.
    const token = ((await (await fetch(new URL('/api/auth/csrf', urls[0]), { headers: { cookie } })).json()) as { token: string }).token;
    const form = `/api/campaigns/${p.campaignId}/organisations/${r.orgId}`;
    // Open the form, autosave the fields in small batches, press «Отправить» ~1.5 min (real time) after opening.
    const steps: Omit<Action, 'then'>[] = [{ at, kind: 'открытие формы', method: 'GET', path: form, cookie, csrf: token, body: '' }];
    const batches: Prepared['fields'][] = [];
    for (let i = 0; i < p.fields.length; i += FIELDS_PER_SAVE) batches.push(p.fields.slice(i, i + FIELDS_PER_SAVE));
    batches.forEach((b, k) => steps.push({
      at: at + (window * 0.1 * (k + 1)) / batches.length, kind: 'сохранение формы', method: 'PUT', path: `${form}/values`, cookie, csrf: token,
      body: JSON.stringify({ source: 'form', values: Object.fromEntries(b.map((f) => [f.name, { value: f.value }])) }),
    }));
    steps.push({ at: at + window * 0.15, kind: 'отправка формы', method: 'POST', path: `${form}/submit`, cookie, csrf: token, body: JSON.stringify({ comment: 'Данные проверены' }) });
    actions.push(chain(steps));
  }
  for (let i = 0; i < PARENTS; i++) {
    const [q1, q2, q3] = p.questions as [string, string, string];
    const at = rnd() * window * 0.95;
    const link = `/api/public/surveys/${p.links[i % p.links.length]}`;
    actions.push(chain([
      { at, kind: 'анкета родителя', method: 'GET', path: link, cookie: csrfCookie, body: '' },
      { at: at + window * 0.05, kind: 'ответ родителя', method: 'POST', path: `${link}/responses`, cookie: csrfCookie, body: JSON.stringify({ answers: { [q1]: i % 11, [q2]: i % 3, [q3]: [i % 3] } }) },
    ]));
  }
  actions.sort((a, b) => a.at - b.at);
  const samples: Sample[] = [];
  const t0 = performance.now();
  const send = async (a: Action, i: number): Promise<void> => {
    await new Promise((r) => setTimeout(r, Math.max(0, t0 + a.at - performance.now())));
    const scheduled = Math.max(t0 + a.at, performance.now());
    let status: number | 'сбой';
    let error: string | undefined;
    try {
      const res = await fetch(new URL(a.path, urls[i % urls.length]), { method: a.method, body: a.method === 'GET' ? undefined : a.body, signal: AbortSignal.timeout(120_000), headers: { ...(a.method === 'GET' ? {} : { 'content-type': 'application/json' }), 'x-csrf-token': a.csrf ?? csrf, cookie: a.cookie } });
      const text = await res.text();
      status = res.status;
      if (status >= 300) error = text.slice(0, 300);
    } catch (e) {
      status = 'сбой';
      error = (e as Error).message;
    }
    samples.push({ kind: a.kind, at: scheduled - t0, ms: performance.now() - scheduled, status, error });
    if (a.then && status === 200) await send(a.then, i);
  };
  await Promise.all(actions.map((a, i) => send(a, i)));
  return { samples, wallS: (performance.now() - t0) / 1000 };
}

const pct = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] as number) : NaN;
};

async function scenario(label: string, conn: { dataDir?: string; databaseUrl?: string }, processes: number): Promise<{ rows: (string | number)[][]; note: string }> {
  const { openDatabase } = await import('../src/db/connection.ts');
  const h = await openDatabase(conn);
  let p: Prepared;
  try {
    p = await prepare(h.db);
  } finally {
    await h.close();
  }
  const env: Record<string, string> = conn.databaseUrl ? { DATABASE_URL: conn.databaseUrl } : { DATABASE_URL: '', MSOKO_DATA_DIR: conn.dataDir as string };
  const servers = [];
  for (let i = 0; i < processes; i++) servers.push(await startServer(env));
  let run: Awaited<ReturnType<typeof drive>>;
  const load0 = loadavg()[0] ?? 0;
  const cpu0 = servers.map(cpuSeconds);
  let cpu: number | null = null;
  const client0 = process.cpuUsage();
  let clientCpu = 0;
  try {
    run = await drive(servers.map((s) => s.url), p);
    const c = process.cpuUsage(client0);
    clientCpu = (c.user + c.system) / 1e6;
    const used = servers.map((s, i) => { const a = cpuSeconds(s); const b = cpu0[i]; return a === null || b === null || b === undefined ? null : a - b; });
    cpu = used.every((x) => x !== null) ? used.reduce<number>((a, b) => a + (b ?? 0), 0) : null;
  } finally {
    for (const s of servers) await stopServer(s);
  }
  const check = await openDatabase(conn);
  let stored: { values: number; submitted: number; answers: number };
  try {
    const n = async (q: Promise<{ n: number | string | bigint }>) => Number((await q).n);
    stored = {
      values: await n(check.db.selectFrom('value_history').select((eb) => eb.fn.countAll<number>().as('n')).where('campaign_id', '=', p.campaignId).executeTakeFirstOrThrow()),
      submitted: await n(check.db.selectFrom('submissions').select((eb) => eb.fn.countAll<number>().as('n')).where('campaign_id', '=', p.campaignId).where('status', '=', 'submitted').executeTakeFirstOrThrow()),
      answers: await n(check.db.selectFrom('survey_responses').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()),
    };
  } finally {
    await check.close();
  }
  if (process.env.LOAD_DUMP) writeFileSync(process.env.LOAD_DUMP, run.samples.map((x) => JSON.stringify({ ...x, at: Math.round(x.at), ms: Math.round(x.ms) })).join('\n'));
  const rows: (string | number)[][] = [];
  for (const kind of KINDS) {
    const mine = run.samples.filter((s) => s.kind === kind);
    const ok = mine.filter((s) => typeof s.status === 'number' && s.status < 300);
    const statuses = [...new Set(mine.filter((s) => !ok.includes(s)).map((s) => String(s.status)))].join(', ');
    rows.push([label, kind, mine.length, `${mine.length - ok.length}${statuses ? ` (${statuses})` : ''}`, pct(mine.map((s) => s.ms), 0.5).toFixed(0), pct(mine.map((s) => s.ms), 0.99).toFixed(0), Math.max(...mine.map((s) => s.ms)).toFixed(0)]);
  }
  const all = run.samples.map((s) => s.ms);
  const errors = run.samples.filter((s) => typeof s.status !== 'number' || s.status >= 300).length;
  rows.push([label, 'всё вместе', run.samples.length, errors, pct(all, 0.5).toFixed(0), pct(all, 0.99).toFixed(0), Math.max(...all).toFixed(0)]);
  const firstErrors = KINDS
    .map((k) => run.samples.find((x) => x.kind === k && x.error))
    .filter((x): x is Sample => Boolean(x))
    .map((x) => `${x.kind}: ${x.status} ${x.error}`);
  const note = `${firstErrors.length ? `Первые ошибки — ${firstErrors.join(' | ')}\n` : ''}${label}: окно ${WINDOW_S} с (10 мин / ${(600 / WINDOW_S).toFixed(0)}), прошло ${run.wallS.toFixed(1)} с, ${(run.samples.length / run.wallS).toFixed(0)} запросов/с в среднем; в базе: строк значений ${stored.values} (ожидалось ${REPS * p.fields.length}), отправлено форм ${stored.submitted} (${REPS}), ответов ${stored.answers} (${PARENTS}); loadavg в начале ${load0.toFixed(1)} на ${cpus().length} ядрах${cpu === null ? '' : `; CPU сервера за прогон ${cpu.toFixed(1)} с, ${((cpu * 1000) / run.samples.length).toFixed(1)} мс на запрос${conn.databaseUrl ? ' (без сервера PostgreSQL)' : ' (вместе с PGlite)'}`}; CPU клиента (этот процесс) ${clientCpu.toFixed(1)} с. Цель: p99 < 300 мс, 0 ошибок — ${errors === 0 && pct(all, 0.99) < 300 ? 'достигнута' : 'НЕ достигнута'}.`;
  return { rows, note };
}

export async function run(): Promise<BenchTable> {
  const rows: (string | number)[][] = [];
  const notes: string[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'msoko-bench-load-'));
  try {
    const r = await scenario('PGlite, 1 процесс', { dataDir: dir }, 1);
    rows.push(...r.rows);
    notes.push(r.note);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const admin = process.env.BENCH_DATABASE_URL;
  if (admin) {
    const pg = (await import('pg')).default;
    const name = `msoko_bench_${randomBytes(4).toString('hex')}`;
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(`create database ${name}`);
    await c.end();
    const url = new URL(admin);
    url.pathname = `/${name}`;
    try {
      const r = await scenario('PostgreSQL, 2 процесса', { databaseUrl: url.toString() }, 2);
      rows.push(...r.rows);
      notes.push(r.note);
    } finally {
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      await d.query(`drop database if exists ${name} with (force)`);
      await d.end();
    }
  } else notes.push('PostgreSQL: задайте BENCH_DATABASE_URL=postgres://… — будет запущено два процесса приложения на одной базе.');
  return { head: ['база', 'действие', 'запросов', 'ошибок', 'p50, мс', 'p99, мс', 'max, мс'], rows, notes };
}
