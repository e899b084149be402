/** Addressed recommendations and management decisions (issue 7). Recommendations keep their current status in the row
 * and every status change, with the organisation's report and evidence link, as an append-only event. An organisation
 * representative sees and reports only on recommendations addressed to their organisation (checked here, server-side). */
import { ownOrLegacy } from '../municipal-scope.ts';
import { sql, type Kysely } from 'kysely';
import {
  decisionCreateSchema,
  decisionUpdateSchema,
  recommendationCreateSchema,
  recommendationStatusSchema,
  recommendationUpdateSchema,
  proposeRecommendations,
  type DirectionCode,
  type IndicatorRef,
} from '../../core/cycle/index.ts';
import type { Methodology, ResultRow, TotalRow } from '../../core/methodology/index.ts';
import type { AddresseeKind, Database, DecisionKind, RecommendationStatus } from '../../db/schema.ts';
import { recordAudit } from '../admin/audit.ts';
import { ServiceError, parseInput, type Actor } from '../errors.ts';
import { UUID } from '../../core/uuid.ts';

const invalid = (path: string, message: string) => new ServiceError('validation', 'VALIDATION', 'Проверьте заполнение полей', [{ path, message }]);

/** Who asks: the organisation scope of an org representative (null for municipal roles). */
export interface Viewer {
  orgScope: string | null;
  /** The caller's municipality (issue 9): a recommendation belongs to its organisation's municipality, or — without an
   * organisation — to its author's. Null/absent: no municipal filter. */
  municipalityScope?: string | null;
}

const recommendationMunicipality = sql<string>`coalesce(o.municipality_id, (select u.municipality_id from users u where u.id = r.created_by))`;

