/** Consistency with a printed report: a printed figure is compared with the computed one at the printed precision
 * (86 vs 87,9 disagree; 2,3 vs 2,26 → 2,3 agree); level names case-insensitively («Средний» = «средний»). */
import { roundHalfUp } from '../format.ts';
import type { Diagnosis } from './diagnosis.ts';

export interface Discrepancy {
  organisation: string | null;
  indicator: string;
  field: 'value' | 'level' | 'points' | 'aggregate';
  published: number | string;
  computed: number | string | null;
  message: string;
  /** How the printed figure may have been obtained, most plausible first (issue 16); set by the computation. */
  diagnosis?: Diagnosis[];
}

/** Number and number of decimals of a printed figure (`2,3`, `86`, `78.9 %`); null when it is not a number. */
export function parsePrinted(text: string): { value: number; digits: number } | null {
  const t = text.trim().replace(/[\s\u00A0\u202F]/g, '').replace(/%$/, '').replace(',', '.').replace('−', '-');
  if (!/^-?\d+(\.\d+)?$/.test(t)) return null;
  const dot = t.indexOf('.');
  return { value: Number(t), digits: dot < 0 ? 0 : t.length - dot - 1 };
}

/** Digits of a number as written in a document (5.6 → 1). */
export function digitsOf(n: number): number {
  const s = String(n);
  const dot = s.indexOf('.');
  return dot < 0 || s.includes('e') ? 0 : s.length - dot - 1;
}

/** Does the printed number agree with the exact computed value at the printed precision? */
export function agreesAtPrecision(printed: { value: number; digits: number }, exact: number | null): boolean {
  if (exact === null) return false;
  return Math.abs(roundHalfUp(exact, printed.digits) - printed.value) < 10 ** -(printed.digits + 3);
}

export function normaliseLevelName(s: string): string {
  return s.trim().toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ');
}

export function levelsAgree(printed: string, computed: string | null): boolean {
  return computed !== null && normaliseLevelName(printed) === normaliseLevelName(computed);
}
