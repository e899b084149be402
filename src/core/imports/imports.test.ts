import { describe, expect, it } from 'vitest';
import type { FormField } from '../rules/check.ts';
import { OrgIndex, nameScore, normaliseInn, normaliseName, suggestSettings, type OrgRef } from './match.ts';
import { checkSettings, ImportValidator } from './validate.ts';

const orgs: OrgRef[] = [
  { id: 'a1', no: 1, inn: '0261000001', shortName: '№1', fullName: 'МБОУ СОШ №1 г. Ишимбая', locked: null },
  { id: 'a11', no: 11, inn: '0261000011', shortName: '№11', fullName: 'МБОУ СОШ №11 г. Ишимбая', locked: null },
  { id: 'k', no: 20, inn: '0261000020', shortName: 'Кинзебулатово', fullName: 'МБОУ СОШ с. Кинзебулатово', locked: null },
  { id: 'd34', no: 47, inn: '0261000047', shortName: 'ДОУ №34', fullName: 'МАДОУ детский сад №34 г. Ишимбая', locked: 'submitted' },
];
const fields: FormField[] = [
  { name: 'students', type: 'integer', title: 'Численность обучающихся', unit: 'чел.', hint: null, min: 0, max: null, required: true, values: null, evidence: null },
  { name: 'programmes', type: 'integer', title: 'Количество программ ДО', unit: 'шт.', hint: null, min: 0, max: null, required: true, values: null, evidence: null },
  { name: 'share', type: 'percent', title: 'Доля', unit: '%', hint: null, min: 0, max: 100, required: false, values: null, evidence: null },
  { name: 'site', type: 'boolean', title: 'Наличие страницы на сайте', unit: null, hint: null, min: null, max: null, required: false, values: null, evidence: 'optional' },
];
const inputs = {
  students: { type: 'integer' as const, min: 0, title: 'Численность обучающихся' },
  programmes: { type: 'integer' as const, min: 0, title: 'Количество программ ДО' },
  share: { type: 'percent' as const, title: 'Доля' },
  site: { type: 'boolean' as const, title: 'Наличие страницы на сайте', evidence: 'optional' as const },
};

describe('сопоставление организаций', () => {
  it('нормализация наименований и ИНН', () => {
    expect(normaliseName('МБОУ «СОШ № 1» г. Ишимбая')).toBe('сош №1 ишимбая');
    expect(normaliseName('Кинзебулатово')).toBe('кинзебулатово');
    expect(normaliseInn(' 0261000001 ')).toBe('0261000001');
    expect(normaliseInn('261000001')).toBe('0261000001');
    expect(normaliseInn('12345')).toBeNull();
  });
  it('по ИНН, по номеру и по точному наименованию; номер №1 не похож на №11', () => {
    const ix = new OrgIndex(orgs);
    expect(ix.match('inn', '261000011')).toMatchObject({ kind: 'ok', org: { id: 'a11' } });
    expect(ix.match('inn', '0261999999')).toEqual({ kind: 'unknown', message: 'ИНН 0261999999 не найден среди участников мониторинга' });
    expect(ix.match('inn', 'abc')).toEqual({ kind: 'invalid', message: '«abc» — ИНН должен состоять из 10 или 12 цифр' });
    expect(ix.match('code', '№ 47')).toMatchObject({ kind: 'ok', org: { id: 'd34' } });
    expect(ix.match('name', 'МБОУ СОШ № 1 г. Ишимбая')).toMatchObject({ kind: 'ok', org: { id: 'a1' } });
    expect(nameScore(normaliseName('СОШ №1'), orgs[1] as OrgRef)).toBe(0);
    const fuzzy = ix.match('name', 'Кинзебулатовская СОШ');
    expect(fuzzy.kind).toBe('fuzzy');
    expect(fuzzy.kind === 'fuzzy' && fuzzy.candidates[0]?.org.id).toBe('k');
    expect(ix.match('name', 'Гимназия имени Пушкина')).toEqual({ kind: 'unmatched', candidates: [] });
  });
  it('номер реестра, который в региональном мониторинге есть в двух муниципалитетах, не сопоставляется наугад', () => {
    const twice = new OrgIndex([...orgs, { id: 'other-1', no: 1, inn: '0262000001', shortName: 'СОШ №1 (другой МО)', fullName: 'МБОУ СОШ №1 с. Другое', locked: null }]);
    expect(twice.match('code', '1')).toEqual({ kind: 'invalid', message: 'номер 1 есть у нескольких участников мониторинга из разных муниципалитетов — сопоставьте организации по ИНН' });
    expect(twice.match('code', '11')).toMatchObject({ kind: 'ok', org: { id: 'a11' } });
    expect(twice.match('inn', '0262000001')).toMatchObject({ kind: 'ok', org: { id: 'other-1' } });
  });

  it('предлагает сопоставление столбцов по названию поля и столбец организаций', () => {
    const s = suggestSettings(['ИНН', 'Наименование ОО', 'Численность обучающихся, чел.', 'programmes', 'Прочее'], fields);
    expect(s.columns).toEqual({ 'Численность обучающихся, чел.': 'students', programmes: 'programmes' });
    expect(s.match).toEqual({ mode: 'inn', column: 'ИНН' });
    expect(suggestSettings(['Наименование', 'Доля'], fields).match).toEqual({ mode: 'name', column: 'Наименование' });
  });
});

