/** Counting from groups (record-groups.ts) gives exactly what counting the records gives (record-dataset.ts
 * aggregateRecords): on hundreds of random datasets (every method, grouped and not, filters with `in` / `not_in`,
 * `where` on text and numbers, labels, empty values) and random record lists (groups of ≤ 12 and > 12 values, excluded
 * values, an entity made of two organisations of one name), the groups built as the database builds them (the grouping
 * below, in a shuffled order) — every counted input's value, explanation and number of records. And the whole table
 * (computeTableWithMatchedRecords) from groups equals the one from the records without the records behind the inputs. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileMethodology } from './evaluate.ts';
import { aggregateRecords, excludedByOf, recordOf, type RecordRow, type RecordValue } from './record-dataset.ts';
import { aggregateRecordGroups, comparedFields, groupedFields, groupsExact, type RecordGroup } from './record-groups.ts';
import { computeTableWithMatchedRecords } from './record-supply.ts';
import { MethodologySchema, type RecordAggregationDef, type RecordConditionDef, type RecordDatasetDef } from './schema.ts';
import { mulberry32 } from '../stats/cluster.ts';

const STATUS = ['Опубликована', 'Черновик', 'Архив', 'Снята'];
const FOCUS = ['Техническая', 'Художественная', 'Спортивная'];

function randomDataset(rnd: () => number): RecordDatasetDef {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const some = (xs: readonly string[]) => xs.filter(() => rnd() < 0.5).slice(0, 2);
  const condition = (): RecordConditionDef => {
    const field = pick(['status', 'focus', 'level']);
    const values = field === 'status' ? STATUS : field === 'focus' ? FOCUS : ['1', '2', '3'];
    const chosen = some(values);
    const vs = chosen.length ? chosen : [values[0] as string];
    return rnd() < 0.5 ? { field, in: vs } : { field, not_in: vs };
  };
  const filters = rnd() < 0.2 ? undefined : Array.from({ length: 1 + Math.floor(rnd() * 2) }, condition);
  let n = 0;
  const aggregations: RecordAggregationDef[] = Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => {
    const method = pick(['count', 'count_where', 'share', 'sum', 'mean', 'distinct_count'] as const);
    const a: RecordAggregationDef = { method, into: `in${n++}` };
    if (method === 'sum' || method === 'mean') a.field = pick(['students', 'age']);
    if (method === 'distinct_count') a.field = pick(['teacher', 'age', 'focus']);
    if (method === 'count_where' || method === 'share') a.where = Array.from({ length: 1 + Math.floor(rnd() * 2) }, condition);
    if (rnd() < 0.3) a.label = rnd() < 0.5 ? 'программ' : ['программа', 'программы', 'программ'];
    if (rnd() < 0.5) {
      const by = pick(['focus', 'status', 'level']);
      const values = by === 'focus' ? [...FOCUS, ''] : by === 'status' ? STATUS : ['1', '3'];
      a.group_by = by;
      a.into = Object.fromEntries(values.filter(() => rnd() < 0.8).map((v) => [v, `in${n++}`]));
    }
    return a;
  });
  return {
    title: 'Случайный список', unit: 'record', organisation: { name: 'Организация' }, record_label: 'title',
    fields: {
      title: { column: 'Название', type: 'text' },
      status: { column: 'Статус', type: 'enum', values: STATUS, required: false },
      focus: { column: 'Направленность', type: 'enum', values: FOCUS, required: false },
      level: { column: 'Уровень', type: 'integer', required: false },
      students: { column: 'Обучающихся', type: 'integer', required: false },
      age: { column: 'Возраст', type: 'integer', required: false },
      teacher: { column: 'Педагог', type: 'text', required: false },
    },
    ...(filters ? { filters } : {}),
    aggregations,
  };
}

/** One organisation's records in file order (lines increasing, with gaps). */
function randomRecords(ds: RecordDatasetDef, rnd: () => number, size: number, name: string): RecordRow[] {
  const pickOrNull = <T,>(xs: readonly T[], pNull: number): T | null => (rnd() < pNull ? null : (xs[Math.floor(rnd() * xs.length)] as T));
  let line = 2 + Math.floor(rnd() * 10);
  return Array.from({ length: size }, () => {
    line += 1 + Math.floor(rnd() * 3);
    const fields: Record<string, RecordValue> = {
      title: `Программа ${line}`,
      status: pickOrNull(STATUS, 0.1),
      focus: pickOrNull(FOCUS, 0.1),
      level: pickOrNull([1, 2, 3], 0.2),
      students: pickOrNull([0, 1, 5, 12, 25, 130, 1_000_000], 0.2),
      age: pickOrNull([6, 7, 10, 15, 18], 0.3),
      teacher: pickOrNull(['Иванова', 'Петров', 'Сидорова', 'Ким'], 0.3),
    };
    return recordOf(ds, line, { inn: null, number: null, name }, fields);
  });
}

