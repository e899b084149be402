/** Methodology + one entity's input values → indicator results with value, band, level, points and a Russian
 * explanation. Pure: the result depends only on the document and the data. */
import { formatNumber, roundHalfUp } from '../format.ts';
import type { Expr, ExprError, Value } from './expression.ts';
import { checkNames, evaluateExpression, parseExpression, referencedNames, renderExpression, showValue } from './expression.ts';
import { bandChain, valueChain } from './explain.ts';
import { bandContains, bandName, describeBand } from './scale.ts';
import type { IndicatorDef, LevelCode, Methodology, ScaleDef } from './schema.ts';
import { LEVEL_NAMES } from './schema.ts';
import { loyaltyFromCounts, loyaltyFromScores } from './survey.ts';

export interface CompiledIndicator {
  id: string;
  def: IndicatorDef;
  expr: Expr | null;
  /** Inputs and indicators it depends on. */
  uses: string[];
  /** The formula with names (`programmes / students × 100`), rendered once. */
  formulaText: string;
}
export interface CompileError extends ExprError {
  /** Path in the document, e.g. `indicators.diversity_index.formula`. */
  path: string;
}
export interface Compiled {
  methodology: Methodology;
  /** Earlier versions of the same methodology (newest first), when the caller knows them: the diagnosis of a printed
   * level tries their bands (diagnosis.ts, `earlier_version_band`). */
  earlier?: { version: string; methodology: Methodology }[];
  /** Indicators in dependency order. */
  order: CompiledIndicator[];
  byId: Map<string, CompiledIndicator>;
}

/** Parses every formula, checks names and cycles. Errors carry the path and the line/column inside the formula. */
export function compileMethodology(m: Methodology): { ok: true; compiled: Compiled } | { ok: false; errors: CompileError[] } {
  const errors: CompileError[] = [];
  const known = new Set([...Object.keys(m.inputs), ...Object.keys(m.indicators)]);
  const byId = new Map<string, CompiledIndicator>();
  for (const [id, def] of Object.entries(m.indicators)) {
    if (m.inputs[id]) errors.push({ path: `indicators.${id}`, message: `имя «${id}» занято входом`, line: 1, column: 1 });
    let expr: Expr | null = null;
    let uses: string[] = [];
    if (def.formula === undefined && def.loyalty === undefined && def.measure_note !== undefined) {
      // Named by the source without a measure: declared, never computed.
    } else if ((def.formula === undefined) === (def.loyalty === undefined)) {
      errors.push({ path: `indicators.${id}`, message: 'у показателя должна быть ровно одна из частей: formula или loyalty (или measure_note, если источник не задаёт меру)', line: 1, column: 1 });
    } else if (def.formula !== undefined) {
      const parsed = parseExpression(def.formula);
      if (!parsed.ok) errors.push({ path: `indicators.${id}.formula`, ...parsed.error });
      else {
        const unknown = checkNames(parsed.expr, known);
        if (unknown) errors.push({ path: `indicators.${id}.formula`, ...unknown });
        else {
          expr = parsed.expr;
          uses = referencedNames(parsed.expr);
          for (const u of uses) {
            const t = m.inputs[u]?.type;
            if (t === 'date' || t === 'score')
              errors.push({ path: `indicators.${id}.formula`, message: `вход «${u}» типа ${t} нельзя использовать в формуле`, line: 1, column: 1 });
          }
        }
      }
    } else if (def.loyalty) {
      const l = def.loyalty;
      const names = [l.promoters, l.neutrals, l.critics, l.respondents, l.scores].filter((x): x is string => x !== undefined);
      for (const n of names) if (!m.inputs[n]) errors.push({ path: `indicators.${id}.loyalty`, message: `неизвестный вход «${n}»`, line: 1, column: 1 });
      if (l.scores === undefined && (l.promoters === undefined || l.critics === undefined))
        errors.push({ path: `indicators.${id}.loyalty`, message: 'нужны либо scores, либо promoters и critics', line: 1, column: 1 });
      uses = names;
    }
    if (def.min_respondents && !m.inputs[def.min_respondents.input])
      errors.push({ path: `indicators.${id}.min_respondents`, message: `неизвестный вход «${def.min_respondents.input}»`, line: 1, column: 1 });
    const formulaText = expr ? renderExpression(expr, null) : def.loyalty ? 'индекс лояльности: % сторонников (9–10) − % критиков (0–6)' : '';
    byId.set(id, { id, def, expr, uses, formulaText });
  }
  // Topological order; a cycle is an error naming its members.
  const order: CompiledIndicator[] = [];
  const state = new Map<string, 1 | 2>();
  const visit = (id: string, stack: string[]): void => {
    const s = state.get(id);
    if (s === 2) return;
    if (s === 1) {
      errors.push({ path: `indicators.${id}`, message: `циклическая зависимость: ${[...stack.slice(stack.indexOf(id)), id].join(' → ')}`, line: 1, column: 1 });
      return;
    }
    state.set(id, 1);
    const c = byId.get(id) as CompiledIndicator;
    for (const u of c.uses) if (byId.has(u)) visit(u, [...stack, id]);
    state.set(id, 2);
    order.push(c);
  };
  for (const id of byId.keys()) visit(id, []);
  if (errors.length) return { ok: false, errors };
  return { ok: true, compiled: { methodology: m, order, byId } };
}

