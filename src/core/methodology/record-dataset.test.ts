import { describe, expect, it } from 'vitest';
import { computeTables } from './combine.ts';
import { compileMethodology } from './evaluate.ts';
import { lintMethodology } from './lint.ts';
import { aggregateRecords, joinHeaderRows, locateRecordTable, readRecords } from './record-dataset.ts';
import type { TableRow } from './records.ts';
import type { Methodology, RecordDatasetDef } from './schema.ts';
import { MethodologySchema } from './schema.ts';

const ds: RecordDatasetDef = {
  title: 'Программы',
  unit: 'record',
  organisation: { inn: 'ИНН', name: 'Организация' },
  fields: {
    title: { column: 'Программа', type: 'text' },
    focus: { column: 'Направленность', type: 'enum', values: ['Техническая', 'Художественная'], aliases: { 'Тех.': 'Техническая' } },
    status: { column: 'Статус', type: 'enum', values: ['Опубликована', 'Черновик', 'Архив'] },
    students: { column: 'Обучающихся', type: 'integer', min: 0 },
    age: { column: 'Возраст с', type: 'integer', required: false },
  },
  record_label: 'title',
  filters: [{ field: 'status', in: ['Опубликована'] }],
  aggregations: [
    { method: 'count', into: 'programmes', label: ['опубликованная программа', 'опубликованные программы', 'опубликованных программ'] },
    { method: 'sum', field: 'students', group_by: 'focus', into: { Техническая: 'tech', Художественная: 'arts' } },
    { method: 'count_where', where: [{ field: 'focus', in: ['Техническая'] }], into: 'tech_programmes' },
    { method: 'share', where: [{ field: 'focus', in: ['Техническая'] }], into: 'tech_share' },
    { method: 'mean', field: 'students', into: 'mean_students' },
    { method: 'distinct_count', field: 'focus', into: 'foci' },
  ],
};

const rows = (cells: string[][], first = 1): TableRow[] => cells.map((c, i) => ({ line: first + i, cells: c }));
const HEADER = ['Программа', 'Направленность', 'Организация', 'ИНН', 'Статус', 'Обучающихся', 'Возраст с'];

describe('список записей: чтение', () => {
  it('находит заголовок под шапкой, пропускает пустые строки и итоговую строку', () => {
    const table = rows([
      ['Реестр программ', '', ''],
      ['', '', ''],
      HEADER,
      ['Робототехника', 'Техническая', 'СОШ №1', '1234567890', 'Опубликована', '12', '7'],
      ['', '', '', '', '', '', ''],
      ['Итого', '', '', '', '', '12', ''],
    ]);
    const r = locateRecordTable(ds, table);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.table.headerLine).toBe(3);
    expect(r.table.rows.map((x) => x.line)).toEqual([4]);
    expect(r.table.skipped).toEqual([{ line: 6, reason: 'итоговая строка' }]);
  });

  it('двухстрочный заголовок с объединёнными ячейками', () => {
    expect(joinHeaderRows(['ID', 'Возраст', '', 'Статус'], ['ID', 'с', 'по', ''])).toEqual(['ID', 'Возраст с', 'Возраст по', 'Статус']);
    expect(joinHeaderRows(['ID', 'Возраст', 'Возраст'], ['', 'с', 'по'])).toEqual(['ID', 'Возраст с', 'Возраст по']);
  });

  it('нет столбца — сообщение называет столбец', () => {
    const r = locateRecordTable(ds, rows([['Программа', 'Организация', 'Статус'], ['A', 'B', 'Опубликована']]));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toContain('«Направленность»');
    expect(r.error.message).toContain('«Обучающихся»');
  });

  it('значение вне списка: ошибка ячейки с допустимыми значениями; синоним принимается', () => {
    const located = locateRecordTable(ds, rows([
      HEADER,
      ['A', 'Тех.', 'СОШ №1', '', 'Опубликована', '5', ''],
      ['B', 'Техническая', 'СОШ №1', '', 'Опубликовано', '5', ''],
      ['C', 'Художественная', 'СОШ №1', '', 'Опубликована', 'пять', ''],
    ]));
    if (!located.ok) throw new Error(located.error.message);
    const r = readRecords(ds, located.table);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      { line: 3, column: 'Статус', field: 'status', value: 'Опубликовано', allowed: ['Опубликована', 'Черновик', 'Архив'], message: '«Опубликовано» — недопустимое значение (допустимо: Опубликована, Черновик, Архив)' },
      { line: 4, column: 'Обучающихся', field: 'students', value: 'пять', message: '«пять» — не число' },
    ]);
  });
});

