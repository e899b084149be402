/** A PostgreSQL-backed job queue for long work (imports now; reports and recomputation later). Any app process may
 * run a `JobWorker`: it claims the oldest queued job of the kinds it knows with `FOR UPDATE SKIP LOCKED` (so two
 * processes never take the same job), beats a heartbeat while the handler runs, and records progress, the result or
 * the Russian error. A job whose worker died is re-queued or failed by `recoverStaleJobs` (at startup and
 * periodically). Nothing lives in memory but the loop itself: the table is the queue.
 *
 * Writing a handler: `registerJobHandler({ kind, maxAttempts, run(ctx) })`; `run` reports `ctx.progress(...)`
 * (throttled, outside transactions) and returns the result (JSON). To make the job's completion atomic with its
 * effect, call `ctx.completeIn(trx, result)` inside the handler's own transaction: it marks the job done only while
 * this worker still owns it and throws otherwise, so a job taken over by another worker cannot commit twice.
 * Throw `JobFailure` to fail with a message and a result (e.g. a validation report). */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import { progressPercent, recoveryAction } from '../../core/jobs/recovery.ts';
import type { DatabaseKind } from '../../db/connection.ts';
import type { Database, JobsTable } from '../../db/schema.ts';
import { recordAudit } from '../admin/audit.ts';
import { ServiceError, type Actor } from '../errors.ts';
import { UUID } from '../../core/uuid.ts';

export type JobRecord = Selectable<JobsTable>;

