/** Why a printed figure differs from the computed one (issue 16): a fixed list of plausible mistakes, each tried once,
 * at most two combined; those that reproduce the printed figure exactly at its printed precision are returned, most
 * plausible first. The order (docs/methodology.md, «Диагноз расхождения»):
 *   1. one mistake before two; within each, by kind:
 *      rounding (truncated, rounded_intermediate, rounded_shares, half_even, other_decimals) →
 *      wrong base (later/earlier_period_denominator, swapped_ratio) → wrong row (other_organisation, previous_period) →
 *      scale and form (scaled, share_as_fraction, difference_not_percentage) →
 *      levels (unrounded_level, truncated_level, level_other_decimals, bound_read_other_way) →
 *      totals (sum_without_row, row_counted_twice);
 *   2. two mistakes: a wrong base or scale followed by truncation (`later_period_denominator+truncated`), truncation
 *      followed by a bound read the other way (`truncated_level+bound_read_other_way`);
 *   3. only when nothing above explains it: transposed_digits, then mistyped_digit.
 * Nothing found → one entry `not_found` («причина не найдена: проверьте исходные данные»). Pure and deterministic. */
import { formatNumber, roundHalfUp } from '../format.ts';
import { bandContains, bandName, describeBand } from './scale.ts';
import type { Band } from './schema.ts';

export interface Diagnosis {
  code: string;
  message: string;
  formula: string;
}

/** The structure of the formula, when it is one the hypotheses know how to vary. */
export type FormulaShape =
  /** numerator / denominator × multiplier; with `difference` the numerator is later − earlier (a change). */
  | { kind: 'ratio'; numerator: number; denominator: number; multiplier: number; difference?: { later: number; earlier: number } }
  /** loyalty index: promoters / respondents × 100 − critics / respondents × 100. */
  | { kind: 'loyalty'; promoters: number; critics: number; respondents: number };

export interface PrintedNumber {
  value: number;
  digits: number;
}
export interface OtherValue {
  organisation: string;
  value: number;
}

export interface ValueCase {
  printed: PrintedNumber;
  /** The exact (unrounded) computed value. */
  exact: number;
  /** Decimals of the methodology's rounding. */
  round?: number | undefined;
  shape?: FormulaShape | null;
  /** Other organisations' exact values of the same indicator, in table order (an entry named `self` is skipped); an
   * `OtherValues` index when many discrepancies of one table are diagnosed. */
  others?: readonly OtherValue[] | OtherValues;
  /** The organisation whose figure this is, when `others` lists every organisation. */
  self?: string;
  /** The previous period's value of the same organisation, when known. */
  previous?: number | null;
  /** The denominators of the same ratio in every row, in table order, for «divided by a neighbouring row's or the
   * totals row's denominator»; `total` names the totals row among them. */
  denominators?: readonly OtherValue[];
  total?: string;
}
export interface LevelCase {
  printed: string;
  exact: number;
  round?: number | undefined;
  bands: readonly Band[];
  /** The same indicator's bands in earlier versions of the methodology (newest first), for «a band of an earlier
   * version». */
  earlier?: readonly { version: string; round?: number | undefined; bands: readonly Band[] }[];
}
export interface TotalCase {
  printed: number;
  parts: readonly OtherValue[];
}

/** The organisations' values indexed by their figure at a given precision, so that «equals another organisation's
 * value» costs a lookup, not a pass over the table (3 000 organisations × 3 000 discrepancies). */
export class OtherValues {
  private readonly byDigits = new Map<number, Map<string, number[]>>();
  private readonly position = new Map<string, number>();
  constructor(readonly list: readonly OtherValue[]) {
    list.forEach((o, i) => this.position.set(o.organisation, i));
  }
  /** Organisations whose value, rounded half-up to `digits`, is `value`; the rows nearest to `self` first. */
  matching(value: number, digits: number, self?: string): OtherValue[] {
    let index = this.byDigits.get(digits);
    if (!index) {
      index = new Map();
      this.list.forEach((o, i) => {
        const k = key(roundHalfUp(o.value, digits), digits);
        const at = (index as Map<string, number[]>).get(k);
        if (at) at.push(i);
        else (index as Map<string, number[]>).set(k, [i]);
      });
      this.byDigits.set(digits, index);
    }
    const from = self === undefined ? undefined : this.position.get(self);
    return (index.get(key(value, digits)) ?? [])
      .filter((i) => this.list[i]?.organisation !== self)
      .sort((a, b) => (from === undefined ? a - b : Math.abs(a - from) - Math.abs(b - from) || a - b))
      .map((i) => this.list[i] as OtherValue);
  }
}
const key = (v: number, digits: number) => (v === 0 ? 0 : v).toFixed(digits);

