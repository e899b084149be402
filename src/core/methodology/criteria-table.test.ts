import { describe, expect, it } from 'vitest';
import { readCriteriaTable } from './criteria-table.ts';
import type { GridRow } from './criteria-table.ts';
import { draftFromTable } from './criteria-table-draft.ts';
import { lintMethodology } from './lint.ts';
import type { Methodology } from './schema.ts';

const S1 = 'Выявление потребности в области дополнительного образования детей (max 3 балла):';
const T11 = '1.1. Доля обучающихся, принявших участие в анкетировании для выявления потребностей в дополнительном образовании';
const T21 = '2.1. Индекс многообразия программ дополнительного образования детей (в расчете на 100 человек)';

/** Seed 004's Table № 1 (sections 1 and 2) as a Word table reads: a merged cell is its value, then empty cells. */
function wordRows(): GridRow[] {
  const rows: string[][] = [
    ['№ п/п', 'Критерии и показатели', 'Целевой показатель', 'Индикаторы', 'Баллы'],
    ['1.', S1, '', '', ''],
    ['', T11, '-', 'более 25%', '3'],
    ['', '', '', 'от 20% до 25%', '2'],
    ['', '', '', 'от 10% до 19%', '1'],
    ['', '', '', 'от 0% до 9%', '0'],
    ['2.', 'Охват обучающихся дополнительным образованием (max 6 баллов):', '', '', ''],
    ['', T21, '-', 'высокий (от 7,6 до 10)', '3'],
    ['', '', '', 'выше среднего (от 5,1 до 7,5)', '2'],
    ['', '', '', 'средний (от 2,6 до 5,0)', '1'],
    ['', '', '', 'ниже среднего (от 1,6 до 2,5)', '0,5'],
    ['', '', '', 'низкий (от 0 до 1,5)', '0'],
    ['', '2.2. Доля обучающихся, охваченных программами дополнительного образования', '75%', 'от 88,0% до 100%', '3'],
    ['', '', '', 'от 76,0% до 87,9%', '2'],
    ['', '', '', 'от 75,0% до 75,9%', '1'],
    ['', '', '', 'от 0% до 74,9%', '0'],
    ['Максимальное количество баллов:', '', '', '', '9'],
  ];
  return rows.map((cells, i) => ({ line: i + 1, cells }));
}

/** The same table as Excel reads merged cells: the value repeated in every cell of the merge. */
function excelRows(): GridRow[] {
  const rows = wordRows().map((r) => ({ ...r, cells: [...r.cells] }));
  let num = '';
  let crit = '';
  let target = '';
  for (const r of rows.slice(1)) {
    const c = r.cells;
    if (c[0] && c[1] && !c[3]) c[2] = c[3] = c[4] = c[1] as string; // section row merged across B:E
    else if (c[0]?.startsWith('Максимальное')) c[1] = c[2] = c[3] = c[0];
    else {
      if (c[1]) [num, crit, target] = [c[0] as string, c[1], c[2] as string];
      else [c[0], c[1], c[2]] = [num, crit, target];
    }
  }
  return rows;
}

const expectedBands = {
  s1_1: [
    { from: 25, from_exclusive: true, points: 3, label: 'более 25%' },
    { from: 20, to: 25, points: 2, label: 'от 20% до 25%' },
    { from: 10, to: 19, points: 1, label: 'от 10% до 19%' },
    { from: 0, to: 9, points: 0, label: 'от 0% до 9%' },
  ],
  s2_1: [
    { level: 'high', from: 7.6, nominal_to: 10, points: 3, label: 'высокий (от 7,6 до 10)' },
    { level: 'above_average', from: 5.1, to: 7.5, points: 2, label: 'выше среднего (от 5,1 до 7,5)' },
    { level: 'average', from: 2.6, to: 5, points: 1, label: 'средний (от 2,6 до 5,0)' },
    { level: 'below_average', from: 1.6, to: 2.5, points: 0.5, label: 'ниже среднего (от 1,6 до 2,5)' },
    { level: 'low', from: 0, to: 1.5, points: 0, label: 'низкий (от 0 до 1,5)' },
  ],
};