export interface JobView {
  id: string;
  kind: string;
  status: JobRecord['status'];
  progress: { done: number; total: number | null; percent: number | null; message: string | null };
  result: unknown;
  error: string | null;
  attempts: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** A failure the handler reports on purpose: the job ends `failed` with this message and result. */
export class JobFailure extends Error {
  constructor(
    message: string,
    readonly result: unknown = null,
  ) {
    super(message);
    this.name = 'JobFailure';
  }
}

export interface JobContext {
  db: Kysely<Database>;
  kind: DatabaseKind;
  job: JobRecord;
  workerId: string;
  /** Records progress (throttled to one write per `progressEveryMs` unless `force`). Never call inside a PGlite
   * transaction: the single connection is held by it. */
  progress(done: number, total: number | null, message: string, force?: boolean): Promise<void>;
  /** Marks the job done inside the caller's transaction; throws when this worker no longer owns the job. */
  completeIn(trx: Kysely<Database>, result: unknown): Promise<void>;
}

export interface JobHandler {
  kind: string;
  /** Attempts before a job whose worker died is failed rather than re-queued (default 1: never re-run). */
  maxAttempts?: number;
  run(ctx: JobContext): Promise<unknown>;
  /** Called after a job of this kind was re-queued or failed because its worker died (`final`: failed). */
  onAbandoned?(db: Kysely<Database>, job: JobRecord, message: string, final: boolean): Promise<void>;
}

const handlers = new Map<string, JobHandler>();

/** Handlers are code, registered at import time by the modules that own them. */
export function registerJobHandler(h: JobHandler): void {
  handlers.set(h.kind, h);
}

export function jobHandler(kind: string): JobHandler | undefined {
  return handlers.get(kind);
}

export function present(j: JobRecord): JobView {
  return {
    id: j.id,
    kind: j.kind,
    status: j.status,
    progress: { done: j.progress_done, total: j.progress_total, percent: j.status === 'done' ? 100 : progressPercent(j.progress_done, j.progress_total), message: j.progress_message },
    result: j.result ?? null,
    error: j.error,
    attempts: j.attempts,
    createdAt: new Date(j.created_at).toISOString(),
    startedAt: j.started_at ? new Date(j.started_at).toISOString() : null,
    finishedAt: j.finished_at ? new Date(j.finished_at).toISOString() : null,
  };
}

export interface EnqueueInput {
  kind: string;
  payload?: Record<string, unknown>;
  message?: string;
  maxAttempts?: number;
}

/** Adds a job (in the caller's transaction when given one) and audits it. */
export async function enqueueJob(db: Kysely<Database>, actor: Actor, input: EnqueueInput): Promise<JobRecord> {
  const handler = handlers.get(input.kind);
  const job = await db
    .insertInto('jobs')
    .values({
      kind: input.kind,
      payload: JSON.stringify(input.payload ?? {}),
      progress_message: input.message ?? 'В очереди',
      max_attempts: input.maxAttempts ?? handler?.maxAttempts ?? 1,
      created_by: actor.userId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, { action: 'job.enqueue', targetType: 'job', targetId: job.id, details: { kind: job.kind, payload: input.payload ?? {} } });
  return job;
}

/** A job as its creator or an administrator sees it; anyone else gets «not found» (no hint that it exists). An
 * administrator of a municipality (`municipalityId`) sees the jobs of that municipality's users only (issue 24), as
 * the audit log does; an administrator without a municipality sees every job. */
export async function getJob(db: Kysely<Database>, id: string, caller: { userId: string | null; role: string | null; municipalityId?: string | null }): Promise<JobView> {
  const row = UUID.test(id) ? await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
  const hidden = () => new ServiceError('not_found', 'JOB_NOT_FOUND', 'Задание не найдено');
  if (!row) throw hidden();
  if (row.created_by === caller.userId && caller.userId !== null) return present(row);
  if (caller.role !== 'admin') throw hidden();
  if (caller.municipalityId) {
    const creator = row.created_by ? await db.selectFrom('users').select('municipality_id').where('id', '=', row.created_by).executeTakeFirst() : undefined;
    if (!creator || creator.municipality_id !== caller.municipalityId) throw hidden();
  }
  return present(row);
}

/** Takes the oldest queued job of the given kinds, or null. Safe with any number of concurrent workers. */
export async function claimNextJob(db: Kysely<Database>, workerId: string, kinds: readonly string[]): Promise<JobRecord | null> {
  if (kinds.length === 0) return null;
  const r = await sql<JobRecord>`
    update jobs set status = 'running', locked_by = ${workerId}, attempts = attempts + 1,
      started_at = now(), heartbeat_at = now(), error = null
    where id = (
      select id from jobs where status = 'queued' and kind in (${sql.join(kinds.map((k) => sql`${k}`))})
      order by created_at, id for update skip locked limit 1)
    returning *`.execute(db);
  return r.rows[0] ?? null;
}

export interface RecoverOptions {
  staleAfterMs: number;
  /** Every running job is dead (the embedded database belongs to this process alone). */
  assumeDead?: boolean;
  now?: Date;
}

/** Re-queues or fails running jobs whose worker went silent; returns what was done. */
export async function recoverStaleJobs(db: Kysely<Database>, opts: RecoverOptions): Promise<{ requeued: string[]; failed: string[] }> {
  const out = { requeued: [] as string[], failed: [] as string[] };
  const running = await db.selectFrom('jobs').selectAll().where('status', '=', 'running').execute();
  for (const j of running) {
    // Decided on the database's clock, like the heartbeat itself.
    const now = opts.now ?? (await sql<{ now: Date }>`select now() as now`.execute(db)).rows[0]?.now ?? new Date();
    const a = recoveryAction(
      { status: j.status, attempts: j.attempts, maxAttempts: j.max_attempts, heartbeatAt: j.heartbeat_at ? new Date(j.heartbeat_at) : null, startedAt: j.started_at ? new Date(j.started_at) : null },
      new Date(now),
      opts.staleAfterMs,
      opts.assumeDead ?? false,
    );
    if (a.action === 'keep') continue;
    const set =
      a.action === 'requeue'
        ? { status: 'queued' as const, locked_by: null, progress_message: a.message, error: null }
        : { status: 'failed' as const, locked_by: null, progress_message: a.message, error: a.message, finished_at: sql<Date>`now()` };
    // Only if nobody touched it meanwhile (the same worker and heartbeat).
    const upd = await db
      .updateTable('jobs')
      .set(set)
      .where('id', '=', j.id)
      .where('status', '=', 'running')
      .where('locked_by', j.locked_by === null ? 'is' : '=', j.locked_by)
      .executeTakeFirst();
    if (Number(upd.numUpdatedRows) === 0) continue;
    (a.action === 'requeue' ? out.requeued : out.failed).push(j.id);
    await handlers.get(j.kind)?.onAbandoned?.(db, j, a.message, a.action === 'fail');
    await recordAudit(db, { userId: null, login: 'system', ip: null }, { action: `job.${a.action}`, targetType: 'job', targetId: j.id, details: { kind: j.kind, message: a.message } });
  }
  return out;
}

export interface WorkerOptions {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** Kinds this worker runs (default: every registered handler). */
  kinds?: string[];
  pollMs?: number;
  heartbeatMs?: number;
  staleAfterMs?: number;
  progressEveryMs?: number;
  log?: (msg: string) => void;
}

/** One job at a time per process (the machine has few cores; several processes scale out). */
export class JobWorker {
  readonly id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private current: Promise<void> | null = null;
  private lastSweep = 0;

  constructor(private readonly o: WorkerOptions) {}

  private get staleAfterMs(): number {
    return this.o.staleAfterMs ?? 30_000;
  }

  /** Recovers jobs left running by a dead process, then polls. */
  async start(): Promise<void> {
    await recoverStaleJobs(this.o.db, { staleAfterMs: this.staleAfterMs, assumeDead: this.o.kind === 'pglite' });
    this.running = true;
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.current = this.tick().finally(() => {
        this.current = null;
      });
    }, ms);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    let worked = false;
    try {
      if (Date.now() - this.lastSweep > this.staleAfterMs / 2) {
        this.lastSweep = Date.now();
        await recoverStaleJobs(this.o.db, { staleAfterMs: this.staleAfterMs });
      }
      worked = await this.runOnce();
    } catch (err) {
      this.o.log?.(`Очередь заданий: ${(err as Error).message}`);
    }
    this.schedule(worked ? 0 : (this.o.pollMs ?? 500));
  }

