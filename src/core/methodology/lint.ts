/** Static checks of a (schema-valid) methodology: formulas, references, scales judged at each indicator's rounding
 * (gaps, overlaps, order, printed ranges narrower than open ends), criteria maxima, datasets and aggregates. */
import { formatNumber } from '../format.ts';
import { compileMethodology } from './evaluate.ts';
import { lintScale } from './scale.ts';
import { lintPercentCeilings } from './lint-percent.ts';
import type { LintItem } from './lint-item.ts';
import type { DatasetDef, Methodology } from './schema.ts';
import { attributeColumn } from './schema.ts';
import { lintRules } from '../rules/check.ts';
import { lintRecommendationRules } from '../cycle/recommendation-rules.ts';

export type { LintItem } from './lint-item.ts';

export function lintMethodology(m: Methodology): LintItem[] {
  const items: LintItem[] = [];
  const err = (path: string, message: string) => items.push({ severity: 'error', path, message });
  const warn = (path: string, message: string) => items.push({ severity: 'warning', path, message });

  const compiled = compileMethodology(m);
  if (!compiled.ok)
    for (const e of compiled.errors)
      items.push({ severity: 'error', path: e.path, message: e.path.endsWith('.formula') ? `строка ${e.line}, столбец ${e.column} формулы: ${e.message}` : e.message, formulaLine: e.line, formulaColumn: e.column });

  // Validation rules of the collection (src/core/rules): expressions over inputs only.
  for (const e of lintRules(m)) err(e.path, e.message);
  // Addressed-recommendation rules (src/core/cycle): expressions over the organisation's results.
  for (const e of lintRecommendationRules(m)) err(e.path, e.message);

  for (const [id, input] of Object.entries(m.inputs)) {
    if (input.type === 'enum' && !input.values?.length) err(`inputs.${id}`, 'у входа типа enum нет списка values');
    if (input.min !== undefined && input.max !== undefined && input.min > input.max) err(`inputs.${id}`, `min ${input.min} больше max ${input.max}`);
    if (input.evidence && input.type !== 'boolean') warn(`inputs.${id}`, 'evidence имеет смысл только для boolean');
  }

  const usedScales = new Set<string>();
  for (const [id, ind] of Object.entries(m.indicators)) {
    const label = ind.code ? `${ind.code} «${ind.title}»` : `«${ind.title}»`;
    if (ind.scale === undefined) continue;
    if (ind.scale === 'none') {
      if (!ind.scale_note) warn(`indicators.${id}.scale`, `показатель ${label}: «scale: none» без пояснения (scale_note)`);
      continue;
    }
    const scale = m.scales?.[ind.scale];
    if (!scale) {
      err(`indicators.${id}.scale`, `показатель ${label}: нет шкалы «${ind.scale}»`);
      continue;
    }
    usedScales.add(ind.scale);
    const digits = ind.round;
    for (const issue of lintScale(scale, digits, { min: ind.min, max: ind.max }))
      items.push({ severity: issue.severity, path: `indicators.${id}.scale`, message: `показатель ${label}, шкала «${ind.scale}»: ${issue.message}` });
    if (ind.round === undefined && scale.bounds !== 'unspecified')
      warn(`indicators.${id}.round`, `показатель ${label}: не указано округление (round) — полосы сравниваются с неокруглённым значением`);
  }
  items.push(...lintPercentCeilings(m));
  for (const id of Object.keys(m.scales ?? {})) {
    const usedByAggregate = Object.values(m.aggregates ?? {}).some((a) => a.scale === id) || m.total?.scale === id;
    if (!usedScales.has(id) && !usedByAggregate) warn(`scales.${id}`, `шкала «${id}» нигде не используется`);
  }

  let criteriaMax = 0;
  for (const [i, c] of (m.criteria ?? []).entries()) {
    criteriaMax += c.max;
    let sum = 0;
    let known = true;
    for (const ind of c.indicators) {
      const def = m.indicators[ind];
      if (!def) {
        err(`criteria[${i}]`, `критерий ${c.id}: нет показателя «${ind}»`);
        known = false;
        continue;
      }
      const scale = def.scale && def.scale !== 'none' ? m.scales?.[def.scale] : undefined;
      const pts = scale?.bands.map((b) => b.points).filter((p): p is number => p !== undefined) ?? [];
      if (!pts.length) {
        warn(`criteria[${i}]`, `критерий ${c.id}: у показателя «${ind}» нет шкалы с баллами`);
        known = false;
      } else sum += Math.max(...pts);
    }
    if (known && sum !== c.max) warn(`criteria[${i}]`, `критерий ${c.id}: максимум ${formatNumber(c.max)}, а сумма наибольших баллов показателей ${formatNumber(sum)}`);
  }
  if (m.total && m.criteria && m.total.max !== criteriaMax)
    warn('total.max', `итоговый максимум ${formatNumber(m.total.max)}, а сумма максимумов критериев ${formatNumber(criteriaMax)}`);
  if (m.total?.scale && !m.scales?.[m.total.scale]) err('total.scale', `нет шкалы «${m.total.scale}»`);

  for (const [id, ds] of Object.entries(m.datasets ?? {})) {
    for (const input of Object.keys(ds.columns)) if (!m.inputs[input]) err(`datasets.${id}.columns`, `нет входа «${input}»`);
    for (const ind of ds.indicators) {
      const c = compiled.ok ? compiled.compiled.byId.get(ind) : undefined;
      if (!m.indicators[ind]) err(`datasets.${id}.indicators`, `нет показателя «${ind}»`);
      else if (m.indicators[ind]?.formula === undefined && m.indicators[ind]?.loyalty === undefined)
        err(`datasets.${id}.indicators`, `показатель «${ind}» не имеет формулы (measure_note) и не может вычисляться по таблице`);
      else if (c) {
        // A dimensional table is joined with the other tables of the same dimensions (merge-tables.ts).
        const joined = ds.dimensions ? Object.values(m.datasets ?? {}).filter((d) => sameDimensions(d, ds)) : [ds];
        const missing = transitiveInputs(m, ind).filter((n) => !joined.some((d) => n in d.columns));
        if (missing.length) err(`datasets.${id}.indicators`, `показатель «${ind}» требует входов, которых нет в таблице: ${missing.join(', ')}`);
      }
    }
    for (const p of ds.published ?? []) if (!ds.indicators.includes(p.indicator)) err(`datasets.${id}.published`, `столбец «${p.column}»: показатель «${p.indicator}» не вычисляется по этой таблице`);
    for (const [name, ref] of Object.entries(ds.attributes ?? {})) if (!attributeColumn(ref).column) err(`datasets.${id}.attributes.${name}`, 'не указан столбец');
    for (const d of Object.keys(ds.dimensions ?? {})) {
      if (!m.dimensions?.[d]) err(`datasets.${id}.dimensions.${d}`, `нет измерения «${d}» в dimensions`);
      if (ds.attributes?.[d]) err(`datasets.${id}.attributes.${d}`, `имя «${d}» занято измерением`);
    }
    if (ds.dimensions && ds.unit !== 'organisation') err(`datasets.${id}.dimensions`, 'измерения возможны только у таблицы организаций (unit: organisation)');
  }
  for (const [id, d] of Object.entries(m.dimensions ?? {})) {
    if (new Set(d.values).size !== d.values.length) err(`dimensions.${id}.values`, 'значения повторяются');
    if (d.type === 'integer') for (const v of d.values) if (!/^\d+$/.test(v)) err(`dimensions.${id}.values`, `«${v}» — не целое число`);
    for (const [alias, v] of Object.entries(d.aliases ?? {})) if (!d.values.includes(v)) err(`dimensions.${id}.aliases`, `синоним «${alias}» ведёт к «${v}», которого нет в values`);
    for (const v of Object.keys(d.labels ?? {})) if (!d.values.includes(v)) err(`dimensions.${id}.labels`, `подпись для «${v}», которого нет в values`);
  }

  for (const [id, ds] of Object.entries(m.record_datasets ?? {})) {
    const path = `record_datasets.${id}`;
    if (m.datasets?.[id]) err(path, `имя «${id}» занято таблицей datasets`);
    if (!ds.organisation.inn && !ds.organisation.number && !ds.organisation.name) err(`${path}.organisation`, 'укажите хотя бы один столбец организации: inn, number или name');
    for (const [name, f] of Object.entries(ds.fields)) {
      if (f.type === 'enum' && !f.values?.length) err(`${path}.fields.${name}`, 'для enum нужен список values');
      for (const [alias, v] of Object.entries(f.aliases ?? {})) if (!f.values?.includes(v)) err(`${path}.fields.${name}.aliases`, `синоним «${alias}» ведёт к «${v}», которого нет в values`);
    }
    const checkConditions = (where: NonNullable<typeof ds.filters>, at: string) => {
      for (const c of where) {
        if (!ds.fields[c.field]) err(at, `нет поля «${c.field}»`);
        if ((c.in === undefined) === (c.not_in === undefined)) err(at, `условие на «${c.field}»: нужно ровно одно из in / not_in`);
        const values = ds.fields[c.field]?.values;
        if (values) for (const v of [...(c.in ?? []), ...(c.not_in ?? [])]) if (!values.includes(v)) err(at, `значения «${v}» нет среди допустимых значений поля «${c.field}»`);
      }
    };
    checkConditions(ds.filters ?? [], `${path}.filters`);
    if (ds.record_label && !ds.fields[ds.record_label]) err(`${path}.record_label`, `нет поля «${ds.record_label}»`);
    const supplied = new Set<string>();
    ds.aggregations.forEach((a, i) => {
      const at = `${path}.aggregations.${i}`;
      const numeric = a.method === 'sum' || a.method === 'mean';
      if ((numeric || a.method === 'distinct_count') && !a.field) err(at, `для ${a.method} нужно поле field`);
      if (a.field && !ds.fields[a.field]) err(at, `нет поля «${a.field}»`);
      else if (a.field && numeric && !['integer', 'number'].includes(ds.fields[a.field]?.type ?? '')) err(at, `поле «${a.field}» не числовое — ${a.method} невозможен`);
      if ((a.method === 'count_where' || a.method === 'share') && !a.where?.length) err(at, `для ${a.method} нужны условия where`);
      checkConditions(a.where ?? [], `${at}.where`);
      if (a.group_by !== undefined) {
        if (!ds.fields[a.group_by]) err(at, `нет поля группировки «${a.group_by}»`);
        if (typeof a.into === 'string') err(at, 'при group_by into — словарь «значение → вход»');
        else {
          const values = ds.fields[a.group_by]?.values;
          if (values) for (const v of Object.keys(a.into)) if (!values.includes(v)) err(at, `значения «${v}» нет среди допустимых значений поля «${a.group_by}»`);
        }
      } else if (typeof a.into !== 'string') err(at, 'into — словарь только вместе с group_by');
      for (const input of typeof a.into === 'string' ? [a.into] : Object.values(a.into)) {
        const def = m.inputs[input];
        if (!def) err(at, `нет входа «${input}»`);
        else if (!['integer', 'number', 'percent'].includes(def.type)) err(at, `вход «${input}» типа ${def.type} не может получать число записей`);
        else if (def.type === 'integer' && (a.method === 'share' || a.method === 'mean')) warn(at, `вход «${input}» целый, а ${a.method} даёт дробное значение`);
        if (supplied.has(input)) err(at, `вход «${input}» уже вычисляется другой агрегацией`);
        supplied.add(input);
      }
    });
    for (const ind of ds.indicators ?? []) if (!m.indicators[ind]) err(`${path}.indicators`, `нет показателя «${ind}»`);
  }

  for (const [id, a] of Object.entries(m.aggregates ?? {})) {
    const path = `aggregates.${id}`;
    if (a.method === 'ratio_of_sums') {
      if (!a.numerator || !a.denominator) err(path, 'для ratio_of_sums нужны numerator и denominator');
      for (const n of [a.numerator, a.denominator]) if (n && !m.inputs[n] && !m.indicators[n]) err(path, `нет входа или показателя «${n}»`);
    } else if (!a.of) err(path, `для ${a.method} нужно указать of (показатель)`);
    else if (!m.indicators[a.of]) err(path, `нет показателя «${a.of}»`);
    else if ((a.method === 'count_by_level' || a.method === 'share_by_level') && !m.indicators[a.of]?.scale)
      err(path, `показатель «${a.of}» без шкалы — уровни не определены`);
    if (a.scale && !m.scales?.[a.scale]) err(path, `нет шкалы «${a.scale}»`);
    if (a.group_by) {
      const sets = Object.values(m.datasets ?? {}).filter((d) => a.of ? d.indicators.includes(a.of) : d.columns[a.numerator ?? ''] !== undefined);
      if (sets.length && !sets.some((d) => a.group_by && (d.attributes?.[a.group_by] || d.dimensions?.[a.group_by]))) warn(path, `атрибут группировки «${a.group_by}» не описан ни в одной таблице с этим показателем`);
    }
  }
  return items;
}

function sameDimensions(a: DatasetDef, b: DatasetDef): boolean {
  const key = (d: DatasetDef) => Object.keys(d.dimensions ?? {}).sort().join(',');
  return a.unit === b.unit && key(a) === key(b);
}

function transitiveInputs(m: Methodology, indicator: string, seen = new Set<string>()): string[] {
  if (seen.has(indicator)) return [];
  seen.add(indicator);
  const def = m.indicators[indicator];
  if (!def) return [];
  const names = def.formula !== undefined ? namesIn(def.formula) : Object.values(def.loyalty ?? {}).filter((x): x is string => typeof x === 'string');
  if (def.min_respondents) names.push(def.min_respondents.input);
  const out: string[] = [];
  for (const n of names) {
    if (m.inputs[n]) out.push(n);
    else if (m.indicators[n]) out.push(...transitiveInputs(m, n, seen));
  }
  return [...new Set(out)];
}

function namesIn(formula: string): string[] {
  const words = formula.replace(/'[^']*'|"[^"]*"/g, ' ').match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
  return words.filter((w) => !['and', 'or', 'not', 'true', 'false', 'if', 'min', 'max', 'sum', 'count', 'share', 'abs', 'round'].includes(w));
}
