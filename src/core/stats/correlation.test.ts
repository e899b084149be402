import { describe, expect, it } from 'vitest';
import { chaddock, correlationMatrix, interpret, pearson, spearman } from './correlation.ts';
import { incompleteBeta, lnGamma, studentTCdf, studentTTwoSidedP } from './tdist.ts';

describe('special functions', () => {
  it('lnGamma against closed forms', () => {
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(lnGamma(10)).toBeCloseTo(Math.log(362880), 12);
    expect(lnGamma(1)).toBeCloseTo(0, 14);
  });

  it('regularized incomplete beta against binomial sums', () => {
    // I_0.5(2, 3) = Σ_{j=2..4} C(4, j)/16 = 11/16; I_x(1, 1) = x; I_x(a, 1) = x^a.
    expect(incompleteBeta(0.5, 2, 3)).toBeCloseTo(0.6875, 13);
    expect(incompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 13);
    expect(incompleteBeta(0.9, 3, 1)).toBeCloseTo(0.729, 13);
    expect(incompleteBeta(0, 2, 2)).toBe(0);
    expect(incompleteBeta(1, 2, 2)).toBe(1);
  });

  it('Student t two-sided p-values against table values (R: 2 * pt(-|t|, df))', () => {
    expect(studentTTwoSidedP(2.0, 10)).toBeCloseTo(0.07338803, 7);
    expect(studentTTwoSidedP(2.228139, 10)).toBeCloseTo(0.05, 6); // qt(0.975, 10)
    expect(studentTTwoSidedP(12.7062, 1)).toBeCloseTo(0.05, 5); // qt(0.975, 1)
    expect(studentTTwoSidedP(2.085963, 20)).toBeCloseTo(0.05, 6); // qt(0.975, 20)
    expect(studentTTwoSidedP(4.032143, 5)).toBeCloseTo(0.01, 6); // qt(0.995, 5)
    expect(studentTTwoSidedP(-2.0, 10)).toBeCloseTo(0.07338803, 7);
    expect(studentTTwoSidedP(0, 7)).toBe(1);
  });

  it('Student t CDF', () => {
    expect(studentTCdf(1, 1)).toBeCloseTo(0.75, 12); // Cauchy
    expect(studentTCdf(0, 4)).toBeCloseTo(0.5, 14);
    expect(studentTCdf(-2, 10)).toBeCloseTo(0.03669402, 7);
    expect(studentTCdf(1.812461, 10)).toBeCloseTo(0.95, 6); // qt(0.95, 10)
  });
});

describe('Pearson and Spearman', () => {
  // Anscombe's quartet, set I: r = 0,81642; cor.test p = 0,002169629.
  const x = [10, 8, 13, 9, 11, 14, 6, 4, 12, 7, 5];
  const y = [8.04, 6.95, 7.58, 8.81, 8.33, 9.96, 7.24, 4.26, 10.84, 4.82, 5.68];

  it('Pearson r, t and p for Anscombe I', () => {
    const r = pearson(x, y);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.r).toBeCloseTo(0.8164205, 6);
    expect(r.value.n).toBe(11);
    expect(r.value.df).toBe(9);
    expect(r.value.t).toBeCloseTo(4.241455, 5);
    expect(r.value.p).toBeCloseTo(0.002169629, 8);
  });

  it('drops pairs with a null and counts them', () => {
    const r = pearson([...x, null, 3], [...y, 5, undefined]);
    expect(r.ok && r.value.n === 11 && r.value.dropped === 2).toBe(true);
    expect(r.ok && r.value.r).toBeCloseTo(0.8164205, 6);
  });

  it('Spearman rho with ties handled (Wikipedia IQ / TV hours example: ρ = −29/165, p = 0,627188)', () => {
    const iq = [106, 100, 86, 101, 99, 103, 97, 113, 112, 110];
    const tv = [7, 27, 2, 50, 28, 29, 20, 12, 6, 17];
    const r = spearman(iq, tv);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.r).toBeCloseTo(-29 / 165, 12);
    expect(r.value.p).toBeCloseTo(0.627188, 5);
    // Ties: R cor(rank(a), rank(b)) for a = 1,2,2,3 and b = 1,3,2,4 → 0.9486833.
    const t = spearman([1, 2, 2, 3], [1, 3, 2, 4]);
    expect(t.ok && t.value.r).toBeCloseTo(0.9486833, 6);
  });

  it('n < 3 and unequal lengths are error values in Russian', () => {
    expect(pearson([1, 2, null], [1, 2, 3])).toEqual({
      ok: false,
      error: 'Для расчета корреляции нужно не менее 3 пар значений без пропусков, а есть 2.',
    });
    expect(spearman([1], [1, 2])).toMatchObject({ ok: false, error: expect.stringContaining('разной длины') });
  });

  it('a constant column gives r = null; perfect correlation gives p = 0', () => {
    const c = pearson([1, 2, 3, 4], [5, 5, 5, 5]);
    expect(c.ok && c.value.r).toBeNull();
    const p = pearson([1, 2, 3, 4], [2, 4, 6, 8]);
    expect(p.ok && [p.value.r, p.value.p]).toEqual([1, 0]);
  });
});

describe('Chaddock scale and the correlation matrix', () => {
  it('maps |r| to the Chaddock words with inclusive lower bounds', () => {
    expect([0.05, 0.1, 0.29, 0.3, 0.5, 0.69, 0.7, 0.9, 1, -0.75].map(chaddock)).toEqual([
      'отсутствует',
      'слабая',
      'слабая',
      'умеренная',
      'заметная',
      'заметная',
      'высокая',
      'весьма высокая',
      'весьма высокая',
      'высокая',
    ]);
  });

  it('builds a symmetric matrix with interpretation and significance', () => {
    const m = correlationMatrix([
      { code: 'x', name: 'X', values: [10, 8, 13, 9, 11, 14, 6, 4, 12, 7, 5] },
      { code: 'y', name: 'Y', values: [8.04, 6.95, 7.58, 8.81, 8.33, 9.96, 7.24, 4.26, 10.84, 4.82, 5.68] },
      { code: 'z', name: 'Z', values: [null, null, 1, 2, null, null, null, null, null, null, null] },
    ]);
    expect(m.codes).toEqual(['x', 'y', 'z']);
    const xy = m.cells[0]![1]!;
    expect(xy).toMatchObject({ strength: 'высокая', direction: 'прямая', significant: true });
    expect(xy.interpretation).toBe('Связь прямая высокая (r = 0,82; n = 11; p = 0,002 — значима при α = 0,05)');
    expect(m.cells[1]![0]!.correlation!.r).toBeCloseTo(xy.correlation!.r!, 14);
    expect(m.cells[0]![0]!.correlation!.r).toBe(1);
    expect(m.cells[0]![2]!.error).toContain('не менее 3 пар');
  });

  it('interprets a weak non-significant inverse correlation', () => {
    const i = interpret({ method: 'spearman', r: -0.1757575, n: 10, dropped: 0, t: -0.504, df: 8, p: 0.627188 });
    expect(i.interpretation).toBe('Связь обратная слабая (ρ = −0,18; n = 10; p = 0,627 — не значима при α = 0,05)');
    expect(i.significant).toBe(false);
  });
});
