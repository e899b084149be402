/** Backup and restore: a database filled through the services is backed up, restored into an empty instance on each
 * engine (and across engines), and EVERY table (enumerated from the catalog, so new tables are covered) is compared
 * row by row in its PostgreSQL text form. Also: refusals (non-empty target, newer schema, damaged file) leave the
 * target unchanged; replacing a non-empty database works through the append-only triggers; the CLI round-trips. */
import { cpSync, createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { NOT_BACKED_UP, restoreBackup, writeBackup } from '../../src/services/admin/backup.ts';
import { ServiceError } from '../../src/services/errors.ts';
import type { DatabaseKind } from '../../src/db/connection.ts';
import { BACKENDS, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';
import { fillThroughServices } from './fill.ts';

const ACTOR = { userId: null, login: 'test', ip: null };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function catalogTables(db: Kysely<any>): Promise<string[]> {
  const r = await sql<{ t: string }>`select table_name as t from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1`.execute(db);
  return r.rows.map((x) => x.t);
}

/** Every row of a table as its PostgreSQL text form, sorted — engine-independent (timestamps in UTC). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function tableRows(db: Kysely<any>, table: string): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    await sql`set local timezone = 'UTC'`.execute(trx);
    const r = await sql<{ r: string }>`select t::text as r from ${sql.table(table)} t order by 1`.execute(trx);
    return r.rows.map((x) => x.r);
  });
}

describe('backup and restore', () => {
  let dir: string;
  const sources = new Map<DatabaseKind, { database: TestDatabase; app: FastifyInstance; file: string }>();
  const targets: TestDatabase[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'msoko-backup-'));
    for (const kind of BACKENDS) {
      const database = await openTestDatabase(kind);
      const app = (await buildTestApp(database)).app;
      await fillThroughServices(database, app);
      const file = path.join(dir, `${kind}.msoko-backup.gz`);
      const summary = await writeBackup(database.db, kind, createWriteStream(file), ACTOR);
      expect(summary.tables.value_history).toBeGreaterThanOrEqual(5);
      sources.set(kind, { database, app, file });
    }
  }, 240_000);
  afterAll(async () => {
    for (const s of sources.values()) {
      await s.app.close();
      await s.database.dispose();
    }
    for (const t of targets) await t.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const pairs = BACKENDS.flatMap((from) => BACKENDS.map((to) => [from, to] as const));
  it.each(pairs)('restores a backup made on %s into an empty %s database, every table equal row by row', async (from, to) => {
    const source = sources.get(from)!;
    const target = await openTestDatabase(to);
    targets.push(target);
    const outcome = await restoreBackup(target.db, createReadStream(source.file), { actor: ACTOR, fileName: 'x.gz' });
    const tables = await catalogTables(source.database.db);
    expect(await catalogTables(target.db)).toEqual(tables);
    const compared = tables.filter((t) => !NOT_BACKED_UP.includes(t));
    expect(tables.filter((t) => NOT_BACKED_UP.includes(t)).sort()).toEqual(['campaign_participation', 'kysely_migration', 'kysely_migration_lock', 'sessions']);
    // campaign_participation (0012) is derived: not in the file, rebuilt by its triggers from the restored participants.
    const participation = await tableRows(source.database.db, 'campaign_participation');
    expect(participation.length).toBeGreaterThan(0);
    expect(await tableRows(target.db, 'campaign_participation')).toEqual(participation);
    expect(Object.keys(outcome.tables).sort()).toEqual(compared);
    const nonEmpty: string[] = [];
    for (const t of compared) {
      const a = await tableRows(source.database.db, t);
      const b = await tableRows(target.db, t);
      if (t === 'audit_log') {
        // The restore appends its own audit row to the restored log; everything before it is the source's.
        const last = await target.db.selectFrom('audit_log').select(['action', 'actor_login']).orderBy('id', 'desc').executeTakeFirstOrThrow();
        expect(last).toEqual({ action: 'backup.restore', actor_login: 'test' });
        expect(b.length).toBe(a.length + 1);
        const restoreRow = (await target.db.selectFrom('audit_log').select(sql<string>`audit_log::text`.as('r')).orderBy('id', 'desc').executeTakeFirstOrThrow()).r;
        expect(b.filter((r) => r !== restoreRow)).toEqual(a);
      } else {
        expect(b, `таблица ${t}`).toEqual(a);
      }
      if (a.length) nonEmpty.push(t);
    }
    // The fill reached every part of the schema it is meant to cover.
    expect(nonEmpty).toEqual(expect.arrayContaining(['organisations', 'users', 'campaigns', 'value_history', 'submission_events', 'campaign_events',
      'survey_responses', 'survey_answers', 'survey_codes', 'roadmap_events', 'roadmap_completions', 'recommendations', 'recommendation_events',
      'decisions', 'decision_recommendations', 'audit_log']));
    // Sequences continue after the restored ids: the restored database takes new writes.
    const maxId = (await target.db.selectFrom('value_history').select(sql<number>`max(id)::int`.as('m')).executeTakeFirstOrThrow()).m;
    const app = (await buildTestApp(target)).app;
    try {
      const { Client } = await import('./helpers.ts');
      const analyst = new Client(app, '10.50.0.1');
      expect((await analyst.login('analyst')).statusCode).toBe(200);
      const c = (await analyst.get('/api/campaigns')).json().items[0] as { id: string };
      const org1 = (await target.db.selectFrom('organisations').select('id').where('no', '=', 2).executeTakeFirstOrThrow()).id;
      const put = await analyst.request('PUT', `/api/campaigns/${c.id}/organisations/${org1}/values`, { values: { students: { value: 100 } }, source: 'form' });
      expect(put.statusCode, put.body).toBe(200);
      const newId = (await target.db.selectFrom('value_history').select(sql<number>`max(id)::int`.as('m')).executeTakeFirstOrThrow()).m;
      expect(newId).toBe(maxId + 1);
    } finally {
      await app.close();
    }
  }, 120_000);

  it('refuses a non-empty database, a newer schema and a damaged file — and changes nothing', async () => {
    const kind = BACKENDS[0]!;
    const source = sources.get(kind)!;
    const before = await tableRows(source.database.db, 'organisations');
    const err = await restoreBackup(source.database.db, createReadStream(source.file), { actor: ACTOR }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceError);
    expect((err as ServiceError).code).toBe('DATABASE_NOT_EMPTY');
    expect((err as Error).message).toMatch(/^База данных не пуста \(есть записи в таблицах: audit_log, .*--replace/);

    const lines = gunzipSync(readFileSync(source.file)).toString('utf8').split('\n');
    const header = JSON.parse(lines[0]!);
    const newer = gzipSync([JSON.stringify({ ...header, msokoVersion: '9.0.0', migrations: [...header.migrations, '9999_future'] }), ...lines.slice(1)].join('\n'));
    const target = await openTestDatabase(kind);
    targets.push(target);
    const e2 = await restoreBackup(target.db, Readable.from([newer]), { actor: ACTOR }).catch((e: unknown) => e);
    expect((e2 as Error).message).toBe('Резервная копия сделана более новой версией МСОКО (9.0.0): в ней миграции схемы, неизвестные этой версии — 9999_future. Обновите МСОКО и повторите восстановление.');

    const truncated = gzipSync(lines.slice(0, Math.floor(lines.length / 2)).join('\n'));
    const e3 = await restoreBackup(target.db, Readable.from([truncated]), { actor: ACTOR }).catch((e: unknown) => e);
    expect((e3 as Error).message).toBe('Резервная копия оборвана (нет завершающей записи) — файл неполный');
    const e4 = await restoreBackup(target.db, Readable.from([Buffer.from('not gzip')]), { actor: ACTOR }).catch((e: unknown) => e);
    expect((e4 as Error).message).toMatch(/^Файл не читается как резервная копия \(gzip\)/);
    // A row that violates a constraint fails the whole restore: nothing is written.
    const broken = lines.map((l) => l.includes('"ЦДТ «Радуга»"') ? l.replace('"0261001234"', '"12"') : l).join('\n');
    const e5 = await restoreBackup(target.db, Readable.from([gzipSync(broken)]), { actor: ACTOR }).catch((e: unknown) => e);
    expect(String((e5 as Error).message)).toMatch(/inn/);
    for (const t of (await catalogTables(target.db)).filter((x) => !x.startsWith('kysely_'))) expect(await tableRows(target.db, t), t).toEqual([]);
    expect(await tableRows(source.database.db, 'organisations')).toEqual(before);
  }, 120_000);

  it('replaces the data of a non-empty database when asked (append-only tables included), in one transaction', async () => {
    const kind = BACKENDS[0]!;
    const source = sources.get(kind)!;
    const target = await openTestDatabase(kind);
    targets.push(target);
    await restoreBackup(target.db, createReadStream(source.file), { actor: ACTOR });
    await target.db.deleteFrom('survey_answers').execute(); // a change the replace must undo
    const r = await restoreBackup(target.db, createReadStream(source.file), { actor: ACTOR, replace: true });
    expect(r.tables.value_history).toBe((await tableRows(source.database.db, 'value_history')).length);
    for (const t of ['value_history', 'submission_events', 'survey_answers', 'organisations']) {
      expect(await tableRows(target.db, t), t).toEqual(await tableRows(source.database.db, t));
    }
    // The append-only guards are back on after the replace.
    await expect(sql`delete from value_history`.execute(target.db)).rejects.toThrow(/только для добавления/);
  }, 120_000);

  it('the admin page downloads a backup and restores one with confirmation; both audited; other roles refused', async () => {
    const kind = BACKENDS[0]!;
    const target = await openTestDatabase(kind);
    targets.push(target);
    await restoreBackup(target.db, createReadStream(sources.get(kind)!.file), { actor: ACTOR });
    const app = (await buildTestApp(target)).app;
    try {
      const { Client } = await import('./helpers.ts');
      const admin = new Client(app, '10.51.0.1');
      const analyst = new Client(app, '10.51.0.2');
      expect((await admin.login('admin')).statusCode).toBe(200);
      expect((await analyst.login('analyst')).statusCode).toBe(200);
      expect((await analyst.get('/api/admin/backup')).statusCode).toBe(403);
      const download = await admin.get('/api/admin/backup');
      expect(download.statusCode).toBe(200);
      expect(download.headers['content-type']).toBe('application/gzip');
      expect(String(download.headers['content-disposition'])).toMatch(/^attachment; filename="msoko-\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d\.msoko-backup\.gz"$/);
      const first = JSON.parse(gunzipSync(download.rawPayload).toString('utf8').split('\n')[0]!);
      expect(first).toMatchObject({ format: 'msoko-backup', formatVersion: 1, engine: kind });
      const orgsBefore = await tableRows(target.db, 'organisations');
      await target.db.updateTable('organisations').set({ short_name: 'Изменено после копии' }).where('no', '=', 1).execute();

      const boundary = 'msoko-backup-boundary';
      const form = (confirm: string) => ({
        payload: Buffer.concat([
          Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="confirm"\r\n\r\n${confirm}\r\n`),
          Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="copy.msoko-backup.gz"\r\nContent-Type: application/gzip\r\n\r\n`),
          download.rawPayload, Buffer.from(`\r\n--${boundary}--\r\n`),
        ]),
        type: `multipart/form-data; boundary=${boundary}`,
      });
      const send = async (client: InstanceType<typeof Client>, confirm: string) => {
        const csrf = (await client.get('/api/auth/csrf')).json().token as string;
        const f = form(confirm);
        return app.inject({ method: 'POST', url: '/api/admin/restore', payload: f.payload, remoteAddress: '10.51.0.9',
          headers: { 'content-type': f.type, 'x-csrf-token': csrf, cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
      };
      expect((await send(analyst, 'ЗАМЕНИТЬ')).statusCode).toBe(403);
      const unconfirmed = await send(admin, 'да');
      expect(unconfirmed.statusCode).toBe(400);
      expect(unconfirmed.json().error.message).toBe('Подтвердите замену всех данных: введите слово «ЗАМЕНИТЬ»');
      expect((await target.db.selectFrom('organisations').select('short_name').where('no', '=', 1).executeTakeFirstOrThrow()).short_name).toBe('Изменено после копии');
      const restored = await send(admin, 'ЗАМЕНИТЬ');
      expect(restored.statusCode, restored.body).toBe(200);
      expect(restored.json().rows).toBeGreaterThan(100);
      expect(await tableRows(target.db, 'organisations')).toEqual(orgsBefore);
      const audit = await target.db.selectFrom('audit_log').select(['action', 'actor_login']).where('action', 'like', 'backup.%').orderBy('id').execute();
      expect(audit.slice(-2)).toEqual([{ action: 'backup.create', actor_login: 'admin' }, { action: 'backup.restore', actor_login: 'admin' }]);
      // Sessions went with the old data: the administrator signs in again.
      expect((await admin.get('/api/admin/backup')).statusCode).toBe(401);
    } finally {
      await app.close();
    }
  }, 120_000);

  it('the CLI backs up and restores (msoko backup FILE, msoko restore FILE)', async () => {
    const { execFileSync, spawnSync } = await import('node:child_process');
    const bin = path.resolve('bin/msoko.js');
    const a = path.join(dir, 'cli-a');
    const b = path.join(dir, 'cli-b');
    const file = path.join(dir, 'cli.msoko-backup.gz');
    // Both directories start as copies of the migrated template (no initdb in the child processes).
    cpSync(inject('pgliteTemplate'), a, { recursive: true });
    cpSync(inject('pgliteTemplate'), b, { recursive: true });
    const env = { ...process.env, DATABASE_URL: '', MSOKO_DATA_DIR: a };
    execFileSync('node', [bin, 'demo'], { env });
    const out = execFileSync('node', [bin, 'backup', file], { env }).toString();
    expect(out).toMatch(/^Резервная копия сохранена: .*cli\.msoko-backup\.gz — таблиц \d+, записей \d+/);
    const restored = execFileSync('node', [bin, 'restore', file], { env: { ...env, MSOKO_DATA_DIR: b } }).toString();
    expect(restored).toMatch(/Восстановлено из .*: таблиц \d+, записей \d+/);
    const again = spawnSync('node', [bin, 'restore', file], { env: { ...env, MSOKO_DATA_DIR: b } });
    expect(again.status).toBe(1);
    expect(again.stderr.toString()).toContain('База данных не пуста');
  }, 180_000);
});