export interface RecommendationDto {
  id: string;
  direction: DirectionCode;
  campaignId: string | null;
  campaignTitle: string | null;
  methodologyId: string | null;
  addresseeKind: AddresseeKind;
  organisationId: string | null;
  organisationName: string | null;
  text: string;
  dueDate: string | null;
  status: RecommendationStatus;
  decisionIds: string[];
  /** What motivated it: the indicator of the campaign's results, the methodology rule and its reason. */
  indicator: string | null;
  ruleId: string | null;
  basis: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface RecommendationEventDto {
  fromStatus: RecommendationStatus | null;
  toStatus: RecommendationStatus;
  reportText: string | null;
  evidenceUrl: string | null;
  comment: string | null;
  actorLogin: string | null;
  at: string;
}

function recommendationQuery(db: Kysely<Database>) {
  return db
    .selectFrom('recommendations as r')
    .leftJoin('organisations as o', 'o.id', 'r.organisation_id')
    .leftJoin('campaigns as c', 'c.id', 'r.campaign_id')
    .select([
      'r.id', 'r.direction', 'r.campaign_id', 'c.title as campaign_title', 'r.methodology_id', 'r.addressee_kind', 'r.organisation_id',
      'o.short_name as organisation_name', 'r.text', 'r.due_date', 'r.status', 'r.created_at', 'r.updated_at', 'r.indicator', 'r.rule_id', 'r.basis',
      sql<string[]>`coalesce((select array_agg(dr.decision_id::text order by dr.decision_id) from decision_recommendations dr where dr.recommendation_id = r.id), '{}')`.as('decision_ids'),
    ]);
}

type RecRow = Awaited<ReturnType<ReturnType<typeof recommendationQuery>['executeTakeFirstOrThrow']>>;

function recDto(r: RecRow): RecommendationDto {
  return {
    id: r.id, direction: r.direction, campaignId: r.campaign_id, campaignTitle: r.campaign_title, methodologyId: r.methodology_id,
    addresseeKind: r.addressee_kind, organisationId: r.organisation_id, organisationName: r.organisation_name, text: r.text,
    dueDate: r.due_date, status: r.status, decisionIds: r.decision_ids ?? [], indicator: r.indicator, ruleId: r.rule_id, basis: r.basis,
    createdAt: new Date(r.created_at).toISOString(), updatedAt: new Date(r.updated_at).toISOString(),
  };
}

export async function listRecommendations(
  db: Kysely<Database>,
  viewer: Viewer,
  f: { direction?: DirectionCode; status?: RecommendationStatus; organisationId?: string } = {},
): Promise<RecommendationDto[]> {
  const mun = viewer.municipalityScope;
  let q = recommendationQuery(db).$if(!!mun, (qb) => qb.where(recommendationMunicipality, '=', mun as string));
  if (viewer.orgScope) q = q.where('r.organisation_id', '=', viewer.orgScope);
  if (f.organisationId) q = q.where('r.organisation_id', '=', f.organisationId);
  if (f.direction) q = q.where('r.direction', '=', f.direction);
  if (f.status) q = q.where('r.status', '=', f.status);
  const rows = await q.orderBy('r.created_at', 'desc').orderBy('r.id').execute();
  return rows.map(recDto);
}

async function findRecommendation(db: Kysely<Database>, viewer: Viewer, id: string): Promise<RecommendationDto> {
  const row = UUID.test(id) ? await recommendationQuery(db).$if(!!viewer.municipalityScope, (qb) => qb.where(recommendationMunicipality, '=', viewer.municipalityScope as string)).where('r.id', '=', id).executeTakeFirst() : undefined;
  if (!row) throw new ServiceError('not_found', 'RECOMMENDATION_NOT_FOUND', 'Рекомендация не найдена');
  if (viewer.orgScope && row.organisation_id !== viewer.orgScope) throw new ServiceError('forbidden', 'FORBIDDEN', 'Рекомендация адресована другой организации');
  return recDto(row);
}

export async function getRecommendation(db: Kysely<Database>, viewer: Viewer, id: string): Promise<RecommendationDto & { events: RecommendationEventDto[] }> {
  const rec = await findRecommendation(db, viewer, id);
  const events = await db.selectFrom('recommendation_events').selectAll().where('recommendation_id', '=', rec.id).orderBy('id').execute();
  return {
    ...rec,
    events: events.map((e) => ({
      fromStatus: e.from_status, toStatus: e.to_status, reportText: e.report_text, evidenceUrl: e.evidence_url, comment: e.comment,
      actorLogin: e.actor_login, at: new Date(e.at).toISOString(),
    })),
  };
}

async function checkOrganisations(db: Kysely<Database>, ids: string[], path: string): Promise<void> {
  if (ids.length === 0) return;
  const found = await db.selectFrom('organisations').select('id').where('id', 'in', ids).execute();
  if (found.length !== new Set(ids).size) throw invalid(path, 'Организация не найдена');
}

/** Creates one recommendation per organisation (or one without an organisation), each with its `issued` event. */
export async function createRecommendations(db: Kysely<Database>, actor: Actor, input: unknown): Promise<RecommendationDto[]> {
  const data = parseInput(recommendationCreateSchema, input);
  const orgIds = [...new Set(data.organisationIds)];
  await checkOrganisations(db, orgIds, 'organisationIds');
  if (data.campaignId && !(await db.selectFrom('campaigns').select('id').where('id', '=', data.campaignId).executeTakeFirst())) throw invalid('campaignId', 'Мониторинг не найден');
  const ids = await db.transaction().execute(async (trx) => {
    const out: string[] = [];
    for (const organisationId of orgIds.length ? orgIds : [null]) {
      const row = await trx
        .insertInto('recommendations')
        .values({
          direction: data.direction, campaign_id: data.campaignId ?? null, methodology_id: data.methodologyId ?? null,
          addressee_kind: data.addresseeKind, organisation_id: organisationId, text: data.text, due_date: data.dueDate ?? null, created_by: actor.userId,
          indicator: data.indicator ?? null, rule_id: data.ruleId ?? null, basis: data.basis || null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.insertInto('recommendation_events').values({ recommendation_id: row.id, from_status: null, to_status: 'issued', actor_user_id: actor.userId, actor_login: actor.login }).execute();
      await recordAudit(trx, actor, { action: 'recommendation.create', targetType: 'recommendation', targetId: row.id, details: { direction: data.direction, organisationId, addresseeKind: data.addresseeKind, dueDate: data.dueDate ?? null, campaignId: data.campaignId ?? null, indicator: data.indicator ?? null, ruleId: data.ruleId ?? null } });
      out.push(row.id);
    }
    return out;
  });
  const rows = await recommendationQuery(db).where('r.id', 'in', ids).execute();
  return ids.map((id) => recDto(rows.find((r) => r.id === id)!));
}

export async function updateRecommendation(db: Kysely<Database>, actor: Actor, id: string, input: unknown): Promise<RecommendationDto> {
  const patch = parseInput(recommendationUpdateSchema, input);
  const before = await findRecommendation(db, { orgScope: null }, id);
  if (before.status === 'verified') throw new ServiceError('conflict', 'RECOMMENDATION_VERIFIED', 'Выполнение рекомендации уже подтверждено — изменять её нельзя');
  if (patch.organisationId) await checkOrganisations(db, [patch.organisationId], 'organisationId');
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('recommendations')
      .set({
        ...(patch.addresseeKind !== undefined ? { addressee_kind: patch.addresseeKind } : {}),
        ...(patch.organisationId !== undefined ? { organisation_id: patch.organisationId } : {}),
        ...(patch.text !== undefined ? { text: patch.text } : {}),
        ...(patch.dueDate !== undefined ? { due_date: patch.dueDate } : {}),
        updated_at: sql`now()`,
      })
      .where('id', '=', before.id)
      .execute();
    await recordAudit(trx, actor, {
      action: 'recommendation.update', targetType: 'recommendation', targetId: before.id,
      details: { before: { addresseeKind: before.addresseeKind, organisationId: before.organisationId, text: before.text, dueDate: before.dueDate }, patch },
    });
  });
  return findRecommendation(db, { orgScope: null }, before.id);
}

/** Allowed status changes. Organisation representatives: issued → in_progress → done (with a report). Municipal roles
 * additionally verify a done recommendation or return it to in_progress with a comment. */
const TRANSITIONS: Record<RecommendationStatus, RecommendationStatus[]> = {
  issued: ['in_progress', 'done'],
  in_progress: ['done'],
  done: ['verified', 'in_progress'],
  verified: [],
};

export async function changeRecommendationStatus(db: Kysely<Database>, actor: Actor, viewer: Viewer, id: string, input: unknown): Promise<RecommendationDto & { events: RecommendationEventDto[] }> {
  const data = parseInput(recommendationStatusSchema, input);
  const rec = await findRecommendation(db, viewer, id);
  const isOrg = viewer.orgScope !== null;
  if (!TRANSITIONS[rec.status].includes(data.status)) {
    throw new ServiceError('conflict', 'RECOMMENDATION_TRANSITION', `Нельзя перевести рекомендацию из статуса «${rec.status}» в «${data.status}»`);
  }
  if (isOrg && rec.status === 'done') throw new ServiceError('forbidden', 'FORBIDDEN', 'Проверку выполнения проводит управление образования');
  if (data.status === 'done' && !data.reportText) throw invalid('reportText', 'Опишите, что сделано по рекомендации');
  if (rec.status === 'done' && data.status === 'in_progress' && !data.comment) throw invalid('comment', 'Укажите, почему рекомендация возвращена на доработку');
  await db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable('recommendations')
      .set({ status: data.status, updated_at: sql`now()` })
      .where('id', '=', rec.id)
      .where('status', '=', rec.status)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) throw new ServiceError('conflict', 'RECOMMENDATION_CHANGED', 'Рекомендацию только что изменили — обновите страницу');
    await trx
      .insertInto('recommendation_events')
      .values({
        recommendation_id: rec.id, from_status: rec.status, to_status: data.status, report_text: data.reportText || null,
        evidence_url: data.evidenceUrl ?? null, comment: data.comment || null, actor_user_id: actor.userId, actor_login: actor.login,
      })
      .execute();
    await recordAudit(trx, actor, { action: 'recommendation.status', targetType: 'recommendation', targetId: rec.id, details: { from: rec.status, to: data.status, evidenceUrl: data.evidenceUrl ?? null } });
  });
  return getRecommendation(db, viewer, rec.id);
}

