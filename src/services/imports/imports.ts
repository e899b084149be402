/** Imports into a campaign (issue 5): upload a CSV/XLSX file (type decided by content, size-limited), choose the sheet,
 * map columns to the campaign's inputs and choose how rows find their organisation (ИНН, registry number, or name
 * with confirmation), preview the first rows with per-cell errors over a validation of the whole file, then apply as
 * a job (src/services/imports/import-apply.ts): all or nothing. Saved mappings are per methodology id, so next year's
 * campaign of the same methodology offers them. Every write is audited. */
import { createHash } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import {
  importSettingsSchema,
  importReportSchema,
  mappingSaveSchema,
  matchSettingsSchema,
  valueAliasesSchema,
  type ImportPreview,
  type ImportSettings,
  type ImportSummary,
  type ImportView,
  type SavedMapping,
} from '../../core/imports/schema.ts';
import { suggestSettings, type OrgRef } from '../../core/imports/match.ts';
import { checkSettings, ImportValidator } from '../../core/imports/validate.ts';
import { byteaAsBase64, byteaValue, fromBase64 } from '../../db/bytea.ts';
import type { Database, ImportsTable } from '../../db/schema.ts';
import { recordAudit } from '../admin/audit.ts';
import { campaignMethodology, findCampaignRow, type CampaignRecord } from '../collection/campaigns.ts';
import type { Table } from './datafile.ts';
import { ServiceError, parseInput, type Actor } from '../errors.ts';
import { readImportFile, sniffDataFile } from './import-file.ts';
import { enqueueJob, present as presentJob, type JobView } from './jobs.ts';
import { UUID } from '../../core/uuid.ts';
import { yieldToEventLoop } from '../event-loop.ts';

export const MAX_IMPORT_BYTES = Number(process.env.MSOKO_IMPORT_MAX_MB || 50) * 1024 * 1024;
export const IMPORT_JOB = 'import.apply';
const PREVIEW_ROWS = 20;

type ImportRow = Selectable<ImportsTable>;

/** An upload of ФИС ОКО reports (fisoko-import.ts) rather than one table. */
export const isFisOko = (settings: unknown): boolean => typeof settings === 'object' && settings !== null && (settings as { kind?: unknown }).kind === 'fisoko';

function summary(r: Omit<ImportRow, 'content'>, createdBy: string | null): ImportSummary {
  const report = r.report ? importReportSchema.safeParse(r.report) : null;
  const kind = isFisOko(r.settings) ? 'fisoko' : 'table';
  return {
    id: r.id,
    campaignId: r.campaign_id,
    kind,
    fileName: r.file_name,
    format: r.format,
    fileSize: r.file_size,
    sheets: (r.sheets as string[] | null) ?? [],
    status: r.status,
    jobId: r.job_id,
    createdAt: new Date(r.created_at).toISOString(),
    createdBy,
    appliedAt: r.applied_at ? new Date(r.applied_at).toISOString() : null,
    report: report?.success ? report.data : null,
  };
}

const META = ['id', 'campaign_id', 'file_name', 'format', 'file_size', 'file_sha256', 'sheets', 'settings', 'status', 'job_id', 'report', 'created_by', 'created_at', 'applied_at'] as const;

async function findImport(db: Kysely<Database>, id: string) {
  const row = UUID.test(id)
    ? await db.selectFrom('imports as i').leftJoin('users as u', 'u.id', 'i.created_by').select(META.map((c) => `i.${c}` as const)).select('u.login').where('i.id', '=', id).executeTakeFirst()
    : undefined;
  if (!row) throw new ServiceError('not_found', 'IMPORT_NOT_FOUND', 'Импорт не найден');
  return row;
}

export async function findImportSummary(db: Kysely<Database>, id: string): Promise<ImportSummary> {
  const r = await findImport(db, id);
  return summary(r, r.login);
}

