import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { migrateToLatest, migrations } from '../../src/db/migrate.ts';
import { createOrganisation, listOrganisations } from '../../src/services/registry/registry.ts';
import { createUser } from '../../src/services/admin/users.ts';
import { SYSTEM_ACTOR, ServiceError } from '../../src/services/errors.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from './helpers.ts';

describe.each(BACKENDS)('database on %s', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it('has every migration applied, and migrating again applies nothing', async () => {
    expect(database.kind).toBe(kind);
    const done = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(database.db);
    expect(done.rows.map((r) => r.name)).toEqual(Object.keys(migrations).sort());
    expect(await migrateToLatest(database.db)).toEqual({ applied: [] });
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables where table_schema = current_schema() and table_name not like 'kysely%' order by 1`.execute(database.db);
    expect(tables.rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['audit_log', 'login_attempts', 'methodology_versions', 'municipalities', 'organisations', 'sessions', 'users']),
    );
  });

  it('returns dates as calendar strings and bigints as numbers on both drivers', async () => {
    const org = await createOrganisation(database.db, SYSTEM_ACTOR, { shortName: 'Т', fullName: 'Тестовая', type: 'school', openedAt: '2020-01-31' });
    expect(org.openedAt).toBe('2020-01-31');
    const audit = await database.db.selectFrom('audit_log').select(['id', 'at']).where('target_id', '=', org.id).executeTakeFirstOrThrow();
    expect(typeof audit.id).toBe('number');
    expect(audit.at).toBeInstanceOf(Date);
  });

  it('enforces the constraints in the database too (ИНН format, closed ⇔ closed_at, org_rep needs an organisation)', async () => {
    const [org] = await listOrganisations(database.db);
    await expect(database.db.updateTable('organisations').set({ inn: '123' }).where('id', '=', org!.id).execute()).rejects.toThrow();
    await expect(database.db.updateTable('organisations').set({ status: 'closed' }).where('id', '=', org!.id).execute()).rejects.toThrow();
    await expect(
      database.db.insertInto('users').values({ login: 'x', full_name: 'x', password_hash: 'x', role: 'org_rep', organisation_id: null, municipality_id: null }).execute(),
    ).rejects.toThrow();
  });

  it('creates users with argon2id hashes and refuses an org_rep without an organisation', async () => {
    const u = await createUser(database.db, SYSTEM_ACTOR, { login: 'ivanova', fullName: 'Иванова И. И.', role: 'analyst', password: 'долгий-пароль' });
    const row = await database.db.selectFrom('users').select('password_hash').where('id', '=', u.id).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    const err = await createUser(database.db, SYSTEM_ACTOR, { login: 'rep', fullName: 'Р', role: 'org_rep', password: '12345678' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceError);
    expect((err as ServiceError).fields).toEqual([{ path: 'organisationId', message: 'Для представителя ОО укажите организацию' }]);
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)('PostgreSQL server: an idle connection the server closes', () => {
  it('is a warning, not an uncaught exception: the pool opens a new connection for the next query', async () => {
    const database = await openTestDatabase('postgres');
    try {
      const pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(database.db)).rows[0]!.pid;
      // The connection is idle in the pool now; terminate it from another session, as a server restart or
      // `DROP DATABASE … WITH (FORCE)` would. Without the pool's error listener the process gets an uncaught
      // 'error' event (vitest reports it and the run fails).
      const pg = (await import('pg')).default;
      const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await admin.connect();
      const warned = new Promise<string>((resolve) => {
        const original = console.warn;
        console.warn = (...args: unknown[]) => { console.warn = original; resolve(String(args[0])); };
      });
      await admin.query('select pg_terminate_backend($1)', [pid]);
      await admin.end();
      expect(await warned).toMatch(/^PostgreSQL: сервер закрыл простаивающее соединение/);
      const next = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(database.db)).rows[0]!.pid;
      expect(next).not.toBe(pid);
    } finally {
      await database.dispose();
    }
  });
});
