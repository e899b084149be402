/** A whole region on one deployment (issue 9): generate the synthetic region (`msoko generate`), recompute every result
 * of every campaign, run the regional analysis queries, render the regional report, and compare msoko's
 * recomputation with the same aggregation written directly in SQL on the same database. On PGlite, and on the
 * PostgreSQL server of BENCH_DATABASE_URL when it is set (a database of its own is created there and dropped after).
 *
 *   npm run bench -- region
 *   REGION_MUNICIPALITIES=40 REGION_ORGANISATIONS=3000 REGION_YEARS=5 BENCH_DATABASE_URL=postgres://… npm run bench -- region
 *   REGION_ENGINES=postgres (or pglite) measures one engine only.
 */
import os from 'node:os';
import { sql, type Kysely } from 'kysely';
import type { DatabaseHandle } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { Database } from '../src/db/schema.ts';
import { computeCampaignResults, eachCampaignResults } from '../src/services/analysis/campaign-results.ts';
import { SYSTEM_ACTOR } from '../src/services/errors.ts';
import { generateRegion } from '../src/services/region/region-generate.ts';
import { recomputeCampaignStats, regionDistribution, regionDynamics, regionOverview, regionRanking, type RegionRef } from '../src/services/region/region.ts';
import { regionReportDocx } from '../src/services/region/region-report.ts';
import type { BenchTable } from './run.ts';
import { withPgliteDatabase, withServerDatabase } from './server-database.ts';

export const title = 'Регион: генерация, пересчёт всех результатов, запросы сравнения, справка DOCX, msoko против SQL';

const SPEC = {
  municipalities: Number(process.env.REGION_MUNICIPALITIES ?? 40),
  organisations: Number(process.env.REGION_ORGANISATIONS ?? 3000),
  years: Number(process.env.REGION_YEARS ?? 5),
  seed: Number(process.env.REGION_SEED ?? 1),
};

const ms = (x: number) => `${Math.round(x).toLocaleString('ru-RU')} мс`;
const s = (x: number) => `${(x / 1000).toFixed(2).replace('.', ',')} с`;
const p = (xs: number[], q: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
};
/** Wall-clock time, and the CPU time of this process (user + system): on a shared, overloaded machine the wall clock
 * includes waiting for a core; on PGlite the CPU time includes the database's work (it runs in this process). */
async function timed<T>(f: () => Promise<T>): Promise<{ value: T; ms: number; cpu: number }> {
  const c = process.cpuUsage();
  const t = performance.now();
  const value = await f();
  const d = process.cpuUsage(c);
  return { value, ms: performance.now() - t, cpu: (d.user + d.system) / 1000 };
}
const cpuNote = (x: { cpu: number }) => `CPU процесса ${s(x.cpu)}`;

/** The SQL baseline: talents-2021's per-municipality figures (mean of rounded diversity indices, ratio of sums, median,
 * level counts, mean survey share) straight from value_history, as a hand-written query would do it. */
const BASELINE = sql<{ campaign_id: string; municipality_id: string; mean_rounded: number | null; n: number }>`
  with cur as (
    select distinct on (v.campaign_id, v.organisation_id, v.input) v.campaign_id, v.organisation_id, v.input, (v.value #>> '{}')::numeric as x
    from value_history v join campaigns c on c.id = v.campaign_id
    where c.methodology_id = 'talents-2021' and c.status = 'published' and v.input in ('students', 'programmes', 'surveyed_students')
    order by v.campaign_id, v.organisation_id, v.input, v.id desc),
  org as (
    select campaign_id, organisation_id, max(x) filter (where input = 'students') as st, max(x) filter (where input = 'programmes') as pr,
      max(x) filter (where input = 'surveyed_students') as sv
    from cur group by campaign_id, organisation_id),
  ind as (
    select org.campaign_id, o.municipality_id, st, pr,
      case when st > 0 then round(pr / st * 100, 1) end as di, case when st > 0 then round(sv / st * 100, 1) end as ns
    from org join organisations o on o.id = org.organisation_id)
  select campaign_id, municipality_id, round(avg(di), 1)::float8 as mean_rounded, count(di)::int as n,
    round(sum(pr) / nullif(sum(st), 0) * 100, 1)::float8 as ratio, percentile_cont(0.5) within group (order by di) as median, avg(ns)::float8 as survey_share,
    count(*) filter (where di >= 7.6)::int as high, count(*) filter (where di >= 5.1 and di < 7.6)::int as above_average,
    count(*) filter (where di >= 2.6 and di < 5.1)::int as average, count(*) filter (where di >= 1.6 and di < 2.6)::int as below_average,
    count(*) filter (where di < 1.6)::int as low
  from ind group by campaign_id, municipality_id`;

