/** Per-municipality statistics of one campaign (issue 9), computed by the methodology engine from the organisations'
 * current values: the mean of every organisation-level indicator, the count of organisations at each level of
 * indicators with a level scale, and every aggregate of the methodology that organisation data can feed. The regional
 * comparison reads these rows (ranking, level distribution, dynamics). Pure. */
import { computeAggregate, evaluateEntity, type AggregateEntity, type Compiled, type IndicatorResult, type Value } from '../methodology/index.ts';
import { LEVEL_CODES, LEVEL_NAMES, type LevelCode, type Methodology } from '../methodology/schema.ts';

export interface OrganisationValues {
  id: string;
  municipalityId: string;
  type: string;
  values: Record<string, Value>;
}

export interface StatRow {
  municipalityId: string;
  metric: string;
  value: number | null;
  count: number;
}

export interface MetricInfo {
  metric: string;
  title: string;
  kind: 'mean' | 'aggregate';
  unit: string | null;
}

/** Indicators computed from organisation-level data (the indicators of `unit: organisation` datasets). */
export function organisationIndicators(m: Methodology): string[] {
  const out = new Set<string>();
  for (const ds of Object.values(m.datasets ?? {})) if (ds.unit === 'organisation') for (const i of ds.indicators) out.add(i);
  return [...out];
}

function organisationInputs(m: Methodology): Set<string> {
  const out = new Set<string>();
  for (const ds of Object.values(m.datasets ?? {})) if (ds.unit === 'organisation') for (const i of Object.keys(ds.columns)) out.add(i);
  return out;
}

/** Aggregates organisation data can feed, without grouping and not by level (those are the distribution). */
function applicableAggregates(m: Methodology): [string, NonNullable<Methodology['aggregates']>[string]][] {
  const indicators = new Set(organisationIndicators(m));
  const inputs = organisationInputs(m);
  return Object.entries(m.aggregates ?? {}).filter(([, a]) => {
    if (a.group_by || a.method === 'count_by_level' || a.method === 'share_by_level') return false;
    if (a.method === 'ratio_of_sums') return [a.numerator, a.denominator].every((n) => n !== undefined && (inputs.has(n) || indicators.has(n)));
    return a.of !== undefined && indicators.has(a.of);
  });
}

/** Indicators with a level scale (bands with levels and known bounds): they have a level distribution. */
export function levelIndicators(m: Methodology): string[] {
  return organisationIndicators(m).filter((id) => {
    const s = m.indicators[id]?.scale;
    const scale = s && s !== 'none' ? m.scales?.[s] : undefined;
    return !!scale && scale.bounds !== 'unspecified' && scale.bands.some((b) => b.level !== undefined);
  });
}

/** The metrics a ranking or dynamics may use, with Russian titles. */
export function metricsOf(m: Methodology): MetricInfo[] {
  const out: MetricInfo[] = [];
  for (const [id, a] of applicableAggregates(m)) out.push({ metric: `aggregate:${id}`, title: a.title, kind: 'aggregate', unit: a.of ? (m.indicators[a.of]?.unit ?? null) : null });
  for (const id of organisationIndicators(m)) {
    const def = m.indicators[id];
    if (!def || def.kind === 'yes_no' || def.measure_note !== undefined) continue;
    out.push({ metric: `mean:${id}`, title: `${def.code ? `${def.code}. ` : ''}${def.title} — среднее по организациям`, kind: 'mean', unit: def.unit ?? null });
  }
  return out;
}

export function levelMetric(indicator: string, level: LevelCode): string {
  return `level:${indicator}:${level}`;
}

/** Statistics per municipality of one campaign's organisations. */
export function campaignStats(c: Compiled, organisations: readonly OrganisationValues[]): StatRow[] {
  const m = c.methodology;
  const wanted = organisationIndicators(m);
  const levels = levelIndicators(m);
  const aggregates = applicableAggregates(m);
  const byMunicipality = new Map<string, AggregateEntity[]>();
  for (const o of organisations) {
    const results: Record<string, IndicatorResult> = {};
    // Figures only: the statistics keep no explanation, so none is built (issue 23).
    for (const r of evaluateEntity(c, wanted, { key: o.id, values: o.values }, { explain: false })) results[r.indicator] = r;
    const list = byMunicipality.get(o.municipalityId) ?? [];
    list.push({ key: o.id, attributes: { type: o.type }, values: o.values, results });
    byMunicipality.set(o.municipalityId, list);
  }
  const out: StatRow[] = [];
  for (const [municipalityId, entities] of byMunicipality) {
    for (const id of wanted) {
      let sum = 0;
      let n = 0;
      for (const e of entities) {
        const v = e.results[id]?.value;
        if (typeof v === 'number') {
          sum += v;
          n++;
        }
      }
      out.push({ municipalityId, metric: `mean:${id}`, value: n ? sum / n : null, count: n });
    }
    for (const id of levels) {
      const rated = entities.filter((e) => e.results[id]?.level);
      for (const level of LEVEL_CODES) out.push({ municipalityId, metric: levelMetric(id, level), value: rated.filter((e) => e.results[id]?.level === level).length, count: rated.length });
    }
    for (const [id, def] of aggregates) {
      for (const r of computeAggregate(m, id, def, entities, { explain: false })) out.push({ municipalityId, metric: `aggregate:${r.id}`, value: r.value, count: r.count });
    }
  }
  return out;
}

export const LEVEL_TITLES: Record<LevelCode, string> = LEVEL_NAMES;
