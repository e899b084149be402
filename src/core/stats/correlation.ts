/** Pearson's r and Spearman's rho between two indicators over the same organisations, with a t test.
 *
 * Pairs where either value is missing are dropped (pairwise deletion) and counted. n < 3 is an error value:
 * with two points r is always ±1 and the test has no degrees of freedom.
 * Test: t = r·√(n − 2) / √(1 − r²), df = n − 2, two-sided p from Student's t (see tdist.ts).
 * For Spearman the same t approximation is used on the rank correlation (as R's cor.test(exact = FALSE)).
 * Strength is interpreted on the Chaddock scale by |r|: < 0,1 — связь практически отсутствует; 0,1–0,3 слабая;
 * 0,3–0,5 умеренная; 0,5–0,7 заметная; 0,7–0,9 высокая; 0,9–1 весьма высокая (lower bounds inclusive). */

import { formatNumber } from '../format.ts';
import { isPresent, kahanSum, type MaybeNumber } from './descriptive.ts';
import { studentTTwoSidedP } from './tdist.ts';
import { averageRanks } from './ranking.ts';
import { err, ok, type Result } from './result.ts';

export type CorrelationMethod = 'pearson' | 'spearman';

export interface Correlation {
  method: CorrelationMethod;
  /** Coefficient in [−1, 1]; null when one of the columns is constant (r undefined). */
  r: number | null;
  /** Number of complete pairs used. */
  n: number;
  /** Pairs dropped because a value was missing. */
  dropped: number;
  /** t statistic with df = n − 2 (±Infinity when |r| = 1); null when r is. */
  t: number | null;
  df: number;
  /** Two-sided p-value; null when r is. */
  p: number | null;
}

export type ChaddockStrength = 'отсутствует' | 'слабая' | 'умеренная' | 'заметная' | 'высокая' | 'весьма высокая';

const SCALE: readonly [number, ChaddockStrength][] = [
  [0.9, 'весьма высокая'],
  [0.7, 'высокая'],
  [0.5, 'заметная'],
  [0.3, 'умеренная'],
  [0.1, 'слабая'],
];

/** Chaddock strength of |r|; lower bounds are inclusive (0,3 is «умеренная»). */
export function chaddock(r: number): ChaddockStrength {
  const a = Math.abs(r);
  for (const [lo, name] of SCALE) if (a >= lo) return name;
  return 'отсутствует';
}

function completePairs(x: readonly MaybeNumber[], y: readonly MaybeNumber[]): Result<{ xs: number[]; ys: number[]; dropped: number }> {
  if (x.length !== y.length) return err(`Ряды разной длины: ${x.length} и ${y.length} значений.`);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const a = x[i];
    const b = y[i];
    if (isPresent(a) && isPresent(b)) {
      xs.push(a);
      ys.push(b);
    }
  }
  if (xs.length < 3) {
    return err(`Для расчета корреляции нужно не менее 3 пар значений без пропусков, а есть ${xs.length}.`);
  }
  return ok({ xs, ys, dropped: x.length - xs.length });
}

