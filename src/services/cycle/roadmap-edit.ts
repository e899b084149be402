/** Hand edits of road-map events (issue 7): add an event to a direction's year, change its wording, deadline (re-parsed
 * into a rule), executor or expected document, remove it (a mark — the row, its completions and evidence stay) and
 * restore it. Every edit appends a revision with the fields before and after (`roadmap_event_revisions`, append-only)
 * and an audit row, in one transaction. */
import { ownOrLegacy } from '../municipal-scope.ts';
import { sql, type Kysely } from 'kysely';
import { parseDeadline } from '../../core/calendar/index.ts';
import { roadmapEventCreateSchema, roadmapEventUpdateSchema, type DirectionCode } from '../../core/cycle/index.ts';
import type { Database } from '../../db/schema.ts';
import { recordAudit } from '../admin/audit.ts';
import { ServiceError, parseInput, type Actor } from '../errors.ts';
import { UUID } from '../../core/uuid.ts';

/** The editable fields of an event, as kept in revisions. */
export interface RoadmapEventFields {
  section: string | null;
  number: string | null;
  title: string;
  deadlineText: string;
  executor: string;
  expectedDocument: string | null;
  note: string | null;
}

export interface RoadmapEventRevisionDto {
  action: 'create' | 'update' | 'remove' | 'restore';
  before: RoadmapEventFields | null;
  after: RoadmapEventFields | null;
  actorLogin: string | null;
  at: string;
}

type EventRow = Awaited<ReturnType<typeof findEvent>>;

async function findEvent(db: Kysely<Database>, id: string) {
  const row = UUID.test(id) ? await db.selectFrom('roadmap_events').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
  if (!row) throw new ServiceError('not_found', 'ROADMAP_EVENT_NOT_FOUND', 'Мероприятие дорожной карты не найдено');
  return row;
}

function fieldsOf(r: EventRow): RoadmapEventFields {
  return { section: r.section, number: r.number, title: r.title, deadlineText: r.deadline_text, executor: r.executor, expectedDocument: r.expected_document, note: r.note };
}

function ruleOf(deadlineText: string): string {
  const parsed = parseDeadline(deadlineText);
  if (!parsed.ok) throw new ServiceError('validation', 'VALIDATION', 'Проверьте заполнение полей', [{ path: 'deadlineText', message: parsed.error }]);
  return JSON.stringify(parsed.value);
}

async function revise(trx: Kysely<Database>, actor: Actor, eventId: string, action: RoadmapEventRevisionDto['action'], before: RoadmapEventFields | null, after: RoadmapEventFields | null): Promise<void> {
  await trx
    .insertInto('roadmap_event_revisions')
    .values({ event_id: eventId, action, before: before ? JSON.stringify(before) : null, after: after ? JSON.stringify(after) : null, actor_user_id: actor.userId, actor_login: actor.login })
    .execute();
  await recordAudit(trx, actor, { action: `roadmap.event.${action}`, targetType: 'roadmap_event', targetId: eventId, details: { before, after } });
}

export async function createRoadmapEvent(db: Kysely<Database>, actor: Actor, direction: DirectionCode, year: number, input: unknown, municipalityId: string | null = null): Promise<{ id: string }> {
  const data = parseInput(roadmapEventCreateSchema, input);
  const fields: RoadmapEventFields = {
    section: data.section || null, number: data.number || null, title: data.title, deadlineText: data.deadlineText, executor: data.executor,
    expectedDocument: data.expectedDocument || null, note: data.note || null,
  };
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('roadmap_events')
      .values({
        municipality_id: municipalityId, direction, year, template_seq: null, number: fields.number, section: fields.section, title: fields.title, deadline_text: fields.deadlineText,
        rule: ruleOf(fields.deadlineText), executor: fields.executor, expected_document: fields.expectedDocument, note: fields.note, created_by: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await revise(trx, actor, row.id, 'create', null, fields);
    return { id: row.id };
  });
}

