import { describe, expect, it } from 'vitest';
import { computeTables } from './combine.ts';
import type { NamedTable } from './named-table.ts';
import { compileMethodology } from './evaluate.ts';
import { readDimensionValue } from './dimensions.ts';
import { lintMethodology } from './lint.ts';
import type { DimensionDef, Methodology } from './schema.ts';
import { MethodologySchema } from './schema.ts';

const subject: DimensionDef = { title: 'Предмет', values: ['Математика', 'Русский язык'], aliases: { 'Матем.': 'Математика' } };
const grade: DimensionDef = { title: 'Класс', type: 'integer', values: ['5', '7'], labels: { '5': '5 класс', '7': '7 класс' } };

const m: Methodology = MethodologySchema.parse({
  id: 'dims',
  version: '1',
  direction: 'preparation',
  title: 'Измерения',
  dimensions: { subject, grade },
  inputs: {
    n: { type: 'integer', min: 0, title: 'Участников' },
    s5: { type: 'percent', title: 'Доля «5»' },
    s45: { type: 'percent', title: 'Доля «4» и «5»' },
    r5: { type: 'percent', title: 'Регион: доля «5»' },
    raised: { type: 'percent', title: 'Повысили' },
  },
  indicators: {
    quality: { title: 'Качество', formula: 's45', round: 1, scale: 'none' },
    five_gap: { title: 'Доля «5» выше региона', formula: 's5 - r5', round: 1, scale: 'none' },
    passed: { title: 'Число с «4» и «5»', formula: 'n * s45 / 100', round: 0, scale: 'none' },
    sign: { title: 'Признак необъективности', formula: 'if(s5 - r5 >= 15 and raised >= 15, 1, 0)', scale: 'none' },
  },
  aggregates: {
    quality_by_subject: { title: 'Качество по предмету', method: 'ratio_of_sums', numerator: 'passed', denominator: 'n', multiplier: 100, group_by: 'subject', round: 1 },
  },
  datasets: {
    marks: {
      title: 'Отметки', unit: 'organisation', key: 'Организация', dimensions: { subject: 'Предмет', grade: 'Класс' },
      columns: { n: 'Участников', s5: '«5», %', s45: '«4» и «5», %', r5: 'Регион: «5», %' },
      indicators: ['quality', 'five_gap', 'passed', 'sign'],
    },
    journal: {
      title: 'Журнал', unit: 'organisation', key: 'Организация', dimensions: { subject: 'Предмет', grade: 'Класс' },
      columns: { raised: 'Повысили, %' },
      indicators: ['sign'],
    },
  },
});

const table = (file: string, header: string[], cells: string[][]): NamedTable => ({ file, header, rows: cells.map((c, i) => ({ line: i + 2, cells: c })) });
const MARKS = ['Организация', 'Предмет', 'Класс', 'Участников', '«5», %', '«4» и «5», %', 'Регион: «5», %'];
const JOURNAL = ['Организация', 'Предмет', 'Класс', 'Повысили, %'];

function compiled() {
  const c = compileMethodology(m);
  if (!c.ok) throw new Error(JSON.stringify(c.errors));
  return c.compiled;
}

describe('измерения: значение ячейки', () => {
  it('принимает значение, синоним без учёта регистра и «5 класс» для целого измерения', () => {
    expect(readDimensionValue(subject, ' математика ')).toEqual({ ok: true, value: 'Математика' });
    expect(readDimensionValue(subject, 'МАТЕМ.')).toEqual({ ok: true, value: 'Математика' });
    expect(readDimensionValue(grade, '5 класс')).toEqual({ ok: true, value: '5' });
    expect(readDimensionValue(grade, '(7 кл.)')).toEqual({ ok: true, value: '7' });
    expect(readDimensionValue(grade, '07')).toEqual({ ok: true, value: '7' });
  });
  it('неизвестное значение — сообщение с допустимыми значениями и подсказкой про синоним', () => {
    const r = readDimensionValue(subject, 'Матем');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toBe('«Матем» — нет такого значения измерения «Предмет» (допустимо: Математика, Русский язык); если это другое написание, добавьте синоним в методику (dimensions → aliases)');
    expect(readDimensionValue(grade, '6').ok).toBe(false);
  });
});

