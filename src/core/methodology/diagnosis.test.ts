/** Diagnosis of discrepancies (issue 16): every hypothesis on hand-computed figures, cases where two hypotheses both
 * reproduce the print (listed in the documented order) and cases where none does. */
import { describe, expect, it } from 'vitest';
import { OtherValues, diagnoseLevel, diagnoseTotal, diagnoseValue, roundHalfEven, truncate } from './diagnosis.ts';
import type { FormulaShape } from './diagnosis.ts';
import type { Band } from './schema.ts';

const codes = (ds: { code: string }[]) => ds.map((d) => d.code);
const ratio = (numerator: number, denominator: number, multiplier = 100): FormulaShape => ({ kind: 'ratio', numerator, denominator, multiplier });
/** A change in per cent: (later − earlier) / earlier × 100. */
const change = (earlier: number, later: number): FormulaShape => ({ kind: 'ratio', numerator: later - earlier, denominator: earlier, multiplier: 100, difference: { later, earlier } });

// Таблица № 1 of seed 004 (diversity index), with the gaps between bands as printed.
const diversity: Band[] = [
  { level: 'high', from: 7.6, points: 3 },
  { level: 'above_average', from: 5.1, to: 7.5, points: 2 },
  { level: 'average', from: 2.6, to: 5.0, points: 1 },
  { level: 'below_average', from: 1.6, to: 2.5, points: 0.5 },
  { level: 'low', from: 0, to: 1.5, points: 0 },
];
// A continuous scale: below 50 «средний», 50 and above «высокий».
const halves: Band[] = [
  { level: 'high', from: 50 },
  { level: 'average', from: 0, to: 50, to_exclusive: true },
];

describe('вспомогательные округления', () => {
  it('отбрасывание знаков и округление к чётному', () => {
    expect(truncate(16.770186, 1)).toBe(16.7);
    expect(truncate(2.3, 1)).toBe(2.3); // 2,3 × 10 = 22,999… в двоичной записи — не 2,2
    expect(truncate(-2.36, 1)).toBe(-2.3);
    expect(roundHalfEven(2.25, 1)).toBe(2.2);
    expect(roundHalfEven(2.35, 1)).toBe(2.4);
    expect(roundHalfEven(2.26, 1)).toBe(2.3);
  });
});

describe('диагноз напечатанного числа: округление', () => {
  it('отброшены знаки: 59 / 2 500 × 100 = 2,36 напечатано 2,3', () => {
    const d = diagnoseValue({ printed: { value: 2.3, digits: 1 }, exact: (59 / 2500) * 100, round: 1, shape: ratio(59, 2500) });
    expect(codes(d)).toEqual(['truncated']);
    expect(d[0]?.message).toBe('так получается, если отбросить знаки после первого знака, а не округлить: 2,360 → 2,3');
  });
  it('округление промежуточного значения: 2,249 → 2,25 → 2,3', () => {
    const d = diagnoseValue({ printed: { value: 2.3, digits: 1 }, exact: 2.249, round: 1 });
    expect(codes(d)).toEqual(['rounded_intermediate']);
    expect(d[0]?.formula).toBe('2,2490 → 2,25 → 2,3');
  });
  it('доли индекса лояльности округлены до вычитания: 2 / 6 = 33 %, 4 / 6 = 67 %, 33 − 67 = −34 (точно −33,3 → −33)', () => {
    const d = diagnoseValue({ printed: { value: -34, digits: 0 }, exact: (2 / 6) * 100 - (4 / 6) * 100, round: 1, shape: { kind: 'loyalty', promoters: 2, critics: 4, respondents: 6 } });
    expect(codes(d)).toEqual(['rounded_shares']);
    expect(d[0]?.formula).toBe('33 − 67 = −34');
  });
  it('ровно половина 9 / 4 = 2,25 напечатана 2,2: и отбрасывание, и округление к чётному — оба, в порядке документа', () => {
    const d = diagnoseValue({ printed: { value: 2.2, digits: 1 }, exact: 9 / 4, round: 1 });
    expect(codes(d)).toEqual(['truncated', 'half_even']);
  });
  it('другое число знаков: 5,46 округлено до целых и напечатано «5,0»', () => {
    const d = diagnoseValue({ printed: { value: 5, digits: 1 }, exact: 5.46, round: 1 });
    expect(codes(d)).toEqual(['other_decimals']);
    expect(d[0]?.formula).toBe('5,46 → 5 → 5,0');
  });
});

