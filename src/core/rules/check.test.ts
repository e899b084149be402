import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lintMethodology } from '../methodology/lint.ts';
import { MethodologySchema, type Methodology } from '../methodology/schema.ts';
import { changeFindings, checkSubmission, compileRules, completeness, evaluateRule, formFields, parseEvidenceUrl, parseFieldValue, type CurrentValue } from './check.ts';

function methodology(extra: Partial<Methodology> = {}): Methodology {
  return MethodologySchema.parse({
    id: 'demo',
    version: '1',
    direction: 'talents',
    title: 'Демо',
    inputs: {
      students: { type: 'integer', min: 0, title: 'Численность обучающихся', unit: 'чел.' },
      participants: { type: 'integer', min: 0, title: 'Участники' },
      site_page: { type: 'boolean', title: 'Наличие страницы на сайте ОО', evidence: 'required' },
      share: { type: 'percent', title: 'Доля', required: false },
      kind: { type: 'enum', title: 'Вид', values: ['a', 'b'], required: false },
      answers: { type: 'score', title: 'Ответы' },
      region_total: { type: 'integer', title: 'Всего по району' },
    },
    indicators: { x: { title: 'x', formula: 'participants / students' } },
    ...extra,
  });
}

const v = (value: CurrentValue['value'], evidenceUrl: string | null = null): CurrentValue => ({ value, evidenceUrl });

describe('formFields', () => {
  it('without datasets shows every input except survey scores, in declaration order, with defaults', () => {
    const f = formFields(methodology());
    expect(f.map((x) => x.name)).toEqual(['students', 'participants', 'site_page', 'share', 'kind', 'region_total']);
    expect(f[0]).toMatchObject({ unit: 'чел.', min: 0, max: null, required: true, evidence: null });
    expect(f.find((x) => x.name === 'share')).toMatchObject({ unit: '%', min: 0, max: 100, required: false });
    expect(f.find((x) => x.name === 'site_page')?.evidence).toBe('required');
  });

  it('with datasets shows only the inputs of organisation-level datasets', () => {
    const m = methodology({
      datasets: {
        orgs: { title: 'ОО', unit: 'organisation', key: 'name', columns: { students: 's', participants: 'p' }, evidence_columns: { site_page: 'url' }, indicators: ['x'] },
        mun: { title: 'Район', unit: 'municipality', key: 'scope', columns: { region_total: 't' }, indicators: ['x'] },
      },
    });
    expect(formFields(m).map((x) => x.name)).toEqual(['students', 'participants', 'site_page']);
  });
});

describe('parseFieldValue / parseEvidenceUrl', () => {
  const [students, , site, share, kind] = formFields(methodology());
  it('accepts values of the field type and empty as null; refuses others with a Russian message', () => {
    expect(parseFieldValue(students!, 12)).toEqual({ ok: true, value: 12 });
    expect(parseFieldValue(students!, '')).toEqual({ ok: true, value: null });
    expect(parseFieldValue(students!, 1.5)).toEqual({ ok: false, message: 'Введите целое число' });
    expect(parseFieldValue(share!, 12.5)).toEqual({ ok: true, value: 12.5 });
    expect(parseFieldValue(site!, 'да')).toEqual({ ok: false, message: 'Выберите «да» или «нет»' });
    expect(parseFieldValue(kind!, 'c')).toMatchObject({ ok: false });
    expect(parseFieldValue(kind!, 'b')).toEqual({ ok: true, value: 'b' });
  });
  it('evidence links are absolute http(s) addresses', () => {
    expect(parseEvidenceUrl('https://school1.ru/dop')).toEqual({ ok: true, value: 'https://school1.ru/dop' });
    expect(parseEvidenceUrl('javascript:alert(1)')).toMatchObject({ ok: false });
    expect(parseEvidenceUrl('школа.рф')).toMatchObject({ ok: false });
  });
});

describe('compileRules', () => {
  it('refuses unknown names and syntax errors naming the rule; defaults the change factor to 2', () => {
    const bad = compileRules(methodology({ rules: [{ id: 'r1', expr: 'pupils <= students', severity: 'error', message: 'м' }, { id: 'r2', expr: 'students <=', severity: 'error', message: 'м' }] }));
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors.map((e) => e.ruleId)).toEqual(['r1', 'r2']);
    expect(!bad.ok && bad.errors[0]?.message).toContain('pupils');
    expect(!bad.ok && bad.errors.map((e) => e.path)).toEqual(['rules[0].expr', 'rules[1].expr']);
    const good = compileRules(methodology());
    expect(good.ok && good.change).toEqual({ id: 'change', kind: 'change' });
  });
});

