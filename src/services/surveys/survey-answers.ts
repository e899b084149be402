/** The respondent's side of an anonymous survey (no account): the survey behind a link token (cached briefly, the
 * public page is the hottest route of a survey day), its state today, and answering — with a single-use code when the
 * survey asks for one. Nothing that identifies the respondent is stored (see surveys.ts). */
import { sql, type Kysely } from 'kysely';
import { checkAnswers } from '../../core/surveys/answers.ts';
import { answerSubmitSchema, type PublicSurvey } from '../../core/surveys/schema.ts';
import type { Database } from '../../db/schema.ts';
import { ServiceError, parseInput } from '../errors.ts';

import { TOKEN, cachedQuestions, codeHash, type SurveyRow } from './survey-rows.ts';

interface LinkInfo {
  survey: SurveyRow;
  organisationId: string;
  organisationName: string;
}

/** Answer path: a link's survey and organisation never change, so they are kept by token; the survey row (status and
 * dates decide whether answers are taken) is reused for at most LINK_TTL_MS per survey, so a burst of answers through
 * any number of links costs one database statement each. A status change made in this process drops the survey rows
 * at once; another process sees it within the TTL. */
const LINK_TTL_MS = 1000;
const linkCache = new Map<string, { surveyId: string; organisationId: string; organisationName: string }>();
const surveyRowCache = new Map<string, { at: number; survey: SurveyRow }>();

/** A survey's status changed: the public page must not show the cached row. */
export function forgetCachedSurveys(): void {
  surveyRowCache.clear();
}
async function findLinkCached(db: Kysely<Database>, token: string): Promise<LinkInfo> {
  const now = Date.now();
  const link = linkCache.get(token);
  const hit = link ? surveyRowCache.get(link.surveyId) : undefined;
  if (link && hit && now - hit.at < LINK_TTL_MS) return { survey: hit.survey, organisationId: link.organisationId, organisationName: link.organisationName };
  return findLink(db, token);
}

/** Keeps what a fresh lookup read for the answer path and the rate limiter (a parent opens the survey, then answers). */
function remember(token: string, info: LinkInfo): void {
  if (linkCache.size > 50_000) linkCache.clear();
  if (surveyRowCache.size > 1000) surveyRowCache.clear();
  if (surveyOfToken.size > 50_000) surveyOfToken.clear();
  linkCache.set(token, { surveyId: info.survey.id, organisationId: info.organisationId, organisationName: info.organisationName });
  surveyRowCache.set(info.survey.id, { at: Date.now(), survey: info.survey });
  surveyOfToken.set(token, info.survey.id);
}

/** The link, its survey (fresh: status and dates decide whether answers are taken) and the organisation: one query. */
async function findLink(db: Kysely<Database>, token: string): Promise<LinkInfo> {
  const row = TOKEN.test(token)
    ? await db
        .selectFrom('survey_links as l')
        .innerJoin('surveys as s', 's.id', 'l.survey_id')
        .innerJoin('organisations as o', 'o.id', 'l.organisation_id')
        .selectAll('s')
        .select(['l.organisation_id as link_organisation_id', 'o.short_name as link_organisation_name'])
        .where('l.token', '=', token)
        .executeTakeFirst()
    : undefined;
  if (!row) throw new ServiceError('not_found', 'SURVEY_LINK_NOT_FOUND', 'Ссылка на опрос недействительна. Проверьте адрес или QR-код.');
  const { link_organisation_id: organisationId, link_organisation_name: organisationName, ...survey } = row;
  const info = { survey, organisationId, organisationName };
  remember(token, info);
  return info;
}

const surveyOfToken = new Map<string, string | null>();
/** The survey of a public token (for the rate limiter's key); tokens never change, so the answer is cached. */
export async function surveyIdOfToken(db: Kysely<Database>, token: string): Promise<string | null> {
  if (surveyOfToken.has(token)) return surveyOfToken.get(token) ?? null;
  const row = TOKEN.test(token) ? await db.selectFrom('survey_links').select('survey_id').where('token', '=', token).executeTakeFirst() : undefined;
  const id = row?.survey_id ?? null;
  if (surveyOfToken.size > 50_000) surveyOfToken.clear();
  if (id) surveyOfToken.set(token, id);
  return id;
}