describe('таблица критериев: Word и Excel', () => {
  for (const [name, rows] of [['Word (пустые ячейки после объединения)', wordRows()], ['Excel (значение повторено)', excelRows()]] as const) {
    it(name, () => {
      const r = readCriteriaTable(rows);
      expect(r.problems).toEqual([]);
      expect(r.ok).toBe(true);
      const t = r.table!;
      expect(t.header).toEqual({ line: 1, columns: { number: 0, criterion: 1, target: 2, band: 3, points: 4 } });
      expect(t.criteria).toEqual([
        { id: '1', title: 'Выявление потребности в области дополнительного образования детей', line: 2, max: 3 },
        { id: '2', title: 'Охват обучающихся дополнительным образованием', line: 7, max: 6 },
      ]);
      expect(t.indicators.map((i) => [i.code, i.line, i.target, i.bands.map((b) => [b.line, b.points])])).toEqual([
        ['1.1', 3, undefined, [[3, 3], [4, 2], [5, 1], [6, 0]]],
        ['2.1', 8, undefined, [[8, 3], [9, 2], [10, 1], [11, 0.5], [12, 0]]],
        ['2.2', 13, 75, [[13, 3], [14, 2], [15, 1], [16, 0]]],
      ]);
      expect(t.statedMax).toMatchObject({ value: 9, line: 17 });

      const d = draftFromTable(t, { openTop: ['2.1'], capped: ['2.2'] });
      expect(d.scales.s1_1?.bands).toEqual(expectedBands.s1_1);
      expect(d.scales.s2_1?.bands).toEqual(expectedBands.s2_1);
      expect(d.scales.s2_2?.bands.map((b) => [b.from, b.to, b.points])).toEqual([[88, 100, 3], [76, 87.9, 2], [75, 75.9, 1], [0, 74.9, 0]]);
      expect(d.indicators.i1_1).toMatchObject({ code: '1.1', unit: '%', kind: 'share', formula: 'x1_1', round: 1, min: 0, scale: 's1_1' });
      expect(d.indicators.i1_1?.max).toBeUndefined();
      expect(d.indicators.i2_2).toMatchObject({ max: 100, target: 75 });
      expect(d.inputs.x2_2).toMatchObject({ type: 'percent', unit: '%' });
      expect(d.inputs.x1_1).toMatchObject({ type: 'number', unit: '%', min: 0 });
      expect(d.indicators.i2_1).toMatchObject({ kind: 'value', formula: 'x2_1' });
      expect(d.criteria).toEqual([
        { id: '1', title: 'Выявление потребности в области дополнительного образования детей', max: 3, indicators: ['i1_1'] },
        { id: '2', title: 'Охват обучающихся дополнительным образованием', max: 6, indicators: ['i2_1', 'i2_2'] },
      ]);
      expect(d.total).toEqual({ max: 9 });

      const m: Methodology = { id: 't', version: '1', direction: 'talents', title: 't', ...d };
      const lint = lintMethodology(m).map((l) => `${l.severity}: ${l.message}`);
      expect(lint.filter((l) => l.startsWith('error'))).toEqual([]);
      expect(lint.some((l) => l.includes('1.1') && l.includes('9,1–9,9'))).toBe(true);
      expect(lint.some((l) => l.includes('1.1') && l.includes('19,1–19,9'))).toBe(true);
      // 1.1 is not capped and its top band is open: nothing above 100 is lost; 2.2 is capped at 100.
      expect(lint.some((l) => l.includes('больше 100 %'))).toBe(false);
    });
  }
});

