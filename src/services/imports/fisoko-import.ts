/** ФИС ОКО / ГИА reports imported into a campaign whose methodology has dimensions (issue 22). One upload of up to 20
 * files (XLSX — every sheet — or CSV) is one import: the files are stored together in the import's `content`, one
 * after another, and listed in its `settings` (`{ kind: 'fisoko', files: [{ name, size, sha256, format }] }`), so the
 * import tables, the job and its audit stay those of every import. The preview reads every file with the existing
 * readers (fisoko-file.ts) and hands the reports to the pure `prepareFisOkoImport`; applying checks the same again,
 * saves the dimension aliases in the methodology's mapping «ФИС ОКО» (next year's file goes through without asking)
 * and queues the `import.apply` job (import-apply.ts), which writes the values with their `dimensions`, all or
 * nothing. */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { formatNumber, plural } from '../../core/format.ts';
import { FISOKO_MAPPING, fisOkoImportSettingsSchema, MAX_FISOKO_FILES, prepareFisOkoImport, reportTitle, dimensionAliasProblems, type FisOkoCampaignResult, type FisOkoImportSettings, type FisOkoPreview } from '../../core/imports/fisoko-campaign.ts';
import type { FisOkoError, FisOkoReport } from '../../core/imports/fisoko.ts';
import { fisOkoLoginOffers } from '../../core/imports/fisoko-logins.ts';
import type { ImportSummary, ValueAliases } from '../../core/imports/schema.ts';
import type { OrgRef } from '../../core/imports/match.ts';
import type { Methodology } from '../../core/methodology/schema.ts';
import { byteaValue } from '../../db/bytea.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { recordAudit } from '../admin/audit.ts';
import { canonicalJson } from '../methodology/methodology-library.ts';
import { campaignMethodology, findCampaignRow, type CampaignRecord } from '../collection/campaigns.ts';
import { parseInput, ServiceError, type Actor } from '../errors.ts';
import { notePhase, phaseStart } from './apply-phases.ts';
import { readFisOkoFile } from './fisoko-file.ts';
import { sniffDataFile } from './import-file.ts';
import { campaignOrgRefs, findImportSummary, importContent, IMPORT_JOB, listMappings, MAX_IMPORT_BYTES, refuseFinished, saveMapping } from './imports.ts';
import { yieldToEventLoop } from '../event-loop.ts';
import { enqueueJob, present as presentJob, type JobView } from './jobs.ts';

const storedFileSchema = z.object({ name: z.string(), size: z.number().int().nonnegative(), sha256: z.string(), format: z.enum(['csv', 'xlsx']) });
/** The `settings` of a ФИС ОКО import: its files, and once applied the confirmations and aliases it was applied with. */
export const fisOkoStoredSchema = fisOkoImportSettingsSchema.extend({ kind: z.literal('fisoko'), files: z.array(storedFileSchema).min(1) });
export type FisOkoStored = z.infer<typeof fisOkoStoredSchema>;

function requireDimensions(m: Methodology): void {
  if (!m.dimensions || Object.keys(m.dimensions).length === 0)
    throw new ServiceError('validation', 'NO_DIMENSIONS', `Методика «${m.id}» не делит данные по предметам и классам (dimensions): отчёты ФИС ОКО в этот мониторинг не загрузить`);
}