export const NOT_FOUND: Diagnosis = { code: 'not_found', message: 'причина не найдена: проверьте исходные данные', formula: '' };

const EPS = 1e-9;

/** Toward zero at `digits` decimals: 16,770 → 16,7 (a value a hair under a decimal because of binary floats is not cut). */
export function truncate(x: number, digits: number): number {
  const p = 10 ** digits;
  const scaled = x * p;
  const nearest = Math.round(scaled);
  const t = Math.abs(scaled - nearest) < 1e-7 ? nearest : Math.trunc(scaled);
  return t / p;
}

/** Half to even (banker's rounding) at `digits` decimals: 2,25 → 2,2; 2,35 → 2,4. */
export function roundHalfEven(x: number, digits: number): number {
  const p = 10 ** digits;
  const scaled = Math.abs(x) * p;
  const floor = Math.floor(scaled);
  const frac = scaled - floor;
  if (Math.abs(frac - 0.5) > 1e-7) return roundHalfUp(x, digits);
  return (Math.sign(x) * (floor % 2 === 0 ? floor : floor + 1)) / p;
}

function same(x: number, p: PrintedNumber): boolean {
  return Number.isFinite(x) && Math.abs(x - p.value) < 10 ** -(p.digits + 3);
}
const f = (n: number, digits?: number) => formatNumber(n, digits);
/** `16,770 → 16,7`: the unrounded value with two more decimals, then the figure as printed. */
const arrow = (raw: number, result: number, digits: number) => `${f(raw, digits + 2)} → ${f(result, digits)}`;
const ratioText = (num: number, den: number, mult: number) => `${f(num)} / ${f(den)}${mult === 1 ? '' : ` × ${f(mult)}`}`;
const hit = (code: string, reason: string, formula: string): Diagnosis => ({ code, message: `так получается, если ${reason}: ${formula}`, formula });

/** An alternative computation that, rounded (or truncated) to the printed digits, may give the printed figure. */
interface Alternative {
  code: string;
  /** How the computation differs, as a clause after «если»: «разделить разность 270 на значение второго года (1 610), а не первого». */
  reason: string;
  /** The computation before rounding: `270 / 1 610 × 100`. */
  text: string;
  raw: number;
}

function alternatives(c: ValueCase): { base: Alternative[]; scale: Alternative[]; form: Alternative[] } {
  const base: Alternative[] = [];
  const scale: Alternative[] = [];
  const form: Alternative[] = [];
  const s = c.shape;
  if (s?.kind === 'ratio') {
    const d = s.difference;
    if (d && Math.abs(s.denominator - d.earlier) < EPS && d.later !== 0)
      base.push({
        code: 'later_period_denominator',
        reason: `разделить разность ${f(d.later - d.earlier)} на значение второго периода (${f(d.later)}), а не первого (${f(d.earlier)})`,
        text: ratioText(d.later - d.earlier, d.later, s.multiplier),
        raw: ((d.later - d.earlier) / d.later) * s.multiplier,
      });
    else if (d && Math.abs(s.denominator - d.later) < EPS && d.earlier !== 0)
      base.push({
        code: 'earlier_period_denominator',
        reason: `разделить разность ${f(d.later - d.earlier)} на значение первого периода (${f(d.earlier)}), а не второго (${f(d.later)})`,
        text: ratioText(d.later - d.earlier, d.earlier, s.multiplier),
        raw: ((d.later - d.earlier) / d.earlier) * s.multiplier,
      });
    if (s.numerator !== 0)
      base.push({
        code: 'swapped_ratio',
        reason: `поменять местами числитель (${f(s.numerator)}) и знаменатель (${f(s.denominator)})`,
        text: ratioText(s.denominator, s.numerator, s.multiplier),
        raw: (s.denominator / s.numerator) * s.multiplier,
      });
    if (s.multiplier === 100)
      form.push({ code: 'share_as_fraction', reason: 'напечатать долю дробью, не умножив на 100', text: ratioText(s.numerator, s.denominator, 1), raw: s.numerator / s.denominator });
    if (d) form.push({ code: 'difference_not_percentage', reason: 'напечатать разность, а не процент изменения', text: `${f(d.later)} − ${f(d.earlier)}`, raw: d.later - d.earlier });
  }
  const fraction = s?.kind === 'ratio' && s.multiplier === 100;
  for (const [k, word] of [[10, 'умножить на 10'], [0.1, 'разделить на 10'], [100, 'умножить на 100'], [0.01, 'разделить на 100']] as const) {
    if (k === 0.01 && fraction) continue; // the same figure as a share printed as a fraction, said better there
    scale.push({ code: 'scaled', reason: `${word} (ошибка в разряде)`, text: `${f(c.exact, c.printed.digits + 2)} ${k >= 1 ? `× ${f(k)}` : `/ ${f(1 / k)}`}`, raw: c.exact * k });
  }
  return { base, scale, form };
}