export interface DecisionDto {
  id: string;
  direction: DirectionCode;
  kind: DecisionKind;
  number: string | null;
  date: string;
  title: string;
  responsible: string;
  documentUrl: string | null;
  indicators: IndicatorRef[];
  recommendationIds: string[];
  /** The campaign whose results motivated it (the «before» of the effect). */
  campaignId: string | null;
  effectEvaluatedAt: string | null;
  effectNote: string | null;
  createdAt: string;
}

function decisionQuery(db: Kysely<Database>) {
  return db
    .selectFrom('decisions as d')
    .selectAll('d')
    .select(sql<string[]>`coalesce((select array_agg(dr.recommendation_id::text order by dr.recommendation_id) from decision_recommendations dr where dr.decision_id = d.id), '{}')`.as('recommendation_ids'));
}
type DecRow = Awaited<ReturnType<ReturnType<typeof decisionQuery>['executeTakeFirstOrThrow']>>;

function decDto(r: DecRow): DecisionDto {
  return {
    id: r.id, direction: r.direction, kind: r.kind, number: r.number, date: r.date, title: r.title, responsible: r.responsible,
    documentUrl: r.document_url, indicators: (r.indicators ?? []) as IndicatorRef[], recommendationIds: r.recommendation_ids ?? [], campaignId: r.campaign_id,
    effectEvaluatedAt: r.effect_evaluated_at, effectNote: r.effect_note, createdAt: new Date(r.created_at).toISOString(),
  };
}

