/** What a recompute builds once and shares between results (evaluate.ts, expression.ts): a band's `band` object and
 * the end of the explanation per band × rounding digits, the empty warnings of results without any, the text of a
 * number substituted into a formula. Each shared thing must give every result exactly what building it anew gives:
 * here the same band under two roundings (in both orders), warnings of one result never showing in another, and the
 * remembered number texts beyond the bound where they are forgotten. */
import { describe, expect, it } from 'vitest';
import { formatNumber } from '../format.ts';
import { compileMethodology, type Compiled } from './evaluate.ts';
import { evaluateEntity } from './evaluate.ts';
import { bandChain } from './explain.ts';
import { showValue } from './expression.ts';
import { describeBand } from './scale.ts';
import type { Methodology } from './schema.ts';

const doc: Methodology = {
  id: 'shared-facts', version: '1', direction: 'talents', title: 'Проверка общих частей результатов',
  inputs: { a: { type: 'number', title: 'A' }, b: { type: 'number', title: 'B' } },
  indicators: {
    one: { title: 'Одна цифра', formula: 'a / b * 100', round: 1, max: 100, scale: 'three' },
    two: { title: 'Две цифры', formula: 'a / b * 100', round: 2, max: 100, scale: 'three' },
    raw: { title: 'Без округления', formula: 'a / b * 100', scale: 'three' },
  },
  scales: {
    three: {
      bands: [
        { level: 'high', from: 66.7, nominal_to: 100, points: 2 },
        { level: 'average', from: 33.4, to: 66.6, points: 1 },
        { level: 'low', from: 0, to: 33.3, points: 0 },
      ],
    },
  },
  datasets: { orgs: { title: 'Организации', unit: 'organisation', key: 'name', columns: { a: 'a', b: 'b' }, indicators: ['one', 'two', 'raw'] } },
};

function compiled(): Compiled {
  const c = compileMethodology(doc);
  if (!c.ok) throw new Error(JSON.stringify(c.errors));
  return c.compiled;
}

describe('parts shared between results', () => {
  it('a band under different rounding digits: its own bounds and explanation ending each, in either order', () => {
    const bands = doc.scales?.three?.bands ?? [];
    const seen = new Set<string>();
    for (const order of [['one', 'two', 'raw'], ['raw', 'two', 'one']]) {
      const c = compiled();
      for (const [a, b] of [[50, 100], [1, 4], [90, 100], [7, 10]] as const) {
        for (const r of evaluateEntity(c, order, { key: 'x', values: { a, b } })) {
          const digits = doc.indicators[r.indicator]?.round;
          const index = bands.findIndex((x) => x.level === r.level);
          const band = bands[index];
          if (!band) throw new Error(`no band for ${r.indicator} ${a}/${b}`);
          const bounds = describeBand(band, digits);
          expect(r.band).toEqual({ index, bounds, label: null });
          seen.add(`${r.indicator} ${bounds}`);
          expect(r.explanation.endsWith(` → ${bandChain({ levelName: r.levelName, bounds, points: band.points ?? null })}`)).toBe(true);
        }
      }
    }
    // The digits change the bounds' text: «66,7» under one, «66,70» under two (a cache keyed by the band alone fails).
    expect([...seen].filter((x) => x.startsWith('one ')).some((x) => [...seen].includes(x.replace('one ', 'two ')))).toBe(false);
  });

  it('warnings belong to their result: one with warnings leaves the next without any', () => {
    const c = compiled();
    const over = evaluateEntity(c, ['one'], { key: 'over', values: { a: 250, b: 100 } })[0];
    const fine = evaluateEntity(c, ['one'], { key: 'fine', values: { a: 50, b: 100 } })[0];
    const again = evaluateEntity(c, ['one', 'two'], { key: 'over2', values: { a: 300, b: 100 } });
    expect(over?.warnings.length).toBe(2); // above the maximum, and in no band of the scale
    expect(over?.warnings[0]).toContain('больше возможного максимума');
    expect(fine?.warnings).toEqual([]);
    expect(again.map((r) => r.warnings.length)).toEqual([2, 2]);
    expect(evaluateEntity(c, ['two'], { key: 'fine2', values: { a: 10, b: 100 } })[0]?.warnings).toEqual([]);
  });

  it('a number substituted into a formula reads as formatNumber gives it, also past the remembered bound', () => {
    for (let i = 0; i < 70_000; i++) {
      const v = i / 7 - 5000.5;
      if (Number.isInteger(v) && v >= 0 && v < 10000) continue;
      if (showValue(v) !== formatNumber(v)) throw new Error(`${v}: ${showValue(v)} ≠ ${formatNumber(v)}`);
    }
    expect(showValue(12.5)).toBe('12,5');
    expect(showValue(-3.25)).toBe('−3,25');
    expect(showValue(12345.5)).toBe(formatNumber(12345.5));
  });
});
