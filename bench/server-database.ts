/** A throw-away database on the PostgreSQL server of `BENCH_DATABASE_URL`: created, opened, handed to `run`, closed and
 * dropped (even when `run` fails). The name carries the bench and the process id. */
import { openDatabase, type DatabaseHandle } from '../src/db/connection.ts';

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