/** The hypotheses about a printed number (an indicator's value or an aggregate), most plausible first. */
export function diagnoseValue(c: ValueCase): Diagnosis[] {
  const p = c.printed;
  const d = p.digits;
  const x = c.exact;
  const out: Diagnosis[] = [];
  if (!Number.isFinite(x)) return [NOT_FOUND];

  // Rounding.
  const t = truncate(x, d);
  if (same(t, p)) out.push(hit('truncated', `отбросить знаки после ${decimalsWord(d)}, а не округлить`, arrow(x, t, d)));
  const twice = roundHalfUp(roundHalfUp(x, d + 1), d);
  if (same(twice, p))
    out.push(hit('rounded_intermediate', `сначала округлить до ${decimalsGenitive(d + 1)}, а потом ещё раз — до ${decimalsGenitive(d)}`, `${f(x, d + 3)} → ${f(roundHalfUp(x, d + 1), d + 1)} → ${f(twice, d)}`));
  if (c.shape?.kind === 'loyalty' && c.shape.respondents > 0) {
    const { promoters, critics, respondents } = c.shape;
    for (const k of d > 0 ? [d, 0] : [0]) {
      const a = roundHalfUp((promoters / respondents) * 100, k);
      const b = roundHalfUp((critics / respondents) * 100, k);
      if (same(roundHalfUp(a - b, d), p))
        out.push(hit('rounded_shares', `сначала округлить доли сторонников и критиков до ${decimalsGenitive(k)}, а потом вычесть`, `${f(a, k)} − ${f(b, k)} = ${f(roundHalfUp(a - b, d), d)}`));
    }
  }
  const even = roundHalfEven(x, d);
  if (same(even, p) && !same(roundHalfUp(x, d), p))
    out.push(hit('half_even', 'округлить половину к чётной цифре («банковское» округление), а не вверх', arrow(x, even, d)));
  for (let k = 0; k < d; k++) {
    const r = roundHalfUp(x, k);
    if (same(r, p)) out.push(hit('other_decimals', `округлить до ${decimalsGenitive(k)}, а напечатать с ${decimalsInstr(d)}`, `${f(x, d + 1)} → ${f(r, k)} → ${f(r, d)}`));
  }

  // Wrong base, scale and form: an alternative computation rounded as it should be.
  const alt = alternatives(c);
  const single = (a: Alternative) => {
    const r = roundHalfUp(a.raw, d);
    if (same(r, p)) out.push(hit(a.code, a.reason, `${a.text} = ${arrow(a.raw, r, d)}`));
  };
  alt.base.forEach(single);
  otherDenominator(c, out);

  // Wrong row.
  const others = c.others instanceof OtherValues ? c.others : new OtherValues(c.others ?? []);
  const matching = others.matching(p.value, d, c.self);
  if (matching.length) {
    const names = matching.slice(0, 3).map((o) => `«${o.organisation}»`).join(', ') + (matching.length > 3 ? ` и ещё ${matching.length - 3}` : '');
    const first = matching[0] as OtherValue;
    out.push(hit('other_organisation', `взять значение ${matching.length > 1 ? 'другой строки — организаций' : 'другой организации —'} ${names}`, arrow(first.value, roundHalfUp(first.value, d), d)));
  }
  if (c.previous !== undefined && c.previous !== null && same(roundHalfUp(c.previous, d), p))
    out.push(hit('previous_period', 'взять значение той же организации за прошлый период', arrow(c.previous, roundHalfUp(c.previous, d), d)));

  alt.scale.forEach(single);
  alt.form.forEach(single);

  // Two mistakes: a wrong base, scale or form, then truncation instead of rounding.
  for (const a of [...alt.base, ...alt.scale, ...alt.form]) {
    const r = truncate(a.raw, d);
    if (same(r, p) && !same(roundHalfUp(a.raw, d), p))
      out.push(hit(`${a.code}+truncated`, `${a.reason} и отбросить знаки после ${decimalsWord(d)}, а не округлить`, `${a.text} = ${arrow(a.raw, r, d)}`));
  }

  return out.length ? out : digitsOnly(p, roundHalfUp(x, d));
}

