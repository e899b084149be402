import { describe, expect, it } from 'vitest';
import { decisionEffect, indicatorEffect, NO_NEXT_CAMPAIGN, type CampaignIndicatorValues, type EffectIndicatorInput } from './effect.ts';

const before: CampaignIndicatorValues = {
  id: 'c1', title: 'Мониторинг 2022', periodCode: '2022', periodStart: '2022-01-01',
  values: [
    { organisationId: 'o34', organisation: 'ДОУ №34', value: 1.2 },
    { organisationId: 'o28', organisation: 'ДОУ №28', value: 2.4 },
    { organisationId: 'o1', organisation: '№1', value: 8.1 },
  ],
  aggregate: null,
};
const after: CampaignIndicatorValues = {
  id: 'c2', title: 'Мониторинг 2023', periodCode: '2023', periodStart: '2023-01-01',
  values: [
    { organisationId: 'o34', organisation: 'ДОУ №34', value: 3.0 },
    { organisationId: 'o28', organisation: 'ДОУ №28', value: 2.1 },
    { organisationId: 'o1', organisation: '№1', value: 8.1 },
  ],
  aggregate: null,
};
const input = (over: Partial<EffectIndicatorInput> = {}): EffectIndicatorInput => ({
  methodologyId: 'talents-2021',
  indicator: { id: 'diversity_index', title: 'Индекс многообразия', unit: null, round: 1, target: null },
  target: 2.6,
  direction: 'increase',
  organisations: [{ id: 'o34', name: 'ДОУ №34' }, { id: 'o28', name: 'ДОУ №28' }],
  before,
  after,
  ...over,
});

describe('indicatorEffect', () => {
  it('compares per organisation and overall with change, direction and target', () => {
    const e = indicatorEffect(input());
    expect(e.status).toBe('measured');
    expect(e.organisations.map((l) => [l.organisation, l.before, l.after, l.change, l.trend, l.improved, l.targetReached])).toEqual([
      ['ДОУ №34', 1.2, 3, 1.8, 'up', true, true],
      ['ДОУ №28', 2.4, 2.1, -0.3, 'down', false, false],
    ]);
    // Mean of organisations: (1.2 + 2.4 + 8.1) / 3 = 3.9 → (3 + 2.1 + 8.1) / 3 = 4.4.
    expect(e.overall).toMatchObject({ before: 3.9, after: 4.4, change: 0.5, trend: 'up', improved: true, targetReached: true });
    expect(e.overall!.organisation).toBe('В целом (среднее по 3 организациям)');
    expect(e.organisations[0]!.text).toBe('ДОУ №34: 1,2 → 3 (+1,8, рост, в нужную сторону); цель 2,6 достигнута');
    expect(e.organisations[1]!.text).toBe('ДОУ №28: 2,4 → 2,1 (−0,3, снижение, не в нужную сторону); цель 2,6 не достигнута');
  });

  it('uses the methodology aggregate when there is one, and the methodology target when the decision gives none', () => {
    const e = indicatorEffect(input({
      target: null,
      indicator: { id: 'coverage_share', title: 'Охват', unit: '%', round: 1, target: 75 },
      before: { ...before, aggregate: { value: 71.4, title: 'доля охваченных по муниципалитету' } },
      after: { ...after, aggregate: { value: 76.0, title: 'доля охваченных по муниципалитету' } },
      organisations: [],
    }));
    expect(e.target).toBe(75);
    expect(e.overall).toMatchObject({ organisation: 'В целом (доля охваченных по муниципалитету)', before: 71.4, after: 76, change: 4.6, targetReached: true });
    expect(e.overall!.text).toContain('71,4 % → 76 % (+4,6');
  });

  it('a decrease wanted: a fall is an improvement and the target is an upper bound', () => {
    const e = indicatorEffect(input({ direction: 'decrease', target: 2.2 }));
    expect(e.organisations.map((l) => [l.improved, l.targetReached])).toEqual([[false, false], [true, true]]);
  });

  it('no change is not an improvement', () => {
    const e = indicatorEffect(input({ organisations: [{ id: 'o1', name: '№1' }], target: null }));
    expect(e.organisations[0]).toMatchObject({ change: 0, trend: 'same', improved: false, targetReached: null });
  });

  it('without the next campaign says so', () => {
    const e = indicatorEffect(input({ after: null }));
    expect(e).toMatchObject({ status: 'no_next_campaign', message: NO_NEXT_CAMPAIGN, overall: null, organisations: [] });
  });

  it('a next campaign without values of the indicator is not measured', () => {
    const empty = { ...after, values: after.values.map((v) => ({ ...v, value: null })) };
    const e = indicatorEffect(input({ after: empty }));
    expect(e.status).toBe('no_data');
    expect(e.message).toBe('в мониторинге «Мониторинг 2023» нет значений показателя «Индекс многообразия» — нет данных следующего мониторинга');
    expect(e.organisations[0]!.text).toBe('ДОУ №34: нет значения в следующем мониторинге');
  });

  it('an organisation absent from the next campaign has no change', () => {
    const partial = { ...after, values: after.values.filter((v) => v.organisationId !== 'o28') };
    const e = indicatorEffect(input({ after: partial }));
    expect(e.organisations.map((l) => l.change)).toEqual([1.8, null]);
    expect(e.status).toBe('measured');
  });
});

describe('decisionEffect', () => {
  it('is measurable when any indicator is measured, and summarises in Russian', () => {
    const d = decisionEffect({ date: '2022-09-12', title: 'Приказ' }, [input(), input({ after: null, indicator: { id: 'x', title: 'X', unit: null, round: 0, target: null } })]);
    expect(d.measurable).toBe(true);
    expect(d.summary).toBe('«Индекс многообразия»: 3,9 → 4,4, цель достигнута; улучшение у 1 из 2 организаций');
  });
  it('is not measurable without the next campaign or without indicators', () => {
    expect(decisionEffect({ date: '2022-09-12', title: 'Приказ' }, [input({ after: null })])).toMatchObject({ measurable: false, summary: NO_NEXT_CAMPAIGN });
    expect(decisionEffect({ date: '2022-09-12', title: 'Приказ' }, [])).toMatchObject({ measurable: false, summary: 'решение от 12.09.2022 не называет показателей, на которые должно повлиять' });
  });
});
