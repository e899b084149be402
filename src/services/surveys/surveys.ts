/** Anonymous surveys (issue 5): an analyst creates a questionnaire for a campaign or a period, opens it, prints one
 * link with a QR code per organisation and, optionally, single-use codes; respondents answer without an account;
 * results per organisation, per type and in total are computed by the methodology engine and suppressed below the
 * survey's minimum number of respondents; the counts export in the layout of satisfaction.csv.
 *
 * 152-ФЗ: an answer is stored with its survey, organisation and day only. No account, IP address, user agent, cookie
 * or time of day is written with it, and answering is not written to the audit log (which keeps IP addresses).
 * The per-IP rate limit of the answer endpoint keeps addresses in process memory for its time window only. */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import QRCode from 'qrcode';
import { parsePeriod, periodCode } from '../../core/calendar/periods.ts';
import { participantsSchema } from '../../core/collection/schema.ts';
import { ORGANISATION_TYPES, ORGANISATION_TYPE_LABELS, type OrganisationType } from '../../core/registry/schema.ts';
import { checkAnswers } from '../../core/surveys/answers.ts';
import { countScores } from '../../core/methodology/survey.ts';
import { addCounts, groupResult, scoresOf, type AnswerCounts } from '../../core/surveys/results.ts';
import {
  answerSubmitSchema,
  codesRequestSchema,
  enrolmentUpdateSchema,
  surveyCreateSchema,
  type PublicSurvey,
  type Question,
  type Survey,
  type SurveyDetail,
  type SurveyLink,
  type SurveyResults,
} from '../../core/surveys/schema.ts';
import type { Database, SurveysTable } from '../../db/schema.ts';
import { recordAudit } from '../admin/audit.ts';
import { currentValuesOfCampaign, findCampaignRow, participantIds } from '../collection/campaigns.ts';
import { ServiceError, parseInput, type Actor } from '../errors.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Public tokens: 128 random bits, base64url (22 characters). */
const TOKEN = /^[A-Za-z0-9_-]{22}$/;
/** Codes: 8 characters of an alphabet without look-alikes (0/O, 1/I/L), shown as XXXX-XXXX (40 bits). */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

type SurveyRow = Selectable<SurveysTable>;

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

async function findSurveyRow(db: Kysely<Database>, id: string): Promise<SurveyRow> {
  const row = UUID.test(id) ? await db.selectFrom('surveys').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
  if (!row) throw new ServiceError('not_found', 'SURVEY_NOT_FOUND', 'Опрос не найден');
  return row;
}

/** A survey belongs to the municipalities of its participating organisations (issue 9). */
function surveyHasParticipantIn(municipalityId: string) {
  return sql<boolean>`exists (select 1 from survey_links ml join organisations mo on mo.id = ml.organisation_id where ml.survey_id = s.id and mo.municipality_id = ${municipalityId})`;
}

/** Org representatives see non-draft surveys their organisation takes part in; municipal users their municipality's. */
async function checkAccess(db: Kysely<Database>, row: SurveyRow, organisationId: string | null | undefined, municipalityId?: string | null): Promise<void> {
  if (municipalityId) {
    const mine = await db.selectFrom('surveys as s').select('s.id').where('s.id', '=', row.id).where(surveyHasParticipantIn(municipalityId)).executeTakeFirst();
    if (!mine) throw new ServiceError('not_found', 'SURVEY_NOT_FOUND', 'Опрос не найден');
  }
  if (!organisationId) return;
  if (row.status === 'draft') throw new ServiceError('not_found', 'SURVEY_NOT_FOUND', 'Опрос не найден');
  const part = await db.selectFrom('survey_links').select('organisation_id').where('survey_id', '=', row.id).where('organisation_id', '=', organisationId).executeTakeFirst();
  if (!part) throw new ServiceError('forbidden', 'FORBIDDEN', 'Ваша организация не участвует в этом опросе');
}

