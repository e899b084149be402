/** The job queue on the real database (both engines): progress visible through the API while a job runs, results,
 * failures with Russian messages, `FOR UPDATE SKIP LOCKED` claims (two workers never take one job), and recovery of
 * jobs whose worker died: failed with a clear message, or re-queued while attempts remain and then run again. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { getOrCreateMunicipality } from '../../src/services/registry/registry.ts';
import { JobFailure, JobWorker, claimNextJob, enqueueJob, recoverStaleJobs, registerJobHandler } from '../../src/services/imports/jobs.ts';
import { BACKENDS, Client, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

let release: (() => void) | null = null;
const resetRelease = () => {
  release = null;
};
registerJobHandler({
  kind: 'test.count',
  async run(ctx) {
    const total = Number((ctx.job.payload as { total: number }).total);
    for (let i = 1; i <= total; i++) {
      await ctx.progress(i, total, `Обработано: ${i} из ${total}`, true);
      if (i === 2) await new Promise<void>((resolve) => { release = resolve; });
    }
    return { counted: total };
  },
});
registerJobHandler({ kind: 'test.fail', async run() { throw new JobFailure('В данных ошибка: строка 3', { line: 3 }); } });
registerJobHandler({ kind: 'test.retry', maxAttempts: 2, async run(ctx) { return { attempt: ctx.job.attempts }; } });

describe.each(BACKENDS)('job queue on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let analyst: Client;
  let analystId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    app = (await buildTestApp(database)).app;
    analyst = new Client(app, '10.7.0.1');
    expect((await analyst.login('analyst')).statusCode).toBe(200);
    analystId = (await database.db.selectFrom('users').select('id').where('login', '=', 'analyst').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });
  const actor = () => ({ userId: analystId, login: 'analyst', ip: null });

  it('shows progress while the job runs, then the result; failures keep their message and result', async () => {
    // `release` is module state: the previous engine's run left it set, so wait for this run's handler to set it.
    resetRelease();
    const job = await enqueueJob(database.db, actor(), { kind: 'test.count', payload: { total: 4 } });
    expect((await analyst.get(`/api/jobs/${job.id}`)).json()).toMatchObject({ status: 'queued', progress: { done: 0, total: null, percent: null, message: 'В очереди' } });
    const worker = new JobWorker({ db: database.db, kind: database.kind, kinds: ['test.count'] });
    const running = worker.runOnce();
    while (!release) await new Promise((r) => setTimeout(r, 20));
    const mid = (await analyst.get(`/api/jobs/${job.id}`)).json();
    expect(mid).toMatchObject({ status: 'running', attempts: 1, progress: { done: 2, total: 4, percent: 50, message: 'Обработано: 2 из 4' } });
    release();
    expect(await running).toBe(true);
    const done = (await analyst.get(`/api/jobs/${job.id}`)).json();
    expect(done).toMatchObject({ status: 'done', result: { counted: 4 }, error: null, progress: { done: 4, total: 4, percent: 100, message: 'Готово' } });
    expect(done.finishedAt).not.toBeNull();

    const failing = await enqueueJob(database.db, actor(), { kind: 'test.fail' });
    await new JobWorker({ db: database.db, kind: database.kind, kinds: ['test.fail'] }).runOnce();
    expect((await analyst.get(`/api/jobs/${failing.id}`)).json()).toMatchObject({ status: 'failed', error: 'В данных ошибка: строка 3', result: { line: 3 } });
  });

  it('an administrator sees the jobs of their municipality only; other users only their own (issue 24)', async () => {
    // A kind no worker of these tests claims, so the job stays queued and out of the other tests' way.
    const job = await enqueueJob(database.db, actor(), { kind: 'test.scope' });
    const admin = new Client(app, '10.7.0.2');
    expect((await admin.login('admin')).statusCode).toBe(200);
    expect((await admin.get(`/api/jobs/${job.id}`)).statusCode).toBe(200);
    const school = new Client(app, '10.7.0.3');
    expect((await school.login('oo1')).statusCode).toBe(200);
    expect((await school.get(`/api/jobs/${job.id}`)).json()).toMatchObject({ error: { code: 'JOB_NOT_FOUND' } });
    // The same administrator moved to another municipality no longer sees the analyst's job.
    const own = await database.db.selectFrom('users').select('municipality_id').where('login', '=', 'admin').executeTakeFirstOrThrow();
    const other = { id: await getOrCreateMunicipality(database.db, 'Другой муниципалитет (тест заданий)') };
    await database.db.updateTable('users').set({ municipality_id: other.id }).where('login', '=', 'admin').execute();
    try {
      const r = await admin.get(`/api/jobs/${job.id}`);
      expect([r.statusCode, r.json().error.code]).toEqual([404, 'JOB_NOT_FOUND']);
    } finally {
      await database.db.updateTable('users').set({ municipality_id: own.municipality_id }).where('login', '=', 'admin').execute();
    }
    expect((await admin.get(`/api/jobs/${job.id}`)).statusCode).toBe(200);
  });

  it('two workers never claim the same job (FOR UPDATE SKIP LOCKED)', async () => {
    const a = await enqueueJob(database.db, actor(), { kind: 'test.retry' });
    const b = await enqueueJob(database.db, actor(), { kind: 'test.retry' });
    const [x, y, z] = await Promise.all([claimNextJob(database.db, 'w1', ['test.retry']), claimNextJob(database.db, 'w2', ['test.retry']), claimNextJob(database.db, 'w3', ['test.retry'])]);
    const claimed = [x, y, z].filter((j) => j !== null);
    expect(claimed.map((j) => j?.id).sort()).toEqual([a.id, b.id].sort());
    expect(new Set(claimed.map((j) => j?.locked_by)).size).toBe(2);
    await database.db.updateTable('jobs').set({ status: 'done' }).where('id', 'in', [a.id, b.id]).execute();
  });

  it('a job whose worker died is failed with a clear message, or re-queued and run again while attempts remain', async () => {
    const dead = await enqueueJob(database.db, actor(), { kind: 'test.count', payload: { total: 1 } });
    const retry = await enqueueJob(database.db, actor(), { kind: 'test.retry' });
    const alive = await enqueueJob(database.db, actor(), { kind: 'test.count', payload: { total: 1 } });
    for (const j of [dead, retry, alive]) {
      await database.db.updateTable('jobs').set({ status: 'running', locked_by: 'host:1:dead', attempts: 1, started_at: sql`now() - interval '10 minutes'`, heartbeat_at: sql`now() - interval '5 minutes'` }).where('id', '=', j.id).execute();
    }
    await database.db.updateTable('jobs').set({ heartbeat_at: sql`now()` }).where('id', '=', alive.id).execute();
    const r = await recoverStaleJobs(database.db, { staleAfterMs: 30_000 });
    expect(r).toEqual({ requeued: [retry.id], failed: [dead.id] });
    const failed = (await analyst.get(`/api/jobs/${dead.id}`)).json();
    expect(failed.status).toBe('failed');
    expect(failed.error).toBe('Выполнение прервано (исполнитель не отвечает 300 секунд). Изменения не внесены — запустите задание снова.');
    expect((await analyst.get(`/api/jobs/${alive.id}`)).json().status).toBe('running');
    const requeued = (await analyst.get(`/api/jobs/${retry.id}`)).json();
    expect(requeued).toMatchObject({ status: 'queued', progress: { message: 'Выполнение прервано (исполнитель не отвечает 300 секунд); задание поставлено в очередь повторно (попытка 2 из 2).' } });
    expect(await new JobWorker({ db: database.db, kind: database.kind, kinds: ['test.retry'] }).runOnce()).toBe(true);
    expect((await analyst.get(`/api/jobs/${retry.id}`)).json()).toMatchObject({ status: 'done', attempts: 2, result: { attempt: 2 } });
    // At the start of the embedded database every running job is dead, whatever its heartbeat says.
    const atStart = await recoverStaleJobs(database.db, { staleAfterMs: 30_000, assumeDead: true });
    expect(atStart).toEqual({ requeued: [], failed: [alive.id] });
    expect((await analyst.get(`/api/jobs/${alive.id}`)).json().error).toBe('Выполнение прервано (сервер был перезапущен во время выполнения). Изменения не внесены — запустите задание снова.');
    const audit = await database.db.selectFrom('audit_log').select('action').where('target_id', 'in', [dead.id, retry.id, alive.id]).where('action', 'like', 'job.%').orderBy('id').execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['job.enqueue', 'job.enqueue', 'job.enqueue', 'job.fail', 'job.fail', 'job.requeue']);
  });
});