  /** Claims and runs one job; false when the queue had nothing for this worker. */
  async runOnce(): Promise<boolean> {
    const kinds = this.o.kinds ?? [...handlers.keys()];
    const job = await claimNextJob(this.o.db, this.id, kinds);
    if (!job) return false;
    await this.execute(job);
    return true;
  }

  private async execute(job: JobRecord): Promise<void> {
    const db = this.o.db;
    const handler = handlers.get(job.kind);
    const beat = setInterval(() => {
      void db.updateTable('jobs').set({ heartbeat_at: sql<Date>`now()` }).where('id', '=', job.id).where('locked_by', '=', this.id).execute().catch(() => undefined);
    }, this.o.heartbeatMs ?? 5_000);
    beat.unref?.();
    let lastProgress = 0;
    const ctx: JobContext = {
      db,
      kind: this.o.kind,
      job,
      workerId: this.id,
      progress: async (done, total, message, force = false) => {
        const now = Date.now();
        if (!force && now - lastProgress < (this.o.progressEveryMs ?? 300)) return;
        lastProgress = now;
        await db
          .updateTable('jobs')
          .set({ progress_done: done, progress_total: total, progress_message: message, heartbeat_at: sql<Date>`now()` })
          .where('id', '=', job.id)
          .where('locked_by', '=', this.id)
          .execute();
      },
      completeIn: async (trx, result) => {
        const r = await trx
          .updateTable('jobs')
          .set({ status: 'done', result: JSON.stringify(result ?? null), finished_at: sql<Date>`now()`, progress_done: sql<number>`coalesce(progress_total, progress_done)`, progress_message: 'Готово' })
          .where('id', '=', job.id)
          .where('status', '=', 'running')
          .where('locked_by', '=', this.id)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) throw new ServiceError('conflict', 'JOB_LOST', 'Задание передано другому исполнителю: результат не записан');
      },
    };
    try {
      if (!handler) throw new JobFailure(`Неизвестный вид задания «${job.kind}»`);
      const result = await handler.run(ctx);
      await this.finish(job.id, { status: 'done', result: JSON.stringify(result ?? null), progress_message: 'Готово' });
    } catch (err) {
      const message = err instanceof JobFailure || err instanceof ServiceError ? err.message : `Внутренняя ошибка: ${(err as Error).message}`;
      if (!(err instanceof JobFailure) && !(err instanceof ServiceError)) this.o.log?.(`Задание ${job.id} (${job.kind}): ${(err as Error).stack ?? String(err)}`);
      const result = err instanceof JobFailure ? err.result : err instanceof ServiceError ? { fields: err.fields ?? [] } : null;
      await this.finish(job.id, { status: 'failed', error: message, result: JSON.stringify(result ?? null), progress_message: message });
    } finally {
      clearInterval(beat);
    }
  }

  /** Final state, unless the handler already completed the job in its transaction or another worker took it. */
  private async finish(id: string, set: { status: 'done' | 'failed'; result?: string; error?: string; progress_message: string }): Promise<void> {
    await this.o.db
      .updateTable('jobs')
      .set({ ...set, finished_at: sql<Date>`now()`, ...(set.status === 'done' ? { progress_done: sql<number>`coalesce(progress_total, progress_done)` } : {}) })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .where('locked_by', '=', this.id)
      .execute();
  }

  /** Stops polling and waits for the job in hand. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await this.current;
  }
}
