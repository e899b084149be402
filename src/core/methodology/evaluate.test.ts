import { describe, expect, it } from 'vitest';
import type { Compiled, Methodology, TableRow } from './index.ts';
import {
  agreesAtPrecision, canWarn, compileMethodology, computeTable, evaluateEntity, levelsAgree, lintMethodology, loyaltyFromCounts,
  loyaltyFromScores, parseCell, parsePrinted,
} from './index.ts';
import { roundHalfUp } from '../format.ts';
import { MethodologySchema } from './schema.ts';

const doc: Methodology = {
  id: 'test-diversity',
  version: '1',
  direction: 'talents',
  title: 'Проверочная методика',
  inputs: {
    students: { type: 'integer', min: 0, title: 'Обучающиеся' },
    programmes: { type: 'integer', min: 0, title: 'Программы' },
    respondents: { type: 'integer', min: 0, title: 'Респонденты', required: false },
    answer: { type: 'score', title: 'Оценка 0–10' },
  },
  indicators: {
    diversity_index: { code: '2.1', title: 'Индекс многообразия', formula: 'programmes / students * 100', round: 1, min: 0, scale: 'five' },
    per_student: { title: 'Программ на обучающегося', formula: 'diversity_index / 100' },
    loyalty: { title: 'Индекс лояльности', loyalty: { scores: 'answer' }, round: 1, min_respondents: { input: 'respondents', min: 5 } },
  },
  scales: {
    five: {
      bands: [
        { level: 'high', from: 7.6, nominal_to: 10, points: 3 },
        { level: 'above_average', from: 5.1, to: 7.5, points: 2 },
        { level: 'average', from: 2.6, to: 5.0, points: 1 },
        { level: 'below_average', from: 1.6, to: 2.5, points: 0.5 },
        { level: 'low', from: 0, to: 1.5, points: 0 },
      ],
    },
  },
  aggregates: {
    mean: { title: 'Среднее', method: 'mean_of_orgs', of: 'diversity_index', round: 1 },
    mean_raw: { title: 'Среднее неокруглённых', method: 'mean_of_orgs', of: 'diversity_index', values: 'unrounded', round: 1 },
    ratio: { title: 'Отношение сумм', method: 'ratio_of_sums', numerator: 'programmes', denominator: 'students', multiplier: 100, round: 1 },
    by_level: { title: 'По уровням', method: 'count_by_level', of: 'diversity_index', group_by: 'type' },
  },
  datasets: {
    orgs: {
      title: 'Организации',
      unit: 'organisation',
      key: 'name',
      attributes: { type: { column: 'type', values: ['school', 'preschool'] } },
      columns: { students: 'students', programmes: 'programmes' },
      indicators: ['diversity_index', 'per_student'],
      published: [
        { column: 'printed', indicator: 'diversity_index', field: 'value' },
        { column: 'printed_level', indicator: 'diversity_index', field: 'level' },
      ],
    },
    answers: { title: 'Ответы', unit: 'organisation_type', key: 'group', responses: true, columns: { answer: 'score', respondents: 'n' }, indicators: ['loyalty'] },
  },
};

function compiled(m: Methodology = doc): Compiled {
  const c = compileMethodology(m);
  if (!c.ok) throw new Error(c.errors.map((e) => e.message).join('; '));
  return c.compiled;
}
const rows = (lines: string[][]): TableRow[] => lines.map((cells, i) => ({ line: i + 2, cells }));

