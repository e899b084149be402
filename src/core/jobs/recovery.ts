/** Pure rules of the job queue: what to do with a job whose worker went silent, and how progress reads. No clock:
 * `now` is passed in. */
import { formatNumber, plural } from '../format.ts';

export interface RunningJobFacts {
  status: 'queued' | 'running' | 'done' | 'failed';
  attempts: number;
  maxAttempts: number;
  heartbeatAt: Date | null;
  startedAt: Date | null;
}

export type RecoveryAction = { action: 'keep' } | { action: 'requeue'; message: string } | { action: 'fail'; message: string };

/** A running job is stale when its last heartbeat (or start) is older than `staleAfterMs`, or always when the caller
 * knows no other worker can be alive (`assumeDead`: the embedded database is owned by one process). A stale job is
 * re-queued while it has attempts left, else failed; both with a Russian message for the user. */
export function recoveryAction(job: RunningJobFacts, now: Date, staleAfterMs: number, assumeDead = false): RecoveryAction {
  if (job.status !== 'running') return { action: 'keep' };
  const last = job.heartbeatAt ?? job.startedAt;
  const silentMs = last ? now.getTime() - last.getTime() : Number.POSITIVE_INFINITY;
  if (!assumeDead && silentMs < staleAfterMs) return { action: 'keep' };
  const why = assumeDead ? 'сервер был перезапущен во время выполнения' : `исполнитель не отвечает ${silentText(silentMs)}`;
  if (job.attempts < job.maxAttempts) {
    return { action: 'requeue', message: `Выполнение прервано (${why}); задание поставлено в очередь повторно (попытка ${job.attempts + 1} из ${job.maxAttempts}).` };
  }
  return { action: 'fail', message: `Выполнение прервано (${why}). Изменения не внесены — запустите задание снова.` };
}

function silentText(ms: number): string {
  if (!Number.isFinite(ms)) return 'с момента запуска';
  const s = Math.round(ms / 1000);
  return `${s} ${plural(s, ['секунду', 'секунды', 'секунд'])}`;
}

/** 0–100, rounded down; null while the total is unknown. */
export function progressPercent(done: number, total: number | null): number | null {
  if (total === null || total <= 0) return null;
  return Math.max(0, Math.min(100, Math.floor((done * 100) / total)));
}

/** «Проверено строк: 40 000 из 100 000» — the message with the counts in Russian number format. */
export function progressText(label: string, done: number, total: number | null): string {
  return total === null ? `${label}: ${formatNumber(done)}` : `${label}: ${formatNumber(done)} из ${formatNumber(total)}`;
}
