import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MethodologySchema } from '../methodology/schema.ts';
import { dimensionAliasProblems, prepareFisOkoImport, suggestDimensionValue } from './fisoko-campaign.ts';
import { readFisOko } from './fisoko.ts';
import type { FisOkoReport } from './fisoko-types.ts';
import type { OrgRef } from './match.ts';

const m = MethodologySchema.parse(parse(readFileSync(new URL('../../../library/directions/preparation-2021.2.yaml', import.meta.url), 'utf8')));
const org = (id: string, no: number, shortName: string, fullName: string, fisokoLogin: string | null = null, locked: OrgRef['locked'] = null): OrgRef => ({ id, no, inn: null, shortName, fullName, fisokoLogin, locked });
const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';
const orgs = [org(A, 1, '№1', 'МБОУ СОШ №1 г. Ишимбая', 'sch021201'), org(B, 2, '№2', 'МБОУ СОШ №2 г. Ишимбая'), org(C, 21, 'Кулгунино', 'МБОУ СОШ с. Кулгунино', 'sch021221')];

function report(subject: string, schools: string[][], file = 'статистика.xlsx'): FisOkoReport {
  const rows = [
    ['Всероссийские проверочные работы 2025 (5 класс)'], ['Дата: 17.04.2025'], [`Предмет: ${subject}`], ['Статистика по отметкам'], [],
    ['Группы участников', 'Кол-во ОО', 'Кол-во участников', 'Распределение групп баллов в %', '', '', ''],
    ['', '', '', '2', '3', '4', '5'],
    ['Вся выборка', '35000', '1200000', '10,50', '35,20', '38,10', '16,20'],
    ['Республика Башкортостан', '800', '45000', '9,80', '33,20', '40,00', '17,00'],
    ['Ишимбайский муниципальный район', '20', '900', '8,00', '30,00', '42,00', '20,00'],
    ...schools,
  ];
  const r = readFisOko(rows.map((cells, i) => ({ line: i + 1, cells })), { file });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}
const SCHOOLS = [
  ['(sch021201) МБОУ СОШ №1 г. Ишимбая', '', '50', '4,00', '30,00', '46,00', '20,00'],
  ['(sch099902) МБОУ СОШ №2 г. Ишимбая', '', '40', '5,00', '35,00', '40,00', '20,00'],
  ['(sch021221) МБОУ «СОШ с. Кулгунино»', '', '20', '0,00', '10,00', '30,00', '60,00'],
];