describe('вычисление показателя и пояснение', () => {
  it('12 / 359 × 100 = 3,34 → 3,3 → «средний» (2,6–5,0) → 1 балл', () => {
    const [r, per] = evaluateEntity(compiled(), ['diversity_index', 'per_student'], { key: 'Петровское', values: { students: 359, programmes: 12 } });
    expect(r).toMatchObject({ value: 3.3, level: 'average', levelName: 'средний', points: 1, band: { index: 2, bounds: '2,6–5,0' } });
    expect(r?.unrounded).toBeCloseTo(3.3426, 4);
    expect(r?.explanation).toBe('12 / 359 × 100 = 3,34 → 3,3 → «средний» (2,6–5,0) → 1 балл');
    expect(r?.inputs).toEqual({ programmes: 12, students: 359 });
    // An indicator referring to another uses its rounded value.
    expect(per?.value).toBeCloseTo(0.033, 10);
  });
  it('15,8 на полосе «7,6–10» — высокий уровень и предупреждение о выходе за напечатанный диапазон', () => {
    const [r] = evaluateEntity(compiled(), ['diversity_index'], { key: 'ДОУ №21', values: { students: 38, programmes: 6 } });
    expect(r).toMatchObject({ value: 15.8, levelName: 'высокий', points: 3 });
    expect(r?.explanation).toBe('6 / 38 × 100 = 15,79 → 15,8 → «высокий» (7,6 и выше; в документе «7,6–10,0») → 3 балла');
    expect(r?.warnings).toEqual(['значение 15,8 больше верхнего края 10,0, указанного в документе для полосы «высокий»']);
  });
  it('деление на ноль — «нет данных», без уровня и баллов', () => {
    const [r] = evaluateEntity(compiled(), ['diversity_index'], { key: 'X', values: { students: 0, programmes: 3 } });
    expect(r).toMatchObject({ value: null, level: null, points: null, reason: 'деление на ноль' });
    expect(r?.explanation).toBe('3 / 0 × 100 — нет данных (деление на ноль)');
  });
});

describe('индекс лояльности', () => {
  it('из количеств: 3848 и 143 из 4215 → 87,9', () => {
    const r = loyaltyFromCounts({ promoters: 3848, neutrals: 224, critics: 143, respondents: 4215 });
    expect(roundHalfUp(r.value as number, 1)).toBe(87.9);
    expect(r.warning).toBeUndefined();
    const bad = loyaltyFromCounts({ promoters: 10, neutrals: 5, critics: 5, respondents: 25 });
    expect(bad.warning).toBe('сторонники 10 + нейтралы 5 + критики 5 = 20, а респондентов 25');
    expect(loyaltyFromCounts({ promoters: 0, neutrals: 0, critics: 0 }).value).toBeNull();
  });
  it('из сырых ответов 0–10', () => {
    const r = loyaltyFromScores([10, 9, 9, 8, 7, 6, 0, 10]);
    expect(r.counts).toEqual({ promoters: 4, neutrals: 2, critics: 2, respondents: 8 });
    expect(r.value).toBe(25);
    expect(loyaltyFromScores([11]).value).toBeNull();
  });
  it('таблица ответов группируется по ключу; мало респондентов — значение скрыто', () => {
    const out = computeTable(compiled(), ['group', 'score', 'n'], rows([
      ['school', '10', '6'], ['school', '9', '6'], ['school', '6', '6'], ['school', '8', '6'], ['school', '10', '6'], ['school', '3', '6'],
      ['preschool', '10', '2'], ['preschool', '10', '2'],
    ]));
    if (!out.ok) throw new Error(out.error.message);
    const [school, pre] = out.output.results;
    expect(school).toMatchObject({ organisation: 'school', value: 16.7 });
    expect(school?.explanation).toContain('6 ответов: 9–10 баллов — 3, 7–8 — 1, 0–6 — 2');
    expect(pre).toMatchObject({ organisation: 'preschool', value: null });
    expect(pre?.details.suppressed).toBe(true);
    expect(pre?.explanation).toBe('респондентов 2 — меньше 5: значение не публикуется');
  });
});

