/** Diagnoses for the discrepancies of one computation (issue 16): each discrepancy gets the cases its figure allows —
 * the printed text at its precision, the exact computed value, the formula's shape (ratio, change, loyalty), the other
 * organisations' values of the same indicator, the scale — and `diagnosis.ts` tries the hypotheses. Pure. */
import type { Discrepancy } from './consistency.ts';
import { digitsOf, parsePrinted } from './consistency.ts';
import { diagnoseAggregate } from './diagnose-aggregate.ts';
import type { Diagnosis, FormulaShape, OtherValue } from './diagnosis.ts';
import { NOT_FOUND, OtherValues, diagnoseLevel, diagnoseTotal, diagnoseValue } from './diagnosis.ts';
import type { Compiled, IndicatorResult } from './evaluate.ts';
import { scaleOf } from './evaluate.ts';
import type { Expr, Value } from './expression.ts';
import { evaluateExpression } from './expression.ts';
import type { Entity } from './records.ts';
import type { DatasetDef, IndicatorDef } from './schema.ts';

/** A blank printed cell: nothing to reproduce, only a figure the report could have given. */
const BLANK: Diagnosis = { code: 'blank', message: 'в отчёте ячейка пуста, а данные позволяют вычислить значение: впишите его или объясните пропуск', formula: '' };

export interface AggregateValue {
  id: string;
  group: string | null;
  unrounded: number | null;
}

/** Sets `diagnosis` on every discrepancy (in place). */
export function attachDiagnoses(
  c: Compiled, ds: DatasetDef, entities: readonly Entity[], perEntity: ReadonlyMap<string, Record<string, IndicatorResult>>,
  aggregates: readonly AggregateValue[], discrepancies: Discrepancy[],
): void {
  // Every recompute passes here; most (a campaign's forms, a region) have no printed figures and so nothing to explain.
  if (!discrepancies.length) return;
  const m = c.methodology;
  const byKey = new Map(entities.map((e) => [e.key, e]));
  const othersCache = new Map<string, OtherValues>();
  const othersOf = (indicator: string): OtherValues => {
    let index = othersCache.get(indicator);
    if (!index) {
      const list: OtherValue[] = [];
      for (const e of entities) {
        if (e.key === ds.total_row) continue;
        const v = perEntity.get(e.key)?.[indicator]?.unrounded;
        if (typeof v === 'number') list.push({ organisation: e.key, value: v });
      }
      othersCache.set(indicator, (index = new OtherValues(list)));
    }
    return index;
  };
  // The denominators of each ratio indicator in every row (the totals row included), once per indicator.
  const denominatorsCache = new Map<string, OtherValue[]>();
  const denominatorsOf = (indicator: string): OtherValue[] => {
    let list = denominatorsCache.get(indicator);
    if (!list) {
      list = [];
      const def = m.indicators[indicator];
      const expr = c.byId.get(indicator)?.expr ?? null;
      for (const e of entities) {
        const inputs = perEntity.get(e.key)?.[indicator]?.inputs;
        const shape = def && inputs ? shapeOf(def, expr, inputs) : null;
        if (shape?.kind === 'ratio') list.push({ organisation: e.key, value: shape.denominator });
      }
      denominatorsCache.set(indicator, list);
    }
    return list;
  };
  for (const d of discrepancies) d.diagnosis = diagnose(d);

  function diagnose(d: Discrepancy): Diagnosis[] {
    if (d.published === '') return [BLANK];
    if (d.field === 'aggregate') {
      if (d.organisation === null) {
        const a = aggregates.find((x) => x.id === d.indicator && x.group === null);
        const def = m.aggregates?.[d.indicator];
        if (!a || a.unrounded === null || typeof d.published !== 'number') return [NOT_FOUND];
        const printed = { value: d.published, digits: digitsOf(d.published) };
        const rows = entities.filter((e) => e.key !== ds.total_row).map((e) => ({ values: e.values, results: perEntity.get(e.key) ?? {} }));
        const other = def ? diagnoseAggregate(def, rows, printed) : [];
        const usual = diagnoseValue({ printed, exact: a.unrounded, round: def?.round });
        // Another aggregation is a rounding/base mistake of its own: listed first, and «not found» only when nothing is.
        return other.length ? [...other, ...usual.filter((x) => x.code !== 'not_found')] : usual;
      }
      if (typeof d.published !== 'number') return [NOT_FOUND];
      const parts: OtherValue[] = [];
      for (const e of entities) {
        const v = e.values[d.indicator];
        if (e.key !== d.organisation && typeof v === 'number') parts.push({ organisation: e.key, value: v });
      }
      return diagnoseTotal({ printed: d.published, parts });
    }
    const e = d.organisation === null ? undefined : byKey.get(d.organisation);
    const r = e ? perEntity.get(e.key)?.[d.indicator] : undefined;
    const def = m.indicators[d.indicator];
    if (!e || !r || !def) return [NOT_FOUND];
    if (d.field === 'level') {
      const scale = scaleOf(m, def);
      if (r.unrounded === null || typeof d.published !== 'string' || !scale || scale.bounds === 'unspecified') return [NOT_FOUND];
      const earlier = (c.earlier ?? []).flatMap((e) => {
        const old = e.methodology.indicators[d.indicator];
        const oldScale = old ? scaleOf(e.methodology, old) : undefined;
        return old && oldScale && oldScale.bounds !== 'unspecified' ? [{ version: e.version, round: old.round, bands: oldScale.bands }] : [];
      });
      return diagnoseLevel({ printed: d.published, exact: r.unrounded, round: def.round, bands: scale.bands, earlier });
    }
    const column = (ds.published ?? []).find((p) => p.indicator === d.indicator && p.field === d.field)?.column;
    const printed = column === undefined ? null : parsePrinted(e.published[column] ?? '');
    const exact = d.field === 'points' ? r.points : r.unrounded;
    if (!printed || exact === null) return [NOT_FOUND];
    if (d.field === 'points') return diagnoseValue({ printed, exact });
    return diagnoseValue({
      printed, exact, round: def.round, shape: shapeOf(def, c.byId.get(d.indicator)?.expr ?? null, r.inputs), others: othersOf(d.indicator), self: e.key,
      denominators: denominatorsOf(d.indicator), ...(ds.total_row ? { total: ds.total_row } : {}),
    });
  }
}