/** The groups as the database gives them (record-lists.ts loadRecordGroups): by the compared fields' values, in a
 * shuffled order; a record's position is its line (the second organisation of one entity: after the first's). */
export function groupsOf(ds: RecordDatasetDef, parts: readonly (readonly RecordRow[])[], rnd: () => number): RecordGroup[] {
  const keys = comparedFields(ds);
  const { numbers, distinct } = groupedFields(ds);
  const byKey = new Map<string, { keys: Record<string, RecordValue>; rows: { at: number; r: RecordRow }[] }>();
  parts.forEach((records, part) => {
    for (const r of records) {
      const k = keys.map((f) => r.fields[f] ?? null);
      const id = JSON.stringify(k);
      let g = byKey.get(id);
      if (!g) byKey.set(id, (g = { keys: Object.fromEntries(keys.map((f, i) => [f, k[i] ?? null])), rows: [] }));
      g.rows.push({ at: part * 2 ** 32 + r.line, r });
    }
  });
  const out = [...byKey.values()].map(({ keys: k, rows }): RecordGroup => ({
    keys: k,
    n: rows.length,
    first: Math.min(...rows.map((x) => x.at)),
    numbers: Object.fromEntries(numbers.map((f) => {
      const xs = rows.filter((x) => typeof x.r.fields[f] === 'number').map((x) => [x.at, x.r.fields[f] as number] as [number, number]);
      // Terms in any order, none in half of the groups the filters leave out (the database lists them for counted ones).
      const listed = xs.length <= 12 && (excludedByOf(ds, k) === null || rnd() < 0.5);
      return [f, { sum: xs.reduce((s, [, x]) => s + x, 0), count: xs.length, terms: listed ? shuffled(xs, rnd) : null }];
    })),
    distinct: Object.fromEntries(distinct.map((f) => [f, [...new Set(rows.map((x) => x.r.fields[f] ?? null).filter((v) => v !== null))]])),
  }));
  return shuffled(out, rnd);
}

function shuffled<T>(xs: T[], rnd: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [xs[i], xs[j]] = [xs[j] as T, xs[i] as T];
  }
  return xs;
}

