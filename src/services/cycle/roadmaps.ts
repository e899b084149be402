/** Road maps (issue 7): the seven templates of seed 001 (library/roadmaps), their import for a year (idempotent,
 * audited), the year's view with derived occurrences and statuses, append-only completions, iCalendar export.
 * `today` always comes from the caller (the route reads the clock), never from here. */
import { ownOrLegacy } from '../municipal-scope.ts';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { parse as parseYaml } from 'yaml';
import { addDays, occurrenceEvents, occurrences, renderICalendar, type CalendarEvent } from '../../core/calendar/index.ts';
import {
  completionCreateSchema,
  compileRoadmapTemplate,
  DIRECTION_CODES,
  DIRECTION_LABELS,
  roadmapView,
  storedRule,
  type CompiledRoadmapEvent,
  type CompletionInput,
  type DirectionCode,
  type RoadmapTemplate,
} from '../../core/cycle/index.ts';
import type { OccurrenceStatus } from '../../core/calendar/index.ts';
import type { Database } from '../../db/schema.ts';
import { recordAudit } from '../admin/audit.ts';
import { ServiceError, parseInput, type Actor } from '../errors.ts';
import { LIBRARY_DIR } from '../methodology/methodology-library.ts';
import { removedRoadmapEvents } from './roadmap-edit.ts';
import { UUID } from '../../core/uuid.ts';