describe('диагноз напечатанного числа: основание, строка, разряд и форма', () => {
  it('пример из задачи: 1 340 → 1 610 детей, напечатано +16,7 % — разность разделена на второй год и отброшены знаки', () => {
    const d = diagnoseValue({ printed: { value: 16.7, digits: 1 }, exact: (270 / 1340) * 100, round: 1, shape: change(1340, 1610) });
    expect(codes(d)).toEqual(['later_period_denominator+truncated']);
    expect(d[0]?.message).toBe(
      'так получается, если разделить разность 270 на значение второго периода (1\u202F610), а не первого (1\u202F340) и отбросить знаки после первого знака, а не округлить: 270 / 1\u202F610 × 100 = 16,770 → 16,7',
    );
  });
  it('делитель — второй год, округление верное: 270 / 1 610 × 100 = 16,77 → 16,8', () => {
    expect(codes(diagnoseValue({ printed: { value: 16.8, digits: 1 }, exact: (270 / 1340) * 100, round: 1, shape: change(1340, 1610) }))).toEqual(['later_period_denominator']);
  });
  it('формула делит на второй год, а отчёт — на первый: earlier_period_denominator', () => {
    const shape: FormulaShape = { kind: 'ratio', numerator: 270, denominator: 1610, multiplier: 100, difference: { later: 1610, earlier: 1340 } };
    expect(codes(diagnoseValue({ printed: { value: 20.1, digits: 1 }, exact: (270 / 1610) * 100, round: 1, shape }))).toEqual(['earlier_period_denominator']);
  });
  it('числитель и знаменатель переставлены: 359 / 12 × 100 = 2 991,67 → 2 991,7', () => {
    const d = diagnoseValue({ printed: { value: 2991.7, digits: 1 }, exact: (12 / 359) * 100, round: 1, shape: ratio(12, 359) });
    expect(codes(d)).toEqual(['swapped_ratio']);
    expect(d[0]?.formula).toBe('359 / 12 × 100 = 2\u202F991,667 → 2\u202F991,7');
  });
  it('значение другой организации: 3,7 = 4 / 108 × 100 (Кинзебулатово), а не 12 / 359 × 100 = 3,3', () => {
    const d = diagnoseValue({
      printed: { value: 3.7, digits: 1 }, exact: (12 / 359) * 100, round: 1, shape: ratio(12, 359),
      others: [{ organisation: 'Кинзебулатово', value: (4 / 108) * 100 }, { organisation: 'Макарово', value: (4 / 102) * 100 }],
    });
    expect(codes(d)).toEqual(['other_organisation']);
    expect(d[0]?.message).toBe('так получается, если взять значение другой организации — «Кинзебулатово»: 3,704 → 3,7');
  });
  it('несколько организаций с тем же значением: ближайшая к строке организации — первой', () => {
    const others = new OtherValues([
      { organisation: 'А', value: 3.71 }, { organisation: 'Б', value: 1.2 }, { organisation: 'В', value: 3.68 },
      { organisation: 'Г', value: 3.34 }, { organisation: 'Д', value: 3.72 },
    ]);
    const d = diagnoseValue({ printed: { value: 3.7, digits: 1 }, exact: 3.34, round: 1, others, self: 'Г' });
    expect(codes(d)).toEqual(['other_organisation']);
    expect(d[0]?.message).toBe('так получается, если взять значение другой строки — организаций «В», «Д», «А»: 3,680 → 3,7');
    expect(others.matching(3.7, 1).map((o) => o.organisation)).toEqual(['А', 'В', 'Д']);
  });
  it('значение прошлого периода той же организации', () => {
    expect(codes(diagnoseValue({ printed: { value: 3.7, digits: 1 }, exact: 3.34, round: 1, previous: 3.71 }))).toEqual(['previous_period']);
  });
  it('ошибка в разряде: 3,34 × 10 = 33,4; 0,873 × 100 = 87,3', () => {
    expect(codes(diagnoseValue({ printed: { value: 33.4, digits: 1 }, exact: (12 / 359) * 100, round: 1, shape: ratio(12, 359) }))).toEqual(['scaled']);
    const d = diagnoseValue({ printed: { value: 87.3, digits: 1 }, exact: 0.873, round: 1 });
    expect(codes(d)).toEqual(['scaled']);
    expect(d[0]?.formula).toBe('0,873 × 100 = 87,300 → 87,3');
  });
  it('доля напечатана дробью: 11 502 / 14 577 = 0,79 вместо 78,9 %', () => {
    const d = diagnoseValue({ printed: { value: 0.79, digits: 2 }, exact: (11502 / 14577) * 100, round: 1, shape: ratio(11502, 14577) });
    expect(codes(d)).toEqual(['share_as_fraction']);
    expect(d[0]?.formula).toBe('11\u202F502 / 14\u202F577 = 0,7891 → 0,79');
  });
  it('напечатана разность, а не процент изменения: 1 610 − 1 340 = 270', () => {
    expect(codes(diagnoseValue({ printed: { value: 270, digits: 0 }, exact: (270 / 1340) * 100, round: 1, shape: change(1340, 1610) }))).toEqual(['difference_not_percentage']);
  });
});

