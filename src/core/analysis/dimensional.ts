/** Analysis of per-dimension results (issue 22): the rows of a dimensional table (organisation × subject × grade, e.g.
 * direction-preparation 2021.2's ВПР) as a compact view, a ranking of the organisations within one subject × grade by
 * an indicator — or over every subject (grade) by an aggregate the methodology states — with the municipality's and
 * the region's figures beside it, and the table of signs of non-objectivity (the yes/no indicator whose id or title
 * says «объективность»: every organisation × subject × grade where it is «да», with the figures of its formula).
 *
 * The comparison figures follow the contract of the ФИС ОКО tables (src/core/imports/fisoko-table.ts): the region's and
 * the municipality's rows of a report are the inputs `region_<input>` and `municipality_<input>` of every school's row,
 * so an indicator's regional figure is its own formula over the `region_` inputs (when every input has one). Pure. */
import { roundHalfUp } from '../format.ts';
import type { AggregateDef, ComputeOutput, IndicatorResult, Methodology } from '../methodology/index.ts';
import { computeAggregate, type AggregateEntity } from '../methodology/aggregate.ts';
import { evaluateExpression, parseExpression, referencedNames, type Value } from '../methodology/expression.ts';
import { rankBy } from '../stats/index.ts';
import { comparedFigures, type ComparedFigure } from './dimensional-comparison.ts';
import { indicatorInfo } from './indicator-info.ts';
import type { DimensionalAggregate, DimensionalRow, DimensionalView, DimensionInfo, IndicatorInfo } from './types.ts';

export type { DimensionalAggregate, DimensionalCell, DimensionalRow, DimensionalView, DimensionInfo } from './types.ts';

const numeric = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The view of every dimensional table among `computed` (rows of several tables joined on organisation × dimensions). */
export function dimensionalView(m: Methodology, computed: readonly Pick<ComputeOutput, 'indicators' | 'results'>[]): DimensionalView | null {
  const tables = computed.filter((t) => t.results.some((r) => r.dimensions));
  if (!tables.length) return null;
  const order = Object.keys(m.dimensions ?? {});
  const rows = new Map<string, DimensionalRow>();
  const indicatorIds: string[] = [];
  const present = new Map<string, Set<string>>();
  for (const t of tables) {
    for (const i of t.indicators) if (!indicatorIds.includes(i.id)) indicatorIds.push(i.id);
    for (const r of t.results) {
      const rd = r.dimensions;
      if (!rd) continue;
      // The row's key from the result's values; its dimension values (as text) once per row, not once per indicator.
      let key = r.organisation;
      for (const d of order) key += `\u0000${rd[d] === undefined ? '' : String(rd[d])}`;
      let row = rows.get(key);
      if (!row) {
        const dims = Object.fromEntries(Object.entries(rd).map(([k, v]) => [k, String(v)]));
        rows.set(key, (row = { organisation: r.organisation, dimensions: dims, cells: {}, inputs: {} }));
        for (const [d, v] of Object.entries(dims)) (present.get(d) ?? present.set(d, new Set()).get(d)!).add(v);
      }
      row.cells[r.indicator] = { value: r.value, level: r.level, levelCode: r.details.levelCode, explanation: r.explanation };
      const inputs = r.details.inputs;
      for (const k in inputs) row.inputs[k] = numeric(inputs[k]);
    }
  }
  const dimensions: DimensionInfo[] = order.filter((d) => present.has(d)).map((d) => {
    const def = m.dimensions?.[d];
    const seen = present.get(d) as Set<string>;
    const known = (def?.values ?? []).filter((v) => seen.has(v));
    const values = [...known, ...[...seen].filter((v) => !known.includes(v))];
    return { id: d, title: def?.title ?? d, values: values.map((v) => ({ value: v, label: def?.labels?.[v] ?? v })) };
  });
  const indicators = indicatorIds.map((id) => indicatorInfo(m, id));
  const dimensionIds = new Set(dimensions.map((d) => d.id));
  const aggregates: DimensionalAggregate[] = Object.keys(m.aggregates ?? {})
    .flatMap((id) => dimensionalAggregate(m, id) ?? [])
    .filter((a) => (!a.groupBy || dimensionIds.has(a.groupBy)) && [a.def.of, a.def.numerator].some((x) => x !== undefined && indicatorIds.includes(x)));
  const sign = objectivityIndicator(indicators);
  let objectivity: DimensionalView['objectivity'] = null;
  if (sign) {
    const parsed = parseExpression(m.indicators[sign.id]?.formula ?? '');
    const names = parsed.ok ? referencedNames(parsed.expr).filter((n) => m.inputs[n]) : [];
    objectivity = { indicator: sign, inputs: names.map((id) => ({ id, title: m.inputs[id]?.title ?? id, unit: m.inputs[id]?.unit ?? null })) };
  }
  const sorted = sortRows([...rows.values()], dimensionPositions(dimensions));
  return { methodology: m, dimensions, indicators, aggregates, rows: sorted, objectivity };
}