async function evidenceCounts(db: Kysely<Database>, eventIds: string[]): Promise<Map<string, number>> {
  if (eventIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('evidence_files')
    .select(['owner_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('owner_type', '=', 'roadmap_event')
    .where('owner_id', 'in', eventIds)
    .where('removed_at', 'is', null)
    .groupBy('owner_id')
    .execute();
  return new Map(rows.map((r) => [r.owner_id, Number(r.n)]));
}

export const ROADMAP_DIR = path.join(LIBRARY_DIR, 'roadmaps');

export interface LoadedTemplate {
  template: RoadmapTemplate;
  events: CompiledRoadmapEvent[];
  file: string;
}

/** The template of a direction from library/roadmaps/<direction>.yaml; a `validation` error names what failed. */
export async function loadRoadmapTemplate(direction: DirectionCode, dir: string = ROADMAP_DIR): Promise<LoadedTemplate> {
  const file = path.join(dir, `${direction}.yaml`);
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) throw new ServiceError('not_found', 'ROADMAP_TEMPLATE_NOT_FOUND', `Шаблон дорожной карты для направления «${DIRECTION_LABELS[direction]}» не найден`);
  const compiled = compileRoadmapTemplate(parseYaml(text));
  if (!compiled.ok) throw new ServiceError('validation', 'ROADMAP_TEMPLATE_INVALID', `${path.basename(file)}: ${compiled.error}`);
  if (compiled.value.template.direction !== direction) {
    throw new ServiceError('validation', 'ROADMAP_TEMPLATE_INVALID', `${path.basename(file)}: направление в файле «${compiled.value.template.direction}», ожидалось «${direction}»`);
  }
  return { ...compiled.value, file };
}

export interface TemplateSummary {
  direction: DirectionCode;
  directionLabel: string;
  title: string;
  source: string;
  years: { from: number; to: number };
  events: number;
  unscheduled: number;
}

export async function listRoadmapTemplates(dir: string = ROADMAP_DIR): Promise<TemplateSummary[]> {
  const files = new Set((await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.yaml')));
  const out: TemplateSummary[] = [];
  for (const d of DIRECTION_CODES) {
    if (!files.has(`${d}.yaml`)) continue;
    const t = await loadRoadmapTemplate(d, dir);
    out.push({
      direction: d, directionLabel: DIRECTION_LABELS[d], title: t.template.title, source: t.template.source, years: t.template.years,
      events: t.events.length, unscheduled: t.events.filter((e) => e.rule.kind === 'unscheduled').length,
    });
  }
  return out;
}

/** Creates the template's events for a year; events already imported (same direction, year, position) are kept. */
export async function importRoadmapTemplate(db: Kysely<Database>, actor: Actor, direction: DirectionCode, year: number, municipalityId: string | null = null): Promise<{ inserted: number; existing: number; total: number }> {
  const { events, template } = await loadRoadmapTemplate(direction);
  return db.transaction().execute(async (trx) => {
    // A legacy (municipality-less) road map of the year counts as imported: its positions are not added again.
    const legacy = municipalityId
      ? new Set((await trx.selectFrom('roadmap_events').select('template_seq').where('direction', '=', direction).where('year', '=', year).where('municipality_id', 'is', null).execute()).map((r) => r.template_seq))
      : new Set<number | null>();
    const rows = events.map((e, i) => ({ municipality_id: municipalityId,
      direction, year, template_seq: i + 1, number: e.number ?? null, section: e.section ?? null, title: e.title,
      deadline_text: e.deadline, rule: JSON.stringify(e.rule), executor: e.executor, expected_document: e.expected_document ?? null,
      note: e.note ?? null, created_by: actor.userId,
    }));
    const fresh = rows.filter((r) => !legacy.has(r.template_seq));
    const inserted = fresh.length === 0 ? [] : await trx
      .insertInto('roadmap_events')
      .values(fresh)
      .onConflict((oc) => oc.columns(['municipality_id', 'direction', 'year', 'template_seq']).doNothing())
      .returning('id')
      .execute();
    await recordAudit(trx, actor, {
      action: 'roadmap.import',
      targetType: 'roadmap',
      targetId: `${direction}/${year}`,
      details: { direction, year, source: template.source, inserted: inserted.length, existing: rows.length - inserted.length },
    });
    return { inserted: inserted.length, existing: rows.length - inserted.length, total: rows.length };
  });
}

export interface RoadmapEventDto {
  id: string;
  number: string | null;
  section: string | null;
  title: string;
  deadlineText: string;
  executor: string;
  expectedDocument: string | null;
  note: string | null;
  ruleNote: string | null;
  fromTemplate: boolean;
  /** Changed by hand after import or creation (history: GET /api/roadmaps/events/:id/history). */
  edited: boolean;
  /** Evidence files attached to the event (any occurrence). */
  files: number;
  unscheduled: string | null;
  occurrences: {
    start: string;
    due: string;
    label: string;
    status: OccurrenceStatus;
    statusLabel: string;
    completion: { doneAt: string; evidenceUrl: string | null; note: string | null; actorLogin: string | null; at: string } | null;
  }[];
}

export interface RoadmapDto {
  direction: DirectionCode;
  directionLabel: string;
  year: number;
  today: string;
  templateAvailable: boolean;
  events: RoadmapEventDto[];
  counts: Record<OccurrenceStatus, number>;
  /** Events removed by hand (restorable). */
  removed: { id: string; title: string; removedAt: string }[];
}

async function completionsOf(db: Kysely<Database>, eventIds: string[]): Promise<CompletionInput[]> {
  if (eventIds.length === 0) return [];
  const rows = await db.selectFrom('roadmap_completions').selectAll().where('event_id', 'in', eventIds).orderBy('id').execute();
  return rows.map((r) => ({
    eventId: r.event_id, occurrenceDue: r.occurrence_due, doneAt: r.done_at, evidenceUrl: r.evidence_url, note: r.note,
    actorLogin: r.actor_login, at: new Date(r.at).toISOString(),
  }));
}

export async function getRoadmap(db: Kysely<Database>, direction: DirectionCode, year: number, today: string, municipalityId: string | null = null): Promise<RoadmapDto> {
  const rows = await db
    .selectFrom('roadmap_events')
    .selectAll()
    .$if(!!municipalityId, (q) => q.where(ownOrLegacy('municipality_id', municipalityId!)))
    .where('direction', '=', direction)
    .where('year', '=', year)
    .where('removed_at', 'is', null)
    .orderBy('template_seq', (ob) => ob.asc().nullsLast())
    .orderBy('created_at')
    .execute();
  const events = rows.map((r) => ({ id: r.id, title: r.title, rule: storedRule(r.rule), row: r }));
  const view = roadmapView(events, await completionsOf(db, rows.map((r) => r.id)), year, today);
  const counts: Record<OccurrenceStatus, number> = { done: 0, done_late: 0, overdue: 0, due_soon: 0, planned: 0 };
  for (const e of view) for (const o of e.occurrences) counts[o.status]++;
  const templateAvailable = await readFile(path.join(ROADMAP_DIR, `${direction}.yaml`)).then(() => true, () => false);
  const files = await evidenceCounts(db, rows.map((r) => r.id));
  return {
    direction, directionLabel: DIRECTION_LABELS[direction], year, today, templateAvailable, counts,
    removed: await removedRoadmapEvents(db, direction, year, municipalityId),
    events: view.map((e) => ({
      id: e.id, number: e.row.number, section: e.row.section, title: e.title, deadlineText: e.row.deadline_text, executor: e.row.executor,
      expectedDocument: e.row.expected_document, note: e.row.note, ruleNote: e.rule.note ?? null, fromTemplate: e.row.template_seq !== null,
      edited: e.row.updated_at !== null, files: files.get(e.id) ?? 0,
      unscheduled: e.unscheduled,
      occurrences: e.occurrences.map((o) => ({
        start: o.start, due: o.due, label: o.label, status: o.status, statusLabel: o.statusLabel,
        completion: o.completion ? { doneAt: o.completion.doneAt, evidenceUrl: o.completion.evidenceUrl, note: o.completion.note, actorLogin: o.completion.actorLogin, at: o.completion.at } : null,
      })),
    })),
  };
}

/** Marks an occurrence done (append-only; a later mark for the same occurrence supersedes the earlier one). */
export async function addCompletion(db: Kysely<Database>, actor: Actor, eventId: string, input: unknown, today: string): Promise<{ id: number }> {
  const data = parseInput(completionCreateSchema, input);
  const event = UUID.test(eventId) ? await db.selectFrom('roadmap_events').selectAll().where('id', '=', eventId).executeTakeFirst() : undefined;
  if (!event) throw new ServiceError('not_found', 'ROADMAP_EVENT_NOT_FOUND', 'Мероприятие дорожной карты не найдено');
  if (event.removed_at) throw new ServiceError('conflict', 'ROADMAP_EVENT_REMOVED', 'Мероприятие удалено — сначала восстановите его');
  const rule = storedRule(event.rule);
  const dues = new Set([...occurrences(rule, event.year), ...occurrences(rule, event.year, { by: 'due' })].map((o) => o.due));
  if (!dues.has(data.occurrenceDue)) {
    throw new ServiceError('validation', 'VALIDATION', 'Проверьте заполнение полей', [{ path: 'occurrenceDue', message: `У мероприятия нет срока ${data.occurrenceDue} в ${event.year} году` }]);
  }
  // The server's today is a UTC date; the municipality's calendar may already be a day ahead (UTC+2…+12).
  if (data.doneAt > addDays(today, 1)) throw new ServiceError('validation', 'VALIDATION', 'Проверьте заполнение полей', [{ path: 'doneAt', message: 'Дата выполнения не может быть в будущем' }]);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('roadmap_completions')
      .values({
        event_id: event.id, occurrence_due: data.occurrenceDue, done_at: data.doneAt, evidence_url: data.evidenceUrl ?? null, note: data.note || null,
        actor_user_id: actor.userId, actor_login: actor.login,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      action: 'roadmap.complete',
      targetType: 'roadmap_event',
      targetId: event.id,
      details: { occurrenceDue: data.occurrenceDue, doneAt: data.doneAt, evidenceUrl: data.evidenceUrl ?? null },
    });
    return { id: Number(row.id) };
  });
}

/** iCalendar of the year's occurrences (by period, as on the road-map page); `stamp` is the export time (DTSTAMP). */
export async function roadmapCalendar(db: Kysely<Database>, direction: DirectionCode, year: number, stamp: string, municipalityId: string | null = null): Promise<{ filename: string; body: string; events: number }> {
  const rows = await db.selectFrom('roadmap_events').selectAll().$if(!!municipalityId, (q) => q.where(ownOrLegacy('municipality_id', municipalityId!))).where('direction', '=', direction).where('year', '=', year).where('removed_at', 'is', null).orderBy('template_seq', (ob) => ob.asc().nullsLast()).orderBy('created_at').execute();
  const events: CalendarEvent[] = rows.flatMap((r) => {
    const description = [
      `Ответственный исполнитель: ${r.executor}`,
      r.expected_document ? `Ожидаемый результат: ${r.expected_document}` : '',
      `Срок по дорожной карте: ${r.deadline_text}`,
    ].filter(Boolean).join('\n');
    return occurrenceEvents(r.title, occurrences(storedRule(r.rule), year), { description, key: r.id });
  });
  return {
    filename: `roadmap-${direction}-${year}.ics`,
    body: renderICalendar(events, { stamp, name: `Дорожная карта: ${DIRECTION_LABELS[direction]} (${year})` }),
    events: events.length,
  };
}