describe('измерения: расчёт по ОО × предмету × классу', () => {
  const marks = table('отметки.csv', MARKS, [
    ['Школа № 1', 'Математика', '5', '40', '50', '80', '20'],
    ['Школа № 1', 'Русский язык', '5', '38', '10', '45,5', '18'],
    ['Школа № 2', 'Матем.', '5 класс', '60', '25', '60', '20'],
  ]);
  const journal = table('журнал.csv', JOURNAL, [
    ['Школа № 1', 'Математика', '5', '30'],
    ['Школа № 2', 'Математика', '5', '40'],
  ]);

  it('одна строка результата на организацию × значения измерений, с dimensions и названием ОО', () => {
    const r = computeTables(compiled(), [marks]);
    if (!r.ok) throw new Error(r.error.message);
    const quality = r.output.results.filter((x) => x.indicator === 'quality');
    expect(quality.map((x) => [x.organisation, x.dimensions, x.value])).toEqual([
      ['Школа № 1', { subject: 'Математика', grade: 5 }, 80],
      ['Школа № 1', { subject: 'Русский язык', grade: 5 }, 45.5],
      ['Школа № 2', { subject: 'Математика', grade: 5 }, 60],
    ]);
    // Without the journal file the sign (which needs «Повысили») is not computed at all, not «нет данных».
    expect(r.output.results.some((x) => x.indicator === 'sign')).toBe(false);
  });

  it('таблицы разных наборов соединяются по ОО × измерениям; ОО без предмета не получает результата', () => {
    const r = computeTables(compiled(), [marks, journal]);
    if (!r.ok) throw new Error(r.error.message);
    const sign = r.output.results.filter((x) => x.indicator === 'sign');
    // Школа № 1, математика: 50 − 20 = 30 ≥ 15 и 30 ≥ 15 → да; Школа № 2: 25 − 20 = 5 < 15 → нет;
    // Школа № 1, русский: в журнале нет строки — признака там нет вовсе (его входы дают не все таблицы этой строки).
    expect(sign.map((x) => [x.organisation, x.dimensions?.subject, x.value])).toEqual([
      ['Школа № 1', 'Математика', 1],
      ['Школа № 2', 'Математика', 0],
    ]);
    expect(r.output.results.filter((x) => x.organisation === 'Школа № 2' && x.dimensions?.subject === 'Русский язык')).toEqual([]);
  });

  it('сводный показатель группируется по измерению', () => {
    const r = computeTables(compiled(), [marks, journal]);
    if (!r.ok) throw new Error(r.error.message);
    const agg = r.output.aggregates.filter((a) => a.aggregate === 'quality_by_subject');
    // Математика: (32 + 36) / (40 + 60) × 100 = 68; Русский язык: round(38 × 45,5 / 100) = 17, 17 / 38 × 100 = 44,7.
    expect(agg.map((a) => [a.group, a.value])).toEqual([['Математика', 68], ['Русский язык', 44.7]]);
  });

  it('две таблицы одного набора — одна таблица; повтор ОО × измерений назван с файлом и строкой', () => {
    const more = table('отметки-7.csv', MARKS, [['Школа № 1', 'Математика', '7', '20', '5', '50', '10']]);
    const ok = computeTables(compiled(), [marks, more]);
    if (!ok.ok) throw new Error(ok.error.message);
    expect(ok.output.results.filter((x) => x.indicator === 'quality').length).toBe(4);
    const dup = table('повтор.csv', MARKS, [['Школа № 2', 'Математика', '5', '1', '1', '1', '1']]);
    const r = computeTables(compiled(), [marks, dup]);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatchObject({ file: 'повтор.csv', line: 2, column: 'Организация', message: '«Школа № 2 · Математика · 5» уже есть в файле отметки.csv, строка 4' });
  });

  it('значение вне списка — ошибка ячейки с файлом, строкой и столбцом', () => {
    const bad = table('плохо.csv', MARKS, [['Школа № 3', 'Физика', '5', '10', '1', '1', '1']]);
    const r = computeTables(compiled(), [bad]);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatchObject({ file: 'плохо.csv', line: 2, column: 'Предмет' });
    expect(!r.ok && r.error.message).toContain('допустимо: Математика, Русский язык');
  });

  it('линтер: показатель, входы которого дают таблицы тех же измерений, не ошибка; синоним к неизвестному значению — ошибка', () => {
    expect(lintMethodology(m).filter((x) => x.severity === 'error')).toEqual([]);
    const bad = MethodologySchema.parse({ ...m, dimensions: { subject: { ...subject, aliases: { Физ: 'Физика' } }, grade } });
    expect(lintMethodology(bad).filter((x) => x.severity === 'error').map((x) => x.message)).toEqual(['синоним «Физ» ведёт к «Физика», которого нет в values']);
  });
});
