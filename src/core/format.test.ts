import { describe, expect, it } from 'vitest';
import { formatDate, formatNumber, formatPercent, joinSentences, parseRussianDate, plural, roundHalfUp } from './format.ts';

describe('roundHalfUp', () => {
  it('rounds halves away from zero, including binary-unfriendly values', () => {
    expect(roundHalfUp(3.342618, 1)).toBe(3.3);
    expect(roundHalfUp(2.25, 1)).toBe(2.3);
    expect(roundHalfUp(1.005, 2)).toBe(1.01);
    expect(roundHalfUp(-2.25, 1)).toBe(-2.3);
    expect(roundHalfUp(7.55, 1)).toBe(7.6);
    expect(roundHalfUp(0.5, 0)).toBe(1);
  });
});

describe('formatNumber', () => {
  it('uses a decimal comma and narrow spaces for thousands', () => {
    expect(formatNumber(5.6, 1)).toBe('5,6');
    expect(formatNumber(14577)).toBe('14\u202F577');
    expect(formatNumber(4050)).toBe('4\u202F050');
    expect(formatNumber(4215)).toBe('4\u202F215');
    expect(formatNumber(999)).toBe('999');
    expect(formatNumber(1234.5, 1)).toBe('1\u202F234,5');
    expect(formatNumber(-1000)).toBe('−1\u202F000');
    expect(formatNumber(1234567.891, 1)).toBe('1\u202F234\u202F567,9');
    expect(formatNumber(-3.25, 1)).toBe('−3,3');
    expect(formatNumber(-0.01, 1)).toBe('0,0');
    expect(formatNumber(Number.NaN)).toBe('—');
  });
  it('prints an integer as the general rounding path does', () => {
    const integers = [0, -0, 1, -1, 7, 999, -999, 1000, -1000, 4050, 65_535, 999_999, 1_000_000, -7_654_321, 999_999_999, -999_999_999];
    for (let x = 1; x < 1e9; x = x * 3 + 1) integers.push(x, -x);
    for (const x of integers) expect(formatNumber(x)).toBe(formatNumber(x, 0));
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(123456789)).toBe('123\u202F456\u202F789');
  });
  it('formats percentages as 78,9 %', () => {
    expect(formatPercent((11502 / 14577) * 100)).toBe('78,9\u00A0%');
  });
});

describe('dates', () => {
  it('formats and parses dd.mm.yyyy', () => {
    expect(formatDate('2022-06-30')).toBe('30.06.2022');
    expect(parseRussianDate('30.06.2022')).toBe('2022-06-30');
    expect(parseRussianDate('31.02.2022')).toBeNull();
  });
});

describe('plural', () => {
  it('chooses the Russian plural form', () => {
    expect(plural(1, ['балл', 'балла', 'баллов'])).toBe('балл');
    expect(plural(3, ['балл', 'балла', 'баллов'])).toBe('балла');
    expect(plural(11, ['балл', 'балла', 'баллов'])).toBe('баллов');
    expect(plural(0.5, ['балл', 'балла', 'баллов'])).toBe('балла');
  });
});

describe('joinSentences', () => {
  it('joins phrases with «. » and never doubles the full stop of an abbreviated unit', () => {
    expect(joinSentences(['Единица: чел.', 'Допустимо: от 0'])).toBe('Единица: чел. Допустимо: от 0');
    expect(joinSentences(['Подсказка', null, 'Единица: %', 'Допустимо: от 0 до 100'])).toBe('Подсказка. Единица: %. Допустимо: от 0 до 100');
    expect(joinSentences([undefined, '', false])).toBe('');
  });
});