describe('проверка строк импорта', () => {
  const header = ['ИНН', 'Обучающихся', 'Программ', 'Сайт', 'Ссылка'];
  const settings = { columns: { Обучающихся: 'students', Программ: 'programmes', Сайт: 'site', Ссылка: 'site#evidence' }, match: { mode: 'inn' as const, column: 'ИНН' } };
  it('ошибки называют строку и столбец; хорошие строки подготовлены', () => {
    const v = new ImportValidator(settings, header, fields, inputs, orgs);
    v.row({ line: 2, cells: ['0261000001', '708', '16', 'да', 'https://school1.example/do'] });
    v.row({ line: 3, cells: ['0261000011', 'семьсот', '-1', 'может быть', 'ftp://x'] });
    v.row({ line: 4, cells: ['', '', '', '', ''] });
    v.row({ line: 5, cells: ['0261000001', '1', '1', '', ''] });
    v.row({ line: 6, cells: ['0261000047', '1', '', '', ''] });
    const r = v.result();
    expect(r.rows).toEqual([
      { line: 2, organisationId: 'a1', values: [{ input: 'students', value: 708, evidenceUrl: null }, { input: 'programmes', value: 16, evidenceUrl: null }, { input: 'site', value: true, evidenceUrl: 'https://school1.example/do' }] },
    ]);
    expect(r.blank).toBe(1);
    expect(r.errors.map((e) => e.text)).toEqual([
      'Строка 3, столбец «Обучающихся»: «семьсот» — не число',
      'Строка 3, столбец «Программ»: «-1» меньше допустимого минимума 0',
      'Строка 3, столбец «Сайт»: «может быть» — ожидалось «да» или «нет»',
      'Строка 3, столбец «Ссылка»: «ftp://x» — укажите адрес страницы, начинающийся с http:// или https://',
      'Строка 5, столбец «ИНН»: организация «№1» уже указана в строке 2',
      'Строка 6, столбец «ИНН»: «ДОУ №34»: форма отправлена на проверку — импорт в неё невозможен, пока её не вернут на доработку',
    ]);
    expect(r.errorCount).toBe(6);
  });
  it('неточные наименования: вопрос аналитику, после подтверждения — строка принята, «пропустить» — пропущена', () => {
    const s = { columns: { Обучающихся: 'students' }, match: { mode: 'name' as const, column: 'ОО' } };
    const h = ['ОО', 'Обучающихся'];
    const v = new ImportValidator(s, h, fields, inputs, orgs);
    v.row({ line: 2, cells: ['Кинзебулатовская СОШ', '120'] });
    v.row({ line: 3, cells: ['Гимназия имени Пушкина', '5'] });
    const r = v.result();
    expect(r.rows).toEqual([]);
    expect(r.issues.map((i) => [i.name, i.kind, i.candidates[0]?.id ?? null, i.lines])).toEqual([
      ['Кинзебулатовская СОШ', 'fuzzy', 'k', [2]],
      ['Гимназия имени Пушкина', 'unmatched', null, [3]],
    ]);
    const v2 = new ImportValidator({ ...s, confirmations: { 'Кинзебулатовская СОШ': 'k', 'Гимназия имени Пушкина': null } }, h, fields, inputs, orgs);
    v2.row({ line: 2, cells: ['Кинзебулатовская СОШ', '120'] });
    v2.row({ line: 3, cells: ['Гимназия имени Пушкина', '5'] });
    expect(v2.result()).toMatchObject({ rows: [{ line: 2, organisationId: 'k', values: [{ input: 'students', value: 120 }] }], skipped: [3], errorCount: 0 });
  });
  it('настройки проверяются по заголовку и форме', () => {
    expect(checkSettings({ columns: { Нет: 'students', Программ: 'students', ИНН: 'nope' }, match: { mode: 'inn', column: 'ИНН' } }, header, fields)).toEqual([
      { path: 'columns.Нет', message: 'В файле нет столбца «Нет»' },
      { path: 'columns.Программ', message: 'Поле «Численность обучающихся» уже сопоставлено со столбцом «Нет»' },
      { path: 'columns.ИНН', message: 'Столбец «ИНН» уже используется для сопоставления организаций' },
      { path: 'columns.ИНН', message: 'В форме нет поля «nope»' },
    ]);
  });
});
