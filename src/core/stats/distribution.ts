/** Counts and shares by category, and cross tables (e.g. level × organisation type), whose printed shares add up
 * to exactly 100 % after rounding.
 *
 * Rounding by the largest-remainder (Hamilton) method: each exact share is expressed in units of the last printed
 * decimal (0,1 % for one decimal), every share gets the floor of its units, and the units still missing to reach
 * 100 % go one each to the shares with the largest fractional remainders; equal remainders go to the earlier
 * category in the given order (deterministic). Hence 1/3, 1/3, 1/3 → 33,4 + 33,3 + 33,3. Categories with a zero
 * count always get 0. A group with no items has all shares 0 (not 100). */

export interface Share {
  category: string;
  count: number;
  /** Percent, rounded to `digits` decimals by largest remainder; the column sums to exactly 100 (or 0 if empty). */
  share: number;
}

export interface DistributionResult {
  rows: Share[];
  total: { count: number; share: number };
  /** Items without a category (null / undefined / ''). */
  missing: number;
}

/** Rounds percentages of `counts` (summing to `total`, default 100) to `digits` decimals by largest remainder. */
export function largestRemainder(counts: readonly number[], digits = 1, total = 100): number[] {
  const sum = counts.reduce((s, c) => s + c, 0);
  if (sum <= 0) return counts.map(() => 0);
  const scale = 10 ** digits;
  const units = Math.round(total * scale);
  // Exact arithmetic for integer counts: c·units / sum as an integer quotient and remainder.
  const exact = counts.map((c) => (c * units) / sum);
  const floors = exact.map((x) => Math.floor(x + 1e-9));
  let left = units - floors.reduce((s, f) => s + f, 0);
  const order = exact
    .map((x, i) => ({ i, rem: x - floors[i]!, zero: counts[i] === 0 }))
    .filter((o) => !o.zero)
    .sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (const o of order) {
    if (left <= 0) break;
    floors[o.i]! += 1;
    left -= 1;
  }
  return floors.map((f) => Number((f / scale).toFixed(digits)));
}

function norm(c: string | null | undefined): string | null {
  return c === null || c === undefined || c === '' ? null : c;
}

/** Distribution of one categorical column. `categories` fixes the order and includes zero-count categories;
 * categories met in the data but not listed are appended in order of first appearance. */
export function distribution(
  values: readonly (string | null | undefined)[],
  options: { categories?: readonly string[]; digits?: number } = {},
): DistributionResult {
  const order = [...(options.categories ?? [])];
  const counts = new Map<string, number>(order.map((c) => [c, 0]));
  let missing = 0;
  for (const raw of values) {
    const v = norm(raw);
    if (v === null) {
      missing++;
      continue;
    }
    if (!counts.has(v)) order.push(v);
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const cs = order.map((c) => counts.get(c) ?? 0);
  const shares = largestRemainder(cs, options.digits ?? 1);
  const total = cs.reduce((s, c) => s + c, 0);
  return {
    rows: order.map((category, i) => ({ category, count: cs[i]!, share: shares[i]! })),
    total: { count: total, share: total > 0 ? 100 : 0 },
    missing,
  };
}

export interface CrossRecord {
  row: string | null | undefined;
  col: string | null | undefined;
}

export interface CrossTabRow {
  category: string;
  /** One cell per column category; share = percent of this row's total (sums to 100 per row), or with
   * shareOf 'column' of the column's total (each column of the body sums to 100). */
  cells: { category: string; count: number; share: number }[];
  /** Row total; share = percent of the grand total (the total column sums to 100). */
  total: { count: number; share: number };
}

export interface CrossTab {
  rows: string[];
  cols: string[];
  body: CrossTabRow[];
  /** Totals row «Итого»: column totals, share = percent of the grand total (sums to 100). */
  totals: CrossTabRow;
  missing: number;
}

/** Cross table rows × columns (e.g. organisation type × level) with cell shares, totals row and totals column.
 * Cell shares add up to exactly 100 along each row (shareOf 'row', default) or down each column ('column');
 * the totals row's and the totals column's shares (of the grand total) each add up to exactly 100. */
export function crossTab(
  records: readonly CrossRecord[],
  options: {
    rows?: readonly string[];
    cols?: readonly string[];
    digits?: number;
    totalLabel?: string;
    /** 'row' (default): a cell's share is of its row total; 'column': of its column total. */
    shareOf?: 'row' | 'column';
  } = {},
): CrossTab {
  const digits = options.digits ?? 1;
  const rows = [...(options.rows ?? [])];
  const cols = [...(options.cols ?? [])];
  const counts = new Map<string, number>();
  let missing = 0;
  for (const r of records) {
    const a = norm(r.row);
    const b = norm(r.col);
    if (a === null || b === null) {
      missing++;
      continue;
    }
    if (!rows.includes(a)) rows.push(a);
    if (!cols.includes(b)) cols.push(b);
    const key = JSON.stringify([a, b]);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const count = (a: string, b: string): number => counts.get(JSON.stringify([a, b])) ?? 0;
  const rowTotals = rows.map((a) => cols.reduce((s, b) => s + count(a, b), 0));
  const colTotals = cols.map((b) => rows.reduce((s, a) => s + count(a, b), 0));
  const grand = rowTotals.reduce((s, c) => s + c, 0);
  const rowTotalShares = largestRemainder(rowTotals, digits);
  const colShares = largestRemainder(colTotals, digits);
  const byColumn = cols.map((b) => largestRemainder(rows.map((a) => count(a, b)), digits));
  const body = rows.map((a, i) => {
    const cs = cols.map((b) => count(a, b));
    const shares = options.shareOf === 'column' ? cols.map((_, j) => byColumn[j]![i]!) : largestRemainder(cs, digits);
    return {
      category: a,
      cells: cols.map((b, j) => ({ category: b, count: cs[j]!, share: shares[j]! })),
      total: { count: rowTotals[i]!, share: rowTotalShares[i]! },
    };
  });
  const totals = {
    category: options.totalLabel ?? 'Итого',
    cells: cols.map((b, j) => ({ category: b, count: colTotals[j]!, share: colShares[j]! })),
    total: { count: grand, share: grand > 0 ? 100 : 0 },
  };
  return { rows, cols, body, totals, missing };
}
