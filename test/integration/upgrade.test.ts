/** Upgrades: a PGlite database made by the first released schema (migrations 0001–0005, with data; fixture
 * `test/fixtures/schema-0005.pglite.tar.gz` from `make-schema-0005.ts`) is migrated to the latest schema — whatever
 * migrations exist by then — and every fact of the fixture must survive; the application then works on it. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { openDatabase, type DatabaseHandle } from '../../src/db/connection.ts';
import { migrateToLatest, migrations } from '../../src/db/migrate.ts';
import { FIXTURE_COUNTS, IDS, SCHEMA_0005_MIGRATIONS } from '../fixtures/schema-0005.ts';
import { Client, buildTestApp } from './helpers.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/schema-0005.pglite.tar.gz', import.meta.url));

describe('upgrade from schema 0005 (PGlite fixture with data)', () => {
  let dir: string;
  let database: DatabaseHandle;
  let applied: string[];
  let app: FastifyInstance;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'msoko-upgrade-'));
    const { PGlite } = await import('@electric-sql/pglite');
    const loaded = await PGlite.create({ dataDir: path.join(dir, 'pglite'), loadDataDir: new Blob([readFileSync(FIXTURE)]) });
    await loaded.close();
    database = await openDatabase({ dataDir: dir });
    const before = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(database.db);
    expect(before.rows.map((r) => r.name)).toEqual(SCHEMA_0005_MIGRATIONS);
    applied = (await migrateToLatest(database.db)).applied;
    app = (await buildTestApp(database)).app;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await database?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('applies every migration after 0005, in order, and ends at the latest schema', async () => {
    const later = Object.keys(migrations).filter((m) => !SCHEMA_0005_MIGRATIONS.includes(m));
    expect(applied).toEqual(later);
    const after = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(database.db);
    expect(after.rows.map((r) => r.name)).toEqual(Object.keys(migrations).sort());
  });

  it('keeps every row of the old schema', async () => {
    for (const [table, n] of Object.entries(FIXTURE_COUNTS)) {
      const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(database.db);
      expect(r.rows[0]?.n, table).toBe(n);
    }
    const history = await database.db.selectFrom('value_history').select(['input', 'value']).where('input', '=', 'programmes').orderBy('id').execute();
    expect(history.map((h) => h.value)).toEqual([40, 45]);
    const closed = await database.db.selectFrom('organisations').select(['status', 'closed_at', 'close_reason']).where('id', '=', IDS.org48).executeTakeFirstOrThrow();
    expect(closed).toEqual({ status: 'closed', closed_at: '2022-03-31', close_reason: 'Реорганизация' });
  });

  it('the application works on the upgraded database: sign-in, forms with history, survey results, new writes, append-only guards', async () => {
    const oo1 = new Client(app, '10.60.0.1');
    expect((await oo1.login('oo1')).statusCode).toBe(200);
    const form = await oo1.get(`/api/campaigns/${IDS.campaign}/organisations/${IDS.org1}`);
    expect(form.statusCode, form.body).toBe(200);
    const view = form.json();
    expect(view.status).toBe('submitted');
    expect(Object.fromEntries(Object.entries(view.values as Record<string, { value: unknown }>).map(([k, v]) => [k, v.value]))).toEqual({ students: 812, programmes: 45, surveyed_students: 700 });
    const history = await oo1.get(`/api/campaigns/${IDS.campaign}/organisations/${IDS.org1}/history`);
    expect(history.statusCode).toBe(200);

    const analyst = new Client(app, '10.60.0.2');
    expect((await analyst.login('analyst')).statusCode).toBe(200);
    const returned = await analyst.post(`/api/campaigns/${IDS.campaign}/organisations/${IDS.org1}/return`, { comment: 'Проверьте число программ' });
    expect(returned.statusCode, returned.body).toBe(200);
    const put = await oo1.request('PUT', `/api/campaigns/${IDS.campaign}/organisations/${IDS.org1}/values`, { values: { programmes: { value: 47 } }, source: 'form' });
    expect(put.statusCode, put.body).toBe(200);
    const values = await database.db.selectFrom('value_history').select('value').where('input', '=', 'programmes').orderBy('id').execute();
    expect(values.map((v) => v.value)).toEqual([40, 45, 47]);

    const results = await analyst.get(`/api/surveys/${IDS.survey}/results`);
    expect(results.statusCode, results.body).toBe(200);
    expect(JSON.stringify(results.json())).toContain('СОШ № 1');
    const recs = await oo1.get('/api/recommendations');
    expect(recs.json().items.map((r: { id: string }) => r.id)).toEqual([IDS.recommendation]);

    await expect(sql`update value_history set value = '1'`.execute(database.db)).rejects.toThrow(/только для добавления/);
  }, 60_000);
});
