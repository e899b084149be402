/** `only` (ComputeOptions, run.ts): a computation of a few indicators gives exactly their results of the whole
 * computation — what they depend on is evaluated, not listed — the aggregates over them, and no checks of printed
 * figures (dimensional-work.ts ranks one work by one indicator this way). Seed-004 tables of talents-2021. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seedTable } from '../../../test/support/seed-004.ts';
import { parse } from 'yaml';
import { compileMethodology } from './evaluate.ts';
import { computeTable } from './run.ts';
import { MethodologySchema } from './schema.ts';

const talents = MethodologySchema.parse(parse(readFileSync(new URL('../../../library/talents-2021.yaml', import.meta.url), 'utf8')));
const compiled = compileMethodology(talents);

describe('computation of some indicators only', () => {
  it('seed 004: each indicator alone gives its results and aggregates of the whole computation, no discrepancies', () => {
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors));
    let checked = 0;
    for (const name of ['organisations.csv', 'satisfaction.csv', 'coverage.csv', 'focus.csv']) {
      const { header, rows } = seedTable(name);
      const whole = computeTable(compiled.compiled, header, rows);
      if (!whole.ok) throw new Error(name);
      for (const { id } of whole.output.indicators) {
        const part = computeTable(compiled.compiled, header, rows, [], { only: [id] });
        if (!part.ok) throw new Error(`${name} ${id}`);
        expect(part.output.indicators.map((i) => i.id)).toEqual([id]);
        const mine = whole.output.results.filter((r) => r.indicator === id);
        expect(mine.length).toBeGreaterThan(0);
        expect(part.output.results).toEqual(mine);
        const over = whole.output.aggregates.filter((a) => talents.aggregates?.[a.aggregate]?.of === id);
        expect(part.output.aggregates.filter((a) => talents.aggregates?.[a.aggregate]?.of === id)).toEqual(over);
        expect(part.output.discrepancies).toEqual([]);
        checked += mine.length;
      }
    }
    // 69 results in the four tables (without-texts.test.ts), each computed alone once.
    expect(checked).toBe(69);
    // The whole computation of seed 004 has discrepancies with the printed figures; `only` checks none.
    const { header, rows } = seedTable('organisations.csv');
    const whole = computeTable(compiled.compiled, header, rows);
    expect(whole.ok && whole.output.discrepancies.length).toBeGreaterThan(0);
  });

  it('a printed aggregate that disagrees: a discrepancy of the whole computation, none with only', () => {
    const agg = talents.aggregates?.municipal_diversity_index;
    if (!agg?.published) throw new Error('talents-2021 prints the municipal index');
    const wrong = compileMethodology({ ...talents, aggregates: { ...talents.aggregates, municipal_diversity_index: { ...agg, published: { ...agg.published, value: 9.9 } } } });
    if (!wrong.ok) throw new Error(JSON.stringify(wrong.errors));
    const { header, rows } = seedTable('organisations.csv');
    const whole = computeTable(wrong.compiled, header, rows);
    const part = computeTable(wrong.compiled, header, rows, [], { only: ['diversity_index'] });
    if (!whole.ok || !part.ok) throw new Error('organisations.csv');
    expect(whole.output.discrepancies.filter((d) => d.indicator === 'municipal_diversity_index').map((d) => d.published)).toEqual([9.9]);
    expect(part.output.aggregates.find((a) => a.aggregate === 'municipal_diversity_index')?.value).toBe(whole.output.aggregates.find((a) => a.aggregate === 'municipal_diversity_index')?.value);
    expect(part.output.discrepancies).toEqual([]);
  });
});
