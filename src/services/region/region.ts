/** Region level (issue 9): the regional analyst's view over the municipalities of a region — their published
 * campaigns, and comparisons of municipalities that ran the same methodology: ranking by an aggregate or an indicator's
 * mean, level distribution per municipality, dynamics across periods. The figures come from `campaign_stats`, which
 * `recomputeCampaignStats` fills with the methodology engine (src/core/region/stats.ts) from the current values;
 * every query first recomputes the campaigns whose stamp (methodology hash and record lists in force, newest value id)
 * is stale. The inputs a record list in force supplies are counted as the campaign's own results count them
 * (region-record-lists.ts). */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { parsePeriod, periodLabel } from '../../core/calendar/periods.ts';
import { compileMethodology, type Compiled, type Value } from '../../core/methodology/index.ts';
import { LEVEL_CODES, LEVEL_NAMES, type LevelCode, type Methodology } from '../../core/methodology/schema.ts';
import { campaignStats, levelIndicators, levelMetric, metricsOf, type MetricInfo, type OrganisationValues } from '../../core/region/stats.ts';
import { rankBy } from '../../core/stats/ranking.ts';
import type { Database } from '../../db/schema.ts';
import { newestValueId } from '../../db/value-rows.ts';
import { withoutJit } from '../analysis/without-jit.ts';
import { ServiceError } from '../errors.ts';
import { methodologyHash } from '../methodology/methodology-library.ts';
import { getMethodologyVersion } from '../methodology/methodology-versions.ts';
import { dimensionalMeasures } from '../../core/analysis/dimensional-region.ts';
import { dimensionalStatsOf, regionSubjects, type RegionSubjects } from './region-dimensional.ts';
import { listsInForce, statsStamp, withListedInputs } from './region-record-lists.ts';

interface Loaded { compiled: Compiled; hash: string; title: string }
/** Methodology versions are immutable, so a parsed and compiled version may be kept for the life of the process. */
const loadedVersions = new Map<string, Promise<Loaded>>();

export function loadVersion(db: Kysely<Database>, id: string, version: string): Promise<Loaded> {
  const key = `${id}@${version}`;
  let p = loadedVersions.get(key);
  if (!p) {
    p = getMethodologyVersion(db, id, version).then((v) => {
      const c = compileMethodology(v.methodology);
      if (!c.ok) throw new ServiceError('conflict', 'METHODOLOGY_INVALID', `Методика «${key}» содержит ошибки`);
      return { compiled: c.compiled, hash: methodologyHash(v.methodology), title: v.title };
    });
    p.catch(() => loadedVersions.delete(key));
    loadedVersions.set(key, p);
  }
  return p;
}

export interface RegionRef { id: string; name: string; synthetic: boolean }

export async function regionOfUser(db: Kysely<Database>, userId: string): Promise<RegionRef> {
  const row = await db.selectFrom('users as u').innerJoin('regions as r', 'r.id', 'u.region_id').select(['r.id', 'r.name', 'r.synthetic']).where('u.id', '=', userId).executeTakeFirst();
  if (!row) throw new ServiceError('forbidden', 'FORBIDDEN', 'Пользователь не привязан к региону');
  return row;
}

/** Whether campaign `c` has a participant in the region: campaign_participation (0012, kept by triggers) has a row
 * per campaign and municipality with participants, so this is a probe of its primary key per municipality of the
 * campaign, not a walk over every participation of the region. */
const inRegion = (regionId: string) =>
  sql<boolean>`exists (select 1 from campaign_participation cp join municipalities cm on cm.id = cp.municipality_id where cp.campaign_id = c.id and cm.region_id = ${regionId})`;

/** What the statistics of a batch of campaigns are computed from: per campaign its methodology version, its
 * participants with their current values, the newest visible value id and the record lists in force (the freshness
 * stamp). */
interface CampaignInput { id: string; methodology_id: string; methodology_version: string; last: number; lists: string | null; organisations: OrganisationValues[] }

/** The statistics' freshness stamp is the campaign's newest value id in either log (`value_history` and the
 * per-dimension `value_rows`, one sequence). The stamp stored with the statistics is the newest *visible* id (rows of
 * applied imports, forms, the API); the check compares it with the newest id of any row, so values of an import that
 * is still writing make the statistics stale until the import is applied and they have been counted. */
