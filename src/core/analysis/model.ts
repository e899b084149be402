/** The analysis model of a monitoring report (issue 6): computed results of one run (one compute output per data
 * table) + organisation attributes → tables, ranking, distributions, statistics, correlations, clusters, targets,
 * discrepancies and conclusions. Pure: no I/O, no clock; every renderer (DOCX, XLSX, PDF, web) reads this model. */
import type { Methodology, ResultRow } from '../methodology/index.ts';
import { LEVEL_CODES, LEVEL_NAMES, describeBounds } from '../methodology/index.ts';
import { clusterOrganisations, correlationMatrix, crossTab, largestRemainder, rankBy, summarize } from '../stats/index.ts';
import { buildConclusions } from './conclusions.ts';
import { printedNotes } from './printed.ts';
import type { AggregateRow, AnalysisInput, AnalysisModel, CriteriaTable, DiscrepancyRow, GroupTable, IndicatorInfo, IndicatorStats, LevelDistribution, MunicipalValue, OrgRow, OrgTable, Ranking } from './types.ts';
import type { Ranked } from '../stats/index.ts';
import { typeName } from './types.ts';
import { indicatorInfo } from './indicator-info.ts';
import { dimensionalView } from './dimensional.ts';

export * from './types.ts';

const LEVEL_ORDER: string[] = LEVEL_CODES.map((c) => LEVEL_NAMES[c]);

function criteriaTable(m: Methodology): CriteriaTable {
  const criteria = (m.criteria ?? []).map((c) => ({
    id: c.id,
    title: c.title,
    max: c.max,
    indicators: c.indicators.map((id) => {
      const d = m.indicators[id];
      const scaleId = d?.scale;
      const scale = scaleId && scaleId !== 'none' ? m.scales?.[scaleId] : undefined;
      const bands = (scale?.bands ?? []).map((b) => {
        const level = b.level ? LEVEL_NAMES[b.level] : null;
        const printed = b.label ?? (scale?.bounds === 'unspecified' ? null : describeBounds(b, d?.round));
        return { label: level && printed ? `${level} (${printed})` : (level ?? printed ?? '—'), points: b.points ?? null };
      });
      return { id, code: d?.code ?? null, title: d?.title ?? id, target: d?.target ?? null, unit: d?.unit ?? null, bands, note: scale?.note ?? d?.scale_note ?? null };
    }),
  }));
  const maxTotal = m.total?.max ?? (criteria.length ? criteria.reduce((s, c) => s + c.max, 0) : null);
  return { criteria, maxTotal };
}

const numeric = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function datasetInputs(m: Methodology, datasetId: string): { id: string; title: string; unit: string | null }[] {
  const ds = m.datasets?.[datasetId];
  return Object.keys(ds?.columns ?? {}).map((id) => ({ id, title: m.inputs[id]?.title ?? id, unit: m.inputs[id]?.unit ?? null }));
}

function byEntity(results: readonly ResultRow[]): Map<string, ResultRow[]> {
  const map = new Map<string, ResultRow[]>();
  for (const r of results) {
    const list = map.get(r.organisation) ?? [];
    list.push(r);
    map.set(r.organisation, list);
  }
  return map;
}

/** The indicators the municipal values (`AnalysisModel.municipal`) are of: the criteria indicators — read from a
 * municipality row, a totals row or a `mean_of_orgs` aggregate over them. A campaign computed for its municipal values
 * only (the series of earlier campaigns on the analysis page) needs no other indicator of its per-dimension tables. */
export function municipalIndicators(m: Methodology): string[] {
  return [...new Set((m.criteria ?? []).flatMap((c) => c.indicators))];
}

/** The indicators the methodology's aggregates are taken over (`of`, and a ratio's numerator and denominator when they
 * are indicators): with `municipalIndicators`, what every row of a per-dimension table computed for a compact view
 * keeps (campaign-results.ts), so that its aggregates and municipal values are those of the whole computation. */
export function aggregateIndicators(m: Methodology): string[] {
  const ids = Object.values(m.aggregates ?? {}).flatMap((a) => [a.of, a.numerator, a.denominator]);
  return [...new Set(ids.filter((id): id is string => id !== undefined && m.indicators[id] !== undefined))];
}

