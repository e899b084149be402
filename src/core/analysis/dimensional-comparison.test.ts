/** «Повысили» beside the region's and the municipality's rows (issue 22): a result carries only the inputs its formula
 * reads, so withComparisonInputs adds the comparison rows' values of those inputs from the table's rows; the
 * ranking and the table of signs then compare them. Hand-made ВПР tables of direction-preparation 2021.2; every
 * expected figure is a cell of the tables below. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { computeTables } from '../methodology/combine.ts';
import { compileMethodology } from '../methodology/evaluate.ts';
import type { NamedTable } from '../methodology/named-table.ts';
import { MethodologySchema } from '../methodology/schema.ts';
import { dimensionalView, objectivitySigns, rankDimensional } from './dimensional.ts';
import { comparedFigures, withComparisonInputs } from './dimensional-comparison.ts';

const m = MethodologySchema.parse(parse(readFileSync(new URL('../../../library/directions/preparation-2021.2.yaml', import.meta.url), 'utf8')));
const compiled = (() => {
  const c = compileMethodology(m);
  if (!c.ok) throw new Error(JSON.stringify(c.errors));
  return c.compiled;
})();
const cols = (dsId: string) => Object.values(m.datasets?.[dsId]?.columns ?? {});
const colIds = (dsId: string) => Object.keys(m.datasets?.[dsId]?.columns ?? {});
// school, participants, shares «2»…«5»; region 10/35/40/15, municipality 8/32/40/20
const MARKS: [string, number, number[]][] = [['СОШ А', 20, [10, 30, 40, 20]], ['СОШ Б', 10, [0, 20, 30, 50]], ['СОШ В', 30, [20, 40, 30, 10]]];
// school, participants, lowered, confirmed, raised; region confirmed 70, raised 6, lowered 17; municipality 72, 11, 15
const JOURNAL: [string, number, number, number, number][] = [['СОШ А', 20, 10, 80, 10], ['СОШ Б', 10, 0, 70, 30], ['СОШ В', 30, 20, 70, 10]];
const marks: NamedTable = { file: 'marks', header: ['Организация', 'Предмет', 'Класс', ...cols('vpr_marks')], rows: MARKS.map(([s, p, sh], i) => ({ line: i + 2, cells: [s, 'Математика', '5', String(p), ...sh.map(String), '10', '35', '40', '15', '8', '32', '40', '20'] })) };
const journal: NamedTable = { file: 'journal', header: ['Организация', 'Предмет', 'Класс', ...cols('vpr_journal')], rows: JOURNAL.map(([s, p, lo, co, ra], i) => ({ line: i + 2, cells: [s, 'Математика', '5', String(p), String(lo), String(co), String(ra), '70', '6', '72', '11', '17', '15'] })) };
const out = (() => {
  const r = computeTables(compiled, [marks, journal]);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.output;
})();
/** The row of a school as the tables give it: input id → cell. */
function valuesOf(organisation: string, dims: Record<string, string>): Record<string, unknown> | undefined {
  if (dims.subject !== 'Математика' || dims.grade !== '5') return undefined;
  const out: Record<string, unknown> = {};
  for (const [t, ds] of [[marks, 'vpr_marks'], [journal, 'vpr_journal']] as const) {
    const row = t.rows.find((r) => r.cells[0] === organisation);
    colIds(ds).forEach((id, i) => (out[id] = row?.cells[3 + i]));
  }
  return out;
}
const sel = { subject: 'Математика', grade: '5' };

describe('comparison rows of the shares', () => {
  it('without them «повысили» has no region or municipality figure; with them it has the report’s rows', () => {
    const before = rankDimensional(dimensionalView(m, [out])!, sel, 'journal_raised_share')!;
    expect([before.region, before.municipality]).toEqual([null, null]);
    const view = dimensionalView(m, [withComparisonInputs(m, out, valuesOf)])!;
    const r = rankDimensional(view, sel, 'journal_raised_share')!;
    expect(r.entries.map((e) => [e.name, e.value])).toEqual([['СОШ Б', 30], ['СОШ А', 10], ['СОШ В', 10]]);
    expect([r.region?.value, r.municipality?.value]).toEqual([6, 11]);
    // «подтвердили»: the region's row was read before (journal_confirmed_vs_region), the municipality's now too
    const c = rankDimensional(view, sel, 'journal_confirmed_share')!;
    expect([c.region?.value, c.municipality?.value]).toEqual([70, 72]);
    // the indicators' own values and explanations are those of the engine
    const raisedB = out.results.find((x) => x.organisation === 'СОШ Б' && x.indicator === 'journal_raised_share')!;
    const after = withComparisonInputs(m, out, valuesOf).results.find((x) => x.organisation === 'СОШ Б' && x.indicator === 'journal_raised_share')!;
    expect([after.value, after.explanation]).toEqual([raisedB.value, raisedB.explanation]);
    expect(after.details.inputs).toEqual({ journal_raised: 30, region_journal_raised: 6, municipality_journal_raised: 11 });
  });

  it('«понизили» beside the region and the municipality', () => {
    const r = rankDimensional(dimensionalView(m, [withComparisonInputs(m, out, valuesOf)])!, sel, 'journal_lowered_share')!;
    expect(r.entries.map((e) => [e.name, e.value])).toEqual([['СОШ В', 20], ['СОШ А', 10], ['СОШ Б', 0]]);
    expect([r.region?.value, r.municipality?.value]).toEqual([17, 15]);
  });

  it('the table of signs sets the share of «5» and «повысили» beside the region and the municipality', () => {
    const view = dimensionalView(m, [withComparisonInputs(m, out, valuesOf)])!;
    const signs = objectivitySigns(view);
    // Б: 50 − 15 = 35 ≥ 15 and 30 ≥ 15 — the one sign; the formula's figures are as before
    expect(signs.map((s) => [s.organisation, s.figures.map((f) => f.value)])).toEqual([['СОШ Б', [50, 15, 30]]]);
    expect(signs[0]?.compared.map((f) => [f.id, f.value, f.region, f.municipality])).toEqual([['vpr_share_5', 50, 15, 20], ['journal_raised', 30, 6, 11]]);
  });

  it('a comparison row the report did not have stays null; a comparison input is not listed as a share', () => {
    expect(comparedFigures(m, ['journal_lowered', 'region_vpr_share_5', 'no_such_input'], { journal_lowered: 20, municipality_journal_lowered: 15 })).toEqual([
      { id: 'journal_lowered', title: m.inputs.journal_lowered?.title, unit: '%', value: 20, region: null, municipality: 15 },
    ]);
  });
});