const newestVisibleValueId = newestValueId(sql.ref('c.id'), { visible: true });
const newestAnyValueId = newestValueId(sql.ref('c.id'));

/** One query per batch, a row per campaign: the participants come as one JSON text `[[id, municipality, type,
 * {input: value}]…]` (current values: the latest visible row per organisation and input, as `currentValuesOfCampaign`).
 * Reading a row per value was two thirds of a region's recompute on PGlite, whose rows are decoded field by field in
 * this process, and half of it on the server (issue 23, docs/performance.md). */
async function campaignInputs(db: Kysely<Database>, ids: readonly string[]): Promise<CampaignInput[]> {
  return withoutJit(db, (d) => campaignInputsIn(d, ids));
}

async function campaignInputsIn(db: Kysely<Database>, ids: readonly string[]): Promise<CampaignInput[]> {
  const rows = await sql<{ id: string; methodology_id: string; methodology_version: string; last: number | string | null; lists: string | null; orgs: string | null }>`
    with cur as (
      select distinct on (campaign_id, organisation_id, input) id, campaign_id, organisation_id, input, value from value_history_visible
      where campaign_id in (${sql.join(ids)}) and dimensions is null order by campaign_id, organisation_id, input, id desc),
    per_org as (select campaign_id, organisation_id, json_object_agg(input, value) as v from cur group by campaign_id, organisation_id),
    -- The stamp is the newest visible value of any kind (a per-subject value too), as the freshness check compares it.
    -- The record lists in force are read in the same statement, so the stamp never names a list newer than the values.
    last as (select c.id as campaign_id, ${newestVisibleValueId} as last,
        ${listsInForce(sql.ref('c.id'))} as lists
      from campaigns c where c.id in (${sql.join(ids)})),
    orgs as (
      select co.campaign_id, json_agg(json_build_array(o.id, o.municipality_id, o.type, p.v) order by o.no, o.id)::text as orgs
      from campaign_organisations co join organisations o on o.id = co.organisation_id
        left join per_org p on p.campaign_id = co.campaign_id and p.organisation_id = co.organisation_id
      where co.campaign_id in (${sql.join(ids)}) group by co.campaign_id)
    select c.id, c.methodology_id, c.methodology_version, l.last, l.lists, g.orgs
    from campaigns c left join last l on l.campaign_id = c.id left join orgs g on g.campaign_id = c.id
    where c.id in (${sql.join(ids)})`.execute(db);
  return rows.rows.map((r) => ({
    id: r.id,
    methodology_id: r.methodology_id,
    methodology_version: r.methodology_version,
    last: Number(r.last ?? 0),
    lists: r.lists,
    organisations: r.orgs === null ? [] : (JSON.parse(r.orgs) as [string, string, string, Record<string, Value> | null][]).map(([id, municipalityId, type, values]) => ({ id, municipalityId, type, values: values ?? {} })),
  }));
}

/** Recomputes the statistics of the given campaigns from their current values and stores them with fresh stamps.
 * Works in batches (one query and one transaction per hundred campaigns), so recomputing a whole region is not a
 * query per campaign. */
