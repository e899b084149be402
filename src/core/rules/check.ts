/** Pure checks of an organisation's submission: which inputs its form shows, whether a typed value fits its input,
 * completeness, and the findings of the methodology's rules (required inputs, min/max, evidence links, expression
 * rules, change against the previous campaign). No I/O, no clock. */
import { formatNumber, roundHalfUp } from '../format.ts';
import { checkNames, evaluateExpression, parseExpression, referencedNames, type Expr, type Value } from '../methodology/expression.ts';
import type { InputDef, Methodology } from '../methodology/schema.ts';
import { DEFAULT_CHANGE_FACTOR, type ChangeRuleDef, type ExpressionRuleDef, type RuleDef } from './schema.ts';

export type FieldValue = number | boolean | string | null;
export type FieldType = InputDef['type'];

export interface FormField {
  name: string;
  type: FieldType;
  title: string;
  unit: string | null;
  hint: string | null;
  min: number | null;
  max: number | null;
  required: boolean;
  values: string[] | null;
  /** For boolean inputs: a link confirming «да» (a page of the organisation's site, a document). */
  evidence: 'required' | 'optional' | null;
}

export interface CurrentValue {
  value: FieldValue;
  evidenceUrl: string | null;
}

export type FindingKind = 'required' | 'range' | 'evidence' | 'rule' | 'change';

export interface Finding {
  /** Rule id, or `required:<input>` / `range:<input>` / `evidence:<input>` for the built-in checks. */
  id: string;
  kind: FindingKind;
  severity: 'error' | 'warning';
  message: string;
  inputs: string[];
  /** A finding of one row of a per-dimension table (src/core/rules/dimensional.ts): its subject × grade. */
  dimensions?: Record<string, string>;
}

export interface Completeness {
  filled: number;
  required: number;
  /** 0–100, rounded down to an integer; 100 when nothing is required. */
  percent: number;
}

const isExpressionRule = (r: RuleDef): r is ExpressionRuleDef => 'expr' in r;
const isChangeRule = (r: RuleDef): r is ChangeRuleDef => 'kind' in r && r.kind === 'change';

/** The inputs an organisation fills: those of the methodology's organisation-level datasets (in the order of
 * `inputs`), or every input when the methodology declares no datasets. Survey inputs (`score`) and respondent-level
 * datasets are never part of an organisation's form. */
export function formFields(m: Methodology): FormField[] {
  const datasets = Object.values(m.datasets ?? {});
  let names: Set<string>;
  if (datasets.length === 0) names = new Set(Object.keys(m.inputs));
  else {
    names = new Set();
    for (const ds of datasets) {
      if (ds.unit !== 'organisation' || ds.responses || ds.dimensions) continue;
      for (const n of Object.keys(ds.columns)) names.add(n);
      for (const n of Object.keys(ds.evidence_columns ?? {})) names.add(n);
    }
  }
  return Object.entries(m.inputs)
    .filter(([name, def]) => names.has(name) && def.type !== 'score')
    .map(([name, def]) => fieldOf(name, def));
}

/** The form field of an input. */
export function fieldOf(name: string, def: InputDef): FormField {
  return {
    name,
    type: def.type,
    title: def.title,
    unit: def.unit ?? (def.type === 'percent' ? '%' : null),
    hint: def.hint ?? null,
    min: def.min ?? (def.type === 'percent' ? 0 : null),
    max: def.max ?? (def.type === 'percent' ? 100 : null),
    required: def.required ?? true,
    values: def.values ?? null,
    evidence: def.type === 'boolean' ? (def.evidence ?? null) : null,
  };
}

/** Checks a value's type against its field (min/max are findings, not type errors: a draft may hold them). */
export function parseFieldValue(field: FormField, raw: unknown): { ok: true; value: FieldValue } | { ok: false; message: string } {
  if (raw === null || raw === undefined || raw === '') return { ok: true, value: null };
  switch (field.type) {
    case 'integer':
      return typeof raw === 'number' && Number.isInteger(raw) ? { ok: true, value: raw } : { ok: false, message: 'Введите целое число' };
    case 'number':
    case 'percent':
    case 'score':
      return typeof raw === 'number' && Number.isFinite(raw) ? { ok: true, value: raw } : { ok: false, message: 'Введите число' };
    case 'boolean':
      return typeof raw === 'boolean' ? { ok: true, value: raw } : { ok: false, message: 'Выберите «да» или «нет»' };
    case 'enum':
      return typeof raw === 'string' && (field.values ?? []).includes(raw)
        ? { ok: true, value: raw }
        : { ok: false, message: `Выберите одно из значений: ${(field.values ?? []).join(', ')}` };
    case 'date':
      return typeof raw === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(raw) && !Number.isNaN(Date.parse(`${raw}T00:00:00Z`))
        ? { ok: true, value: raw }
        : { ok: false, message: 'Введите дату в формате ДД.ММ.ГГГГ' };
  }
}