export async function listDecisions(db: Kysely<Database>, f: { direction?: DirectionCode; municipalityId?: string | null } = {}): Promise<DecisionDto[]> {
  let q = decisionQuery(db);
  if (f.municipalityId) q = q.where(ownOrLegacy('d.municipality_id', f.municipalityId));
  if (f.direction) q = q.where('d.direction', '=', f.direction);
  return (await q.orderBy('d.date', 'desc').orderBy('d.created_at', 'desc').execute()).map(decDto);
}

export async function getDecision(db: Kysely<Database>, id: string): Promise<DecisionDto> {
  const row = UUID.test(id) ? await decisionQuery(db).where('d.id', '=', id).executeTakeFirst() : undefined;
  if (!row) throw new ServiceError('not_found', 'DECISION_NOT_FOUND', 'Управленческое решение не найдено');
  return decDto(row);
}

async function checkRecommendations(db: Kysely<Database>, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const found = await db.selectFrom('recommendations').select('id').where('id', 'in', ids).execute();
  if (found.length !== new Set(ids).size) throw invalid('recommendationIds', 'Рекомендация не найдена');
}

async function checkCampaign(db: Kysely<Database>, id: string | null): Promise<void> {
  if (id && !(await db.selectFrom('campaigns').select('id').where('id', '=', id).executeTakeFirst())) throw invalid('campaignId', 'Мониторинг не найден');
}

