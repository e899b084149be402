/** A server process serves everyone: a service that runs many queries one after another (a campaign's recompute, a
 * report, an open selection of the analysis page) must let other requests in between them. A server's network replies
 * do; embedded PGlite answers inside this process, and its promises settle without a turn of the event loop, so the
 * connection (src/db/connection.ts) lets the event loop run after each query. Checked on both engines: the event loop
 * gets a turn per query at least (turnCounter). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { turnCounter } from '../support/event-loop.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from './helpers.ts';

describe.each(BACKENDS)('turns of the event loop between queries on %s', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it('a sequence of queries lets the event loop run after each one, in a transaction too', async () => {
    const plain = turnCounter();
    for (let i = 0; i < 20; i++) expect((await sql<{ n: number }>`select ${i}::int as n`.execute(database.db)).rows[0]?.n).toBe(i);
    expect(plain.stop()).toBeGreaterThanOrEqual(20);
    const inTransaction = turnCounter();
    await database.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 20; i++) await sql`select 1`.execute(trx);
    });
    expect(inTransaction.stop()).toBeGreaterThanOrEqual(20);
  });
});
