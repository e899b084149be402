/** Ranking of organisations by a value.
 *
 * - Competition ranking («1, 2, 2, 4»): tied values share the best place, the next value skips the used places.
 * - Average (fractional) ranks («1, 2,5, 2,5, 4»): tied values share the mean of their places; what Spearman's rho needs.
 * Display order is by value, then by name (Russian collation), so equal values always list alphabetically.
 * Organisations without a value (null) are listed last with rank null. */

import { roundHalfUp } from '../format.ts';
import { isPresent, type MaybeNumber } from './descriptive.ts';

export interface RankInput {
  name: string;
  value: MaybeNumber;
}

export interface Ranked<T extends RankInput = RankInput> {
  item: T;
  name: string;
  value: number | null;
  /** Competition rank («1, 2, 2, 4»); null when the value is missing. */
  rank: number | null;
  /** Average rank of the tie group («1, 2,5, 2,5, 4»); null when the value is missing. */
  averageRank: number | null;
  /** True when another organisation has the same (compared) value. */
  tied: boolean;
  /** 1-based display position (unique). */
  position: number;
}

export interface RankOptions {
  /** 'desc' (default): the greatest value is rank 1; 'asc': the smallest is. */
  order?: 'asc' | 'desc';
  /** Compare values after rounding half-up to this many decimals, so values shown equal in a report tie. */
  tieDigits?: number;
}

const collator = new Intl.Collator('ru', { sensitivity: 'base', numeric: true });

/** Ranks items by value; see the module comment for the rules. */
export function rankBy<T extends RankInput>(items: readonly T[], options: RankOptions = {}): Ranked<T>[] {
  const order = options.order ?? 'desc';
  const key = (v: number): number => (options.tieDigits === undefined ? v : roundHalfUp(v, options.tieDigits));
  const withValue = items.filter((it) => isPresent(it.value));
  const without = items.filter((it) => !isPresent(it.value));
  const sign = order === 'desc' ? -1 : 1;
  const sorted = [...withValue].sort(
    (a, b) => sign * (key(a.value as number) - key(b.value as number)) || collator.compare(a.name, b.name),
  );
  const out: Ranked<T>[] = [];
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    const k = key(sorted[i]!.value as number);
    while (j + 1 < sorted.length && key(sorted[j + 1]!.value as number) === k) j++;
    const avg = (i + 1 + (j + 1)) / 2;
    for (let t = i; t <= j; t++) {
      const item = sorted[t]!;
      out.push({ item, name: item.name, value: item.value as number, rank: i + 1, averageRank: avg, tied: j > i, position: t + 1 });
    }
    i = j + 1;
  }
  const rest = [...without].sort((a, b) => collator.compare(a.name, b.name));
  rest.forEach((item, idx) => {
    out.push({ item, name: item.name, value: null, rank: null, averageRank: null, tied: false, position: sorted.length + idx + 1 });
  });
  return out;
}

/** Average ranks (1 = smallest) of plain numbers, returned in the input order; ties share the mean place.
 * Matches R's `rank(x, ties.method = "average")`. */
export function averageRanks(values: readonly number[]): number[] {
  const idx = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v || a.i - b.i);
  const ranks = new Array<number>(values.length).fill(0);
  let i = 0;
  while (i < idx.length) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1]!.v === idx[i]!.v) j++;
    const avg = (i + j + 2) / 2;
    for (let t = i; t <= j; t++) ranks[idx[t]!.i] = avg;
    i = j + 1;
  }
  return ranks;
}

/** Competition ranks (1 = greatest by default) of plain numbers, in input order. Matches R's
 * `rank(-x, ties.method = "min")` for 'desc'. */
export function competitionRanks(values: readonly number[], order: 'asc' | 'desc' = 'desc'): number[] {
  const sign = order === 'desc' ? -1 : 1;
  return values.map((v) => 1 + values.filter((w) => sign * (w - v) < 0).length);
}