describe('сверка с напечатанным', () => {
  it('сравнение с точностью напечатанного', () => {
    expect(agreesAtPrecision({ value: 86, digits: 0 }, 87.9)).toBe(false);
    expect(agreesAtPrecision({ value: 2.3, digits: 1 }, 2.26)).toBe(true);
    expect(agreesAtPrecision({ value: 3, digits: 0 }, 2.985)).toBe(true);
    expect(parsePrinted('78,9 %')).toEqual({ value: 78.9, digits: 1 });
    expect(parsePrinted('абв')).toBeNull();
    expect(levelsAgree('Средний', 'средний')).toBe(true);
    expect(levelsAgree(' Выше  среднего', 'выше среднего')).toBe(true);
    expect(levelsAgree('средний', null)).toBe(false);
  });
  it('таблица: значение, уровень, агрегаты (среднее ≠ отношение сумм), группы', () => {
    const out = computeTable(compiled(), ['name', 'type', 'students', 'programmes', 'printed', 'printed_level'], rows([
      ['Петровское', 'school', '359', '12', '3,7', 'Средний'],
      ['Канакаево', 'school', '58', '3', '5.2', 'средний'],
      ['ДОУ №21', 'preschool', '38', '6', '15.8', 'Высокий'],
    ]));
    if (!out.ok) throw new Error(out.error.message);
    const o = out.output;
    expect(o.dataset.id).toBe('orgs');
    expect(o.discrepancies.map((d) => [d.organisation, d.field, d.published, d.computed])).toEqual([
      ['Петровское', 'value', 3.7, 3.3],
      ['Канакаево', 'level', 'средний', 'выше среднего'],
    ]);
    const agg = Object.fromEntries(o.aggregates.map((a) => [a.id, a.value]));
    expect(agg.mean).toBe(8.1); // (3,3 + 5,2 + 15,8) / 3 = 8,1
    expect(agg.ratio).toBe(4.6); // 21 / 455 × 100 = 4,62
    expect(agg['by_level.school.average']).toBe(1);
    expect(agg['by_level.preschool.high']).toBe(1);
  });
  it('ошибки файла называют строку и столбец', () => {
    const bad = computeTable(compiled(), ['name', 'type', 'students', 'programmes'], rows([['A', 'school', '10', '1'], ['B', 'school', 'abc', '1']]));
    expect(bad).toEqual({ ok: false, error: { line: 3, column: 'students', message: '«abc» — не число' } });
    const type = computeTable(compiled(), ['name', 'type', 'students', 'programmes'], rows([['A', 'gymnasium', '10', '1']]));
    expect(type.ok || type.error).toMatchObject({ line: 2, column: 'type' });
    const missing = computeTable(compiled(), ['name', 'type', 'students'], rows([['A', 'school', '10']]));
    expect(missing.ok || missing.error).toMatchObject({ line: 1, column: 'programmes' });
    expect(parseCell('1 234,5', { type: 'number', title: 'x' })).toEqual({ ok: true, value: 1234.5 });
    expect(parseCell('2,5', { type: 'integer', title: 'x' })).toEqual({ ok: false, message: '«2,5» — не целое число' });
    expect(parseCell('да', { type: 'boolean', title: 'x' })).toEqual({ ok: true, value: true });
    expect(parseCell('30.06.2022', { type: 'date', title: 'x' })).toEqual({ ok: true, value: '2022-06-30' });
    expect(parseCell('x', { type: 'enum', title: 'x', values: ['a'] }).ok).toBe(false);
  });
});

describe('линтер методики', () => {
  it('неизвестные имена, синтаксис с позицией, цикл', () => {
    const bad: Methodology = {
      ...doc,
      indicators: {
        a: { title: 'A', formula: 'students +\n  * 2' },
        b: { title: 'B', formula: 'pupils / teachers' },
        c: { title: 'C', formula: 'd + 1' },
        d: { title: 'D', formula: 'c + 1' },
      },
      datasets: {},
      aggregates: {},
    };
    const items = lintMethodology(bad).filter((i) => i.severity === 'error');
    expect(items.find((i) => i.path === 'indicators.a.formula')).toMatchObject({ formulaLine: 2, formulaColumn: 3 });
    expect(items.find((i) => i.path === 'indicators.b.formula')?.message).toContain('неизвестные имена: pupils, teachers');
    expect(items.some((i) => i.message.includes('циклическая зависимость'))).toBe(true);
  });
});

