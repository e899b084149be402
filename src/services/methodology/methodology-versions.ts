/** Methodology versions: the built-in library (read-only files) plus versions uploaded by analysts (table
 * methodology_versions). Versions are immutable: an existing id + version is refused, never overwritten. */
import { readFile } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import type { Methodology } from '../../core/methodology/index.ts';
import type { Database } from '../../db/schema.ts';
import { recordAudit } from '../admin/audit.ts';
import { ServiceError, type Actor } from '../errors.ts';
import { cachedLibrary, listLibrary, parseMethodologyText, type DocError, type LocatedLint } from './methodology-library.ts';

export interface MethodologyVersionSummary {
  id: string;
  version: string;
  title: string;
  direction: string;
  source: 'library' | 'uploaded';
  createdAt: string | null;
  createdBy: string | null;
  /** Data tables the methodology accepts (0 — a passport without a computation: nothing to upload). */
  datasets: string[];
}

export interface MethodologyVersionDetail extends MethodologyVersionSummary {
  yaml: string;
  hash: string;
  methodology: Methodology;
  lint: LocatedLint[];
}

export type LintResult =
  | { ok: true; id: string; version: string; title: string; exists: boolean; lint: LocatedLint[] }
  | { ok: false; errors: DocError[] };

export const VERSION_EXISTS_MESSAGE = 'Версия уже существует — версии неизменяемы';

function datasetTitles(yaml: string): string[] {
  const parsed = parseMethodologyText(yaml);
  return parsed.ok ? Object.values(parsed.methodology.datasets ?? {}).map((d) => d.title) : [];
}

export async function listMethodologyVersions(db: Kysely<Database>): Promise<MethodologyVersionSummary[]> {
  const library: MethodologyVersionSummary[] = [];
  for (const e of await listLibrary()) {
    library.push({
      id: e.id,
      version: e.version,
      title: e.title,
      direction: e.direction,
      source: 'library',
      createdAt: null,
      createdBy: null,
      datasets: datasetTitles(await readFile(e.path, 'utf8')),
    });
  }
  const rows = await db
    .selectFrom('methodology_versions as m')
    .leftJoin('users as u', 'u.id', 'm.created_by')
    .select(['m.methodology_id', 'm.version', 'm.title', 'm.direction', 'm.created_at', 'm.source_yaml', 'u.login'])
    .orderBy('m.methodology_id')
    .orderBy('m.created_at')
    .execute();
  const uploaded = rows.map<MethodologyVersionSummary>((r) => ({
    id: r.methodology_id,
    version: r.version,
    title: r.title,
    direction: r.direction,
    source: 'uploaded',
    createdAt: new Date(r.created_at).toISOString(),
    createdBy: r.login ?? null,
    datasets: datasetTitles(r.source_yaml),
  }));
  return [...library, ...uploaded].sort(
    (a, b) => a.id.localeCompare(b.id) || a.version.localeCompare(b.version, 'en', { numeric: true }),
  );
}

async function exists(db: Kysely<Database>, id: string, version: string): Promise<boolean> {
  if ((await listLibrary()).some((e) => e.id === id && e.version === version)) return true;
  const row = await db
    .selectFrom('methodology_versions')
    .select('version')
    .where('methodology_id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return row !== undefined;
}

/** One version with its parsed document and lint; `not_found` when neither the library nor the table has it. */
export async function getMethodologyVersion(db: Kysely<Database>, id: string, version: string): Promise<MethodologyVersionDetail> {
  const doc = (await cachedLibrary()).find((d) => d.entry.id === id && d.entry.version === version);
  let summary: MethodologyVersionSummary;
  let yaml: string;
  if (doc) {
    yaml = doc.text;
    summary = { id, version, title: doc.entry.title, direction: doc.entry.direction, source: 'library', createdAt: null, createdBy: null, datasets: [] };
  } else {
    const row = await db
      .selectFrom('methodology_versions as m')
      .leftJoin('users as u', 'u.id', 'm.created_by')
      .select(['m.title', 'm.direction', 'm.source_yaml', 'm.created_at', 'u.login'])
      .where('m.methodology_id', '=', id)
      .where('m.version', '=', version)
      .executeTakeFirst();
    if (!row) throw new ServiceError('not_found', 'METHODOLOGY_NOT_FOUND', `Методика «${id}» версии ${version} не найдена`);
    yaml = row.source_yaml;
    summary = {
      id,
      version,
      title: row.title,
      direction: row.direction,
      source: 'uploaded',
      createdAt: new Date(row.created_at).toISOString(),
      createdBy: row.login ?? null,
      datasets: [],
    };
  }
  const parsed = doc ? doc.parsed : parseMethodologyText(yaml, `${id}@${version}`);
  if (!parsed.ok) throw new ServiceError('conflict', 'METHODOLOGY_UNREADABLE', `Методика «${id}» версии ${version} не читается`);
  const datasets = Object.values(parsed.methodology.datasets ?? {}).map((d) => d.title);
  return { ...summary, datasets, yaml, hash: parsed.hash, methodology: parsed.methodology, lint: parsed.lint };
}

/** Parses and lints a YAML text without writing anything. */
export async function lintMethodologyText(db: Kysely<Database>, yaml: string): Promise<LintResult> {
  const parsed = parseMethodologyText(yaml, 'методика');
  if (!parsed.ok) return { ok: false, errors: parsed.errors };
  const m = parsed.methodology;
  return { ok: true, id: m.id, version: m.version, title: m.title, exists: await exists(db, m.id, m.version), lint: parsed.lint };
}

function where(e: { line: number | null; column: number | null }): string {
  return e.line === null ? '' : `строка ${e.line}${e.column !== null ? `, позиция ${e.column}` : ''}: `;
}

/** Saves a new version (parse errors and lint errors refuse it; an existing id + version is a conflict); audited. */
export async function saveMethodologyVersion(db: Kysely<Database>, actor: Actor, yaml: string): Promise<MethodologyVersionDetail> {
  const parsed = parseMethodologyText(yaml, 'методика');
  if (!parsed.ok) {
    throw new ServiceError(
      'validation',
      'METHODOLOGY_INVALID',
      'Методика не прочитана — исправьте ошибки',
      parsed.errors.map((e) => ({ path: 'yaml', message: `${where(e)}${e.message}` })),
    );
  }
  const errors = parsed.lint.filter((l) => l.severity === 'error');
  if (errors.length) {
    throw new ServiceError(
      'validation',
      'METHODOLOGY_LINT_ERRORS',
      'Проверка нашла ошибки в методике — исправьте их перед сохранением',
      errors.map((e) => ({ path: 'yaml', message: `${where(e)}${e.message}` })),
    );
  }
  const m = parsed.methodology;
  if (await exists(db, m.id, m.version)) throw new ServiceError('conflict', 'METHODOLOGY_VERSION_EXISTS', VERSION_EXISTS_MESSAGE);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('methodology_versions')
      .values({
        methodology_id: m.id,
        version: m.version,
        title: m.title,
        direction: m.direction,
        source_yaml: yaml,
        content_hash: parsed.hash,
        created_by: actor.userId,
      })
      .execute()
      .catch((e: unknown) => {
        if ((e as { code?: string }).code === '23505') throw new ServiceError('conflict', 'METHODOLOGY_VERSION_EXISTS', VERSION_EXISTS_MESSAGE);
        throw e;
      });
    await recordAudit(trx, actor, {
      action: 'methodology.create',
      targetType: 'methodology',
      targetId: `${m.id}@${m.version}`,
      details: { title: m.title, hash: parsed.hash },
    });
  });
  return getMethodologyVersion(db, m.id, m.version);
}