function pearsonRaw(xs: readonly number[], ys: readonly number[]): number | null {
  const n = xs.length;
  const mx = kahanSum(xs) / n;
  const my = kahanSum(ys) / n;
  const sxy = kahanSum(xs.map((x, i) => (x - mx) * ((ys[i] as number) - my)));
  const sxx = kahanSum(xs.map((x) => (x - mx) * (x - mx)));
  const syy = kahanSum(ys.map((y) => (y - my) * (y - my)));
  if (sxx === 0 || syy === 0) return null;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

function withTest(method: CorrelationMethod, r: number | null, n: number, dropped: number): Correlation {
  const df = n - 2;
  if (r === null) return { method, r, n, dropped, t: null, df, p: null };
  const t = Math.abs(r) === 1 ? Math.sign(r) * Infinity : (r * Math.sqrt(df)) / Math.sqrt(1 - r * r);
  return { method, r, n, dropped, t, df, p: studentTTwoSidedP(t, df) };
}

/** Pearson's product-moment correlation with its t test. */
export function pearson(x: readonly MaybeNumber[], y: readonly MaybeNumber[]): Result<Correlation> {
  const pairs = completePairs(x, y);
  if (!pairs.ok) return pairs;
  const { xs, ys, dropped } = pairs.value;
  return ok(withTest('pearson', pearsonRaw(xs, ys), xs.length, dropped));
}

/** Spearman's rank correlation: Pearson's r of the average ranks (ties handled), t approximation for p. */
export function spearman(x: readonly MaybeNumber[], y: readonly MaybeNumber[]): Result<Correlation> {
  const pairs = completePairs(x, y);
  if (!pairs.ok) return pairs;
  const { xs, ys, dropped } = pairs.value;
  return ok(withTest('spearman', pearsonRaw(averageRanks(xs), averageRanks(ys)), xs.length, dropped));
}

/** One correlation with what a report says about it. */
export function correlate(x: readonly MaybeNumber[], y: readonly MaybeNumber[], method: CorrelationMethod = 'pearson'): Result<Correlation> {
  return method === 'pearson' ? pearson(x, y) : spearman(x, y);
}

export interface Indicator {
  /** Code used as the matrix key. */
  code: string;
  /** Russian name used in interpretations. */
  name: string;
  /** One value per organisation, in the same organisation order for every indicator. */
  values: readonly MaybeNumber[];
}

export interface MatrixCell {
  a: string;
  b: string;
  /** Error message when the pair could not be computed (too few pairs). */
  error: string | null;
  correlation: Correlation | null;
  strength: ChaddockStrength | null;
  direction: 'прямая' | 'обратная' | null;
  /** p < alpha. */
  significant: boolean;
  /** E.g. «Связь прямая заметная (r = 0,62; n = 14; p = 0,018 — значима при α = 0,05)». */
  interpretation: string;
}

export interface CorrelationMatrix {
  codes: string[];
  method: CorrelationMethod;
  alpha: number;
  /** cells[i][j] for codes i, j; the diagonal is r = 1 with n = number of present values. */
  cells: MatrixCell[][];
}

/** Pairwise correlation matrix of several indicators with Chaddock interpretation and significance at alpha. */
export function correlationMatrix(
  indicators: readonly Indicator[],
  options: { method?: CorrelationMethod; alpha?: number } = {},
): CorrelationMatrix {
  const method = options.method ?? 'pearson';
  const alpha = options.alpha ?? 0.05;
  const cells = indicators.map((a, i) =>
    indicators.map((b, j) => (i === j ? diagonal(a, method) : cell(a, b, method, alpha))),
  );
  return { codes: indicators.map((i) => i.code), method, alpha, cells };
}

function diagonal(a: Indicator, method: CorrelationMethod): MatrixCell {
  const n = a.values.filter(isPresent).length;
  return {
    a: a.code,
    b: a.code,
    error: null,
    correlation: { method, r: 1, n, dropped: a.values.length - n, t: null, df: n - 2, p: null },
    strength: null,
    direction: null,
    significant: false,
    interpretation: '—',
  };
}

function cell(a: Indicator, b: Indicator, method: CorrelationMethod, alpha: number): MatrixCell {
  const res = correlate(a.values, b.values, method);
  if (!res.ok) {
    return { a: a.code, b: b.code, error: res.error, correlation: null, strength: null, direction: null, significant: false, interpretation: res.error };
  }
  const c = res.value;
  return { a: a.code, b: b.code, error: null, correlation: c, ...interpret(c, alpha) };
}

/** Russian reading of a correlation: strength, direction and significance. */
export function interpret(
  c: Correlation,
  alpha = 0.05,
): { strength: ChaddockStrength | null; direction: 'прямая' | 'обратная' | null; significant: boolean; interpretation: string } {
  const coef = c.method === 'pearson' ? 'r' : 'ρ';
  if (c.r === null || c.p === null) {
    return { strength: null, direction: null, significant: false, interpretation: `Коэффициент не определен: один из показателей не меняется (n = ${c.n}).` };
  }
  const strength = chaddock(c.r);
  const direction = c.r > 0 ? 'прямая' : c.r < 0 ? 'обратная' : null;
  const significant = c.p < alpha;
  const p = c.p < 0.001 ? 'p < 0,001' : `p = ${formatNumber(c.p, 3)}`;
  const stats = `${coef} = ${formatNumber(c.r, 2)}; n = ${c.n}; ${p}`;
  const verdict = `${significant ? 'значима' : 'не значима'} при α = ${formatNumber(alpha)}`;
  const head = strength === 'отсутствует' || direction === null ? 'Связь практически отсутствует' : `Связь ${direction} ${strength}`;
  return { strength, direction, significant, interpretation: `${head} (${stats} — ${verdict})` };
}
