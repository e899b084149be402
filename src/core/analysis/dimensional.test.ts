/** Per-subject ranking and the signs of non-objectivity (issue 22) over direction-preparation 2021.2: three schools,
 * Математика and Русский язык in grade 5, computed by the engine from hand-made ВПР tables; every expected figure is
 * worked out by hand below. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { computeTables } from '../methodology/combine.ts';
import { compileMethodology } from '../methodology/evaluate.ts';
import type { NamedTable } from '../methodology/named-table.ts';
import { MethodologySchema } from '../methodology/schema.ts';
import { dimensionalView, dimensionsText, objectivitySigns, rankableMeasures, rankDimensional } from './dimensional.ts';
import { buildAnalysis } from './model.ts';

const m = MethodologySchema.parse(parse(readFileSync(new URL('../../../library/directions/preparation-2021.2.yaml', import.meta.url), 'utf8')));
const compiled = (() => {
  const c = compileMethodology(m);
  if (!c.ok) throw new Error(JSON.stringify(c.errors));
  return c.compiled;
})();

const REGION = { Математика: [10, 35, 40, 15], 'Русский язык': [12, 38, 35, 15] } as const;
const MUNI = { Математика: [8, 32, 40, 20], 'Русский язык': [10, 35, 40, 15] } as const;
// school, subject, participants, shares «2»…«5»
const MARKS: [string, 'Математика' | 'Русский язык', number, number[]][] = [
  ['СОШ А', 'Математика', 20, [10, 30, 40, 20]],
  ['СОШ Б', 'Математика', 10, [0, 20, 30, 50]],
  ['СОШ В', 'Математика', 30, [20, 40, 30, 10]],
  ['СОШ А', 'Русский язык', 25, [4, 36, 40, 20]],
  ['СОШ Б', 'Русский язык', 10, [10, 30, 40, 20]],
];
// school, subject, participants, lowered, confirmed, raised
const JOURNAL: [string, string, number, number, number, number][] = [
  ['СОШ А', 'Математика', 20, 10, 80, 10],
  ['СОШ Б', 'Математика', 10, 0, 70, 30],
  ['СОШ В', 'Математика', 30, 20, 70, 10],
  ['СОШ А', 'Русский язык', 25, 8, 80, 12],
  ['СОШ Б', 'Русский язык', 10, 0, 60, 40],
];
const cols = (dsId: string) => Object.values(m.datasets?.[dsId]?.columns ?? {});
const n = (x: number) => String(x).replace('.', ',');
const tables: NamedTable[] = [
  {
    file: 'marks',
    header: ['Организация', 'Предмет', 'Класс', ...cols('vpr_marks')],
    rows: MARKS.map(([s, subj, p, sh], i) => ({ line: i + 2, cells: [s, subj, '5', String(p), ...sh.map(n), ...REGION[subj].map(n), ...MUNI[subj].map(n)] })),
  },
  {
    file: 'journal',
    header: ['Организация', 'Предмет', 'Класс', ...cols('vpr_journal')],
    rows: JOURNAL.map(([s, subj, p, lo, co, ra], i) => ({ line: i + 2, cells: [s, subj, '5', String(p), n(lo), n(co), n(ra), '70', '6', '72', '8'] })),
  },
];
const out = (() => {
  const r = computeTables(compiled, tables);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.output;
})();
const view = dimensionalView(m, [out])!;

describe('dimensional view', () => {
  it('keeps one row per school × subject × grade with the dimensions present, in the methodology order', () => {
    expect(view.rows.map((r) => `${r.organisation}|${r.dimensions.subject}|${r.dimensions.grade}`)).toEqual([
      'СОШ А|Русский язык|5', 'СОШ А|Математика|5', 'СОШ Б|Русский язык|5', 'СОШ Б|Математика|5', 'СОШ В|Математика|5',
    ]);
    expect(view.dimensions).toEqual([
      { id: 'subject', title: 'Предмет', values: [{ value: 'Русский язык', label: 'Русский язык' }, { value: 'Математика', label: 'Математика' }] },
      { id: 'grade', title: 'Класс', values: [{ value: '5', label: '5 класс' }] },
    ]);
    expect(dimensionsText(view, { subject: 'Математика', grade: '5' })).toBe('Математика, 5 класс');
    expect(dimensionsText(view, { subject: null, grade: '5' })).toBe('предмет: все, 5 класс');
    expect(view.objectivity?.indicator.id).toBe('vpr_objectivity_sign');
    expect(view.objectivity?.inputs.map((i) => i.id)).toEqual(['vpr_share_5', 'region_vpr_share_5', 'journal_raised']);
  });

  it('ranks the schools of Математика, 5 класс by the success share with the report’s municipality and region rows', () => {
    const sel = { subject: 'Математика', grade: '5' };
    const measures = rankableMeasures(view, sel).map((x) => x.id);
    expect(measures).toContain('vpr_success_share');
    expect(measures).not.toContain('vpr_objectivity_sign');
    const r = rankDimensional(view, sel, 'vpr_success_share')!;
    // 30 + 40 + 20 = 90; 20 + 30 + 50 = 100; 40 + 30 + 10 = 80
    expect(r.entries.map((e) => [e.position, e.name, e.value])).toEqual([[1, 'СОШ Б', 100], [2, 'СОШ А', 90], [3, 'СОШ В', 80]]);
    // region 35 + 40 + 15 = 90, municipality 32 + 40 + 20 = 92
    expect(r.region?.value).toBe(90);
    expect(r.municipality?.value).toBe(92);
    const q = rankDimensional(view, sel, 'vpr_quality_share')!;
    expect(q.entries.map((e) => e.value)).toEqual([80, 60, 40]);
    expect([q.region?.value, q.municipality?.value]).toEqual([55, 60]);
    // lowered has no regional row in the tables: no comparison rather than a made-up one
    expect(rankDimensional(view, sel, 'journal_lowered_share')!.region).toBeNull();
  });

  it('«по всем предметам» ranks by the methodology’s aggregate taken per school', () => {
    const sel = { subject: null, grade: '5' };
    expect(rankableMeasures(view, sel).map((x) => x.id)).toEqual(['vpr_success_all']);
    const r = rankDimensional(view, sel, 'vpr_success_all')!;
    // passed: А 20·90 % = 18 and 25·96 % = 24 → 42/45 = 93,3 %; Б 10 + 9 = 19/20 = 95 %; В 24/30 = 80 %
    expect(r.entries.map((e) => [e.name, e.value])).toEqual([['СОШ Б', 95], ['СОШ А', 93.3], ['СОШ В', 80]]);
    expect(r.entries[1]?.explanation).toMatch(/отношение сумм: Σ vpr_passed_count 42 \/ Σ vpr_participants 45 × 100/);
    // all schools: 85 / 95 = 89,47… → 89,5
    expect(r.municipality?.value).toBe(89.5);
    expect(r.region).toBeNull();
    // one subject over every grade: the aggregate grouped by subject
    expect(rankableMeasures(view, { subject: 'Математика', grade: null }).map((x) => x.id)).toEqual(['vpr_success_by_subject']);
  });

  it('lists the signs of non-objectivity with the figures of the formula', () => {
    // Б, Математика: 50 − 15 = 35 ≥ 15 and 30 ≥ 15; Б, Русский язык: 20 − 15 = 5 < 15
    expect(objectivitySigns(view).map((s) => [s.organisation, s.dimensions.subject, s.figures.map((f) => f.value)])).toEqual([['СОШ Б', 'Математика', [50, 15, 30]]]);
  });

  it('lists the signs of a selection as the whole list filtered by it, organisations with more signs first', () => {
    // The view's rows again under other schools, with the sign set by hand: Я has two signs, Ж and А one each.
    const sign = view.objectivity!.indicator.id;
    const like = (org: string, subject: string, yes: boolean) => {
      const base = view.rows.find((r) => r.dimensions.subject === subject)!;
      return { ...base, organisation: org, cells: { ...base.cells, [sign]: { ...base.cells[sign]!, value: yes ? 1 : 0 } } };
    };
    const rows = [like('СОШ А', 'Русский язык', true), like('СОШ Ж', 'Математика', true), like('СОШ Ж', 'Русский язык', false), like('СОШ Я', 'Математика', true), like('СОШ Я', 'Русский язык', true)];
    const v = { ...view, rows };
    const all = objectivitySigns(v);
    expect(all.map((s) => `${s.organisation}|${s.dimensions.subject}`)).toEqual(['СОШ Я|Русский язык', 'СОШ Я|Математика', 'СОШ А|Русский язык', 'СОШ Ж|Математика']);
    for (const sel of [{ subject: 'Математика', grade: '5' }, { subject: 'Русский язык', grade: '5' }, { subject: 'Математика', grade: null }, { subject: null, grade: '5' }, { subject: 'История', grade: '5' }])
      expect(objectivitySigns(v, sel)).toEqual(all.filter((s) => Object.entries(sel).every(([d, x]) => !x || s.dimensions[d] === x)));
    // listed once per view and selection, and frozen: shared by every caller
    expect(objectivitySigns(v, { subject: 'Математика', grade: '5' })).toBe(objectivitySigns(v, { grade: '5', subject: 'Математика' }));
    expect(objectivitySigns(v)).toBe(all);
    expect([Object.isFrozen(all), Object.isFrozen(all[0])]).toEqual([true, true]);
  });

  it('the analysis model carries the view and leaves the per-organisation tables empty', () => {
    const model = buildAnalysis({ methodology: m, computed: [out] });
    expect(model.orgTables).toEqual([]);
    expect(model.dimensional?.rows).toHaveLength(5);
    expect(model.conclusions.find((c) => c.id === 'objectivity')?.text).toBe('Признак необъективности результатов ВПР (объективность): «да» у 1 организации — СОШ Б (Математика, 5 класс).');
  });
});

describe('dynamics per subject × grade', () => {
  it('each school then and now with the change, matched by name; a school new this year has no change', async () => {
    const { dimensionalDynamics } = await import('./dimensional-dynamics.ts');
    // Last year: СОШ А had 80 % in Математика (10 + 30 + 40), СОШ В did not write it.
    const last: NamedTable[] = [{ ...tables[0]!, rows: [{ line: 2, cells: ['СОШ А', 'Математика', '5', '20', '20', '10', '30', '40', ...REGION.Математика.map(n), ...['10', '30', '40', '20']] }] }];
    const prev = computeTables(compiled, last);
    if (!prev.ok) throw new Error(JSON.stringify(prev.error));
    const d = dimensionalDynamics(view, dimensionalView(m, [prev.output])!, { subject: 'Математика', grade: '5' }, 'vpr_success_share')!;
    expect(d.rows.map((r) => [r.name, r.previous, r.current, r.change, r.direction])).toEqual([['СОШ Б', null, 100, null, null], ['СОШ А', 80, 90, 10, 'up'], ['СОШ В', null, 80, null, null]]);
    // municipality: 30 + 40 + 20 = 90 last year, 92 now
    expect([d.municipality?.previous, d.municipality?.current, d.municipality?.change]).toEqual([90, 92, 2]);
  });
});

describe('the compact view of a large campaign (dimensional-compact.ts)', () => {
  it('keeps the first row and the rows with a sign, so the choices and the table of signs stay the same', async () => {
    const { compactDimensionalView, compactIfLarge } = await import('./dimensional-compact.ts');
    const c = compactDimensionalView(view);
    // the first row (СОШ А, Русский язык) for the initial choice, and СОШ Б, Математика — the one sign
    expect(c.rows.map((r) => `${r.organisation}|${r.dimensions.subject}`)).toEqual(['СОШ А|Русский язык', 'СОШ Б|Математика']);
    expect(c.omittedRows).toBe(3);
    expect(objectivitySigns(c)).toEqual(objectivitySigns(view));
    expect([c.dimensions, c.indicators, c.aggregates, c.objectivity]).toEqual([view.dimensions, view.indicators, view.aggregates, view.objectivity]);
    // within the limit both views stay whole; above it both are compacted
    expect(compactIfLarge(view, view, 10)).toEqual({ current: view, previous: view });
    const both = compactIfLarge(view, view, 9);
    expect([both.current?.rows.length, both.previous?.omittedRows]).toEqual([2, 3]);
    // the previous campaign's compact view without texts (the page reads its values only), the current one with them
    expect(both.current?.rows[1]?.cells.vpr_objectivity_sign?.explanation).not.toBe('');
    expect(new Set(both.previous?.rows.flatMap((r) => Object.values(r.cells).map((x) => x.explanation)))).toEqual(new Set(['']));
    expect(both.previous?.rows.map((r) => r.cells.vpr_success_share?.value)).toEqual(both.current?.rows.map((r) => r.cells.vpr_success_share?.value));
    expect(compactIfLarge(view, null, 4).previous).toBeNull();
  });
});