export async function updateRoadmapEvent(db: Kysely<Database>, actor: Actor, id: string, input: unknown): Promise<{ id: string }> {
  const patch = parseInput(roadmapEventUpdateSchema, input);
  const row = await findEvent(db, id);
  if (row.removed_at) throw new ServiceError('conflict', 'ROADMAP_EVENT_REMOVED', 'Мероприятие удалено — сначала восстановите его');
  const before = fieldsOf(row);
  const after: RoadmapEventFields = {
    section: patch.section !== undefined ? patch.section || null : before.section,
    number: patch.number !== undefined ? patch.number || null : before.number,
    title: patch.title ?? before.title,
    deadlineText: patch.deadlineText ?? before.deadlineText,
    executor: patch.executor ?? before.executor,
    expectedDocument: patch.expectedDocument !== undefined ? patch.expectedDocument || null : before.expectedDocument,
    note: patch.note !== undefined ? patch.note || null : before.note,
  };
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('roadmap_events')
      .set({
        section: after.section, number: after.number, title: after.title, deadline_text: after.deadlineText, rule: ruleOf(after.deadlineText),
        executor: after.executor, expected_document: after.expectedDocument, note: after.note, updated_at: sql`now()`,
      })
      .where('id', '=', row.id)
      .execute();
    await revise(trx, actor, row.id, 'update', before, after);
  });
  return { id: row.id };
}

export async function removeRoadmapEvent(db: Kysely<Database>, actor: Actor, id: string): Promise<{ id: string }> {
  const row = await findEvent(db, id);
  if (row.removed_at) throw new ServiceError('conflict', 'ROADMAP_EVENT_REMOVED', 'Мероприятие уже удалено');
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('roadmap_events').set({ removed_at: sql`now()`, removed_by: actor.userId, updated_at: sql`now()` }).where('id', '=', row.id).execute();
    await revise(trx, actor, row.id, 'remove', fieldsOf(row), null);
  });
  return { id: row.id };
}

export async function restoreRoadmapEvent(db: Kysely<Database>, actor: Actor, id: string): Promise<{ id: string }> {
  const row = await findEvent(db, id);
  if (!row.removed_at) throw new ServiceError('conflict', 'ROADMAP_EVENT_NOT_REMOVED', 'Мероприятие не удалено');
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('roadmap_events').set({ removed_at: null, removed_by: null, updated_at: sql`now()` }).where('id', '=', row.id).execute();
    await revise(trx, actor, row.id, 'restore', null, fieldsOf(row));
  });
  return { id: row.id };
}

export async function roadmapEventHistory(db: Kysely<Database>, id: string): Promise<{ id: string; removed: boolean; revisions: RoadmapEventRevisionDto[] }> {
  const row = await findEvent(db, id);
  const revs = await db.selectFrom('roadmap_event_revisions').selectAll().where('event_id', '=', row.id).orderBy('id').execute();
  return {
    id: row.id,
    removed: row.removed_at !== null,
    revisions: revs.map((r) => ({ action: r.action, before: r.before as RoadmapEventFields | null, after: r.after as RoadmapEventFields | null, actorLogin: r.actor_login, at: new Date(r.at).toISOString() })),
  };
}

/** Removed events of a direction's year (for «Восстановить»). */
export async function removedRoadmapEvents(db: Kysely<Database>, direction: DirectionCode, year: number, municipalityId: string | null = null): Promise<{ id: string; title: string; removedAt: string }[]> {
  const rows = await db
    .selectFrom('roadmap_events')
    .select(['id', 'title', 'removed_at'])
    .$if(!!municipalityId, (q) => q.where(ownOrLegacy('municipality_id', municipalityId!)))
    .where('direction', '=', direction)
    .where('year', '=', year)
    .where('removed_at', 'is not', null)
    .orderBy('removed_at', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, title: r.title, removedAt: new Date(r.removed_at as Date).toISOString() }));
}
