/** computeTableWithMatchedRecords (the recompute of a campaign) gives exactly what combine.ts's
 * computeTableWithRecords gives: every figure, explanation, counted input with its records, file summary, aggregate —
 * on a synthetic Навигатор-like list for talents-2021 (statuses left out, six foci, organisations without records, a
 * record of an organisation not in the table, two exports of the same list); and `{ records: false }` gives it without
 * the records behind each counted input. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { computeTableWithRecords, type MatchedRecordList } from './combine.ts';
import { compileMethodology } from './evaluate.ts';
import { recordOf, type RecordRow } from './record-dataset.ts';
import { computeTableWithMatchedRecords } from './record-supply.ts';
import { MethodologySchema } from './schema.ts';

const m = MethodologySchema.parse(parse(readFileSync(new URL('../../../library/talents-2021.yaml', import.meta.url), 'utf8')));
const FOCI = ['Техническая', 'Туристско-краеведческая', 'Физкультурно-спортивная', 'Художественная', 'Естественнонаучная', 'Социально-гуманитарная'];
const STATUSES = ['Опубликована', 'Опубликована', 'Опубликована', 'Опубликована', 'Черновик', 'Архив', 'Снята с публикации'];

describe('records counted for a campaign', () => {
  it('equals computeTableWithRecords on a synthetic Навигатор list', () => {
    const c = compileMethodology(m);
    if (!c.ok) throw new Error(JSON.stringify(c.errors));
    const ds = m.record_datasets?.navigator;
    if (!ds) throw new Error('navigator');
    const ORGS = 60;
    const header = ['name', 'no', 'type', 'students'];
    // ОО-1…ОО-60 have records, ОО-63 has none; ОО-61 and ОО-62 have records but are not in the table.
    const rows = [...Array.from({ length: ORGS }, (_, i) => i), 62].map((i, k) => ({ line: k + 2, cells: [`ОО-${i + 1}`, String(i + 1), i % 3 === 0 ? 'preschool' : 'school', String(100 + i * 7)] }));
    const make = (from: number, n: number): MatchedRecordList['records'] =>
      Array.from({ length: n }, (_, k) => {
        const i = from + k;
        const org = (i * 37) % (ORGS + 2);
        return { entityKey: `ОО-${org + 1}`, record: recordOf(ds, i + 3, { inn: null, number: null, name: `ОО-${org + 1}` }, { status: STATUSES[i % STATUSES.length] as string, students: 5 + (i % 25), focus: FOCI[(i * 5) % FOCI.length] as string, title: `Программа ${i}` }) };
      });
    const one = [{ id: 'navigator', ds, file: 'навигатор.csv', headerLine: 2, skipped: [{ line: 5000, reason: 'итоговая строка' }], records: make(0, 2400) }];
    const two = [...one, { id: 'navigator', ds, file: 'навигатор-2.xlsx, лист «Программы»', headerLine: 4, skipped: [], records: make(2400, 300) }];
    for (const lists of [one, two]) {
      const want = computeTableWithRecords(c.compiled, header, rows, lists);
      const got = computeTableWithMatchedRecords(c.compiled, header, rows, lists);
      if (!want.ok || !got.ok) throw new Error('not computed');
      expect(got.output).toEqual(want.output);
      expect(got.output.results.find((r) => r.organisation === 'ОО-63' && r.indicator === 'diversity_index')?.details.inputs.programmes).toBe(0);
      expect(got.output.results.find((r) => r.organisation === 'ОО-2' && r.indicator === 'diversity_index')?.details.counted?.programmes?.records.length).toBeGreaterThan(0);
      // Figures only: the same output with every counted input's records left out, nothing else changed.
      const figures = computeTableWithMatchedRecords(c.compiled, header, rows, lists, [], { records: false });
      if (!figures.ok) throw new Error('not computed');
      const stripped = want.output.results.map((r) => ({ ...r, details: { ...r.details, ...(r.details.counted ? { counted: Object.fromEntries(Object.entries(r.details.counted).map(([i, { records: _records, ...d }]) => [i, d])) } : {}) } }));
      expect(JSON.stringify(figures.output)).toBe(JSON.stringify({ ...want.output, results: stripped }));
      expect(figures.output.results.filter((r) => r.details.counted).length).toBeGreaterThan(ORGS);
      expect(figures.output.results.some((r) => Object.values(r.details.counted ?? {}).some((d) => 'records' in d))).toBe(false);
      // The same lists given per entity (as a campaign gives its list in force, the organisations in its order): the
      // same output as the flat lists in that order.
      const perEntity = lists.map(({ records, ...l }) => {
        const byEntity = new Map<string, RecordRow[]>();
        for (const { entityKey, record } of records) byEntity.set(entityKey, [...(byEntity.get(entityKey) ?? []), record]);
        return { ...l, byEntity };
      });
      const flat = perEntity.map(({ byEntity, ...l }) => ({ ...l, records: [...byEntity].flatMap(([entityKey, rs]) => rs.map((record) => ({ entityKey, record }))) }));
      const grouped = computeTableWithMatchedRecords(c.compiled, header, rows, perEntity);
      const inOrder = computeTableWithMatchedRecords(c.compiled, header, rows, flat);
      if (!grouped.ok || !inOrder.ok) throw new Error('not computed');
      expect(JSON.stringify(grouped.output)).toBe(JSON.stringify(inOrder.output));
      expect(grouped.output.results).toEqual(want.output.results);
    }
  });
});
