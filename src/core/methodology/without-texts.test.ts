/** `explain: false` (ComputeOptions, run.ts): a computation without its Russian texts gives exactly the output with
 * them once the texts are emptied — results (`explanation`, `details.substituted`), totals, aggregates, counted inputs —
 * and those texts really are empty. Checked on the seed-004 tables of talents-2021 (`computeTable`; discrepancies with
 * the printed figures, whose messages quote a figure's explanation, included), on its organisation table completed by
 * a Навигатор list counted from records and from groups of records (`computeTableWithMatchedRecords`), and on a
 * dimensional methodology (direction-preparation 2021.2, `computeDimensional`: the direct path and the text path). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seedTable } from '../../../test/support/seed-004.ts';
import { parse } from 'yaml';
import type { DimensionalRow } from '../rules/dimensional.ts';
import { computeDimensional } from '../../services/analysis/campaign-dimensional.ts';
import { dimensionalView } from '../analysis/dimensional.ts';
import { compactDimensionalView } from '../analysis/dimensional-compact.ts';
import { buildAnalysis } from '../analysis/model.ts';
import { canWarn, compileMethodology, type Compiled } from './evaluate.ts';
import { lintMethodology } from './lint.ts';
import { recordOf, type RecordRow, type RecordValue } from './record-dataset.ts';
import { comparedFields, groupedFields, type RecordGroup } from './record-groups.ts';
import { computeTableWithMatchedRecords } from './record-supply.ts';
import { computeTable, type ComputeOutput } from './run.ts';
import { MethodologySchema, type Methodology } from './schema.ts';
import { mulberry32 } from '../stats/cluster.ts';

const load = (path: string) => MethodologySchema.parse(parse(readFileSync(new URL(path, import.meta.url), 'utf8')));
function compile(m: Methodology): Compiled {
  const c = compileMethodology(m);
  if (!c.ok) throw new Error(JSON.stringify(c.errors));
  return c.compiled;
}

/** The output with every text `explain: false` leaves out emptied (written here independently of the engine). */
function blanked(out: ComputeOutput<unknown>): unknown {
  const copy = JSON.parse(JSON.stringify(out)) as ComputeOutput<unknown>;
  for (const r of copy.results) {
    r.explanation = '';
    r.details.substituted = '';
    for (const c of Object.values(r.details.counted ?? {})) c.explanation = '';
  }
  for (const t of copy.totals) t.explanation = '';
  for (const a of copy.aggregates) a.explanation = '';
  return copy;
}

/** Every text of an output (to check they are empty without texts, and not all empty with them). */
function texts(out: ComputeOutput<unknown>): string[] {
  return [
    ...out.results.flatMap((r) => [r.explanation, r.details.substituted, ...Object.values(r.details.counted ?? {}).map((c) => c.explanation)]),
    ...out.totals.map((t) => t.explanation),
    ...out.aggregates.map((a) => a.explanation),
  ];
}

function expectSameFigures(withTexts: ComputeOutput<unknown>, plain: ComputeOutput<unknown>): void {
  expect(texts(plain).every((t) => t === '')).toBe(true);
  expect(texts(withTexts).filter((t) => t !== '').length).toBeGreaterThan(0);
  expect(JSON.stringify(plain)).toBe(JSON.stringify(blanked(withTexts)));
}

const talents = load('../../../library/talents-2021.yaml');
const talentsCompiled = compile(talents);


