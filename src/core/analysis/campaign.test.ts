import { describe, expect, it } from 'vitest';
import type { Methodology } from '../methodology/index.ts';
import { MethodologySchema, compileMethodology, computeTable } from '../methodology/index.ts';
import { clusterAnalysis, correlations, dynamics, resultsTable } from './campaign.ts';
import type { ComputedTable } from './model.ts';
import { buildAnalysis } from './model.ts';

const m: Methodology = MethodologySchema.parse({
  id: 'unit-campaign',
  version: '1',
  direction: 'talents',
  title: 'Проверочная методика',
  inputs: {
    students: { type: 'integer', min: 0, title: 'Численность обучающихся' },
    programmes: { type: 'integer', min: 0, title: 'Программ' },
    surveyed: { type: 'integer', min: 0, title: 'Опрошено' },
  },
  indicators: {
    idx: { code: '1.1', title: 'Индекс программ', formula: 'programmes / students * 100', round: 1, scale: 'five' },
    part: { code: '1.2', title: 'Доля опрошенных', unit: '%', formula: 'share(surveyed, students)', round: 1, scale: 'part' },
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
    part: { bands: [{ from: 25, from_exclusive: true, points: 3 }, { from: 0, to: 25, points: 0 }] },
  },
  criteria: [{ id: '1', title: 'Всё', max: 6, indicators: ['idx', 'part'] }],
  aggregates: { mean_idx: { title: 'Средний индекс', method: 'mean_of_orgs', of: 'idx', round: 1, scale: 'five' } },
  datasets: {
    orgs: { title: 'Организации', unit: 'organisation', key: 'name', attributes: { type: 'type' }, columns: { students: 'students', programmes: 'programmes' }, indicators: ['idx'] },
    survey: { title: 'Опрос', unit: 'organisation', key: 'name', attributes: { type: 'type' }, columns: { students: 'students', surveyed: 'surveyed' }, indicators: ['part'] },
  },
});

function table(header: string[], rows: string[][]): ComputedTable {
  const c = compileMethodology(m);
  if (!c.ok) throw new Error('methodology');
  const r = computeTable(c.compiled, header, rows.map((cells, i) => ({ line: i + 2, cells })));
  if (!r.ok) throw new Error(r.error.message);
  return r.output;
}

// students, programmes, surveyed per organisation (two campaigns: programmes change).
const ORGS: [string, string, number, number, number][] = [
  ['А', 'school', 100, 10, 30],
  ['Б', 'school', 200, 6, 20],
  ['В', 'school', 400, 4, 60],
  ['Г', 'preschool', 50, 6, 20],
  ['Д', 'preschool', 80, 2, 10],
  ['Е', 'preschool', 120, 1, 40],
  ['Ж', 'supplementary', 900, 30, 100],
];

function analysis(programmes: (p: number, i: number) => number) {
  const orgs = table(['name', 'type', 'students', 'programmes'], ORGS.map(([n, t, s, p], i) => [n, t, String(s), String(programmes(p, i))]));
  const survey = table(['name', 'type', 'students', 'surveyed'], ORGS.map(([n, t, s, , v]) => [n, t, String(s), String(v)]));
  const model = buildAnalysis({ methodology: m, computed: [orgs, survey], organisations: ORGS.map(([name, type]) => ({ name, type })) });
  return { model, table: resultsTable(model, m, ORGS.map(([name], i) => ({ name, id: `id-${i}`, growthPoint: name === 'В' }))) };
}

