import { describe, expect, it } from 'vitest';
import { compileMethodology } from './evaluate.ts';
import { computeTable, type ComputeOutput } from './run.ts';
import { MethodologySchema, type Methodology } from './schema.ts';
import { compareOutputs, describeChange } from './what-if.ts';

/** Index = programmes / students × 100 (round 1), five levels as seed 004's 2.1; a criterion of 3 points. */
function methodology(averageTo: number, aboveFrom: number): Methodology {
  return MethodologySchema.parse({
    id: 'w', version: '1', direction: 'talents', title: 'Индекс',
    inputs: { students: { type: 'integer', min: 0, title: 'Обучающихся' }, programmes: { type: 'integer', min: 0, title: 'Программ' } },
    indicators: { index: { code: '2.1', title: 'Индекс многообразия', formula: 'programmes / students * 100', round: 1, scale: 'levels' } },
    scales: {
      levels: {
        bands: [
          { level: 'high', from: 7.6, points: 3 },
          { level: 'above_average', from: aboveFrom, to: 7.5, points: 2 },
          { level: 'average', from: 2.6, to: averageTo, points: 1 },
          { level: 'below_average', from: 1.6, to: 2.5, points: 0.5 },
          { level: 'low', from: 0, to: 1.5, points: 0 },
        ],
      },
    },
    criteria: [{ id: '2', title: 'Охват', max: 3, indicators: ['index'] }],
    total: { max: 3 },
    aggregates: { mean: { title: 'Среднее индексов', method: 'mean_of_orgs', of: 'index', round: 1, scale: 'levels' } },
    datasets: { orgs: { title: 'ОО', unit: 'organisation', key: 'name', columns: { students: 'students', programmes: 'programmes' }, indicators: ['index'] } },
  });
}

// Indices: А 5,3 (53/1000), Б 5,0, В 8,0, Г 5,5, Д 2,0.
const ROWS = [['А', '1000', '53'], ['Б', '200', '10'], ['В', '100', '8'], ['Г', '400', '22'], ['Д', '500', '10']];

function compute(m: Methodology): ComputeOutput {
  const c = compileMethodology(m);
  if (!c.ok) throw new Error('методика не компилируется');
  const r = computeTable(c.compiled, ['name', 'students', 'programmes'], ROWS.map((cells, i) => ({ line: i + 2, cells })));
  if (!r.ok) throw new Error(r.error.message);
  return r.output;
}

describe('compareOutputs («что если»)', () => {
  it('«средний» до 5,5: А (5,3) and Г (5,5) move from «выше среднего» (2) to «средний» (1); Б, В, Д stay', () => {
    const w = compareOutputs([compute(methodology(5.0, 5.1))], [compute(methodology(5.5, 5.6))]);
    expect(w.results.map((r) => [r.organisation, r.code, r.before?.level, r.after?.level, r.text])).toEqual([
      ['А', '2.1', 'выше среднего', 'средний', 'уровень: выше среднего → средний; баллы: 2 → 1'],
      ['Г', '2.1', 'выше среднего', 'средний', 'уровень: выше среднего → средний; баллы: 2 → 1'],
    ]);
    expect(w.totals.map((t) => [t.organisation, t.before, t.after])).toEqual([['А', 2, 1], ['Г', 2, 1]]);
    // Mean of indices (5,3 + 5,0 + 8,0 + 5,5 + 2,0) / 5 = 5,16 → 5,2: «выше среднего» before, «средний» after.
    expect(w.aggregates).toEqual([
      { id: 'mean', title: 'Среднее индексов', group: null, before: { value: 5.2, level: 'выше среднего', points: 2 }, after: { value: 5.2, level: 'средний', points: 1 }, text: 'уровень: выше среднего → средний; баллы: 2 → 1' },
    ]);
    expect(w.counts).toEqual({ organisations: 5, changedLevel: 2, changedPoints: 2, changedTotal: 2 });
  });

  it('the same version: nothing moves', () => {
    const w = compareOutputs([compute(methodology(5.0, 5.1))], [compute(methodology(5.0, 5.1))]);
    expect(w).toEqual({ results: [], totals: [], aggregates: [], counts: { organisations: 5, changedLevel: 0, changedPoints: 0, changedTotal: 0 } });
  });

  it('describeChange: values, a figure appearing or leaving', () => {
    expect(describeChange({ value: 5.04, level: null, points: null }, { value: 5.1, level: null, points: null })).toBe('значение: 5,04 → 5,1');
    expect(describeChange(null, { value: 1, level: null, points: null })).toBe('появляется в расчёте');
    expect(describeChange({ value: 1, level: null, points: null }, null)).toBe('выпадает из расчёта');
  });
});
