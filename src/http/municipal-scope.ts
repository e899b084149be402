/** Municipal scoping of routes by id (issue 9). A municipal user (`request.municipalityScope`, set by the guard) may
 * reach a campaign, survey, import, recommendation, road-map event, decision or evidence file by id — to read or to
 * write — only when it belongs to their municipality; otherwise the answer is 404, exactly as for a missing object, so
 * ids of other municipalities are neither usable nor confirmable. An `:orgId` in the url must be an organisation of
 * the municipality too. Belonging:
 * - a campaign or survey: one of its participants is in the municipality (a regional campaign belongs to several);
 * - an import: its campaign; a recommendation: its organisation's municipality, without one its author's (as its card);
 * - a road-map event or decision: its `municipality_id`, null (legacy, before 0011) meaning every municipality;
 * - an evidence file: its owner.
 * Status changes of a regional campaign (src/services/region/region-campaigns.ts) belong to the regional analyst: 403.
 * Runs before body validation, so a foreign id is 404 whatever the body. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db/schema.ts';
import { hasParticipantIn } from '../services/collection/campaigns.ts';
import { ServiceError } from '../services/errors.ts';
import { UUID } from '../core/uuid.ts';

type Kind = 'campaign' | 'survey' | 'import' | 'recommendation' | 'roadmap_event' | 'decision' | 'evidence';

const NOT_FOUND: Record<Kind | 'organisation', [string, string]> = {
  campaign: ['CAMPAIGN_NOT_FOUND', 'Мониторинг не найден'],
  survey: ['SURVEY_NOT_FOUND', 'Опрос не найден'],
  import: ['IMPORT_NOT_FOUND', 'Импорт не найден'],
  recommendation: ['RECOMMENDATION_NOT_FOUND', 'Рекомендация не найдена'],
  roadmap_event: ['ROADMAP_EVENT_NOT_FOUND', 'Мероприятие дорожной карты не найдено'],
  decision: ['DECISION_NOT_FOUND', 'Управленческое решение не найдено'],
  evidence: ['EVIDENCE_NOT_FOUND', 'Файл не найден'],
  organisation: ['ORGANISATION_NOT_FOUND', 'Организация не найдена'],
};

/** Route url prefix (with `:id`) → what `:id` names. */
const ROUTES: [string, Kind][] = [
  ['/api/campaigns/:id', 'campaign'],
  ['/api/surveys/:id', 'survey'],
  ['/api/imports/:id', 'import'],
  ['/api/recommendations/:id', 'recommendation'],
  ['/api/roadmaps/events/:id', 'roadmap_event'],
  ['/api/decisions/:id', 'decision'],
  ['/api/evidence/:id', 'evidence'],
];

const CAMPAIGN_STATUS_ROUTES = /^POST \/api\/campaigns\/:id\/(open|close|reopen|publish)$/;

function kindOf(routeId: string): Kind | null {
  const url = routeId.slice(routeId.indexOf(' ') + 1);
  for (const [prefix, kind] of ROUTES) if (url === prefix || url.startsWith(`${prefix}/`)) return kind;
  return null;
}

/** True when the object exists and belongs to the municipality (absent objects are left to the service's 404). */
async function belongs(db: Kysely<Database>, kind: Kind, id: string, mun: string): Promise<boolean> {
  const one = async (q: RawBuilder<{ ok: boolean | null }>) => (await q.execute(db)).rows[0]?.ok ?? true;
  switch (kind) {
    case 'campaign':
      return one(sql`select ${hasParticipantIn(mun)} as ok from campaigns c where c.id = ${id}`);
    case 'survey':
      return one(sql`select exists (select 1 from survey_links l join organisations o on o.id = l.organisation_id where l.survey_id = s.id and o.municipality_id = ${mun}) as ok from surveys s where s.id = ${id}`);
    case 'import': {
      const row = await db.selectFrom('imports').select('campaign_id').where('id', '=', id).executeTakeFirst();
      return !row?.campaign_id || belongs(db, 'campaign', row.campaign_id, mun);
    }
    case 'recommendation':
      return one(sql`select coalesce(o.municipality_id, (select u.municipality_id from users u where u.id = r.created_by)) is not distinct from ${mun}::uuid as ok
        from recommendations r left join organisations o on o.id = r.organisation_id where r.id = ${id}`);
    case 'roadmap_event':
      return one(sql`select (municipality_id is null or municipality_id = ${mun}) as ok from roadmap_events where id = ${id}`);
    case 'decision':
      return one(sql`select (municipality_id is null or municipality_id = ${mun}) as ok from decisions where id = ${id}`);
    case 'evidence': {
      const row = await db.selectFrom('evidence_files').select(['owner_type', 'owner_id']).where('id', '=', id).executeTakeFirst();
      return !row || !UUID.test(row.owner_id) || belongs(db, row.owner_type, row.owner_id, mun);
    }
  }
}

async function check(db: Kysely<Database>, request: FastifyRequest): Promise<void> {
  const mun = request.municipalityScope;
  const routeId = request.routeOptions.config?.routeId;
  if (!mun || !routeId) return;
  const kind = kindOf(routeId);
  if (!kind) return;
  const params = (request.params ?? {}) as Record<string, unknown>;
  const id = typeof params.id === 'string' ? params.id : '';
  if (!UUID.test(id)) return;
  // A representative's own form (`/api/campaigns/:id/organisations/:orgId` with their organisation): the submission
  // services admit them only when that organisation takes part in the campaign, which already places the campaign in
  // their municipality — two queries saved on every form request of deadline day.
  if (kind === 'campaign' && request.orgScope && params.orgId === request.orgScope) return;
  if (!(await belongs(db, kind, id, mun))) throw new ServiceError('not_found', ...NOT_FOUND[kind]);
  const orgId = typeof params.orgId === 'string' ? params.orgId : '';
  if (UUID.test(orgId)) {
    const org = await db.selectFrom('organisations').select('municipality_id').where('id', '=', orgId).executeTakeFirst();
    if (org && org.municipality_id !== null && org.municipality_id !== mun) throw new ServiceError('not_found', ...NOT_FOUND.organisation);
  }
  if (kind === 'campaign' && CAMPAIGN_STATUS_ROUTES.test(routeId)) {
    const c = await db.selectFrom('campaigns').select('region_id').where('id', '=', id).executeTakeFirst();
    if (c?.region_id) throw new ServiceError('forbidden', 'REGIONAL_CAMPAIGN', 'Сбором данных регионального мониторинга управляет региональный аналитик');
  }
}

export function installMunicipalScope(app: FastifyInstance, db: Kysely<Database>): void {
  app.addHook('preValidation', async (request) => check(db, request));
}
