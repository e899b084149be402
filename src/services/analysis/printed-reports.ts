/** Printed reports of a campaign (issue 15, item 4; migration 0018): an analyst attaches a report («Протокол № 6 …»,
 * its date and source), enters or imports the figures it printed, and the campaign's analysis compares them with the
 * computation (src/core/analysis/printed-report.ts). Figures are append-only (the latest per key is in force); every
 * write is one transaction with its audit entry; an import is all-or-nothing. */
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { PrintedFigure, PrintedScope } from '../../core/analysis/printed-report.ts';
import type { Methodology } from '../../core/methodology/index.ts';
import type { Database } from '../../db/schema.ts';
import { recordAudit } from '../admin/audit.ts';
import { campaignMethodology, findCampaignRow } from '../collection/campaigns.ts';
import { readDataFile } from '../imports/datafile.ts';
import { ServiceError, parseInput, type Actor } from '../errors.ts';
import { figureKey, matchFigureRows, type FigureInput } from '../../core/analysis/printed-figure-rows.ts';

export const printedReportInputSchema = z.strictObject({
  title: z.string().trim().min(1, 'Укажите название отчёта').max(500),
  date: z.iso.date('Дата в формате ГГГГ-ММ-ДД'),
  source: z.string().trim().max(1000).default(''),
});
export const printedFigureSchema = z.strictObject({
  organisationId: z.string().uuid().nullable().default(null),
  /** A row of a table by organisation type (school, preschool, supplementary, total). */
  group: z.string().trim().min(1).nullable().default(null),
  /** An indicator id or code, or an aggregate id. */
  target: z.string().trim().min(1, 'Укажите показатель'),
  value: z.string().trim().nullable().default(null),
  level: z.string().trim().nullable().default(null),
  /** Where the report printed it: table and row («Таблица № 3, строка 26»). */
  place: z.string().trim().max(200).nullable().default(null),
});
export const printedFiguresInputSchema = z.strictObject({ figures: z.array(printedFigureSchema).min(1).max(10_000) });
export const printedReportRemovalSchema = z.strictObject({ reason: z.string().trim().min(1, 'Укажите причину').max(1000) });

export interface PrintedReportInfo {
  id: string;
  campaignId: string;
  title: string;
  date: string;
  source: string;
  actorLogin: string | null;
  at: string;
  figures: number;
}
export interface StoredFigure extends PrintedFigure {
  organisationId: string | null;
}

export async function methodologyOf(db: Kysely<Database>, campaignId: string): Promise<{ campaignId: string; m: Methodology }> {
  const c = await findCampaignRow(db, campaignId);
  return { campaignId: c.id, m: (await campaignMethodology(db, c.methodology_id, c.methodology_version)).methodology };
}

export async function reportRow(db: Kysely<Database>, campaignId: string, reportId: string) {
  const row = z.string().uuid().safeParse(reportId).success
    ? await db.selectFrom('printed_reports').selectAll().where('id', '=', reportId).where('campaign_id', '=', campaignId).where('removed_at', 'is', null).executeTakeFirst()
    : undefined;
  if (!row) throw new ServiceError('not_found', 'PRINTED_REPORT_NOT_FOUND', 'Опубликованный отчёт не найден');
  return row;
}

