/** Effect of management decisions (issue 7, stage 8): for each indicator a decision names, the motivating campaign
 * («before») against the next closed or published campaign of the same methodology id («after»), per organisation the decision concerns
 * (the addressees of its recommendations) and overall. The numbers come from `computeCampaignResults`
 * (src/services/analysis/campaign-results.ts, basis «submitted»), the comparison from the pure `decisionEffect`
 * (src/core/cycle/effect.ts). Read-only; nothing is stored — the effect is derived whenever it is asked for.
 *
 * API for other modules (demo, yearly report):
 * - `getDecisionEffect(db, decisionId)` → `{ decision, campaign, effect }`;
 * - `measuredDecisionIds(db, decisionIds)` → ids whose effect is measurable (used by cycle completeness). */
import { sql, type Kysely } from 'kysely';
import { decisionEffect, type CampaignIndicatorValues, type DecisionEffect, type EffectIndicatorInput } from '../../core/cycle/index.ts';
import type { Database } from '../../db/schema.ts';
import { computeCampaignResults, type CampaignResults } from '../analysis/campaign-results.ts';
import { getDecision, type DecisionDto } from './recommendations.ts';
import { hasParticipantIn } from '../collection/campaigns.ts';

interface CampaignRef { id: string; title: string; methodologyId: string; periodCode: string; periodStart: string; status: string }

/** Computed results per campaign id, for one request (several decisions share campaigns). */
export type ResultsCache = Map<string, Promise<CampaignResults>>;

function resultsOf(db: Kysely<Database>, cache: ResultsCache, id: string): Promise<CampaignResults> {
  let r = cache.get(id);
  if (!r) {
    r = computeCampaignResults(db, id, { countedRecords: false, explain: false });
    cache.set(id, r);
  }
  return r;
}

async function campaignRef(db: Kysely<Database>, id: string): Promise<CampaignRef | null> {
  const c = await db.selectFrom('campaigns').select(['id', 'title', 'methodology_id', 'period_code', 'period_start', 'status']).where('id', '=', id).executeTakeFirst();
  return c ? { id: c.id, title: c.title, methodologyId: c.methodology_id, periodCode: c.period_code, periodStart: c.period_start, status: c.status } : null;
}

/** The next campaign of the same methodology id (any version) after `before` whose results are final: closed or
 * published (a collection still open is not yet «the next monitoring»). */
export async function nextCampaign(db: Kysely<Database>, before: CampaignRef, municipalityId: string | null = null): Promise<CampaignRef | null> {
  // Only the decision's municipality's campaigns (issue 24: with a second municipality in the region, the next campaign
  // of the same methodology was another municipality's).
  const c = await db
    .selectFrom('campaigns as c')
    .select(['c.id'])
    .where('c.methodology_id', '=', before.methodologyId)
    .where('c.period_start', '>', before.periodStart)
    .where('c.status', 'in', ['closed', 'published'])
    .$if(municipalityId !== null, (q) => q.where(hasParticipantIn(municipalityId as string)))
    .orderBy('c.period_start')
    .orderBy('c.created_at')
    .executeTakeFirst();
  return c ? campaignRef(db, c.id) : null;
}

/** The motivating campaign: the decision's own link, else the latest campaign of its recommendations. */
async function motivatingCampaign(db: Kysely<Database>, d: DecisionDto): Promise<CampaignRef | null> {
  if (d.campaignId) return campaignRef(db, d.campaignId);
  if (!d.recommendationIds.length) return null;
  const c = await db
    .selectFrom('recommendations as r')
    .innerJoin('campaigns as c', 'c.id', 'r.campaign_id')
    .select('c.id')
    .where('r.id', 'in', d.recommendationIds)
    .orderBy('c.period_start', 'desc')
    .executeTakeFirst();
  return c ? campaignRef(db, c.id) : null;
}

/** Latest non-draft campaign of a methodology whose period starts on or before a day (for indicators of another
 * methodology than the motivating campaign's). */
async function latestCampaignOf(db: Kysely<Database>, methodologyId: string, onOrBefore: string, municipalityId: string | null): Promise<CampaignRef | null> {
  const c = await db
    .selectFrom('campaigns as c')
    .select('c.id')
    .where('c.methodology_id', '=', methodologyId)
    .where('c.period_start', '<=', onOrBefore)
    .where('c.status', '<>', 'draft')
    .$if(municipalityId !== null, (q) => q.where(hasParticipantIn(municipalityId as string)))
    .orderBy('c.period_start', 'desc')
    .executeTakeFirst();
  return c ? campaignRef(db, c.id) : null;
}