/** An evidence link must be an absolute http(s) address. */
export function parseEvidenceUrl(raw: unknown): { ok: true; value: string | null } | { ok: false; message: string } {
  if (raw === null || raw === undefined || raw === '') return { ok: true, value: null };
  if (typeof raw !== 'string' || raw.length > 2000) return { ok: false, message: 'Укажите адрес страницы (https://…)' };
  try {
    const u = new URL(raw.trim());
    if (u.protocol === 'http:' || u.protocol === 'https:') return { ok: true, value: u.toString() };
  } catch {
    /* not a URL */
  }
  return { ok: false, message: 'Укажите адрес страницы, начинающийся с http:// или https://' };
}

export function completeness(fields: readonly FormField[], values: Readonly<Record<string, CurrentValue>>): Completeness {
  const required = fields.filter((f) => f.required);
  const filled = required.filter((f) => (values[f.name]?.value ?? null) !== null).length;
  return { filled, required: required.length, percent: required.length === 0 ? 100 : Math.floor((filled * 100) / required.length) };
}

export interface CompiledRule {
  def: ExpressionRuleDef;
  expr: Expr;
  names: string[];
}

export interface RuleCompileError {
  ruleId: string;
  /** Path in the document, `rules[0].expr`. */
  path: string;
  message: string;
}

/** Parses the expression rules and checks that they name only inputs; change rules must name numeric inputs. */
export function compileRules(m: Methodology): { ok: true; rules: CompiledRule[]; change: ChangeRuleDef } | { ok: false; errors: RuleCompileError[] } {
  const errors: RuleCompileError[] = [];
  const compiled: CompiledRule[] = [];
  const known = new Set(Object.keys(m.inputs));
  const seen = new Set<string>();
  let change: ChangeRuleDef | null = null;
  for (const [i, r] of (m.rules ?? []).entries()) {
    if (seen.has(r.id)) errors.push({ ruleId: r.id, path: `rules[${i}].id`, message: `правило «${r.id}» объявлено дважды` });
    seen.add(r.id);
    if (isExpressionRule(r)) {
      const p = parseExpression(r.expr);
      if (!p.ok) {
        errors.push({ ruleId: r.id, path: `rules[${i}].expr`, message: `правило «${r.id}»: ${p.error.message} (позиция ${p.error.column})` });
        continue;
      }
      const bad = checkNames(p.expr, known);
      if (bad) {
        errors.push({ ruleId: r.id, path: `rules[${i}].expr`, message: `правило «${r.id}»: ${bad.message}` });
        continue;
      }
      compiled.push({ def: r, expr: p.expr, names: referencedNames(p.expr) });
    } else if (isChangeRule(r)) {
      if (change) errors.push({ ruleId: r.id, path: `rules[${i}]`, message: `правило сравнения с прошлым мониторингом может быть только одно («${r.id}»)` });
      for (const n of r.inputs ?? []) {
        const t = m.inputs[n]?.type;
        if (t !== 'integer' && t !== 'number' && t !== 'percent') errors.push({ ruleId: r.id, path: `rules[${i}].inputs`, message: `правило «${r.id}»: «${n}» — не числовой вход` });
      }
      change = r;
    }
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, rules: compiled, change: change ?? { id: 'change', kind: 'change' } };
}

/** Rule errors as lint items of the methodology document (src/core/methodology/lint.ts reports them). */
export function lintRules(m: Methodology): { path: string; message: string }[] {
  const c = compileRules(m);
  return c.ok ? [] : c.errors.map((e) => ({ path: e.path, message: e.message }));
}

function show(v: FieldValue): string {
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return v ? 'да' : 'нет';
  return v === null ? '—' : v;
}

/** Evaluates one expression rule: null when it holds or is skipped, else the finding. */
export function evaluateRule(rule: CompiledRule, env: Readonly<Record<string, Value>>): Finding | null {
  const { def } = rule;
  const missing = rule.names.filter((n) => env[n] === undefined || env[n] === null);
  const finding = (suffix: string): Finding => ({
    id: def.id,
    kind: 'rule',
    severity: def.severity,
    message: `${def.message}${suffix}`,
    inputs: rule.names,
  });
  if (missing.length) return (def.when_missing ?? 'skip') === 'skip' ? null : finding(` (нет данных: ${missing.join(', ')})`);
  const r = evaluateExpression(rule.expr, env);
  if (r.value === true) return null;
  if (r.value === false) return finding('');
  if (r.value === null) return (def.when_missing ?? 'skip') === 'skip' ? null : finding(` (${r.reason ?? 'нет данных'})`);
  return finding(' (условие правила не дало «да» или «нет»)');
}