export async function recomputeCampaignStats(db: Kysely<Database>, campaignIds: readonly string[], batch = 100): Promise<{ campaigns: number; organisations: number; rows: number }> {
  const total = { campaigns: 0, organisations: 0, rows: 0 };
  // The next batch is read while this one is computed and written: on a PostgreSQL server the two overlap (the
  // database works in its own process); on PGlite the queries simply take turns.
  const read = (i: number) => {
    const p = campaignInputs(db, campaignIds.slice(i, i + batch));
    p.catch(() => undefined); // awaited below; a failure of a batch never reached must not go unhandled
    return p;
  };
  let next = campaignIds.length ? read(0) : null;
  for (let i = 0; i < campaignIds.length; i += batch) {
    const ids = campaignIds.slice(i, i + batch);
    const campaigns = await (next as Promise<CampaignInput[]>);
    next = i + batch < campaignIds.length ? read(i + batch) : null;
    const payload: { campaign_id: string; municipality_id: string; metric: string; value: number | null; count: number }[] = [];
    const stamps: { campaign_id: string; content_hash: string; last_value_id: number; organisations: number }[] = [];
    const versions = await Promise.all(campaigns.map((c) => loadVersion(db, c.methodology_id, c.methodology_version)));
    // Campaigns with record lists in force: the inputs the lists supply, as the campaign's results count them.
    await withListedInputs(db, campaigns.map((c, k) => ({ ...c, methodology: versions[k]!.compiled.methodology })));
    for (const [k, c] of campaigns.entries()) {
      const { compiled, hash } = versions[k]!;
      // Per subject × grade too when the methodology has dimensional datasets (region-dimensional.ts).
      for (const r of [...campaignStats(compiled, c.organisations), ...(await dimensionalStatsOf(db, c.id, compiled, new Map(c.organisations.map((o) => [o.id, o.municipalityId]))))]) {
        payload.push({ campaign_id: c.id, municipality_id: r.municipalityId, metric: r.metric, value: r.value, count: r.count });
      }
      stamps.push({ campaign_id: c.id, content_hash: statsStamp(hash, c.lists, compiled.methodology), last_value_id: c.last, organisations: c.organisations.length });
      total.organisations += c.organisations.length;
    }
    await db.transaction().execute(async (trx) => {
      // Writers of the statistics take turns (readers are not blocked): two processes recomputing the same stale
      // campaign at once would otherwise both insert its rows, and the second would fail on the primary key. The
      // later writer deletes what the earlier one wrote; if it read older values, its stamp is older too, so the next
      // query recomputes again.
      await sql`lock table campaign_stats in share row exclusive mode`.execute(trx);
      await trx.deleteFrom('campaign_stats').where('campaign_id', 'in', ids).execute();
      for (let k = 0; k < payload.length; k += 5000) {
        await sql`insert into campaign_stats (campaign_id, municipality_id, metric, value, count)
          select campaign_id, municipality_id, metric, value, count
          from jsonb_to_recordset(${JSON.stringify(payload.slice(k, k + 5000))}::jsonb) as x(campaign_id uuid, municipality_id uuid, metric text, value double precision, count int)`.execute(trx);
      }
      await sql`insert into campaign_stats_stamps (campaign_id, content_hash, last_value_id, organisations)
        select campaign_id, content_hash, last_value_id, organisations
        from jsonb_to_recordset(${JSON.stringify(stamps)}::jsonb) as x(campaign_id uuid, content_hash text, last_value_id bigint, organisations int)
        on conflict (campaign_id) do update set content_hash = excluded.content_hash, last_value_id = excluded.last_value_id,
          organisations = excluded.organisations, computed_at = now()`.execute(trx);
    });
    total.campaigns += campaigns.length;
    total.rows += payload.length;
  }
  return total;
}

interface StampRow { id: string; methodology_id: string; methodology_version: string; content_hash: string | null; last_value_id: number | string | null; last: number | string | null; lists: string | null }

/** Campaigns (`c`) matching `where` with their statistics stamps, newest value ids and record lists in force:
 * everything the freshness check needs, in one query (the newest value id of a campaign is one probe of
 * value_history(campaign_id, id), its lists one probe of campaign_record_lists(campaign_id, dataset_id, at)). */
async function stampsOf(db: Kysely<Database>, where: RawBuilder<unknown>): Promise<StampRow[]> {
  return (await sql<StampRow>`
    select c.id, c.methodology_id, c.methodology_version, s.content_hash, s.last_value_id,
      ${newestAnyValueId} as last, ${listsInForce(sql.ref('c.id'))} as lists
    from campaigns c left join campaign_stats_stamps s on s.campaign_id = c.id
    where ${where}`.execute(db)).rows;
}

/** Recomputes the campaigns of `rows` whose statistics are missing or stale (no stamp, another methodology hash or
 * other record lists in force, or a value added after the stamp); returns how many. */
async function refreshStale(db: Kysely<Database>, rows: readonly StampRow[]): Promise<number> {
  const stale: string[] = [];
  for (const r of rows) {
    const { compiled, hash } = await loadVersion(db, r.methodology_id, r.methodology_version);
    if (r.content_hash !== statsStamp(hash, r.lists, compiled.methodology) || Number(r.last_value_id) !== Number(r.last ?? 0)) stale.push(r.id);
  }
  if (stale.length) await recomputeCampaignStats(db, stale);
  return stale.length;
}