function indicatorValues(ref: CampaignRef, r: CampaignResults, indicator: string): CampaignIndicatorValues {
  const idByName = new Map(r.organisations.map((o) => [o.name, o.id]));
  const values: CampaignIndicatorValues['values'][number][] = [];
  for (const t of r.computed) {
    for (const row of t.results) {
      const id = idByName.get(row.organisation);
      if (row.indicator === indicator && id) values.push({ organisationId: id, organisation: row.organisation, value: row.value });
    }
  }
  const aggIds = Object.entries(r.methodology.aggregates ?? {}).filter(([, a]) => a.of === indicator && !a.group_by).map(([id]) => id);
  const agg = r.computed.flatMap((t) => t.aggregates).find((a) => aggIds.includes(a.aggregate) && a.group === null);
  return {
    id: ref.id, title: ref.title, periodCode: ref.periodCode, periodStart: ref.periodStart, values,
    aggregate: agg ? { value: agg.value, title: agg.title } : null,
  };
}

export interface DecisionEffectDto {
  decision: DecisionDto;
  /** The motivating campaign (null — none linked). */
  campaign: { id: string; title: string; periodCode: string } | null;
  effect: DecisionEffect;
}

export async function getDecisionEffect(db: Kysely<Database>, decisionId: string, cache: ResultsCache = new Map()): Promise<DecisionEffectDto> {
  const decision = await getDecision(db, decisionId);
  const motivating = await motivatingCampaign(db, decision);
  const municipalityId = (await db.selectFrom('decisions').select('municipality_id').where('id', '=', decision.id).executeTakeFirst())?.municipality_id ?? null;
  const orgs = decision.recommendationIds.length
    ? await db
        .selectFrom('recommendations as r')
        .innerJoin('organisations as o', 'o.id', 'r.organisation_id')
        .select(['o.id', 'o.short_name', 'o.no'])
        .distinct()
        .where('r.id', 'in', decision.recommendationIds)
        .orderBy('o.no')
        .execute()
    : [];
  const inputs: EffectIndicatorInput[] = [];
  for (const ref of decision.indicators) {
    const before = motivating && motivating.methodologyId === ref.methodology_id ? motivating : await latestCampaignOf(db, ref.methodology_id, decision.date, municipalityId);
    const after = before ? await nextCampaign(db, before, municipalityId) : null;
    const beforeResults = before ? await resultsOf(db, cache, before.id) : null;
    const afterResults = after ? await resultsOf(db, cache, after.id) : null;
    const def = (beforeResults ?? afterResults)?.methodology.indicators[ref.indicator];
    inputs.push({
      methodologyId: ref.methodology_id,
      indicator: { id: ref.indicator, title: def?.title ?? ref.indicator, unit: def?.unit ?? null, round: def?.round ?? null, target: def?.target ?? null },
      target: ref.target ?? null,
      direction: ref.direction ?? 'increase',
      organisations: orgs.map((o) => ({ id: o.id, name: o.short_name })),
      before: before && beforeResults ? indicatorValues(before, beforeResults, ref.indicator) : null,
      after: after && afterResults ? indicatorValues(after, afterResults, ref.indicator) : null,
    });
  }
  return {
    decision,
    campaign: motivating ? { id: motivating.id, title: motivating.title, periodCode: motivating.periodCode } : null,
    effect: decisionEffect(decision, inputs),
  };
}

/** Decisions (of the given ids) whose effect is measurable now. */
export async function measuredDecisionIds(db: Kysely<Database>, decisionIds: readonly string[], cache: ResultsCache = new Map()): Promise<Set<string>> {
  const out = new Set<string>();
  for (const id of decisionIds) {
    const indicators = await db.selectFrom('decisions').select(sql<number>`jsonb_array_length(indicators)`.as('n')).where('id', '=', id).executeTakeFirst();
    if (!indicators || Number(indicators.n) === 0) continue;
    if ((await getDecisionEffect(db, id, cache)).effect.measurable) out.add(id);
  }
  return out;
}
