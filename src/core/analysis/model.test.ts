import { describe, expect, it } from 'vitest';
import type { Methodology } from '../methodology/index.ts';
import { MethodologySchema, compileMethodology, computeTable } from '../methodology/index.ts';
import type { ComputedTable } from './model.ts';
import { buildAnalysis } from './model.ts';
import { formatCell } from './conclusions.ts';

const methodology: Methodology = MethodologySchema.parse({
  id: 'unit-test',
  version: '1',
  direction: 'talents',
  title: 'Проверочная методика',
  goal: 'Проверить построение справки.',
  inputs: {
    students: { type: 'integer', min: 0, title: 'Численность обучающихся' },
    programmes: { type: 'integer', min: 0, title: 'Программ' },
    covered: { type: 'integer', min: 0, title: 'Охвачено' },
    children: { type: 'integer', min: 0, title: 'Детей' },
  },
  indicators: {
    idx: { code: '1.1', title: 'Индекс программ', formula: 'programmes / students * 100', round: 1, scale: 'five' },
    cover: { code: '1.2', title: 'Доля охваченных детей', unit: '%', formula: 'share(covered, children)', round: 1, target: 75, scale: 'cov' },
  },
  scales: {
    five: {
      bands: [
        { level: 'high', from: 7.6, points: 3 },
        { level: 'above_average', from: 5.1, to: 7.5, points: 2 },
        { level: 'average', from: 2.6, to: 5.0, points: 1 },
        { level: 'below_average', from: 1.6, to: 2.5, points: 0.5 },
        { level: 'low', from: 0, to: 1.5, points: 0 },
      ],
    },
    cov: { bands: [{ from: 75, to: 100, points: 1 }, { from: 0, to: 74.9, points: 0 }] },
  },
  criteria: [{ id: '1', title: 'Охват', max: 4, indicators: ['idx', 'cover'] }],
  aggregates: { mean_idx: { title: 'Средний индекс', method: 'mean_of_orgs', of: 'idx', round: 1, scale: 'five' } },
  datasets: {
    orgs: { title: 'Организации', unit: 'organisation', key: 'name', attributes: { type: 'type' }, columns: { students: 'students', programmes: 'programmes' }, indicators: ['idx'] },
    cov: { title: 'Охват', unit: 'municipality', key: 'scope', columns: { covered: 'covered', children: 'children' }, indicators: ['cover'] },
  },
});

function run(header: string[], rows: string[][]): ComputedTable {
  const c = compileMethodology(methodology);
  if (!c.ok) throw new Error('compile');
  const r = computeTable(c.compiled, header, rows.map((cells, i) => ({ line: i + 2, cells })));
  if (!r.ok) throw new Error(r.error.message);
  return r.output;
}

const orgRows = [
  ['А', 'school', '100', '10'], // 10,0 высокий
  ['Б', 'school', '100', '6'], // 6,0 выше среднего
  ['В', 'school', '300', '3'], // 1,0 низкий
  ['Г', 'preschool', '100', '4'], // 4,0 средний
  ['Д', 'preschool', '100', '2'], // 2,0 ниже среднего
  ['Е', 'preschool', '1000', '5'], // 0,5 низкий
  ['Ж', 'preschool', '100', '8'], // 8,0 высокий
];

function model() {
  const orgs = run(['name', 'type', 'students', 'programmes'], orgRows);
  const cov = run(['scope', 'covered', 'children'], [['municipality', '789', '1000']]);
  return buildAnalysis({
    methodology,
    computed: [orgs, cov],
    organisations: orgRows.map((r) => ({ name: r[0]!, type: r[1]! })),
    meta: { municipality: 'Город N' },
  });
}