/** Rows on either side of a row whose denominator is tried (a neighbouring row read by mistake). */
const NEIGHBOURS = 3;

/** Wrong base: the row's numerator divided by the totals row's denominator, or by a neighbouring row's (up to
 * NEIGHBOURS rows above or below; the totals row first, then the nearest). Neighbours only: in a large table some far
 * row's denominator would reproduce almost any figure by chance. */
function otherDenominator(c: ValueCase, out: Diagnosis[]): void {
  const s = c.shape;
  const all = c.denominators;
  if (s?.kind !== 'ratio' || s.difference || !all?.length) return;
  const p = c.printed;
  const fits = (den: number) => den !== 0 && Math.abs(den - s.denominator) > EPS && same(roundHalfUp((s.numerator / den) * s.multiplier, p.digits), p);
  const at = c.self === undefined ? -1 : all.findIndex((o) => o.organisation === c.self);
  const candidates: OtherValue[] = [];
  const total = c.total === undefined ? undefined : all.find((o) => o.organisation === c.total);
  if (total && total.organisation !== c.self) candidates.push(total);
  if (at >= 0)
    for (let k = 1; k <= NEIGHBOURS; k++)
      for (const i of [at - k, at + k]) {
        const o = all[i];
        if (o && o.organisation !== c.total) candidates.push(o);
      }
  const list = candidates.filter((o) => fits(o.value));
  if (!list.length) return;
  const best = list[0] as OtherValue;
  const raw = (s.numerator / best.value) * s.multiplier;
  const whose = best.organisation === c.total ? 'итоговой строки' : `соседней строки «${best.organisation}»`;
  out.push(hit('other_denominator', `разделить на знаменатель ${whose} (${f(best.value)}), а не на свой (${f(s.denominator)})`, `${ratioText(s.numerator, best.value, s.multiplier)} = ${arrow(raw, roundHalfUp(raw, p.digits), p.digits)}`));
}

/** Last resort: the printed figure is the computed one with two adjacent digits swapped or one digit mistyped. */
function digitsOnly(p: PrintedNumber, computed: number): Diagnosis[] {
  const a = p.value.toFixed(p.digits);
  const b = computed.toFixed(p.digits);
  if (a.length !== b.length || a === b) return [NOT_FOUND];
  const diff: number[] = [];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) diff.push(i);
  const shown = `в отчёте ${f(p.value, p.digits)}, вычислено ${f(computed, p.digits)}`;
  const [i, j] = diff as [number, number];
  if (diff.length === 2 && j === i + 1 && a[i] === b[j] && a[j] === b[i] && /\d/.test(a[i] ?? '') && /\d/.test(a[j] ?? ''))
    return [{ code: 'transposed_digits', message: `возможно, переставлены соседние цифры (другого объяснения не найдено): ${shown}`, formula: shown }];
  if (diff.length === 1 && /\d/.test(a[i] ?? ''))
    return [{ code: 'mistyped_digit', message: `возможно, опечатка в одной цифре (другого объяснения не найдено): ${shown}`, formula: shown }];
  return [NOT_FOUND];
}

