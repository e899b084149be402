/** What changed between two versions of a methodology, in words a methodologist reads (issue 15, item 2):
 * «показатель 2.1: полоса «средний»: было 2,6–5,0, стало 2,6–5,5». Header fields, inputs, indicators (formula,
 * rounding, target, scale), the bands of each scale (matched by level, else by place), criteria and their maxima, the
 * total, aggregates, tables and rules. Pure. */
import { formatNumber } from '../format.ts';
import { describeBounds } from './scale.ts';
import type { AggregateDef, Band, IndicatorDef, InputDef, Methodology, ScaleDef } from './schema.ts';
import { AGGREGATE_METHOD_NAMES, LEVEL_NAMES } from './schema.ts';

export interface VersionChange {
  /** Where in the methodology: `indicators.diversity_index.formula`, `scales.s2_1.bands[2]`. */
  path: string;
  /** The change in Russian. */
  text: string;
}

/** Quoted; a long text (a goal, a formula) cut to its first 120 characters. */
const q = (s: string) => `«${s.length > 120 ? `${s.slice(0, 119).trimEnd()}…` : s}»`;
const num = (n: number | undefined, digits?: number) => (n === undefined ? 'не указано' : formatNumber(n, digits));
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function changed(out: VersionChange[], path: string, what: string, was: string, now: string): void {
  if (was !== now) out.push({ path, text: `${what}: было ${was}, стало ${now}` });
}

const HEADER: [keyof Methodology, string][] = [
  ['title', 'название'],
  ['direction', 'направление'],
  ['source', 'документ-источник'],
  ['goal', 'цель'],
  ['expected_result', 'ожидаемый результат'],
];

function indicatorName(id: string, def: IndicatorDef | undefined): string {
  return def?.code ? `показатель ${def.code}` : `показатель ${q(def?.title ?? id)}`;
}

function bandText(b: Band, digits?: number): string {
  const points = b.points === undefined ? '' : ` → ${formatNumber(b.points)} б.`;
  return `${describeBounds(b, digits)}${points}`;
}

function bandLabel(b: Band, i: number): string {
  return b.level ? `полоса ${q(LEVEL_NAMES[b.level])}` : b.label ? `полоса ${q(b.label)}` : `полоса ${i + 1}`;
}

/** Bands paired by level when every band of both has a distinct level, else by place. */
function pairBands(a: Band[], b: Band[]): [Band | undefined, Band | undefined, number][] {
  const levels = (bs: Band[]) => bs.map((x) => x.level);
  const byLevel = [...levels(a), ...levels(b)].every((l) => l !== undefined) && new Set(levels(a)).size === a.length && new Set(levels(b)).size === b.length;
  if (!byLevel) return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => [a[i], b[i], i]);
  const out: [Band | undefined, Band | undefined, number][] = a.map((x, i) => [x, b.find((y) => y.level === x.level), i]);
  b.forEach((y, i) => {
    if (!a.some((x) => x.level === y.level)) out.push([undefined, y, i]);
  });
  return out;
}

function diffScale(out: VersionChange[], name: string, owner: string, a: ScaleDef, b: ScaleDef, digits?: number): void {
  const path = `scales.${name}`;
  if (a.bounds !== b.bounds) out.push({ path: `${path}.bounds`, text: `${owner}: ${b.bounds === 'unspecified' ? 'границы полос больше не указаны' : 'границы полос указаны'}` });
  for (const [x, y, i] of pairBands(a.bands, b.bands)) {
    const where = `${path}.bands[${i}]`;
    if (x && !y) out.push({ path: where, text: `${owner}: удалена ${bandLabel(x, i)} (${bandText(x, digits)})` });
    else if (!x && y) out.push({ path: where, text: `${owner}: добавлена ${bandLabel(y, i)} (${bandText(y, digits)})` });
    else if (x && y) {
      const label = bandLabel(y, i);
      changed(out, where, `${owner}: ${label}`, describeBounds(x, digits), describeBounds(y, digits));
      changed(out, `${where}.points`, `${owner}: ${label}, баллы`, num(x.points), num(y.points));
      if (x.level !== y.level) changed(out, `${where}.level`, `${owner}: ${label}, уровень`, x.level ? q(LEVEL_NAMES[x.level]) : 'не указан', y.level ? q(LEVEL_NAMES[y.level]) : 'не указан');
    }
  }
}

function diffInput(out: VersionChange[], id: string, a: InputDef, b: InputDef): void {
  const name = `исходное данное ${q(b.title)}`;
  changed(out, `inputs.${id}.title`, `исходное данное ${id}, название`, q(a.title), q(b.title));
  changed(out, `inputs.${id}.type`, `${name}, тип`, a.type, b.type);
  changed(out, `inputs.${id}.unit`, `${name}, единица`, a.unit ?? 'не указана', b.unit ?? 'не указана');
  changed(out, `inputs.${id}.min`, `${name}, наименьшее`, num(a.min), num(b.min));
  changed(out, `inputs.${id}.max`, `${name}, наибольшее`, num(a.max), num(b.max));
  changed(out, `inputs.${id}.required`, `${name}, обязательное`, a.required === false ? 'нет' : 'да', b.required === false ? 'нет' : 'да');
  if (!same(a.values, b.values)) changed(out, `inputs.${id}.values`, `${name}, допустимые значения`, (a.values ?? []).join(', ') || 'не указаны', (b.values ?? []).join(', ') || 'не указаны');
  if (!same({ ...a, title: 0, type: 0, unit: 0, min: 0, max: 0, required: 0, values: 0 }, { ...b, title: 0, type: 0, unit: 0, min: 0, max: 0, required: 0, values: 0 }))
    out.push({ path: `inputs.${id}`, text: `${name}: изменены подсказка или подтверждение` });
}

