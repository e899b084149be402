/** The yearly report on the state of the municipal system («ежегодный доклад о состоянии муниципальной системы
 * оценки качества образования», issue 7): per direction — the passport's goal, the year's campaigns with their key
 * figures (municipal aggregates from `computeCampaignResults`), addressed recommendations and their statuses,
 * management decisions with their measured effect, road-map execution and the cycle's completeness. The model is
 * gathered here; src/reports/docx-yearly.ts draws it. `today` comes from the caller. */
import type { Kysely } from 'kysely';
import { DIRECTION_CODES, DIRECTION_LABELS, RECOMMENDATION_STATUSES, type DirectionCode } from '../../core/cycle/index.ts';
import { formatNumber } from '../../core/format.ts';
import type { Database } from '../../db/schema.ts';
import type { YearlyCampaign, YearlyDirection, YearlyReportModel } from '../../core/cycle/yearly-report-model.ts';
import { renderYearlyDocx } from '../../reports/docx-yearly.ts';
import { computeCampaignResults } from '../analysis/campaign-results.ts';
import { campaignsOfDirection, getCycleCompleteness, recommendationsOfYear } from './cycle.ts';
import { getDecisionEffect, type ResultsCache } from './decision-effect.ts';
import { loadPassport } from './passports.ts';
import { listDecisions } from './recommendations.ts';
import { getRoadmap } from './roadmaps.ts';

export type { YearlyCampaign, YearlyDirection, YearlyReportModel } from '../../core/cycle/yearly-report-model.ts';

async function yearCampaigns(db: Kysely<Database>, direction: DirectionCode, year: number, cache: ResultsCache, municipalityId: string | null): Promise<YearlyCampaign[]> {
  const rows = (await campaignsOfDirection(db, direction, year, municipalityId)).map((c) => ({ id: c.id, title: c.title, status: c.status, period_code: c.periodCode }));
  const out: YearlyCampaign[] = [];
  for (const c of rows) {
    if (c.status === 'draft') {
      out.push({ title: c.title, periodCode: c.period_code, status: c.status, organisations: 0, included: 0, figures: [], warnings: ['мониторинг не открыт — результатов нет'] });
      continue;
    }
    let r = cache.get(c.id);
    if (!r) {
      r = computeCampaignResults(db, c.id, { municipalityId, countedRecords: false, explain: false });
      cache.set(c.id, r);
    }
    const res = await r;
    const figures = res.computed.flatMap((t) =>
      t.aggregates
        .filter((a) => a.group === null && a.value !== null)
        .map((a) => `${a.title}: ${formatNumber(a.value as number)}${a.level ? ` (${a.level})` : ''}`),
    );
    out.push({
      title: c.title, periodCode: c.period_code, status: c.status, organisations: res.organisations.length,
      included: res.organisations.filter((o) => o.included).length, figures, warnings: res.warnings,
    });
  }
  return out;
}

/** `municipalityId` (issue 9): the caller's municipality — only its campaigns (by participants), recommendations (by
 * the organisation, else the author), decisions and road-map events (its own and legacy `null` rows); null: all. */
export async function buildYearlyReport(db: Kysely<Database>, year: number, today: string, directions: readonly DirectionCode[] = DIRECTION_CODES, municipalityId: string | null = null): Promise<YearlyReportModel> {
  const cache: ResultsCache = new Map();
  const mun = await db.selectFrom('municipalities').select('name')
    .$if(!!municipalityId, (q) => q.where('id', '=', municipalityId!))
    .orderBy('created_at').limit(1).executeTakeFirst();
  const out: YearlyDirection[] = [];
  for (const direction of directions) {
    const passport = await loadPassport(db, direction);
    const from = `${year}-01-01`;
    const to = `${year}-12-31`;
    const recs = await recommendationsOfYear(db, direction, year, municipalityId);
    const byStatus = Object.fromEntries(RECOMMENDATION_STATUSES.map((s) => [s, recs.filter((r) => r.status === s).length])) as YearlyDirection['recommendations']['byStatus'];
    const decisions = (await listDecisions(db, { direction, municipalityId })).filter((d) => d.date >= from && d.date <= to).sort((a, b) => a.date.localeCompare(b.date));
    const decisionLines: YearlyDirection['decisions'] = [];
    for (const d of decisions) {
      const e = await getDecisionEffect(db, d.id, cache);
      const manual = d.effectEvaluatedAt ? `оценка от ${d.effectEvaluatedAt.split('-').reverse().join('.')}${d.effectNote ? `: ${d.effectNote}` : ''}` : null;
      decisionLines.push({
        title: d.title, number: d.number, date: d.date, kind: d.kind, responsible: d.responsible,
        effect: [e.effect.measurable || !manual ? e.effect.summary : null, manual].filter(Boolean).join('; '),
        evaluated: e.effect.measurable || d.effectEvaluatedAt !== null,
      });
    }
    const rm = await getRoadmap(db, direction, year, today, municipalityId);
    const overdueItems = rm.events.flatMap((e) => e.occurrences.filter((o) => o.status === 'overdue').map((o) => `«${e.title}» (${o.label})`));
    const completeness = await getCycleCompleteness(db, direction, year, today, municipalityId);
    out.push({
      direction, label: DIRECTION_LABELS[direction],
      passportTitle: passport.ok ? passport.methodology.title : null,
      goal: passport.ok ? (passport.methodology.goal ?? null) : null,
      expectedResult: passport.ok ? (passport.methodology.expected_result ?? null) : null,
      campaigns: await yearCampaigns(db, direction, year, cache, municipalityId),
      recommendations: { total: recs.length, byStatus, withoutDecision: recs.filter((r) => Number(r.decisions) === 0).length },
      decisions: decisionLines,
      roadmap: {
        events: rm.events.length,
        occurrences: Object.values(rm.counts).reduce((a, b) => a + b, 0),
        done: rm.counts.done, doneLate: rm.counts.done_late, overdue: rm.counts.overdue, overdueItems,
      },
      completeness: { complete: completeness.complete, gaps: completeness.gaps },
    });
  }
  return { year, today, municipality: mun?.name ?? null, directions: out };
}

export async function renderYearlyReport(db: Kysely<Database>, year: number, today: string, municipalityId: string | null = null): Promise<{ filename: string; buffer: Buffer; model: YearlyReportModel }> {
  const model = await buildYearlyReport(db, year, today, DIRECTION_CODES, municipalityId);
  return { filename: `doklad-${year}.docx`, buffer: await renderYearlyDocx(model), model };
}
