/** What analysts add to a campaign for its analysis (issue 6, migration 0007): the tables of the methodology that
 * organisations do not fill (a municipality row, a breakdown by type), regional values and targets per indicator or
 * aggregate, and revisions of the report's text blocks. All three are append-only with history (the latest row per
 * key is in force); every write is audited in the same transaction. */
import path from 'node:path';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { compileMethodology, computeTable, detectDataset } from '../../core/methodology/index.ts';
import type { Database } from '../../db/schema.ts';
import { recordAudit } from '../admin/audit.ts';
import { campaignMethodology, findCampaignRow } from '../collection/campaigns.ts';
import { readDataFile } from '../imports/datafile.ts';
import { ServiceError, parseInput, type Actor } from '../errors.ts';

export interface CampaignTableInfo { datasetId: string; datasetTitle: string; unit: string; fileName: string; rows: number; at: string; actorLogin: string | null }

/** Datasets of the methodology an analyst uploads (not filled by organisations' forms). */
export async function uploadableDatasets(db: Kysely<Database>, campaignId: string): Promise<{ id: string; title: string; unit: string; columns: string[] }[]> {
  const c = await findCampaignRow(db, campaignId);
  const { methodology: m } = await campaignMethodology(db, c.methodology_id, c.methodology_version);
  return Object.entries(m.datasets ?? {})
    .filter(([, ds]) => ds.unit !== 'organisation')
    .map(([id, ds]) => ({ id, title: ds.title, unit: ds.unit, columns: [ds.key, ...Object.values(ds.columns)] }));
}

/** Reads a CSV/XLSX file, recognises the methodology table by its header, checks it computes, and stores it. */
export async function uploadCampaignTable(db: Kysely<Database>, actor: Actor, campaignId: string, file: { name: string; buffer: Uint8Array }): Promise<CampaignTableInfo> {
  const c = await findCampaignRow(db, campaignId);
  const { methodology: m } = await campaignMethodology(db, c.methodology_id, c.methodology_version);
  const name = path.basename(file.name);
  const fail = (message: string) => new ServiceError('validation', 'TABLE_INVALID', `${name}: ${message}`, [{ path: 'file', message }]);
  const read = await readDataFile(file.buffer, name);
  if (!read.ok) throw fail(read.message);
  const detected = detectDataset(m, read.table.header);
  if (!detected.ok) throw fail(detected.message);
  const ds = m.datasets?.[detected.id];
  if (!ds || ds.unit === 'organisation')
    throw fail(`это таблица «${ds?.title ?? detected.id}» с данными организаций — они вводятся в формах организаций или импортом в мониторинг`);
  const compiled = compileMethodology(m);
  if (!compiled.ok) throw new ServiceError('conflict', 'METHODOLOGY_INVALID', `Методика «${m.id}» содержит ошибки`);
  const out = computeTable(compiled.compiled, read.table.header, read.table.rows);
  if (!out.ok) {
    const e = out.error;
    throw fail(`${e.line !== null ? `строка ${e.line}, ` : ''}${e.column ? `столбец «${e.column}»: ` : ''}${e.message}`);
  }
  const rows = read.table.rows.map((r) => r.cells);
  const saved = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('campaign_tables')
      .values({ campaign_id: c.id, dataset_id: detected.id, file_name: name, header: JSON.stringify(read.table.header), rows: JSON.stringify(rows), actor_user_id: actor.userId, actor_login: actor.login })
      .returning(['at'])
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, { action: 'campaign.table.upload', targetType: 'campaign', targetId: c.id, details: { dataset: detected.id, file: name, rows: rows.length } });
    return row;
  });
  return { datasetId: detected.id, datasetTitle: ds.title, unit: ds.unit, fileName: name, rows: rows.length, at: new Date(saved.at).toISOString(), actorLogin: actor.login };
}

/** The tables in force (latest per dataset). */
export async function listCampaignTables(db: Kysely<Database>, campaignId: string): Promise<CampaignTableInfo[]> {
  const c = await findCampaignRow(db, campaignId);
  const { methodology: m } = await campaignMethodology(db, c.methodology_id, c.methodology_version);
  const rows = await db
    .selectFrom('campaign_tables')
    .distinctOn(['dataset_id'])
    .select(['dataset_id', 'file_name', 'rows', 'at', 'actor_login'])
    .where('campaign_id', '=', c.id)
    .orderBy('dataset_id')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => {
    const ds = m.datasets?.[r.dataset_id];
    return { datasetId: r.dataset_id, datasetTitle: ds?.title ?? r.dataset_id, unit: ds?.unit ?? '', fileName: r.file_name, rows: (r.rows as unknown[]).length, at: new Date(r.at).toISOString(), actorLogin: r.actor_login };
  });
}

// ---- regional values and targets ------------------------------------------------------------------------------

export const benchmarkInputSchema = z.strictObject({
  key: z.string().trim().min(1).max(200),
  regional: z.number().finite().nullable(),
  target: z.number().finite().nullable(),
  note: z.string().trim().max(1000).nullable().optional(),
});
export type BenchmarkInput = z.infer<typeof benchmarkInputSchema>;

