/** Documents of a campaign (issue 6): the analytical report (DOCX/XLSX/PDF) and the working-group protocol draft,
 * built from computeCampaignResults → buildReportModel with the analyst's revised text blocks applied as overrides.
 * Campaign results are not public until the campaign is published: every download is written to the audit log. */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.ts';
import { recordAudit } from '../admin/audit.ts';
import { campaignModel, pageModelOptions } from './campaign-analysis.ts';
import { reportOverrides, reportTextHistory, type ReportTextVersion } from './campaign-inputs.ts';
import { ResultsBasisSchema, type ResultsBasis } from './basis.ts';
import { ServiceError, type Actor } from '../errors.ts';
import type { ReportFormat, ReportModel } from './report.ts';
import { renderProtocol, renderReport } from './report.ts';

export const reportQuerySchema = z.strictObject({
  format: z.enum(['docx', 'xlsx', 'pdf']).default('docx'),
  basis: ResultsBasisSchema.optional(),
});
export const protocolQuerySchema = z.strictObject({
  number: z.string().trim().max(50).optional(),
  basis: ResultsBasisSchema.optional(),
});

const MIME: Record<ReportFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

export interface Download { buffer: Buffer; fileName: string; mime: string; warnings: string[] }

/** ASCII-safe + UTF-8 file names for Content-Disposition. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^A-Za-z0-9._-]+/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

const baseName = (period: string) => `spravka-${period.replace(/[^0-9A-Za-z-]+/g, '-')}`;

/** Overrides of conclusions applied to the model itself (the protocol and the web page read `model.conclusions`). */
function applyOverrides(model: ReportModel, overrides: Record<string, string>): void {
  for (const c of model.conclusions) {
    const o = overrides[`conclusion.${c.id}`]?.trim();
    if (o) c.text = o;
  }
}

/** The protocol of a campaign's model as DOCX, for the download and the protocol issued on the department's template:
 * the analyst's revised conclusions applied and the working group's active members read now; the returned function
 * renders it with a number and a date (and reads nothing, so it may run inside the issuing transaction). */
export async function protocolRenderer(db: Kysely<Database>, model: ReportModel, overrides: Record<string, string>): Promise<(opts: { number: string; date: string }) => Promise<Buffer>> {
  applyOverrides(model, overrides);
  const members = (await db.selectFrom('users').select('full_name').where('role', '=', 'working_group').where('disabled', '=', false).orderBy('full_name').execute()).map((m) => ({ name: m.full_name }));
  return (opts) => renderProtocol(model, { ...opts, members });
}

export async function renderCampaignReport(
  db: Kysely<Database>,
  actor: Actor,
  campaignId: string,
  opts: { format: ReportFormat; basis?: ResultsBasis; date: string; reuseBrowser?: boolean; municipalityId?: string | null },
): Promise<Download> {
  // The report prints no per-dimension row's explanation but those of the signs of non-objectivity (XLSX): the other
  // rows are computed without their texts (`dimensionalTextsAbove: 0`), as the compact analysis page's are. The DOCX
  // (and the PDF made from it) prints no per-dimension row but the signs, and ranks each subject × grade by its shares:
  // of the other rows only those shares and what the model reads of every row (`dimensionalCompact` with `ranked`).
  const cm = await campaignModel(db, campaignId, {
    ...(opts.basis ? { basis: opts.basis } : {}), date: opts.date, municipalityId: opts.municipalityId ?? null, dimensionalTextsAbove: 0,
    ...(opts.format === 'xlsx' ? {} : { dimensionalCompact: { wholeChecks: true, ranked: true } }),
  });
  const overrides = await reportOverrides(db, cm.results.campaign.id);
  const out = await renderReport(cm.model, opts.format, { overrides, ...(opts.reuseBrowser ? { reuseBrowser: true } : {}) });
  if (!out.ok) throw new ServiceError('conflict', 'REPORT_FAILED', `Не удалось сформировать ${opts.format.toUpperCase()}: ${out.error}`);
  await recordAudit(db, actor, {
    action: 'campaign.report.download',
    targetType: 'campaign',
    targetId: cm.results.campaign.id,
    details: { format: opts.format, basis: cm.results.basis, organisations: cm.results.organisations.filter((o) => o.included).length, bytes: out.buffer.length },
  });
  return { buffer: out.buffer, fileName: `${baseName(cm.results.campaign.period)}.${opts.format}`, mime: MIME[opts.format], warnings: out.warnings };
}

/** The protocol draft prints no per-dimension row: it reads the model the analysis page computes (`pageModelOptions`,
 * `inlineRows` the page's limit), the same as the whole computation's in all it prints. */
export async function renderCampaignProtocol(db: Kysely<Database>, actor: Actor, campaignId: string, opts: { number?: string; basis?: ResultsBasis; date: string; municipalityId?: string | null; inlineRows?: number }): Promise<Download> {
  const cm = await campaignModel(db, campaignId, { ...(opts.basis ? { basis: opts.basis } : {}), date: opts.date, municipalityId: opts.municipalityId ?? null, ...pageModelOptions(opts.inlineRows) });
  const render = await protocolRenderer(db, cm.model, await reportOverrides(db, cm.results.campaign.id));
  const buffer = await render({ number: opts.number || '___', date: opts.date });
  await recordAudit(db, actor, { action: 'campaign.protocol.download', targetType: 'campaign', targetId: cm.results.campaign.id, details: { basis: cm.results.basis, bytes: buffer.length } });
  return { buffer, fileName: `protokol-${cm.results.campaign.period.replace(/[^0-9A-Za-z-]+/g, '-')}.docx`, mime: MIME.docx, warnings: [] };
}

export interface ReportBlock { id: string; title: string; generated: string; text: string; revised: boolean }

/** The editable text blocks of the campaign's report: generated text, the analyst's revision, history. The conclusions
 * read no per-dimension row but the signs: the model the analysis page computes (`pageModelOptions`). */
export async function campaignReportBlocks(db: Kysely<Database>, campaignId: string, opts: { basis?: ResultsBasis; municipalityId?: string | null; inlineRows?: number } = {}): Promise<{ blocks: ReportBlock[]; history: ReportTextVersion[] }> {
  const { inlineRows, ...rest } = opts;
  const cm = await campaignModel(db, campaignId, { ...rest, ...pageModelOptions(inlineRows) });
  const overrides = await reportOverrides(db, cm.results.campaign.id);
  const generated: { id: string; title: string; text: string }[] = [
    { id: 'goal', title: 'Цель мониторинга', text: cm.model.methodology.goal ?? '' },
    ...cm.model.conclusions.map((c) => ({ id: `conclusion.${c.id}`, title: `Вывод: ${c.id}`, text: c.text })),
  ];
  const blocks = generated.map((g) => ({ id: g.id, title: g.title, generated: g.text, text: overrides[g.id] ?? g.text, revised: overrides[g.id] !== undefined }));
  return { blocks, history: await reportTextHistory(db, cm.results.campaign.id) };
}