/** The same talents-2021 figures per organisation, by hand: the diversity index's level and points and the survey
 * share's points, with the bands of library/talents-2021.yaml written out (a value between two bands has none). */
const BASELINE_ORGS = sql<{ campaign_id: string; organisation_id: string; level: string | null; points: number | null; survey_points: number | null }>`
  with cur as (
    select distinct on (v.campaign_id, v.organisation_id, v.input) v.campaign_id, v.organisation_id, v.input, (v.value #>> '{}')::numeric as x
    from value_history v join campaigns c on c.id = v.campaign_id
    where c.methodology_id = 'talents-2021' and c.status = 'published' and v.input in ('students', 'programmes', 'surveyed_students')
    order by v.campaign_id, v.organisation_id, v.input, v.id desc),
  ind as (
    select campaign_id, organisation_id,
      case when max(x) filter (where input = 'students') > 0 then round(max(x) filter (where input = 'programmes') / max(x) filter (where input = 'students') * 100, 1) end as di,
      case when max(x) filter (where input = 'students') > 0 then round(max(x) filter (where input = 'surveyed_students') / max(x) filter (where input = 'students') * 100, 1) end as ns
    from cur group by campaign_id, organisation_id)
  select campaign_id, organisation_id,
    case when di >= 7.6 then 'high' when di >= 5.1 and di <= 7.5 then 'above_average' when di >= 2.6 and di <= 5.0 then 'average'
      when di >= 1.6 and di <= 2.5 then 'below_average' when di >= 0 and di <= 1.5 then 'low' end as level,
    (case when di >= 7.6 then 3 when di >= 5.1 and di <= 7.5 then 2 when di >= 2.6 and di <= 5.0 then 1
      when di >= 1.6 and di <= 2.5 then 0.5 when di >= 0 and di <= 1.5 then 0 end)::float8 as points,
    (case when ns > 25 then 3 when ns >= 20 and ns <= 25 then 2 when ns >= 10 and ns <= 19 then 1 when ns >= 0 and ns <= 9 then 0 end)::float8 as survey_points
  from ind where di is not null`;

const LEVELS = ['high', 'above_average', 'average', 'below_average', 'low'] as const;
const load = () => os.loadavg().map((x) => x.toFixed(1).replace('.', ',')).join(' / ');
const verdict = (ok: boolean) => (ok ? 'да' : '**нет**');