/** Recomputes the campaigns whose stored statistics are missing or stale; returns how many were recomputed. */
export async function ensureCampaignStats(db: Kysely<Database>, campaignIds: readonly string[]): Promise<number> {
  if (campaignIds.length === 0) return 0;
  return refreshStale(db, await stampsOf(db, sql`c.id in (${sql.join(campaignIds)})`));
}

export interface RegionMethodology {
  id: string;
  title: string;
  direction: string;
  periods: { code: string; label: string }[];
  campaigns: number;
  metrics: MetricInfo[];
  levelIndicators: { id: string; title: string }[];
  /** Per subject × grade data (issue 22): `regionSubjectFigures`. */
  dimensional?: boolean;
}
export interface RegionOverview {
  region: RegionRef;
  municipalities: { id: string; name: string; synthetic: boolean; organisations: number; publishedCampaigns: number }[];
  methodologies: RegionMethodology[];
}

const labelOf = (code: string) => {
  const p = parsePeriod(code);
  return p.ok ? periodLabel(p.value) : code;
};

export async function regionOverview(db: Kysely<Database>, region: RegionRef): Promise<RegionOverview> {
  // Published campaigns per municipality from campaign_participation (0012: one row per campaign and municipality,
  // kept by triggers), not from every participation of the region.
  const municipalities = await sql<{ id: string; name: string; synthetic: boolean; organisations: number; published: number }>`
    select m.id, m.name, m.synthetic,
      (select count(*)::int from organisations o where o.municipality_id = m.id and o.status = 'active') as organisations,
      coalesce(p.n, 0) as published
    from municipalities m left join (
      select cp.municipality_id, count(*)::int as n from campaign_participation cp join campaigns c on c.id = cp.campaign_id
        join municipalities pm on pm.id = cp.municipality_id
      where c.status = 'published' and pm.region_id = ${region.id} group by cp.municipality_id) p on p.municipality_id = m.id
    where m.region_id = ${region.id} order by m.name`.execute(db);
  const campaigns = await db
    .selectFrom('campaigns as c')
    .select(['c.methodology_id', 'c.methodology_version', 'c.period_code', 'c.period_start'])
    .select(sql<number>`count(*)::int`.as('n'))
    .where('c.status', '=', 'published')
    .where(inRegion(region.id))
    .groupBy(['c.methodology_id', 'c.methodology_version', 'c.period_code', 'c.period_start'])
    .orderBy('c.methodology_id')
    .orderBy('c.period_start')
    .execute();
  const byId = new Map<string, RegionMethodology>();
  for (const c of campaigns) {
    const loaded = await loadVersion(db, c.methodology_id, c.methodology_version);
    const m = loaded.compiled.methodology;
    const entry = byId.get(c.methodology_id) ?? {
      id: c.methodology_id, title: loaded.title, direction: m.direction, periods: [], campaigns: 0, metrics: metricsOf(m),
      levelIndicators: levelIndicators(m).map((id) => ({ id, title: m.indicators[id]?.title ?? id })),
      ...(dimensionalMeasures(m).length ? { dimensional: true } : {}),
    };
    if (!entry.periods.some((p) => p.code === c.period_code)) entry.periods.push({ code: c.period_code, label: labelOf(c.period_code) });
    entry.campaigns += Number(c.n);
    byId.set(c.methodology_id, entry);
  }
  return {
    region,
    municipalities: municipalities.rows.map((m) => ({ id: m.id, name: m.name, synthetic: m.synthetic, organisations: Number(m.organisations), publishedCampaigns: Number(m.published) })),
    methodologies: [...byId.values()],
  };
}

export interface RegionCampaign { id: string; title: string; methodologyId: string; period: string; periodLabel: string; municipalities: string[]; organisations: number }

