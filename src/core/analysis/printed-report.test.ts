/** A printed report compared with the computation (issue 15, item 4), on seed 004's protocol № 6: the 51 printed
 * diversity indices and levels, the municipal 5,6, the printed loyalty indices and the coverage 78,9 %. */
import { readFileSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MethodologySchema, compileMethodology, computeTable } from '../methodology/index.ts';
import { comparePrintedReport, type PrintedFigure } from './printed-report.ts';
import type { ComputedTable } from './types.ts';

const m = MethodologySchema.parse(parse(readFileSync(new URL('../../../library/talents-2021.yaml', import.meta.url), 'utf8')));
const compiled = compileMethodology(m);
if (!compiled.ok) throw new Error('talents-2021 does not compile');

function csv(name: string): Record<string, string>[] {
  const text = readFileSync(new URL(`../../../../shared/fixtures/seed-004/${name}`, import.meta.url), 'utf8');
  return parseCsv(text, { skip_empty_lines: true, columns: true }) as Record<string, string>[];
}

/** The campaign's tables as a campaign computes them: from the counts only, without the printed columns. */
function computed(): ComputedTable[] {
  const out: ComputedTable[] = [];
  for (const [name, drop] of [['organisations.csv', ['published_index', 'published_level']], ['satisfaction.csv', ['published_share_pct', 'published_loyalty_index']], ['coverage.csv', ['published_share_pct']]] as const) {
    const rows = csv(name);
    const header = Object.keys(rows[0]!).filter((h) => !(drop as readonly string[]).includes(h));
    const r = computeTable(compiled.ok ? compiled.compiled : (undefined as never), header, rows.map((row, i) => ({ line: i + 2, cells: header.map((h) => row[h]!) })));
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
    // Only the printed totals row's 14 577 (not the sum of its rows) remains of the file's own checks.
    expect(r.output.discrepancies.filter((d) => d.field !== 'aggregate')).toEqual([]);
    out.push(r.output);
  }
  return out;
}

const organisationFigures = (): PrintedFigure[] =>
  csv('organisations.csv').map((r) => ({ scope: 'organisation', entity: r.name!, target: 'diversity_index', value: r.published_index!, level: r.published_level! }));
const loyaltyFigures = (): PrintedFigure[] =>
  csv('satisfaction.csv').map((r) => ({ scope: 'group', entity: r.org_type!, target: 'loyalty_index', value: r.published_loyalty_index!, level: null }));

describe('printed report of seed 004 against the computation', () => {
  const tables = computed();

  it('51 organisations: Петровское 3,7 against 12 ÷ 359 × 100, Канакаево and ДОУ №33 by level; the rest agree', () => {
    const r = comparePrintedReport(m, tables, organisationFigures());
    expect(r.problems).toEqual([]);
    expect(r.agreed).toBe(51 * 2 - 3);
    expect(r.disagreements.map((d) => [d.label, d.field, d.printed, d.computed])).toEqual([
      ['Канакаево', 'level', 'средний', 'выше среднего'],
      ['Петровское', 'value', '3,7', '3,3'],
      ['ДОУ №33', 'level', 'выше среднего', 'высокий'],
    ]);
    const petrovskoe = r.disagreements[1]!;
    expect((12 / 359) * 100).toBeCloseTo(3.3426, 4);
    expect(petrovskoe.explanation).toBe('в отчёте напечатано 3,7, вычислено 3,3; точное значение 3,343, с точностью напечатанного (1 зн. после запятой) — 3,3');
    expect(petrovskoe.targetTitle).toMatch(/^2\.1\. /);
    // Канакаево: 3 ÷ 58 × 100 = 5,17 → 5,2, in 5,1–7,5 («выше среднего»); ДОУ №33: 8 ÷ 105 × 100 = 7,62 → 7,6 ≥ 7,6.
    expect(Math.round((3 / 58) * 1000) / 10).toBe(5.2);
    expect(Math.round((8 / 105) * 1000) / 10).toBe(7.6);
    expect(r.disagreements[0]!.explanation).toBe('в отчёте напечатан уровень «средний», а по шкале методики при значении 5,2 — «выше среднего»');
    expect(r.disagreements[0]!.causes.length).toBeGreaterThan(0);
  });

  it('loyalty indices: 86 / 80 / 92 / 86 printed, 87,9 / 85,2 / 96,0 / 89,7 from the counts — four disagreements', () => {
    const r = comparePrintedReport(m, tables, loyaltyFigures());
    const expected = [[3848, 143, 4215], [1675, 98, 1852], [2412, 33, 2478], [7935, 274, 8545]].map(([p, c, n]) => Math.round(((p! - c!) / n!) * 1000) / 10);
    expect(expected).toEqual([87.9, 85.2, 96, 89.7]);
    expect(r.disagreements.map((d) => [d.label, d.printed, d.computed])).toEqual([
      ['Общеобразовательные организации', '86', '87,9'],
      ['Дошкольные образовательные организации', '80', '85,2'],
      ['Организации дополнительного образования', '92', '96'],
      ['Итого', '86', '89,7'],
    ]);
    expect(r.disagreements[3]!.explanation).toMatch(/^в отчёте напечатано 86, вычислено 89,7; точное значение 89,65/);
  });

  it('municipal figures: 5,6 (mean of the indices) and coverage 78,9 % agree; 5,7 would not', () => {
    const ok = comparePrintedReport(m, tables, [
      { scope: 'municipal', entity: null, target: 'municipal_diversity_index', value: '5,6', level: null },
      { scope: 'municipal', entity: null, target: 'coverage_share', value: '78,9 %', level: null },
    ]);
    expect(ok).toEqual({ disagreements: [], agreed: 2, problems: [] });
    const wrong = comparePrintedReport(m, tables, [{ scope: 'municipal', entity: null, target: 'municipal_diversity_index', value: '5,7', level: null }]);
    expect(wrong.disagreements.map((d) => [d.label, d.printed, d.computed])).toEqual([['Муниципалитет', '5,7', '5,6']]);
  });

  it('figures it cannot compare are named, not dropped', () => {
    const r = comparePrintedReport(m, tables, [
      { scope: 'organisation', entity: 'Нет такой', target: 'diversity_index', value: '1,0', level: null },
      { scope: 'organisation', entity: 'Петровское', target: 'diversity_index', value: 'три', level: null },
    ]);
    expect(r.problems.map((p) => p.reason)).toEqual(['в результатах мониторинга нет значения «2.1. Индекс многообразия программ дополнительного образования детей (в расчете на 100 человек)» для «Нет такой»', '«три» — не число']);
  });
});
