import { describe, expect, it } from 'vitest';
import { compileMethodology } from './evaluate.ts';
import { computeTable } from './run.ts';
import { MethodologySchema } from './schema.ts';

function run(aggregate: Record<string, unknown>, rows: string[][]) {
  const m = MethodologySchema.parse({
    id: 'agg', version: '1', direction: 'talents', title: 'Сводный показатель',
    inputs: { a: { type: 'integer', min: 0, title: 'a' }, b: { type: 'integer', min: 0, title: 'b' } },
    indicators: { ratio: { title: 'Доля', formula: 'a / b * 100', round: 0, scale: 'none' } },
    aggregates: { municipal: { title: 'По муниципалитету', round: 1, ...aggregate } },
    datasets: { orgs: { title: 'ОО', unit: 'organisation', key: 'name', columns: { a: 'a', b: 'b' }, indicators: ['ratio'] } },
  });
  const c = compileMethodology(m);
  if (!c.ok) throw new Error('методика не компилируется');
  const r = computeTable(c.compiled, ['name', 'a', 'b'], rows.map((cells, i) => ({ line: i + 2, cells })));
  if (!r.ok) throw new Error(r.error.message);
  return r.output.discrepancies.filter((d) => d.indicator === 'municipal');
}

describe('диагноз сводного показателя: другая агрегация (issue 16)', () => {
  it('среднее неокруглённых значений вместо округлённых: 1,4 при округлённых 1, 1, 1', () => {
    // 14 / 1000 × 100 = 1,4 % for each → rounded (round 0) to 1; the mean of rounded is 1,0, of unrounded 1,4.
    const d = run({ method: 'mean_of_orgs', of: 'ratio', published: { value: 1.4 } }, [['А', '14', '1000'], ['Б', '7', '500'], ['В', '28', '2000']]);
    expect(d.map((x) => [x.computed, x.diagnosis?.[0]?.code, x.diagnosis?.[0]?.message])).toEqual([
      [1, 'mean_of_unrounded', 'так получается, если усреднить неокруглённые значения организаций, а не округлённые: 4,20 / 3 = 1,400 → 1,4'],
    ]);
  });

  it('среднее долей организаций вместо отношения сумм: 23,3 при 60 / 200 × 100 = 30', () => {
    const d = run({ method: 'ratio_of_sums', numerator: 'a', denominator: 'b', multiplier: 100, published: { value: 23.3 } }, [['А', '1', '10'], ['Б', '9', '90'], ['В', '50', '100']]);
    // (10 + 10 + 50) / 3 = 23,33 → 23,3.
    expect(d.map((x) => [x.computed, x.diagnosis?.map((y) => y.code)[0], x.diagnosis?.[0]?.message])).toEqual([
      [30, 'mean_not_ratio', 'так получается, если усреднить доли организаций, а не разделить сумму a на сумму b: среднее 3 долей = 23,333 → 23,3'],
    ]);
  });

  it('ни одна агрегация не даёт напечатанного — прежний ответ', () => {
    const d = run({ method: 'ratio_of_sums', numerator: 'a', denominator: 'b', multiplier: 100, published: { value: 41.7 } }, [['А', '1', '10'], ['Б', '9', '90'], ['В', '50', '100']]);
    expect(d[0]?.diagnosis?.some((x) => x.code === 'mean_not_ratio')).toBe(false);
  });
});
