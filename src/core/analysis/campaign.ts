/** Campaign-level analysis over the report model (issue 6), pure: the organisation tables of one campaign merged
 * into one results table (organisations × indicators with value, level, points; total of the criteria points the
 * organisation level can earn), the correlation between every pair of numeric variables (indicators and the inputs
 * they are computed from) with n and p, k-means clusters on standardised indicators with the choice of k explained,
 * and the dynamics between two campaigns of the same methodology id. */
import { formatNumber, plural, roundHalfUp } from '../format.ts';
import type { Methodology } from '../methodology/index.ts';
import { LEVEL_CODES } from '../methodology/index.ts';
import type { ClusterResult, MatrixCell } from '../stats/index.ts';
import { clusterOrganisations, correlationMatrix } from '../stats/index.ts';
import type { AnalysisModel, IndicatorInfo } from './model.ts';

export interface ResultCell { value: number | null; level: string | null; levelCode: string | null; points: number | null; explanation: string }
export interface ResultRow {
  id: string | null;
  no: string | null;
  name: string;
  type: string | null;
  growthPoint: boolean;
  inputs: Record<string, number | string | boolean | null>;
  cells: Record<string, ResultCell>;
  /** Sum of the points of the criteria indicators computed per organisation (null when none is scored). */
  total: { points: number; max: number; complete: boolean } | null;
}
export interface ResultsTable {
  indicators: IndicatorInfo[];
  inputs: { id: string; title: string; unit: string | null }[];
  rows: ResultRow[];
  /** Largest points an organisation can earn here (criteria indicators of the organisation tables). */
  maxPoints: number | null;
}

export interface OrgAttributes { name: string; id?: string; growthPoint?: boolean }

/** One row per organisation across every organisation table of the model. */
export function resultsTable(model: AnalysisModel, m: Methodology, orgs: readonly OrgAttributes[] = []): ResultsTable {
  const attrs = new Map(orgs.map((o) => [o.name, o]));
  const indicators: IndicatorInfo[] = [];
  const inputs: ResultsTable['inputs'] = [];
  const rows = new Map<string, ResultRow>();
  for (const t of model.orgTables) {
    for (const i of t.indicators) if (!indicators.some((x) => x.id === i.id)) indicators.push(i);
    for (const i of t.inputs) if (!inputs.some((x) => x.id === i.id)) inputs.push(i);
    for (const r of t.rows) {
      const a = attrs.get(r.name);
      const row = rows.get(r.name) ?? { id: a?.id ?? null, no: r.no, name: r.name, type: r.type, growthPoint: a?.growthPoint ?? false, inputs: {}, cells: {}, total: null };
      Object.assign(row.inputs, r.inputs);
      for (const [k, c] of Object.entries(r.cells)) row.cells[k] = { value: c.value, level: c.level, levelCode: c.levelCode, points: c.points, explanation: c.explanation };
      row.no ??= r.no;
      row.type ??= r.type;
      rows.set(r.name, row);
    }
  }
  const criteria = new Set((m.criteria ?? []).flatMap((c) => c.indicators));
  const scored = indicators.filter((i) => criteria.has(i.id));
  const maxOf = (id: string): number => {
    const s = m.indicators[id]?.scale;
    const bands = s && s !== 'none' ? (m.scales?.[s]?.bands ?? []) : [];
    return bands.reduce((mx, b) => Math.max(mx, b.points ?? 0), 0);
  };
  const maxPoints = scored.length ? scored.reduce((s, i) => s + maxOf(i.id), 0) : null;
  const out = [...rows.values()].sort((a, b) => Number(a.no ?? Infinity) - Number(b.no ?? Infinity) || a.name.localeCompare(b.name, 'ru'));
  for (const r of out) {
    if (!scored.length || maxPoints === null) continue;
    const pts = scored.map((i) => r.cells[i.id]?.points ?? null);
    if (pts.every((p) => p === null)) continue;
    r.total = { points: pts.reduce<number>((s, p) => s + (p ?? 0), 0), max: maxPoints, complete: pts.every((p) => p !== null) };
  }
  return { indicators, inputs, rows: out, maxPoints };
}

