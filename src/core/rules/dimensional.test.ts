import { describe, expect, it } from 'vitest';
import { MethodologySchema, type Methodology } from '../methodology/schema.ts';
import { compileRules, formFields, type CurrentValue } from './check.ts';
import { checkForm, dimensionalCompleteness, dimensionalForms, dimensionsKey, dimensionsLabel, isComparisonColumn, parseDimensions, tableRows, type DimensionalRow } from './dimensional.ts';

const m: Methodology = MethodologySchema.parse({
  id: 'dims-form',
  version: '1',
  direction: 'preparation',
  title: 'Форма с измерениями',
  dimensions: {
    subject: { title: 'Предмет', values: ['Русский язык', 'Математика'], aliases: { 'Рус. яз.': 'Русский язык' } },
    grade: { title: 'Класс', type: 'integer', values: ['5', '7'], labels: { '5': '5 класс', '7': '7 класс' } },
  },
  inputs: {
    plan: { type: 'boolean', title: 'План на сайте' },
    n: { type: 'integer', min: 0, title: 'ВПР: участников' },
    s3: { type: 'percent', title: 'Доля «3»' },
    r3: { type: 'percent', required: false, title: 'Регион: доля «3»' },
    note: { type: 'number', required: false, title: 'Примечание' },
  },
  indicators: {
    has_plan: { title: 'План', kind: 'yes_no', formula: 'plan', scale: 'none' },
    share3: { title: 'Доля «3»', formula: 's3', round: 1, scale: 'none' },
  },
  datasets: {
    organisations: { title: 'ОО', unit: 'organisation', key: 'name', columns: { plan: 'plan' }, indicators: ['has_plan'] },
    marks: {
      title: 'ВПР по отметкам',
      unit: 'organisation',
      key: 'Организация',
      dimensions: { subject: 'Предмет', grade: 'Класс' },
      columns: { n: 'ВПР: участников', s3: '«3», %', r3: 'Регион: «3», %', note: 'Примечание' },
      indicators: ['share3'],
    },
  },
  rules: [
    { id: 'n_positive', expr: 'n > 0', severity: 'error', message: 'Участников должно быть больше нуля' },
    { id: 'plan_yes', expr: 'plan', severity: 'warning', message: 'Нет плана' },
    { id: 'change', kind: 'change', factor: 2, inputs: ['n'] },
  ],
});

const cv = (value: CurrentValue['value']): CurrentValue => ({ value, evidenceUrl: null });
const row = (subject: string, grade: string, values: Record<string, CurrentValue['value']>): DimensionalRow => ({
  dimensions: { subject, grade },
  values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, cv(v)])),
});

describe('per-dimension tables of a form', () => {
  it('a dimensional dataset is a table, not fields; comparison columns are read-only', () => {
    expect(formFields(m).map((f) => f.name)).toEqual(['plan']);
    const [form, ...rest] = dimensionalForms(m);
    expect(rest).toEqual([]);
    expect(form?.datasetId).toBe('marks');
    expect(form?.dimensions.map((d) => d.id)).toEqual(['subject', 'grade']);
    expect(form?.dimensions[1]?.values).toEqual([{ value: '5', label: '5 класс' }, { value: '7', label: '7 класс' }]);
    expect(form?.fields.map((f) => f.name)).toEqual(['n', 's3', 'note']);
    expect(form?.comparison.map((f) => f.name)).toEqual(['r3']);
    expect(isComparisonColumn('Муниципалитет: «5», %')).toBe(true);
    expect(isComparisonColumn('ВПР: участников')).toBe(false);
  });

  it('reads dimension values (aliases, «7 класс») and refuses others naming the allowed values', () => {
    const form = dimensionalForms(m)[0]!;
    expect(parseDimensions(m, form, { subject: 'Рус. яз.', grade: '7 класс' })).toEqual({ ok: true, value: { subject: 'Русский язык', grade: '7' } });
    expect(parseDimensions(m, form, { subject: 'Химия', grade: '5' })).toEqual({ ok: false, message: '«Предмет»: «Химия» — недопустимое значение (допустимо: Русский язык, Математика)' });
    expect(parseDimensions(m, form, { subject: 'Математика', grade: '6' })).toEqual({ ok: false, message: '«Класс»: «6» — недопустимое значение (допустимо: 5 класс, 7 класс)' });
    expect(parseDimensions(m, form, { subject: 'Математика' })).toMatchObject({ ok: false, message: 'Не указано значение «Класс» (допустимо: 5 класс, 7 класс)' });
    expect(parseDimensions(m, form, { subject: 'Математика', grade: '5', term: '1' })).toMatchObject({ ok: false });
    expect(dimensionsKey({ subject: 'Математика', grade: '5' })).toBe(dimensionsKey({ grade: '5', subject: 'Математика' }));
    expect(dimensionsLabel(form, { grade: '5', subject: 'Математика' })).toBe('Математика, 5 класс');
  });

  it('rows are the combinations with values, in the declared order; completeness counts their required cells', () => {
    const form = dimensionalForms(m)[0]!;
    const rows = [row('Математика', '7', { n: 20, s3: null }), row('Русский язык', '7', { n: 18, s3: 40 }), row('Математика', '5', { n: null, s3: null })];
    expect(tableRows(form, rows).map((r) => dimensionsLabel(form, r.dimensions))).toEqual(['Русский язык, 7 класс', 'Математика, 7 класс']);
    // Two rows × two required typed columns (n, s3); «Примечание» is optional, the region's share is not typed.
    expect(dimensionalCompleteness([form], rows)).toEqual({ filled: 3, required: 4 });
  });

  it('checks each row: required cells, range, rules naming a row input, change against the same row last time', () => {
    const form = dimensionalForms(m)[0]!;
    const rules = compileRules(m);
    if (!rules.ok) throw new Error('rules');
    const findings = checkForm({
      fields: formFields(m),
      rules: rules.rules,
      change: rules.change,
      values: { plan: cv(false) },
      previous: null,
      forms: [form],
      rows: [row('Математика', '5', { n: 0, s3: 120 }), row('Русский язык', '7', { n: 30, s3: null })],
      previousRows: [row('Русский язык', '7', { n: 10, s3: 50 })],
    });
    expect(findings.map((f) => [f.severity, f.message])).toEqual([
      ['error', 'Русский язык, 7 класс: Не заполнено обязательное поле «Доля «3»»'],
      ['error', 'Математика, 5 класс: «Доля «3»»: значение 120 больше допустимого (100)'],
      ['error', 'Математика, 5 класс: Участников должно быть больше нуля'],
      ['warning', 'Нет плана'],
      ['warning', 'Русский язык, 7 класс: «ВПР: участников»: 30 — больше в 3 раза, чем в прошлом мониторинге (10); допустимое изменение — не более чем в 2 раза. Проверьте значение или поясните в комментарии.'],
    ]);
    expect(findings[0]?.dimensions).toEqual({ subject: 'Русский язык', grade: '7' });
    expect(findings[0]?.id).toBe(`required:s3@${dimensionsKey({ subject: 'Русский язык', grade: '7' })}`);
    // With no rows the per-row rule is not checked at all (a school that wrote no ВПР has nothing to fix there).
    const none = checkForm({ fields: formFields(m), rules: rules.rules, change: rules.change, values: { plan: cv(true) }, previous: null, forms: [form], rows: [], previousRows: null });
    expect(none).toEqual([]);
  });
});
