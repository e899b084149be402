/** The municipal values of a campaign (`AnalysisModel.municipal`, the series of earlier campaigns on the analysis page)
 * read only the criteria indicators (`municipalIndicators`): a per-dimension table computed for those alone (`only`)
 * gives the same municipal values as the whole computation. Here direction-preparation 2021.2 with a criterion over a
 * per-dimension indicator and its `mean_of_orgs` aggregate, so that the municipal value comes from the per-dimension
 * rows. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { computeDimensional } from '../../services/analysis/campaign-dimensional.ts';
import { canWarn, compileMethodology } from '../methodology/evaluate.ts';
import { lintMethodology } from '../methodology/lint.ts';
import { MethodologySchema } from '../methodology/schema.ts';
import type { DimensionalRow } from '../rules/dimensional.ts';
import { mulberry32 } from '../stats/cluster.ts';
import { compactDimensionalView } from './dimensional-compact.ts';
import { dimensionalView } from './dimensional.ts';
import { aggregateIndicators, buildAnalysis, municipalIndicators } from './model.ts';

const base = MethodologySchema.parse(parse(readFileSync(new URL('../../../library/directions/preparation-2021.2.yaml', import.meta.url), 'utf8')));
const m = MethodologySchema.parse({
  ...base,
  criteria: [{ id: 'k1', title: 'Результаты ВПР и план повышения качества', max: 4, indicators: ['vpr_success_share', 'quality_plan'] }],
  aggregates: { ...base.aggregates, vpr_success_mean: { title: 'Средняя доля отметок «3»–«5» по школам и работам', method: 'mean_of_orgs', of: 'vpr_success_share', round: 1 } },
});

function rows(): { orgs: { id: string; name: string }[]; rowsOf: Map<string, DimensionalRow[]> } {
  const rnd = mulberry32(22);
  const share = () => Math.round(rnd() * 10000) / 100;
  const orgs = Array.from({ length: 12 }, (_, i) => ({ id: `org-${i}`, name: `МБОУ СОШ № ${i + 1}` }));
  const rowsOf = new Map<string, DimensionalRow[]>();
  for (const o of orgs) {
    const list: DimensionalRow[] = [];
    for (const subject of ['Математика', 'Русский язык'])
      for (const grade of ['5', '7']) {
        if (rnd() < 0.2) continue;
        const values: Record<string, unknown> = { vpr_participants: 1 + Math.floor(rnd() * 100), journal_participants: 1 + Math.floor(rnd() * 100) };
        for (const k of ['2', '3', '4', '5']) values[`vpr_share_${k}`] = share();
        for (const where of ['region', 'municipality']) for (const k of ['2', '3', '4', '5']) values[`${where}_vpr_share_${k}`] = share();
        for (const k of ['lowered', 'confirmed', 'raised']) values[`journal_${k}`] = share();
        for (const where of ['region', 'municipality']) for (const k of ['lowered', 'confirmed', 'raised']) values[`${where}_journal_${k}`] = share();
        list.push({ dimensions: { subject, grade }, values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v as number, evidenceUrl: null }])) });
      }
    // ГИА rows: of another table, without the sign or the criteria indicator.
    if (rnd() < 0.5) list.push({ dimensions: { subject: 'Математика', grade: '9' }, values: { gia_participants: { value: 20, evidenceUrl: null }, gia_mean_score: { value: 3.9, evidenceUrl: null }, gia_failed: { value: 1, evidenceUrl: null } } });
    rowsOf.set(o.id, list);
  }
  return { orgs, rowsOf };
}

describe('a campaign computed for its municipal values only', () => {
  it('the per-dimension table computed for the criteria indicators gives the municipal values of the whole one', () => {
    const c = compileMethodology(m);
    if (!c.ok) throw new Error(JSON.stringify(c.errors));
    const lint = lintMethodology(m);
    const { orgs, rowsOf } = rows();
    expect(municipalIndicators(m)).toEqual(['vpr_success_share', 'quality_plan']);
    const whole = computeDimensional(m, c.compiled, lint, orgs, rowsOf, { explain: false });
    const part = computeDimensional(m, c.compiled, lint, orgs, rowsOf, { explain: false, only: municipalIndicators(m) });
    if (!whole.output || !part.output) throw new Error('not computed');
    // The part: one indicator per row instead of every one of the table.
    expect(new Set(part.output.results.map((r) => r.indicator))).toEqual(new Set(['vpr_success_share']));
    expect(whole.output.results.length).toBeGreaterThan(part.output.results.length * 5);

    const municipal = (out: typeof whole.output) => buildAnalysis({ methodology: m, computed: [out!] }).municipal;
    expect(municipal(part.output)).toEqual(municipal(whole.output));
    // Not vacuous: the value is the mean of the rows' shares (computed here from the results), rounded to 0,1.
    const shares = whole.output.results.filter((r) => r.indicator === 'vpr_success_share').map((r) => r.value as number);
    expect(shares.length).toBeGreaterThan(30);
    const [value] = municipal(part.output);
    expect(value?.indicator.id).toBe('vpr_success_share');
    expect(value?.value).toBe(Math.round((shares.reduce((s, x) => s + x, 0) / shares.length) * 10) / 10);
  });

  it('computed for the compact view (the previous campaign of a large one): the compact view and the municipal values of the whole one', () => {
    const c = compileMethodology(m);
    if (!c.ok) throw new Error(JSON.stringify(c.errors));
    const lint = lintMethodology(m);
    const { orgs, rowsOf } = rows();
    for (const text of [false, true]) {
      const whole = computeDimensional(m, c.compiled, lint, orgs, rowsOf, { explain: false, text });
      const part = computeDimensional(m, c.compiled, lint, orgs, rowsOf, { explain: false, text, compact: { everyRow: municipalIndicators(m) } });
      if (!whole.output || !part.output) throw new Error('not computed');
      const compact = (out: typeof whole.output) => compactDimensionalView(dimensionalView(m, [out!])!);
      const kept = compact(whole.output);
      // Not vacuous: the view keeps the first school's rows and the signs, and leaves most rows out.
      expect(kept.rows.length).toBeGreaterThan(1);
      expect(kept.rows.some((r) => r.cells.vpr_objectivity_sign?.value === 1)).toBe(true);
      expect(kept.omittedRows).toBeGreaterThan(kept.rows.length);
      expect(dimensionalView(m, [whole.output])!.rows.filter((r) => r.dimensions.grade === '9').length).toBeGreaterThan(2);
      expect(JSON.stringify(compact(part.output))).toBe(JSON.stringify(kept));
      // A row the view leaves out has one result (the first of the sign and the criteria indicator in the table's
      // order; a ГИА row, with neither, its first indicator); every row of the school first by name (the view's
      // first row among them) and every row with the sign is computed whole.
      const first = kept.rows[0]!.organisation;
      const byRow = new Map<string, string[]>();
      for (const r of part.output.results) {
        const k = `${r.organisation}|${r.dimensions?.subject}|${r.dimensions?.grade}`;
        (byRow.get(k) ?? byRow.set(k, []).get(k)!).push(r.indicator);
      }
      const left = [...byRow].filter(([k]) => !k.startsWith(`${first}|`) && !kept.rows.some((r) => k === `${r.organisation}|${r.dimensions.subject}|${r.dimensions.grade}`));
      expect(left.length).toBeGreaterThan(byRow.size / 2);
      expect(new Set(left.map(([k, ids]) => `${k.endsWith('|9') ? 'ГИА' : 'ВПР'}: ${ids.join(',')}`))).toEqual(new Set(['ВПР: vpr_success_share', 'ГИА: gia_mean']));
      expect(byRow.size).toBe(kept.rows.length + kept.omittedRows!);
      expect(part.output.results.length).toBeLessThan(whole.output.results.length);
      expect(part.output.indicators).toEqual(whole.output.indicators);
      const municipal = (out: typeof whole.output) => buildAnalysis({ methodology: m, computed: [out!] }).municipal;
      expect(municipal(part.output)).toEqual(municipal(whole.output));
      expect(municipal(part.output)).toHaveLength(1);
      // The aggregates it has are those of the whole computation (over the indicators every row has).
      expect(part.output.aggregates.length).toBeGreaterThan(0);
      for (const a of part.output.aggregates) expect(whole.output.aggregates).toContainEqual(a);
    }
  });

  it('computed for the compact view with whole checks (the current campaign): warnings, aggregates and the compact view of the whole one', () => {
    const c = compileMethodology(m);
    if (!c.ok) throw new Error(JSON.stringify(c.errors));
    const lint = lintMethodology(m);
    const { orgs, rowsOf } = rows();
    const everyRow = [...new Set([...municipalIndicators(m), ...aggregateIndicators(m)])];
    expect(everyRow).toEqual(['vpr_success_share', 'quality_plan', 'vpr_passed_count']);
    for (const text of [false, true]) {
      // As the page computes it: texts only for the rows the compact view keeps (`textsAbove`).
      const whole = computeDimensional(m, c.compiled, lint, orgs, rowsOf, { text, textsAbove: 10 });
      const part = computeDimensional(m, c.compiled, lint, orgs, rowsOf, { text, textsAbove: 10, compact: { everyRow, above: 10, wholeChecks: true } });
      if (!whole.output || !part.output) throw new Error('not computed');
      const compact = (out: typeof whole.output) => compactDimensionalView(dimensionalView(m, [out!])!);
      expect(JSON.stringify(compact(part.output))).toBe(JSON.stringify(compact(whole.output)));
      expect(compact(part.output).rows.some((r) => Object.values(r.cells).some((x) => x.explanation !== ''))).toBe(true);
      // Every warning of every figure (the shares of this data exceed 100 %), the aggregates, the discrepancies.
      expect(whole.output.lint.some((l) => l.path.endsWith('.vpr_quality_share'))).toBe(true);
      // Every warning is of an indicator that can warn (the others are not evaluated for the rows left out).
      for (const l of whole.output.lint.filter((x) => x.path.startsWith('data.'))) expect(canWarn(m, m.indicators[l.path.split('.').pop()!]!)).toBe(true);
      expect(Object.values(m.indicators).filter((d) => !canWarn(m, d)).length).toBeGreaterThan(10);
      expect(part.output.lint).toEqual(whole.output.lint);
      expect(part.output.aggregates).toEqual(whole.output.aggregates);
      expect(part.output.aggregates.map((a) => a.aggregate)).toEqual(expect.arrayContaining(['vpr_success_by_subject', 'vpr_success_all', 'vpr_success_mean']));
      expect(part.output.discrepancies).toEqual(whole.output.discrepancies);
      expect(part.warnings).toEqual(whole.warnings);
      expect(part.output.results.length).toBeLessThan(whole.output.results.length);
      const model = (out: typeof whole.output) => {
        const a = buildAnalysis({ methodology: m, computed: [out!] });
        return { ...a, dimensional: compactDimensionalView(a.dimensional!) };
      };
      expect(JSON.stringify(model(part.output))).toBe(JSON.stringify(model(whole.output)));
      // Within the limit: the whole computation.
      const within = computeDimensional(m, c.compiled, lint, orgs, rowsOf, { text, textsAbove: 10, compact: { everyRow, above: 1000, wholeChecks: true } });
      expect(JSON.stringify(within.output)).toBe(JSON.stringify(whole.output));
    }
  });
});