export interface CorrelationResult {
  variables: { code: string; title: string; kind: 'indicator' | 'input' }[];
  method: 'pearson' | 'spearman';
  alpha: number;
  /** Upper triangle: one cell per pair, with n, r, p and the Russian reading. */
  pairs: MatrixCell[];
  note: string | null;
}

const numericValues = (rows: readonly ResultRow[], get: (r: ResultRow) => unknown): (number | null)[] =>
  rows.map((r) => {
    const v = get(r);
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  });

/** Correlation of every pair of numeric variables (indicators first, then numeric inputs), Pearson or Spearman. */
export function correlations(t: ResultsTable, method: 'pearson' | 'spearman' = 'pearson', alpha = 0.05): CorrelationResult {
  const vars = [
    ...t.indicators.map((i) => ({ code: i.code ?? i.id, title: i.title, kind: 'indicator' as const, values: numericValues(t.rows, (r) => r.cells[i.id]?.value) })),
    ...t.inputs.map((i) => ({ code: i.id, title: i.title, kind: 'input' as const, values: numericValues(t.rows, (r) => r.inputs[i.id]) })),
  ].filter((v) => v.values.filter((x) => x !== null).length >= 3);
  if (vars.length < 2)
    return { variables: vars.map(({ values: _v, ...x }) => x), method, alpha, pairs: [], note: 'Корреляционный анализ не проводился: нужны не менее двух числовых показателей, известных у трёх и более организаций.' };
  const mat = correlationMatrix(vars.map((v) => ({ code: v.code, name: v.title, values: v.values })), { method, alpha });
  return { variables: vars.map(({ values: _v, ...x }) => x), method, alpha, pairs: mat.cells.flatMap((row, i) => row.filter((_, j) => j > i)), note: null };
}

export interface ClusterAnalysis {
  indicators: { id: string; code: string | null; title: string }[];
  result: ClusterResult | null;
  /** Why this number of clusters, in Russian, with the silhouette of every k tried. */
  explanation: string;
}

/** k-means on standardised indicators (z-scores), k chosen by the largest mean silhouette among k = 2…maxK. */
export function clusterAnalysis(t: ResultsTable, opts: { maxK?: number; seed?: number } = {}): ClusterAnalysis {
  const inds = t.indicators.filter((i) => t.rows.filter((r) => typeof r.cells[i.id]?.value === 'number').length >= 3);
  const indicators = inds.map((i) => ({ id: i.id, code: i.code, title: i.title }));
  if (!inds.length) return { indicators, result: null, explanation: 'Кластерный анализ не проводился: нет показателя, вычисленного у трёх и более организаций.' };
  if (t.rows.length < 6) return { indicators, result: null, explanation: 'Кластерный анализ не проводился: организаций меньше шести.' };
  const res = clusterOrganisations(t.rows.map((r) => ({ name: r.name, values: inds.map((i) => r.cells[i.id]?.value ?? null) })), { seed: opts.seed ?? 1, maxK: opts.maxK ?? 6 });
  if (!res.ok) return { indicators, result: null, explanation: `Кластерный анализ не выполнен: ${res.error}` };
  const r = res.value;
  const tried = r.tried.map((x) => `k = ${x.k}: ${formatNumber(x.silhouette, 2)}`).join('; ');
  const names = inds.map((i) => i.code ?? i.title).join(', ');
  const excluded = r.excluded.length ? ` Не вошли из-за отсутствующих значений: ${r.excluded.length} ${plural(r.excluded.length, ['организация', 'организации', 'организаций'])}.` : '';
  const explanation =
    `Метод k-средних по стандартизованным значениям (z-оценкам) ${inds.length === 1 ? 'показателя' : 'показателей'} ${names}; ` +
    `число кластеров выбрано по среднему коэффициенту силуэта — мере того, насколько организация ближе к своей группе, чем к соседней ` +
    `(от −1 до 1, чем больше, тем чётче разделение). Средний силуэт: ${tried}. ${r.explanation}.${excluded}`;
  return { indicators, result: r, explanation };
}

// ---- dynamics ----------------------------------------------------------------------------------------------------