describe('computation without texts', () => {
  it('seed 004 (talents-2021): every table the same once the texts are emptied, discrepancies and their messages included', () => {
    let discrepancies = 0;
    let results = 0;
    for (const name of ['organisations.csv', 'satisfaction.csv', 'coverage.csv', 'focus.csv']) {
      const { header, rows } = seedTable(name);
      const eager = computeTable(talentsCompiled, header, rows);
      const plain = computeTable(talentsCompiled, header, rows, [], { explain: false });
      if (!eager.ok || !plain.ok) throw new Error(name);
      expectSameFigures(eager.output, plain.output);
      discrepancies += plain.output.discrepancies.length;
      results += plain.output.results.length;
    }
    expect(results).toBe(69);
    // Seed 004's printed figures disagree with the computed ones in places: their messages quote the figure's
    // explanation, written on demand without texts (the JSON comparison above holds them equal).
    expect(discrepancies).toBeGreaterThan(0);
  });

  it('texts for some entities only (explainEntity): theirs as with texts, the others\' emptied, every total, aggregate and discrepancy as with texts', () => {
    let chosen = 0;
    let others = 0;
    for (const name of ['organisations.csv', 'satisfaction.csv', 'coverage.csv', 'focus.csv']) {
      const { header, rows } = seedTable(name);
      const eager = computeTable(talentsCompiled, header, rows);
      const seen: string[] = [];
      const some = computeTable(talentsCompiled, header, rows, [], {
        explainEntity: (e, rs) => {
          // Results computed without texts are what the choice sees.
          expect(rs.every((r) => r.explanation === '')).toBe(true);
          seen.push(e.key);
          return seen.length % 2 === 1;
        },
      });
      if (!eager.ok || !some.ok) throw new Error(name);
      const keep = new Set(seen.filter((_, i) => i % 2 === 0));
      const expected = JSON.parse(JSON.stringify(eager.output)) as ComputeOutput<unknown>;
      const blankedRows = blanked(eager.output) as ComputeOutput<unknown>;
      expected.results = expected.results.map((r, i) => (keep.has(r.organisation) ? r : (blankedRows.results[i] as (typeof expected.results)[number])));
      expect(JSON.stringify(some.output)).toBe(JSON.stringify(expected));
      chosen += some.output.results.filter((r) => keep.has(r.organisation) && r.explanation !== '').length;
      others += some.output.results.filter((r) => !keep.has(r.organisation)).length;
    }
    expect(chosen).toBeGreaterThan(10);
    expect(others).toBeGreaterThan(10);
  });

  it('whole checks, few entities held (partial.wholeChecks): the discrepancies with their texts, the warnings and the aggregates of the whole computation', () => {
    let discrepancies = 0;
    for (const name of ['organisations.csv', 'coverage.csv']) {
      const { header, rows } = seedTable(name);
      const eager = computeTable(talentsCompiled, header, rows);
      // Texts for nobody, nobody kept, nothing held for every entity: only the entities whose printed figures disagree.
      const few = computeTable(talentsCompiled, header, rows, [], { explainEntity: () => false, partial: { indicators: [], keep: () => false, wholeChecks: true } });
      if (!eager.ok || !few.ok) throw new Error(name);
      expect(few.output.discrepancies).toEqual(eager.output.discrepancies);
      expect(few.output.lint).toEqual(eager.output.lint);
      for (const l of eager.output.lint.filter((x) => x.path.startsWith('data.'))) expect(canWarn(talents, talents.indicators[l.path.split('.').pop()!]!)).toBe(true);
      discrepancies += few.output.discrepancies.length;
      // An entity with a discrepancy keeps every result, with its texts; another one result, without.
      const disagreeing = new Set(eager.output.discrepancies.map((d) => d.organisation));
      for (const r of few.output.results) {
        if (disagreeing.has(r.organisation)) expect(r).toEqual(eager.output.results.find((x) => x.organisation === r.organisation && x.indicator === r.indicator));
        else expect(few.output.results.filter((x) => x.organisation === r.organisation)).toHaveLength(1);
      }
      const rowsOf = (out: ComputeOutput<unknown>) => buildAnalysis({ methodology: talents, computed: [out] }).discrepancies;
      expect(rowsOf(few.output)).toEqual(rowsOf(eager.output));
    }
    expect(discrepancies).toBeGreaterThan(0);
  });

  it('talents-2021 completed by a Навигатор list: counted from records (with and without them) and from groups', () => {
    const ds = talents.record_datasets?.navigator;
    if (!ds) throw new Error('navigator');
    const rnd = mulberry32(5);
    const header = ['name', 'no', 'type', 'students'];
    const rows = Array.from({ length: 30 }, (_, i) => ({ line: i + 2, cells: [`ОО-${i + 1}`, String(i + 1), i % 3 === 0 ? 'preschool' : 'school', String(100 + i * 7)] }));
    const statuses = ['Опубликована', 'Опубликована', 'Черновик', 'Архив'];
    const foci = ['Техническая', 'Туристско-краеведческая', 'Физкультурно-спортивная', 'Художественная', 'Естественнонаучная', 'Социально-гуманитарная'];
    const byEntity = new Map<string, RecordRow[]>();
    const groupsByEntity = new Map<string, RecordGroup[]>();
    const keys = comparedFields(ds);
    const { numbers, distinct } = groupedFields(ds);
    let line = 3;
    for (let i = 0; i < 29; i++) {
      const name = `ОО-${i + 1}`;
      const records = Array.from({ length: Math.floor(rnd() * 40) }, () =>
        recordOf(ds, line++, { inn: null, number: null, name }, { status: statuses[Math.floor(rnd() * statuses.length)] as string, focus: foci[Math.floor(rnd() * foci.length)] as string, students: 1 + Math.floor(rnd() * 30) }));
      byEntity.set(name, records);
      // One group per record: the groups the database forms, at their finest.
      groupsByEntity.set(name, records.map((r) => ({
        keys: Object.fromEntries(keys.map((f) => [f, r.fields[f] ?? null])) as Record<string, RecordValue>,
        n: 1,
        first: r.line,
        numbers: Object.fromEntries(numbers.map((f) => {
          const v = r.fields[f];
          return [f, typeof v === 'number' ? { sum: v, count: 1, terms: [[r.line, v]] as [number, number][] } : { sum: 0, count: 0, terms: [] }];
        })),
        distinct: Object.fromEntries(distinct.map((f) => [f, r.fields[f] === null || r.fields[f] === undefined ? [] : [r.fields[f] as RecordValue]])),
      })));
    }
    const list = { id: 'navigator', ds, file: 'навигатор.csv', headerLine: 2, skipped: [] };
    for (const records of [true, false]) {
      const eager = computeTableWithMatchedRecords(talentsCompiled, header, rows, [{ ...list, byEntity }], [], { records });
      const plain = computeTableWithMatchedRecords(talentsCompiled, header, rows, [{ ...list, byEntity }], [], { records, explain: false });
      if (!eager.ok || !plain.ok) throw new Error('not computed');
      expect(eager.output.results.some((r) => Object.keys(r.details.counted ?? {}).length > 0)).toBe(true);
      expectSameFigures(eager.output, plain.output);
    }
    const eager = computeTableWithMatchedRecords(talentsCompiled, header, rows, [{ ...list, groupsByEntity }], [], { records: false });
    const plain = computeTableWithMatchedRecords(talentsCompiled, header, rows, [{ ...list, groupsByEntity }], [], { records: false, explain: false });
    if (!eager.ok || !plain.ok) throw new Error('not computed');
    expectSameFigures(eager.output, plain.output);
  });

  it('a dimensional methodology (direction-preparation 2021.2): the direct path and the text path', () => {
    const m = load('../../../library/directions/preparation-2021.2.yaml');
    const compiled = compile(m);
    const lint = lintMethodology(m);
    const rnd = mulberry32(9);
    const share = () => Math.round(rnd() * 10000) / 100;
    const orgs = Array.from({ length: 25 }, (_, i) => ({ id: `org-${i}`, name: `МБОУ СОШ № ${i + 1}` }));
    const rowsOf = new Map<string, DimensionalRow[]>();
    for (const o of orgs) {
      const rows: DimensionalRow[] = [];
      for (const subject of ['Математика', 'Русский язык', 'История'])
        for (const grade of ['4', '5', '7']) {
          if (rnd() < 0.3) continue;
          const values: Record<string, unknown> = { vpr_participants: 1 + Math.floor(rnd() * 200), journal_participants: 1 + Math.floor(rnd() * 200) };
          for (const k of ['2', '3', '4', '5']) values[`vpr_share_${k}`] = share();
          for (const where of ['region', 'municipality']) for (const k of ['2', '3', '4', '5']) values[`${where}_vpr_share_${k}`] = rnd() < 0.1 ? null : share();
          for (const k of ['lowered', 'confirmed', 'raised']) values[`journal_${k}`] = rnd() < 0.2 ? 15 + Math.floor(rnd() * 3) : share();
          for (const where of ['region', 'municipality']) for (const k of ['lowered', 'confirmed', 'raised']) values[`${where}_journal_${k}`] = share();
          if (rnd() < 0.05) values.vpr_share_3 = null; // a partial row: a warning either way
          rows.push({ dimensions: { subject, grade }, values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v as DimensionalRow['values'][string]['value'], evidenceUrl: null }])) });
        }
      rowsOf.set(o.id, rows);
    }
    for (const text of [false, true]) {
      const eager = computeDimensional(m, compiled, lint, orgs, rowsOf, { text });
      const plain = computeDimensional(m, compiled, lint, orgs, rowsOf, { text, explain: false });
      if (!eager.output || !plain.output) throw new Error('not computed');
      expect(plain.output.results.length).toBeGreaterThan(200);
      expect(plain.output.aggregates.length).toBeGreaterThan(0);
      expect(plain.warnings).toEqual(eager.warnings);
      // The comparison inputs (region_…, municipality_…) are there without texts too.
      expect(plain.output.results.some((r) => Object.keys(r.details.inputs).some((k) => k.startsWith('region_')))).toBe(true);
      expectSameFigures(eager.output, plain.output);

      // Texts only for the rows the page's compact view keeps (`textsAbove` below the table's rows): the compact view
      // is the same as from the whole computation, every figure and aggregate too; the rows it leaves out lost their texts.
      const compact = computeDimensional(m, compiled, lint, orgs, rowsOf, { text, textsAbove: 10 });
      if (!compact.output) throw new Error('not computed');
      const blank = blanked(eager.output) as ComputeOutput<unknown>;
      const whole = JSON.parse(JSON.stringify(eager.output)) as ComputeOutput<unknown>;
      let kept = 0;
      compact.output.results.forEach((r, i) => {
        const same = JSON.stringify(r) === JSON.stringify(whole.results[i]);
        if (same && r.explanation !== '') kept++;
        else expect(JSON.stringify(r)).toBe(JSON.stringify(blank.results[i]));
      });
      expect(kept).toBeGreaterThan(0);
      expect(kept).toBeLessThan(compact.output.results.length / 2);
      expect(JSON.stringify(compact.output.aggregates)).toBe(JSON.stringify(eager.output.aggregates));
      const view = (o: ComputeOutput<unknown>) => compactDimensionalView(dimensionalView(m, [o])!);
      expect(view(compact.output).rows.length).toBeGreaterThan(1);
      expect(view(compact.output).rows.every((row) => Object.values(row.cells).every((c) => c.value === null || c.explanation !== ''))).toBe(true);
      expect(JSON.stringify(view(compact.output))).toBe(JSON.stringify(view(eager.output)));
      // Within the limit: every text.
      const within = computeDimensional(m, compiled, lint, orgs, rowsOf, { text, textsAbove: 1000 });
      expect(JSON.stringify(within.output)).toBe(JSON.stringify(eager.output));
    }
  });
});