async function measure(label: string, h: DatabaseHandle): Promise<(string | number)[][]> {
  const db: Kysely<Database> = h.db;
  const rows: (string | number)[][] = [];
  const add = (what: string, value: string, note = '') => {
    rows.push([label, what, value, note]);
    process.stderr.write(`${label}: ${what} — ${value} (${note})\n`);
  };
  await migrateToLatest(db);
  const gen = await timed(() => generateRegion(db, SYSTEM_ACTOR, { ...SPEC, onProgress: (line) => { if (/^(1|\d*0)\//.test(line)) process.stderr.write(`${label}: ${line}\n`); } }));
  const g = gen.value;
  add('генерация региона', s(gen.ms), `${cpuNote(gen)}; ${g.municipalities} МО, ${g.organisations} ОО, ${g.campaigns} мониторингов, ${g.historyRows.toLocaleString('ru-RU')} строк истории, ${g.surveyResponses.toLocaleString('ru-RU')} ответов`);

  const version = (await sql<{ v: string }>`select version() as v`.execute(db)).rows[0]?.v.split(' on ')[0] ?? '?';
  add('СУБД', label === 'PGlite' ? `PGlite (${version}, в процессе Node)` : `сервер ${version}`, `нагрузка перед пересчётом ${load()}`);
  const campaigns = (await db.selectFrom('campaigns').select(['id', 'methodology_id']).where('status', '=', 'published').execute());
  const ids = campaigns.map((c) => c.id);
  const all = await timed(() => recomputeCampaignStats(db, ids));
  add('пересчёт всех мониторингов движком → статистика МО', s(all.ms), `${cpuNote(all)}; ${all.value.campaigns} мониторингов, ${all.value.organisations.toLocaleString('ru-RU')} участий ОО; цель < 5 с — ${verdict(all.ms < 5000)}; нагрузка ${load()}`);

  // Every result of every campaign through the contract of issue 7 (every table, every result with its explanation):
  // eachCampaignResults reads the campaigns in batches of 100 (a few queries per batch); nothing is kept.
  const every = await timed(async () => {
    let n = 0;
    for await (const r of eachCampaignResults(db, ids, { basis: 'accepted' })) n += r.computed.length;
    return n;
  });
  add('все результаты всех мониторингов (eachCampaignResults)', s(every.ms), `${cpuNote(every)}; ${ids.length} мониторингов, ${every.value} вычисленных таблиц, все результаты с объяснениями; ${ms(every.ms / ids.length)} на мониторинг; цель < 5 с`);
  // One campaign at a time, as the analysis page asks for it: a sample of 50 campaigns, time per campaign.
  const sample = ids.filter((_, i) => i % Math.max(1, Math.floor(ids.length / 50)) === 0).slice(0, 50);
  const one = await timed(async () => {
    for (const id of sample) await computeCampaignResults(db, id, { basis: 'accepted' });
  });
  add('computeCampaignResults, по одному мониторингу', ms(one.ms / sample.length), `${cpuNote(one)} на ${sample.length} мониторингов; время на один мониторинг`);

  const talents = campaigns.filter((c) => c.methodology_id === 'talents-2021').map((c) => c.id);
  const engine = await timed(() => recomputeCampaignStats(db, talents));
  const baseline = await timed(() => BASELINE.execute(db));
  await sql`select 1`.execute(db);
  const baseline2 = await timed(() => BASELINE.execute(db));
  const stored = await db.selectFrom('campaign_stats').select(['campaign_id', 'municipality_id', 'value', 'count']).where('metric', '=', 'aggregate:municipal_diversity_index').where('campaign_id', 'in', talents).execute();
  const key = (c: string, m: string) => `${c}/${m}`;
  const sqlBy = new Map(baseline.value.rows.map((r) => [key(r.campaign_id, r.municipality_id), r]));
  const agree = stored.filter((r) => sqlBy.get(key(r.campaign_id, r.municipality_id))?.mean_rounded === r.value).length;
  const best = Math.min(baseline.ms, baseline2.ms);
  // Levels: the number of organisations at each level per municipality, from the statistics and from the SQL query.
  const levelRows = await db.selectFrom('campaign_stats').select(['campaign_id', 'municipality_id', 'metric', 'value']).where('metric', 'like', 'level:diversity_index:%').where('campaign_id', 'in', talents).execute();
  const levelAgree = levelRows.filter((r) => {
    const level = r.metric.split(':')[2] as (typeof LEVELS)[number];
    return LEVELS.includes(level) && Number((sqlBy.get(key(r.campaign_id, r.municipality_id)) as Record<string, unknown> | undefined)?.[level]) === r.value;
  }).length;
  const ratio = engine.ms / best;
  add('talents-2021: msoko (движок, с записью статистики)', ms(engine.ms), `${cpuNote(engine)}; ${talents.length} мониторингов; нагрузка ${load()}`);
  add('talents-2021: та же агрегация одним SQL-запросом', ms(best), `совпало ${agree} из ${stored.length} значений «индекс МО», ${levelAgree} из ${levelRows.length} чисел организаций по уровням`);
  add('отношение msoko / SQL', `${ratio.toFixed(1).replace('.', ',')}×`, `цель ≤ 2× — ${verdict(ratio <= 2)}; движок читает текущие значения, вычисляет показатели, уровни, баллы, агрегаты и пишет статистику`);
  // Levels and points of every organisation: the engine's results (the campaign page's contract) against the SQL.
  const perOrg = new Map((await BASELINE_ORGS.execute(db)).rows.map((r) => [key(r.campaign_id, r.organisation_id), r]));
  let same = 0;
  let compared = 0;
  for await (const r of eachCampaignResults(db, talents, { basis: 'all' })) {
    const idOf = new Map(r.organisations.map((o) => [o.name, o.id]));
    const survey = new Map<string, number | null>();
    for (const t of r.computed) for (const x of t.results) if (x.indicator === 'needs_survey_share') survey.set(x.organisation, x.points);
    for (const t of r.computed) {
      for (const x of t.results) {
        if (x.indicator !== 'diversity_index' || x.value === null) continue;
        compared++;
        const q = perOrg.get(key(r.campaign.id, idOf.get(x.organisation) ?? ''));
        if (q && q.level === x.details.levelCode && q.points === x.points && q.survey_points === (survey.get(x.organisation) ?? null)) same++;
      }
    }
  }
  add('talents-2021: уровни и баллы организаций, msoko и SQL', `совпало ${same.toLocaleString('ru-RU')} из ${perOrg.size.toLocaleString('ru-RU')}`, `уровень и баллы индекса многообразия и баллы доли анкетированных каждой организации; движком вычислено ${compared.toLocaleString('ru-RU')}`);

  const region = (await db.selectFrom('regions').select(['id', 'name', 'synthetic']).executeTakeFirstOrThrow()) as RegionRef;
  const overview = await regionOverview(db, region);
  const t = overview.methodologies.find((m) => m.id === 'talents-2021');
  if (!t) throw new Error('нет мониторингов talents-2021');
  const periods = t.periods.map((x) => x.code);
  const metrics = t.metrics.map((x) => x.metric);
  const times: Record<string, number[]> = { ranking: [], distribution: [], dynamics: [] };
  for (let round = 0; round < 6; round++) {
    for (const period of periods) {
      for (const metric of metrics) times.ranking!.push((await timed(() => regionRanking(db, region, { methodologyId: 'talents-2021', period, metric }))).ms);
      times.distribution!.push((await timed(() => regionDistribution(db, region, { methodologyId: 'talents-2021', period, indicator: 'diversity_index' }))).ms);
    }
    for (const m of overview.methodologies) {
      for (const metric of m.metrics.slice(0, 2).map((x) => x.metric)) times.dynamics!.push((await timed(() => regionDynamics(db, region, { methodologyId: m.id, metric }))).ms);
    }
  }
  for (const [name, xs] of Object.entries(times)) {
    add(`запрос «${name === 'ranking' ? 'рейтинг' : name === 'distribution' ? 'распределение по уровням' : 'динамика'}»`, `p95 ${ms(p(xs, 0.95))}`, `p50 ${ms(p(xs, 0.5))}, ${xs.length} запросов; цель p95 < 100 мс — ${verdict(p(xs, 0.95) < 100)}`);
  }
  const docx = await timed(() => regionReportDocx(db, region, { methodologyId: 'talents-2021', period: periods[periods.length - 1] as string, metric: 'aggregate:municipal_diversity_index' }, '2022-06-30'));
  add('региональная справка DOCX', ms(docx.ms), `${Math.round(docx.value.buffer.length / 1024)} КБ, ${overview.municipalities.length} муниципалитетов`);
  return rows;
}

export async function run(): Promise<BenchTable> {
  const rows: (string | number)[][] = [];
  const notes = [
    `Машина: ${os.cpus()[0]?.model ?? '?'} × ${os.cpus().length}, ОЗУ ${Math.round(os.totalmem() / 2 ** 30)} ГБ, Node ${process.version}, нагрузка в начале ${os.loadavg().map((x) => x.toFixed(1)).join(' / ')}.`,
    `Регион: ${SPEC.municipalities} муниципалитетов, ${SPEC.organisations} организаций, ${SPEC.years} лет, зерно ${SPEC.seed} (msoko generate).`,
  ];
  const engines = (process.env.REGION_ENGINES ?? 'pglite,postgres').split(',');
  if (engines.includes('pglite')) {
    rows.push(...(await withPgliteDatabase('region', (h) => measure('PGlite', h))));
  }
  const server = process.env.BENCH_DATABASE_URL;
  if (server && engines.includes('postgres')) {
    rows.push(...(await withServerDatabase(server, 'region', (h) => measure('PostgreSQL', h))));
  } else notes.push('BENCH_DATABASE_URL не задан: замер на сервере PostgreSQL пропущен.');
  return { head: ['СУБД', 'что', 'время', 'примечание'], rows, notes };
}
