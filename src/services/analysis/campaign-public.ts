/** Public results of a published campaign (issue 6): no sign-in. Aggregates only — by organisation type and for the
 * municipality: mean values of the organisation indicators by type, the level distribution (counts and shares), the
 * municipal values against targets and regional values, and the survey tables by type where the group reached the
 * survey's minimum number of respondents (below it the row is replaced by «недостаточно ответов»). No organisation
 * names, no individual values, no personal data. Only forms accepted by the department count. */
import type { Kysely } from 'kysely';
import { typeName } from '../../core/analysis/index.ts';
import type { Database } from '../../db/schema.ts';
import { campaignModel } from './campaign-analysis.ts';
import { ServiceError } from '../errors.ts';

export interface PublicCampaignSummary { id: string; title: string; period: string; periodLabel: string; methodologyTitle: string | null }
export interface PublicIndicatorByType { indicator: { id: string; code: string | null; title: string; unit: string | null; round: number | null }; rows: { type: string; label: string; organisations: number; mean: number | null; median: number | null }[] }
export interface PublicDistribution {
  indicator: { id: string; code: string | null; title: string };
  levels: string[];
  columns: { key: string; label: string; total: number; cells: { level: string; count: number; share: number }[] }[];
}
export interface PublicGroupTable {
  title: string;
  indicators: { id: string; code: string | null; title: string; unit: string | null }[];
  rows: { label: string; suppressed: boolean; values: Record<string, number | null> }[];
  note: string | null;
}
export interface PublicCampaign {
  campaign: PublicCampaignSummary;
  organisations: { type: string; label: string; count: number }[];
  municipal: { title: string; unit: string | null; value: number; level: string | null; target: number | null; regional: number | null }[];
  byType: PublicIndicatorByType[];
  distributions: PublicDistribution[];
  groups: PublicGroupTable[];
  conclusions: string[];
}

export async function listPublishedCampaigns(db: Kysely<Database>): Promise<PublicCampaignSummary[]> {
  const rows = await db.selectFrom('campaigns').select(['id']).where('status', '=', 'published').orderBy('period_start', 'desc').execute();
  const out: PublicCampaignSummary[] = [];
  for (const r of rows) {
    const cm = await campaignModel(db, r.id, { basis: 'accepted' });
    const c = cm.results.campaign;
    out.push({ id: c.id, title: c.title, period: c.period, periodLabel: c.periodLabel, methodologyTitle: c.methodologyTitle });
  }
  return out;
}

export async function getPublicCampaign(db: Kysely<Database>, id: string): Promise<PublicCampaign> {
  const status = /^[0-9a-f-]{36}$/i.test(id) ? await db.selectFrom('campaigns').select('status').where('id', '=', id).executeTakeFirst() : undefined;
  if (!status || status.status !== 'published') throw new ServiceError('not_found', 'CAMPAIGN_NOT_FOUND', 'Опубликованный мониторинг не найден');
  const { results, model } = await campaignModel(db, id, { basis: 'accepted' });
  const m = results.methodology;
  const c = results.campaign;
  const included = results.organisations.filter((o) => o.included);
  const types = ['school', 'preschool', 'supplementary'].filter((t) => included.some((o) => o.type === t));

  const byType: PublicIndicatorByType[] = model.statistics.map((s) => ({
    indicator: { id: s.indicator.id, code: s.indicator.code, title: s.indicator.title, unit: s.indicator.unit, round: s.indicator.round },
    rows: [
      ...s.byType.map((b) => ({ type: b.type, label: typeName(b.type), organisations: b.stats.n, mean: b.stats.mean, median: b.stats.median })),
      { type: 'total', label: 'Всего', organisations: s.all.n, mean: s.all.mean, median: s.all.median },
    ],
  }));

  const distributions: PublicDistribution[] = model.distributions.map((d) => ({
    indicator: { id: d.indicator.id, code: d.indicator.code, title: d.indicator.title },
    levels: d.byType.body.map((r) => r.category),
    columns: [
      ...d.byType.cols.map((col, j) => ({
        key: col,
        label: typeName(col),
        total: d.byType.totals.cells[j]?.count ?? 0,
        cells: d.byType.body.map((r) => ({ level: r.category, count: r.cells[j]?.count ?? 0, share: r.cells[j]?.share ?? 0 })),
      })),
      { key: 'total', label: 'Всего', total: d.byType.totals.total.count, cells: d.byType.body.map((r) => ({ level: r.category, count: r.total.count, share: r.total.share })) },
    ],
  }));

  // Survey tables: a group below the survey's minimum of respondents is not shown.
  const groups: PublicGroupTable[] = [];
  const hidden = new Set<string>();
  const hiddenTotals = new Set<string>();
  for (const g of model.groupTables) {
    const src = results.sources.find((s) => s.datasetId === g.datasetId);
    const min = src?.kind === 'survey' ? (src.minRespondents ?? 1) : null;
    const ds = m.datasets?.[g.datasetId];
    const respondentsInput = ds ? Object.entries(ds.columns).find(([, col]) => col === 'respondents')?.[0] : undefined;
    const rows = g.rows.map((r) => {
      const n = respondentsInput ? r.inputs[respondentsInput] : null;
      const suppressed = min !== null && (n === null || n === undefined || n < min);
      return { label: r.label, suppressed, values: Object.fromEntries(g.indicators.map((i) => [i.id, suppressed ? null : (r.cells[i.id]?.value ?? null)])) };
    });
    if (rows.some((r) => r.suppressed)) for (const i of g.indicators) hidden.add(i.id);
    if (rows.some((r, k) => r.suppressed && g.rows[k]?.isTotal)) hiddenTotals.add(g.datasetTitle);
    groups.push({
      title: g.datasetTitle,
      indicators: g.indicators.map((i) => ({ id: i.id, code: i.code, title: i.title, unit: i.unit })),
      rows,
      note: min !== null ? `Результаты опроса показываются для групп, в которых ответили не менее ${min} человек.` : null,
    });
  }

  return {
    campaign: { id: c.id, title: c.title, period: c.period, periodLabel: c.periodLabel, methodologyTitle: c.methodologyTitle },
    organisations: types.map((t) => ({ type: t, label: typeName(t), count: included.filter((o) => o.type === t).length })),
    // A municipal value of a survey table is shown; its breakdown by type only when no group was suppressed.
    municipal: model.municipal.filter((x) => !(x.kind === 'row' && hiddenTotals.has(x.source))).map((x) => ({ title: x.indicator.code ? `${x.indicator.code}. ${x.indicator.title}` : x.indicator.title, unit: x.indicator.unit, value: x.value, level: x.level, target: x.target?.value ?? null, regional: x.regional?.value ?? null })),
    byType,
    distributions,
    groups,
    // Conclusions that name organisations (levels, ranking, clusters) stay internal.
    conclusions: model.conclusions
      .filter((x) => /^(municipal|distribution|bytype|breakdown)\./.test(x.id) && !(x.id.startsWith('municipal.') && hidden.has(x.id.slice('municipal.'.length))))
      .map((x) => x.text),
  };
}
