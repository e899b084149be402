/** Progress of a background job (src/services/imports/jobs.ts): polls `GET /api/jobs/:id` until it is done or failed and shows
 * a progress bar with the server's Russian message. Any long operation (imports, reports) can use it. */
import { useEffect, useState } from 'react';
import { ApiError, api } from '../api.ts';

export interface JobView {
  id: string;
  kind: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  progress: { done: number; total: number | null; percent: number | null; message: string | null };
  result: unknown;
  error: string | null;
}

export function JobProgress({ jobId, onFinished, intervalMs = 500 }: { jobId: string; onFinished?: (job: JobView) => void; intervalMs?: number }) {
  const [job, setJob] = useState<JobView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const j = await api.get<JobView>(`/api/jobs/${encodeURIComponent(jobId)}`);
        if (stopped) return;
        setJob(j);
        setError(null);
        if (j.status === 'done' || j.status === 'failed') {
          onFinished?.(j);
          return;
        }
      } catch (err) {
        if (stopped) return;
        setError(err instanceof ApiError ? err.message : 'Сервер недоступен. Повторяем…');
      }
      timer = setTimeout(() => void poll(), intervalMs);
    };
    void poll();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
    // onFinished is the parent's callback; polling restarts only for another job.
  }, [jobId, intervalMs]);

  const percent = job?.status === 'done' ? 100 : (job?.progress.percent ?? null);
  const label = job ? (job.status === 'queued' ? 'В очереди' : job.status === 'running' ? 'Выполняется' : job.status === 'done' ? 'Готово' : 'Не выполнено') : 'Загрузка…';
  return (
    <div className="job-progress" role="status" aria-live="polite">
      <div className="job-progress-head">
        <strong>{label}</strong>
        {percent !== null && <span>{percent}%</span>}
      </div>
      <progress max={100} value={percent ?? undefined} aria-label="Ход выполнения" />
      {job?.progress.message && job.status !== 'failed' && <p className="muted small">{job.progress.message}</p>}
      {job?.status === 'failed' && job.error && (
        <div className="alert alert-error" role="alert">
          {job.error}
        </div>
      )}
      {error && <p className="muted small">{error}</p>}
    </div>
  );
}