/** An aggregate of the methodology that can be taken per organisation over rows (a ratio of sums, a mean or a median
 * over them), as the views offer it; null for another method or an unknown id. A view offers those whose indicator it
 * has and whose grouping dimension it has. */
export function dimensionalAggregate(m: Methodology, id: string): DimensionalAggregate | null {
  const a = m.aggregates?.[id];
  if (!a || !(a.method === 'ratio_of_sums' || a.method === 'mean_of_orgs' || a.method === 'median')) return null;
  const of = a.of ? m.indicators[a.of] : undefined;
  return { id, title: a.title, unit: a.multiplier === 100 ? '%' : (of?.unit ?? null), round: a.round ?? null, groupBy: a.group_by ?? null, def: a };
}

/** Names compared as `localeCompare(…, 'ru', { numeric: true })` does, without building a collator per comparison. */
const RU = new Intl.Collator('ru', { numeric: true });

/** The shares a report ranks the schools of each subject × grade by (document-dimensional.ts takes the first two): the
 * indicators in per cent that are not yes/no. */
export function rankedShares(indicators: readonly IndicatorInfo[]): IndicatorInfo[] {
  return indicators.filter((i) => !i.yesNo && i.unit === '%');
}

/** The sign of non-objectivity among a view's indicators: the first yes/no one whose id or title says «объективность». */
export function objectivityIndicator(indicators: readonly IndicatorInfo[]): IndicatorInfo | undefined {
  return indicators.find((i) => i.yesNo && /objectivity|объективност/i.test(`${i.id} ${i.title}`));
}

/** The organisation names a view's rows sort first by (the view's first row is one of theirs): every name equal to
 * the least in the view's order. */
export function firstByName(names: Iterable<string>): (name: string) => boolean {
  const least = leastName(names);
  return (name) => least !== undefined && RU.compare(name, least) === 0;
}

/** The name that sorts first (the first met of those that sort equal), or undefined for none. */
export function leastName(names: Iterable<string>): string | undefined {
  let least: string | undefined;
  for (const n of names) if (least === undefined || RU.compare(n, least) < 0) least = n;
  return least;
}

type Positions = readonly { id: string; at: ReadonlyMap<string, number> }[];
/** Each dimension's values by their place in the view (the first place of a value). */
function dimensionPositions(dims: readonly DimensionInfo[]): Positions {
  return dims.map((d) => {
    const at = new Map<string, number>();
    d.values.forEach((x, i) => {
      if (!at.has(x.value)) at.set(x.value, i);
    });
    return { id: d.id, at };
  });
}

/** Rows by organisation name (as `localeCompare(…, 'ru', { numeric: true })`), then in the methodology's order of
 * dimension values; with `first`, by it before both. Each distinct name's place and each row's dimension places are
 * worked out once and the sort compares numbers: a full ВПР year's 144 000 rows took ~0,7 s of collation and lookups
 * inside the comparator, one stretch the server could do nothing else in. Stable, as the comparator it replaces. */
function sortRows<T extends { organisation: string; dimensions: Record<string, string> }>(rows: readonly T[], dims: Positions, first?: (a: T, b: T) => number): T[] {
  const names = [...new Set(rows.map((r) => r.organisation))].sort((a, b) => RU.compare(a, b));
  // Names the collation holds equal share a place.
  const place = new Map<string, number>();
  names.forEach((n, i) => place.set(n, i > 0 && RU.compare(names[i - 1] as string, n) === 0 ? (place.get(names[i - 1] as string) as number) : i));
  const at = (r: T) => dims.map((d) => {
    const v = r.dimensions[d.id];
    return v === undefined ? -1 : (d.at.get(v) ?? -1);
  });
  const keyed = rows.map((r) => ({ r, name: place.get(r.organisation) as number, at: at(r) }));
  keyed.sort((a, b) => {
    const c = (first ? first(a.r, b.r) : 0) || a.name - b.name;
    if (c) return c;
    for (let i = 0; i < a.at.length; i++) {
      const d = (a.at[i] as number) - (b.at[i] as number);
      if (d) return d;
    }
    return 0;
  });
  return keyed.map((k) => k.r);
}

