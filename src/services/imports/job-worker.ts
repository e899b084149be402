/** Starts the job worker of a server process with every built-in job kind registered (imports now; other modules
 * register theirs by importing here). `MSOKO_JOB_WORKER=0` turns it off for a process that should only serve pages;
 * `MSOKO_JOB_STALE_SECONDS` (default 30) is how long a silent worker is presumed alive. */
import type { DatabaseHandle } from '../../db/connection.ts';
import './import-apply.ts';
import './record-apply-job.ts';
import { JobWorker } from './jobs.ts';

export async function startJobWorker(database: Pick<DatabaseHandle, 'db' | 'kind'>, opts: { log?: (message: string) => void } = {}): Promise<JobWorker | null> {
  if (/^(0|false|no|off)$/i.test(process.env.MSOKO_JOB_WORKER ?? '')) return null;
  const staleSeconds = Number(process.env.MSOKO_JOB_STALE_SECONDS || 30);
  const worker = new JobWorker({ db: database.db, kind: database.kind, staleAfterMs: staleSeconds * 1000, log: opts.log });
  await worker.start();
  return worker;
}
