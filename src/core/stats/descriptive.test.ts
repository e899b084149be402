import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mean, median, quantile, standardDeviation, summarize, variance } from './descriptive.ts';

describe('descriptive statistics', () => {
  it('quartiles match Excel QUARTILE.INC / R quantile(type = 7)', () => {
    // Excel help example for QUARTILE.INC: {1,2,4,7,8,9,10,12} → Q1 = 3,5.
    expect(quantile([1, 2, 4, 7, 8, 9, 10, 12], 0.25)).toBeCloseTo(3.5, 12);
    // R: quantile(1:10) → 3.25, 5.5, 7.75.
    const d = summarize([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect([d.q1, d.median, d.q3]).toEqual([3.25, 5.5, 7.75]);
    // R: quantile(c(7, 15, 36, 39, 40, 41)) → 20.25, 37.5, 39.75.
    const e = summarize([41, 7, 39, 15, 40, 36]);
    expect(e.q1).toBeCloseTo(20.25, 12);
    expect(e.median).toBeCloseTo(37.5, 12);
    expect(e.q3).toBeCloseTo(39.75, 12);
    expect(e.iqr).toBeCloseTo(19.5, 12);
  });

  it('sample variance and standard deviation (STDEV.S)', () => {
    // {2,4,4,4,5,5,7,9}: population sd 2, sample variance 32/7.
    expect(variance([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(32 / 7, 12);
    expect(standardDeviation([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2.1380899353, 9);
    expect(variance([5])).toBeNull();
  });

  it('ignores nulls, undefined and NaN and reports them as missing', () => {
    const d = summarize([3, null, 1, undefined, Number.NaN, 2]);
    expect(d).toMatchObject({ n: 3, missing: 3, mean: 2, median: 2, min: 1, max: 3, variance: 1, sd: 1, sum: 6 });
    expect(mean([null, null])).toBeNull();
    expect(median([])).toBeNull();
  });

  it('empty input gives nulls, single value gives no spread', () => {
    expect(summarize([])).toMatchObject({ n: 0, missing: 0, mean: null, q1: null, min: null, sd: null });
    expect(summarize([7])).toMatchObject({ n: 1, mean: 7, median: 7, q1: 7, q3: 7, sd: null });
  });

  it('property: min ≤ q1 ≤ median ≤ q3 ≤ max and mean within [min, max]', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 }), (xs) => {
        const d = summarize(xs);
        const eps = 1e-6;
        expect(d.min! <= d.q1! + eps && d.q1! <= d.median! + eps && d.median! <= d.q3! + eps && d.q3! <= d.max! + eps).toBe(true);
        expect(d.mean! >= d.min! - eps && d.mean! <= d.max! + eps).toBe(true);
      }),
    );
  });

  it('rejects p outside [0, 1]', () => {
    expect(() => quantile([1, 2], 1.5)).toThrow(RangeError);
  });
});
