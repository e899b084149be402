import { describe, expect, it } from 'vitest';
import { MethodologySchema, compileMethodology, computeTable, type Methodology } from '../methodology/index.ts';
import { buildAnalysis } from './model.ts';
import { printedNotes } from './printed.ts';

// Seed 004's satisfaction table: the rows sum to 16 452 children, the printed total says 14 577 (the municipality's
// 5–17 count), so 3.1 was printed 58,6 % where the rows give 8 545 / 16 452 = 51,9 %.
const methodology: Methodology = MethodologySchema.parse({
  id: 'unit-printed',
  version: '1',
  direction: 'talents',
  title: 'Проверочная методика',
  inputs: {
    children_5_17: { type: 'integer', min: 0, title: 'Численность детей 5–17 лет' },
    respondents: { type: 'integer', min: 0, title: 'Приняли участие в опросе' },
  },
  indicators: { share: { code: '3.1', title: 'Доля родителей, принявших участие в опросе', unit: '%', formula: 'share(respondents, children_5_17)', round: 1, scale: 'part' } },
  scales: { part: { bands: [{ from: 25.1, points: 3 }, { from: 0, to: 25, points: 0 }] } },
  criteria: [{ id: '3', title: 'Удовлетворённость', max: 3, indicators: ['share'] }],
  datasets: {
    satisfaction: {
      title: 'Опрос по типам', unit: 'organisation_type', key: 'org_type', key_values: ['school', 'preschool', 'supplementary', 'total'], total_row: 'total',
      columns: { children_5_17: 'children_5_17', respondents: 'respondents' }, indicators: ['share'],
      published: [{ column: 'published_share_pct', indicator: 'share', field: 'value' }],
    },
  },
});

const compiled = compileMethodology(methodology);
if (!compiled.ok) throw new Error('compile');
// What the survey gives: the same rows, the total the sum of the rows.
const surveyRows = [['school', '10377', '4215'], ['preschool', '2050', '1852'], ['supplementary', '4025', '2478'], ['total', '16452', '8545']];
const computedOut = computeTable(compiled.compiled, ['org_type', 'children_5_17', 'respondents'], surveyRows.map((cells, i) => ({ line: i + 2, cells })));
if (!computedOut.ok) throw new Error(computedOut.error.message);
const computed = [computedOut.output];
const printed = {
  datasetId: 'satisfaction',
  fileName: 'satisfaction.csv',
  header: ['org_type', 'children_5_17', 'respondents', 'published_share_pct'],
  rows: [['school', '10377', '4215', '40.6'], ['preschool', '2050', '1852', '90.3'], ['supplementary', '4025', '2478', '61.6'], ['total', '14577', '8545', '58.6']],
};

describe('printed figures beside the computed ones (issue 24)', () => {
  it('finds the printed 58,6 % against 51,9 % and the printed total 14 577 against the sum 16 452', () => {
    expect(printedNotes(methodology, computed, [printed]).map((n) => [n.entity, n.field, n.input, n.published, n.computed, n.text])).toEqual([
      ['total', 'value', null, 58.6, 51.9, 'в документе («satisfaction.csv») напечатано 58,6\u00A0%, вычислено 51,9\u00A0%'],
      ['total', 'total', 'children_5_17', 14577, 16452, 'в итоговой строке документа «Численность детей 5–17 лет» — 14\u202F577, а сумма строк — 16\u202F452; здесь расчёт по сумме строк'],
    ]);
  });

  it('puts the notes beside the municipal figure and among the discrepancies of the model', () => {
    const model = buildAnalysis({ methodology, computed, printed: [printed] });
    const share = model.municipal.find((m) => m.indicator.id === 'share');
    expect(share?.value).toBe(51.9);
    expect(share?.printed).toHaveLength(2);
    expect(model.discrepancies.map((d) => [d.label, d.indicatorTitle, d.published, d.computed])).toEqual([
      ['Итого', '3.1. Доля родителей, принявших участие в опросе', 58.6, 51.9],
      ['Итого', 'Численность детей 5–17 лет', 14577, 16452],
    ]);
    expect(buildAnalysis({ methodology, computed }).municipal.find((m) => m.indicator.id === 'share')?.printed).toBeUndefined();
  });

  it('says nothing when the printed figures agree', () => {
    const agreeing = { ...printed, rows: printed.rows.map((r) => (r[0] === 'total' ? ['total', '16452', '8545', '51.9'] : r)) };
    expect(printedNotes(methodology, computed, [agreeing])).toEqual([]);
  });
});