/** Compares numeric values with the organisation's previous campaign of the same methodology. */
export function changeFindings(
  fields: readonly FormField[],
  rule: ChangeRuleDef,
  current: Readonly<Record<string, FieldValue>>,
  previous: Readonly<Record<string, FieldValue>>,
): Finding[] {
  const factor = rule.factor ?? DEFAULT_CHANGE_FACTOR;
  const wanted = rule.inputs ? new Set(rule.inputs) : null;
  const out: Finding[] = [];
  for (const f of fields) {
    if (f.type !== 'integer' && f.type !== 'number' && f.type !== 'percent') continue;
    if (wanted && !wanted.has(f.name)) continue;
    const cur = current[f.name];
    const prev = previous[f.name];
    if (typeof cur !== 'number' || typeof prev !== 'number' || prev <= 0 || cur < 0) continue;
    const ratio = cur / prev;
    if (ratio <= factor && ratio >= 1 / factor) continue;
    const how = ratio > factor ? `больше в ${formatNumber(roundHalfUp(ratio, 2))} раза` : cur === 0 ? 'уменьшилось до нуля' : `меньше в ${formatNumber(roundHalfUp(prev / cur, 2))} раза`;
    out.push({
      id: `${rule.id}:${f.name}`,
      kind: 'change',
      severity: 'warning',
      message: rule.message
        ? `${f.title}: ${rule.message}`
        : `«${f.title}»: ${show(cur)} — ${how}, чем в прошлом мониторинге (${show(prev)}); допустимое изменение — не более чем в ${formatNumber(factor)} раза. Проверьте значение или поясните в комментарии.`,
      inputs: [f.name],
    });
  }
  return out;
}

export interface CheckInput {
  fields: readonly FormField[];
  rules: readonly CompiledRule[];
  change: ChangeRuleDef;
  values: Readonly<Record<string, CurrentValue>>;
  /** The organisation's values in its previous campaign of the same methodology, or null when there is none. */
  previous: Readonly<Record<string, FieldValue>> | null;
}

/** The built-in checks of fields: required, min/max, evidence link. */
export function fieldFindings(fields: readonly FormField[], values: Readonly<Record<string, CurrentValue>>): Finding[] {
  const out: Finding[] = [];
  for (const f of fields) {
    const v = values[f.name]?.value ?? null;
    if (v === null) {
      if (f.required) out.push({ id: `required:${f.name}`, kind: 'required', severity: 'error', message: `Не заполнено обязательное поле «${f.title}»`, inputs: [f.name] });
      continue;
    }
    if (typeof v === 'number') {
      if (f.min !== null && v < f.min) out.push({ id: `range:${f.name}`, kind: 'range', severity: 'error', message: `«${f.title}»: значение ${show(v)} меньше допустимого (${show(f.min)})`, inputs: [f.name] });
      if (f.max !== null && v > f.max) out.push({ id: `range:${f.name}`, kind: 'range', severity: 'error', message: `«${f.title}»: значение ${show(v)} больше допустимого (${show(f.max)})`, inputs: [f.name] });
    }
    if (f.evidence === 'required' && v === true && !values[f.name]?.evidenceUrl) {
      out.push({ id: `evidence:${f.name}`, kind: 'evidence', severity: 'error', message: `«${f.title}»: укажите ссылку на подтверждение (страницу сайта ОО или документ)`, inputs: [f.name] });
    }
  }
  return out;
}

/** Every finding of a submission, errors first, in field order. */
export function checkSubmission(c: CheckInput): Finding[] {
  const out: Finding[] = fieldFindings(c.fields, c.values);
  const env: Record<string, Value> = {};
  for (const [k, v] of Object.entries(c.values)) env[k] = v.value;
  for (const r of c.rules) {
    const f = evaluateRule(r, env);
    if (f) out.push(f);
  }
  if (c.previous) {
    const current: Record<string, FieldValue> = {};
    for (const [k, v] of Object.entries(c.values)) current[k] = v.value;
    out.push(...changeFindings(c.fields, c.change, current, c.previous));
  }
  return [...out.filter((f) => f.severity === 'error'), ...out.filter((f) => f.severity === 'warning')];
}