describe('buildAnalysis', () => {
  it('распределение по уровням и типам: количества и доли сходятся к итогам и 100 %', () => {
    const m = model();
    const d = m.distributions[0]!;
    expect(d.byType.rows).toEqual(['высокий', 'выше среднего', 'средний', 'ниже среднего', 'низкий']);
    expect(d.byType.totals.total.count).toBe(7);
    for (const [j] of d.byType.cols.entries()) {
      const col = d.byType.body.map((r) => r.cells[j]!);
      expect(col.reduce((s, c) => s + c.share, 0)).toBeCloseTo(100, 6);
      expect(col.reduce((s, c) => s + c.count, 0)).toBe(d.byType.totals.cells[j]!.count);
    }
    expect(d.byType.body.reduce((s, r) => s + r.total.share, 0)).toBeCloseTo(100, 6);
    expect(d.members['низкий']).toEqual(['В', 'Е']);
  });

  it('выводы с числами: целевой показатель, средний индекс с уровнем, организации низкого уровня', () => {
    const texts = model().conclusions.map((c) => c.text);
    expect(texts).toContain('Показатель «Доля охваченных детей» составляет 78,9\u00A0%, что выше целевого показателя 75\u00A0% (1 балл).');
    expect(texts.find((t) => t.startsWith('Среднее по муниципалитету значение показателя «Индекс программ» — 4,5 («средний»)'))).toBeDefined();
    expect(texts).toContain('Уровень «низкий» у 2 организаций: В, Е.');
    expect(texts.some((t) => t.includes('Расхождений вычисленных значений с опубликованными данными не выявлено'))).toBe(true);
  });

  it('ранжирование, статистика, корреляция не проводится при одном показателе, кластеры по 7 организациям', () => {
    const m = model();
    expect(m.rankings[0]!.entries.map((e) => e.name)).toEqual(['А', 'Ж', 'Б', 'Г', 'Д', 'В', 'Е']);
    expect(m.statistics[0]!.all).toMatchObject({ n: 7, min: 0.5, max: 10 });
    expect(m.correlation.cells).toHaveLength(0);
    expect(m.correlation.note).toMatch(/один показатель/);
    expect(m.clusters?.result?.explanation).toMatch(/силуэт/);
    expect(m.municipal.map((x) => x.indicator.id).sort()).toEqual(['cover', 'idx']);
    expect(m.criteria.maxTotal).toBe(4);
  });

  it('корреляция между двумя показателями организаций: Пирсон с интерпретацией', () => {
    const m2 = MethodologySchema.parse({
      ...methodology,
      indicators: { ...methodology.indicators, size: { code: '1.3', title: 'Численность', formula: 'students' } },
      datasets: { ...methodology.datasets, orgs: { ...methodology.datasets!.orgs!, indicators: ['idx', 'size'] } },
    });
    const c = compileMethodology(m2);
    if (!c.ok) throw new Error('compile');
    const r = computeTable(c.compiled, ['name', 'type', 'students', 'programmes'], orgRows.map((cells, i) => ({ line: i + 2, cells })));
    if (!r.ok) throw new Error(r.error.message);
    const a = buildAnalysis({ methodology: m2, computed: [r.output], organisations: orgRows.map((x) => ({ name: x[0]!, type: x[1]! })) });
    expect(a.correlation.note).toBeNull();
    expect(a.correlation.cells).toHaveLength(1);
    expect(a.correlation.cells[0]).toMatchObject({ a: '1.1', b: '1.3', error: null });
    expect(a.correlation.cells[0]!.interpretation).toMatch(/r = −0,\d\d; n = 7/);
    expect(a.clusters?.indicators).toEqual(['idx', 'size']);
  });
});

describe('benchmarks of a campaign (regional value, target)', () => {
  it('a target entered for the campaign replaces the methodology one; the regional value joins the conclusion', () => {
    const orgs = run(['name', 'type', 'students', 'programmes'], orgRows);
    const cov = run(['scope', 'covered', 'children'], [['municipality', '789', '1000']]);
    const build = (benchmarks?: Record<string, { regional: number | null; target: number | null }>) =>
      buildAnalysis({ methodology, computed: [orgs, cov], organisations: orgRows.map((r) => ({ name: r[0]!, type: r[1]! })), ...(benchmarks ? { benchmarks } : {}) });
    const plain = build().municipal.find((x) => x.indicator.id === 'cover')!;
    expect(plain.target).toEqual({ value: 75, comparison: 'above' });
    expect(plain.regional).toBeNull();
    const m = build({ cover: { regional: 80.5, target: 85 }, mean_idx: { regional: 4, target: null } });
    const cover = m.municipal.find((x) => x.indicator.id === 'cover')!;
    expect(cover.target).toEqual({ value: 85, comparison: 'below' });
    expect(cover.regional).toEqual({ value: 80.5, comparison: 'below' });
    expect(m.conclusions.find((c) => c.id === 'municipal.cover')!.text).toBe(
      'Показатель «Доля охваченных детей» составляет 78,9\u00A0%, что ниже целевого показателя 85\u00A0%, ниже регионального значения 80,5\u00A0% (1 балл).',
    );
    // The mean of the organisations' indices (aggregate mean_idx) is compared with the regional value of the aggregate.
    const idx = m.municipal.find((x) => x.indicator.id === 'idx')!;
    expect(idx.kind).toBe('mean');
    expect(idx.regional?.value).toBe(4);
  });
});

describe('показатель «да/нет» в таблицах', () => {
  it('значение организации 1/0 печатается «да»/«нет», иное число — как число', () => {
    const yesNo = { unit: null, round: null, yesNo: true };
    expect([formatCell(1, yesNo), formatCell(0, yesNo), formatCell(0.6, yesNo)]).toEqual(['да', 'нет', '0,6']);
    expect(formatCell(1, { unit: '%', round: 1, yesNo: false })).toBe('1,0\u00A0%');
  });
});
