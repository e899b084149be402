import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { crossTab, distribution, largestRemainder } from './distribution.ts';

const sum1 = (xs: readonly number[]): number => Math.round(xs.reduce((s, x) => s + x, 0) * 10) / 10;

describe('largest remainder rounding', () => {
  it('thirds become 33,4 + 33,3 + 33,3', () => {
    expect(largestRemainder([1, 1, 1])).toEqual([33.4, 33.3, 33.3]);
  });

  it('seed-like level distribution of 51 organisations adds up to 100', () => {
    // 7, 12, 20, 9, 3 of 51: exact 13,725 / 23,529 / 39,215 / 17,647 / 5,882.
    expect(largestRemainder([7, 12, 20, 9, 3])).toEqual([13.7, 23.5, 39.2, 17.7, 5.9]);
    expect(largestRemainder([2, 1], 0)).toEqual([67, 33]);
    expect(largestRemainder([0, 0])).toEqual([0, 0]);
    expect(largestRemainder([0, 3, 0])).toEqual([0, 100, 0]);
  });

  it('property: shares add up to exactly 100 and each is within one unit of its exact value', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(500), { minLength: 1, maxLength: 12 }), (counts) => {
        const total = counts.reduce((s, c) => s + c, 0);
        const shares = largestRemainder(counts);
        if (total === 0) {
          expect(shares.every((s) => s === 0)).toBe(true);
          return;
        }
        expect(sum1(shares)).toBe(100);
        shares.forEach((s, i) => expect(Math.abs(s - (counts[i]! * 100) / total)).toBeLessThan(0.1 + 1e-9));
      }),
    );
  });
});

describe('distribution and cross table', () => {
  it('counts categories in the given order, zero categories included, missing reported', () => {
    const d = distribution(['высокий', 'средний', null, 'средний', 'низкий', ''], {
      categories: ['высокий', 'выше среднего', 'средний', 'ниже среднего', 'низкий'],
    });
    expect(d.rows.map((r) => [r.category, r.count, r.share])).toEqual([
      ['высокий', 1, 25],
      ['выше среднего', 0, 0],
      ['средний', 2, 50],
      ['ниже среднего', 0, 0],
      ['низкий', 1, 25],
    ]);
    expect(d.total).toEqual({ count: 4, share: 100 });
    expect(d.missing).toBe(2);
  });

  it('type × level with row shares, totals row and totals column each summing to 100', () => {
    const rec = [
      ...Array.from({ length: 3 }, () => ({ row: 'Школы', col: 'высокий' })),
      ...Array.from({ length: 3 }, () => ({ row: 'Школы', col: 'средний' })),
      { row: 'Школы', col: 'низкий' },
      { row: 'ДОУ', col: 'высокий' },
      { row: 'ДОУ', col: 'средний' },
      { row: 'ДОУ', col: 'низкий' },
      { row: 'УДО', col: null },
    ];
    const t = crossTab(rec, { rows: ['Школы', 'ДОУ', 'УДО'], cols: ['высокий', 'средний', 'низкий'] });
    expect(t.body[0]!.cells.map((c) => c.share)).toEqual([42.9, 42.8, 14.3]) // remainders ,571 ,571 ,857: the 1/7 gets the first unit, ties go to the earlier column;
    expect(t.body[1]!.cells.map((c) => c.share)).toEqual([33.4, 33.3, 33.3]);
    expect(t.body[2]!.cells.map((c) => c.share)).toEqual([0, 0, 0]);
    expect(t.body.map((r) => r.total)).toEqual([
      { count: 7, share: 70 },
      { count: 3, share: 30 },
      { count: 0, share: 0 },
    ]);
    expect(t.totals.category).toBe('Итого');
    expect(t.totals.cells.map((c) => [c.count, c.share])).toEqual([
      [4, 40],
      [4, 40],
      [2, 20],
    ]);
    expect(t.totals.total).toEqual({ count: 10, share: 100 });
    expect(t.missing).toBe(1);
  });
});

describe('cross table by column', () => {
  it('shares of the column total sum to 100 down each column', () => {
    const rec = [
      { row: 'Школы', col: 'высокий' },
      { row: 'Школы', col: 'высокий' },
      { row: 'ДОУ', col: 'высокий' },
      { row: 'ДОУ', col: 'низкий' },
    ];
    const t = crossTab(rec, { shareOf: 'column' });
    expect(t.rows).toEqual(['Школы', 'ДОУ']);
    expect(t.cols).toEqual(['высокий', 'низкий']);
    expect(t.body.map((r) => r.cells.map((c) => c.share))).toEqual([
      [66.7, 0],
      [33.3, 100],
    ]);
    expect(t.totals.cells.map((c) => c.share)).toEqual([75, 25]);
  });
});