export interface IndicatorResult {
  entity: string;
  indicator: string;
  value: number | null;
  unrounded: number | null;
  level: LevelCode | null;
  levelName: string | null;
  points: number | null;
  band: { index: number; bounds: string; label: string | null } | null;
  inputs: Record<string, Value>;
  formula: string;
  substituted: string;
  reason: string | null;
  suppressed: boolean;
  explanation: string;
  /** Data warnings raised while computing (value outside the printed range, groups not adding up…). */
  warnings: string[];
}

export interface EntityData {
  key: string;
  values: Record<string, Value>;
  /** Raw answers of `score` inputs (datasets of responses). */
  scores?: Record<string, number[]>;
}

/** What a result in a band carries, the same for every result in it at these digits: its `band` (one object, shared —
 * results are read, never changed), and the text the explanation ends with (` → «высокий» (≥ 50,0) → 2 балла`). Built
 * once per band × digits instead of once per organisation × indicator (a recompute of 3 000 schools × 48 works makes
 * 2,7 million results, docs/performance.md). */
interface BandFacts { band: NonNullable<IndicatorResult['band']>; levelName: string | null; tail: string | null }
const bandCache = new WeakMap<object, Map<number, BandFacts>>();
function bandFacts(b: ScaleDef['bands'][number], index: number, digits: number | undefined): BandFacts {
  let byDigits = bandCache.get(b);
  if (!byDigits) bandCache.set(b, (byDigits = new Map()));
  const key = digits ?? -1;
  let facts = byDigits.get(key);
  if (facts === undefined) {
    const bounds = describeBand(b, digits);
    facts = { band: { index, bounds, label: b.label ?? null }, levelName: bandName(b), tail: null };
    byDigits.set(key, facts);
  }
  return facts;
}
/** ` → «уровень» (границы) → N баллов`: the end of the explanation of a result in this band. */
function bandTail(f: BandFacts, points: number | null): string {
  return (f.tail ??= ` → ${bandChain({ levelName: f.levelName, bounds: f.band.bounds, points })}`);
}

/** No warnings: one frozen array shared by every result without any (most of them); `warn` gives a result its own. */
const NO_WARNINGS: string[] = Object.freeze([]) as unknown as string[];
function warn(r: IndicatorResult, text: string): void {
  if (r.warnings === NO_WARNINGS) r.warnings = [text];
  else r.warnings.push(text);
}

/** Whether evaluating the indicator can give a warning (every `warn` of `evaluateIndicator`): a loyalty index, a
 * possible minimum or maximum, or a scale with bands whose edges are known. An indicator without any of these never
 * warns, whatever the data. */