export type Direction = 'up' | 'down' | 'same';
export const DIRECTION_NAMES: Record<Direction, string> = { up: 'рост', down: 'снижение', same: 'без изменений' };

export interface DynamicsCell { previous: number | null; current: number | null; change: number | null; direction: Direction | null; previousLevel: string | null; currentLevel: string | null; levelChange: Direction | null }
export interface DynamicsRow { name: string; type: string | null; cells: Record<string, DynamicsCell> }
export interface Dynamics {
  indicators: IndicatorInfo[];
  rows: DynamicsRow[];
  municipal: { indicator: IndicatorInfo; previous: number | null; current: number | null; change: number | null; direction: Direction | null }[];
  movedDown: { name: string; type: string | null; indicator: string; indicatorTitle: string; from: string; to: string }[];
  /** Organisations in only one of the two campaigns. */
  onlyCurrent: string[];
  onlyPrevious: string[];
}

const levelRank = (code: string | null): number | null => {
  if (!code) return null;
  const i = (LEVEL_CODES as readonly string[]).indexOf(code);
  return i < 0 ? null : i;
};

function cellChange(prev: ResultCell | undefined, cur: ResultCell | undefined, digits: number | null): DynamicsCell {
  const p = prev?.value ?? null;
  const c = cur?.value ?? null;
  const change = p !== null && c !== null ? roundHalfUp(c - p, digits ?? 2) : null;
  const direction: Direction | null = change === null ? null : change > 0 ? 'up' : change < 0 ? 'down' : 'same';
  const pr = levelRank(prev?.levelCode ?? null);
  const cr = levelRank(cur?.levelCode ?? null);
  // LEVEL_CODES runs from high to low: a larger index is a lower level.
  const levelChange: Direction | null = pr === null || cr === null ? null : cr > pr ? 'down' : cr < pr ? 'up' : 'same';
  return { previous: p, current: c, change, direction, previousLevel: prev?.level ?? null, currentLevel: cur?.level ?? null, levelChange };
}

/** This campaign against the previous one: per organisation (by name) and municipal value, with the change. */
export function dynamics(current: { table: ResultsTable; model: AnalysisModel }, previous: { table: ResultsTable; model: AnalysisModel }): Dynamics {
  const indicators = current.table.indicators.filter((i) => previous.table.indicators.some((p) => p.id === i.id));
  const prevRows = new Map(previous.table.rows.map((r) => [r.name, r]));
  const curNames = new Set(current.table.rows.map((r) => r.name));
  const rows: DynamicsRow[] = [];
  const movedDown: Dynamics['movedDown'] = [];
  for (const r of current.table.rows) {
    const p = prevRows.get(r.name);
    if (!p) continue;
    const cells: Record<string, DynamicsCell> = {};
    for (const i of indicators) {
      const c = cellChange(p.cells[i.id], r.cells[i.id], i.round);
      cells[i.id] = c;
      if (c.levelChange === 'down' && c.previousLevel && c.currentLevel)
        movedDown.push({ name: r.name, type: r.type, indicator: i.id, indicatorTitle: i.code ? `${i.code}. ${i.title}` : i.title, from: c.previousLevel, to: c.currentLevel });
    }
    rows.push({ name: r.name, type: r.type, cells });
  }
  const municipal = [...new Set([...current.model.municipal, ...previous.model.municipal].map((x) => x.indicator.id))].map((id) => {
    const c = current.model.municipal.find((x) => x.indicator.id === id);
    const p = previous.model.municipal.find((x) => x.indicator.id === id);
    const ind = (c ?? p)!.indicator;
    const cc = cellChange(p ? { value: p.value, level: null, levelCode: null, points: null, explanation: '' } : undefined, c ? { value: c.value, level: null, levelCode: null, points: null, explanation: '' } : undefined, ind.round);
    return { indicator: ind, previous: cc.previous, current: cc.current, change: cc.change, direction: cc.direction };
  });
  return {
    indicators,
    rows,
    municipal,
    movedDown,
    onlyCurrent: current.table.rows.filter((r) => !prevRows.has(r.name)).map((r) => r.name),
    onlyPrevious: previous.table.rows.filter((r) => !curNames.has(r.name)).map((r) => r.name),
  };
}
