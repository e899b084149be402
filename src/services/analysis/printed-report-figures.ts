/** The figures of one printed report one by one (issue 15, item 4): each figure in force with its history (every
 * earlier entry kept: the table is append-only, a correction is a new row), where the report printed it and who entered
 * it, the choices a form offers (participants, rows by type, indicators and municipal figures), and the removal of a
 * mistaken figure with a reason — a row with neither value nor level, so the removed figure stays in the history. */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { figureKey } from '../../core/analysis/printed-figure-rows.ts';
import { ORG_TYPE_NAMES } from '../../core/analysis/types.ts';
import type { Methodology } from '../../core/methodology/index.ts';
import type { Database } from '../../db/schema.ts';
import { recordAudit } from '../admin/audit.ts';
import { ServiceError, parseInput, type Actor } from '../errors.ts';
import { methodologyOf, participants, printedReportRemovalSchema, reportRow } from './printed-reports.ts';

export interface PrintedFigureVersion {
  value: string | null;
  level: string | null;
  place: string | null;
  actorLogin: string | null;
  at: string;
  /** entry — entered in the form or the API; import — a CSV/XLSX table; docx — the report's DOCX; removal — removed. */
  source: string;
  file: string | null;
  reason: string | null;
}
export interface PrintedFigureEntry {
  /** The id of the row in force (the latest of its key). */
  id: number;
  scope: 'organisation' | 'group' | 'municipal';
  organisationId: string | null;
  group: string | null;
  /** The organisation, the row by type or «Муниципалитет». */
  label: string;
  target: string;
  targetTitle: string;
  value: string | null;
  level: string | null;
  place: string | null;
  /** Removed: the latest row has neither value nor level. */
  removed: boolean;
  /** Every row of this figure, newest first (the first is the one in force). */
  history: PrintedFigureVersion[];
}
export interface PrintedFigureOptions {
  organisations: { id: string; name: string }[];
  groups: { key: string; name: string }[];
  targets: { id: string; title: string; kind: 'indicator' | 'aggregate' }[];
}

export const figureRemovalSchema = printedReportRemovalSchema.extend({
  /** Put the previous figure back in force instead of leaving none (an undo of a mistaken correction). */
  restore: z.boolean().default(false),
});
export const figureRemovalParams = z.strictObject({ id: z.string().min(1), reportId: z.string().min(1), figureId: z.coerce.number().int().positive() });

export function targetTitle(m: Methodology, target: string): string {
  const ind = m.indicators[target];
  if (ind) return ind.code ? `${ind.code}. ${ind.title}` : ind.title;
  return m.aggregates?.[target]?.title ?? target;
}

export function figureOptions(m: Methodology, orgs: readonly { id: string; shortName: string }[]): PrintedFigureOptions {
  const groups = new Set<string>();
  for (const ds of Object.values(m.datasets ?? {})) if (ds.unit === 'organisation_type') for (const k of [...(ds.key_values ?? []), ...(ds.total_row ? [ds.total_row] : [])]) groups.add(k);
  return {
    organisations: orgs.map((o) => ({ id: o.id, name: o.shortName })),
    groups: [...groups].map((key) => ({ key, name: ORG_TYPE_NAMES[key]?.full ?? key })),
    targets: [
      ...Object.entries(m.indicators).map(([id]) => ({ id, title: targetTitle(m, id), kind: 'indicator' as const })),
      ...Object.entries(m.aggregates ?? {}).map(([id, a]) => ({ id, title: a.title, kind: 'aggregate' as const })),
    ],
  };
}

interface AuditDetails { batch?: string; source?: string; file?: string; places?: Record<string, string>; reason?: string }