async function present(db: Kysely<Database>, r: SurveyRow): Promise<Survey> {
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
async function cachedQuestions(db: Kysely<Database>, surveyId: string): Promise<Question[]> {
  let qs = questionCache.get(surveyId);
  if (!qs) {
    qs = await questionsOf(db, surveyId);
    if (questionCache.size > 1000) questionCache.clear();
    questionCache.set(surveyId, qs);
  }
  return qs;
}

async function questionsOf(db: Kysely<Database>, surveyId: string): Promise<Question[]> {
  const rows = await db.selectFrom('survey_questions').selectAll().where('survey_id', '=', surveyId).orderBy('position').execute();
  return rows.map((q) => ({ id: q.id, position: q.position, kind: q.kind, text: q.text, options: (q.options ?? []) as string[], required: q.required, loyalty: q.loyalty }));
}

export async function createSurvey(db: Kysely<Database>, actor: Actor, input: unknown, opts: { municipalityId?: string | null } = {}): Promise<SurveyDetail> {
  const data = parseInput(surveyCreateSchema, input);
  let period: string;
  let methodologyId = data.methodologyId;
  if (data.campaignId) {
    const c = await findCampaignRow(db, data.campaignId);
    period = c.period_code;
    methodologyId = methodologyId ?? c.methodology_id;
  } else {
    const p = parsePeriod(data.period ?? '');
    if (!p.ok) throw new ServiceError('validation', 'VALIDATION', 'Проверьте заполнение полей', [{ path: 'period', message: p.error }]);
    period = periodCode(p.value);
  }
  const orgIds = await participantIds(db, data.participants, opts.municipalityId);
  if (orgIds.length === 0) throw new ServiceError('validation', 'VALIDATION', 'Проверьте заполнение полей', [{ path: 'participants', message: 'Нет ни одной действующей организации' }]);
  const row = await db.transaction().execute(async (trx) => {
    const s = await trx
      .insertInto('surveys')
      .values({
        title: data.title,
        campaign_id: data.campaignId,
        methodology_id: methodologyId,
        period_code: period,
        audience: data.audience,
        selection: JSON.stringify(data.participants),
        opens_on: data.opensOn,
        closes_on: data.closesOn,
        min_respondents: data.minRespondents,
        requires_codes: data.requiresCodes,
        enrolment_input: data.enrolmentInput,
        created_by: actor.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('survey_questions')
      .values(data.questions.map((q, i) => ({ survey_id: s.id, position: i + 1, kind: q.kind, text: q.text, options: JSON.stringify(q.options), required: q.required, loyalty: q.loyalty })))
      .execute();
    await trx.insertInto('survey_links').values(orgIds.map((o) => ({ survey_id: s.id, organisation_id: o, token: newSurveyToken(), children: null }))).execute();
    await recordAudit(trx, actor, {
      action: 'survey.create',
      targetType: 'survey',
      targetId: s.id,
      details: { title: s.title, period, campaignId: s.campaign_id, organisations: orgIds.length, questions: data.questions.length },
    });
    return s;
  });
  return { ...(await present(db, row)), questions: await questionsOf(db, row.id) };
}

export async function listSurveys(db: Kysely<Database>, f: { organisationId?: string | null; municipalityId?: string | null } = {}): Promise<Survey[]> {
  let q = db.selectFrom('surveys as s').selectAll('s');
  if (f.municipalityId) q = q.where(surveyHasParticipantIn(f.municipalityId));
  if (f.organisationId) {
    const orgId = f.organisationId;
    q = q
      .where('s.status', '<>', 'draft')
      .where((eb) => eb.exists(eb.selectFrom('survey_links as l').select('l.survey_id').whereRef('l.survey_id', '=', 's.id').where('l.organisation_id', '=', orgId)));
  }
  const rows = await q.orderBy('s.created_at', 'desc').execute();
  const out: Survey[] = [];
  for (const r of rows) out.push(await present(db, r));
  return out;
}

export async function getSurvey(db: Kysely<Database>, id: string, opts: { organisationId?: string | null; municipalityId?: string | null } = {}): Promise<SurveyDetail> {
  const row = await findSurveyRow(db, id);
  await checkAccess(db, row, opts.organisationId, opts.municipalityId);
  return { ...(await present(db, row)), questions: await questionsOf(db, row.id) };
}

export type SurveyAction = 'open' | 'close';

export async function changeSurveyStatus(db: Kysely<Database>, actor: Actor, id: string, action: SurveyAction): Promise<Survey> {
  const row = await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('surveys').selectAll().where('id', '=', (await findSurveyRow(trx, id)).id).forUpdate().executeTakeFirstOrThrow();
    const allowed = action === 'open' ? before.status === 'draft' : before.status === 'open';
    if (!allowed) {
      const msg = action === 'open' ? 'Открыть можно только опрос в статусе «Черновик»' : 'Завершить можно только идущий опрос';
      throw new ServiceError('conflict', 'SURVEY_TRANSITION', msg);
    }
    const to = action === 'open' ? 'open' : 'closed';
    const after = await trx.updateTable('surveys').set({ status: to, updated_at: sql`now()` }).where('id', '=', before.id).returningAll().executeTakeFirstOrThrow();
    await recordAudit(trx, actor, { action: `survey.${action}`, targetType: 'survey', targetId: before.id, details: { from: before.status, to } });
    return after;
  });
  surveyRowCache.clear();
  return present(db, row);
}

/** Children per participating organisation: the organisation's submitted campaign form (`enrolment_input`) when
 * there is one, else the number entered on the survey. */
async function enrolments(db: Kysely<Database>, s: SurveyRow, links: { organisation_id: string; children: number | null }[]): Promise<Map<string, { children: number | null; source: 'campaign' | 'survey' | null }>> {
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

export async function listLinks(db: Kysely<Database>, id: string, publicBase: string): Promise<SurveyLink[]> {
  const s = await findSurveyRow(db, id);
  const rows = await db
    .selectFrom('survey_links as l')
    .innerJoin('organisations as o', 'o.id', 'l.organisation_id')
    .select(['l.organisation_id', 'l.token', 'l.children', 'o.no', 'o.short_name', 'o.type'])
    .where('l.survey_id', '=', s.id)
    .orderBy('o.no')
    .execute();
  const codes = await db
    .selectFrom('survey_codes')
    .select(['organisation_id', sql<number>`count(*)::int`.as('total'), sql<number>`count(used_at)::int`.as('used')])
    .where('survey_id', '=', s.id)
    .groupBy('organisation_id')
    .execute();
  const byOrg = new Map(codes.map((c) => [c.organisation_id, c]));
  const enrol = await enrolments(db, s, rows);
  const base = publicBase.replace(/\/+$/, '');
  return Promise.all(
    rows.map(async (r) => {
      const url = `${base}/s/${r.token}`;
      const c = byOrg.get(r.organisation_id);
      return {
        organisationId: r.organisation_id,
        no: r.no,
        shortName: r.short_name,
        type: r.type,
        token: r.token,
        url,
        qrSvg: await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
        children: enrol.get(r.organisation_id)?.children ?? null,
        codesTotal: Number(c?.total ?? 0),
        codesUsed: Number(c?.used ?? 0),
      };
    }),
  );
}

/** PNG of one organisation's QR code (for printing elsewhere). */
export async function linkQrPng(db: Kysely<Database>, id: string, organisationId: string, publicBase: string): Promise<Buffer> {
  const s = await findSurveyRow(db, id);
  const link = UUID.test(organisationId)
    ? await db.selectFrom('survey_links').select('token').where('survey_id', '=', s.id).where('organisation_id', '=', organisationId).executeTakeFirst()
    : undefined;
  if (!link) throw new ServiceError('not_found', 'NOT_A_PARTICIPANT', 'Организация не участвует в этом опросе');
  return QRCode.toBuffer(`${publicBase.replace(/\/+$/, '')}/s/${link.token}`, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 600 });
}

export async function setEnrolment(db: Kysely<Database>, actor: Actor, id: string, input: unknown): Promise<void> {
  const data = parseInput(enrolmentUpdateSchema, input);
  const s = await findSurveyRow(db, id);
  await db.transaction().execute(async (trx) => {
    for (const item of data.items) {
      const r = await trx.updateTable('survey_links').set({ children: item.children }).where('survey_id', '=', s.id).where('organisation_id', '=', item.organisationId).executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) throw new ServiceError('validation', 'NOT_A_PARTICIPANT', 'Организация не участвует в этом опросе', [{ path: 'items', message: 'Организация не участвует в этом опросе' }]);
    }
    await recordAudit(trx, actor, { action: 'survey.enrolment', targetType: 'survey', targetId: s.id, details: { organisations: data.items.length } });
  });
}