/** The table routes on an upload of ФИС ОКО reports (fisoko-import.ts): refused, the reports have their own. */
function refuseFisOko(r: { settings: unknown }): void {
  if (isFisOko(r.settings))
    throw new ServiceError('validation', 'FISOKO_IMPORT', 'Это загрузка отчётов ФИС ОКО: проверьте и примените её в мастере отчётов ФИС ОКО');
}

/** The stored file, read in 512 KB pieces (as base64, src/db/bytea.ts): PGlite's protocol parser failed («Invalid array length») on one ~3 MB bytea
 * row, and the pieces also keep each query short for other users. */
export async function importContent(db: Kysely<Database>, id: string): Promise<Uint8Array> {
  const CHUNK = 512 * 1024;
  const { size } = await db.selectFrom('imports').select(sql<number>`octet_length(content)`.as('size')).where('id', '=', id).executeTakeFirstOrThrow();
  const out = new Uint8Array(Number(size));
  for (let at = 0; at < out.length; at += CHUNK) {
    const part = await db.selectFrom('imports').select(byteaAsBase64(sql`substring(content from ${at + 1}::int for ${CHUNK}::int)`).as('part')).where('id', '=', id).executeTakeFirstOrThrow();
    out.set(fromBase64(part.part), at);
  }
  return out;
}

export function refuseFinished(c: CampaignRecord): void {
  if (c.status === 'closed') throw new ServiceError('conflict', 'CAMPAIGN_NOT_OPEN', 'Мониторинг закрыт: импорт возможен только после повторного открытия с указанием причины');
  if (c.status === 'published') throw new ServiceError('conflict', 'CAMPAIGN_NOT_OPEN', 'Мониторинг опубликован: импорт невозможен');
}

/** Stores an uploaded file after checking that its content is a readable CSV or XLSX. */
export async function uploadImport(db: Kysely<Database>, actor: Actor, campaignId: string, file: { fileName: string; buffer: Uint8Array }): Promise<ImportSummary> {
  const campaign = await findCampaignRow(db, campaignId);
  refuseFinished(campaign);
  const fail = (message: string) => new ServiceError('validation', 'DATA_FILE_INVALID', message, [{ path: 'file', message }]);
  if (file.buffer.length > MAX_IMPORT_BYTES) throw fail(`Файл больше ${MAX_IMPORT_BYTES / 1024 / 1024} МБ`);
  const sniff = sniffDataFile(file.buffer);
  if (!sniff.ok) throw fail(sniff.message);
  const read = await readImportFile(file.buffer, sniff.format);
  if (!read.ok) throw fail(read.message);
  if (read.table.header.every((h) => h.trim() === '')) throw fail('В файле нет строки заголовка с названиями столбцов');
  const fileName = file.fileName.replace(/^.*[\\/]/, '').slice(0, 255) || (sniff.format === 'xlsx' ? 'файл.xlsx' : 'файл.csv');
  const sha256 = createHash('sha256').update(file.buffer).digest('hex');
  const row = await db.transaction().execute(async (trx) => {
    const r = await trx
      .insertInto('imports')
      .values({ campaign_id: campaign.id, file_name: fileName, format: sniff.format, file_size: file.buffer.length, file_sha256: sha256, content: byteaValue(file.buffer), sheets: JSON.stringify(read.sheets), created_by: actor.userId })
      .returning(META)
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, { action: 'import.upload', targetType: 'import', targetId: r.id, details: { campaignId: campaign.id, file: fileName, format: sniff.format, bytes: file.buffer.length, sha256, rows: read.table.rows.length } });
    return r;
  });
  // Read without a sheet: this is also the table `importTable(…, null)` means.
  rememberTable(row.id, read.table.sheet ?? null, read.table);
  if (read.table.sheet) rememberTable(row.id, null, read.table);
  return summary(row, actor.login);
}