/** Every published campaign of the region's municipalities (drafts and running campaigns stay municipal). */
export async function regionCampaigns(db: Kysely<Database>, region: RegionRef): Promise<RegionCampaign[]> {
  // campaign_participation (0012): a row per campaign and municipality with its number of participants, so the list
  // reads a few rows per campaign instead of every participation of the region.
  const rows = await sql<{ id: string; title: string; methodology_id: string; period_code: string; municipalities: string[]; organisations: number }>`
    select c.id, c.title, c.methodology_id, c.period_code,
      array_agg(m.name order by m.name) as municipalities, sum(cp.organisations)::int as organisations
    from campaigns c join campaign_participation cp on cp.campaign_id = c.id join municipalities m on m.id = cp.municipality_id
    where c.status = 'published' and m.region_id = ${region.id}
    group by c.id, c.title, c.methodology_id, c.period_code, c.period_start
    order by c.period_start desc, c.methodology_id, min(m.name)`.execute(db);
  return rows.rows.map((r) => ({ id: r.id, title: r.title, methodologyId: r.methodology_id, period: r.period_code, periodLabel: labelOf(r.period_code), municipalities: r.municipalities, organisations: Number(r.organisations) }));
}

/** The region's published campaigns of a methodology (and period), their statistics brought up to date, and the
 * methodology document of the first (the comparison names its metrics and levels). */
async function comparedCampaigns(db: Kysely<Database>, region: RegionRef, methodologyId: string, period?: string): Promise<{ ids: string[]; methodology: Methodology }> {
  const rows = await stampsOf(db, sql`c.status = 'published' and c.methodology_id = ${methodologyId} ${period ? sql`and c.period_code = ${period}` : sql``} and ${inRegion(region.id)}`);
  if (rows.length === 0) throw new ServiceError('not_found', 'NOTHING_TO_COMPARE', `В регионе нет опубликованных мониторингов по методике «${methodologyId}»${period ? ` за ${labelOf(period)}` : ''}`);
  await refreshStale(db, rows);
  return { ids: rows.map((r) => r.id), methodology: (await loadVersion(db, methodologyId, rows[0]!.methodology_version)).compiled.methodology };
}

/** The latest published campaign's figure per municipality (a municipality may have re-run a campaign). */
async function figures(db: Kysely<Database>, region: RegionRef, ids: string[], metrics: string[]) {
  return sql<{ municipality_id: string; name: string; period_code: string; period_start: string; metric: string; value: number | null; count: number }>`
    select distinct on (s.municipality_id, c.period_code, s.metric) s.municipality_id, m.name, c.period_code, c.period_start, s.metric, s.value, s.count
    from campaign_stats s join campaigns c on c.id = s.campaign_id join municipalities m on m.id = s.municipality_id
    where m.region_id = ${region.id} and s.campaign_id = any(${ids}::uuid[]) and s.metric in (${sql.join(metrics)})
    order by s.municipality_id, c.period_code, s.metric, c.created_at desc`.execute(db);
}

function metricInfo(metrics: MetricInfo[], metric: string, methodologyId: string): MetricInfo {
  const info = metrics.find((x) => x.metric === metric);
  if (!info) throw new ServiceError('validation', 'VALIDATION', 'Проверьте заполнение полей', [{ path: 'metric', message: `У методики «${methodologyId}» нет показателя для сравнения «${metric}»` }]);
  return info;
}

export interface RankingRow { rank: number | null; municipalityId: string; municipality: string; value: number | null; organisations: number }
export interface Ranking { methodologyId: string; period: string; periodLabel: string; metric: MetricInfo; order: 'desc' | 'asc'; rows: RankingRow[] }

export async function regionRanking(db: Kysely<Database>, region: RegionRef, q: { methodologyId: string; period: string; metric: string; order?: 'desc' | 'asc' }): Promise<Ranking> {
  const { ids, methodology } = await comparedCampaigns(db, region, q.methodologyId, q.period);
  const info = metricInfo(metricsOf(methodology), q.metric, q.methodologyId);
  const rows = (await figures(db, region, ids, [q.metric])).rows;
  const ranked = rankBy(rows.map((r) => ({ name: r.name, value: r.value, id: r.municipality_id, count: Number(r.count) })), { order: q.order ?? 'desc', tieDigits: 1 });
  return {
    methodologyId: q.methodologyId, period: q.period, periodLabel: labelOf(q.period), metric: info, order: q.order ?? 'desc',
    rows: ranked.map((r) => ({ rank: r.rank, municipalityId: r.item.id, municipality: r.name, value: r.value, organisations: r.item.count })),
  };
}

