/** Descriptive statistics over a column of values that may contain gaps (null / undefined / NaN are "missing").
 *
 * Quartiles and the median use the linear interpolation of Excel QUARTILE.INC / PERCENTILE.INC, which is
 * R's `quantile(type = 7)` and NumPy's default: for a sorted sample x[0..n−1] and probability p,
 * h = (n − 1)·p, Q(p) = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]).
 * Variance and standard deviation are the sample ones (divisor n − 1, Excel VAR.S / STDEV.S); undefined (null) for n < 2. */

export type MaybeNumber = number | null | undefined;

export interface Descriptive {
  /** Count of usable values. */
  n: number;
  /** Count of null / undefined / NaN entries that were ignored. */
  missing: number;
  mean: number | null;
  median: number | null;
  /** First quartile, QUARTILE.INC(…; 1). */
  q1: number | null;
  /** Third quartile, QUARTILE.INC(…; 3). */
  q3: number | null;
  /** Interquartile range q3 − q1. */
  iqr: number | null;
  min: number | null;
  max: number | null;
  /** Sample variance (n − 1). */
  variance: number | null;
  /** Sample standard deviation (n − 1). */
  sd: number | null;
  sum: number;
}

/** True for a finite number; the single definition of "present" across the stats module. */
export function isPresent(v: MaybeNumber): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Splits a column into its usable values (in order) and the count of missing ones. */
export function present(values: readonly MaybeNumber[]): { values: number[]; missing: number } {
  const out: number[] = [];
  for (const v of values) if (isPresent(v)) out.push(v);
  return { values: out, missing: values.length - out.length };
}

/** Arithmetic mean of the present values; null when there are none. */
export function mean(values: readonly MaybeNumber[]): number | null {
  const xs = present(values).values;
  if (xs.length === 0) return null;
  // Kahan–Babuška summation keeps sums of many shares stable.
  return kahanSum(xs) / xs.length;
}

/** Sample variance (divisor n − 1) of the present values; null when fewer than two. Two-pass for accuracy. */
export function variance(values: readonly MaybeNumber[]): number | null {
  const xs = present(values).values;
  if (xs.length < 2) return null;
  const m = kahanSum(xs) / xs.length;
  return kahanSum(xs.map((x) => (x - m) * (x - m))) / (xs.length - 1);
}

/** Sample standard deviation (STDEV.S). */
export function standardDeviation(values: readonly MaybeNumber[]): number | null {
  const v = variance(values);
  return v === null ? null : Math.sqrt(v);
}

/** Quantile of type 7 (QUARTILE.INC / PERCENTILE.INC) for p in [0, 1]; null for an empty sample. */
export function quantile(values: readonly MaybeNumber[], p: number): number | null {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile: p must be in [0, 1], got ${p}`);
  const xs = present(values).values.sort((a, b) => a - b);
  return quantileSorted(xs, p);
}

function quantileSorted(xs: readonly number[], p: number): number | null {
  const n = xs.length;
  if (n === 0) return null;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const a = xs[lo] as number;
  const b = xs[Math.min(lo + 1, n - 1)] as number;
  return a + (h - lo) * (b - a);
}

/** Median (QUARTILE.INC(…; 2)). */
export function median(values: readonly MaybeNumber[]): number | null {
  return quantile(values, 0.5);
}

/** All descriptive statistics of a column at once. */
export function summarize(values: readonly MaybeNumber[]): Descriptive {
  const { values: xs, missing } = present(values);
  const sorted = [...xs].sort((a, b) => a - b);
  const n = xs.length;
  const sum = kahanSum(xs);
  const m = n > 0 ? sum / n : null;
  const v = n >= 2 && m !== null ? kahanSum(xs.map((x) => (x - m) * (x - m))) / (n - 1) : null;
  const q1 = quantileSorted(sorted, 0.25);
  const q3 = quantileSorted(sorted, 0.75);
  return {
    n,
    missing,
    mean: m,
    median: quantileSorted(sorted, 0.5),
    q1,
    q3,
    iqr: q1 !== null && q3 !== null ? q3 - q1 : null,
    min: n > 0 ? (sorted[0] as number) : null,
    max: n > 0 ? (sorted[n - 1] as number) : null,
    variance: v,
    sd: v === null ? null : Math.sqrt(v),
    sum,
  };
}

/** Neumaier's compensated summation. */
export function kahanSum(xs: readonly number[]): number {
  let sum = 0;
  let c = 0;
  for (const x of xs) {
    const t = sum + x;
    c += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  return sum + c;
}