describe('что таблица не говорит, не выдумывается', () => {
  it('доля без max: диапазон выше 100 % назван; верхняя полоса 2.1 без --open-top закрыта', () => {
    const t = readCriteriaTable(wordRows()).table!;
    const d = draftFromTable(t);
    expect(d.scales.s2_1?.bands[0]).toMatchObject({ from: 7.6, to: 10 });
    const m: Methodology = { id: 't', version: '1', direction: 'talents', title: 't', ...d };
    const lint = lintMethodology(m).map((l) => l.message);
    expect(lint.filter((l) => l.includes('значения больше 100 % не попадают'))).toHaveLength(1);
    expect(lint.find((l) => l.includes('больше 100 %'))).toContain('2.2');
  });
  it('целочисленные полосы «50–69 %», «70–100 %»: 69,5 — ни в одной полосе', () => {
    const rows: GridRow[] = [
      { line: 1, cells: ['№', 'Показатель', 'Условие', 'Баллы'] },
      { line: 2, cells: ['1.1', 'Доля выпускников', '70–100 %', '2'] },
      { line: 3, cells: ['', '', '50–69 %', '1'] },
      { line: 4, cells: ['', '', 'менее 50 %', '0'] },
    ];
    const r = readCriteriaTable(rows);
    expect(r.ok).toBe(true);
    const d = draftFromTable(r.table!, { capped: 'all' });
    expect(d.criteria).toEqual([{ id: '1', title: 'Критерий 1', max: 2, indicators: ['i1_1'] }]);
    const lint = lintMethodology({ id: 't', version: '1', direction: 'talents', title: 't', ...d }).map((l) => l.message);
    expect(lint.some((l) => l.includes('69,1–69,9') && l.includes('69,5'))).toBe(true);
  });
  it('да/нет: «участие» / «неучастие» и «наличие» / «отсутствие жалоб»', () => {
    const rows: GridRow[] = [
      { line: 1, cells: ['Критерий', 'Индикатор', 'Количество баллов'] },
      { line: 2, cells: ['1. Участие в конкурсах (max 2 балла)', '', ''] },
      { line: 3, cells: ['1.1. Участие в муниципальных конкурсах', 'участие', '1'] },
      { line: 4, cells: ['', 'неучастие', '0'] },
      { line: 5, cells: ['1.2. Жалобы родителей', 'отсутствие жалоб', '1'] },
      { line: 6, cells: ['', 'наличие жалоб', '0'] },
      { line: 7, cells: ['Итого: максимальное количество баллов – 2', '', ''] },
    ];
    const r = readCriteriaTable(rows);
    expect(r.problems).toEqual([]);
    expect(r.table?.statedMax?.value).toBe(2);
    const d = draftFromTable(r.table!);
    expect(d.inputs.x1_2).toEqual({ type: 'boolean', title: 'Жалобы родителей' });
    expect(d.indicators.i1_2).toMatchObject({ kind: 'yes_no', formula: 'if(x1_2, 1, 0)', round: 0 });
    expect(d.scales.s1_2?.bands).toEqual([
      { from: 0, to: 0, points: 1, label: 'отсутствие жалоб' },
      { from: 1, to: 1, points: 0, label: 'наличие жалоб' },
    ]);
    expect(d.criteria[0]).toMatchObject({ id: '1', title: 'Участие в конкурсах', max: 2 });
    const lint = lintMethodology({ id: 't', version: '1', direction: 'talents', title: 't', ...d });
    expect(lint.filter((l) => l.severity === 'error')).toEqual([]);
  });
});

describe('нечитаемые строки', () => {
  it('нет заголовка', () => {
    const r = readCriteriaTable([{ line: 1, cells: ['Организация', 'Значение'] }]);
    expect(r.ok).toBe(false);
    expect(r.table).toBeNull();
    expect(r.problems[0]?.reason).toMatch(/не найдена строка заголовка/);
  });
  it('условие не распознано, нет баллов, баллы без условия, уровень без границ среди полос с границами', () => {
    const rows: GridRow[] = [
      { line: 1, cells: ['№', 'Критерии и показатели', 'Индикаторы', 'Баллы'] },
      { line: 2, cells: ['', '1.1. Доля', 'по согласованию', '3'] },
      { line: 3, cells: ['', '', 'от 10% до 19%', ''] },
      { line: 4, cells: ['', '', '', '1'] },
      { line: 5, cells: ['', '1.2. Индекс', 'высокий', '3'] },
      { line: 6, cells: ['', '', 'средний (от 2 до 5)', 'два'] },
      { line: 7, cells: ['', '', 'низкий (от 0 до 1,9)', '0'] },
    ];
    const r = readCriteriaTable(rows);
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => [p.line, p.reason])).toEqual([
      [2, expect.stringMatching(/^показатель 1\.1: «по согласованию» не распознано/)],
      [3, 'показатель 1.1: для условия «от 10% до 19%» не указаны баллы'],
      [4, 'показатель 1.1: баллы «1» без условия в столбце «индикатор / условие»'],
      [6, 'показатель 1.2: баллы «два» — не число'],
      [2, 'показатель 1.1: нет ни одной полосы (условие и баллы)'],
      [5, 'показатель 1.2: уровень «высокий» без границ, а у других полос показателя границы есть'],
    ]);
  });
});