/** The hypotheses about a printed level name. */
export function diagnoseLevel(c: LevelCase): Diagnosis[] {
  const want = normalise(c.printed);
  const named = (v: number): string | null => {
    const b = c.bands.find((x) => bandContains(x, v));
    return b ? bandName(b) : null;
  };
  const is = (v: number) => {
    const n = named(v);
    return n !== null && normalise(n) === want;
  };
  const out: Diagnosis[] = [];
  const r = c.round;
  const value = r === undefined ? c.exact : roundHalfUp(c.exact, r);
  const shown = (v: number, digits: number | undefined) => f(v, digits);
  if (r !== undefined && is(c.exact) && !is(value))
    out.push(hit('unrounded_level', `определить уровень по неокруглённому значению ${f(c.exact, r + 2)}, а не по ${shown(value, r)}`, `${f(c.exact, r + 2)} → «${c.printed}»`));
  if (r !== undefined) {
    const t = truncate(c.exact, r);
    if (!same(t, { value, digits: r }) && is(t)) out.push(hit('truncated_level', `отбросить знаки после ${decimalsWord(r)}, а не округлить, и определить уровень по ${f(t, r)}`, `${arrow(c.exact, t, r)} → «${c.printed}»`));
    for (let k = 0; k < r; k++) {
      const v = roundHalfUp(c.exact, k);
      if (is(v)) out.push(hit('level_other_decimals', `определить уровень по значению, округлённому до ${decimalsGenitive(k)} (${f(v, k)})`, `${f(c.exact, r + 1)} → ${f(v, k)} → «${c.printed}»`));
    }
  }
  const bound = boundOtherWay(c.bands, value, want, r);
  if (bound) out.push(hit('bound_read_other_way', bound.reason, bound.formula));
  if (r !== undefined) {
    const t = truncate(c.exact, r);
    const b = same(t, { value, digits: r }) ? null : boundOtherWay(c.bands, t, want, r);
    if (b) out.push(hit('truncated_level+bound_read_other_way', `отбросить знаки после ${decimalsWord(r)}, а не округлить (${arrow(c.exact, t, r)}), и ${b.reason}`, b.formula));
  }
  // Levels: the bands of an earlier version of the methodology (the newest that gives the printed level).
  for (const e of c.earlier ?? []) {
    const v = e.round === undefined ? c.exact : roundHalfUp(c.exact, e.round);
    const band = e.bands.find((x) => bandContains(x, v));
    if (band && normalise(bandName(band) ?? '') === want) {
      out.push(hit('earlier_version_band', `взять полосы прежней редакции методики (${e.version}): «${bandName(band)}» — ${describeBand(band, e.round)}`, `${f(v, e.round)} → «${c.printed}»`));
      break;
    }
  }
  return out.length ? out : [NOT_FOUND];
}

/** The value lies exactly on a bound; read the other way (inclusive ↔ exclusive), it belongs to the neighbouring band
 * named in print. */
function boundOtherWay(bands: readonly Band[], v: number, want: string, digits: number | undefined): { reason: string; formula: string } | null {
  const home = bands.find((b) => bandContains(b, v));
  const on = (x: number | undefined) => x !== undefined && Math.abs(x - v) < EPS;
  const wanted = (b: Band) => {
    const n = bandName(b);
    return b !== home && n !== null && normalise(n) === want;
  };
  const g = (n: number) => f(n, digits);
  if (home && on(home.from)) {
    // Read «от v» as «свыше v»: v goes to the band just below.
    const below = bands.filter((b) => b !== home && (b.to ?? b.from ?? -Infinity) < v).sort((a, b) => (b.to ?? b.from ?? 0) - (a.to ?? a.from ?? 0))[0];
    if (below && wanted(below)) return { reason: `прочитать нижнюю границу «от ${g(v)}» уровня «${bandName(home)}» как «свыше ${g(v)}»`, formula: `${g(v)} → «${bandName(below)}»` };
  }
  if (home && on(home.to)) {
    const above = bands.filter((b) => b !== home && (b.from ?? b.to ?? Infinity) > v).sort((a, b) => (a.from ?? a.to ?? 0) - (b.from ?? b.to ?? 0))[0];
    if (above && wanted(above)) return { reason: `прочитать верхнюю границу «до ${g(v)}» уровня «${bandName(home)}» как «менее ${g(v)}»`, formula: `${g(v)} → «${bandName(above)}»` };
  }
  for (const b of bands) {
    if (!wanted(b)) continue;
    if (b.from_exclusive && on(b.from)) return { reason: `прочитать границу «свыше ${g(v)}» уровня «${bandName(b)}» как «от ${g(v)}»`, formula: `${g(v)} → «${bandName(b)}»` };
    if (b.to_exclusive && on(b.to)) return { reason: `прочитать границу «менее ${g(v)}» уровня «${bandName(b)}» как «до ${g(v)} включительно»`, formula: `${g(v)} → «${bandName(b)}»` };
  }
  return null;
}