export function canWarn(m: Methodology, def: IndicatorDef): boolean {
  if (def.loyalty || def.min !== undefined || def.max !== undefined) return true;
  const scale = def.scale === 'none' ? null : scaleOf(m, def);
  return scale !== null && scale.bounds !== 'unspecified';
}

export function scaleOf(m: Methodology, def: IndicatorDef): ScaleDef | null {
  if (!def.scale || def.scale === 'none') return null;
  return m.scales?.[def.scale] ?? null;
}

const planCache = new WeakMap<Compiled, Map<string, CompiledIndicator[]>>();

/** The indicators to evaluate for `wanted`, with their dependencies, in dependency order (memoised per compiled document). */
function plan(c: Compiled, wanted: readonly string[]): CompiledIndicator[] {
  let byKey = planCache.get(c);
  if (!byKey) planCache.set(c, (byKey = new Map()));
  const key = wanted.join('\u0000');
  const cached = byKey.get(key);
  if (cached) return cached;
  const needed = new Set<string>();
  const need = (id: string) => {
    if (needed.has(id)) return;
    needed.add(id);
    for (const u of c.byId.get(id)?.uses ?? []) if (c.byId.has(u)) need(u);
  };
  wanted.forEach(need);
  const steps = c.order.filter((ci) => needed.has(ci.id));
  byKey.set(key, steps);
  return steps;
}

export interface EvaluateOptions {
  /** Build the Russian texts (`substituted`, `explanation`); default true. With false they are left empty and
   * everything else (value, band, level, points, reason, warnings) is the same: for a computation nobody reads the
   * texts of, such as the region's statistics (issue 23). `explainResult` gives the text of a figure when it is shown. */
  explain?: boolean;
}

/** Evaluates the listed indicators (and what they depend on) for one entity. */
export function evaluateEntity(c: Compiled, wanted: readonly string[], entity: EntityData, opts: EvaluateOptions = {}): IndicatorResult[] {
  const explain = opts.explain !== false;
  const env: Record<string, Value> = { ...entity.values };
  const out = new Map<string, IndicatorResult>();
  for (const ci of plan(c, wanted)) {
    const r = evaluateIndicator(c.methodology, ci, entity, env, explain);
    env[ci.id] = r.value;
    out.set(ci.id, r);
  }
  return wanted.map((w) => out.get(w) as IndicatorResult);
}

/** The texts of one indicator's result for `entity`, computed when the figure is opened: exactly what `evaluateEntity`
 * writes eagerly (the same code, run again for this indicator and what it depends on). */
export function explainResult(c: Compiled, entity: EntityData, indicator: string): Pick<IndicatorResult, 'substituted' | 'explanation'> {
  const [r] = evaluateEntity(c, [indicator], entity);
  if (!r) throw new Error(`unknown indicator ${indicator}`);
  return { substituted: r.substituted, explanation: r.explanation };
}