/** The formula's shape: `a / b`, `a / b × k`, `share(a, b)`, `(x − y) / y × 100`, or the loyalty index. */
export function shapeOf(def: IndicatorDef, expr: Expr | null, env: Readonly<Record<string, Value>>): FormulaShape | null {
  const num = (x: Expr | undefined): number | null => {
    if (!x) return null;
    const v = evaluateExpression(x, env).value;
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  };
  if (def.loyalty) {
    const l = def.loyalty;
    const get = (n: string | undefined) => (n === undefined ? null : typeof env[n] === 'number' ? (env[n] as number) : null);
    const promoters = get(l.promoters);
    const critics = get(l.critics);
    const respondents = get(l.respondents) ?? (promoters !== null && critics !== null ? promoters + critics + (get(l.neutrals) ?? 0) : null);
    return promoters !== null && critics !== null && respondents !== null ? { kind: 'loyalty', promoters, critics, respondents } : null;
  }
  if (!expr) return null;
  let body = expr;
  let multiplier = 1;
  if (expr.kind === 'binary' && expr.op === '*') {
    if (expr.right.kind === 'num') [body, multiplier] = [expr.left, expr.right.value];
    else if (expr.left.kind === 'num') [body, multiplier] = [expr.right, expr.left.value];
  }
  let top: Expr | undefined;
  let bottom: Expr | undefined;
  if (body.kind === 'call' && body.fn === 'share' && multiplier === 1) [top, bottom, multiplier] = [body.args[0], body.args[1], 100];
  else if (body.kind === 'binary' && body.op === '/') [top, bottom] = [body.left, body.right];
  else return null;
  const numerator = num(top);
  const denominator = num(bottom);
  if (numerator === null || denominator === null || denominator === 0) return null;
  if (top?.kind === 'binary' && top.op === '-') {
    const later = num(top.left);
    const earlier = num(top.right);
    if (later !== null && earlier !== null) return { kind: 'ratio', numerator, denominator, multiplier, difference: { later, earlier } };
  }
  return { kind: 'ratio', numerator, denominator, multiplier };
}