/** The hypotheses about a printed total that is not the sum of its rows. */
export function diagnoseTotal(c: TotalCase): Diagnosis[] {
  const sum = c.parts.reduce((s, x) => s + x.value, 0);
  const out: Diagnosis[] = [];
  const p: PrintedNumber = { value: c.printed, digits: 0 };
  const all = c.parts.map((x) => f(x.value)).join(' + ');
  for (const x of c.parts)
    if (same(sum - x.value, p)) out.push(hit('sum_without_row', `не включить в сумму строку «${x.organisation}» (${f(x.value)})`, `${f(sum)} − ${f(x.value)} = ${f(c.printed)}`));
  for (const x of c.parts)
    if (same(sum + x.value, p)) out.push(hit('row_counted_twice', `сложить строку «${x.organisation}» (${f(x.value)}) дважды`, `${all} + ${f(x.value)} = ${f(c.printed)}`));
  if (!out.length) {
    const left = rowsLeftOut(c.parts, sum, p);
    if (left) {
      const kept = c.parts.filter((x) => !left.includes(x));
      out.push(hit('sum_of_subset', `сложить не все строки — без ${left.map((x) => `«${x.organisation}» (${f(x.value)})`).join(', ')}`, `${kept.map((x) => f(x.value)).join(' + ')} = ${f(c.printed)}`));
    }
  }
  return out.length ? out : digitsOnly(p, sum);
}

/** Up to 16 rows: every subset is tried; more rows: pairs only (one row is `sum_without_row`). The fewest rows left out
 * win, then the earliest in table order; at least two rows left out and at least one kept. Bounded: 2^16 sums, or
 * n² / 2 pairs up to 400 rows. */
function rowsLeftOut(parts: readonly OtherValue[], sum: number, p: PrintedNumber): OtherValue[] | null {
  const n = parts.length;
  if (n <= 16) {
    let best: number | null = null;
    let bestCount = Infinity;
    for (let mask = 1; mask < (1 << n) - 1; mask++) {
      let count = 0;
      let left = 0;
      for (let i = 0; i < n; i++)
        if (mask & (1 << i)) {
          count++;
          left += (parts[i] as OtherValue).value;
        }
      if (count >= 2 && count < bestCount && same(sum - left, p)) {
        best = mask;
        bestCount = count;
      }
    }
    return best === null ? null : parts.filter((_, i) => (best as number) & (1 << i));
  }
  if (n > 400) return null;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) if (same(sum - (parts[i] as OtherValue).value - (parts[j] as OtherValue).value, p)) return [parts[i] as OtherValue, parts[j] as OtherValue];
  return null;
}

function normalise(s: string): string {
  return s.trim().toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ');
}
function decimalsWord(d: number): string {
  return d === 0 ? 'запятой' : `${['', 'первого', 'второго', 'третьего', 'четвёртого'][d] ?? `${d}-го`} знака`;
}
function decimalsGenitive(d: number): string {
  return d === 0 ? 'целых' : `${d} знак${d === 1 ? 'а' : 'ов'} после запятой`;
}
function decimalsInstr(d: number): string {
  return `${d} знак${d === 1 ? 'ом' : 'ами'} после запятой`;
}
