/** Scales: bands with explicit inclusive/exclusive bounds and open ends; which band a value falls in; and the lint of a
 * band list judged at the resolution of the indicator's rounding (round: 1 → steps of 0,1). */
import { formatNumber } from '../format.ts';
import type { Band, ScaleDef } from './schema.ts';
import { LEVEL_NAMES } from './schema.ts';

export function bandContains(b: Band, v: number): boolean {
  if (b.from !== undefined && (b.from_exclusive ? !(v > b.from) : !(v >= b.from))) return false;
  if (b.to !== undefined && (b.to_exclusive ? !(v < b.to) : !(v <= b.to))) return false;
  return true;
}

/** Every band containing the value (a lint-clean scale gives at most one). */
export function matchingBands(scale: ScaleDef, v: number): number[] {
  if (scale.bounds === 'unspecified') return [];
  const out: number[] = [];
  scale.bands.forEach((b, i) => {
    if (bandContains(b, v)) out.push(i);
  });
  return out;
}

/** The bounds in Russian: `2,6–5,0`, `более 25`, `7,6 и выше`, `[20; 25)`. */
export function describeBounds(b: Band, digits?: number): string {
  const f = (n: number) => formatNumber(n, digits);
  const lo = b.from;
  const hi = b.to;
  if (lo !== undefined && hi !== undefined) {
    if (!b.from_exclusive && !b.to_exclusive) return `${f(lo)}–${f(hi)}`;
    return `${b.from_exclusive ? '(' : '['}${f(lo)}; ${f(hi)}${b.to_exclusive ? ')' : ']'}`;
  }
  if (lo !== undefined) return b.from_exclusive ? `более ${f(lo)}` : `${f(lo)} и выше`;
  if (hi !== undefined) return b.to_exclusive ? `менее ${f(hi)}` : `до ${f(hi)} включительно`;
  return 'любое значение';
}

export function describeBand(b: Band, digits?: number): string {
  const bounds = describeBounds(b, digits);
  // The printed text is worth showing only when it states a range other than the one applied (an open end).
  if ((b.to === undefined && b.nominal_to !== undefined) || (b.from === undefined && b.nominal_from !== undefined))
    return `${bounds}; в документе «${b.label ?? nominalText(b, digits)}»`;
  return bounds;
}

function nominalText(b: Band, digits?: number): string {
  const lo = b.nominal_from ?? b.from;
  const hi = b.nominal_to ?? b.to;
  const f = (n: number) => formatNumber(n, digits);
  return `${lo !== undefined ? f(lo) : '…'}–${hi !== undefined ? f(hi) : '…'}`;
}

export function bandName(b: Band): string | null {
  return b.level ? LEVEL_NAMES[b.level] : null;
}

export type ScaleIssueKind = 'gap' | 'overlap' | 'order' | 'nominal' | 'unbounded' | 'uncovered' | 'unspecified' | 'empty';
export interface ScaleIssue {
  kind: ScaleIssueKind;
  severity: 'error' | 'warning';
  message: string;
  /** A value (at the resolution) that shows the problem, when there is one. */
  example?: number;
}

const EPS = 1e-9;

/** Integer grid at the resolution: value × 10^digits. Undefined digits → continuous (no grid). */
function onGrid(x: number, digits: number): number {
  return Math.round(x * 10 ** digits);
}

/** Lowest / highest grid index covered by a bound (null = open). */
function lowIndex(b: Band, digits: number): number | null {
  if (b.from === undefined) return null;
  const s = b.from * 10 ** digits;
  const k = Math.abs(s - Math.round(s)) < EPS ? Math.round(s) : Math.ceil(s);
  return b.from_exclusive && Math.abs(s - k) < EPS ? k + 1 : k;
}
function highIndex(b: Band, digits: number): number | null {
  if (b.to === undefined) return null;
  const s = b.to * 10 ** digits;
  const k = Math.abs(s - Math.round(s)) < EPS ? Math.round(s) : Math.floor(s);
  return b.to_exclusive && Math.abs(s - k) < EPS ? k - 1 : k;
}

/**
 * Lints a band list for an indicator rounded to `digits` (undefined = unrounded, judged as real numbers).
 * Reports gaps between neighbours, overlaps, bands out of order, empty bands, printed ranges narrower than the open end,
 * and the indicator's domain [domainMin; domainMax] not being covered.
 */