describe('ФИС ОКО reports into a campaign (prepareFisOkoImport)', () => {
  it('matches schools by login first, then by name, and gives values per organisation × subject × grade with the comparison rows', () => {
    const r = prepareFisOkoImport(m, [report('Математика', SCHOOLS)], [], orgs, {});
    expect(r.ok).toBe(true);
    expect(r.schools.map((s) => [s.login, s.how, s.organisation?.shortName])).toEqual([['sch021201', 'login', '№1'], ['sch099902', 'name', '№2'], ['sch021221', 'login', 'Кулгунино']]);
    expect(r.rows).toHaveLength(3);
    const first = r.rows[0]!;
    expect(first).toMatchObject({ organisationId: A, dimensions: { subject: 'Математика', grade: '5' }, ref: 'статистика.xlsx, строка 11' });
    expect(Object.fromEntries(first.values.map((v) => [v.input, v.value]))).toEqual({
      vpr_participants: 50, vpr_share_2: 4, vpr_share_3: 30, vpr_share_4: 46, vpr_share_5: 20,
      region_vpr_share_2: 9.8, region_vpr_share_3: 33.2, region_vpr_share_4: 40, region_vpr_share_5: 17,
      municipality_vpr_share_2: 8, municipality_vpr_share_3: 30, municipality_vpr_share_4: 42, municipality_vpr_share_5: 20,
    });
    expect(r.values).toBe(39);
    expect(r.organisations).toBe(3);
  });

  it('offers an unknown subject as an alias with a suggestion instead of an error; the alias resolves it', () => {
    const r = prepareFisOkoImport(m, [report('Матем.', SCHOOLS)], [], orgs, {});
    expect(r.ok).toBe(false);
    expect(r.errorCount).toBe(0);
    expect(r.aliasOffers).toEqual([{ field: 'subject', column: 'Предмет', value: 'Матем.', allowed: m.dimensions!.subject!.values, rows: 3, suggestion: 'Математика' }]);
    expect(r.rows).toEqual([]);
    const fixed = prepareFisOkoImport(m, [report('Матем.', SCHOOLS)], [], orgs, { aliases: { subject: { 'Матем.': 'Математика' } } });
    expect(fixed.ok).toBe(true);
    expect(fixed.rows.map((x) => x.dimensions.subject)).toEqual(['Математика', 'Математика', 'Математика']);
    expect(dimensionAliasProblems(m, { subject: { 'Матем.': 'Матан' }, colour: { a: 'b' } }).map((p) => p.message)).toEqual([
      '«Матан» — нет такого значения измерения «Предмет» (допустимо: ' + m.dimensions!.subject!.values.join(', ') + ')',
      'В методике нет измерения «colour»',
    ]);
  });

  it('asks to confirm a school it cannot place; a confirmation or a skip resolves it', () => {
    const unknown = [['(sch055555) МБОУ СОШ №2 г. Ишимбай', '', '10', '10,00', '40,00', '40,00', '10,00'], ['(sch066666) МБОУ Лицей №9', '', '10', '10,00', '40,00', '40,00', '10,00']];
    const r = prepareFisOkoImport(m, [report('Математика', unknown)], [], orgs, {});
    expect(r.issues.map((i) => [i.name, i.kind, i.candidates[0]?.shortName ?? null, i.lines])).toEqual([
      ['(sch055555) МБОУ СОШ №2 г. Ишимбай', 'fuzzy', '№2', [11]],
      ['(sch066666) МБОУ Лицей №9', 'unmatched', null, [12]],
    ]);
    const done = prepareFisOkoImport(m, [report('Математика', unknown)], [], orgs, { confirmations: { '(sch055555) МБОУ СОШ №2 г. Ишимбай': B, '(sch066666) МБОУ Лицей №9': null } });
    expect(done.ok).toBe(true);
    expect(done.schools.map((s) => s.how)).toEqual(['confirmed', 'skipped']);
    expect(done.rows.map((x) => x.organisationId)).toEqual([B]);
  });

  it('names errors by file, row and column: a school twice, a form already sent, the reader errors passed in', () => {
    const twice = prepareFisOkoImport(m, [report('Математика', [SCHOOLS[0]!, SCHOOLS[0]!])], [{ file: 'журнал.xlsx', sheet: 'Лист1', line: 14, column: '%', message: 'у группы «X» понизили + подтвердили + повысили = 99,5 %, а должно быть 100 % (±0,1)' }], orgs, {});
    expect(twice.ok).toBe(false);
    expect(twice.errors.map((e) => e.text)).toEqual([
      'Файл «журнал.xlsx», лист «Лист1», строка 14, столбец «%»: у группы «X» понизили + подтвердили + повысили = 99,5 %, а должно быть 100 % (±0,1)',
      'Файл «статистика.xlsx», строка 12, столбец «Организация»: «№1» уже есть в этой таблице (статистика.xlsx, строка 11) с теми же значениями измерений',
    ]);
    const locked = prepareFisOkoImport(m, [report('Математика', [SCHOOLS[0]!])], [], [org(A, 1, '№1', 'МБОУ СОШ №1 г. Ишимбая', 'sch021201', 'submitted')], {});
    expect(locked.errors.map((e) => e.text)).toEqual(['Файл «статистика.xlsx», строка 11, столбец «Организация»: «№1»: форма организации отправлена на проверку — импорт её не изменит; верните форму на доработку']);
  });

  it('suggests the declared value an abbreviation means', () => {
    const subject = m.dimensions!.subject!;
    expect(suggestDimensionValue(subject, 'Матем.')).toBe('Математика');
    expect(suggestDimensionValue(subject, 'Рус. язык')).toBe('Русский язык');
    expect(suggestDimensionValue(subject, 'Окр. мир')).toBe('Окружающий мир');
    expect(suggestDimensionValue(subject, 'Астрономия')).toBeNull();
  });
});
