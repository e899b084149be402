/** Logical backup and restore, the same format for PGlite and a PostgreSQL server, so a backup from one engine
 * restores into the other.
 *
 * Format: gzip of JSON lines. Line 1 is the header (`format`, `formatVersion`, msoko version, engine, time, the
 * schema's applied migrations). Then for each table, in foreign-key dependency order, a line `{"table", "columns"}`
 * followed by one line per row — a JSON array of the columns' PostgreSQL text representations (`col::text`, null
 * for NULL), which cast back to the column's type losslessly on either engine. The last line is the trailer with the
 * row count of every table, so a truncated file is refused.
 *
 * Tables are enumerated from the catalog, so tables added by later migrations are covered automatically. Not
 * copied: Kysely's migration bookkeeping (the target is migrated by the code) and `sessions` (live sign-in tokens
 * must not travel in a file; after a restore everybody signs in again).
 *
 * Restore runs in ONE transaction: all rows or none. The append-only triggers of migration 0005 only forbid UPDATE,
 * DELETE and TRUNCATE, so restoring INSERTs pass; replacing the data of a non-empty database (`replace`) disables
 * the user triggers of the tables inside that transaction (DDL is transactional in PostgreSQL) and deletes all rows. */
import { createGunzip, createGzip } from 'node:zlib';
import { createInterface } from 'node:readline';
import { Writable, type Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { Migrator, sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { migrations, migrateToLatest } from '../../db/migrate.ts';
import { recordAudit } from './audit.ts';
import { ServiceError, type Actor } from '../errors.ts';

export const BACKUP_FORMAT = 'msoko-backup';
export const BACKUP_FORMAT_VERSION = 1;
export const MSOKO_VERSION = '0.1.0';
/** Tables never copied: migration bookkeeping, live sessions, and `campaign_participation` (0012) — derived, its
 * triggers rebuild it from the restored `campaign_organisations` (restoring it too would count twice). */
export const NOT_BACKED_UP: readonly string[] = ['kysely_migration', 'kysely_migration_lock', 'sessions', 'campaign_participation'];
const BATCH_ROWS = 2000;

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  formatVersion: number;
  msokoVersion: string;
  engine: string;
  createdAt: string;
  migrations: string[];
}

export interface BackupSummary {
  header: BackupHeader;
  tables: Record<string, number>;
}

// Backups work on any table of the schema, not only those the Database type knows.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

interface ColumnInfo { name: string; type: string }

/** Base tables of the current schema in foreign-key dependency order (referenced tables first). */
export async function backupTables(db: AnyDb): Promise<string[]> {
  const tables = (await sql<{ name: string }>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema() and c.relkind in ('r', 'p') order by c.relname`.execute(db)).rows
    .map((r) => r.name)
    .filter((t) => !NOT_BACKED_UP.includes(t));
  const deps = (await sql<{ child: string; parent: string }>`
    select c.relname as child, p.relname as parent from pg_constraint k
    join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid
    join pg_namespace n on n.oid = c.relnamespace
    where k.contype = 'f' and n.nspname = current_schema()`.execute(db)).rows;
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (t: string) => {
    if (state.get(t) === 'done' || state.get(t) === 'visiting') return; // a cycle or self-reference: keep going
    state.set(t, 'visiting');
    for (const d of deps) if (d.child === t && d.parent !== t && tables.includes(d.parent)) visit(d.parent);
    state.set(t, 'done');
    order.push(t);
  };
  for (const t of tables) visit(t);
  return order;
}

async function columnsOf(db: AnyDb, table: string): Promise<ColumnInfo[]> {
  return (await sql<ColumnInfo>`
    select a.attname as name, format_type(a.atttypid, a.atttypmod) as type from pg_attribute a
    join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema() and c.relname = ${table} and a.attnum > 0 and not a.attisdropped
      and a.attgenerated = '' order by a.attnum`.execute(db)).rows;
}

async function appliedMigrations(db: AnyDb): Promise<string[]> {
  const exists = await sql<{ t: string | null }>`select to_regclass('kysely_migration')::text as t`.execute(db);
  if (!exists.rows[0]?.t) return [];
  return (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)).rows.map((r) => r.name);
}

/** Writes a backup of the whole database to `out` (gzip'd JSON lines) from one consistent snapshot. */
export async function writeBackup(db: Kysely<Database>, engine: string, out: Writable, actor: Actor, now = new Date()): Promise<BackupSummary> {
  // The export of non-public data is audited; the row is written first, so the backup contains it.
  await recordAudit(db, actor, { action: 'backup.create', targetType: 'database', details: { engine } });
  const gzip = createGzip();
  gzip.pipe(out);
  const write = async (obj: unknown) => {
    if (!gzip.write(`${JSON.stringify(obj)}\n`)) await new Promise((r) => gzip.once('drain', r));
  };
  const summary = await db.transaction().setIsolationLevel('repeatable read').execute(async (trx) => {
    await sql`set local timezone = 'UTC'`.execute(trx);
    await sql`set local datestyle = 'ISO, YMD'`.execute(trx);
    await sql`set local intervalstyle = 'postgres'`.execute(trx);
    await sql`set local extra_float_digits = 3`.execute(trx);
    const header: BackupHeader = {
      format: BACKUP_FORMAT, formatVersion: BACKUP_FORMAT_VERSION, msokoVersion: MSOKO_VERSION, engine,
      createdAt: now.toISOString(), migrations: await appliedMigrations(trx),
    };
    await write(header);
    const counts: Record<string, number> = {};
    for (const table of await backupTables(trx)) {
      const columns = await columnsOf(trx, table);
      await write({ table, columns: columns.map((c) => c.name) });
      const list = sql.join(columns.map((c) => sql`${sql.ref(c.name)}::text`));
      const order = sql.join(columns.map((_c, i) => sql.raw(String(i + 1))));
      let n = 0;
      for (let offset = 0; ; offset += BATCH_ROWS) {
        const rows = (await sql<Record<string, string | null>>`select ${list} from ${sql.table(table)} order by ${order} limit ${BATCH_ROWS} offset ${offset}`.execute(trx)).rows;
        for (const r of rows) await write(Object.values(r));
        n += rows.length;
        if (rows.length < BATCH_ROWS) break;
      }
      counts[table] = n;
    }
    await write({ end: true, tables: counts });
    return { header, tables: counts };
  });
  gzip.end();
  await finished(out);
  return summary;
}

function bad(message: string): ServiceError {
  return new ServiceError('validation', 'BACKUP_INVALID', message);
}

/** Parsed backup, held in memory table by table (a municipality's database is tens of megabytes). */
interface ParsedBackup {
  header: BackupHeader;
  tables: { table: string; columns: string[]; rows: (string | null)[][] }[];
}

export async function readBackup(input: Readable): Promise<ParsedBackup> {
  const gunzip = createGunzip();
  const lines = createInterface({ input: input.pipe(gunzip), crlfDelay: Infinity });
  let header: BackupHeader | null = null;
  const tables: ParsedBackup['tables'] = [];
  let trailer: { tables: Record<string, number> } | null = null;
  let lineNo = 0;
  try {
    for await (const line of lines) {
      lineNo++;
      if (trailer) throw bad(`строка ${lineNo}: данные после окончания резервной копии`);
      let obj: unknown;
      try {
        obj = JSON.parse(line);
      } catch {
        throw bad(`строка ${lineNo}: не JSON — файл повреждён`);
      }
      if (!header) {
        const h = obj as Partial<BackupHeader>;
        if (h?.format !== BACKUP_FORMAT) throw bad('Это не резервная копия МСОКО (нет заголовка msoko-backup)');
        if (h.formatVersion !== BACKUP_FORMAT_VERSION) throw bad(`Формат резервной копии версии ${String(h.formatVersion)} не поддерживается (ожидается ${BACKUP_FORMAT_VERSION})`);
        if (!Array.isArray(h.migrations)) throw bad('В заголовке резервной копии нет списка миграций');
        header = h as BackupHeader;
        continue;
      }
      if (Array.isArray(obj)) {
        const current = tables.at(-1);
        if (!current) throw bad(`строка ${lineNo}: строка данных до имени таблицы`);
        if (obj.length !== current.columns.length || !obj.every((v) => v === null || typeof v === 'string')) {
          throw bad(`строка ${lineNo}: таблица ${current.table} — ожидалось ${current.columns.length} значений`);
        }
        current.rows.push(obj as (string | null)[]);
      } else if (obj && typeof obj === 'object' && 'table' in obj) {
        const t = obj as { table: unknown; columns: unknown };
        if (typeof t.table !== 'string' || !Array.isArray(t.columns) || !t.columns.every((c) => typeof c === 'string')) throw bad(`строка ${lineNo}: неверное описание таблицы`);
        tables.push({ table: t.table, columns: t.columns as string[], rows: [] });
      } else if (obj && typeof obj === 'object' && 'end' in obj) {
        trailer = obj as unknown as { tables: Record<string, number> };
      } else throw bad(`строка ${lineNo}: непонятная запись`);
    }
  } catch (e) {
    if (e instanceof ServiceError) throw e;
    throw bad(`Файл не читается как резервная копия (gzip): ${(e as Error).message}`);
  }
  if (!header) throw bad('Файл резервной копии пуст');
  if (!trailer) throw bad('Резервная копия оборвана (нет завершающей записи) — файл неполный');
  for (const t of tables) {
    if (trailer.tables?.[t.table] !== t.rows.length) throw bad(`Таблица ${t.table}: в файле ${t.rows.length} строк, а по итогу должно быть ${String(trailer.tables?.[t.table])}`);
  }
  return { header, tables };
}

export interface RestoreOptions {
  /** Replace the data of a non-empty database (default: refuse). */
  replace?: boolean;
  /** Recorded in the audit log of the restored database. */
  actor: Actor;
  fileName?: string;
}

export interface RestoreOutcome {
  header: BackupHeader;
  tables: Record<string, number>;
  migratedAfter: string[];
}

async function nonEmptyTables(db: AnyDb): Promise<string[]> {
  const out: string[] = [];
  for (const t of await backupTables(db)) {
    const r = await sql<{ x: number }>`select 1 as x from ${sql.table(t)} limit 1`.execute(db);
    if (r.rows.length) out.push(t);
  }
  return out;
}

/** Restores a backup. The schema is brought to the backup's migrations first (an empty database), or must already
 * contain them; a backup made by a NEWER schema than this program knows is refused. After the data, the remaining
 * migrations run, so an old backup restores into the current version. */
export async function restoreBackup(db: Kysely<Database>, input: Readable, opts: RestoreOptions): Promise<RestoreOutcome> {
  const backup = await readBackup(input);
  const known = Object.keys(migrations);
  const unknown = backup.header.migrations.filter((m) => !known.includes(m));
  if (unknown.length) {
    throw new ServiceError('conflict', 'BACKUP_NEWER_SCHEMA',
      `Резервная копия сделана более новой версией МСОКО (${backup.header.msokoVersion}): в ней миграции схемы, неизвестные этой версии — ${unknown.join(', ')}. Обновите МСОКО и повторите восстановление.`);
  }
  const applied = await appliedMigrations(db);
  const last = backup.header.migrations.at(-1);
  if (last && applied.every((m) => backup.header.migrations.includes(m)) && applied.length < backup.header.migrations.length) {
    const r = await new Migrator({ db, provider: { getMigrations: async () => migrations } }).migrateTo(last);
    if (r.error) throw new Error(`Миграция до ${last} не выполнена: ${(r.error as Error).message}`, { cause: r.error });
  }
  const busy = await nonEmptyTables(db);
  if (busy.length && !opts.replace) {
    throw new ServiceError('conflict', 'DATABASE_NOT_EMPTY',
      `База данных не пуста (есть записи в таблицах: ${busy.join(', ')}). Восстанавливайте в пустую базу или явно разрешите замену данных (--replace).`);
  }
  const tables = await db.transaction().execute(async (trx) => {
    const order = await backupTables(trx);
    if (busy.length) {
      // Disable user triggers (append-only guards) for this transaction only, then empty every table.
      for (const t of [...order, 'sessions']) await sql`alter table ${sql.table(t)} disable trigger user`.execute(trx);
      await sql`truncate ${sql.join([...order, 'sessions'].map((t) => sql.table(t)))} restart identity cascade`.execute(trx);
      for (const t of [...order, 'sessions']) await sql`alter table ${sql.table(t)} enable trigger user`.execute(trx);
    }
    const counts: Record<string, number> = {};
    const byName = new Map(backup.tables.map((t) => [t.table, t]));
    for (const name of backup.tables.map((t) => t.table)) {
      if (!order.includes(name)) throw bad(`В базе нет таблицы ${name} из резервной копии — схема не совпадает`);
    }
    // Insert in the target's dependency order (the file's order is the source's; they agree for the same schema).
    for (const table of order) {
      const t = byName.get(table);
      if (!t) continue;
      counts[table] = await insertRows(trx, t.table, t.columns, t.rows);
    }
    await resetSequences(trx);
    await recordAudit(trx, opts.actor, {
      action: 'backup.restore', targetType: 'database',
      details: { file: opts.fileName ?? null, replaced: busy.length > 0, from: { engine: backup.header.engine, createdAt: backup.header.createdAt, msokoVersion: backup.header.msokoVersion }, rows: counts },
    });
    return counts;
  });
  const { applied: migratedAfter } = await migrateToLatest(db);
  return { header: backup.header, tables, migratedAfter };
}

async function insertRows(trx: Transaction<Database>, table: string, columns: string[], rows: (string | null)[][]): Promise<number> {
  const target = new Map((await columnsOf(trx, table)).map((c) => [c.name, c.type]));
  const missing = columns.filter((c) => !target.has(c));
  if (missing.length) throw bad(`Таблица ${table}: в базе нет столбцов ${missing.join(', ')} из резервной копии — схема не совпадает`);
  const cols = sql.join(columns.map((c) => sql.ref(c)));
  const casts = sql.join(columns.map((c, i) => sql`(r->>${sql.lit(i)})::${sql.raw(target.get(c) as string)}`));
  for (let i = 0; i < rows.length; i += BATCH_ROWS) {
    const chunk = JSON.stringify(rows.slice(i, i + BATCH_ROWS));
    await sql`insert into ${sql.table(table)} (${cols}) overriding system value select ${casts} from jsonb_array_elements(${chunk}::jsonb) as r`.execute(trx);
  }
  return rows.length;
}

/** Moves every serial/identity sequence past the restored ids — past the highest id of every column that takes its
 * ids from it: `value_rows.id` (0020) draws from `value_history`'s sequence, so «latest» stays «highest id» across
 * both tables after a restore. */
async function resetSequences(trx: Transaction<Database>): Promise<void> {
  const seqs = (await sql<{ tbl: string; col: string; seq: string }>`
    select c.relname as tbl, a.attname as col, pg_get_serial_sequence(quote_ident(c.relname), a.attname) as seq
    from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema() and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped
      and pg_get_serial_sequence(quote_ident(c.relname), a.attname) is not null`.execute(trx)).rows;
  const sharing = (await sql<{ tbl: string; col: string; seq: string }>`
    select c.relname as tbl, a.attname as col, s.oid::text as seq
    from pg_depend d join pg_attrdef ad on d.classid = 'pg_attrdef'::regclass and d.objid = ad.oid
    join pg_class s on s.oid = d.refobjid and s.relkind = 'S'
    join pg_class c on c.oid = ad.adrelid join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = ad.adrelid and a.attnum = ad.adnum
    where n.nspname = current_schema() and c.relkind = 'r'`.execute(trx)).rows;
  for (const s of seqs) {
    const oid = (await sql<{ o: string }>`select ${s.seq}::regclass::oid::text as o`.execute(trx)).rows[0]?.o;
    const cols = [s, ...sharing.filter((x) => x.seq === oid && (x.tbl !== s.tbl || x.col !== s.col))];
    const highest = sql.join(cols.map((x) => sql`coalesce((select max(${sql.ref(x.col)}) from ${sql.table(x.tbl)}), 0)`));
    await sql`select setval(${s.seq}::regclass, greatest(${highest}) + 1, false)`.execute(trx);
  }
}

/** A backup into memory (for the admin page download). */
export async function backupToBuffer(db: Kysely<Database>, engine: string, actor: Actor): Promise<{ buffer: Buffer; summary: BackupSummary }> {
  const chunks: Buffer[] = [];
  const sink = new Writable({ write(chunk: Buffer, _enc, cb) { chunks.push(chunk); cb(); } });
  const summary = await writeBackup(db, engine, sink, actor);
  return { buffer: Buffer.concat(chunks), summary };
}

export function backupFileName(now = new Date()): string {
  return `msoko-${now.toISOString().slice(0, 19).replace(/[T:]/g, '-')}.msoko-backup.gz`;
}
