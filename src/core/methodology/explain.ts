/** Russian explanations of computed figures: `12 / 359 × 100 = 3,34 → 3,3 → «средний» (2,6–5,0) → 1 балл`. */
import { formatNumber, plural } from '../format.ts';

export function pointsText(points: number): string {
  return `${formatNumber(points)} ${plural(points, ['балл', 'балла', 'баллов'])}`;
}

/** `= 3,34 → 3,3` (unrounded shown with one more decimal than the rounding), or `= 5` without rounding. */
export function valueChain(unrounded: number, digits: number | undefined): string {
  if (digits === undefined) return `= ${formatNumber(unrounded)}`;
  return `= ${formatNumber(unrounded, digits + 1)} → ${formatNumber(unrounded, digits)}`;
}

export interface BandText {
  levelName: string | null;
  bounds: string;
  points: number | null;
}

export function bandChain(b: BandText): string {
  const parts: string[] = [];
  parts.push(b.levelName ? `«${b.levelName}» (${b.bounds})` : `полоса ${b.bounds}`);
  if (b.points !== null) parts.push(pointsText(b.points));
  return parts.join(' → ');
}
