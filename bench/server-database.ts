/** Throw-away databases for the benches: on the PostgreSQL server of `BENCH_DATABASE_URL`, or an embedded PGlite in a
 * temporary directory. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type DatabaseHandle } from '../src/db/connection.ts';

/** A PGlite database in a new temporary directory, handed to `run`, closed and removed (even when `run` fails). */
export async function withPgliteDatabase<T>(bench: string, run: (h: DatabaseHandle) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `msoko-bench-${bench}-`));
  const h = await openDatabase({ dataDir: dir });
  try {
    return await run(h);
  } finally {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A throw-away database on the PostgreSQL server of `BENCH_DATABASE_URL`: created, opened, handed to `run`, closed and
 * dropped (even when `run` fails). The name carries the bench and the process id. */

export async function withServerDatabase<T>(server: string, bench: string, run: (h: DatabaseHandle) => Promise<T>): Promise<T> {
  const pg = (await import('pg')).default;
  const name = `msoko_bench_${bench}_${process.pid}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  const h = await openDatabase({ databaseUrl: url.toString() });
  try {
    return await run(h);
  } finally {
    await h.close();
    const c = new pg.Client({ connectionString: server });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  }
}