export async function listImports(db: Kysely<Database>, campaignId: string): Promise<ImportSummary[]> {
  const c = await findCampaignRow(db, campaignId);
  const rows = await db
    .selectFrom('imports as i')
    .leftJoin('users as u', 'u.id', 'i.created_by')
    .select(META.map((col) => `i.${col}` as const))
    .select('u.login')
    .where('i.campaign_id', '=', c.id)
    .orderBy('i.created_at', 'desc')
    .execute();
  return rows.map((r) => summary(r, r.login));
}

export async function listMappings(db: Kysely<Database>, methodologyId: string): Promise<SavedMapping[]> {
  const rows = await db.selectFrom('import_mappings as m').leftJoin('users as u', 'u.id', 'm.created_by').selectAll('m').select('u.login').where('m.methodology_id', '=', methodologyId).orderBy('m.updated_at', 'desc').execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    methodologyId: r.methodology_id,
    columns: r.columns as Record<string, string>,
    match: matchSettingsSchema.parse(r.match),
    aliases: valueAliasesSchema.catch({}).parse(r.aliases ?? {}),
    createdBy: r.login,
    updatedAt: new Date(r.updated_at).toISOString(),
  }));
}

/** Saves (or replaces, by name) a mapping for a methodology id. */
export async function saveMapping(db: Kysely<Database>, actor: Actor, methodologyId: string, input: unknown): Promise<SavedMapping> {
  const data = parseInput(mappingSaveSchema, input);
  await db.transaction().execute(async (trx) => {
    const r = await trx
      .insertInto('import_mappings')
      .values({ name: data.name, methodology_id: methodologyId, columns: JSON.stringify(data.columns), match: JSON.stringify(data.match), aliases: JSON.stringify(data.aliases ?? {}), created_by: actor.userId })
      .onConflict((oc) => oc.columns(['methodology_id', 'name']).doUpdateSet({ columns: JSON.stringify(data.columns), match: JSON.stringify(data.match), aliases: data.aliases ? JSON.stringify(data.aliases) : sql`import_mappings.aliases`, updated_at: sql`now()` }))
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, { action: 'import.mapping.save', targetType: 'import_mapping', targetId: r.id, details: { methodologyId, name: data.name, columns: data.columns, match: data.match, ...(data.aliases ? { aliases: data.aliases } : {}) } });
  });
  const saved = (await listMappings(db, methodologyId)).find((m) => m.name === data.name);
  if (!saved) throw new Error('mapping not saved');
  return saved;
}

export async function getImportView(db: Kysely<Database>, id: string): Promise<ImportView> {
  const r = await findImport(db, id);
  const campaign = await findCampaignRow(db, r.campaign_id);
  const m = await campaignMethodology(db, campaign.methodology_id, campaign.methodology_version);
  const settings = r.settings && !isFisOko(r.settings) ? importSettingsSchema.safeParse(r.settings) : null;
  return {
    ...summary(r, r.login),
    campaignTitle: campaign.title,
    campaignStatus: campaign.status,
    methodologyId: campaign.methodology_id,
    fields: m.fields.map((f) => ({ name: f.name, title: f.title, type: f.type, unit: f.unit, evidence: f.evidence !== null })),
    settings: settings?.success ? settings.data : null,
    mappings: await listMappings(db, campaign.methodology_id),
  };
}

// A per-process cache of parsed files (content is immutable, so any process may re-read it: a cache, not state).
const tableCache = new Map<string, Table>();
function rememberTable(id: string, sheet: string | null, t: Table): void {
  tableCache.delete(`${id}\u0000${sheet ?? ''}`);
  tableCache.set(`${id}\u0000${sheet ?? ''}`, t);
  while (tableCache.size > 2) tableCache.delete(tableCache.keys().next().value as string);
}

