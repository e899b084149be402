/** Periodic maintenance of the server: a list of small idempotent tasks run at start and every
 * `MSOKO_MAINTENANCE_INTERVAL_MINUTES` (default 15; 0 turns it off). Every task must be safe when several app
 * processes run it at once (plain DELETEs of dead rows are). Other modules add their task to `MAINTENANCE_TASKS`.
 * Today: expired and idle sessions, sign-in attempts older than any rate-limit window, reminders, and removed evidence
 * files past their 30 days. */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { DEFAULT_AUTH_SETTINGS, type AuthSettings } from './auth.ts';

export interface MaintenanceTask {
  name: string;
  /** Returns how many rows it removed or touched (for the log). */
  run(db: Kysely<Database>, now: Date, auth: AuthSettings, log?: MaintenanceLog): Promise<number>;
}

export const MAINTENANCE_TASKS: MaintenanceTask[] = [
  {
    name: 'сеансы',
    async run(db, now, auth) {
      const r = await db
        .deleteFrom('sessions')
        .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', new Date(now.getTime() - auth.idleMs))]))
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  },
  {
    name: 'попытки входа',
    async run(db, now, auth) {
      const r = await db.deleteFrom('login_attempts').where('at', '<', new Date(now.getTime() - Math.max(auth.windowMs, 24 * 3600_000))).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  },
  {
    // Issue 5: reminders of due dates and e-mail of pending notifications (idempotent across passes and processes).
    name: 'напоминания',
    async run(db, now, _auth, log) {
      const { runConfiguredReminders } = await import('../notifications/reminder-schedule.ts');
      const r = await runConfiguredReminders(db, { now, log: log && ((level, message) => log(level === 'info' ? 'info' : 'error', message)) });
      return r.created.due_soon + r.created.overdue + r.created.overdue_summary + r.emails.sent;
    },
  },
  {
    // Issue 24: removed evidence files stay restorable for 30 days, then are deleted (audited).
    name: 'удалённые подтверждения',
    async run(db, now) {
      const { purgeRemovedEvidence } = await import('../cycle/evidence.ts');
      return purgeRemovedEvidence(db, now);
    },
  },
];

export type MaintenanceLog = (level: 'info' | 'error', message: string) => void;

/** One pass over every task; a failing task is logged and does not stop the others. */
export async function runMaintenance(db: Kysely<Database>, opts: { now?: Date; auth?: AuthSettings; log?: MaintenanceLog } = {}): Promise<Record<string, number | null>> {
  const out: Record<string, number | null> = {};
  for (const task of MAINTENANCE_TASKS) {
    try {
      out[task.name] = await task.run(db, opts.now ?? new Date(), opts.auth ?? DEFAULT_AUTH_SETTINGS, opts.log);
    } catch (err) {
      out[task.name] = null;
      opts.log?.('error', `Обслуживание «${task.name}» не выполнено: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return out;
}

export function maintenanceIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.MSOKO_MAINTENANCE_INTERVAL_MINUTES?.trim();
  const minutes = raw === undefined || raw === '' ? 15 : Number(raw);
  return Number.isFinite(minutes) && minutes > 0 ? minutes * 60_000 : 0;
}

export function startMaintenance(db: Kysely<Database>, opts: { log: MaintenanceLog; auth?: AuthSettings; intervalMs?: number }): { stop(): Promise<void> } {
  const interval = opts.intervalMs ?? maintenanceIntervalMs();
  if (interval <= 0) return { stop: async () => undefined };
  let running: Promise<unknown> | null = null;
  let stopped = false;
  const pass = () => {
    if (running || stopped) return;
    running = runMaintenance(db, { auth: opts.auth, log: opts.log }).finally(() => {
      running = null;
    });
  };
  const first = setTimeout(pass, 1_000);
  const timer = setInterval(pass, interval);
  first.unref();
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