/** Builds the analysis model; see the module comment. */
export function buildAnalysis(input: AnalysisInput): AnalysisModel {
  const m = input.methodology;
  const orgInfo = new Map((input.organisations ?? []).map((o) => [o.name, o]));
  const criteriaIndicators = new Set(municipalIndicators(m));
  const orgTables: OrgTable[] = [];
  const groupTables: GroupTable[] = [];

  for (const t of input.computed) {
    // Rows per organisation × subject × grade (issue 22) are not one row per organisation: merged by name they would
    // rank schools by whichever subject came last. Their aggregates still count; their own tables come later.
    if (t.results.some((r) => r.dimensions)) continue;
    const indicators = t.indicators.map((i) => indicatorInfo(m, i.id));
    const inputs = datasetInputs(m, t.dataset.id);
    const entities = byEntity(t.results);
    if (t.dataset.unit === 'organisation') {
      const totals = new Map(t.totals.map((x) => [x.organisation, x]));
      const rows: OrgRow[] = [...entities.entries()].map(([name, rs]) => {
        const info = orgInfo.get(name);
        const ins: OrgRow['inputs'] = {};
        for (const r of rs) for (const [k, v] of Object.entries(r.details.inputs)) ins[k] = v as number | string | boolean | null;
        const cells: OrgRow['cells'] = {};
        for (const r of rs) cells[r.indicator] = { value: r.value, level: r.level, levelCode: r.details.levelCode, points: r.points, explanation: r.explanation };
        const tot = totals.get(name);
        return { no: info?.no ?? null, name, type: info?.type ?? null, inputs: ins, cells, total: tot ? { points: tot.points, max: tot.max, complete: tot.complete } : null };
      });
      orgTables.push({ datasetId: t.dataset.id, datasetTitle: t.dataset.title, inputs, indicators, rows });
    } else {
      const totalKey = m.datasets?.[t.dataset.id]?.total_row ?? null;
      const rows = [...entities.entries()].map(([key, rs]) => {
        const ins: Record<string, number | null> = {};
        for (const r of rs) for (const [k, v] of Object.entries(r.details.inputs)) ins[k] = numeric(v);
        const cells: GroupTable['rows'][number]['cells'] = {};
        for (const r of rs) cells[r.indicator] = { value: r.value, points: r.points, level: r.level, explanation: r.explanation };
        return { key, label: key === totalKey ? 'Итого' : typeName(key), isTotal: key === totalKey, inputs: ins, cells };
      });
      const body = rows.filter((r) => !r.isTotal);
      const shown = inputs.filter((i) => body.some((r) => r.inputs[i.id] !== undefined));
      const sums = shown.map((i) => body.reduce((s, r) => s + (r.inputs[i.id] ?? 0), 0));
      const shares = largestRemainder(sums, 1);
      groupTables.push({
        datasetId: t.dataset.id,
        datasetTitle: t.dataset.title,
        unit: t.dataset.unit,
        breakdown: !indicators.some((i) => criteriaIndicators.has(i.id)),
        inputs: shown,
        indicators,
        rows,
        inputTotals: shown.map((i, k) => ({ id: i.id, title: i.title, sum: sums[k] ?? 0, share: shares[k] ?? 0 })),
      });
    }
  }

  // Rankings, level distributions, statistics over the organisation tables.
  const rankings: Ranking[] = [];
  const distributions: LevelDistribution[] = [];
  const statistics: IndicatorStats[] = [];
  const orgSeries: { info: IndicatorInfo; names: string[]; values: (number | null)[] }[] = [];
  for (const t of orgTables) {
    for (const ind of t.indicators) {
      const items = t.rows.map((r) => ({ name: r.name, value: r.cells[ind.id]?.value ?? null, row: r }));
      if (!items.some((i) => i.value !== null)) continue;
      orgSeries.push({ info: ind, names: items.map((i) => i.name), values: items.map((i) => i.value) });
      const ranked: Ranked<(typeof items)[number]>[] = rankBy(items, { order: 'desc', ...(ind.round !== null ? { tieDigits: ind.round } : {}) });
      rankings.push({
        indicator: ind,
        entries: ranked.map((x) => ({
          position: x.position, rank: x.rank, name: x.name, type: x.item.row.type, value: x.value,
          level: x.item.row.cells[ind.id]?.level ?? null, levelCode: x.item.row.cells[ind.id]?.levelCode ?? null, tied: x.tied,
        })),
      });
      const types = [...new Set(t.rows.map((r) => r.type ?? ''))].filter((x) => x !== '');
      statistics.push({
        indicator: ind,
        all: summarize(items.map((i) => i.value)),
        byType: types.map((type) => ({ type, stats: summarize(items.filter((i) => i.row.type === type).map((i) => i.value)) })),
      });
      if (ind.hasLevels) {
        const typeOrder = ['school', 'preschool', 'supplementary'].filter((x) => types.includes(x));
        const byType = crossTab(
          t.rows.map((r) => ({ row: r.cells[ind.id]?.level ?? null, col: r.type ?? 'не указан' })),
          { rows: LEVEL_ORDER, cols: [...typeOrder, ...types.filter((x) => !typeOrder.includes(x))], shareOf: 'column', totalLabel: 'Итого' },
        );
        const members: Record<string, string[]> = {};
        for (const e of rankings[rankings.length - 1]?.entries ?? []) if (e.level) (members[e.level] ??= []).push(e.name);
        distributions.push({ indicator: ind, byType, members });
      }
    }
  }

  // Correlations: only between numeric organisation indicators of the same table, when there are ≥ 2 of them.
  let correlation: AnalysisModel['correlation'] = { cells: [], note: null };
  const bigTable = orgTables.find((t) => t.indicators.filter((i) => orgSeries.some((s) => s.info.id === i.id)).length >= 2);
  if (bigTable) {
    const series = orgSeries.filter((s) => bigTable.indicators.some((i) => i.id === s.info.id));
    const mat = correlationMatrix(series.map((s) => ({ code: s.info.code ?? s.info.id, name: s.info.title, values: s.values })));
    const cells = mat.cells.flatMap((row, i) => row.filter((_, j) => j > i));
    correlation = { cells, note: null };
  } else if (orgSeries.length) {
    correlation = { cells: [], note: `Корреляционный анализ не проводился: по организациям вычислен ${orgSeries.length === 1 ? 'один показатель' : 'менее двух показателей в одной таблице'}; для связи нужны не менее двух числовых показателей у 3 и более организаций.` };
  }

  // Clusters over the organisation indicators of the largest organisation table (≥ 6 organisations).
  let clusters: AnalysisModel['clusters'] = null;
  const main = [...orgTables].sort((a, b) => b.rows.length - a.rows.length)[0];
  if (main) {
    const inds = main.indicators.filter((i) => orgSeries.some((s) => s.info.id === i.id));
    if (inds.length && main.rows.length >= 6) {
      const res = clusterOrganisations(main.rows.map((r) => ({ name: r.name, values: inds.map((i) => r.cells[i.id]?.value ?? null) })), { seed: 1, maxK: 5 });
      clusters = res.ok
        ? { indicators: inds.map((i) => i.id), result: res.value, note: null }
        : { indicators: inds.map((i) => i.id), result: null, note: `Кластерный анализ не выполнен: ${res.error}` };
    } else if (inds.length) {
      clusters = { indicators: inds.map((i) => i.id), result: null, note: 'Кластерный анализ не проводился: организаций меньше шести.' };
    }
  }

  // Municipal values of the criteria indicators: a municipality row, a totals row, or a mean_of_orgs aggregate.
  const municipal: MunicipalValue[] = [];
  const allAggregates = input.computed.flatMap((t) => t.aggregates);
  const printedChecks = printedNotes(m, input.computed, input.printed ?? []);
  for (const id of [...criteriaIndicators]) {
    const ind = indicatorInfo(m, id);
    let found: Omit<MunicipalValue, 'indicator' | 'target' | 'byType' | 'kind'> & { kind: 'row' | 'mean' } | null = null;
    let printed: string[] = [];
    let byType: MunicipalValue['byType'] = [];
    for (const g of groupTables) {
      if (!g.indicators.some((i) => i.id === id)) continue;
      const row = g.unit === 'municipality' ? g.rows[0] : g.rows.find((r) => r.isTotal);
      const cell = row?.cells[id];
      if (cell && cell.value !== null) {
        found = { value: cell.value, kind: 'row', source: g.datasetTitle, level: cell.level, points: cell.points, explanation: cell.explanation };
        printed = printedChecks.filter((n) => n.datasetId === g.datasetId && n.entity === row?.key && n.indicator === id).map((n) => n.text);
      }
      if (g.unit === 'organisation_type') byType = g.rows.filter((r) => !r.isTotal).map((r) => ({ type: r.key, value: r.cells[id]?.value ?? null }));
    }
    let aggId: string | undefined;
    if (!found) {
      const agg = allAggregates.find((a) => a.aggregate && m.aggregates?.[a.aggregate]?.of === id && a.method === 'mean_of_orgs' && a.group === null && a.value !== null);
      if (agg && agg.value !== null) {
        aggId = agg.aggregate;
        found = { value: agg.value, kind: 'mean', source: agg.title, level: agg.level, points: agg.points, explanation: agg.explanation };
        byType = allAggregates
          .filter((a) => a.aggregate && m.aggregates?.[a.aggregate]?.of === id && a.method === 'mean_of_orgs' && a.group !== null)
          .map((a) => ({ type: a.group as string, value: a.value }));
      }
    }
    if (!found) continue;
    const bm = input.benchmarks?.[id] ?? (aggId ? input.benchmarks?.[aggId] : undefined);
    const targetValue = bm?.target ?? ind.target;
    const v = found.value;
    const compare = (x: number) => ({ value: x, comparison: v > x ? ('above' as const) : v < x ? ('below' as const) : ('equal' as const) });
    const target = targetValue === null ? null : compare(targetValue);
    const regional = bm?.regional === undefined || bm.regional === null ? null : compare(bm.regional);
    municipal.push({ indicator: ind, ...found, target, regional, byType, ...(printed.length ? { printed } : {}) });
  }

  const aggregates: AggregateRow[] = allAggregates.map((a) => ({ id: a.id, title: a.title, group: a.group, value: a.value, level: a.level, explanation: a.explanation }));

  // The explanation of each figure a discrepancy is about (the last result of its organisation and indicator) — looked
  // up for those figures only, not mapped for every result (1,7 million for a year of ВПР, usually no discrepancy).
  const explanationKey = (organisation: string | null, indicator: string) => `${organisation}\u0000${indicator}`;
  const wanted = new Set(input.computed.flatMap((t) => t.discrepancies.map((d) => explanationKey(d.organisation, d.indicator))));
  const explanations = new Map<string, string>();
  if (wanted.size)
    for (const t of input.computed)
      for (const r of t.results) {
        const k = explanationKey(r.organisation, r.indicator);
        if (wanted.has(k)) explanations.set(k, r.explanation);
      }
  const discrepancies: DiscrepancyRow[] = input.computed.flatMap((t) =>
    t.discrepancies.map((d) => {
      const isType = t.dataset.unit !== 'organisation' && d.organisation !== null;
      const label = d.organisation === null ? 'Муниципалитет' : isType ? (d.organisation === m.datasets?.[t.dataset.id]?.total_row ? 'Итого' : typeName(d.organisation)) : d.organisation;
      const title = m.indicators[d.indicator]?.title ?? m.inputs[d.indicator]?.title ?? m.aggregates?.[d.indicator]?.title ?? d.indicator;
      const code = m.indicators[d.indicator]?.code;
      const explanation = d.field === 'aggregate' ? d.message.replace(/«(school|preschool|supplementary|total)»/g, (_, k: string) => `«${typeName(k)}»`) : (explanations.get(explanationKey(d.organisation, d.indicator)) ?? d.message);
      const cause = d.diagnosis?.[0]?.message ?? null;
      return { organisation: d.organisation, label, round: d.field === 'value' ? (m.indicators[d.indicator]?.round ?? null) : null, indicator: d.indicator, indicatorTitle: code ? `${code}. ${title}` : title, field: d.field, published: d.published, computed: d.computed, explanation, cause };
    }),
  );
  // Printed figures of a document kept beside the campaign's own data: one discrepancy per printed value, one per
  // printed total (not per indicator that uses it).
  const seenTotals = new Set<string>();
  for (const n of printedChecks) {
    if (n.field === 'total') {
      const k = `${n.datasetId}\u0000${n.entity}\u0000${n.input}`;
      if (seenTotals.has(k)) continue;
      seenTotals.add(k);
    }
    const ds = m.datasets?.[n.datasetId];
    const label = n.entity === ds?.total_row ? 'Итого' : ds?.unit === 'organisation_type' ? typeName(n.entity) : n.entity;
    const id = n.field === 'total' ? (n.input as string) : n.indicator;
    const title = m.indicators[id]?.title ?? m.inputs[id]?.title ?? id;
    const code = m.indicators[id]?.code;
    discrepancies.push({
      organisation: n.entity, label, round: n.field === 'value' ? (m.indicators[id]?.round ?? null) : null, indicator: id, indicatorTitle: code ? `${code}. ${title}` : title,
      field: n.field === 'value' ? 'value' : 'aggregate', published: n.published, computed: n.computed, explanation: n.text, cause: null,
    });
  }
  const lint = [...new Set(input.computed.flatMap((t) => t.lint.map((l) => `${l.severity === 'error' ? 'ошибка: ' : ''}${l.message}`)))];

  const model: AnalysisModel = {
    meta: { ...(input.meta ?? {}), title: input.meta?.title ?? m.title },
    methodology: { id: m.id, version: m.version, title: m.title, direction: m.direction, source: m.source ?? null, goal: m.goal ?? null, expectedResult: m.expected_result ?? null, notes: m.notes ?? [] },
    criteria: criteriaTable(m),
    orgTables,
    groupTables,
    rankings,
    distributions,
    statistics,
    correlation,
    clusters,
    municipal,
    aggregates,
    discrepancies,
    lint,
    conclusions: [],
    recommendations: [...(input.recommendations ?? [])],
    dimensional: dimensionalView(m, input.computed),
  };
  model.conclusions = buildConclusions(model);
  return model;
}