function diffIndicator(out: VersionChange[], id: string, a: IndicatorDef, b: IndicatorDef): void {
  const name = indicatorName(id, b);
  const p = `indicators.${id}`;
  changed(out, `${p}.title`, `${name}, название`, q(a.title), q(b.title));
  changed(out, `${p}.code`, `${name}, номер`, a.code ?? 'не указан', b.code ?? 'не указан');
  changed(out, `${p}.formula`, `${name}, формула`, a.formula ? q(a.formula.trim()) : 'нет', b.formula ? q(b.formula.trim()) : 'нет');
  if (!same(a.loyalty, b.loyalty)) out.push({ path: `${p}.loyalty`, text: `${name}: изменены входы индекса лояльности` });
  changed(out, `${p}.round`, `${name}, знаков после запятой`, num(a.round), num(b.round));
  changed(out, `${p}.target`, `${name}, целевой показатель`, num(a.target), num(b.target));
  changed(out, `${p}.unit`, `${name}, единица`, a.unit ?? 'не указана', b.unit ?? 'не указана');
  changed(out, `${p}.min`, `${name}, наименьшее значение`, num(a.min), num(b.min));
  changed(out, `${p}.max`, `${name}, наибольшее значение`, num(a.max), num(b.max));
  changed(out, `${p}.scale`, `${name}, шкала`, a.scale ?? 'нет', b.scale ?? 'нет');
  changed(out, `${p}.source`, `${name}, источник`, a.source ? q(a.source) : 'не указан', b.source ? q(b.source) : 'не указан');
  if (!same(a.min_respondents, b.min_respondents))
    changed(out, `${p}.min_respondents`, `${name}, наименьшее число респондентов`, num(a.min_respondents?.min), num(b.min_respondents?.min));
}

function diffAggregate(out: VersionChange[], id: string, a: AggregateDef, b: AggregateDef): void {
  const name = `итоговый показатель ${q(b.title || id)}`;
  const p = `aggregates.${id}`;
  changed(out, `${p}.title`, `итоговый показатель ${id}, название`, q(a.title), q(b.title));
  changed(out, `${p}.method`, `${name}, способ`, AGGREGATE_METHOD_NAMES[a.method], AGGREGATE_METHOD_NAMES[b.method]);
  changed(out, `${p}.of`, `${name}, показатель`, a.of ?? 'нет', b.of ?? 'нет');
  changed(out, `${p}.values`, `${name}, значения организаций`, a.values === 'unrounded' ? 'неокруглённые' : 'округлённые', b.values === 'unrounded' ? 'неокруглённые' : 'округлённые');
  changed(out, `${p}.ratio`, `${name}, отношение`, `${a.numerator ?? '—'} / ${a.denominator ?? '—'} × ${num(a.multiplier ?? 1)}`, `${b.numerator ?? '—'} / ${b.denominator ?? '—'} × ${num(b.multiplier ?? 1)}`);
  changed(out, `${p}.round`, `${name}, знаков после запятой`, num(a.round), num(b.round));
  changed(out, `${p}.scale`, `${name}, шкала`, a.scale ?? 'нет', b.scale ?? 'нет');
  changed(out, `${p}.group_by`, `${name}, группировка`, a.group_by ?? 'нет', b.group_by ?? 'нет');
  changed(out, `${p}.published`, `${name}, напечатанное значение`, num(a.published?.value), num(b.published?.value));
}

/** Added / removed / changed entries of a record of definitions, with a name for each. */
function diffRecord<T>(
  out: VersionChange[],
  section: string,
  a: Record<string, T> | undefined,
  b: Record<string, T> | undefined,
  name: (id: string, def: T) => string,
  inner?: (id: string, x: T, y: T) => void,
): void {
  const x = a ?? {};
  const y = b ?? {};
  for (const [id, def] of Object.entries(x)) if (!(id in y)) out.push({ path: `${section}.${id}`, text: `удалено: ${name(id, def)}` });
  for (const [id, def] of Object.entries(y)) if (!(id in x)) out.push({ path: `${section}.${id}`, text: `добавлено: ${name(id, def)}` });
  for (const [id, def] of Object.entries(y)) {
    const before = x[id];
    if (before === undefined || same(before, def)) continue;
    if (inner) inner(id, before, def);
    else out.push({ path: `${section}.${id}`, text: `изменено: ${name(id, def)}` });
  }
}

