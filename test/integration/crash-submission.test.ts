/** Crash safety of a form submission: the real server runs as a child process on a PGlite directory; an organisation
 * representative saves a form with every numeric field changed, and the server is SIGKILLed while that request is in
 * flight (at a random moment) or right after it was answered; then the database is opened directly and checked, and
 * the server restarted. Each save must be whole or absent (its value rows and its audit row together), an answered
 * save must survive the kill, and the submission history (workflow events) must match the submission's status. */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.ts';
import { startServerProcess, stopServerProcess, type ServerProcess } from '../support/server-process.ts';


class HttpClient {
  cookies = new Map<string, string>();
  csrf: string | null = null;
  constructor(readonly base: string) {}
  async request(method: string, url: string, body?: unknown): Promise<{ status: number; json: () => unknown }> {
    const headers: Record<string, string> = {};
    if (method !== 'GET') {
      if (!this.csrf) this.csrf = ((await (await this.request('GET', '/api/auth/csrf')).json()) as { token: string }).token;
      headers['x-csrf-token'] = this.csrf;
      headers['content-type'] = 'application/json';
    }
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(new URL(url, this.base), { method, headers, body: body === undefined ? (method === 'GET' ? undefined : '{}') : JSON.stringify(body) });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, v] = (pair ?? '').split('=');
      if (k) this.cookies.set(k.trim(), v ?? '');
      if (k?.trim().endsWith('msoko_sid')) this.csrf = null; // CSRF tokens are bound to the session
    }
    const text = await res.text();
    return { status: res.status, json: () => JSON.parse(text) };
  }
}

describe('crash safety of a form submission (SIGKILL of the server on PGlite)', () => {
  let dir: string;
  let server: ServerProcess | null = null;

  const start = () =>
    startServerProcess({
      args: ['--demo', '--log-level', 'error'],
      env: { DATABASE_URL: '', MSOKO_DATA_DIR: dir, MSOKO_JOB_WORKER: '0', MSOKO_REMIND_INTERVAL_MINUTES: '0' },
      timeoutMs: 600_000,
    });
  async function kill(): Promise<void> {
    if (!server) return;
    const { child } = server;
    server = null;
    await stopServerProcess(child);
  }

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'msoko-crash-'));
    cpSync(inject('pgliteTemplate'), dir, { recursive: true });
  });
  afterAll(async () => {
    await kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('every save is all-or-nothing, answered saves survive, history matches status', async () => {
    server = await start();
    const analyst = new HttpClient(server.url);
    expect((await analyst.request('POST', '/api/auth/login', { login: 'analyst', password: 'demo2022' })).status).toBe(200);
    const created = await analyst.request('POST', '/api/campaigns', {
      title: 'Проверка сбоев', methodologyId: 'direction-leaders', methodologyVersion: '2021.1', period: '2021/2022',
      participants: { mode: 'all' }, opensOn: '2022-02-15', dueOn: '2022-06-01', closesOn: '2030-06-30',
    });
    expect(created.status).toBe(201);
    const campaignId = (created.json() as { id: string }).id;
    expect((await analyst.request('POST', `/api/campaigns/${campaignId}/open`)).status).toBe(200);

    let oo1 = new HttpClient(server.url);
    expect((await oo1.request('POST', '/api/auth/login', { login: 'oo1', password: 'demo2022' })).status).toBe(200);
    const me = (await oo1.request('GET', '/api/auth/me')).json() as { user?: { organisationId: string }; organisationId?: string };
    const orgId = (me.user?.organisationId ?? me.organisationId) as string;
    const formUrl = `/api/campaigns/${campaignId}/organisations/${orgId}`;
    const form = (await oo1.request('GET', formUrl)).json() as { fields: { name: string; type: string; min: number | null; max: number | null }[] };
    // The form of the leaders' passport: every numeric field (counts and percentages), a distinct value per round.
    const fields = form.fields.filter((f) => ['integer', 'number', 'percent'].includes(f.type) && (f.min ?? 0) <= 10 && (f.max === null || f.max >= 60));
    expect(fields.length).toBeGreaterThanOrEqual(6);
    const valueOf = (round: number, i: number) => 10 * round + i;
    const body = (round: number) => ({ source: 'form', values: Object.fromEntries(fields.map((f, i) => [f.name, { value: valueOf(round, i) }])) });

    const ROUNDS = 4;
    const answered = new Set<number>();
    for (let round = 1; round <= ROUNDS; round++) {
      // Odd rounds: kill at a random moment while the save is in flight; even rounds: kill right after the answer.
      const inFlight = oo1.request('PUT', `${formUrl}/values`, body(round)).then((r) => {
        if (r.status === 200) answered.add(round);
        return r.status;
      }, () => 'aborted' as const);
      if (round % 2 === 1) {
        await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 40)));
      } else {
        expect(await inFlight).toBe(200);
      }
      await kill();
      await inFlight;

      // Inspect the directory the killed server left behind.
      const h = await openDatabase({ dataDir: dir });
      try {
        const rows = await h.db.selectFrom('value_history').select(['input', 'value']).where('campaign_id', '=', campaignId).execute();
        const audits = await h.db.selectFrom('audit_log').select('details').where('action', '=', 'submission.save').where('target_type', '=', 'submission').execute();
        for (let r = 1; r <= round; r++) {
          const ofRound = rows.filter((x) => fields.some((f, i) => f.name === x.input && x.value === valueOf(r, i)));
          expect([0, fields.length], `раунд ${r}: ${ofRound.length} из ${fields.length} значений`).toContain(ofRound.length);
          const audited = audits.filter((a) => JSON.stringify(a.details).includes(`"${fields[0]!.name}":${valueOf(r, 0)}`)).length;
          expect(audited, `раунд ${r}: запись журнала`).toBe(ofRound.length ? 1 : 0);
          if (answered.has(r)) expect(ofRound.length, `раунд ${r} был подтверждён сервером`).toBe(fields.length);
        }
        const sub = await h.db.selectFrom('submissions').select(['id', 'status']).where('campaign_id', '=', campaignId).executeTakeFirst();
        if (sub) {
          const events = await h.db.selectFrom('submission_events').select(['to_status']).where('submission_id', '=', sub.id).orderBy('id').execute();
          expect(events.at(-1)?.to_status).toBe(sub.status);
        }
      } finally {
        await h.close();
      }
      server = await start();
      oo1 = new HttpClient(server.url);
      expect((await oo1.request('POST', '/api/auth/login', { login: 'oo1', password: 'demo2022' })).status).toBe(200);
    }
    expect(answered.size).toBeGreaterThanOrEqual(ROUNDS / 2);

    // A submit killed in flight: the status and its event are written together or not at all.
    const submitted = oo1.request('POST', `${formUrl}/submit`, { comment: 'Данные проверены' }).then((r) => r.status, () => 'aborted' as const);
    await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 30)));
    await kill();
    await submitted;
    const h = await openDatabase({ dataDir: dir });
    try {
      const sub = await h.db.selectFrom('submissions').select(['id', 'status']).where('campaign_id', '=', campaignId).executeTakeFirstOrThrow();
      const events = await h.db.selectFrom('submission_events').select(['to_status']).where('submission_id', '=', sub.id).orderBy('id').execute();
      expect(['draft', 'submitted']).toContain(sub.status);
      expect(events.at(-1)?.to_status).toBe(sub.status);
      expect(events.filter((e) => e.to_status === 'submitted').length).toBe(sub.status === 'submitted' ? 1 : 0);
    } finally {
      await h.close();
    }
  }, 3_600_000);
});