describe('lintMethodology reports rule errors', () => {
  it('an unknown name in a rule is a lint error at rules[i].expr', () => {
    const m = methodology({ rules: [{ id: 'ok', expr: 'participants <= students', severity: 'error', message: 'м' }, { id: 'bad', expr: 'pupils > 0', severity: 'warning', message: 'м' }] });
    expect(lintMethodology(m).filter((l) => l.path.startsWith('rules'))).toEqual([
      { severity: 'error', path: 'rules[1].expr', message: 'правило «bad»: неизвестные имена: pupils' },
    ]);
  });
});

describe('evaluateRule', () => {
  const m = methodology({
    rules: [
      { id: 'le', expr: 'participants <= students', severity: 'error', message: 'Участников больше, чем обучающихся' },
      { id: 'strict', expr: 'participants <= students', severity: 'warning', message: 'Нет данных', when_missing: 'fail' },
    ],
  });
  const c = compileRules(m);
  if (!c.ok) throw new Error('rules');
  const [le, strict] = c.rules;
  it('holds, fails, and skips or fails on missing values as the rule says', () => {
    expect(evaluateRule(le!, { students: 10, participants: 10 })).toBeNull();
    expect(evaluateRule(le!, { students: 10, participants: 11 })).toEqual({ id: 'le', kind: 'rule', severity: 'error', message: 'Участников больше, чем обучающихся', inputs: ['participants', 'students'] });
    expect(evaluateRule(le!, { students: 10, participants: null })).toBeNull();
    expect(evaluateRule(strict!, { students: 10 })).toMatchObject({ severity: 'warning', message: 'Нет данных (нет данных: participants)' });
  });
  it('property: an error rule a ≤ b fails exactly when a > b', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }), (a, b) => {
        expect(evaluateRule(le!, { participants: a, students: b }) !== null).toBe(a > b);
      }),
    );
  });
});

describe('changeFindings', () => {
  const fields = formFields(methodology());
  it('warns above ×factor and below ÷factor, not at the bounds; skips missing and zero previous values', () => {
    const rule = { id: 'change', kind: 'change' as const };
    expect(changeFindings(fields, rule, { students: 200 }, { students: 100 })).toEqual([]);
    expect(changeFindings(fields, rule, { students: 50 }, { students: 100 })).toEqual([]);
    const up = changeFindings(fields, rule, { students: 201, participants: 49 }, { students: 100, participants: 100 });
    expect(up.map((f) => f.id)).toEqual(['change:students', 'change:participants']);
    expect(up[0]).toMatchObject({ kind: 'change', severity: 'warning', inputs: ['students'] });
    expect(up[0]?.message).toContain('«Численность обучающихся»: 201 — больше в 2,01 раза, чем в прошлом мониторинге (100)');
    expect(changeFindings(fields, rule, { students: 500 }, { students: 0 })).toEqual([]);
    expect(changeFindings(fields, rule, { students: null }, { students: 10 })).toEqual([]);
  });
  it('uses the rule factor and input list', () => {
    const rule = { id: 'ch', kind: 'change' as const, factor: 3, inputs: ['participants'] };
    expect(changeFindings(fields, rule, { students: 1000, participants: 250 }, { students: 100, participants: 100 })).toEqual([]);
    expect(changeFindings(fields, rule, { students: 1000, participants: 301 }, { students: 100, participants: 100 }).map((f) => f.id)).toEqual(['ch:participants']);
  });
});

describe('checkSubmission and completeness', () => {
  const m = methodology({ rules: [{ id: 'le', expr: 'participants <= students', severity: 'error', message: 'Участников больше' }] });
  const fields = formFields(m);
  const c = compileRules(m);
  if (!c.ok) throw new Error('rules');
  it('reports missing required fields, out-of-range values, missing evidence and rule failures, errors before warnings', () => {
    const findings = checkSubmission({
      fields,
      rules: c.rules,
      change: c.change,
      values: { students: v(10), participants: v(12), site_page: v(true), share: v(120), kind: v(null) },
      previous: { students: 100 },
    });
    expect(findings.map((f) => `${f.severity}:${f.id}`)).toEqual([
      'error:evidence:site_page',
      'error:range:share',
      'error:required:region_total',
      'error:le',
      'warning:change:students',
    ]);
    expect(findings.find((f) => f.id === 'range:share')?.message).toBe('«Доля»: значение 120 больше допустимого (100)');
  });
  it('is clean when everything is filled and consistent; completeness counts required fields only', () => {
    const values = { students: v(10), participants: v(5), site_page: v(true, 'https://school1.ru/talents'), region_total: v(100) };
    expect(checkSubmission({ fields, rules: c.rules, change: c.change, values, previous: null })).toEqual([]);
    expect(completeness(fields, values)).toEqual({ filled: 4, required: 4, percent: 100 });
    expect(completeness(fields, { students: v(1) })).toEqual({ filled: 1, required: 4, percent: 25 });
    expect(completeness([], {})).toEqual({ filled: 0, required: 0, percent: 100 });
  });
});
