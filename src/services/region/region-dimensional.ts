/** The region's view per subject × grade (issue 22): for a campaign whose methodology has dimensional datasets
 * (direction-preparation 2021.2 with ФИС ОКО data), the per-municipality figures of every subject × grade —
 * computed from the schools' current per-dimension values by src/core/analysis/dimensional-region.ts and kept in
 * `campaign_stats` beside the campaign's other statistics (same stamp: the newest visible value of any kind), so
 * they are recomputed with them when stale. `regionSubjects` answers the «Регион» page. */
import { sql, type Kysely } from 'kysely';
import { dimensionalCampaignStats, dimensionalMeasures, parseDimensionalMetric, type DimensionalMeasure, type DimensionalOrgRow } from '../../core/analysis/dimensional-region.ts';
import { parsePeriod, periodLabel } from '../../core/calendar/periods.ts';
import type { Compiled } from '../../core/methodology/index.ts';
import type { StatRow } from '../../core/region/stats.ts';
import type { Database } from '../../db/schema.ts';
import { currentDimensionalInputs } from '../analysis/campaign-dimensional.ts';
import { ServiceError } from '../errors.ts';

/** The per-subject statistics of a campaign (none when its methodology has no dimensional dataset), over its
 * participants (`municipalityOf`: registry id → municipality). */
export async function dimensionalStatsOf(db: Kysely<Database>, campaignId: string, compiled: Compiled, municipalityOf: ReadonlyMap<string, string>): Promise<StatRow[]> {
  if (!dimensionalMeasures(compiled.methodology).length) return [];
  const rows: DimensionalOrgRow[] = [];
  for (const r of await currentDimensionalInputs(db, campaignId)) {
    const municipalityId = municipalityOf.get(r.organisationId);
    if (municipalityId) rows.push({ ...r, municipalityId });
  }
  return dimensionalCampaignStats(compiled, rows);
}

export interface RegionSubjectRow {
  municipalityId: string;
  municipality: string;
  dimensions: Record<string, string>;
  /** Per measure (its `metric`): the value and how many schools it is over. */
  figures: Record<string, { value: number | null; count: number }>;
}
export interface RegionSubjects {
  methodologyId: string;
  period: string;
  periodLabel: string;
  dimensions: { id: string; title: string; values: { value: string; label: string }[] }[];
  measures: DimensionalMeasure[];
  rows: RegionSubjectRow[];
}

/** The region's campaigns of a methodology in a period, statistics brought up to date (region.ts passes its own). */
type Compared = (db: Kysely<Database>, region: { id: string; name: string; synthetic: boolean },  methodologyId: string, period?: string) => Promise<{ ids: string[]; methodology: Compiled['methodology'] }>;

/** Every municipality × subject × grade of the region's published campaigns of a methodology in a period (the latest
 * campaign of a municipality when it re-ran one), in the methodology's order of subjects and grades. */
export async function regionSubjects(db: Kysely<Database>, region: { id: string; name: string; synthetic: boolean }, q: { methodologyId: string; period: string }, comparedCampaigns: Compared): Promise<RegionSubjects> {
  const { ids, methodology: m } = await comparedCampaigns(db, region, q.methodologyId, q.period);
  const measures = dimensionalMeasures(m);
  if (!measures.length) throw new ServiceError('validation', 'NO_DIMENSIONS', `Методика «${q.methodologyId}» не делит данные по предметам и классам`);
  const rows = await sql<{ municipality_id: string; name: string; metric: string; value: number | null; count: number }>`
    select distinct on (s.municipality_id, s.metric) s.municipality_id, mu.name, s.metric, s.value, s.count
    from campaign_stats s join campaigns c on c.id = s.campaign_id join municipalities mu on mu.id = s.municipality_id
    where mu.region_id = ${region.id} and s.campaign_id = any(${ids}::uuid[]) and s.metric like 'dim:%'
    order by s.municipality_id, s.metric, c.created_at desc`.execute(db);
  const order = Object.keys(m.dimensions ?? {});
  const byKey = new Map<string, RegionSubjectRow>();
  const present = new Map<string, Set<string>>();
  for (const r of rows.rows) {
    const parsed = parseDimensionalMetric(r.metric);
    if (!parsed || !measures.some((x) => x.metric === parsed.metric)) continue;
    const key = `${r.municipality_id}\u0000${JSON.stringify(parsed.dimensions)}`;
    let row = byKey.get(key);
    if (!row) byKey.set(key, (row = { municipalityId: r.municipality_id, municipality: r.name, dimensions: parsed.dimensions, figures: {} }));
    row.figures[parsed.metric] = { value: r.value === null ? null : Number(r.value), count: Number(r.count) };
    for (const [d, v] of Object.entries(parsed.dimensions)) (present.get(d) ?? present.set(d, new Set()).get(d)!).add(v);
  }
  const dimensions = order.filter((d) => present.has(d)).map((d) => {
    const def = m.dimensions?.[d];
    const seen = present.get(d) as Set<string>;
    const known = (def?.values ?? []).filter((v) => seen.has(v));
    return { id: d, title: def?.title ?? d, values: [...known, ...[...seen].filter((v) => !known.includes(v)).sort()].map((v) => ({ value: v, label: def?.labels?.[v] ?? v })) };
  });
  const position = (d: string, v: string | undefined) => dimensions.find((x) => x.id === d)?.values.findIndex((x) => x.value === v) ?? -1;
  const out = [...byKey.values()].sort((a, b) => {
    for (const d of order) {
      const c = position(d, a.dimensions[d]) - position(d, b.dimensions[d]);
      if (c) return c;
    }
    return a.municipality.localeCompare(b.municipality, 'ru');
  });
  const p = parsePeriod(q.period);
  return { methodologyId: q.methodologyId, period: q.period, periodLabel: p.ok ? periodLabel(p.value) : q.period, dimensions, measures, rows: out };
}