describe('критерии, итог и сводные показатели', () => {
  const withCriteria: Methodology = {
    ...doc,
    indicators: {
      a_share: { code: '1.1', title: 'Доля A', formula: 'share(a, n)', round: 1, scale: 'pts' },
      b_share: { code: '1.2', title: 'Доля B', formula: 'share(b, n)', round: 1, scale: 'pts' },
    },
    inputs: { a: { type: 'integer', title: 'A' }, b: { type: 'integer', title: 'B' }, n: { type: 'integer', title: 'N' } },
    scales: {
      pts: { bands: [{ from: 50, points: 2 }, { from: 20, to: 50, to_exclusive: true, points: 1 }, { to: 20, to_exclusive: true, points: 0 }] },
      total_levels: { bands: [{ from: 3, level: 'high' }, { to: 3, to_exclusive: true, level: 'low' }] },
    },
    criteria: [{ id: '1', title: 'Критерий', max: 4, indicators: ['a_share', 'b_share'] }],
    total: { max: 4, scale: 'total_levels' },
    aggregates: {
      med: { title: 'Медиана', method: 'median', of: 'a_share', round: 1 },
      lo: { title: 'Минимум', method: 'min', of: 'a_share' },
      hi: { title: 'Максимум', method: 'max', of: 'a_share' },
      shares: { title: 'Доли', method: 'share_by_level', of: 'a_share', round: 1 },
    },
    datasets: { t: { title: 'T', unit: 'organisation', key: 'name', columns: { a: 'a', b: 'b', n: 'n' }, indicators: ['a_share', 'b_share'] } },
  };

  it('сумма баллов по критериям и уровень итога; медиана, минимум, максимум', () => {
    expect(lintMethodology(withCriteria)).toEqual([]);
    const out = computeTable(compiled(withCriteria), ['name', 'a', 'b', 'n'], rows([['X', '60', '30', '100'], ['Y', '10', '5', '100'], ['Z', '25', '0', '100']]));
    if (!out.ok) throw new Error(out.error.message);
    expect(out.output.totals.map((t) => [t.organisation, t.points, t.level])).toEqual([['X', 3, 'высокий'], ['Y', 0, 'низкий'], ['Z', 1, 'низкий']]);
    expect(out.output.totals[0]?.explanation).toBe('1.1: 2 + 1.2: 1 = 3 балла из 4');
    const agg = Object.fromEntries(out.output.aggregates.map((a) => [a.id, a]));
    expect(agg.med?.value).toBe(25);
    expect(agg.lo?.explanation).toContain('— Y');
    expect(agg.hi?.value).toBe(60);
    // share_by_level needs levels: this scale has points only, so every level is 0 of 3.
    expect(agg['shares.high']?.value).toBe(0);
  });
});

describe('показатель «да/нет»', () => {
  const m = MethodologySchema.parse({
    id: 'yes-no', version: '1', direction: 'leaders', title: 'Да/нет',
    inputs: { site_plan: { type: 'boolean', title: 'План на сайте' }, complaints: { type: 'integer', min: 0, title: 'Жалоб' } },
    indicators: {
      plan: { title: 'Наличие плана', kind: 'yes_no', formula: 'site_plan', scale: 'none' },
      no_complaints: { title: 'Отсутствие жалоб', kind: 'yes_no', formula: 'complaints == 0', scale: 'points' },
    },
    scales: { points: { bands: [{ to: 0, points: 0 }, { from: 1, points: 2 }] } },
  });
  const c = compileMethodology(m);
  if (!c.ok) throw new Error('методика не компилируется');
  it('«да» — 1, «нет» — 0, пояснение говорит «да»/«нет»; шкала читает 1/0', () => {
    const [plan, none] = evaluateEntity(c.compiled, ['plan', 'no_complaints'], { key: 'ОО', values: { site_plan: true, complaints: 0 } });
    expect([plan?.value, plan?.explanation]).toEqual([1, 'да → да (шкала в источнике не задана)']);
    expect([none?.value, none?.points, none?.explanation.startsWith('0 = 0 → да')]).toEqual([1, 2, true]);
    const [noPlan, some] = evaluateEntity(c.compiled, ['plan', 'no_complaints'], { key: 'ОО', values: { site_plan: false, complaints: 3 } });
    expect([noPlan?.value, some?.value, some?.points]).toEqual([0, 0, 0]);
    const [empty] = evaluateEntity(c.compiled, ['plan'], { key: 'ОО', values: { site_plan: null } });
    expect([empty?.value, empty?.reason]).toEqual([null, 'нет данных: site_plan']);
  });
});

describe('which indicators can warn', () => {
  it('a minimum, a maximum, a scale with known edges or a loyalty index can; a formula without them cannot, whatever the data', () => {
    const m = MethodologySchema.parse(doc);
    expect(canWarn(m, m.indicators.diversity_index!)).toBe(true);
    expect(canWarn(m, m.indicators.loyalty!)).toBe(true);
    expect(canWarn(m, m.indicators.per_student!)).toBe(false);
    expect(canWarn(m, { ...m.indicators.per_student!, max: 1 })).toBe(true);
    expect(canWarn(m, { ...m.indicators.per_student!, scale: 'five' })).toBe(true);
    expect(canWarn(m, { ...m.indicators.per_student!, scale: 'none' })).toBe(false);
    // Not vacuous: per_student over the same data gives no warning where diversity_index does.
    const c = compileMethodology(m);
    if (!c.ok) throw new Error('not compiled');
    const [di, ps] = evaluateEntity(c.compiled, ['diversity_index', 'per_student'], { key: 'ОО', values: { students: 10, programmes: -3 } });
    expect(di?.warnings.length).toBeGreaterThan(0);
    expect(ps?.warnings).toEqual([]);
  });
});
