/** withComparisonInputs takes each result's comparison values from its own row: the results of one row come one after
 * another and share their dimensions object (run.ts builds it once per row), so the previous row is reused for the
 * same object — but only for the same organisation; two schools' results with one dimensions object (or equal ones)
 * still get each their own school's row. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ComputeOutput } from '../methodology/index.ts';
import { MethodologySchema } from '../methodology/schema.ts';
import { withComparisonInputs } from './dimensional-comparison.ts';

const m = MethodologySchema.parse(parse(readFileSync(new URL('../../../library/directions/preparation-2021.2.yaml', import.meta.url), 'utf8')));

type Result = ComputeOutput['results'][number];
const result = (organisation: string, dimensions: Record<string, string | number>, raised: number): Result =>
  ({ organisation, dimensions, indicator: 'journal_raised_share', details: { inputs: { journal_raised: raised } } }) as unknown as Result;

describe('comparison inputs per row', () => {
  it('one dimensions object for two schools: each result gets its own school\'s region and municipality values', () => {
    const shared = { subject: 'Математика', grade: 5 };
    const rows: Record<string, Record<string, unknown>> = {
      'СОШ А': { region_journal_raised: 6, municipality_journal_raised: 11 },
      'СОШ Б': { region_journal_raised: '7,5', municipality_journal_raised: null },
    };
    const asked: string[] = [];
    const output = { results: [result('СОШ А', shared, 10), result('СОШ А', shared, 10), result('СОШ Б', shared, 30), result('СОШ А', { subject: 'Математика', grade: 5 }, 10)] };
    withComparisonInputs(m, output, (organisation, dims) => {
      asked.push(`${organisation} ${dims.subject} ${dims.grade}`);
      return rows[organisation];
    }, { inPlace: true });
    expect(output.results.map((r) => r.details.inputs)).toEqual([
      { journal_raised: 10, region_journal_raised: 6, municipality_journal_raised: 11 },
      { journal_raised: 10, region_journal_raised: 6, municipality_journal_raised: 11 },
      { journal_raised: 30, region_journal_raised: 7.5 },
      { journal_raised: 10, region_journal_raised: 6, municipality_journal_raised: 11 },
    ]);
    // Each school × work is read once, whether its dimensions object is the previous one or an equal one.
    expect(asked).toEqual(['СОШ А Математика 5', 'СОШ Б Математика 5']);
  });
});