/** The table of an import's sheet (null: the first sheet). */
export async function importTable(db: Kysely<Database>, imp: { id: string; format: 'csv' | 'xlsx' }, sheet: string | null): Promise<Table> {
  const key = `${imp.id}\u0000${sheet ?? ''}`;
  const cached = tableCache.get(key);
  if (cached) return cached;
  const read = await readImportFile(await importContent(db, imp.id), imp.format, sheet);
  if (!read.ok) throw new ServiceError('validation', 'DATA_FILE_INVALID', read.message, [{ path: 'sheet', message: read.message }]);
  rememberTable(imp.id, sheet, read.table);
  return read.table;
}

/** Participants of the campaign with the lock state of their forms (for matching and validation). Read in pages of
 * 10,000, yielding between them: on PGlite a query and the parsing of its rows do not let the event loop turn, and a
 * campaign of 100,000 organisations would stall other users for a second. */
export async function campaignOrgRefs(db: Kysely<Database>, campaignId: string): Promise<OrgRef[]> {
  const PAGE = 10_000;
  const out: OrgRef[] = [];
  // Registry numbers repeat across municipalities (a regional campaign): the key is (no, id).
  let after: { no: number; id: string } | null = null;
  for (;;) {
    let q = db
      .selectFrom('campaign_organisations as co')
      .innerJoin('organisations as o', 'o.id', 'co.organisation_id')
      .leftJoin('submissions as s', (j) => j.onRef('s.campaign_id', '=', 'co.campaign_id').onRef('s.organisation_id', '=', 'co.organisation_id'))
      .select(['o.id', 'o.no', 'o.inn', 'o.short_name', 'o.full_name', 'o.fisoko_login', 's.status'])
      .where('co.campaign_id', '=', campaignId);
    if (after) q = q.where(sql<boolean>`(o.no, o.id) > (${after.no}, ${after.id}::uuid)`);
    const rows = await q.orderBy('o.no').orderBy('o.id').limit(PAGE).execute();
    for (const r of rows) out.push({ id: r.id, no: r.no, inn: r.inn, shortName: r.short_name, fullName: r.full_name, fisokoLogin: r.fisoko_login, locked: r.status === 'submitted' || r.status === 'accepted' ? r.status : null });
    const last = rows[rows.length - 1];
    if (rows.length < PAGE || !last) return out;
    after = { no: last.no, id: last.id };
    await yieldToEventLoop();
  }
}

const previewInputSchema = importSettingsSchema.partial().extend({ sheet: importSettingsSchema.shape.sheet });

/** Validates the whole file with the given (or suggested) settings; returns the first rows with their cell errors. */
export async function previewImport(db: Kysely<Database>, id: string, input: unknown): Promise<ImportPreview & { problems: { path: string; message: string }[] }> {
  const given = parseInput(previewInputSchema, input ?? {});
  const r = await findImport(db, id);
  refuseFisOko(r);
  const campaign = await findCampaignRow(db, r.campaign_id);
  const m = await campaignMethodology(db, campaign.methodology_id, campaign.methodology_version);
  const stored = r.settings ? importSettingsSchema.safeParse(r.settings) : null;
  const sheet = given.sheet !== undefined ? given.sheet : stored?.success ? (stored.data.sheet ?? null) : null;
  const table = await importTable(db, r, sheet ?? null);
  let settings: ImportSettings;
  if (given.columns && given.match) settings = { sheet: table.sheet ?? null, columns: given.columns, match: given.match, confirmations: given.confirmations ?? {} };
  else if (stored?.success && checkSettings(stored.data, table.header, m.fields).length === 0) settings = { ...stored.data, sheet: table.sheet ?? null };
  else {
    const s = suggestSettings(table.header, m.fields);
    settings = { sheet: table.sheet ?? null, columns: s.columns, match: s.match ?? { mode: 'inn', column: table.header[0] ?? '' }, confirmations: {} };
  }
  const orgs = await campaignOrgRefs(db, campaign.id);
  const problems = checkSettings(settings, table.header, m.fields);
  const out: ImportPreview & { problems: typeof problems } = {
    sheet: table.sheet ?? null,
    header: table.header,
    encoding: table.encoding ?? null,
    delimiter: table.delimiter ?? null,
    settings,
    rows: [],
    totalRows: table.rows.length,
    errorCount: 0,
    errors: [],
    issues: [],
    organisations: orgs.length <= 5000 ? orgs.map((o) => ({ id: o.id, no: o.no, shortName: o.shortName, fullName: o.fullName })) : [],
    problems,
  };
  const shown = table.rows.slice(0, PREVIEW_ROWS);
  if (problems.length) {
    out.rows = shown.map((row) => ({ line: row.line, cells: row.cells, organisation: null, errors: [] }));
    return out;
  }
  const v = new ImportValidator(settings, table.header, m.fields, m.methodology.inputs, orgs, 200);
  const byId = new Map(orgs.map((o) => [o.id, o.shortName]));
  for (const [i, row] of table.rows.entries()) {
    const errors = v.row(row);
    if (i < PREVIEW_ROWS) out.rows.push({ line: row.line, cells: row.cells, organisation: null, errors });
    if (i % 5000 === 4999) await yieldToEventLoop();
  }
  const res = v.result();
  const orgOfLine = new Map(res.rows.filter((x) => x.line <= (shown.at(-1)?.line ?? 0)).map((x) => [x.line, byId.get(x.organisationId) ?? null]));
  for (const row of out.rows) row.organisation = orgOfLine.get(row.line) ?? null;
  out.errorCount = res.errorCount;
  out.errors = res.errors;
  out.issues = res.issues;
  return out;
}