function stateOf(s: SurveyRow, today: string): { state: PublicSurvey['state']; message: string | null } {
  if (s.status === 'closed' || today > s.closes_on) return { state: 'closed', message: 'Опрос завершён. Спасибо за интерес — ответы больше не принимаются.' };
  if (s.status === 'draft' || today < s.opens_on) return { state: 'not_open', message: `Опрос ещё не начался. Он откроется ${s.opens_on.split('-').reverse().join('.')}.` };
  return { state: 'open', message: null };
}

export async function getPublicSurvey(db: Kysely<Database>, token: string, today: string): Promise<PublicSurvey> {
  const link = await findLink(db, token);
  const s = link.survey;
  const st = stateOf(s, today);
  const questions = st.state === 'open' ? await cachedQuestions(db, s.id) : [];
  return {
    title: s.title,
    audience: s.audience,
    organisationName: link.organisationName,
    state: st.state,
    message: st.message,
    opensOn: s.opens_on,
    closesOn: s.closes_on,
    requiresCode: s.requires_codes,
    questions: questions.map((q) => ({ id: q.id, kind: q.kind, text: q.text, options: q.options, required: q.required })),
  };
}

/** Stores one anonymous answer: the survey, the organisation of the link, the day and the answers — nothing else. */
export async function submitAnswer(db: Kysely<Database>, token: string, input: unknown, today: string): Promise<void> {
  const data = parseInput(answerSubmitSchema, input);
  const link = await findLinkCached(db, token);
  const s = link.survey;
  const st = stateOf(s, today);
  if (st.state !== 'open') throw new ServiceError('conflict', st.state === 'closed' ? 'SURVEY_CLOSED' : 'SURVEY_NOT_OPEN', st.message ?? 'Опрос недоступен');
  const questions = await cachedQuestions(db, s.id);
  const checked = checkAnswers(questions, data.answers);
  if (!checked.ok) throw new ServiceError('validation', 'VALIDATION', 'Проверьте ответы', checked.errors);
  if (checked.rows.length === 0) throw new ServiceError('validation', 'EMPTY_ANSWER', 'Ответьте хотя бы на один вопрос');
  if (s.requires_codes && !data.code) {
    throw new ServiceError('validation', 'CODE_REQUIRED', 'Для участия нужен код, выданный организацией', [{ path: 'code', message: 'Введите код участника' }]);
  }
  // The response and its answers in one statement (atomic without a transaction): one round trip per answer.
  const values = sql.join(checked.rows.map((a) => sql`(${a.questionId}::uuid, ${a.value}::text)`));
  const insert = (q: Kysely<Database>) =>
    sql`with r as (insert into survey_responses (survey_id, organisation_id, submitted_on) values (${s.id}, ${link.organisationId}, ${today}) returning id)
        insert into survey_answers (response_id, question_id, value) select r.id, v.q, v.val from r, (values ${values}) as v(q, val)`.execute(q);
  if (!s.requires_codes || !data.code) {
    await insert(db);
    return;
  }
  const code = data.code;
  await db.transaction().execute(async (trx) => {
    const hash = codeHash(s.id, code);
    const used = await trx
      .updateTable('survey_codes')
      .set({ used_at: today })
      .where('code_hash', '=', hash)
      .where('survey_id', '=', s.id)
      .where('organisation_id', '=', link.organisationId)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) {
      const known = await trx.selectFrom('survey_codes').select('used_at').where('code_hash', '=', hash).where('organisation_id', '=', link.organisationId).executeTakeFirst();
      if (known) throw new ServiceError('conflict', 'CODE_USED', 'Этот код уже использован', [{ path: 'code', message: 'Этот код уже использован' }]);
      throw new ServiceError('validation', 'CODE_INVALID', 'Код не найден. Проверьте, правильно ли он введён.', [{ path: 'code', message: 'Код не найден' }]);
    }
    await insert(trx);
  });
}

// ---- results --------------------------------------------------------------------------------------------------