describe('список записей: агрегаты одной организации', () => {
  // 5 rows: 3 published (Техническая 10, Техническая 4, Художественная 7), 2 drafts (Техническая 100, Художественная 50).
  const table = rows([
    HEADER,
    ['Роботы', 'Техническая', 'СОШ №1', '', 'Опубликована', '10', ''],
    ['Лего', 'Техническая', 'СОШ №1', '', 'Опубликована', '4', ''],
    ['Хор', 'Художественная', 'СОШ №1', '', 'Опубликована', '7', ''],
    ['Черновик 1', 'Техническая', 'СОШ №1', '', 'Черновик', '100', ''],
    ['Черновик 2', 'Художественная', 'СОШ №1', '', 'Черновик', '50', ''],
  ]);
  const located = locateRecordTable(ds, table);
  if (!located.ok) throw new Error(located.error.message);
  const read = readRecords(ds, located.table);
  if (!read.ok) throw new Error(read.errors[0]?.message);
  const out = aggregateRecords(ds, read.records);

  it('count, sum по группам, count_where, share, mean, distinct_count', () => {
    expect(out.programmes?.value).toBe(3);
    expect(out.programmes?.lines).toEqual([2, 3, 4]);
    expect(out.tech?.value).toBe(14); // 10 + 4, drafts left out
    expect(out.arts?.value).toBe(7);
    expect(out.tech_programmes?.value).toBe(2);
    expect(out.tech_share?.value).toBeCloseTo((2 / 3) * 100, 10);
    expect(out.mean_students?.value).toBeCloseTo(21 / 3, 10);
    expect(out.foci?.value).toBe(2);
  });

  it('пояснение говорит, что сосчитано и что не учтено', () => {
    expect(out.programmes?.explanation).toBe('3 опубликованные программы из 5 строк; 2 не учтены: «Черновик»');
    expect(out.tech?.explanation).toBe('«Направленность» = «Техническая»: сумма «Обучающихся» по 2 записям: 10 + 4 = 14 из 3 строк; 1 не учтена: «Черновик»');
  });

  it('организация без записей: 0 для count и sum, нет среднего', () => {
    const none = aggregateRecords(ds, []);
    expect(none.programmes?.value).toBe(0);
    expect(none.tech?.value).toBe(0);
    expect(none.mean_students?.value).toBeNull();
    expect(none.tech_share?.value).toBeNull();
  });
});

describe('несколько таблиц: организации + список записей', () => {
  const m: Methodology = MethodologySchema.parse({
    id: 't', version: '1', direction: 'talents', title: 'T',
    inputs: {
      students: { type: 'integer', title: 'Обучающихся' },
      programmes: { type: 'integer', title: 'Программ' },
      tech: { type: 'integer', title: 'Тех' }, arts: { type: 'integer', title: 'Худ' },
      tech_programmes: { type: 'integer', title: 'Тех. программ' }, tech_share: { type: 'number', title: 'Доля' },
      mean_students: { type: 'number', title: 'Среднее' }, foci: { type: 'integer', title: 'Направленностей' },
    },
    indicators: { index: { title: 'Индекс', formula: 'programmes / students * 100', round: 1 } },
    datasets: { orgs: { title: 'Организации', unit: 'organisation', key: 'name', columns: { students: 'students', programmes: 'programmes' }, indicators: ['index'] } },
    record_datasets: { list: ds },
  });
  const c = compileMethodology(m);
  if (!c.ok) throw new Error(JSON.stringify(c.errors));
  const list = { file: 'list.csv', header: HEADER, rows: rows([
    ['Роботы', 'Техническая', 'МБОУ СОШ №1', '', 'Опубликована', '10', ''],
    ['Лего', 'Техническая', 'СОШ № 1', '', 'Черновик', '4', ''],
    ['Хор', 'Художественная', 'СОШ №2', '', 'Опубликована', '7', ''],
    ['Танцы', 'Художественная', 'СОШ №2', '', 'Опубликована', '3', ''],
  ], 2) };

  it('без столбца programmes: подсчёт по списку, сопоставление по наименованию', () => {
    const orgs = { file: 'orgs.csv', header: ['name', 'students'], rows: rows([['СОШ №1', '200'], ['СОШ №2', '50'], ['СОШ №3', '10']], 2) };
    const r = computeTables(c.compiled, [orgs, list]);
    if (!r.ok) throw new Error(r.error.message);
    const values = r.output.results.map((x) => [x.organisation, x.value]);
    expect(values).toEqual([['СОШ №1', 0.5], ['СОШ №2', 4], ['СОШ №3', 0]]); // 1/200·100, 2/50·100, 0/10·100
    const first = r.output.results[0];
    expect(first?.details.inputs).toEqual({ programmes: 1, students: 200 });
    expect(first?.details.counted?.programmes).toEqual({
      value: 1, explanation: '1 опубликованная программа из 2 строк; 1 не учтена: «Черновик»', file: 'list.csv', records: [{ line: 2, label: 'Роботы' }],
    });
    expect(first?.explanation).toContain('0,5 — 1 опубликованная программа из 2 строк; 1 не учтена: «Черновик»');
    expect(r.output.records?.[0]).toMatchObject({ file: 'list.csv', rows: 4, counted: 3, organisations: 2, excluded: [{ value: 'Черновик', count: 1 }] });
  });

  it('организация записи не найдена: строка и столбец', () => {
    const orgs = { file: 'orgs.csv', header: ['name', 'students'], rows: rows([['СОШ №1', '200']], 2) };
    const r = computeTables(c.compiled, [orgs, list]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ file: 'list.csv', line: 4, column: 'Организация' });
    expect(r.error.message).toBe('«СОШ №2» — организация с таким наименованием не найдена в файле orgs.csv (и ещё 1 строка с ненайденными организациями)');
  });

  it('линтер проверяет списки записей', () => {
    const bad = MethodologySchema.parse({
      ...m,
      record_datasets: { list: { ...ds, filters: [{ field: 'nope', in: ['x'] }], aggregations: [{ method: 'sum', field: 'title', into: 'unknown' }] } },
    });
    const messages = lintMethodology(bad).filter((l) => l.severity === 'error').map((l) => l.message);
    expect(messages).toContain('нет поля «nope»');
    expect(messages).toContain('поле «title» не числовое — sum невозможен');
    expect(messages).toContain('нет входа «unknown»');
  });
});
