/** Results of a survey: per organisation, per type and in total, computed by the methodology engine and suppressed
 * below the survey's minimum number of respondents; the counts as satisfaction.csv for the methodology. */
import { sql, type Kysely } from 'kysely';
import { ORGANISATION_TYPES, ORGANISATION_TYPE_LABELS, type OrganisationType } from '../../core/registry/schema.ts';
import { countScores } from '../../core/methodology/survey.ts';
import { addCounts, groupResult, planSuppression, scoresOf, type AnswerCounts } from '../../core/surveys/results.ts';
import type { SurveyResults } from '../../core/surveys/schema.ts';
import type { Database } from '../../db/schema.ts';
import type { Role } from '../../core/registry/schema.ts';
import { recordAudit } from '../admin/audit.ts';
import { ServiceError, type Actor } from '../errors.ts';

import { checkAccess, enrolments, findSurveyRow, present, questionsOf } from './survey-rows.ts';

/** Who reads the free-text answers of a survey (docs/surveys.md): analysts and administrators, nobody else. */
export const TEXT_READERS: readonly Role[] = ['analyst', 'admin'];

/** `viewerRole` decides whether free-text answers are included: only for `TEXT_READERS` (not the working group, not
 * organisations, not internal callers that pass no role). */
export async function surveyResults(
  db: Kysely<Database>,
  id: string,
  opts: { organisationId?: string | null; municipalityId?: string | null; viewerRole?: Role | null } = {},
): Promise<SurveyResults> {
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
  // Secondary suppression (issue 25) only where types and the total are shown too; an organisation's representative
  // sees their own organisation alone.
  const plan = scoped ? null : planSuppression(links.map((l) => ({ key: l.organisation_id, type: l.type, respondents: resp.get(l.organisation_id) ?? 0 })), min);
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
        secondary: plan?.organisations.get(l.organisation_id) === 'secondary',
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
        secondary: type !== null && plan?.types.get(type) === 'secondary',
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
  const readsTexts = !!opts.viewerRole && TEXT_READERS.includes(opts.viewerRole);
  // Only texts of organisations that reach the minimum themselves: the texts of a smaller group must not appear in
  // the total either (issue 25).
  const textOrganisations = [...resp].filter(([, n]) => n >= min).map(([org]) => org);
  if (readsTexts && totalRespondents >= min && questions.some((q) => q.kind === 'text')) {
    texts = new Map();
    const rows = textOrganisations.length
      ? await db
        .selectFrom('survey_answers as a')
        .innerJoin('survey_responses as r', 'r.id', 'a.response_id')
        .innerJoin('survey_questions as q', 'q.id', 'a.question_id')
        .select(['a.question_id', 'a.value'])
        .where('r.survey_id', '=', s.id)
        .where('q.kind', '=', 'text')
        .where('r.organisation_id', 'in', textOrganisations)
        // Alphabetical: no order that would follow the order of answering.
        .orderBy('a.value')
        .execute()
      : [];
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