/** Generates `count` single-use codes for one organisation or for each participant. The codes are returned once;
 * only their hashes are stored. */
export async function generateCodes(db: Kysely<Database>, actor: Actor, id: string, input: unknown): Promise<{ items: { organisationId: string; shortName: string; codes: string[] }[] }> {
  const data = parseInput(codesRequestSchema, input);
  const s = await findSurveyRow(db, id);
  if (s.status === 'closed') throw new ServiceError('conflict', 'SURVEY_CLOSED', 'Опрос завершён: коды больше не нужны');
  let q = db.selectFrom('survey_links as l').innerJoin('organisations as o', 'o.id', 'l.organisation_id').select(['l.organisation_id', 'o.short_name']).where('l.survey_id', '=', s.id);
  if (data.organisationId) q = q.where('l.organisation_id', '=', data.organisationId);
  const orgs = await q.orderBy('o.no').execute();
  if (orgs.length === 0) throw new ServiceError('not_found', 'NOT_A_PARTICIPANT', 'Организация не участвует в этом опросе');
  if (orgs.length * data.count > 20_000) throw new ServiceError('validation', 'TOO_MANY_CODES', 'За один раз можно создать не больше 20 000 кодов');
  const items = orgs.map((o) => {
    const codes = new Set<string>();
    while (codes.size < data.count) codes.add(newCode());
    return { organisationId: o.organisation_id, shortName: o.short_name, codes: [...codes] };
  });
  await db.transaction().execute(async (trx) => {
    const rows = items.flatMap((it) => it.codes.map((c) => ({ survey_id: s.id, organisation_id: it.organisationId, code_hash: codeHash(s.id, c) })));
    for (let i = 0; i < rows.length; i += 1000) await trx.insertInto('survey_codes').values(rows.slice(i, i + 1000)).execute();
    await recordAudit(trx, actor, { action: 'survey.codes', targetType: 'survey', targetId: s.id, details: { organisations: items.length, perOrganisation: data.count } });
  });
  return { items };
}

