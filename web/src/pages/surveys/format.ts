/** Small formatting helpers of the survey pages. */
import { formatNumber } from '../../../../src/core/format.ts';

/** `2022-06-30` → `30.06.2022`. */
export function ruDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return y && m && d ? `${d}.${m}.${y}` : iso;
}

export function num(v: number | null | undefined, digits?: number): string {
  return v === null || v === undefined ? '—' : digits === undefined ? formatNumber(v) : formatNumber(v, digits);
}