const applyInputSchema = importSettingsSchema.extend({ saveMappingAs: mappingSaveSchema.shape.name.optional() });

/** Starts the all-or-nothing application of the file as a job; returns the job to poll. */
export async function startImportApply(db: Kysely<Database>, actor: Actor, id: string, input: unknown): Promise<{ import: ImportSummary; job: JobView }> {
  const { saveMappingAs, ...settings } = parseInput(applyInputSchema, input);
  const r = await findImport(db, id);
  refuseFisOko(r);
  const campaign = await findCampaignRow(db, r.campaign_id);
  refuseFinished(campaign);
  if (campaign.status !== 'open') throw new ServiceError('conflict', 'CAMPAIGN_NOT_OPEN', 'Сбор данных по этому мониторингу ещё не открыт');
  const m = await campaignMethodology(db, campaign.methodology_id, campaign.methodology_version);
  const table = await importTable(db, r, settings.sheet ?? null);
  const problems = checkSettings(settings, table.header, m.fields);
  if (problems.length) throw new ServiceError('validation', 'IMPORT_SETTINGS', 'Проверьте сопоставление столбцов', problems);
  if (saveMappingAs) await saveMapping(db, actor, campaign.methodology_id, { name: saveMappingAs, columns: settings.columns, match: settings.match });
  const out = await db.transaction().execute(async (trx) => {
    const locked = await trx.selectFrom('imports').select(['status']).where('id', '=', r.id).forUpdate().executeTakeFirstOrThrow();
    if (locked.status === 'queued' || locked.status === 'writing') throw new ServiceError('conflict', 'IMPORT_RUNNING', 'Этот файл уже применяется');
    if (locked.status === 'applied') throw new ServiceError('conflict', 'IMPORT_APPLIED', 'Этот файл уже применён');
    const job = await enqueueJob(trx, actor, { kind: IMPORT_JOB, payload: { importId: r.id, campaignId: campaign.id }, message: 'Ожидает начала обработки' });
    const row = await trx
      .updateTable('imports')
      .set({ status: 'queued', settings: JSON.stringify({ ...settings, sheet: table.sheet ?? null }), job_id: job.id, report: null })
      .where('id', '=', r.id)
      .returning(META)
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, { action: 'import.apply.start', targetType: 'import', targetId: r.id, details: { campaignId: campaign.id, file: r.file_name, jobId: job.id, settings } });
    return { row, job };
  });
  return { import: summary(out.row, r.login), job: presentJob(out.job) };
}