// ---- public (anonymous) side -------------------------------------------------------------------------------

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

export async function surveyResults(db: Kysely<Database>, id: string, opts: { organisationId?: string | null; municipalityId?: string | null } = {}): Promise<SurveyResults> {
  const s = await findSurveyRow(db, id);
  await checkAccess(db, s, opts.organisationId, opts.municipalityId);
  const scoped = opts.organisationId ?? null;
  const questions = await questionsOf(db, s.id);
  let linksQ = db
    .selectFrom('survey_links as l')
    .innerJoin('organisations as o', 'o.id', 'l.organisation_id')
    .select(['l.organisation_id', 'l.children', 'o.no', 'o.short_name', 'o.type'])
    .where('l.survey_id', '=', s.id);
  if (scoped) linksQ = linksQ.where('l.organisation_id', '=', scoped);
  const links = await linksQ.orderBy('o.no').execute();
  let respQ = db.selectFrom('survey_responses').select(['organisation_id', sql<number>`count(*)::int`.as('n')]).where('survey_id', '=', s.id);
  if (scoped) respQ = respQ.where('organisation_id', '=', scoped);
  const resp = new Map((await respQ.groupBy('organisation_id').execute()).map((r) => [r.organisation_id, Number(r.n)]));
  let ansQ = db
    .selectFrom('survey_answers as a')
    .innerJoin('survey_responses as r', 'r.id', 'a.response_id')
    .innerJoin('survey_questions as q', 'q.id', 'a.question_id')
    .select(['r.organisation_id', 'a.question_id', 'a.value', sql<number>`count(*)::int`.as('n')])
    .where('r.survey_id', '=', s.id)
    .where('q.kind', '<>', 'text');
  if (scoped) ansQ = ansQ.where('r.organisation_id', '=', scoped);
  const counts = new Map<string, AnswerCounts>();
  for (const a of await ansQ.groupBy(['r.organisation_id', 'a.question_id', 'a.value']).execute()) {
    const org = counts.get(a.organisation_id) ?? new Map<string, Map<string, number>>();
    const q = org.get(a.question_id) ?? new Map<string, number>();
    q.set(a.value, Number(a.n));
    org.set(a.question_id, q);
    counts.set(a.organisation_id, org);
  }
  const enrol = await enrolments(db, s, links);
  const min = s.min_respondents;
  const byOrganisation = links.map((l) => {
    const e = enrol.get(l.organisation_id);
    return groupResult(
      {
        key: l.organisation_id,
        label: l.short_name,
        type: l.type,
        respondents: resp.get(l.organisation_id) ?? 0,
        children: e?.children ?? null,
        childrenSource: e?.source ?? null,
        childrenNote: e?.source === 'campaign' ? `из формы мониторинга (${s.enrolment_input ?? ''})` : e?.source === 'survey' ? 'введено в опросе' : 'не указано',
        counts: counts.get(l.organisation_id) ?? new Map(),
      },
      questions,
      min,
    );
  });
  const survey = await present(db, s);
  if (scoped) return { survey, minRespondents: min, scope: 'organisation', total: null, byType: [], byOrganisation };

  const aggregate = (key: string, label: string, type: OrganisationType | null, members: typeof links, texts?: Map<string, string[]>) => {
    const respondents = members.reduce((n, l) => n + (resp.get(l.organisation_id) ?? 0), 0);
    const missing = members.filter((l) => (enrol.get(l.organisation_id)?.children ?? null) === null).length;
    const children = missing === 0 && members.length > 0 ? members.reduce((n, l) => n + (enrol.get(l.organisation_id)?.children ?? 0), 0) : null;
    const c: AnswerCounts = new Map();
    for (const l of members) addCounts(c, counts.get(l.organisation_id) ?? new Map());
    return groupResult(
      {
        key,
        label,
        type,
        respondents,
        children,
        childrenSource: children === null ? null : 'sum',
        childrenNote: missing ? `нет количества детей у организаций: ${missing} из ${members.length}` : 'сумма по организациям',
        counts: c,
        ...(texts ? { texts } : {}),
      },
      questions,
      min,
    );
  };
  const byType = ORGANISATION_TYPES.flatMap((t) => {
    const members = links.filter((l) => l.type === t);
    return members.length ? [aggregate(t, ORGANISATION_TYPE_LABELS[t], t, members)] : [];
  });
  const totalRespondents = [...resp.values()].reduce((a, b) => a + b, 0);
  let texts: Map<string, string[]> | undefined;
  if (totalRespondents >= min && questions.some((q) => q.kind === 'text')) {
    texts = new Map();
    const rows = await db
      .selectFrom('survey_answers as a')
      .innerJoin('survey_responses as r', 'r.id', 'a.response_id')
      .innerJoin('survey_questions as q', 'q.id', 'a.question_id')
      .select(['a.question_id', 'a.value'])
      .where('r.survey_id', '=', s.id)
      .where('q.kind', '=', 'text')
      // Alphabetical: no order that would follow the order of answering.
      .orderBy('a.value')
      .execute();
    for (const r of rows) texts.set(r.question_id, [...(texts.get(r.question_id) ?? []), r.value]);
  }
  const total = aggregate('total', 'Итого', null, links, texts);
  return { survey, minRespondents: min, scope: 'all', total, byType, byOrganisation };
}