describe('диагноз напечатанного числа: цифры и «причина не найдена»', () => {
  it('переставлены соседние цифры: 37,2 → 37 напечатано 73', () => {
    const d = diagnoseValue({ printed: { value: 73, digits: 0 }, exact: 37.2, round: 1 });
    expect(codes(d)).toEqual(['transposed_digits']);
    expect(d[0]?.message).toBe('возможно, переставлены соседние цифры (другого объяснения не найдено): в отчёте 73, вычислено 37');
  });
  it('опечатка в одной цифре — только когда ничто другое не объясняет: 3,3 напечатано 3,7', () => {
    expect(codes(diagnoseValue({ printed: { value: 3.7, digits: 1 }, exact: (12 / 359) * 100, round: 1, shape: ratio(12, 359) }))).toEqual(['mistyped_digit']);
    const withRow = diagnoseValue({ printed: { value: 3.7, digits: 1 }, exact: (12 / 359) * 100, round: 1, shape: ratio(12, 359), others: [{ organisation: 'Кинзебулатово', value: 3.7037 }] });
    expect(codes(withRow)).toEqual(['other_organisation']);
  });
  it('ничто не воспроизводит: 12 / 359 × 100 = 3,3, напечатано 12,9', () => {
    const d = diagnoseValue({ printed: { value: 12.9, digits: 1 }, exact: (12 / 359) * 100, round: 1, shape: ratio(12, 359), others: [{ organisation: 'Ишеево', value: 15.38 }] });
    expect(d).toEqual([{ code: 'not_found', message: 'причина не найдена: проверьте исходные данные', formula: '' }]);
  });
  it('ничто не воспроизводит индекс лояльности 89,65 → напечатано 86 (ни доли, округлённые первыми, ни другой разряд)', () => {
    expect(codes(diagnoseValue({ printed: { value: 86, digits: 0 }, exact: (7935 / 8545) * 100 - (274 / 8545) * 100, round: 1, shape: { kind: 'loyalty', promoters: 7935, critics: 274, respondents: 8545 } }))).toEqual(['not_found']);
  });
});