export async function createDecision(db: Kysely<Database>, actor: Actor, input: unknown, municipalityId: string | null = null): Promise<DecisionDto> {
  const data = parseInput(decisionCreateSchema, input);
  const recIds = [...new Set(data.recommendationIds)];
  await checkRecommendations(db, recIds);
  await checkCampaign(db, data.campaignId ?? null);
  const id = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('decisions')
      .values({
        direction: data.direction, kind: data.kind, number: data.number || null, date: data.date, title: data.title, responsible: data.responsible,
        document_url: data.documentUrl ?? null, indicators: JSON.stringify(data.indicators), created_by: actor.userId, campaign_id: data.campaignId ?? null,
        municipality_id: municipalityId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (recIds.length) await trx.insertInto('decision_recommendations').values(recIds.map((r) => ({ decision_id: row.id, recommendation_id: r }))).execute();
    await recordAudit(trx, actor, { action: 'decision.create', targetType: 'decision', targetId: row.id, details: { direction: data.direction, kind: data.kind, date: data.date, recommendationIds: recIds, campaignId: data.campaignId ?? null, indicators: data.indicators } });
    return row.id;
  });
  return getDecision(db, id);
}

export async function updateDecision(db: Kysely<Database>, actor: Actor, id: string, input: unknown): Promise<DecisionDto> {
  const patch = parseInput(decisionUpdateSchema, input);
  const before = await getDecision(db, id);
  if (patch.recommendationIds) await checkRecommendations(db, patch.recommendationIds);
  if (patch.campaignId) await checkCampaign(db, patch.campaignId);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('decisions')
      .set({
        ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
        ...(patch.number !== undefined ? { number: patch.number || null } : {}),
        ...(patch.date !== undefined ? { date: patch.date } : {}),
        ...(patch.title !== undefined ? { title: patch.title } : {}),
        ...(patch.responsible !== undefined ? { responsible: patch.responsible } : {}),
        ...(patch.documentUrl !== undefined ? { document_url: patch.documentUrl } : {}),
        ...(patch.indicators !== undefined ? { indicators: JSON.stringify(patch.indicators) } : {}),
        ...(patch.campaignId !== undefined ? { campaign_id: patch.campaignId } : {}),
        ...(patch.effectEvaluatedAt !== undefined ? { effect_evaluated_at: patch.effectEvaluatedAt } : {}),
        ...(patch.effectNote !== undefined ? { effect_note: patch.effectNote || null } : {}),
        updated_at: sql`now()`,
      })
      .where('id', '=', before.id)
      .execute();
    if (patch.recommendationIds) {
      await trx.deleteFrom('decision_recommendations').where('decision_id', '=', before.id).execute();
      const ids = [...new Set(patch.recommendationIds)];
      if (ids.length) await trx.insertInto('decision_recommendations').values(ids.map((r) => ({ decision_id: before.id, recommendation_id: r }))).execute();
    }
    await recordAudit(trx, actor, { action: 'decision.update', targetType: 'decision', targetId: before.id, details: { before, patch } });
  });
  return getDecision(db, before.id);
}

export interface ProposalDto {
  organisation: string;
  organisationId: string | null;
  rule: string;
  addressee: AddresseeKind;
  text: string;
  dueDays: number | null;
  because: string;
}

/** Proposes addressed recommendations by the methodology's `recommendation_rules` over a computed data file; nothing is
 * stored — the analyst issues the ones they accept. Organisations are matched to the registry by short name. */
export async function proposeFromComputation(
  db: Kysely<Database>,
  methodology: Methodology,
  output: { results: readonly ResultRow[]; totals: readonly TotalRow[] },
): Promise<{ methodologyId: string; direction: DirectionCode; rules: number; proposals: ProposalDto[]; skipped: { organisation: string; rule: string; reason: string }[]; unmatched: string[] }> {
  const rules = methodology.recommendation_rules ?? [];
  const { proposals, skipped } = proposeRecommendations(rules, output);
  const names = [...new Set(proposals.map((p) => p.organisation))];
  const orgs = names.length ? await db.selectFrom('organisations').select(['id', 'short_name']).where('short_name', 'in', names).execute() : [];
  const byName = new Map(orgs.map((o) => [o.short_name, o.id]));
  return {
    methodologyId: methodology.id,
    direction: methodology.direction,
    rules: rules.length,
    proposals: proposals.map((p) => ({ ...p, organisationId: byName.get(p.organisation) ?? null })),
    skipped,
    unmatched: names.filter((n) => !byName.has(n)),
  };
}