/** A choice of the ranking: a value per dimension, `null` for «все» (every subject, every grade). */
export type DimensionSelection = Record<string, string | null>;

/** What can be ranked for a selection: the indicators when every dimension is chosen, else the aggregates that may
 * be taken over the open dimensions (no `group_by`, or grouped by a chosen dimension). */
export function rankableMeasures(view: DimensionalView, sel: DimensionSelection): { id: string; kind: 'indicator' | 'aggregate'; title: string }[] {
  const open = view.dimensions.filter((d) => !sel[d.id]).map((d) => d.id);
  if (!open.length) return view.indicators.filter((i) => !i.yesNo).map((i) => ({ id: i.id, kind: 'indicator' as const, title: i.code ? `${i.code}. ${i.title}` : i.title }));
  const fit = view.aggregates.filter((a) => !a.groupBy || !open.includes(a.groupBy));
  // Two aggregates that compute the same thing for this selection (one grouped by a chosen dimension): keep one.
  const same = (a: AggregateDef) => JSON.stringify([a.method, a.of, a.numerator, a.denominator, a.multiplier ?? 1, a.round, a.values]);
  const out: DimensionalAggregate[] = [];
  for (const a of [...fit].sort((x, y) => Number(!!y.groupBy) - Number(!!x.groupBy))) if (!out.some((o) => same(o.def) === same(a.def))) out.push(a);
  return out.map((a) => ({ id: a.id, kind: 'aggregate' as const, title: a.title }));
}

export interface DimensionalRankingEntry { position: number; rank: number | null; tied: boolean; name: string; value: number | null; level: string | null; explanation: string }
export interface DimensionalRanking {
  measure: { id: string; kind: 'indicator' | 'aggregate'; title: string; unit: string | null; round: number | null; hasLevels: boolean };
  entries: DimensionalRankingEntry[];
  /** The municipality's figure: the report's municipality row (`municipality_` inputs) for an indicator, the
   * aggregate over the campaign's organisations for an aggregate; the region's: the report's region row. */
  municipality: { value: number; source: string } | null;
  region: { value: number; source: string } | null;
}

const matches = (row: DimensionalRow, sel: DimensionSelection) => Object.entries(sel).every(([d, v]) => !v || row.dimensions[d] === v);

/** A selection as a key of what is kept per view (rankings, lists of signs): its chosen values in the order of the
 * dimension ids; an open dimension (null, or not given) is left out, as `matches` takes both alike. */
function selectionKey(sel: DimensionSelection): string {
  let key = '';
  for (const d of Object.keys(sel).sort()) if (sel[d]) key += `\u0000${d}\u0001${sel[d]}`;
  return key;
}

/** The view's rows by their values of every dimension, built once per view: a ranking of one subject × grade then
 * reads its own rows instead of testing all of them (3 000 schools × 48 works, docs/performance.md). */
const rowsByWork = new WeakMap<DimensionalView, Map<string, DimensionalRow[]>>();
function selectedRows(view: DimensionalView, sel: DimensionSelection): DimensionalRow[] {
  const ids = view.dimensions.map((d) => d.id);
  if (!ids.length || ids.some((d) => !sel[d])) return view.rows.filter((r) => matches(r, sel));
  let index = rowsByWork.get(view);
  if (!index) {
    index = new Map();
    for (const r of view.rows) {
      const k = ids.map((d) => r.dimensions[d] ?? '').join('\u0000');
      const list = index.get(k);
      if (list) list.push(r);
      else index.set(k, [r]);
    }
    rowsByWork.set(view, index);
  }
  return (index.get(ids.map((d) => sel[d] as string).join('\u0000')) ?? []).filter((r) => matches(r, sel));
}

/** The indicator's own formula over the comparison row's inputs (`region_x` for every input `x`); null when one is
 * missing or the formula gives no number. */