describe('диагноз уровня', () => {
  it('граница «от 7,6» прочитана как «свыше 7,6»: 8 / 105 × 100 = 7,62 → 7,6, напечатано «выше среднего»', () => {
    const d = diagnoseLevel({ printed: 'выше среднего', exact: (8 / 105) * 100, round: 1, bands: diversity });
    expect(codes(d)).toEqual(['bound_read_other_way']);
    expect(d[0]?.message).toBe('так получается, если прочитать нижнюю границу «от 7,6» уровня «высокий» как «свыше 7,6»: 7,6 → «выше среднего»');
  });
  it('уровень по неокруглённому 49,96 (а не 50,0), по отброшенным знакам 49,9 и по «от 50» как «свыше 50» — все три, в порядке документа', () => {
    const d = diagnoseLevel({ printed: 'средний', exact: 49.96, round: 1, bands: halves });
    expect(codes(d)).toEqual(['unrounded_level', 'truncated_level', 'bound_read_other_way']);
    expect(d[0]?.formula).toBe('49,960 → «средний»');
  });
  it('уровень по отброшенным знакам 7,59 → 7,5 (неокруглённое 7,59 в пропуске шкалы); 7,6 на границе «от 7,6» — тоже', () => {
    expect(codes(diagnoseLevel({ printed: 'выше среднего', exact: 7.59, round: 1, bands: diversity }))).toEqual(['truncated_level', 'bound_read_other_way']);
  });
  it('уровень по значению, округлённому до целых: 3 / 58 × 100 = 5,17 → 5 → «средний»; и две ошибки — 5,1 и «от 5,1» как «свыше»', () => {
    const d = diagnoseLevel({ printed: 'средний', exact: (3 / 58) * 100, round: 1, bands: diversity });
    expect(codes(d)).toEqual(['level_other_decimals', 'truncated_level+bound_read_other_way']);
    expect(d[1]?.message).toBe(
      'так получается, если отбросить знаки после первого знака, а не округлить (5,172 → 5,1), и прочитать нижнюю границу «от 5,1» уровня «выше среднего» как «свыше 5,1»: 5,1 → «средний»',
    );
  });
  it('исключённая граница прочитана как включённая: 25,0 при «более 25» отнесено к верхней полосе', () => {
    const bands: Band[] = [{ level: 'high', from: 25, from_exclusive: true }, { level: 'average', from: 0, to: 25 }];
    expect(codes(diagnoseLevel({ printed: 'высокий', exact: 25, round: 1, bands }))).toEqual(['bound_read_other_way']);
  });
  it('ничто не воспроизводит: 3,34 напечатано «высокий»', () => {
    expect(codes(diagnoseLevel({ printed: 'высокий', exact: (12 / 359) * 100, round: 1, bands: diversity }))).toEqual(['not_found']);
  });
});

describe('диагноз итоговой строки', () => {
  it('строка не включена в сумму или сложена дважды', () => {
    const parts = [{ organisation: 'ОО', value: 10 }, { organisation: 'ДОУ', value: 20 }, { organisation: 'УДО', value: 30 }];
    const without = diagnoseTotal({ printed: 40, parts });
    expect(codes(without)).toEqual(['sum_without_row']);
    expect(without[0]?.message).toBe('так получается, если не включить в сумму строку «ДОУ» (20): 60 − 20 = 40');
    expect(codes(diagnoseTotal({ printed: 90, parts }))).toEqual(['row_counted_twice']);
  });
  it('итог — сумма части строк: без двух строк, меньше всего пропущенных', () => {
    const parts = [{ organisation: 'А', value: 10 }, { organisation: 'Б', value: 20 }, { organisation: 'В', value: 30 }, { organisation: 'Г', value: 45 }];
    // 10 + 45 = 55 (without Б and В); 55 has no one-row explanation: 105 − x ≠ 55 for every x, 105 + x ≠ 55.
    const d = diagnoseTotal({ printed: 55, parts });
    expect(codes(d)).toEqual(['sum_of_subset']);
    expect(d[0]?.message).toBe('так получается, если сложить не все строки — без «Б» (20), «В» (30): 10 + 45 = 55');
    // Many rows: pairs only. 30 rows of 1..30 sum to 465; 465 − 406 = 59 = 29 + 30 and no other pair.
    const many = Array.from({ length: 30 }, (_, i) => ({ organisation: `ОО ${i + 1}`, value: i + 1 }));
    const m = diagnoseTotal({ printed: 406, parts: many });
    expect(codes(m)).toEqual(['sum_of_subset']);
    expect(m[0]?.message).toContain('без «ОО 29» (29), «ОО 30» (30): 1 + 2 + ');
  });
  it('ничто не воспроизводит: 10 377 + 2 050 + 4 025 = 16 452, напечатано 14 577', () => {
    expect(codes(diagnoseTotal({ printed: 14577, parts: [{ organisation: 'school', value: 10377 }, { organisation: 'preschool', value: 2050 }, { organisation: 'supplementary', value: 4025 }] }))).toEqual(['not_found']);
  });
});

