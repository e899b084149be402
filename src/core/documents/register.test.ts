import { describe, expect, it } from 'vitest';
import { documentDate, formatNumber, patternProblems, registerYear } from './register.ts';

describe('document register numbering', () => {
  it('formats the department patterns of the seeds', () => {
    expect(formatNumber('21/{n}', 455, 2023)).toBe('21/455');
    expect(formatNumber('01-09/{n}', 155, 2023)).toBe('01-09/155');
    expect(formatNumber('{n}', 6, 2024)).toBe('6');
    expect(formatNumber('{n}-{yy}', 7, 2005)).toBe('7-05');
    expect(formatNumber('{yyyy}/{n}', 1, 2026)).toBe('2026/1');
  });

  it('refuses unusable patterns with Russian messages', () => {
    expect(patternProblems('21/{n}')).toEqual([]);
    expect(patternProblems('')).toEqual(['Шаблон номера не может быть пустым: укажите, например, «21/{n}»']);
    expect(patternProblems('21/455')).toEqual(['В шаблоне номера должен быть порядковый номер {n}']);
    expect(patternProblems('{n}/{n}')).toEqual(['Порядковый номер {n} должен встречаться в шаблоне один раз']);
    expect(patternProblems('{num}')).toEqual([
      'Неизвестная подстановка «{num}» в шаблоне номера: допустимы {n}, {yyyy}, {yy}',
      'В шаблоне номера должен быть порядковый номер {n}',
    ]);
    expect(patternProblems('21/{n')).toContain('В шаблоне номера непарная фигурная скобка');
    expect(patternProblems(`${'x'.repeat(40)}{n}`)).toContain('Шаблон номера не длиннее 40 символов');
    expect(() => formatNumber('21/455', 1, 2023)).toThrow('В шаблоне номера должен быть порядковый номер {n}');
    expect(() => formatNumber('{n}', 0, 2023)).toThrow('целым положительным');
  });

  it('numbers by the year of the document date and prints the date as documents do', () => {
    expect(registerYear('2023-02-20')).toBe(2023);
    expect(registerYear('2024-01-01')).toBe(2024);
    expect(documentDate('2023-02-20')).toBe('20.02.2023');
    expect(() => registerYear('20.02.2023')).toThrow('ГГГГ-ММ-ДД');
  });
});