/** The report's figures (in force and removed) with their history, and the form's choices. */
export async function printedFigureList(db: Kysely<Database>, campaignId: string, reportId: string): Promise<{ items: PrintedFigureEntry[]; options: PrintedFigureOptions }> {
  const { campaignId: id, m } = await methodologyOf(db, campaignId);
  const report = await reportRow(db, id, reportId);
  const orgs = await participants(db, id);
  const rows = await db
    .selectFrom('printed_report_figures as f')
    .leftJoin('organisations as o', 'o.id', 'f.organisation_id')
    .select(['f.id', 'f.batch', 'f.scope', 'f.organisation_id', 'f.group_key', 'f.target', 'f.value_text', 'f.level_text', 'f.actor_login', 'f.at', 'o.short_name'])
    .where('f.report_id', '=', report.id)
    .orderBy('f.id', 'desc')
    .execute();
  const audits = await db
    .selectFrom('audit_log')
    .select('details')
    .where('target_type', '=', 'campaign')
    .where('target_id', '=', id)
    .where('action', 'in', ['campaign.printed_report.figures', 'campaign.printed_report.figure_remove'])
    .where(sql<string>`details->>'report'`, '=', report.id)
    .execute();
  const byBatch = new Map<string, AuditDetails>();
  for (const a of audits) {
    const d = (typeof a.details === 'string' ? JSON.parse(a.details) : a.details) as AuditDetails;
    if (d.batch) byBatch.set(d.batch, d);
  }
  const entries = new Map<string, PrintedFigureEntry>();
  for (const r of rows) {
    const key = figureKey({ scope: r.scope, organisationId: r.organisation_id, group: r.group_key, target: r.target });
    const d = byBatch.get(r.batch) ?? {};
    const removal = r.value_text === null && r.level_text === null;
    const version: PrintedFigureVersion = {
      value: r.value_text, level: r.level_text, place: d.places?.[key] ?? null, actorLogin: r.actor_login, at: new Date(r.at).toISOString(),
      source: removal ? 'removal' : (d.source ?? 'entry'), file: d.file ?? null, reason: d.reason ?? null,
    };
    const known = entries.get(key);
    if (known) {
      known.history.push(version);
      if (known.place === null) known.place = version.place;
      continue;
    }
    const scope = r.scope as PrintedFigureEntry['scope'];
    entries.set(key, {
      id: Number(r.id), scope, organisationId: r.organisation_id, group: r.group_key,
      label: scope === 'organisation' ? (r.short_name ?? '') : scope === 'group' ? (ORG_TYPE_NAMES[r.group_key ?? '']?.full ?? r.group_key ?? '') : 'Муниципалитет',
      target: r.target, targetTitle: targetTitle(m, r.target), value: r.value_text, level: r.level_text, place: version.place, removed: removal, history: [version],
    });
  }
  // In the order they were first entered (rows come newest first: the last id seen per key is its first).
  const first = new Map<string, number>();
  for (const r of rows) first.set(figureKey({ scope: r.scope, organisationId: r.organisation_id, group: r.group_key, target: r.target }), Number(r.id));
  const items = [...entries.entries()].sort(([a], [b]) => first.get(a)! - first.get(b)!).map(([, e]) => e);
  return { items, options: figureOptions(m, orgs) };
}

/** Removes a figure entered by mistake: a row with neither value nor level is appended (the figure leaves the
 * comparison), or with `restore` the previous figure is appended again (an undo of a mistaken correction); the earlier
 * rows stay, the reason goes to the audit log. Only the figure in force can be removed. */
export async function removePrintedFigure(db: Kysely<Database>, actor: Actor, campaignId: string, reportId: string, figureId: number, input: unknown): Promise<void> {
  const { reason, restore } = parseInput(figureRemovalSchema, input);
  const { campaignId: id } = await methodologyOf(db, campaignId);
  const report = await reportRow(db, id, reportId);
  const row = await db.selectFrom('printed_report_figures').selectAll().where('id', '=', figureId).where('report_id', '=', report.id).executeTakeFirst();
  if (!row) throw new ServiceError('not_found', 'PRINTED_FIGURE_NOT_FOUND', 'Значение отчёта не найдено');
  const batch = randomUUID();
  await db.transaction().execute(async (trx) => {
    const versions = await trx
      .selectFrom('printed_report_figures')
      .select(['id', 'value_text', 'level_text'])
      .where('report_id', '=', report.id)
      .where('scope', '=', row.scope)
      .where('target', '=', row.target)
      .where((w) => (row.organisation_id === null ? w('organisation_id', 'is', null) : w('organisation_id', '=', row.organisation_id)))
      .where((w) => (row.group_key === null ? w('group_key', 'is', null) : w('group_key', '=', row.group_key)))
      .orderBy('id', 'desc')
      .execute();
    const latest = versions[0]!;
    if (Number(latest.id) !== Number(row.id)) throw new ServiceError('conflict', 'PRINTED_FIGURE_CHANGED', 'Это значение уже исправлено: обновите страницу и удалите действующее значение');
    if (latest.value_text === null && latest.level_text === null) throw new ServiceError('conflict', 'PRINTED_FIGURE_REMOVED', 'Значение уже удалено');
    const previous = restore ? versions.slice(1).find((v) => v.value_text !== null || v.level_text !== null) : undefined;
    if (restore && !previous) throw new ServiceError('validation', 'PRINTED_FIGURE_NO_PREVIOUS', 'Прежнего значения нет: значение можно только удалить', [{ path: 'restore', message: 'Прежнего значения нет' }]);
    const back = previous ? { value_text: previous.value_text, level_text: previous.level_text } : { value_text: null, level_text: null };
    await trx
      .insertInto('printed_report_figures')
      .values({ report_id: report.id, batch, scope: row.scope, organisation_id: row.organisation_id, group_key: row.group_key, target: row.target, ...back, actor_user_id: actor.userId, actor_login: actor.login })
      .execute();
    await recordAudit(trx, actor, {
      action: 'campaign.printed_report.figure_remove', targetType: 'campaign', targetId: id,
      details: {
        report: report.id, batch, scope: row.scope, organisation: row.organisation_id, group: row.group_key, target: row.target, was: { value: row.value_text, level: row.level_text }, reason,
        ...(previous ? { source: 'restore', restored: { value: previous.value_text, level: previous.level_text } } : {}),
      },
    });
  });
}