function evaluateIndicator(m: Methodology, ci: CompiledIndicator, entity: EntityData, env: Record<string, Value>, explain: boolean): IndicatorResult {
  const def = ci.def;
  const digits = def.round;
  const inputs: Record<string, Value> = {};
  for (const u of ci.uses) inputs[u] = env[u] ?? null;
  // One object, filled in place (no spreads: this runs for every organisation × indicator).
  const result: IndicatorResult = {
    entity: entity.key, indicator: ci.id, value: null, unrounded: null, level: null, levelName: null, points: null, band: null,
    inputs, formula: ci.formulaText, substituted: '', reason: null, suppressed: false, explanation: '', warnings: NO_WARNINGS,
  };
  if (def.min_respondents) {
    const n = env[def.min_respondents.input];
    if (typeof n === 'number' && n < def.min_respondents.min) {
      result.reason = 'мало респондентов';
      result.suppressed = true;
      if (explain) result.explanation = `респондентов ${formatNumber(n)} — меньше ${formatNumber(def.min_respondents.min)}: значение не публикуется`;
      return result;
    }
  }
  if (!ci.expr && !def.loyalty) {
    result.formula = '';
    result.reason = `мера показателя в источнике не определена: ${def.measure_note ?? ''}`;
    if (explain) result.explanation = result.reason;
    return result;
  }
  let raw: Value;
  let reason: string | null = null;
  if (ci.expr) {
    const ev = evaluateExpression(ci.expr, env);
    raw = ev.value;
    reason = ev.reason ?? null;
    if (explain) result.substituted = renderExpression(ci.expr, env);
  } else {
    const l = def.loyalty as NonNullable<IndicatorDef['loyalty']>;
    const num = (n?: string) => (n === undefined ? undefined : typeof env[n] === 'number' ? (env[n] as number) : null);
    const lr = l.scores !== undefined
      ? loyaltyFromScores(entity.scores?.[l.scores] ?? [])
      : loyaltyFromCounts({ promoters: num(l.promoters) ?? null, critics: num(l.critics) ?? null, neutrals: num(l.neutrals), respondents: num(l.respondents) });
    raw = lr.value;
    reason = lr.reason ?? null;
    if (explain) result.substituted = lr.text;
    if (lr.warning) warn(result, lr.warning);
  }
  const substituted = result.substituted;
  // A yes/no indicator («наличие …», «отсутствие …»): 1 for «да», 0 for «нет», so it has a value, can be counted and
  // banded like any other; the explanation says «да»/«нет».
  const yesNo = typeof raw === 'boolean' ? (raw ? 'да' : 'нет') : null;
  if (typeof raw === 'boolean') raw = raw ? 1 : 0;
  if (raw === null || typeof raw !== 'number') {
    const why = raw === null ? (reason ?? 'нет данных') : `результат не число (${showValue(raw)})`;
    result.reason = why;
    if (explain) result.explanation = `${substituted} — нет данных (${why})`;
    return result;
  }
  const value = digits === undefined ? raw : roundHalfUp(raw, digits);
  let explanation = explain ? (yesNo !== null ? `${substituted} → ${yesNo}` : `${substituted} ${valueChain(raw, digits)}`) : '';
  result.value = value;
  result.unrounded = raw;
  if (def.min !== undefined && value < def.min) warn(result, `значение ${formatNumber(value)} меньше возможного минимума ${formatNumber(def.min)}`);
  if (def.max !== undefined && value > def.max) warn(result, `значение ${formatNumber(value)} больше возможного максимума ${formatNumber(def.max)}`);
  const scale = scaleOf(m, def);
  if (def.scale === 'none') {
    if (explain) explanation += ' (шкала в источнике не задана)';
  } else if (scale && scale.bounds === 'unspecified') {
    if (explain) explanation += ' → уровень не определён: границы полос в источнике не указаны';
  } else if (scale) {
    const idx = scale.bands.findIndex((b) => bandContains(b, value));
    if (idx < 0) {
      if (explain) explanation += ' → не попадает ни в одну полосу шкалы';
      warn(result, `значение ${formatNumber(value, digits)} не попадает ни в одну полосу шкалы «${def.scale}»`);
    } else {
      const b = scale.bands[idx] as NonNullable<ScaleDef['bands'][number]>;
      const facts = bandFacts(b, idx, digits);
      result.band = facts.band;
      result.level = b.level ?? null;
      result.levelName = facts.levelName;
      result.points = b.points ?? null;
      if (explain) explanation += bandTail(facts, result.points);
      if (b.to === undefined && b.nominal_to !== undefined && value > b.nominal_to)
        warn(result, `значение ${formatNumber(value, digits)} больше верхнего края ${formatNumber(b.nominal_to, digits)}, указанного в документе для полосы${b.level ? ` «${LEVEL_NAMES[b.level]}»` : ''}`);
      if (b.from === undefined && b.nominal_from !== undefined && value < b.nominal_from)
        warn(result, `значение ${formatNumber(value, digits)} меньше нижнего края ${formatNumber(b.nominal_from, digits)}, указанного в документе`);
    }
  }
  result.explanation = explanation;
  return result;
}