export interface Benchmark { key: string; title: string; regional: number | null; target: number | null; note: string | null; at: string; actorLogin: string | null }
export interface BenchmarkChoice { key: string; title: string; kind: 'indicator' | 'aggregate'; unit: string | null; methodologyTarget: number | null }

/** Indicators and aggregates a regional value or a target may be entered for. */
export async function benchmarkChoices(db: Kysely<Database>, campaignId: string): Promise<BenchmarkChoice[]> {
  const c = await findCampaignRow(db, campaignId);
  const { methodology: m } = await campaignMethodology(db, c.methodology_id, c.methodology_version);
  return [
    ...Object.entries(m.indicators).map(([id, d]) => ({ key: id, title: d.code ? `${d.code}. ${d.title}` : d.title, kind: 'indicator' as const, unit: d.unit ?? null, methodologyTarget: d.target ?? null })),
    ...Object.entries(m.aggregates ?? {}).map(([id, a]) => ({ key: id, title: a.title, kind: 'aggregate' as const, unit: null, methodologyTarget: null })),
  ];
}

export async function listBenchmarks(db: Kysely<Database>, campaignId: string): Promise<Benchmark[]> {
  const choices = new Map((await benchmarkChoices(db, campaignId)).map((x) => [x.key, x]));
  const rows = await db
    .selectFrom('campaign_benchmarks')
    .distinctOn(['key'])
    .select(['key', 'regional_value', 'target_value', 'note', 'at', 'actor_login'])
    .where('campaign_id', '=', campaignId)
    .orderBy('key')
    .orderBy('id', 'desc')
    .execute();
  return rows
    .filter((r) => r.regional_value !== null || r.target_value !== null)
    .map((r) => ({ key: r.key, title: choices.get(r.key)?.title ?? r.key, regional: r.regional_value, target: r.target_value, note: r.note, at: new Date(r.at).toISOString(), actorLogin: r.actor_login }));
}

/** Sets (or clears, with both null) the regional value and target of one indicator or aggregate. */
export async function setBenchmark(db: Kysely<Database>, actor: Actor, campaignId: string, input: unknown): Promise<Benchmark[]> {
  const data = parseInput(benchmarkInputSchema, input);
  const c = await findCampaignRow(db, campaignId);
  const choices = await benchmarkChoices(db, c.id);
  if (!choices.some((x) => x.key === data.key))
    throw new ServiceError('validation', 'VALIDATION', 'Проверьте заполнение полей', [{ path: 'key', message: `В методике нет показателя или агрегата «${data.key}»` }]);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('campaign_benchmarks')
      .values({ campaign_id: c.id, key: data.key, regional_value: data.regional, target_value: data.target, note: data.note ?? null, actor_user_id: actor.userId, actor_login: actor.login })
      .execute();
    await recordAudit(trx, actor, { action: 'campaign.benchmark.set', targetType: 'campaign', targetId: c.id, details: { key: data.key, regional: data.regional, target: data.target } });
  });
  return listBenchmarks(db, c.id);
}

// ---- report text blocks ----------------------------------------------------------------------------------------

export const reportTextInputSchema = z.strictObject({
  blockId: z.string().trim().min(1).max(200).regex(/^[A-Za-z0-9_.\-:]+$/, { error: 'Недопустимый идентификатор блока' }),
  /** null restores the generated text. */
  text: z.string().trim().max(20000).nullable(),
});

export interface ReportTextVersion { blockId: string; text: string | null; at: string; actorLogin: string | null }

/** Overrides in force (block id → text) for the renderers. */
export async function reportOverrides(db: Kysely<Database>, campaignId: string): Promise<Record<string, string>> {
  const rows = await db
    .selectFrom('campaign_report_texts')
    .distinctOn(['block_id'])
    .select(['block_id', 'text'])
    .where('campaign_id', '=', campaignId)
    .orderBy('block_id')
    .orderBy('id', 'desc')
    .execute();
  return Object.fromEntries(rows.filter((r) => r.text !== null && r.text !== '').map((r) => [r.block_id, r.text as string]));
}

/** Every revision of the campaign's text blocks, newest first. */
export async function reportTextHistory(db: Kysely<Database>, campaignId: string): Promise<ReportTextVersion[]> {
  const c = await findCampaignRow(db, campaignId);
  const rows = await db.selectFrom('campaign_report_texts').select(['block_id', 'text', 'at', 'actor_login']).where('campaign_id', '=', c.id).orderBy('id', 'desc').execute();
  return rows.map((r) => ({ blockId: r.block_id, text: r.text, at: new Date(r.at).toISOString(), actorLogin: r.actor_login }));
}

export async function saveReportText(db: Kysely<Database>, actor: Actor, campaignId: string, input: unknown): Promise<Record<string, string>> {
  const data = parseInput(reportTextInputSchema, input);
  const c = await findCampaignRow(db, campaignId);
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('campaign_report_texts').values({ campaign_id: c.id, block_id: data.blockId, text: data.text || null, actor_user_id: actor.userId, actor_login: actor.login }).execute();
    await recordAudit(trx, actor, { action: 'campaign.report_text.save', targetType: 'campaign', targetId: c.id, details: { block: data.blockId, restored: !data.text } });
  });
  return reportOverrides(db, c.id);
}