/** Stores the files of one upload as one import after checking that each is a CSV or XLSX file. */
export async function uploadFisOkoImport(db: Kysely<Database>, actor: Actor, campaignId: string, files: readonly { fileName: string; buffer: Uint8Array }[]): Promise<ImportSummary> {
  const campaign = await findCampaignRow(db, campaignId);
  refuseFinished(campaign);
  const { methodology: m } = await campaignMethodology(db, campaign.methodology_id, campaign.methodology_version);
  requireDimensions(m);
  const fail = (message: string) => new ServiceError('validation', 'DATA_FILE_INVALID', message, [{ path: 'file', message }]);
  if (files.length === 0) throw fail('Выберите файлы ФИС ОКО (XLSX или CSV)');
  if (files.length > MAX_FISOKO_FILES) throw fail(`Не больше ${MAX_FISOKO_FILES} файлов за одну загрузку`);
  const total = files.reduce((s, f) => s + f.buffer.length, 0);
  if (total > MAX_IMPORT_BYTES) throw fail(`Файлы вместе больше ${MAX_IMPORT_BYTES / 1024 / 1024} МБ`);
  const stored: FisOkoStored['files'] = [];
  for (const f of files) {
    const name = f.fileName.replace(/^.*[\\/]/, '').slice(0, 255) || 'файл';
    const sniff = sniffDataFile(f.buffer);
    if (!sniff.ok) throw fail(`«${name}»: ${sniff.message}`);
    stored.push({ name, size: f.buffer.length, sha256: createHash('sha256').update(f.buffer).digest('hex'), format: sniff.format });
  }
  const content = new Uint8Array(total);
  let at = 0;
  for (const f of files) {
    content.set(f.buffer, at);
    at += f.buffer.length;
  }
  const names = stored.map((f) => f.name);
  const fileName = (names.length === 1 ? (names[0] as string) : `ФИС ОКО, ${names.length} ${plural(names.length, ['файл', 'файла', 'файлов'])}: ${names.join(', ')}`).slice(0, 255);
  const settings: FisOkoStored = { kind: 'fisoko', files: stored };
  const sha256 = createHash('sha256').update(content).digest('hex');
  const id = await db.transaction().execute(async (trx) => {
    const r = await trx
      .insertInto('imports')
      .values({ campaign_id: campaign.id, file_name: fileName, format: stored.some((f) => f.format === 'xlsx') ? 'xlsx' : 'csv', file_size: total, file_sha256: sha256, content: byteaValue(content), sheets: JSON.stringify([]), settings: JSON.stringify(settings), created_by: actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, { action: 'import.upload', targetType: 'import', targetId: r.id, details: { campaignId: campaign.id, kind: 'fisoko', files: stored, bytes: total, sha256 } });
    return r.id;
  });
  return findImportSummary(db, id);
}

async function fisOkoImportRow(db: Kysely<Database>, id: string): Promise<{ summary: ImportSummary; stored: FisOkoStored; campaign: CampaignRecord }> {
  const summary = await findImportSummary(db, id);
  const row = await db.selectFrom('imports').select('settings').where('id', '=', summary.id).executeTakeFirstOrThrow();
  const stored = fisOkoStoredSchema.safeParse(row.settings);
  if (!stored.success) throw new ServiceError('validation', 'NOT_FISOKO_IMPORT', 'Это не загрузка отчётов ФИС ОКО: откройте обычный импорт файла');
  return { summary, stored: stored.data, campaign: await findCampaignRow(db, summary.campaignId) };
}

/** Every file of the import read as ФИС ОКО / ГИА reports; the errors of the files that cannot be read. */
export async function readStoredReports(db: Kysely<Database>, importId: string, files: FisOkoStored['files']): Promise<{ reports: FisOkoReport[]; errors: FisOkoError[]; perFile: { name: string; reports: FisOkoReport[] }[] }> {
  const content = await importContent(db, importId);
  const reports: FisOkoReport[] = [];
  const errors: FisOkoError[] = [];
  const perFile: { name: string; reports: FisOkoReport[] }[] = [];
  let at = 0;
  for (const f of files) {
    const read = await readFisOkoFile(content.subarray(at, at + f.size), f.name);
    at += f.size;
    if (read.ok) reports.push(...read.value);
    else errors.push(...read.errors);
    perFile.push({ name: f.name, reports: read.ok ? read.value : [] });
    await yieldToEventLoop();
  }
  return { reports, errors, perFile };
}

/** The saved aliases of the methodology's mapping «ФИС ОКО» with the request's added. */
async function aliasesFor(db: Kysely<Database>, methodologyId: string, given: ValueAliases | undefined): Promise<ValueAliases> {
  const saved = (await listMappings(db, methodologyId)).find((x) => x.name === FISOKO_MAPPING)?.aliases ?? {};
  const out: ValueAliases = { ...saved };
  for (const [dim, map] of Object.entries(given ?? {})) out[dim] = { ...(out[dim] ?? {}), ...map };
  return out;
}

export interface PreparedFisOko {
  campaign: CampaignRecord;
  stored: FisOkoStored;
  settings: FisOkoImportSettings & { aliases: ValueAliases };
  result: FisOkoCampaignResult;
  /** School rows read (every table). */
  rows: number;
  files: FisOkoPreview['files'];
  participants: Awaited<ReturnType<typeof campaignOrgRefs>>;
}

/** How often `prepareStoredFisOko` read and checked the files, and how often it reused an earlier preparation. */
export const fisOkoPreparations = { prepared: 0, reused: 0 };

/** What a preparation depends on besides the participants: the import, its files, the methodology version, the
 * confirmations and the aliases (saved and given). */
function preparationKey(importId: string, stored: FisOkoStored, campaign: CampaignRecord, settings: FisOkoImportSettings & { aliases: ValueAliases }): string {
  return canonicalJson([importId, stored.files.map((f) => [f.name, f.size, f.sha256, f.format]), campaign.methodology_id, campaign.methodology_version, settings.confirmations ?? {}, settings.aliases]);
}

/** A stamp of the participants as matching and validation see them (ids, numbers, ИНН, names, logins ФИС ОКО, the
 * state of their forms): one of them changed, the files are prepared again. */
function participantsStamp(participants: readonly OrgRef[]): string {
  const h = createHash('sha256');
  for (const o of participants) h.update(`${o.id}\u0000${o.no}\u0000${o.inn ?? ''}\u0000${o.shortName}\u0000${o.fullName}\u0000${o.fisokoLogin ?? ''}\u0000${o.locked ?? ''}\u0001`);
  return h.digest('hex');
}

interface CachedPreparation {
  key: string;
  stamp: string;
  result: FisOkoCampaignResult;
  rows: number;
  files: FisOkoPreview['files'];
  bytes: number;
}
/** The preparations of the last few imports, in this process (a job run by another process prepares again): the
 * preview, the start of applying and the job see the same files, so the job does not read and check them a third time.
 * Bounded by count and by an estimate of their size. The cached results are shared: read-only for every caller. */
const PREPARED_MAX = 4;
const PREPARED_MAX_BYTES = 96 * 1024 * 1024;
const prepared = new Map<string, CachedPreparation>();

/** A rough size of a preparation in memory (rows with their values, schools, errors). */
function preparationBytes(r: FisOkoCampaignResult): number {
  let n = 1024 + r.schools.length * 300 + r.errors.length * 400 + r.issues.length * 600;
  for (const row of r.rows) n += 300 + row.ref.length * 2 + row.values.length * 80;
  return n;
}

function remember(importId: string, entry: CachedPreparation): void {
  prepared.delete(importId);
  if (entry.bytes > PREPARED_MAX_BYTES) return;
  prepared.set(importId, entry);
  let total = 0;
  for (const e of prepared.values()) total += e.bytes;
  for (const [id, e] of prepared) {
    if (prepared.size <= PREPARED_MAX && total <= PREPARED_MAX_BYTES) break;
    prepared.delete(id);
    total -= e.bytes;
  }
}

/** Forgets every cached preparation (tests). */
export function forgetFisOkoPreparations(): void {
  prepared.clear();
}

/** Reads and checks every file of the import with the given confirmations and aliases (added to the saved ones). The
 * preparation is reused when the import, its files, the methodology version, the confirmations, the aliases and the
 * participants (with their logins and the state of their forms) are those of an earlier call in this process. */
export async function prepareStoredFisOko(db: Kysely<Database>, importId: string, given: FisOkoImportSettings): Promise<PreparedFisOko> {
  const { summary, stored, campaign } = await fisOkoImportRow(db, importId);
  const { methodology: m } = await campaignMethodology(db, campaign.methodology_id, campaign.methodology_version);
  requireDimensions(m);
  const aliases = await aliasesFor(db, campaign.methodology_id, given.aliases);
  const problems = dimensionAliasProblems(m, aliases);
  if (problems.length) throw new ServiceError('validation', 'ALIASES_INVALID', problems[0]?.message ?? 'Проверьте синонимы значений', problems);
  const participants = await campaignOrgRefs(db, campaign.id);
  const settings = { confirmations: given.confirmations ?? {}, aliases };
  const key = preparationKey(summary.id, stored, campaign, settings);
  const stamp = participantsStamp(participants);
  const hit = prepared.get(summary.id);
  if (hit && hit.key === key && hit.stamp === stamp) {
    fisOkoPreparations.reused++;
    remember(summary.id, hit);
    return { campaign, stored, settings, result: hit.result, rows: hit.rows, files: hit.files, participants };
  }
  const read = await readStoredReports(db, summary.id, stored.files);
  const result = prepareFisOkoImport(m, read.reports, read.errors, participants, settings);
  const schoolsOf = (r: FisOkoReport) => (r.kind === 'gia' ? new Set(r.rows.map((x) => `${x.login ?? ''}\u0000${x.organisation}`)).size : r.schools.length);
  const files = read.perFile.map((f) => ({
    name: f.name,
    reports: f.reports.map((r) => ({ sheet: r.sheet ?? null, kind: r.kind, title: reportTitle(r), dimensions: (r.kind === 'gia' ? {} : { subject: r.subject, grade: String(r.grade) }) as Record<string, string>, schools: schoolsOf(r) })),
  }));
  const rows = read.reports.reduce((s, r) => s + (r.kind === 'gia' ? r.rows.length : r.schools.length), 0);
  fisOkoPreparations.prepared++;
  remember(summary.id, { key, stamp, result, rows, files, bytes: preparationBytes(result) });
  return { campaign, stored, settings, result, rows, files, participants };
}

/** The preview as the API answers it. */
export function presentFisOko(p: PreparedFisOko): FisOkoPreview {
  const r = p.result;
  return {
    files: p.files,
    schools: r.schools,
    issues: r.issues,
    aliasOffers: r.aliasOffers,
    errorCount: r.errorCount,
    errors: r.errors.slice(0, 200),
    values: r.values,
    organisations: r.organisations,
    settings: p.settings,
    participants: p.participants.length <= 5000 ? p.participants.map((o) => ({ id: o.id, no: o.no, shortName: o.shortName, fullName: o.fullName })) : [],
    loginOffers: fisOkoLoginOffers(r.schools, p.participants),
    ok: r.ok,
  };
}

/** Checks every file with the given confirmations and aliases (added to the saved ones); writes nothing. */
export async function previewFisOkoImport(db: Kysely<Database>, importId: string, input: unknown): Promise<FisOkoPreview> {
  return presentFisOko(await prepareStoredFisOko(db, importId, parseInput(fisOkoImportSettingsSchema, input ?? {})));
}

/** Checks again and queues the all-or-nothing application; the aliases (saved and given) are saved in the mapping
 * «ФИС ОКО» of the methodology. Refused with everything that stands in the way while anything does. */
export async function startFisOkoApply(db: Kysely<Database>, actor: Actor, importId: string, input: unknown): Promise<{ import: ImportSummary; job: JobView }> {
  const given = parseInput(fisOkoImportSettingsSchema, input ?? {});
  let t = phaseStart();
  const p = await prepareStoredFisOko(db, importId, given);
  t = notePhase('start: prepare', t);
  refuseFinished(p.campaign);
  if (p.campaign.status !== 'open') throw new ServiceError('conflict', 'CAMPAIGN_NOT_OPEN', 'Сбор данных по этому мониторингу ещё не открыт');
  const r = p.result;
  if (!r.ok) {
    const left = [
      ...r.errors.slice(0, 50).map((e) => ({ path: 'file', message: e.text })),
      ...r.issues.map((i) => ({ path: `confirmations.${i.name}`, message: `«${i.name}»: подтвердите организацию или пропустите` })),
      ...r.aliasOffers.map((o) => ({ path: `aliases.${o.field}.${o.value}`, message: `«${o.value}»: выберите значение измерения «${o.column}»` })),
    ];
    const head = r.errorCount ? `В файлах ${formatNumber(r.errorCount)} ${plural(r.errorCount, ['ошибка', 'ошибки', 'ошибок'])}` : 'Не всё сопоставлено';
    throw new ServiceError('validation', 'FISOKO_INVALID', `${head}: ничего не изменено. ${left[0]?.message ?? ''}`.trim(), left);
  }
  if (r.values === 0) throw new ServiceError('validation', 'FISOKO_EMPTY', 'В файлах нет значений для импорта: ничего не изменено');
  if (Object.keys(p.settings.aliases).length) await saveMapping(db, actor, p.campaign.methodology_id, { name: FISOKO_MAPPING, columns: {}, match: { mode: 'name', column: 'Организация' }, aliases: p.settings.aliases });
  const out = await db.transaction().execute(async (trx) => {
    const locked = await trx.selectFrom('imports').select(['status']).where('id', '=', importId).forUpdate().executeTakeFirstOrThrow();
    if (locked.status === 'queued' || locked.status === 'writing') throw new ServiceError('conflict', 'IMPORT_RUNNING', 'Эти файлы уже применяются');
    if (locked.status === 'applied') throw new ServiceError('conflict', 'IMPORT_APPLIED', 'Эти файлы уже применены');
    const job = await enqueueJob(trx, actor, { kind: IMPORT_JOB, payload: { importId, campaignId: p.campaign.id }, message: 'Ожидает начала обработки' });
    const stored: FisOkoStored = { ...p.stored, confirmations: p.settings.confirmations ?? {}, aliases: p.settings.aliases };
    await trx.updateTable('imports').set({ status: 'queued', settings: JSON.stringify(stored), job_id: job.id, report: null }).where('id', '=', importId).execute();
    await recordAudit(trx, actor, { action: 'import.apply.start', targetType: 'import', targetId: importId, details: { campaignId: p.campaign.id, kind: 'fisoko', files: p.stored.files.map((f) => f.name), jobId: job.id, confirmations: stored.confirmations, aliases: stored.aliases } });
    return job;
  });
  notePhase('start: queue', t);
  return { import: await findImportSummary(db, importId), job: presentJob(out) };
}
