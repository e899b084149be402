import { describe, expect, it } from 'vitest';
import type { Expr, Value } from './expression.ts';
import { MAX_DEPTH, checkFormula, checkNames, evaluateExpression, parseExpression, referencedNames, renderExpression } from './expression.ts';

function parse(src: string): Expr {
  const r = parseExpression(src);
  if (!r.ok) throw new Error(`${r.error.line}:${r.error.column} ${r.error.message}`);
  return r.expr;
}
const ev = (src: string, env: Record<string, Value> = {}) => evaluateExpression(parse(src), env);

describe('язык формул: приоритеты', () => {
  it.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 - 4 - 3', 3],
    ['100 / 10 / 5', 2],
    ['-2 * 3', -6],
    ['- (2 + 3) * 2', -10],
    ['2 * 3 + 4 * 5', 26],
    ['12 / 359 * 100', (12 / 359) * 100],
  ])('%s = %s', (src, expected) => {
    expect(ev(src).value).toBeCloseTo(expected as number, 12);
  });

  it('сравнения слабее арифметики, and слабее сравнений, or слабее and', () => {
    expect(ev('1 + 1 == 2').value).toBe(true);
    expect(ev('1 < 2 and 3 < 2 or 5 >= 5').value).toBe(true);
    expect(ev('not 1 > 2').value).toBe(true);
    expect(ev('2 != 2').value).toBe(false);
  });

  it('цепочка сравнений запрещена', () => {
    const r = parseExpression('1 < a < 3');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('цепочка сравнений');
  });

  it('функции: if вычисляет только выбранную ветвь, min/max/sum/count/share/abs/round', () => {
    expect(ev('if(students > 0, programmes / students * 100, 0)', { students: 0, programmes: 5 }).value).toBe(0);
    expect(ev('min(3, 1, 2)').value).toBe(1);
    expect(ev('max(3, x, 2)', { x: null }).value).toBe(3);
    expect(ev('sum(1, 2, x)', { x: null }).value).toBe(3);
    expect(ev('count(a, b, c, d)', { a: true, b: false, c: null, d: 5 }).value).toBe(2);
    expect(ev('share(11502, 14577)').value).toBeCloseTo(78.9051, 4);
    expect(ev('abs(2 - 5)').value).toBe(3);
    expect(ev('round(2.25, 1)').value).toBe(2.3);
    expect(ev("kind == 'school'", { kind: 'school' }).value).toBe(true);
  });
});

describe('язык формул: «нет данных» вместо Infinity и NaN', () => {
  it('деление на ноль → null с причиной', () => {
    expect(ev('programmes / students * 100', { programmes: 3, students: 0 })).toEqual({ value: null, reason: 'деление на ноль' });
    expect(ev('share(1, 0)')).toEqual({ value: null, reason: 'деление на ноль' });
    expect(ev('0 / 0')).toEqual({ value: null, reason: 'деление на ноль' });
  });
  it('отсутствующее значение распространяется', () => {
    expect(ev('a + 1', { a: null })).toEqual({ value: null, reason: 'нет данных: a' });
    expect(ev('a > 1 and true', { a: null }).value).toBeNull();
  });
  it('бесконечное или нечисловое значение на входе → null с причиной, а не число', () => {
    expect(ev('a', { a: Number.POSITIVE_INFINITY })).toEqual({ value: null, reason: 'значение a не является конечным числом' });
    expect(ev('a + 1', { a: Number.NaN })).toEqual({ value: null, reason: 'значение a не является конечным числом' });
  });
  it('переполнение → null', () => {
    const r = ev('a * a', { a: 1e300 });
    expect(r.value).toBeNull();
  });
});

describe('язык формул: ошибки', () => {
  it('неизвестные имена называются все сразу', () => {
    const e = parse('programmes / pupils * 100 + extra');
    const err = checkNames(e, new Set(['programmes', 'students']));
    expect(err?.message).toBe('неизвестные имена: pupils, extra');
    expect(err?.column).toBe(14);
  });
  it('синтаксическая ошибка называет строку и столбец в многострочной формуле', () => {
    const r = parseExpression('share(a, b)\n  - share(c,\n    d) *');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ line: 3, column: 9 });
    const r2 = parseExpression('a +\n  b ) ');
    if (r2.ok) throw new Error('ожидалась ошибка');
    expect(r2.error).toEqual({ message: 'лишнее «)»', line: 2, column: 5 });
    const r3 = parseExpression('a = b');
    if (r3.ok) throw new Error('ожидалась ошибка');
    expect(r3.error.message).toContain('«==»');
    expect(r3.error.column).toBe(3);
  });
  it('неизвестная функция и неверное число аргументов', () => {
    const r = parseExpression('eval(1)');
    expect(!r.ok && r.error.message).toContain('неизвестная функция «eval»');
    const r2 = parseExpression('share(1)');
    expect(!r2.ok && r2.error.message).toContain('принимает 2');
  });
  it('ограничение глубины вложенности', () => {
    const ok = `${'('.repeat(MAX_DEPTH - 1)}1${')'.repeat(MAX_DEPTH - 1)}`;
    expect(parseExpression(ok).ok).toBe(true);
    const deep = `${'('.repeat(MAX_DEPTH + 5)}1${')'.repeat(MAX_DEPTH + 5)}`;
    const r = parseExpression(deep);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('слишком глубокая вложенность');
    const minus = parseExpression(`${'-'.repeat(1000)}1`);
    expect(!minus.ok && minus.error.message).toContain('вложенность');
  });
  it('недопустимые символы', () => {
    const r = parseExpression('a; b');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toEqual({ message: 'недопустимый символ «;»', line: 1, column: 2 });
  });
});

describe('язык формул: подстановка для пояснений', () => {
  it('подставляет значения и пишет × и −', () => {
    const e = parse('programmes / students * 100');
    expect(renderExpression(e, { programmes: 12, students: 359 })).toBe('12 / 359 × 100');
    expect(renderExpression(e, null)).toBe('programmes / students × 100');
    expect(renderExpression(parse('share(p, n) - share(c, n)'), { p: 3848, c: 143, n: 4215 })).toBe('3848 / 4215 × 100 − 143 / 4215 × 100');
    expect(renderExpression(parse('(a + b) * 2 - (c - d)'), null)).toBe('(a + b) × 2 − (c − d)');
    expect(renderExpression(parse('x / 2.5'), { x: 1234.5 })).toBe('1\u202F234,5 / 2,5');
  });
  it('перечисляет имена формулы', () => {
    expect(referencedNames(parse('if(a > 0, b / a, c) + a'))).toEqual(['a', 'b', 'c']);
  });
});

describe('checkFormula (редактор методики)', () => {
  const known = new Set(['programmes', 'students']);
  it('a good formula: null; unknown names with the first one\'s place; a parse error with its place', () => {
    expect(checkFormula('programmes / students * 100', known)).toBeNull();
    expect(checkFormula('programmes / pupils * 100 + teachers', known)).toEqual({ message: 'неизвестные имена: pupils, teachers', line: 1, column: 14 });
    const bad = checkFormula('programmes / (students * 100', known);
    expect(bad?.line).toBe(1);
    expect(bad?.message).toMatch(/\)/);
  });
});
