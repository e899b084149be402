import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundHalfUp } from '../format.ts';
import { bandContains, describeBand, lintScale, matchingBands } from './scale.ts';
import type { Band, ScaleDef } from './schema.ts';

const printed11: ScaleDef = {
  bands: [
    { from: 25, from_exclusive: true, points: 3, label: 'более 25%' },
    { from: 20, to: 25, points: 2 },
    { from: 10, to: 19, points: 1 },
    { from: 0, to: 9, points: 0 },
  ],
};

describe('шкалы: попадание в полосу', () => {
  it('включённые и исключённые границы', () => {
    const b: Band = { from: 20, to: 25, to_exclusive: true, points: 2 };
    expect(bandContains(b, 20)).toBe(true);
    expect(bandContains(b, 25)).toBe(false);
    expect(bandContains({ from: 25, from_exclusive: true, points: 3 }, 25)).toBe(false);
    expect(bandContains({ from: 25, from_exclusive: true, points: 3 }, 25.1)).toBe(true);
  });
  it('19,5 % не попадает ни в одну полосу 1.1 (как напечатано)', () => {
    expect(matchingBands(printed11, 19.5)).toEqual([]);
    expect(matchingBands(printed11, 25)).toEqual([1]);
    expect(matchingBands(printed11, 25.1)).toEqual([0]);
  });
  it('описание полосы по-русски; напечатанный диапазон — только если он отличается от применяемого', () => {
    expect(describeBand({ from: 2.6, to: 5, level: 'average' }, 1)).toBe('2,6–5,0');
    expect(describeBand({ from: 7.6, nominal_to: 10, level: 'high', label: 'от 7,6 до 10' }, 1)).toBe('7,6 и выше; в документе «от 7,6 до 10»');
    expect(describeBand({ from: 25, from_exclusive: true }, 1)).toBe('более 25,0');
    expect(describeBand({ from: 20, to: 25, to_exclusive: true })).toBe('[20; 25)');
  });
});

describe('шкалы: линтер', () => {
  it('пропуски 9,1–9,9 и 19,1–19,9 при округлении до десятых', () => {
    const issues = lintScale(printed11, 1, { min: 0, max: 100 });
    const gaps = issues.filter((i) => i.kind === 'gap');
    expect(gaps.map((g) => g.example)).toEqual([9.5, 19.5]);
    expect(gaps[1]?.message).toContain('19,1–19,9');
  });
  it('при округлении до целых те же полосы смежны', () => {
    expect(lintScale(printed11, 0, { min: 0, max: 100 })).toEqual([]);
  });
  it('5,1–7,5 и 7,6+ смежны при round: 1, но не для неокруглённого значения', () => {
    const s: ScaleDef = { bands: [{ from: 5.1, to: 7.5, points: 2 }, { from: 7.6, points: 3 }] };
    expect(lintScale(s, 1)).toEqual([]);
    expect(lintScale(s, undefined).map((i) => i.kind)).toEqual(['gap']);
    expect(lintScale(s, 2).map((i) => i.kind)).toEqual(['gap']);
  });
  it('перекрытие, порядок, пустая полоса, открытый конец при напечатанном диапазоне', () => {
    const overlap: ScaleDef = { bands: [{ from: 0, to: 10, points: 0 }, { from: 10, to: 20, points: 1 }] };
    expect(lintScale(overlap, 1).map((i) => [i.kind, i.severity])).toEqual([['overlap', 'error']]);
    const halfOpen: ScaleDef = { bands: [{ from: 0, to: 10, to_exclusive: true, points: 0 }, { from: 10, to: 20, points: 1 }] };
    expect(lintScale(halfOpen, undefined)).toEqual([]);
    const disorder: ScaleDef = { bands: [{ from: 10, to: 20, points: 1 }, { from: 0, to: 9.9, points: 0 }, { from: 20.1, points: 2 }] };
    expect(lintScale(disorder, 1).map((i) => i.kind)).toEqual(['order']);
    const empty: ScaleDef = { bands: [{ from: 5, to: 4, points: 1 }] };
    expect(lintScale(empty, 1).map((i) => i.kind)).toEqual(['empty']);
    const nominal: ScaleDef = { bands: [{ from: 7.6, nominal_to: 10, level: 'high', points: 3 }, { from: 0, to: 7.5, level: 'low', points: 0 }] };
    const issues = lintScale(nominal, 1);
    expect(issues.map((i) => i.kind)).toEqual(['nominal']);
    expect(issues[0]?.message).toContain('до 10,0');
  });
  it('непокрытая область значений показателя', () => {
    const s: ScaleDef = { bands: [{ from: 10, to: 100, points: 1 }] };
    expect(lintScale(s, 1, { min: 0, max: 100 }).map((i) => i.kind)).toEqual(['uncovered']);
  });
  it('шкала без границ в источнике', () => {
    const s: ScaleDef = { bounds: 'unspecified', bands: [{ level: 'high', points: 3 }] };
    expect(lintScale(s, 1).map((i) => i.kind)).toEqual(['unspecified']);
    expect(matchingBands(s, 50)).toEqual([]);
  });
});

