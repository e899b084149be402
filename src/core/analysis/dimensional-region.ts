/** Per-subject figures of a dimensional campaign per municipality (issue 22, the region's view): for every
 * municipality × subject × grade (the dimension values of the rows), from the schools' rows of that work —
 * - the methodology's aggregates that rows can feed (`ratio_of_sums`, `mean_of_orgs`, `median`; a `group_by` of a
 *   dimension is already fixed by the work; two aggregates that compute the same there are kept once), e.g.
 *   direction-preparation's success share «по числу участников» (Σ passed / Σ participants × 100);
 * - the mean over the schools of each share indicator (the region's convention for an indicator, `mean:` in
 *   stats.ts), e.g. the quality share, for which the methodology states no aggregate;
 * - the number of schools with the sign of non-objectivity (the yes/no indicator whose id or title says
 *   «объективность»), out of the schools where it could be computed.
 * Stored in `campaign_stats` as metrics `dim:<dimension values>|<metric>`. Pure. */
import { computeAggregate, type AggregateEntity } from '../methodology/aggregate.ts';
import { evaluateEntity, type Compiled, type IndicatorResult } from '../methodology/evaluate.ts';
import { parseExpression, referencedNames, type Value } from '../methodology/expression.ts';
import type { AggregateDef, Methodology } from '../methodology/schema.ts';
import type { StatRow } from '../region/stats.ts';

export interface DimensionalOrgRow {
  organisationId: string;
  municipalityId: string;
  dimensions: Record<string, string>;
  values: Record<string, Value>;
}

export interface DimensionalMeasure { metric: string; kind: 'aggregate' | 'mean' | 'signs'; id: string; title: string; unit: string | null }

const DIM_PREFIX = 'dim:';
/** `dim:{"grade":"5","subject":"Математика"}|aggregate:vpr_success_by_subject` — dimension values in the methodology's order. */
export function dimensionalMetric(dimensions: Record<string, string>, metric: string): string {
  return `${DIM_PREFIX}${JSON.stringify(dimensions)}|${metric}`;
}
export function parseDimensionalMetric(s: string): { dimensions: Record<string, string>; metric: string } | null {
  if (!s.startsWith(DIM_PREFIX)) return null;
  const bar = s.lastIndexOf('|');
  try {
    return { dimensions: JSON.parse(s.slice(DIM_PREFIX.length, bar)) as Record<string, string>, metric: s.slice(bar + 1) };
  } catch {
    return null;
  }
}

const dimensionalDatasetsOf = (m: Methodology) => Object.values(m.datasets ?? {}).filter((ds) => ds.unit === 'organisation' && !ds.responses && !!ds.dimensions);

/** The indicators of the methodology's dimensional datasets. */
function dimensionalIndicators(m: Methodology): string[] {
  return [...new Set(dimensionalDatasetsOf(m).flatMap((ds) => ds.indicators))].filter((id) => m.indicators[id]);
}

const readsComparison = (m: Methodology, id: string): boolean => {
  const p = parseExpression(m.indicators[id]?.formula ?? '');
  return p.ok && referencedNames(p.expr).some((n) => /^(region|municipality)_/.test(n));
};

/** What the region's view shows per municipality × subject × grade, in this order. */
export function dimensionalMeasures(m: Methodology): DimensionalMeasure[] {
  const indicators = dimensionalIndicators(m);
  if (!indicators.length) return [];
  const out: DimensionalMeasure[] = [];
  const same = (a: AggregateDef) => JSON.stringify([a.method, a.of, a.numerator, a.denominator, a.multiplier ?? 1, a.round, a.values]);
  const seen = new Set<string>();
  for (const [id, a] of Object.entries(m.aggregates ?? {})) {
    if (!['ratio_of_sums', 'mean_of_orgs', 'median'].includes(a.method)) continue;
    if (![a.of, a.numerator].some((x) => x !== undefined && indicators.includes(x))) continue;
    if (a.group_by && !(a.group_by in (m.dimensions ?? {}))) continue;
    if (seen.has(same(a))) continue;
    seen.add(same(a));
    out.push({ metric: `aggregate:${id}`, kind: 'aggregate', id, title: a.title, unit: a.multiplier === 100 ? '%' : (a.of ? (m.indicators[a.of]?.unit ?? null) : null) });
  }
  for (const id of indicators) {
    const def = m.indicators[id];
    if (!def || def.kind !== 'share' || readsComparison(m, id)) continue;
    out.push({ metric: `mean:${id}`, kind: 'mean', id, title: `${def.title} — среднее по организациям`, unit: def.unit ?? null });
  }
  const sign = indicators.find((id) => m.indicators[id]?.kind === 'yes_no' && /objectivity|объективност/i.test(`${id} ${m.indicators[id]?.title ?? ''}`));
  if (sign) out.push({ metric: `signs:${sign}`, kind: 'signs', id: sign, title: `Организаций с признаком: ${m.indicators[sign]?.title ?? sign}`, unit: null });
  return out;
}

/** The statistics of every municipality × dimension values of one campaign's rows. */
export function dimensionalCampaignStats(c: Compiled, rows: readonly DimensionalOrgRow[]): StatRow[] {
  const m = c.methodology;
  const measures = dimensionalMeasures(m);
  if (!measures.length || !rows.length) return [];
  const wanted = dimensionalIndicators(m);
  const order = Object.keys(m.dimensions ?? {});
  const groups = new Map<string, { municipalityId: string; dimensions: Record<string, string>; entities: AggregateEntity[] }>();
  for (const r of rows) {
    const dimensions = Object.fromEntries(order.filter((d) => r.dimensions[d] !== undefined).map((d) => [d, String(r.dimensions[d])]));
    const key = `${r.municipalityId}\u0000${JSON.stringify(dimensions)}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { municipalityId: r.municipalityId, dimensions, entities: [] }));
    const results: Record<string, IndicatorResult> = {};
    for (const x of evaluateEntity(c, wanted, { key: r.organisationId, values: r.values }, { explain: false })) results[x.indicator] = x;
    g.entities.push({ key: r.organisationId, attributes: dimensions, values: r.values, results });
  }
  const out: StatRow[] = [];
  for (const g of groups.values()) {
    for (const ms of measures) {
      const metric = dimensionalMetric(g.dimensions, ms.metric);
      if (ms.kind === 'aggregate') {
        const def = m.aggregates?.[ms.id] as AggregateDef;
        const [res] = computeAggregate(m, ms.id, { ...def, group_by: undefined }, g.entities, { explain: false });
        out.push({ municipalityId: g.municipalityId, metric, value: res?.value ?? null, count: res?.count ?? 0 });
      } else {
        const values = g.entities.map((e) => e.results[ms.id]?.value).filter((v): v is number => typeof v === 'number');
        if (ms.kind === 'mean') out.push({ municipalityId: g.municipalityId, metric, value: values.length ? values.reduce((s, v) => s + v, 0) / values.length : null, count: values.length });
        else out.push({ municipalityId: g.municipalityId, metric, value: values.filter((v) => v === 1).length, count: values.length });
      }
    }
  }
  return out;
}
