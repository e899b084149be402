/** How a printed municipal figure may have been obtained with another aggregation (issue 16): the mean of the
 * organisations' unrounded values where the methodology averages rounded ones (or the other way round), and the mean
 * of the organisations' own ratios where the methodology divides the sums. Each alternative is computed from the same
 * organisations and checked at the printed precision. Pure. */
import { formatNumber, roundHalfUp } from '../format.ts';
import type { Diagnosis, PrintedNumber } from './diagnosis.ts';
import type { Value } from './expression.ts';
import type { IndicatorResult } from './evaluate.ts';
import type { AggregateDef } from './schema.ts';

export interface AggregateRow { values: Record<string, Value>; results: Record<string, IndicatorResult> }

const f = (n: number, digits?: number) => formatNumber(n, digits);
const agrees = (x: number, p: PrintedNumber) => Math.abs(roundHalfUp(x, p.digits) - p.value) < 10 ** -(p.digits + 3);

export function diagnoseAggregate(def: AggregateDef, rows: readonly AggregateRow[], printed: PrintedNumber): Diagnosis[] {
  const out: Diagnosis[] = [];
  const hit = (code: string, reason: string, formula: string) => out.push({ code, message: `так получается, если ${reason}: ${formula}`, formula });
  if (def.method === 'mean_of_orgs' && def.of) {
    const rounded = def.values !== 'unrounded';
    const vs = rows.map((r) => r.results[def.of as string]).filter((r): r is IndicatorResult => r !== undefined && r.value !== null);
    const other = vs.map((r) => (rounded ? (r.unrounded as number) : (r.value as number)));
    if (other.length) {
      const sum = other.reduce((s, x) => s + x, 0);
      const mean = sum / other.length;
      if (agrees(mean, printed))
        hit(rounded ? 'mean_of_unrounded' : 'mean_of_rounded', `усреднить ${rounded ? 'неокруглённые' : 'округлённые'} значения организаций, а не ${rounded ? 'округлённые' : 'неокруглённые'}`, `${f(sum, 2)} / ${other.length} = ${f(mean, printed.digits + 2)} → ${f(roundHalfUp(mean, printed.digits), printed.digits)}`);
    }
  }
  if (def.method === 'ratio_of_sums' && def.numerator && def.denominator) {
    const mult = def.multiplier ?? 1;
    const num = (r: AggregateRow, n: string) => {
      const v = r.results[n] ? r.results[n].value : r.values[n];
      return typeof v === 'number' ? v : null;
    };
    const ratios: number[] = [];
    for (const r of rows) {
      const a = num(r, def.numerator);
      const b = num(r, def.denominator);
      if (a !== null && b !== null && b !== 0) ratios.push((a / b) * mult);
    }
    if (ratios.length) {
      const mean = ratios.reduce((s, x) => s + x, 0) / ratios.length;
      if (agrees(mean, printed))
        hit('mean_not_ratio', `усреднить доли организаций, а не разделить сумму ${def.numerator} на сумму ${def.denominator}`, `среднее ${ratios.length} долей = ${f(mean, printed.digits + 2)} → ${f(roundHalfUp(mean, printed.digits), printed.digits)}`);
    }
  }
  return out;
}