describe('campaign results table', () => {
  it('joins the organisation tables into one row per organisation with the points of both indicators', () => {
    const { table: t } = analysis((p) => p);
    expect(t.indicators.map((i) => i.id)).toEqual(['idx', 'part']);
    expect(t.maxPoints).toBe(6);
    expect(t.rows.map((r) => r.name)).toEqual(['А', 'Б', 'В', 'Г', 'Д', 'Е', 'Ж']);
    const a = t.rows[0]!;
    // 10 / 100 × 100 = 10 → высокий, 3 points; 30 / 100 = 30 % > 25 → 3 points.
    expect(a.cells.idx).toMatchObject({ value: 10, level: 'высокий', points: 3 });
    expect(a.cells.part).toMatchObject({ value: 30, points: 3 });
    expect(a.total).toEqual({ points: 6, max: 6, complete: true });
    expect(a.inputs).toEqual({ students: 100, programmes: 10, surveyed: 30 });
    expect(t.rows.find((r) => r.name === 'В')).toMatchObject({ id: 'id-2', growthPoint: true, total: { points: 0, max: 6, complete: true } });
  });

  it('correlates indicators and inputs with n and p (Pearson and Spearman)', () => {
    const { table: t } = analysis((p) => p);
    const c = correlations(t);
    expect(c.variables.map((v) => v.code)).toEqual(['1.1', '1.2', 'students', 'programmes', 'surveyed']);
    expect(c.pairs).toHaveLength(10);
    const p = c.pairs.find((x) => x.a === 'students' && x.b === 'programmes')!;
    expect(p.correlation?.n).toBe(7);
    // students and programmes: Pearson r = 0,8687 (Python statistics.correlation over the seven pairs above).
    expect(p.correlation?.r).toBeCloseTo(0.8687286, 6);
    expect(p.significant).toBe(true);
    expect(p.interpretation).toMatch(/^Связь прямая высокая \(r = 0,87; n = 7; p = 0,0\d\d — значима при α = 0,05\)$/);
    const s = correlations(t, 'spearman').pairs.find((x) => x.a === 'students' && x.b === 'programmes')!;
    expect(s.correlation?.method).toBe('spearman');
    expect(correlations({ ...t, rows: t.rows.slice(0, 2) }).note).toMatch(/не проводился/);
  });

  it('clusters on standardised indicators, the k with the largest silhouette, explained in Russian', () => {
    const { table: t } = analysis((p) => p);
    const c = clusterAnalysis(t, { maxK: 4 });
    const r = c.result!;
    expect(r.tried.map((x) => x.k)).toEqual([2, 3, 4]);
    expect(r.tried.find((x) => x.k === r.k)!.silhouette).toBe(Math.max(...r.tried.map((x) => x.silhouette)));
    expect(r.clusters.reduce((n, x) => n + x.members.length, 0)).toBe(7);
    expect(c.explanation).toContain('Метод k-средних по стандартизованным значениям (z-оценкам) показателей 1.1, 1.2');
    expect(c.explanation).toContain(`k = 2: `);
    expect(c.explanation).toMatch(/Выбрано \d кластер/);
    expect(clusterAnalysis({ ...t, rows: t.rows.slice(0, 5) }).explanation).toBe('Кластерный анализ не проводился: организаций меньше шести.');
  });
});

describe('dynamics between two campaigns', () => {
  it('gives the change with its direction per organisation and for the municipality, and lists who moved down a level', () => {
    const prev = analysis((p, i) => (i === 1 ? 12 : p));
    const cur = analysis((p, i) => (i === 4 ? 5 : p));
    const d = dynamics(cur, prev);
    expect(d.indicators.map((i) => i.id)).toEqual(['idx', 'part']);
    const b = d.rows.find((r) => r.name === 'Б')!.cells.idx!;
    // Б: 12 / 200 = 6,0 («выше среднего») → 6 / 200 = 3,0 («средний»).
    expect(b).toEqual({ previous: 6, current: 3, change: -3, direction: 'down', previousLevel: 'выше среднего', currentLevel: 'средний', levelChange: 'down' });
    const dd = d.rows.find((r) => r.name === 'Д')!.cells.idx!;
    expect(dd).toMatchObject({ previous: 2.5, current: 6.3, change: 3.8, direction: 'up', levelChange: 'up' });
    expect(d.rows.find((r) => r.name === 'А')!.cells.idx).toMatchObject({ change: 0, direction: 'same', levelChange: 'same' });
    expect(d.movedDown).toEqual([{ name: 'Б', type: 'school', indicator: 'idx', indicatorTitle: '1.1. Индекс программ', from: 'выше среднего', to: 'средний' }]);
    // Means of the rounded indices: 35,6 / 7 = 5,1 before, 36,4 / 7 = 5,2 now.
    expect(d.municipal.find((x) => x.indicator.id === 'idx')).toMatchObject({ previous: 5.1, current: 5.2, change: 0.1, direction: 'up' });
    expect(d.onlyCurrent).toEqual([]);
  });
});
