/** Anonymous surveys (issue 5): an analyst creates a questionnaire for a campaign or a period, opens it, prints one
 * link with a QR code per organisation and, optionally, single-use codes; respondents answer without an account;
 * results per organisation, per type and in total are computed by the methodology engine and suppressed below the
 * survey's minimum number of respondents; the counts export in the layout of satisfaction.csv.
 *
 * 152-ФЗ: an answer is stored with its survey, organisation and day only. No account, IP address, user agent, cookie
 * or time of day is written with it, and answering is not written to the audit log (which keeps IP addresses).
 * The per-IP rate limit of the answer endpoint keeps addresses in process memory for its time window only. */
import { sql, type Kysely } from 'kysely';
import QRCode from 'qrcode';
import { parsePeriod, periodCode } from '../../core/calendar/periods.ts';
import {
  codesRequestSchema,
  enrolmentUpdateSchema,
  surveyCreateSchema,
  type Survey,
  type SurveyDetail,
  type SurveyLink } from '../../core/surveys/schema.ts';
import type { Database } from '../../db/schema.ts';
import { recordAudit } from '../admin/audit.ts';
import { findCampaignRow, participantIds } from '../collection/campaigns.ts';
import { ServiceError, parseInput, type Actor } from '../errors.ts';

import { forgetCachedSurveys } from './survey-answers.ts';
import { newCode, newSurveyToken, checkAccess, codeHash, enrolments, findSurveyRow, present, questionsOf, surveyHasParticipantIn } from './survey-rows.ts';
import { UUID } from '../../core/uuid.ts';

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
  forgetCachedSurveys();
  return present(db, row);
}

/** Children per participating organisation: the organisation's submitted campaign form (`enrolment_input`) when
 * there is one, else the number entered on the survey. */
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

export { codeHash, newCode, newSurveyToken, normaliseCode } from './survey-rows.ts';
export * from './survey-answers.ts';
export * from './survey-results.ts';