function comparisonValue(m: Methodology, indicator: string, rows: readonly DimensionalRow[], prefix: 'region_' | 'municipality_', round: number | null): number | null {
  const parsed = parseExpression(m.indicators[indicator]?.formula ?? '');
  if (!parsed.ok) return null;
  const names = referencedNames(parsed.expr);
  if (!names.length || names.some((n) => !m.inputs[n] || !m.inputs[`${prefix}${n}`])) return null;
  for (const r of rows) {
    const env: Record<string, Value> = {};
    for (const n of names) env[n] = r.inputs[`${prefix}${n}`] ?? null;
    if (names.some((n) => env[n] === null)) continue;
    const v = evaluateExpression(parsed.expr, env).value;
    const x = typeof v === 'boolean' ? (v ? 1 : 0) : v;
    if (typeof x === 'number' && Number.isFinite(x)) return round === null ? x : roundHalfUp(x, round);
  }
  return null;
}

function entity(key: string, rows: readonly DimensionalRow[], attributes: Record<string, string>): AggregateEntity {
  const values: Record<string, Value> = {};
  const results: Record<string, IndicatorResult> = {};
  for (const r of rows) {
    Object.assign(values, r.inputs);
    for (const [id, c] of Object.entries(r.cells))
      results[id] = { entity: key, indicator: id, value: c.value, unrounded: c.value, level: c.levelCode as IndicatorResult['level'], levelName: c.level, points: null, band: null, inputs: {}, formula: '', substituted: '', reason: null, suppressed: false, explanation: c.explanation, warnings: [] };
  }
  return { key, attributes, values, results };
}

/** The aggregate over `rows` (each row an entity, as the methodology's aggregate counts rows). */
function aggregateOver(m: Methodology, a: DimensionalAggregate, rows: readonly DimensionalRow[]): { value: number | null; explanation: string } {
  const entities = rows.map((r, i) => entity(`${r.organisation} · ${Object.values(r.dimensions).join(' · ')} #${i}`, [r], r.dimensions));
  const [res] = computeAggregate(m, a.id, { ...a.def, group_by: undefined }, entities);
  return { value: res?.value ?? null, explanation: res?.explanation ?? '' };
}

/** Rankings already taken of a view, by selection and measure: a view is never changed once built (its rows are
 * indexed once, `selectedRows`), so the same choice ranks the same. The dynamics rank both views again, a work's
 * answer ranks the previous campaign's view twice, and a view kept between requests (work-views.ts) is ranked by every
 * request for it. A ranking given out is frozen (the object, its entries and each entry): it is shared. */
const rankingsOf = new WeakMap<DimensionalView, Map<string, DimensionalRanking | null>>();

/** The ranking of the organisations for a selection and a measure (an indicator or an aggregate of
 * `rankableMeasures`); organisations without a value are listed last. */
export function rankDimensional(view: DimensionalView, sel: DimensionSelection, measureId: string): DimensionalRanking | null {
  let kept = rankingsOf.get(view);
  if (!kept) rankingsOf.set(view, (kept = new Map()));
  const key = measureId + selectionKey(sel);
  const hit = kept.get(key);
  if (hit !== undefined) return hit;
  const ranking = rankOnce(view, sel, measureId);
  if (ranking) {
    for (const e of ranking.entries) Object.freeze(e);
    Object.freeze(ranking.entries);
    Object.freeze(ranking);
  }
  kept.set(key, ranking);
  return ranking;
}

