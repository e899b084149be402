/** Effect of a management decision (issue 7, stage 8 «анализ эффективности»): before/after of each indicator the
 * decision names — the motivating campaign against the next campaign of the same methodology — per organisation the
 * decision concerns and overall, with the change, its direction, and whether the target was reached. Pure: the
 * service gathers both campaigns' computed values. */
import { formatDate, formatNumber, roundHalfUp } from '../format.ts';

export type DesiredDirection = 'increase' | 'decrease';
export const DESIRED_DIRECTION_LABELS: Record<DesiredDirection, string> = { increase: 'рост', decrease: 'снижение' };

/** A campaign's values of one indicator. */
export interface CampaignIndicatorValues {
  id: string;
  title: string;
  periodCode: string;
  periodStart: string;
  /** Per organisation (null — not computed for lack of data). */
  values: readonly { organisationId: string; organisation: string; value: number | null }[];
  /** The methodology's municipal aggregate of the indicator, when it defines one; otherwise the mean of organisations. */
  aggregate: { value: number | null; title: string } | null;
}

export interface EffectIndicatorInput {
  methodologyId: string;
  indicator: { id: string; title: string; unit: string | null; round: number | null; target: number | null };
  /** The decision's target (overrides the methodology's `target`) and the desired direction (default: increase). */
  target: number | null;
  direction: DesiredDirection;
  /** Organisations the decision concerns (addressees of its recommendations); empty — only the overall line. */
  organisations: readonly { id: string; name: string }[];
  before: CampaignIndicatorValues | null;
  after: CampaignIndicatorValues | null;
}

export type Trend = 'up' | 'down' | 'same';
export const TREND_LABELS: Record<Trend, string> = { up: 'рост', down: 'снижение', same: 'без изменений' };

export interface EffectLine {
  organisationId: string | null;
  organisation: string;
  before: number | null;
  after: number | null;
  change: number | null;
  trend: Trend | null;
  /** The change goes the desired way (null — not measurable). */
  improved: boolean | null;
  /** After reached the target in the desired direction (null — no target or no value). */
  targetReached: boolean | null;
  text: string;
}

export type EffectStatus = 'measured' | 'no_next_campaign' | 'no_data' | 'no_before';
export const NO_NEXT_CAMPAIGN = 'нет данных следующего мониторинга';

export interface IndicatorEffect {
  methodologyId: string;
  indicator: string;
  title: string;
  unit: string | null;
  target: number | null;
  direction: DesiredDirection;
  before: { id: string; title: string; periodCode: string } | null;
  after: { id: string; title: string; periodCode: string } | null;
  status: EffectStatus;
  /** Why nothing is measured (Russian), null when measured. */
  message: string | null;
  overall: EffectLine | null;
  organisations: EffectLine[];
}

const fmt = (v: number | null, unit: string | null) => (v === null ? '—' : `${formatNumber(v)}${unit ? (unit === '%' ? ' %' : ` ${unit}`) : ''}`);

function line(
  who: { id: string | null; name: string },
  before: number | null,
  after: number | null,
  digits: number | null,
  target: number | null,
  direction: DesiredDirection,
  unit: string | null,
): EffectLine {
  if (before === null || after === null) {
    const missing = before === null && after === null ? 'нет значений ни в одном мониторинге' : before === null ? 'нет значения до решения' : 'нет значения в следующем мониторинге';
    const targetReached = after !== null && target !== null ? (direction === 'increase' ? after >= target : after <= target) : null;
    return { organisationId: who.id, organisation: who.name, before, after, change: null, trend: null, improved: null, targetReached, text: `${who.name}: ${missing}` };
  }
  const change = roundHalfUp(after - before, digits ?? 6);
  const trend: Trend = change > 0 ? 'up' : change < 0 ? 'down' : 'same';
  const improved = trend === 'same' ? false : direction === 'increase' ? trend === 'up' : trend === 'down';
  const targetReached = target === null ? null : direction === 'increase' ? after >= target : after <= target;
  const sign = change > 0 ? '+' : change < 0 ? '−' : '±';
  const parts = [
    `${who.name}: ${fmt(before, unit)} → ${fmt(after, unit)} (${sign}${formatNumber(Math.abs(change))}, ${TREND_LABELS[trend]}${trend === 'same' ? '' : improved ? ', в нужную сторону' : ', не в нужную сторону'})`,
  ];
  if (targetReached !== null) parts.push(targetReached ? `цель ${fmt(target, unit)} достигнута` : `цель ${fmt(target, unit)} не достигнута`);
  return { organisationId: who.id, organisation: who.name, before, after, change, trend, improved, targetReached, text: parts.join('; ') };
}