export interface DistributionRow { municipalityId: string; municipality: string; rated: number; counts: Record<LevelCode, number>; shares: Record<LevelCode, number | null> }
export interface Distribution { methodologyId: string; period: string; periodLabel: string; indicator: { id: string; title: string }; levels: { code: LevelCode; name: string }[]; rows: DistributionRow[] }

export async function regionDistribution(db: Kysely<Database>, region: RegionRef, q: { methodologyId: string; period: string; indicator: string }): Promise<Distribution> {
  const { ids, methodology: m } = await comparedCampaigns(db, region, q.methodologyId, q.period);
  if (!levelIndicators(m).includes(q.indicator)) {
    throw new ServiceError('validation', 'VALIDATION', 'Проверьте заполнение полей', [{ path: 'indicator', message: `У показателя «${q.indicator}» методики «${q.methodologyId}» нет шкалы уровней` }]);
  }
  const rows = (await figures(db, region, ids, LEVEL_CODES.map((l) => levelMetric(q.indicator, l)))).rows;
  const by = new Map<string, DistributionRow>();
  for (const r of rows) {
    const row = by.get(r.municipality_id) ?? { municipalityId: r.municipality_id, municipality: r.name, rated: Number(r.count), counts: { high: 0, above_average: 0, average: 0, below_average: 0, low: 0 }, shares: { high: null, above_average: null, average: null, below_average: null, low: null } };
    const level = r.metric.split(':')[2] as LevelCode;
    row.counts[level] = Number(r.value ?? 0);
    row.shares[level] = row.rated ? Math.round((Number(r.value ?? 0) / row.rated) * 1000) / 10 : null;
    by.set(r.municipality_id, row);
  }
  return {
    methodologyId: q.methodologyId, period: q.period, periodLabel: labelOf(q.period),
    indicator: { id: q.indicator, title: m.indicators[q.indicator]?.title ?? q.indicator },
    levels: LEVEL_CODES.map((code) => ({ code, name: LEVEL_NAMES[code] })),
    rows: [...by.values()].sort((a, b) => a.municipality.localeCompare(b.municipality, 'ru')),
  };
}

export interface Dynamics { methodologyId: string; metric: MetricInfo; periods: { code: string; label: string }[]; rows: { municipalityId: string; municipality: string; values: (number | null)[]; change: number | null }[] }

export async function regionDynamics(db: Kysely<Database>, region: RegionRef, q: { methodologyId: string; metric: string }): Promise<Dynamics> {
  const { ids, methodology } = await comparedCampaigns(db, region, q.methodologyId);
  const info = metricInfo(metricsOf(methodology), q.metric, q.methodologyId);
  const rows = (await figures(db, region, ids, [q.metric])).rows;
  const periods = [...new Map(rows.map((r) => [r.period_code, r.period_start])).entries()].sort((a, b) => a[1].localeCompare(b[1])).map(([code]) => ({ code, label: labelOf(code) }));
  const by = new Map<string, { municipalityId: string; municipality: string; values: (number | null)[]; change: number | null }>();
  for (const r of rows) {
    const row = by.get(r.municipality_id) ?? { municipalityId: r.municipality_id, municipality: r.name, values: periods.map(() => null), change: null };
    row.values[periods.findIndex((p) => p.code === r.period_code)] = r.value;
    by.set(r.municipality_id, row);
  }
  for (const row of by.values()) {
    const present = row.values.filter((v): v is number => v !== null);
    row.change = present.length >= 2 ? (present[present.length - 1] as number) - (present[0] as number) : null;
  }
  return { methodologyId: q.methodologyId, metric: info, periods, rows: [...by.values()].sort((a, b) => a.municipality.localeCompare(b.municipality, 'ru')) };
}

/** Per subject × grade of a dimensional methodology (issue 22): every municipality's figures (region-dimensional.ts). */
export async function regionSubjectFigures(db: Kysely<Database>, region: RegionRef, q: { methodologyId: string; period: string }): Promise<RegionSubjects> {
  return regionSubjects(db, region, q, comparedCampaigns);
}