/** The changes from `a` (the earlier version) to `b`, in the order of the methodology's parts. */
export function diffMethodologies(a: Methodology, b: Methodology): VersionChange[] {
  const out: VersionChange[] = [];
  for (const [key, label] of HEADER) {
    const x = a[key];
    const y = b[key];
    if (!same(x, y)) out.push({ path: key, text: `${label}: было ${x === undefined ? 'не указано' : q(String(x))}, стало ${y === undefined ? 'не указано' : q(String(y))}` });
  }
  if (!same(a.notes, b.notes)) out.push({ path: 'notes', text: 'изменены примечания' });
  diffRecord(out, 'dimensions', a.dimensions, b.dimensions, (id, d) => `измерение ${q(d.title || id)}`);
  diffRecord(out, 'inputs', a.inputs, b.inputs, (id, d) => `исходное данное ${id} ${q(d.title)}`, (id, x, y) => diffInput(out, id, x, y));
  diffRecord(out, 'indicators', a.indicators, b.indicators, (id, d) => `${indicatorName(id, d)} ${d.code ? q(d.title) : ''}`.trim(), (id, x, y) => diffIndicator(out, id, x, y));

  // Scales, named by the indicators that use them and judged at their rounding.
  const owners = (name: string, m: Methodology) => Object.entries(m.indicators).filter(([, d]) => d.scale === name);
  const scaleName = (name: string, m: Methodology) => {
    const o = owners(name, m);
    if (o.length === 0) return `шкала ${name}`;
    if (o.length === 1) return indicatorName(...(o[0] as [string, IndicatorDef]));
    const codes = o.map(([id, d]) => d.code ?? id);
    return `показатели ${codes.join(', ')} (шкала ${name})`;
  };
  diffRecord(out, 'scales', a.scales, b.scales, (name) => `шкала ${name}${owners(name, b).length || owners(name, a).length ? ` (${scaleName(name, owners(name, b).length ? b : a)})` : ''}`,
    (name, x, y) => diffScale(out, name, scaleName(name, b), x, y, owners(name, b)[0]?.[1].round));

  const critA = new Map((a.criteria ?? []).map((c) => [c.id, c]));
  const critB = new Map((b.criteria ?? []).map((c) => [c.id, c]));
  for (const [id, c] of critA) if (!critB.has(id)) out.push({ path: `criteria.${id}`, text: `удалён критерий ${id} ${q(c.title)}` });
  for (const [id, c] of critB) {
    const was = critA.get(id);
    if (!was) {
      out.push({ path: `criteria.${id}`, text: `добавлен критерий ${id} ${q(c.title)} (максимум ${formatNumber(c.max)})` });
      continue;
    }
    changed(out, `criteria.${id}.title`, `критерий ${id}, название`, q(was.title), q(c.title));
    changed(out, `criteria.${id}.max`, `критерий ${id}, максимум баллов`, formatNumber(was.max), formatNumber(c.max));
    changed(out, `criteria.${id}.indicators`, `критерий ${id}, показатели`, was.indicators.join(', '), c.indicators.join(', '));
  }
  changed(out, 'total.max', 'максимальное количество баллов', num(a.total?.max), num(b.total?.max));
  if (!same({ ...a.total, max: 0 }, { ...b.total, max: 0 })) out.push({ path: 'total', text: 'изменена итоговая шкала или примечание к сумме баллов' });

  diffRecord(out, 'aggregates', a.aggregates, b.aggregates, (id, d) => `итоговый показатель ${q(d.title || id)}`, (id, x, y) => diffAggregate(out, id, x, y));
  diffRecord(out, 'datasets', a.datasets, b.datasets, (id, d) => `таблица данных ${q(d.title || id)}`);
  diffRecord(out, 'record_datasets', a.record_datasets, b.record_datasets, (id, d) => `таблица записей ${q(d.title || id)}`);
  if (!same(a.rules, b.rules)) out.push({ path: 'rules', text: `правила проверки: было ${(a.rules ?? []).length}, стало ${(b.rules ?? []).length}${(a.rules ?? []).length === (b.rules ?? []).length ? ' (изменены)' : ''}` });
  const rulesOf = (m: Methodology) => Object.fromEntries((m.recommendation_rules ?? []).map((r) => [r.id, r]));
  diffRecord(out, 'recommendation_rules', rulesOf(a), rulesOf(b), (id, r) => `правило рекомендации ${id}: если ${r.when} → ${q(r.text)}`, (id, x, y) => {
    const p = `recommendation_rules.${id}`;
    changed(out, `${p}.when`, `правило рекомендации ${id}, условие`, q(x.when), q(y.when));
    changed(out, `${p}.addressee`, `правило рекомендации ${id}, адресат`, x.addressee, y.addressee);
    changed(out, `${p}.text`, `правило рекомендации ${id}, текст`, q(x.text), q(y.text));
    changed(out, `${p}.due_days`, `правило рекомендации ${id}, срок (дней)`, num(x.due_days), num(y.due_days));
    changed(out, `${p}.source`, `правило рекомендации ${id}, источник`, x.source ? q(x.source) : 'не указан', y.source ? q(y.source) : 'не указан');
  });
  return out;
}