const CSV_HEAD = ['org_type', 'children_5_17', 'respondents', 'promoters', 'neutrals', 'critics'];

/** Counts by organisation type and in total, in the layout of satisfaction.csv (the talents-2021 `satisfaction`
 * dataset), for the compute pipeline. Non-public data: the export is audited. */
export async function exportSatisfactionCsv(db: Kysely<Database>, actor: Actor, id: string): Promise<{ fileName: string; csv: string }> {
  const { surveyId, header, rows } = await satisfactionTable(db, id);
  const csv = [header, ...rows].map((cells) => cells.join(',')).join('\n') + '\n';
  await recordAudit(db, actor, { action: 'survey.export', targetType: 'survey', targetId: surveyId, details: { format: 'satisfaction.csv', rows: rows.length } });
  return { fileName: `satisfaction-${surveyId.slice(0, 8)}.csv`, csv };
}

/** The counts by organisation type and in total as a table (header + text cells) in the layout of satisfaction.csv,
 * full counts even below the display minimum. For the computation of campaign results (campaign-results.ts) and the
 * audited export above; callers that show it to people must apply `min_respondents` themselves. */
export async function satisfactionTable(db: Kysely<Database>, id: string): Promise<{ surveyId: string; header: string[]; rows: string[][] }> {
  const r = await surveyResults(db, id);
  const loyaltyQ = (await questionsOf(db, r.survey.id)).find((q) => q.loyalty);
  if (!loyaltyQ) throw new ServiceError('conflict', 'NO_LOYALTY_QUESTION', 'В анкете нет вопроса для индекса лояльности (шкала 0–10): выгружать нечего');
  // Full counts even for groups below the display minimum: the file is for analysts (and the export is audited).
  const dist = await loyaltyDistributions(db, r.survey.id, loyaltyQ.id);
  const groups = [...r.byType, ...(r.total ? [r.total] : [])];
  const rows = groups.map((g) => {
    const members = g.key === 'total' ? r.byOrganisation : r.byOrganisation.filter((o) => o.type === g.key);
    const counts = new Map<string, number>();
    for (const o of members) (dist.get(o.key) ?? []).forEach((n, score) => counts.set(String(score), (counts.get(String(score)) ?? 0) + n));
    const k = countScores(scoresOf(counts));
    if (!k.ok) throw new ServiceError('conflict', 'BAD_ANSWERS', k.error);
    return [g.key, g.children === null ? '' : String(g.children), String(g.respondents), String(k.counts.promoters), String(k.counts.neutrals ?? 0), String(k.counts.critics)];
  });
  return { surveyId: r.survey.id, header: [...CSV_HEAD], rows };
}

const zero = () => Array.from({ length: 11 }, () => 0);

async function loyaltyDistributions(db: Kysely<Database>, surveyId: string, questionId: string): Promise<Map<string, number[]>> {
  const rows = await db
    .selectFrom('survey_answers as a')
    .innerJoin('survey_responses as r', 'r.id', 'a.response_id')
    .select(['r.organisation_id', 'a.value', sql<number>`count(*)::int`.as('n')])
    .where('r.survey_id', '=', surveyId)
    .where('a.question_id', '=', questionId)
    .groupBy(['r.organisation_id', 'a.value'])
    .execute();
  const out = new Map<string, number[]>();
  for (const r of rows) {
    const d = out.get(r.organisation_id) ?? zero();
    const i = Number(r.value);
    if (Number.isInteger(i) && i >= 0 && i <= 10) d[i] = (d[i] ?? 0) + Number(r.n);
    out.set(r.organisation_id, d);
  }
  return out;
}