function rankOnce(view: DimensionalView, sel: DimensionSelection, measureId: string): DimensionalRanking | null {
  const m = view.methodology;
  const rows = selectedRows(view, sel);
  const ind = view.indicators.find((i) => i.id === measureId);
  const open = view.dimensions.some((d) => !sel[d.id]);
  if (ind && !open) {
    const items = rows.map((r) => ({ name: r.organisation, value: r.cells[ind.id]?.value ?? null, cell: r.cells[ind.id] }));
    const ranked = rankBy(items, { order: 'desc', ...(ind.round !== null ? { tieDigits: ind.round } : {}) });
    const mv = comparisonValue(m, ind.id, rows, 'municipality_', ind.round);
    const rv = comparisonValue(m, ind.id, rows, 'region_', ind.round);
    return {
      measure: { id: ind.id, kind: 'indicator', title: ind.code ? `${ind.code}. ${ind.title}` : ind.title, unit: ind.unit, round: ind.round, hasLevels: ind.hasLevels },
      entries: ranked.map((x) => ({ position: x.position, rank: x.rank, tied: x.tied, name: x.name, value: x.value, level: x.item.cell?.level ?? null, explanation: x.item.cell?.explanation ?? '' })),
      municipality: mv === null ? null : { value: mv, source: 'строка муниципалитета в отчёте' },
      region: rv === null ? null : { value: rv, source: 'строка региона в отчёте' },
    };
  }
  const agg = view.aggregates.find((a) => a.id === measureId);
  if (!agg) return null;
  const byOrg = new Map<string, DimensionalRow[]>();
  for (const r of rows) (byOrg.get(r.organisation) ?? byOrg.set(r.organisation, []).get(r.organisation)!).push(r);
  const items = [...byOrg.entries()].map(([name, list]) => ({ name, ...aggregateOver(m, agg, list) }));
  const ranked = rankBy(items, { order: 'desc', ...(agg.round !== null ? { tieDigits: agg.round } : {}) });
  const all = rows.length ? aggregateOver(m, agg, rows) : { value: null };
  return {
    measure: { id: agg.id, kind: 'aggregate', title: agg.title, unit: agg.unit, round: agg.round, hasLevels: false },
    entries: ranked.map((x) => ({ position: x.position, rank: x.rank, tied: x.tied, name: x.name, value: x.value, level: null, explanation: x.item.explanation })),
    municipality: all.value === null ? null : { value: all.value, source: 'по организациям мониторинга' },
    region: null,
  };
}

export interface ObjectivitySign {
  organisation: string;
  dimensions: Record<string, string>;
  /** The values of the sign's formula (share of «5», the region's, share who «повысили», …) in the formula's order. */
  figures: { id: string; title: string; unit: string | null; value: number | null }[];
  /** The school's own figures of the formula (share of «5», «повысили») beside the region's and the municipality's
   * rows of the report. */
  compared: ComparedFigure[];
  explanation: string;
}

/** The signs already listed of a view, by selection, and how many signs each organisation has over the whole view: a
 * view is never changed once built, so the same choice lists the same. A work's answer lists its signs once per
 * request, a report's table once, and the list of one subject × grade of a full ВПР year is read from that work's rows
 * (`selectedRows`) instead of testing 144 000 (docs/performance.md). A list given out is frozen (it and each sign). */
const signsOf = new WeakMap<DimensionalView, { count: Map<string, number>; lists: Map<string, readonly ObjectivitySign[]> }>();

/** Every organisation × dimension values where the sign of non-objectivity is «да»: organisations with more signs
 * (over the whole view) first, then by name, then in the methodology's order of subjects and grades. With `sel`, those
 * of the selection only, in the same order (the whole list filtered by the selection). */
export function objectivitySigns(view: DimensionalView, sel: DimensionSelection = {}): readonly ObjectivitySign[] {
  const o = view.objectivity;
  if (!o) return [];
  let memo = signsOf.get(view);
  if (!memo) {
    const count = new Map<string, number>();
    for (const r of view.rows) if (r.cells[o.indicator.id]?.value === 1) count.set(r.organisation, (count.get(r.organisation) ?? 0) + 1);
    signsOf.set(view, (memo = { count, lists: new Map() }));
  }
  const key = selectionKey(sel);
  const hit = memo.lists.get(key);
  if (hit) return hit;
  const m = view.methodology;
  const count = memo.count;
  const hits = selectedRows(view, sel).filter((r) => r.cells[o.indicator.id]?.value === 1);
  const list = sortRows(hits, dimensionPositions(view.dimensions), (a, b) => (count.get(b.organisation) ?? 0) - (count.get(a.organisation) ?? 0)).map((r) =>
    Object.freeze({
      organisation: r.organisation,
      dimensions: r.dimensions,
      figures: o.inputs.map((i) => ({ ...i, value: r.inputs[i.id] ?? null })),
      compared: comparedFigures(m, o.inputs.map((i) => i.id), r.inputs),
      explanation: r.cells[o.indicator.id]?.explanation ?? '',
    }),
  );
  const frozen = Object.freeze(list);
  memo.lists.set(key, frozen);
  return frozen;
}

/** «Математика, 5 класс» — the labels of a row's (or a selection's) dimension values; «все» for an open one. */
export function dimensionsText(view: DimensionalView, dims: Record<string, string | null>): string {
  return view.dimensions
    .map((d) => {
      const v = dims[d.id];
      if (!v) return `${d.title.toLowerCase()}: все`;
      return d.values.find((x) => x.value === v)?.label ?? v;
    })
    .join(', ');
}
