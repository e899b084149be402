/** The parents' satisfaction survey of seed 004's campaign (issue 10), through surveys.ts: created for the 2021
 * campaign, the number of children 5–17 of each organisation entered (satisfaction.csv's per-type figure split in
 * proportion to enrolment), opened, answered anonymously through the public answer path with the scores that
 * reproduce satisfaction.csv's counts per type (promoters 9–10, neutrals 7–8, critics 0–6), and closed. The loyalty
 * index then comes out as the counts say — 87,9 / 85,2 / 96,0 and 89,7 for all types — not as the report printed. */
import { addDays } from '../../core/calendar/index.ts';
import { apportion, interleave, loyaltyScores, splitLoyalty } from '../../core/demo/plan.ts';
import { ORGANISATION_TYPES } from '../../core/registry/schema.ts';
import type { CampaignRecord } from '../collection/campaigns.ts';
import { changeSurveyStatus, createSurvey, setEnrolment, submitAnswer } from '../surveys/surveys.ts';
import { readSeed004Organisations, readSeed004Satisfaction } from './demo-files.ts';
import type { DemoContext } from './demo-context.ts';

export const SURVEY_TITLE = 'Онлайн-опрос родителей об удовлетворённости дополнительным образованием, 2021';
export const SURVEY_QUESTION = 'Оцените, насколько вы удовлетворены дополнительным образованием вашего ребёнка (0 — совсем не удовлетворены, 10 — полностью удовлетворены)';
const OPENS = '2022-06-01';
const CLOSES = '2022-06-20';

/** Returns the number of answers stored by this run. */
export async function seedDemoSurvey(ctx: DemoContext, campaign: CampaignRecord): Promise<number> {
  const { db } = ctx;
  let survey = await db.selectFrom('surveys').selectAll().where('title', '=', SURVEY_TITLE).orderBy('created_at').executeTakeFirst();
  if (survey?.status === 'closed') return 0;
  if (!survey) {
    await createSurvey(db, ctx.actors.analyst, {
      title: SURVEY_TITLE,
      campaignId: campaign.id,
      audience: 'parents',
      participants: { mode: 'all' },
      opensOn: OPENS,
      closesOn: CLOSES,
      minRespondents: 5,
      questions: [{ kind: 'scale', text: SURVEY_QUESTION, required: true, loyalty: true }],
    });
    survey = await db.selectFrom('surveys').selectAll().where('title', '=', SURVEY_TITLE).orderBy('created_at').executeTakeFirstOrThrow();
  }

  const orgs = await readSeed004Organisations();
  const satisfaction = await readSeed004Satisfaction();
  // Per organisation: children 5–17 and the scores of its respondents.
  const plan: { orgId: string; children: number; scores: number[] }[] = [];
  for (const type of ORGANISATION_TYPES) {
    const members = orgs.filter((o) => o.type === type);
    const row = satisfaction.find((s) => s.orgType === type);
    if (!row || members.length === 0) continue;
    const weights = members.map((m) => m.students);
    const children = apportion(row.children, weights);
    const loyalty = splitLoyalty(row, weights);
    members.forEach((m, i) => {
      const org = ctx.orgs.get(m.no);
      if (org) plan.push({ orgId: org.id, children: children[i]!, scores: interleave(loyaltyScores(loyalty[i]!)) });
    });
  }

  if (survey.status === 'draft') {
    await setEnrolment(db, ctx.actors.analyst, survey.id, { items: plan.map((p) => ({ organisationId: p.orgId, children: p.children })) });
    await changeSurveyStatus(db, ctx.actors.analyst, survey.id, 'open');
  }
  const question = await db.selectFrom('survey_questions').select('id').where('survey_id', '=', survey.id).where('loyalty', '=', true).executeTakeFirstOrThrow();
  const links = new Map((await db.selectFrom('survey_links').select(['organisation_id', 'token']).where('survey_id', '=', survey.id).execute()).map((l) => [l.organisation_id, l.token]));
  const existing = new Map(
    (await db.selectFrom('survey_responses').select(['organisation_id', (eb) => eb.fn.countAll<number>().as('n')]).where('survey_id', '=', survey.id).groupBy('organisation_id').execute()).map((r) => [
      r.organisation_id,
      Number(r.n),
    ]),
  );
  let stored = 0;
  for (const p of plan) {
    const token = links.get(p.orgId);
    if (!token) continue;
    for (let i = existing.get(p.orgId) ?? 0; i < p.scores.length; i++) {
      // Answers spread over the survey's first two weeks; the day is all an answer keeps besides its scores.
      await submitAnswer(db, token, { answers: { [question.id]: p.scores[i]! } }, addDays(OPENS, i % 14));
      stored++;
    }
  }
  await changeSurveyStatus(db, ctx.actors.analyst, survey.id, 'close');
  return stored;
}
