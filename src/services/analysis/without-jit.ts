/** Runs a read with PostgreSQL's JIT compilation off (issue 23). The planner prices the visibility filter of
 * `value_history_visible` far above its cost (about a million for 25 000 rows on a freshly loaded region), so reading
 * the current values of a batch of campaigns crossed the inlining and optimisation thresholds and PostgreSQL spent about
 * a second per batch compiling a query that runs in 50 ms. PGlite has no JIT; the setting is accepted and changes
 * nothing there. Inside a caller's transaction the read runs as is (the setting would outlive it). */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

export function withoutJit<T>(db: Kysely<Database>, read: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return read(db);
  return db.transaction().execute(async (trx) => {
    await sql`set local jit = off`.execute(trx);
    return read(trx);
  });
}