describe('диагноз: знаменатель соседней строки или итоговой', () => {
  const shape = { kind: 'ratio' as const, numerator: 30, denominator: 200, multiplier: 100 };
  const rows = (values: number[]) => values.map((value, i) => ({ organisation: `ОО ${i + 1}`, value }));
  it('30 / 240 × 100 = 12,5: знаменатель итоговой строки прежде соседней с тем же знаменателем', () => {
    const denominators = [...rows([200, 240, 300]), { organisation: 'Итого', value: 240 }];
    const d = diagnoseValue({ printed: { value: 12.5, digits: 1 }, exact: 15, round: 1, shape, denominators, self: 'ОО 1', total: 'Итого' });
    expect(codes(d)).toEqual(['other_denominator']);
    expect(d[0]?.message).toBe('так получается, если разделить на знаменатель итоговой строки (240), а не на свой (200): 30 / 240 × 100 = 12,500 → 12,5');
  });
  it('30 / 300 × 100 = 10: соседняя строка; строка дальше трёх от своей не рассматривается', () => {
    const near = diagnoseValue({ printed: { value: 10, digits: 0 }, exact: 15, round: 0, shape, denominators: rows([200, 250, 300]), self: 'ОО 1' });
    expect(near[0]?.message).toBe('так получается, если разделить на знаменатель соседней строки «ОО 3» (300), а не на свой (200): 30 / 300 × 100 = 10,00 → 10');
    const far = diagnoseValue({ printed: { value: 10, digits: 0 }, exact: 15, round: 0, shape, denominators: rows([200, 250, 250, 250, 300]), self: 'ОО 1' });
    expect(codes(far)).not.toContain('other_denominator');
  });
});

describe('диагноз уровня: полосы прежней редакции методики', () => {
  const now: Band[] = [{ to: 5, to_exclusive: true, level: 'low' }, { from: 5, level: 'high' }];
  const before: Band[] = [{ to: 6, to_exclusive: true, level: 'low' }, { from: 6, level: 'high' }];
  it('5,5 — «высокий» по редакции 2022.1, «низкий» по 2021.1: напечатан «низкий»', () => {
    const d = diagnoseLevel({ printed: 'низкий', exact: 5.5, round: 1, bands: now, earlier: [{ version: '2021.1', round: 1, bands: before }] });
    expect(codes(d)).toEqual(['earlier_version_band']);
    expect(d[0]?.message).toBe('так получается, если взять полосы прежней редакции методики (2021.1): «низкий» — менее 6,0: 5,5 → «низкий»');
  });
  it('прежняя редакция даёт тот же уровень, что и нынешняя, — не объяснение', () => {
    expect(codes(diagnoseLevel({ printed: 'низкий', exact: 6.5, round: 1, bands: now, earlier: [{ version: '2021.1', round: 1, bands: before }] }))).toEqual(['not_found']);
  });
});