/** The figures in force of the given reports, keyed by report id. */
async function figuresOf(db: Kysely<Database>, reportIds: readonly string[]): Promise<Map<string, StoredFigure[]>> {
  const out = new Map<string, StoredFigure[]>();
  if (!reportIds.length) return out;
  const rows = await db
    .selectFrom('printed_report_figures as f')
    .leftJoin('organisations as o', 'o.id', 'f.organisation_id')
    .select(['f.id', 'f.report_id', 'f.scope', 'f.organisation_id', 'f.group_key', 'f.target', 'f.value_text', 'f.level_text', 'o.short_name'])
    .where('f.report_id', 'in', reportIds)
    .orderBy('f.id', 'desc')
    .execute();
  const seen = new Set<string>();
  const kept: typeof rows = [];
  for (const r of rows) {
    const key = `${r.report_id}\u0000${r.scope}\u0000${r.organisation_id ?? ''}\u0000${r.group_key ?? ''}\u0000${r.target}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (r.value_text !== null || r.level_text !== null) kept.push(r);
  }
  // In the order they were entered.
  for (const r of kept.reverse()) {
    const list = out.get(r.report_id) ?? [];
    list.push({ scope: r.scope, entity: r.scope === 'organisation' ? r.short_name : r.group_key, organisationId: r.organisation_id, target: r.target, value: r.value_text, level: r.level_text });
    out.set(r.report_id, list);
  }
  return out;
}

const present = (r: { id: string; campaign_id: string; title: string; printed_on: string; source: string; actor_login: string | null; at: Date | string }, figures: number): PrintedReportInfo => ({
  id: r.id, campaignId: r.campaign_id, title: r.title, date: r.printed_on, source: r.source, actorLogin: r.actor_login, at: new Date(r.at).toISOString(), figures,
});

export async function createPrintedReport(db: Kysely<Database>, actor: Actor, campaignId: string, input: unknown): Promise<PrintedReportInfo> {
  const data = parseInput(printedReportInputSchema, input);
  const c = await findCampaignRow(db, campaignId);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('printed_reports')
      .values({ campaign_id: c.id, title: data.title, printed_on: data.date, source: data.source, actor_user_id: actor.userId, actor_login: actor.login })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, { action: 'campaign.printed_report.create', targetType: 'campaign', targetId: c.id, details: { report: row.id, title: data.title, date: data.date } });
    return present(row, 0);
  });
}

/** The campaign's reports (not removed), oldest date first, with their figures in force. */
export async function listPrintedReports(db: Kysely<Database>, campaignId: string): Promise<(PrintedReportInfo & { items: StoredFigure[] })[]> {
  const c = await findCampaignRow(db, campaignId);
  const rows = await db.selectFrom('printed_reports').selectAll().where('campaign_id', '=', c.id).where('removed_at', 'is', null).orderBy('printed_on').orderBy('at').execute();
  const figures = await figuresOf(db, rows.map((r) => r.id));
  return rows.map((r) => {
    const items = figures.get(r.id) ?? [];
    return { ...present(r, items.length), items };
  });
}

export async function removePrintedReport(db: Kysely<Database>, actor: Actor, campaignId: string, reportId: string, input: unknown): Promise<void> {
  const { reason } = parseInput(printedReportRemovalSchema, input);
  const c = await findCampaignRow(db, campaignId);
  const row = await reportRow(db, c.id, reportId);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('printed_reports').set({ removed_at: new Date(), removed_by: actor.userId, remover_login: actor.login, removal_reason: reason }).where('id', '=', row.id).execute();
    await recordAudit(trx, actor, { action: 'campaign.printed_report.remove', targetType: 'campaign', targetId: c.id, details: { report: row.id, title: row.title, reason } });
  });
}

export async function saveFigures(db: Kysely<Database>, actor: Actor, campaignId: string, reportId: string, figures: readonly FigureInput[], what: Record<string, unknown>): Promise<number> {
  const batch = randomUUID();
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < figures.length; i += 500) {
      await trx
        .insertInto('printed_report_figures')
        .values(figures.slice(i, i + 500).map((f) => ({
          report_id: reportId, batch, scope: f.scope, organisation_id: f.organisationId, group_key: f.group, target: f.target, value_text: f.value, level_text: f.level,
          actor_user_id: actor.userId, actor_login: actor.login,
        })))
        .execute();
    }
    const places = figures.filter((f) => f.place).map((f) => [figureKey(f), f.place]);
    await recordAudit(trx, actor, {
      action: 'campaign.printed_report.figures', targetType: 'campaign', targetId: campaignId,
      details: { report: reportId, batch, figures: figures.length, ...what, ...(places.length ? { places: Object.fromEntries(places) } : {}) },
    });
  });
  return figures.length;
}

/** Participants of the campaign as the figure rows match them. */
export async function participants(db: Kysely<Database>, campaignId: string) {
  const rows = await db
    .selectFrom('campaign_organisations as co')
    .innerJoin('organisations as o', 'o.id', 'co.organisation_id')
    .select(['o.id', 'o.no', 'o.inn', 'o.short_name', 'o.full_name'])
    .where('co.campaign_id', '=', campaignId)
    .orderBy('o.no')
    .execute();
  return rows.map((o) => ({ id: o.id, no: o.no, inn: o.inn, shortName: o.short_name, fullName: o.full_name, locked: null }));
}

/** Enters figures (all checked before any is saved): each names an organisation (a participant), a row by type, or
 * neither (municipal), and an indicator (id or code) or an aggregate. */
export async function enterPrintedFigures(db: Kysely<Database>, actor: Actor, campaignId: string, reportId: string, input: unknown): Promise<{ saved: number }> {
  const data = parseInput(printedFiguresInputSchema, input);
  const { campaignId: id, m } = await methodologyOf(db, campaignId);
  const report = await reportRow(db, id, reportId);
  const orgs = await participants(db, id);
  const rows = data.figures.map((f, i) => ({
    line: i + 1,
    organisation: f.organisationId === null ? null : { id: f.organisationId },
    group: f.group,
    target: f.target,
    value: f.value,
    level: f.level,
    place: f.place,
  }));
  const matched = matchFigureRows(m, orgs, rows, 'figures');
  if (!matched.ok) throw new ServiceError('validation', 'FIGURES_INVALID', matched.errors[0]!.message, matched.errors.map((e) => ({ path: e.path, message: e.message })));
  return { saved: await saveFigures(db, actor, id, report.id, matched.figures, { source: 'entry' }) };
}

/** Imports figures from a CSV/XLSX table: columns «Организация» (name, registry number; a type or «Итого» for a row
 * by type; «Муниципалитет» or empty for a municipal figure), «Показатель» (code or id, or an aggregate id),
 * «Значение» and/or «Уровень». All-or-nothing: the first errors name the row and the column. */
export async function importPrintedFigures(db: Kysely<Database>, actor: Actor, campaignId: string, reportId: string, file: { name: string; buffer: Uint8Array }): Promise<{ saved: number; fileName: string }> {
  // The file first: a damaged or disguised file is refused as such whatever the ids (as every reading upload route).
  const name = path.basename(file.name);
  const read = await readDataFile(file.buffer, name);
  if (!read.ok) throw new ServiceError('validation', 'FIGURES_INVALID', `${name}: ${read.message}`, [{ path: 'file', message: read.message }]);
  const { campaignId: id, m } = await methodologyOf(db, campaignId);
  const report = await reportRow(db, id, reportId);
  const orgs = await participants(db, id);
  const matched = matchFigureRows(m, orgs, { header: read.table.header, rows: read.table.rows }, 'file');
  if (!matched.ok) {
    const shown = matched.errors.slice(0, 20).map((e) => e.message);
    const more = matched.errors.length > shown.length ? `; и ещё ${matched.errors.length - shown.length}` : '';
    throw new ServiceError('validation', 'FIGURES_INVALID', `${name}: ничего не сохранено — ${shown.join('; ')}${more}`, matched.errors.slice(0, 100).map((e) => ({ path: e.path, message: e.message })));
  }
  return { saved: await saveFigures(db, actor, id, report.id, matched.figures, { source: 'import', file: name }), fileName: name };
}

/** The reports and their figures in force, for the analysis (campaign-analysis.ts). */
export async function printedReportsOf(db: Kysely<Database>, campaignId: string): Promise<{ report: PrintedReportInfo; figures: PrintedFigure[] }[]> {
  return (await listPrintedReports(db, campaignId)).map(({ items, ...report }) => ({ report, figures: items.map((f) => ({ scope: f.scope as PrintedScope, entity: f.entity, target: f.target, value: f.value, level: f.level })) }));
}
