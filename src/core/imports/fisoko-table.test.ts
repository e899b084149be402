import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { computeTables } from '../methodology/combine.ts';
import { compileMethodology } from '../methodology/evaluate.ts';
import type { NamedTable } from '../methodology/named-table.ts';
import { MethodologySchema } from '../methodology/schema.ts';
import { fisOkoErrorText, readFisOko } from './fisoko.ts';
import { fisOkoTable } from './fisoko-table.ts';

const preparation = MethodologySchema.parse(parse(readFileSync(new URL('../../../library/directions/preparation-2021.2.yaml', import.meta.url), 'utf8')));
const compiled = (() => {
  const c = compileMethodology(preparation);
  if (!c.ok) throw new Error(JSON.stringify(c.errors));
  return c.compiled;
})();

const grid = (rows: string[][]) => rows.map((cells, i) => ({ line: i + 1, cells }));
function table(rows: string[][], file: string): NamedTable {
  const r = readFisOko(grid(rows), { file });
  if (!r.ok) throw new Error(r.errors.map(fisOkoErrorText).join('\n'));
  const t = fisOkoTable(r.value);
  if (!t.ok) throw new Error(t.error.message);
  return t.table;
}

const block = (subject: string, what: string) => [['Всероссийские проверочные работы 2025 (5 класс)'], ['Дата: 17.04.2025'], [`Предмет: ${subject}`], [what], ['Максимальный первичный балл: 20'], []];
const marks = (subject: string, schools: string[][]) => [
  ...block(subject, 'Статистика по отметкам'),
  ['Группы участников', 'Кол-во ОО', 'Кол-во участников', 'Распределение групп баллов в %', '', '', ''],
  ['', '', '', '2', '3', '4', '5'],
  ['Вся выборка', '35000', '1200000', '10,50', '35,20', '38,10', '16,20'],
  ['Республика Башкортостан', '800', '45000', '9,80', '33,20', '40,00', '17,00'],
  ['Ишимбайский муниципальный район', '20', '900', '8,00', '30,00', '42,00', '20,00'],
  ...schools,
];
const journal = (subject: string, groups: [string, string, string, string, string][]) => [
  ...block(subject, 'Сравнение отметок с отметками по журналу'),
  ['Группы участников', 'Кол-во участников', '%'],
  ...groups.flatMap(([name, n, low, same, high]) => [
    [name, '', ''],
    ['Понизили (Отм. < Отм. по журналу) %', String(Math.round((Number(n) * Number(low)) / 100)), low],
    ['Подтвердили (Отм. = Отм. по журналу) %', String(Math.round((Number(n) * Number(same)) / 100)), same],
    ['Повысили (Отм. > Отм. по журналу) %', String(Math.round((Number(n) * Number(high)) / 100)), high],
    ['Всего', n, '100'],
  ]),
];

