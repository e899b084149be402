/** Golden test of the compute service on seed 004's transcribed tables with the built-in `talents-2021`. */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { computeFromBuffer, loadMethodology } from '../../src/services/methodology/compute.ts';
import type { ComputeContract } from '../../src/services/methodology/compute.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../../../shared/fixtures/seed-004/${name}`, import.meta.url));

async function compute(name: string): Promise<ComputeContract> {
  const r = await computeFromBuffer({ methodology: 'talents-2021', buffer: await readFile(fixture(name)), fileName: name });
  if (!r.ok) throw new Error(r.error.text);
  return r.output;
}

describe('talents-2021 на данных seed 004', () => {
  it('organisations.csv: 50 из 51 индексов как в отчёте, Петровское 3,3 вместо 3,7, три расхождения', async () => {
    const o = await compute('organisations.csv');
    expect(o.methodology).toMatchObject({ id: 'talents-2021', version: '2021.1' });
    expect(o.methodology.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(o.results).toHaveLength(51);
    const csv = (await readFile(fixture('organisations.csv'), 'utf8')).trim().split('\n').slice(1).map((l) => l.split(','));
    const printed = new Map(csv.map((c) => [c[1], Number(c[5])]));
    const same = o.results.filter((r) => r.value === printed.get(r.organisation));
    expect(same).toHaveLength(50);
    const petr = o.results.find((r) => r.organisation === 'Петровское');
    expect(petr).toMatchObject({ indicator: 'diversity_index', value: 3.3, level: 'средний', points: 1 });
    expect(petr?.explanation).toBe('12 / 359 × 100 = 3,34 → 3,3 → «средний» (2,6–5,0) → 1 балл');
    expect(o.results.find((r) => r.organisation === 'ДОУ №21')).toMatchObject({ value: 15.8, level: 'высокий', points: 3 });

    const perOrg = o.discrepancies.filter((d) => d.organisation !== null);
    expect(perOrg.map((d) => [d.organisation, d.indicator, d.field, d.published, d.computed])).toEqual([
      ['Канакаево', 'diversity_index', 'level', 'Средний'.toLowerCase(), 'выше среднего'],
      ['Петровское', 'diversity_index', 'value', 3.7, 3.3],
      ['ДОУ №33', 'diversity_index', 'level', 'выше среднего', 'высокий'],
    ]);
    expect(o.discrepancies).toHaveLength(3);

    const agg = new Map(o.aggregates.map((a) => [a.id, a]));
    expect(agg.get('municipal_diversity_index')).toMatchObject({ value: 5.6, level: 'выше среднего' });
    expect(agg.get('diversity_ratio_of_sums')?.value).toBe(2.1);
    expect(agg.get('diversity_ratio_of_sums')?.explanation).toBe('отношение сумм: Σ programmes 588 / Σ students 28\u202F200 × 100 = 2,09 → 2,1');
    expect(agg.get('diversity_levels_by_type.school.high')?.value).toBe(9);
    expect(agg.get('diversity_levels_share.high')?.value).toBe(21.6);

    const dataWarnings = o.lint.filter((l) => l.path.startsWith('data.'));
    expect(dataWarnings.map((w) => w.message)).toContain('ДОУ №21, 2.1: значение 15,8 больше верхнего края 10,0, указанного в документе для полосы «высокий»');
    expect(dataWarnings).toHaveLength(7);
  });

  it('satisfaction.csv: индексы лояльности 87,9 / 85,2 / 96,0 / 89,7 против напечатанных 86 / 80 / 92 / 86', async () => {
    const o = await compute('satisfaction.csv');
    const loyalty = o.results.filter((r) => r.indicator === 'loyalty_index');
    expect(loyalty.map((r) => [r.organisation, r.value, r.level, r.points])).toEqual([
      ['school', 87.9, null, null], ['preschool', 85.2, null, null], ['supplementary', 96, null, null], ['total', 89.7, null, null],
    ]);
    const values = o.discrepancies.filter((d) => d.field === 'value');
    expect(values.map((d) => [d.organisation, d.indicator, d.published, d.computed])).toEqual([
      ['school', 'loyalty_index', 86, 87.9], ['preschool', 'loyalty_index', 80, 85.2], ['supplementary', 'loyalty_index', 92, 96], ['total', 'loyalty_index', 86, 89.7],
    ]);
    // The participation shares agree with the printed 40,6 / 90,3 / 61,6 / 58,6.
    expect(o.results.filter((r) => r.indicator === 'parents_survey_share').map((r) => r.value)).toEqual([40.6, 90.3, 61.6, 58.6]);
    // The totals row does not sum its children column: 10 377 + 2050 + 4025 = 16 452, printed 14 577.
    expect(o.discrepancies.filter((d) => d.field === 'aggregate').map((d) => [d.organisation, d.indicator, d.published, d.computed])).toEqual([
      ['total', 'children_5_17', 14577, 16452],
    ]);
  });

  it('coverage.csv: 11502 / 14577 = 78,9 % совпадает с отчётом, 2 балла', async () => {
    const o = await compute('coverage.csv');
    expect(o.results).toHaveLength(1);
    expect(o.results[0]).toMatchObject({ organisation: 'municipality', indicator: 'coverage_share', value: 78.9, points: 2 });
    expect(o.results[0]?.explanation).toBe('11\u202F502 / 14\u202F577 × 100 = 78,91 → 78,9 → полоса 76,0–87,9 → 2 балла');
    expect(o.discrepancies).toEqual([]);
  });

  it('focus.csv: доли направленностей по типам и по району', async () => {
    const o = await compute('focus.csv');
    expect(o.results.filter((r) => r.indicator === 'enrolments_total').map((r) => r.value)).toEqual([9762, 2668, 3501]);
    expect(o.aggregates.find((a) => a.id === 'technical_share_total')?.value).toBe(5.1);
  });

  it('результат зависит только от документа и данных: два расчёта совпадают', async () => {
    const a = await compute('organisations.csv');
    const b = await compute('organisations.csv');
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('методика загружается по пути так же, как по id', async () => {
    const byId = await loadMethodology('talents-2021');
    const byPath = await loadMethodology(fileURLToPath(new URL('../../library/talents-2021.yaml', import.meta.url)));
    expect(byId.ok && byPath.ok && byId.hash === byPath.hash).toBe(true);
  });

  it('методика-объект (из базы или загрузки) проверяется схемой и даёт тот же результат', async () => {
    const loaded = await loadMethodology('talents-2021');
    if (!loaded.ok) throw new Error('нет методики');
    const buffer = await readFile(fixture('organisations.csv'));
    const byObject = await computeFromBuffer({ methodology: loaded.methodology, buffer, fileName: 'organisations.csv' });
    const byId = await compute('organisations.csv');
    expect(byObject.ok && byObject.output.results).toEqual(byId.results);
    expect(byObject.ok && byObject.output.methodology.hash).toBe(byId.methodology.hash);
    const broken = await computeFromBuffer({ methodology: { ...loaded.methodology, version: 5 } as never, buffer, fileName: 'organisations.csv' });
    expect(broken.ok ? null : broken.error.text).toContain('version');
  });
});