function mean(values: readonly (number | null)[], digits: number | null): number | null {
  const xs = values.filter((v): v is number => v !== null);
  if (xs.length === 0) return null;
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return digits === null ? m : roundHalfUp(m, digits);
}

/** The overall value of a campaign: the methodology's aggregate of the indicator, else the mean of organisations. */
export function overallValue(c: CampaignIndicatorValues, digits: number | null): { value: number | null; basis: string } {
  if (c.aggregate) return { value: c.aggregate.value, basis: c.aggregate.title };
  const n = c.values.filter((v) => v.value !== null).length;
  return { value: mean(c.values.map((v) => v.value), digits), basis: `среднее по ${n} организациям` };
}

export function indicatorEffect(input: EffectIndicatorInput): IndicatorEffect {
  const { indicator: ind, before, after, direction } = input;
  const target = input.target ?? ind.target;
  const base = {
    methodologyId: input.methodologyId, indicator: ind.id, title: ind.title, unit: ind.unit, target, direction,
    before: before ? { id: before.id, title: before.title, periodCode: before.periodCode } : null,
    after: after ? { id: after.id, title: after.title, periodCode: after.periodCode } : null,
  };
  if (!before) return { ...base, status: 'no_before', message: 'не указан мониторинг, по результатам которого принято решение', overall: null, organisations: [] };
  if (!after) return { ...base, status: 'no_next_campaign', message: NO_NEXT_CAMPAIGN, overall: null, organisations: [] };
  const b = overallValue(before, ind.round);
  const a = overallValue(after, ind.round);
  const overall = line({ id: null, name: `В целом (${a.basis})` }, b.value, a.value, ind.round, target, direction, ind.unit);
  const valueOf = (c: CampaignIndicatorValues, id: string) => c.values.find((v) => v.organisationId === id)?.value ?? null;
  const organisations = input.organisations.map((o) => line({ id: o.id, name: o.name }, valueOf(before, o.id), valueOf(after, o.id), ind.round, target, direction, ind.unit));
  const measurable = overall.change !== null || organisations.some((l) => l.change !== null);
  return {
    ...base,
    status: measurable ? 'measured' : 'no_data',
    message: measurable ? null : `в мониторинге «${after.title}» нет значений показателя «${ind.title}» — ${NO_NEXT_CAMPAIGN}`,
    overall,
    organisations,
  };
}

export interface DecisionEffect {
  indicators: IndicatorEffect[];
  /** At least one indicator has a before/after change: the effect is evaluated. */
  measurable: boolean;
  /** One Russian sentence for lists and the yearly report. */
  summary: string;
}

export function decisionEffect(decision: { date: string; title: string }, indicators: readonly EffectIndicatorInput[]): DecisionEffect {
  const effects = indicators.map(indicatorEffect);
  const measured = effects.filter((e) => e.status === 'measured');
  let summary: string;
  if (effects.length === 0) summary = `решение от ${formatDate(decision.date)} не называет показателей, на которые должно повлиять`;
  else if (measured.length === 0) summary = effects.some((e) => e.status === 'no_before') ? (effects.find((e) => e.status === 'no_before')!.message as string) : NO_NEXT_CAMPAIGN;
  else {
    summary = measured
      .map((e) => {
        const o = e.overall!;
        const improved = e.organisations.filter((l) => l.improved === true).length;
        const measuredOrgs = e.organisations.filter((l) => l.change !== null).length;
        const orgs = e.organisations.length ? `; улучшение у ${improved} из ${measuredOrgs} организаций` : '';
        return `«${e.title}»: ${o.change === null ? o.text : `${fmt(o.before, e.unit)} → ${fmt(o.after, e.unit)}`}${o.targetReached === null ? '' : o.targetReached ? ', цель достигнута' : ', цель не достигнута'}${orgs}`;
      })
      .join('; ');
  }
  return { indicators: effects, measurable: measured.length > 0, summary };
}