describe('ФИС ОКО → паспорт подготовки обучающихся (direction-preparation)', () => {
  const math = table(marks('Математика', [
    ['(sch021201) МБОУ «Средняя школа № 4»', '', '60', '5,00', '25,00', '45,00', '25,00'],
    ['(sch021202) МБОУ СОШ с. Ахмерово', '', '12', '0,00', '8,33', '8,33', '83,34'],
  ]), 'статистика-математика-5.xlsx');
  const mathJournal = table(journal('Математика', [
    ['Вся выборка', '1200000', '20', '70', '10'],
    ['Республика Башкортостан', '45000', '18', '72', '10'],
    ['Ишимбайский муниципальный район', '900', '15', '75', '10'],
    ['(sch021201) МБОУ «Средняя школа № 4»', '60', '20', '75', '5'],
    ['(sch021202) МБОУ СОШ с. Ахмерово', '12', '0', '50', '50'],
  ]), 'журнал-математика-5.xlsx');
  const russian = table(marks('Русский язык', [['(sch021201) МБОУ «Средняя школа № 4»', '', '58', '10,00', '40,00', '35,00', '15,00']]), 'статистика-русский-5.xlsx');

  const r = computeTables(compiled, [math, mathJournal, russian]);
  if (!r.ok) throw new Error(r.error.message);
  const value = (org: string, subject: string, indicator: string) =>
    r.output.results.find((x) => x.organisation === org && x.dimensions?.subject === subject && x.indicator === indicator)?.value;

  it('строки — школы × предмет × класс с названием школы; строки сравнения — не организации', () => {
    expect(r.output.dimensions?.map((d) => [d.id, d.title, d.labels?.['5'] ?? null])).toEqual([['subject', 'Предмет', null], ['grade', 'Класс', '5 класс']]);
    const rows = new Set(r.output.results.map((x) => `${x.organisation} | ${x.dimensions?.subject} | ${x.dimensions?.grade}`));
    expect([...rows]).toEqual([
      'МБОУ «Средняя школа № 4» | Математика | 5',
      'МБОУ СОШ с. Ахмерово | Математика | 5',
      'МБОУ «Средняя школа № 4» | Русский язык | 5',
    ]);
  });

  it('доли успешности и качества, разность с регионом и муниципалитетом', () => {
    // Школа № 4, математика: 25 + 45 + 25 = 95; качество 45 + 25 = 70; регион 33,2 + 40 + 17 = 90,2 → +4,8;
    // муниципалитет 30 + 42 + 20 = 92 → +3; качество региона 57 → +13.
    expect(value('МБОУ «Средняя школа № 4»', 'Математика', 'vpr_success_share')).toBe(95);
    expect(value('МБОУ «Средняя школа № 4»', 'Математика', 'vpr_quality_share')).toBe(70);
    expect(value('МБОУ «Средняя школа № 4»', 'Математика', 'vpr_success_vs_region')).toBe(4.8);
    expect(value('МБОУ «Средняя школа № 4»', 'Математика', 'vpr_success_vs_municipality')).toBe(3);
    expect(value('МБОУ «Средняя школа № 4»', 'Математика', 'vpr_quality_vs_region')).toBe(13);
    // Ахмерово: «5» 83,34 − 17 = 66,3 п. п.
    expect(value('МБОУ СОШ с. Ахмерово', 'Математика', 'vpr_share5_vs_region')).toBe(66.3);
    expect(value('МБОУ «Средняя школа № 4»', 'Русский язык', 'vpr_success_share')).toBe(90);
  });

  it('сравнение с журналом: подтвердили, повысили, разность с регионом', () => {
    expect(value('МБОУ «Средняя школа № 4»', 'Математика', 'journal_confirmed_share')).toBe(75);
    expect(value('МБОУ «Средняя школа № 4»', 'Математика', 'journal_confirmed_vs_region')).toBe(3);
    expect(value('МБОУ СОШ с. Ахмерово', 'Математика', 'journal_raised_share')).toBe(50);
    // No journal file for Russian: no journal results there at all (not «нет данных»), and no sign of non-objectivity.
    expect(value('МБОУ «Средняя школа № 4»', 'Русский язык', 'journal_confirmed_share')).toBeUndefined();
    expect(value('МБОУ «Средняя школа № 4»', 'Русский язык', 'vpr_objectivity_sign')).toBeUndefined();
    expect(r.output.results.filter((x) => x.dimensions?.subject === 'Русский язык').length).toBe(7);
  });

  it('сводный показатель по предмету — по числу участников', () => {
    const agg = r.output.aggregates.filter((a) => a.aggregate === 'vpr_success_by_subject').map((a) => [a.group, a.value]);
    // Математика: round(60 × 0,95) = 57, Ахмерово 8,33 + 8,33 + 83,34 = 100 → 12 → 69 / 72 × 100 = 95,8; русский: round(58 × 0,9) = 52 → 52 / 58 × 100 = 89,7.
    expect(agg).toEqual([['Математика', 95.8], ['Русский язык', 89.7]]);
  });
});
