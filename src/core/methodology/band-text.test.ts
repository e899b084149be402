import { describe, expect, it } from 'vitest';
import { parseBandText } from './band-text.ts';
import type { BandText } from './band-text.ts';

function ok(text: string): BandText {
  const r = parseBandText(text);
  if (!r.ok) throw new Error(`«${text}»: ${r.reason}`);
  return r.band;
}

describe('полосы Таблицы № 1 seed 004 — как напечатаны', () => {
  // Expected bounds written from the table by hand (library/talents-2021.yaml), not from the parser.
  const cases: [string, BandText][] = [
    ['более 25%', { from: 25, from_exclusive: true, percent: true }],
    ['от 20% до 25%', { from: 20, to: 25, percent: true }],
    ['от 10% до 19%', { from: 10, to: 19, percent: true }],
    ['от 0% до 9%', { from: 0, to: 9, percent: true }],
    ['от 88,0% до 100%', { from: 88, to: 100, percent: true }],
    ['от 76,0% до 87,9%', { from: 76, to: 87.9, percent: true }],
    ['от 75,0% до 75,9%', { from: 75, to: 75.9, percent: true }],
    ['от 0% до 74,9%', { from: 0, to: 74.9, percent: true }],
    ['высокий', { level: 'high', percent: false }],
    ['выше среднего', { level: 'above_average', percent: false }],
    ['средний', { level: 'average', percent: false }],
    ['ниже среднего', { level: 'below_average', percent: false }],
    ['низкий', { level: 'low', percent: false }],
    // The five levels of 2.1 as the report's text states them (with the letters spaced out as printed).
    ['высокий – от 7,6 до 10', { level: 'high', from: 7.6, to: 10, percent: false }],
    ['выше среднего – от 5,1 до 7,5', { level: 'above_average', from: 5.1, to: 7.5, percent: false }],
    ['с р е д н и й – от 2,6 до 5,0', { level: 'average', from: 2.6, to: 5, percent: false }],
    ['н и ж е среднего – от 1,6 до 2,5', { level: 'below_average', from: 1.6, to: 2.5, percent: false }],
    ['низкий – от 0 до 1,5', { level: 'low', from: 0, to: 1.5, percent: false }],
  ];
  for (const [text, expected] of cases) it(text, () => expect(ok(text)).toEqual(expected));
});

describe('другие формулировки', () => {
  const cases: [string, BandText][] = [
    ['менее 5', { to: 5, to_exclusive: true, percent: false }],
    ['меньше 5 %', { to: 5, to_exclusive: true, percent: true }],
    ['не менее 90%', { from: 90, percent: true }],
    ['не более 10%', { to: 10, percent: true }],
    ['не больше 3', { to: 3, percent: false }],
    ['свыше 50 %', { from: 50, from_exclusive: true, percent: true }],
    ['выше 7,5', { from: 7.5, from_exclusive: true, percent: false }],
    ['ниже 1,6', { to: 1.6, to_exclusive: true, percent: false }],
    ['до 10 %', { to: 10, percent: true }],
    ['до 10 % включительно', { to: 10, percent: true }],
    ['50-69%', { from: 50, to: 69, percent: true }],
    ['50–69 %', { from: 50, to: 69, percent: true }],
    ['70—100 %', { from: 70, to: 100, percent: true }],
    ['0', { from: 0, to: 0, percent: false }],
    ['100%', { from: 100, to: 100, percent: true }],
    ['0 %', { from: 0, to: 0, percent: true }],
    ['выше среднего (от 5,1 до 7,5)', { level: 'above_average', from: 5.1, to: 7.5, percent: false }],
    ['Высокий уровень (7,6 и выше)', { level: 'high', from: 7.6, percent: false }],
    ['средний: 2,6–5,0', { level: 'average', from: 2.6, to: 5, percent: false }],
    ['от 7,6 до 10 (высокий)', { level: 'high', from: 7.6, to: 10, percent: false }],
    ['от 5 и выше', { from: 5, percent: false }],
    ['5 и более', { from: 5, percent: false }],
    ['3 и менее', { to: 3, percent: false }],
    ['≥ 80 %', { from: 80, percent: true }],
    ['> 25%', { from: 25, from_exclusive: true, percent: true }],
    ['<5', { to: 5, to_exclusive: true, percent: false }],
    ['более 20% до 25%', { from: 20, from_exclusive: true, to: 25, percent: true }],
    ['не менее 20, но менее 25 %', { from: 20, to: 25, to_exclusive: true, percent: true }],
    ['от 20 до 25 (не включая 25)', { from: 20, to: 25, to_exclusive: true, percent: false }],
    ['с 10 по 19 процентов', { from: 10, to: 19, percent: true }],
    ['от 1 000 до 2 500 чел.', { from: 1000, to: 2500, percent: false }],
    ['от −100 до 0', { from: -100, to: 0, percent: false }],
    ['[20; 25)', { from: 20, to: 25, to_exclusive: true, percent: false }],
    ['(25; 100]', { from: 25, from_exclusive: true, to: 100, percent: false }],
    ['от 2 до 3 баллов', { from: 2, to: 3, percent: false }],
    ['от 0.5 до 1.5', { from: 0.5, to: 1.5, percent: false }],
    ['  от 20%\u00a0до 25%.  ', { from: 20, to: 25, percent: true }],
    ['участие', { answer: 'yes', percent: false }],
    ['неучастие', { answer: 'no', percent: false }],
    ['Принимали участие', { answer: 'yes', percent: false }],
    ['не принимали участия', { answer: 'no', percent: false }],
    ['наличие', { answer: 'yes', percent: false }],
    ['отсутствие жалоб', { answer: 'no', percent: false }],
    ['наличие жалоб', { answer: 'yes', percent: false }],
    ['да', { answer: 'yes', percent: false }],
    ['нет', { answer: 'no', percent: false }],
  ];
  for (const [text, expected] of cases) it(text, () => expect(ok(text)).toEqual(expected));
});

describe('нечитаемые тексты: причина по-русски', () => {
  it('пустая ячейка', () => {
    expect(parseBandText('  ')).toEqual({ ok: false, reason: 'условие (индикатор) не указано — ячейка пуста' });
  });
  it('слова без границ', () => {
    const r = parseBandText('по согласованию');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/^«по согласованию» не распознано: ожидается диапазон/);
  });
  it('уровень с нечитаемыми границами', () => {
    const r = parseBandText('средний (примерно половина)');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain('уровень распознан, а границы «примерно половина» — нет');
  });
  it('нижняя граница больше верхней', () => {
    expect(parseBandText('от 25% до 20%')).toEqual({ ok: false, reason: '«от 25% до 20%»: нижняя граница 25 больше верхней 20' });
  });
  it('пустая полоса', () => {
    expect(parseBandText('[5; 5)')).toEqual({ ok: false, reason: '«[5; 5)»: полоса не содержит ни одного значения' });
  });
  it('текст после числа не теряется', () => {
    expect(parseBandText('более 25 % обучающихся').ok).toBe(false);
    expect(parseBandText('от 20 до').ok).toBe(false);
    expect(parseBandText('25 или около того').ok).toBe(false);
  });
});