describe('шкалы: свойства', () => {
  /** A random partition of [0; cuts…; open end) at a resolution, with random inclusivity at each cut. */
  const partition = fc
    .record({
      digits: fc.integer({ min: 0, max: 2 }),
      cuts: fc.uniqueArray(fc.integer({ min: 1, max: 2000 }), { minLength: 1, maxLength: 6 }),
      closedBelow: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
      openBottom: fc.boolean(),
      reverse: fc.boolean(),
    })
    .map(({ digits, cuts, closedBelow, openBottom, reverse }) => {
      const step = 10 ** -digits;
      const points = [...cuts].sort((a, b) => a - b).map((c) => roundHalfUp(c * step, digits));
      const bands: Band[] = [];
      let lower: { at: number; exclusive: boolean } | null = openBottom ? null : { at: 0, exclusive: false };
      points.forEach((p, i) => {
        // Cut at p: the upper band starts at p (inclusive) or just above p (exclusive); the lower band ends accordingly.
        const upperIncludesCut = closedBelow[i] ?? true;
        bands.push({
          ...(lower ? { from: lower.at, ...(lower.exclusive ? { from_exclusive: true } : {}) } : {}),
          to: p,
          ...(upperIncludesCut ? { to_exclusive: true } : {}),
          points: i,
        });
        lower = { at: p, exclusive: !upperIncludesCut };
      });
      const last = lower as { at: number; exclusive: boolean } | null;
      bands.push({ ...(last ? { from: last.at, ...(last.exclusive ? { from_exclusive: true } : {}) } : {}), points: points.length });
      return { digits, scale: { bands: reverse ? bands.reverse() : bands } as ScaleDef, max: (points[points.length - 1] ?? 0) + 5 };
    });

  it('у шкалы без замечаний линтера каждое значение попадает ровно в одну полосу', () => {
    fc.assert(
      fc.property(partition, fc.double({ min: 0, max: 1, noNaN: true }), ({ digits, scale, max }, t) => {
        const issues = lintScale(scale, digits, { min: 0 });
        // A contiguous partition has no gaps or overlaps; the only possible complaint is a band too narrow for the resolution.
        expect(issues.filter((i) => i.kind !== 'empty')).toEqual([]);
        fc.pre(issues.length === 0);
        const v = roundHalfUp(t * max, digits);
        expect(matchingBands(scale, v)).toHaveLength(1);
      }),
      { numRuns: 500 },
    );
  });

  it('если линтер молчит о пропусках и перекрытиях, значений вне полос и в двух полосах нет', () => {
    const band = fc.record({
      from: fc.option(fc.integer({ min: 0, max: 50 }), { nil: undefined }),
      len: fc.integer({ min: 0, max: 30 }),
      fe: fc.boolean(),
      te: fc.boolean(),
      open: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(band, { minLength: 1, maxLength: 5 }), fc.integer({ min: 0, max: 120 }), (raw, x) => {
        const bands: Band[] = raw.map((b, i) => ({
          ...(b.from !== undefined ? { from: b.from, from_exclusive: b.fe } : {}),
          ...(b.open ? {} : { to: (b.from ?? 0) + b.len, to_exclusive: b.te }),
          points: i,
        }));
        const scale: ScaleDef = { bands };
        const issues = lintScale(scale, 0, { min: 0, max: 120 });
        const clean = !issues.some((i) => ['gap', 'overlap', 'empty', 'uncovered', 'unbounded'].includes(i.kind));
        if (clean) {
          const lo = Math.min(...bands.map((b) => b.from ?? 0));
          if (x >= lo) expect(matchingBands(scale, x)).toHaveLength(1);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
