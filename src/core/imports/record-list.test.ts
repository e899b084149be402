import { describe, expect, it } from 'vitest';
import { fieldsUsed } from '../methodology/record-dataset.ts';
import type { TableRow } from '../methodology/records.ts';
import type { RecordDatasetDef } from '../methodology/schema.ts';
import type { OrgRef } from './match.ts';
import { aliasProblems, validateRecordList, withAliases } from './record-list.ts';

const ds: RecordDatasetDef = {
  title: 'Программы',
  unit: 'record',
  organisation: { inn: 'ИНН', name: 'Организация' },
  fields: {
    title: { column: 'Программа', type: 'text' },
    status: { column: 'Статус', type: 'enum', values: ['Опубликована', 'Черновик'] },
    students: { column: 'Обучающихся', type: 'integer', min: 0 },
    age: { column: 'Возраст', type: 'integer', required: false },
  },
  record_label: 'title',
  filters: [{ field: 'status', in: ['Опубликована'] }],
  aggregations: [{ method: 'count', into: 'programmes' }],
};

const org = (id: string, no: number, inn: string | null, shortName: string): OrgRef => ({ id, no, inn, shortName, fullName: `МБОУ ${shortName}`, locked: null });
const participants = [org('a', 1, '7700000011', 'СОШ №1'), org('b', 2, '7700000022', 'СОШ №2'), org('c', 3, null, 'Гимназия')];
const table = (...data: string[][]): TableRow[] => [
  { line: 1, cells: ['Реестр'] },
  { line: 2, cells: ['Программа', 'Организация', 'ИНН', 'Статус', 'Обучающихся'] },
  ...data.map((cells, i) => ({ line: i + 3, cells })),
];

describe('список записей в мониторинге: проверка', () => {
  it('сопоставляет по ИНН, по точному наименованию без ИНН; остальное — к подтверждению, по строкам', () => {
    const v = validateRecordList(ds, table(
      ['Робототехника', 'СОШ №1', '7700000011', 'Опубликована', '10'],
      ['Хор', 'Гимназия', '', 'Черновик', '5'],
      ['Театр', 'Школа номер два', '7700000099', 'Опубликована', '7'],
      ['Шахматы', 'Школа номер два', '7700000099', 'Опубликована', '3'],
    ), participants, {});
    expect(v.ok).toBe(false);
    expect(v.records.map((r) => [r.line, r.organisationId, r.label, r.counted])).toEqual([[3, 'a', 'Робототехника', true], [4, 'c', 'Хор', false]]);
    expect(v.issues.map((i) => [i.name, i.lines])).toEqual([['Школа номер два', [5, 6]]]);
    expect(v.errorCount).toBe(2);
    expect(v.errors[0]?.text).toMatch(/^Строка 5, столбец «Организация»: «Школа номер два» — ИНН 7700000099 не найден среди участников мониторинга: /);
  });

  it('выбор организации и пропуск решают строки; пропущенные перечислены', () => {
    const rows = table(['Театр', 'Школа номер два', '7700000099', 'Опубликована', '7'], ['Шахматы', 'Лицей', '7700000098', 'Опубликована', '3']);
    const v = validateRecordList(ds, rows, participants, { confirmations: { 'Школа номер два': 'b', Лицей: null } });
    expect(v.ok).toBe(true);
    expect(v.records.map((r) => [r.line, r.organisationId])).toEqual([[3, 'b']]);
    expect(v.skipped).toEqual([{ line: 4, reason: 'организация «Лицей» пропущена' }]);
    expect(validateRecordList(ds, rows, participants, { confirmations: { 'Школа номер два': 'zzz', Лицей: null } }).errors[0]?.message).toBe('«Школа номер два» — выбранная организация не участвует в мониторинге');
  });

  it('значение вне списка: ошибка ячейки с допустимыми значениями и предложением синонима; синоним его принимает', () => {
    const rows = table(['Театр', 'СОШ №1', '7700000011', 'Опубл.', '7'], ['Хор', 'СОШ №2', '7700000022', 'опубл.', '2'], ['Лего', 'СОШ №2', '7700000022', 'Опубликована', 'x']);
    const v = validateRecordList(ds, rows, participants, {});
    expect(v.errors.map((e) => [e.line, e.column, e.alias?.value ?? null])).toEqual([[3, 'Статус', 'Опубл.'], [4, 'Статус', 'опубл.'], [5, 'Обучающихся', null]]);
    expect(v.errors[0]?.message).toBe('«Опубл.» — недопустимое значение (допустимо: Опубликована, Черновик)');
    expect(v.aliasOffers).toEqual([
      { field: 'status', column: 'Статус', value: 'Опубл.', allowed: ['Опубликована', 'Черновик'], rows: 1 },
      { field: 'status', column: 'Статус', value: 'опубл.', allowed: ['Опубликована', 'Черновик'], rows: 1 },
    ]);
    const aliased = validateRecordList(withAliases(ds, { status: { 'Опубл.': 'Опубликована' } }), rows, participants, {});
    // Aliases compare without case (as declared values do): both spellings pass, only the number is left.
    expect(aliased.errors.map((e) => e.line)).toEqual([5]);
    expect(aliased.records.filter((r) => r.line < 5).map((r) => r.fields.status)).toEqual(['Опубликована', 'Опубликована']);
    expect(aliasProblems(ds, { status: { x: 'Опубликовано' }, students: { y: 'z' } }).map((p) => p.path)).toEqual(['aliases.status.x', 'aliases.students']);
  });

  it('чтение сохранённого списка: только поля, на которые смотрит подсчёт', () => {
    expect(fieldsUsed(ds)).toEqual(['status', 'title']);
    expect(fieldsUsed({ ...ds, aggregations: [{ method: 'sum', field: 'students', group_by: 'status', into: { Опубликована: 'p' } }, { method: 'count_where', where: [{ field: 'age', in: ['7'] }], into: 'q' }] })).toEqual(['status', 'students', 'age', 'title']);
  });
});
