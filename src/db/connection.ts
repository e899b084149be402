/** Opens the database: embedded PGlite in a data directory by default, a PostgreSQL server when a
 * `postgres://` URL is given. Both go through Kysely with the same SQL.
 *
 * kysely-pglite-dialect serialises access to the single PGlite connection: a transaction holds it until commit, and
 * every other query waits in a queue. Consequence: inside `db.transaction().execute(trx => …)` always use `trx`;
 * a query on `db` there would wait for the transaction forever. */
import { setImmediate } from 'node:timers/promises';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from './schema.ts';

export type DatabaseKind = 'pglite' | 'postgres';

export interface OpenDatabaseOptions {
  /** `postgres://…`; when set, `dataDir` is ignored. */
  databaseUrl?: string;
  /** PGlite data directory (the database lives in `<dataDir>/pglite`); `memory://` keeps it in memory. */
  dataDir?: string;
}

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
  close(): Promise<void>;
}

const OID_INT8 = 20;
const OID_DATE = 1082;

export async function openDatabase(opts: OpenDatabaseOptions = {}): Promise<DatabaseHandle> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl);
  return openPglite(opts.dataDir ?? './data');
}

async function openPostgres(url: string): Promise<DatabaseHandle> {
  const pg = await import('pg');
  const { types } = pg.default;
  const pool = new pg.default.Pool({
    connectionString: url,
    max: 10,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === OID_DATE) return (v: string) => v;
        if (oid === OID_INT8) return (v: string) => Number(v);
        return format ? types.getTypeParser(oid, format) : types.getTypeParser(oid);
      }) as typeof types.getTypeParser,
    },
  });
  // A connection the server closes while it is idle in the pool (server restart, pg_terminate_backend, DROP DATABASE
  // … WITH (FORCE) while the pool is ending) is reported as an 'error' event of the pool; with no listener Node treats
  // it as an uncaught exception and the whole process dies. The pool has already dropped that client and opens a new
  // one for the next query, so this is a warning, not a crash.
  pool.on('error', (err) => {
    console.warn(`PostgreSQL: сервер закрыл простаивающее соединение (${err.message}); следующий запрос откроет новое.`);
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgres', close: () => db.destroy() };
}

async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  const [{ PGlite }, { PGliteDialect }] = await Promise.all([import('@electric-sql/pglite'), import('kysely-pglite-dialect')]);
  let location: string | undefined;
  if (dataDir !== 'memory://') {
    const { mkdir } = await import('node:fs/promises');
    const path = await import('node:path');
    location = path.resolve(dataDir, 'pglite');
    await mkdir(location, { recursive: true });
  }
  const client = await PGlite.create({
    dataDir: location,
    parsers: { [OID_DATE]: (v: string) => v, [OID_INT8]: (v: string) => Number(v) },
  });
  // PGlite runs each query to its end inside this process, and its promises settle without a turn of the event loop:
  // a service's sequence of queries (a campaign's recompute, a report) held every other request until its last one.
  // After each query the event loop runs what waits (other requests, timers), as a server's network reply would let it.
  const yielding = {
    query: async (text: string, params?: unknown[]) => {
      const result = await client.query(text, params);
      await setImmediate();
      return result;
    },
    close: () => client.close(),
  };
  const db = new Kysely<Database>({ dialect: new PGliteDialect(yielding as unknown as typeof client) });
  // Kysely's destroy() closes the PGlite instance through the driver.
  return { db, kind: 'pglite', close: () => db.destroy() };
}
