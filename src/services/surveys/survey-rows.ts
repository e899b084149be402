/** What the survey modules share: the survey row and its access check (organisation and municipality scope), the
 * API view of a survey, its questions (cached), enrolments, link tokens and single-use codes. */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import { participantsSchema } from '../../core/collection/schema.ts';
import type { Question, Survey } from '../../core/surveys/schema.ts';
import type { Database, SurveysTable } from '../../db/schema.ts';
import { currentValuesOfCampaign } from '../collection/campaigns.ts';
import { ServiceError } from '../errors.ts';
import { UUID } from '../../core/uuid.ts';

/** Public tokens: 128 random bits, base64url (22 characters). */
export const TOKEN = /^[A-Za-z0-9_-]{22}$/;
/** Codes: 8 characters of an alphabet without look-alikes (0/O, 1/I/L), shown as XXXX-XXXX (40 bits). */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export type SurveyRow = Selectable<SurveysTable>;

export function newSurveyToken(): string {
  return randomBytes(16).toString('base64url');
}

export function newCode(): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return `${s.slice(0, 4)}-${s.slice(4)}`;
}

export function normaliseCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

export function codeHash(surveyId: string, code: string): string {
  return createHash('sha256').update(`${surveyId}:${normaliseCode(code)}`).digest('hex');
}

export async function findSurveyRow(db: Kysely<Database>, id: string): Promise<SurveyRow> {
  const row = UUID.test(id) ? await db.selectFrom('surveys').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
  if (!row) throw new ServiceError('not_found', 'SURVEY_NOT_FOUND', 'Опрос не найден');
  return row;
}

/** A survey belongs to the municipalities of its participating organisations (issue 9). */
export function surveyHasParticipantIn(municipalityId: string) {
  return sql<boolean>`exists (select 1 from survey_links ml join organisations mo on mo.id = ml.organisation_id where ml.survey_id = s.id and mo.municipality_id = ${municipalityId})`;
}

/** Org representatives see non-draft surveys their organisation takes part in; municipal users their municipality's. */
export async function checkAccess(db: Kysely<Database>, row: SurveyRow, organisationId: string | null | undefined, municipalityId?: string | null): Promise<void> {
  if (municipalityId) {
    const mine = await db.selectFrom('surveys as s').select('s.id').where('s.id', '=', row.id).where(surveyHasParticipantIn(municipalityId)).executeTakeFirst();
    if (!mine) throw new ServiceError('not_found', 'SURVEY_NOT_FOUND', 'Опрос не найден');
  }
  if (!organisationId) return;
  if (row.status === 'draft') throw new ServiceError('not_found', 'SURVEY_NOT_FOUND', 'Опрос не найден');
  const part = await db.selectFrom('survey_links').select('organisation_id').where('survey_id', '=', row.id).where('organisation_id', '=', organisationId).executeTakeFirst();
  if (!part) throw new ServiceError('forbidden', 'FORBIDDEN', 'Ваша организация не участвует в этом опросе');
}

export async function present(db: Kysely<Database>, r: SurveyRow): Promise<Survey> {
  const [orgs, resp, campaign] = await Promise.all([
    db.selectFrom('survey_links').select(sql<number>`count(*)::int`.as('n')).where('survey_id', '=', r.id).executeTakeFirstOrThrow(),
    db.selectFrom('survey_responses').select(sql<number>`count(*)::int`.as('n')).where('survey_id', '=', r.id).executeTakeFirstOrThrow(),
    r.campaign_id ? db.selectFrom('campaigns').select('title').where('id', '=', r.campaign_id).executeTakeFirst() : Promise.resolve(undefined),
  ]);
  return {
    id: r.id,
    title: r.title,
    campaignId: r.campaign_id,
    campaignTitle: campaign?.title ?? null,
    methodologyId: r.methodology_id,
    period: r.period_code,
    audience: r.audience,
    participants: participantsSchema.parse(r.selection),
    opensOn: r.opens_on,
    closesOn: r.closes_on,
    minRespondents: r.min_respondents,
    requiresCodes: r.requires_codes,
    enrolmentInput: r.enrolment_input,
    status: r.status,
    organisationCount: Number(orgs.n),
    respondents: Number(resp.n),
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/** Questions never change after creation (there is no edit), so the answer path caches them per survey. */
const questionCache = new Map<string, Question[]>();
export async function cachedQuestions(db: Kysely<Database>, surveyId: string): Promise<Question[]> {
  let qs = questionCache.get(surveyId);
  if (!qs) {
    qs = await questionsOf(db, surveyId);
    if (questionCache.size > 1000) questionCache.clear();
    questionCache.set(surveyId, qs);
  }
  return qs;
}

export async function questionsOf(db: Kysely<Database>, surveyId: string): Promise<Question[]> {
  const rows = await db.selectFrom('survey_questions').selectAll().where('survey_id', '=', surveyId).orderBy('position').execute();
  return rows.map((q) => ({ id: q.id, position: q.position, kind: q.kind, text: q.text, options: (q.options ?? []) as string[], required: q.required, loyalty: q.loyalty }));
}

export async function enrolments(db: Kysely<Database>, s: SurveyRow, links: { organisation_id: string; children: number | null }[]): Promise<Map<string, { children: number | null; source: 'campaign' | 'survey' | null }>> {
  const out = new Map<string, { children: number | null; source: 'campaign' | 'survey' | null }>();
  let fromCampaign = new Map<string, number>();
  if (s.campaign_id && s.enrolment_input) {
    const input = s.enrolment_input;
    const submitted = await db.selectFrom('submissions').select('organisation_id').where('campaign_id', '=', s.campaign_id).where('status', 'in', ['submitted', 'accepted']).execute();
    const ok = new Set(submitted.map((r) => r.organisation_id));
    const values = await currentValuesOfCampaign(db, s.campaign_id);
    fromCampaign = new Map(
      [...values].flatMap(([org, v]) => {
        const x = v[input]?.value;
        return ok.has(org) && typeof x === 'number' && Number.isFinite(x) ? [[org, x] as [string, number]] : [];
      }),
    );
  }
  for (const l of links) {
    const c = fromCampaign.get(l.organisation_id);
    if (c !== undefined) out.set(l.organisation_id, { children: c, source: 'campaign' });
    else out.set(l.organisation_id, { children: l.children, source: l.children === null ? null : 'survey' });
  }
  return out;
}