export function lintScale(scale: ScaleDef, digits: number | undefined, domain: { min?: number; max?: number } = {}): ScaleIssue[] {
  const issues: ScaleIssue[] = [];
  const fmt = (n: number) => formatNumber(n, digits);
  if (scale.bounds === 'unspecified') {
    issues.push({
      kind: 'unspecified',
      severity: 'warning',
      message: 'границы полос не указаны в источнике: уровень и баллы не вычисляются',
    });
    return issues;
  }
  scale.bands.forEach((b, i) => {
    if (b.from === undefined && b.to === undefined && scale.bands.length > 1)
      issues.push({ kind: 'unbounded', severity: 'error', message: `полоса ${i + 1}: нет ни нижней, ни верхней границы` });
    if (b.level === undefined && b.points === undefined)
      issues.push({ kind: 'unbounded', severity: 'error', message: `полоса ${i + 1}: не задано ни баллов, ни уровня` });
    if (b.from !== undefined && b.to !== undefined) {
      const empty = digits === undefined
        ? b.from > b.to || (b.from === b.to && (b.from_exclusive || b.to_exclusive))
        : (lowIndex(b, digits) as number) > (highIndex(b, digits) as number);
      if (empty) issues.push({ kind: 'empty', severity: 'error', message: `полоса ${i + 1} (${describeBounds(b, digits)}) не содержит ни одного значения` });
    }
    if (b.to === undefined && b.nominal_to !== undefined)
      issues.push({
        kind: 'nominal',
        severity: 'warning',
        message: `полоса ${i + 1}${b.level ? ` «${LEVEL_NAMES[b.level]}»` : ''}: в документе указан диапазон до ${fmt(b.nominal_to)}, но верхняя граница открыта — значения больше ${fmt(b.nominal_to)} тоже попадают в эту полосу`,
      });
    if (b.from === undefined && b.nominal_from !== undefined)
      issues.push({
        kind: 'nominal',
        severity: 'warning',
        message: `полоса ${i + 1}${b.level ? ` «${LEVEL_NAMES[b.level]}»` : ''}: в документе указан диапазон от ${fmt(b.nominal_from)}, но нижняя граница открыта`,
      });
  });

  // Order: bands must be listed monotonically (ascending or descending by their lower ends).
  const key = (b: Band) => b.from ?? (b.to !== undefined ? b.to - 1e12 : -Infinity);
  const keys = scale.bands.map(key);
  const asc = keys.every((k, i) => i === 0 || k >= (keys[i - 1] as number));
  const desc = keys.every((k, i) => i === 0 || k <= (keys[i - 1] as number));
  if (!asc && !desc) issues.push({ kind: 'order', severity: 'warning', message: 'полосы перечислены не по порядку (ни по возрастанию, ни по убыванию)' });

  const sorted = scale.bands.map((b, i) => ({ b, i })).sort((x, y) => key(x.b) - key(y.b) || (x.b.to ?? Infinity) - (y.b.to ?? Infinity));
  for (let k = 1; k < sorted.length; k++) {
    const A = sorted[k - 1] as { b: Band; i: number };
    const B = sorted[k] as { b: Band; i: number };
    const name = (x: { b: Band; i: number }) => `${x.i + 1} (${describeBounds(x.b, digits)})`;
    if (A.b.to === undefined) {
      issues.push({ kind: 'overlap', severity: 'error', message: `полоса ${name(A)} открыта вверх и перекрывает полосу ${name(B)}` });
      continue;
    }
    if (digits === undefined) {
      const lo = B.b.from ?? -Infinity;
      if (A.b.to < lo || (A.b.to === lo && A.b.to_exclusive && B.b.from_exclusive)) {
        issues.push({
          kind: 'gap', severity: 'warning',
          message: `между полосами ${name(A)} и ${name(B)} пропуск: значения ${A.b.to_exclusive ? 'от' : 'больше'} ${fmt(A.b.to)} ${B.b.from_exclusive ? 'до' : 'и меньше'} ${fmt(lo)} не попадают ни в одну полосу`,
          example: A.b.to === lo ? lo : (A.b.to + lo) / 2,
        });
      } else if (A.b.to > lo || (A.b.to === lo && !A.b.to_exclusive && !B.b.from_exclusive)) {
        issues.push({ kind: 'overlap', severity: 'error', message: `полосы ${name(A)} и ${name(B)} перекрываются: ${fmt(Math.max(lo, -Number.MAX_VALUE))}…${fmt(A.b.to)} попадает в обе` });
      }
      continue;
    }
    const hiA = highIndex(A.b, digits) as number;
    const loB = lowIndex(B.b, digits);
    const step = 10 ** -digits;
    if (loB === null || loB <= hiA) {
      const at = loB === null ? hiA : loB;
      issues.push({
        kind: 'overlap', severity: 'error',
        message: `полосы ${name(A)} и ${name(B)} перекрываются: значение ${fmt(at * step)} попадает в обе`,
        example: Number((at * step).toFixed(digits)),
      });
    } else if (loB > hiA + 1) {
      const first = Number(((hiA + 1) * step).toFixed(digits));
      const last = Number(((loB - 1) * step).toFixed(digits));
      const middle = Number((Math.round((hiA + 1 + loB - 1) / 2) * step).toFixed(digits));
      issues.push({
        kind: 'gap', severity: 'warning',
        message: `между полосами ${name(A)} и ${name(B)} пропуск: при округлении до ${digits} знак(а/ов) значения ${first === last ? fmt(first) : `${fmt(first)}–${fmt(last)}`} (например, ${fmt(middle)}) не попадают ни в одну полосу`,
        example: middle,
      });
    }
  }

  // Domain coverage at the ends.
  const first = sorted[0]?.b;
  const last = sorted[sorted.length - 1]?.b;
  if (first && domain.min !== undefined && first.from !== undefined) {
    const uncovered = digits === undefined ? domain.min < first.from || (domain.min === first.from && first.from_exclusive) : onGrid(domain.min, digits) < (lowIndex(first, digits) as number);
    if (uncovered) issues.push({ kind: 'uncovered', severity: 'warning', message: `значения от ${fmt(domain.min)} до ${fmt(first.from)} не попадают ни в одну полосу`, example: domain.min });
  }
  if (last && domain.max !== undefined && last.to !== undefined) {
    const uncovered = digits === undefined ? domain.max > last.to || (domain.max === last.to && last.to_exclusive) : onGrid(domain.max, digits) > (highIndex(last, digits) as number);
    if (uncovered) issues.push({ kind: 'uncovered', severity: 'warning', message: `значения больше ${fmt(last.to)} (до ${fmt(domain.max)}) не попадают ни в одну полосу`, example: domain.max });
  }
  return issues;
}