describe('counting from groups of records', () => {
  it('gives exactly the inputs and explanations of counting the records, on 600 random datasets and lists', () => {
    let inputs = 0;
    let withTerms = 0;
    let withoutTerms = 0;
    let excludedTexts = 0;
    const methods = new Set<string>();
    for (let seed = 1; seed <= 600; seed++) {
      const rnd = mulberry32(seed);
      const ds = randomDataset(rnd);
      expect(groupsExact(ds)).toBe(true);
      const size = [0, 1, 3, 8, 14, 40, 90][Math.floor(rnd() * 7)] as number;
      const parts = [randomRecords(ds, rnd, size, 'ОО')];
      if (rnd() < 0.15) parts.push(randomRecords(ds, rnd, Math.floor(rnd() * 20), 'ОО'));
      const want = aggregateRecords(ds, parts.flat());
      const got = aggregateRecordGroups(ds, groupsOf(ds, parts, rnd));
      expect(Object.keys(got)).toEqual(Object.keys(want));
      for (const [input, w] of Object.entries(want)) {
        const g = got[input];
        expect({ seed, input, value: g?.value, explanation: g?.explanation, records: g?.records }).toEqual({ seed, input, value: w.value, explanation: w.explanation, records: w.lines.length });
        inputs++;
        if (/: [\d\s]+( \+ [\d\s]+)* = /.test(w.explanation)) withTerms++;
        if (/сумма .*: [\d\s]+ из/.test(w.explanation) && (w.value ?? 0) > 0) withoutTerms++;
        if (w.explanation.includes('не учтен')) excludedTexts++;
      }
      for (const a of ds.aggregations) methods.add(`${a.method}${a.group_by ? '/grouped' : ''}`);
    }
    // The random datasets did exercise what they are for.
    expect(inputs).toBeGreaterThan(2000);
    expect(withTerms).toBeGreaterThan(50);
    expect(withoutTerms).toBeGreaterThan(10);
    expect(excludedTexts).toBeGreaterThan(200);
    expect([...methods].sort()).toEqual(['count', 'count/grouped', 'count_where', 'count_where/grouped', 'distinct_count', 'distinct_count/grouped', 'mean', 'mean/grouped', 'share', 'share/grouped', 'sum', 'sum/grouped']);
  });

  it('is exact only for whole numbers: a dataset summing a «number» field is counted from its records', () => {
    const rnd = mulberry32(7);
    const ds = randomDataset(rnd);
    expect(groupsExact({ ...ds, aggregations: [{ method: 'sum', field: 'students', into: 'x' }] })).toBe(true);
    expect(groupsExact({ ...ds, fields: { ...ds.fields, students: { column: 'Обучающихся', type: 'number' } }, aggregations: [{ method: 'mean', field: 'students', into: 'x' }] })).toBe(false);
  });

  it('computes the same table as the records without the records behind the inputs (talents-2021, Навигатор)', () => {
    const m = MethodologySchema.parse(parse(readFileSync(new URL('../../../library/talents-2021.yaml', import.meta.url), 'utf8')));
    const c = compileMethodology(m);
    if (!c.ok) throw new Error(JSON.stringify(c.errors));
    const ds = m.record_datasets?.navigator;
    if (!ds) throw new Error('navigator');
    const rnd = mulberry32(21);
    const ORGS = 40;
    const header = ['name', 'no', 'type', 'students'];
    // ОО-1…ОО-40 in the table (ОО-40 without records), ОО-41 has records but is not in the table.
    const rows = Array.from({ length: ORGS }, (_, i) => ({ line: i + 2, cells: [`ОО-${i + 1}`, String(i + 1), i % 3 === 0 ? 'preschool' : 'school', String(100 + i * 7)] }));
    const statuses = ['Опубликована', 'Опубликована', 'Опубликована', 'Черновик', 'Архив', 'Снята с публикации'];
    const foci = ['Техническая', 'Туристско-краеведческая', 'Физкультурно-спортивная', 'Художественная', 'Естественнонаучная', 'Социально-гуманитарная'];
    const byEntity = new Map<string, RecordRow[]>();
    const groupsByEntity = new Map<string, RecordGroup[]>();
    for (const i of [...Array.from({ length: ORGS - 1 }, (_, k) => k), ORGS]) {
      const name = `ОО-${i + 1}`;
      let line = 3 + i;
      const records = Array.from({ length: Math.floor(rnd() * 70) }, () => {
        line += ORGS + 1;
        return recordOf(ds, line, { inn: null, number: null, name }, { status: statuses[Math.floor(rnd() * statuses.length)] as string, focus: foci[Math.floor(rnd() * foci.length)] as string, students: 1 + Math.floor(rnd() * 30) });
      });
      byEntity.set(name, records);
      groupsByEntity.set(name, groupsOf(ds, [records], rnd));
    }
    const list = { id: 'navigator', ds, file: 'навигатор.csv', headerLine: 2, skipped: [{ line: 4000, reason: 'итоговая строка' }] };
    const want = computeTableWithMatchedRecords(c.compiled, header, rows, [{ ...list, byEntity }], [], { records: false });
    const got = computeTableWithMatchedRecords(c.compiled, header, rows, [{ ...list, groupsByEntity }], [], { records: false });
    if (!want.ok || !got.ok) throw new Error('not computed');
    expect(JSON.stringify(got.output)).toBe(JSON.stringify(want.output));
    expect(got.output.records?.[0]?.excluded.length).toBe(3);
    expect(got.output.results.find((r) => r.organisation === 'ОО-40' && r.indicator === 'diversity_index')?.details.inputs.programmes).toBe(0);
    expect(() => computeTableWithMatchedRecords(c.compiled, header, rows, [{ ...list, groupsByEntity }], [], { records: true })).toThrow(/без перечня записей/);
  });
});
