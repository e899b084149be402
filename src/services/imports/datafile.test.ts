import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeText, detectDelimiter, readCsv } from './datafile.ts';

describe('чтение CSV', () => {
  it('UTF-8 с BOM и Windows-1251 распознаются', () => {
    const utf = decodeText(Buffer.from('\uFEFFname;тип\n', 'utf8'));
    expect(utf).toEqual({ text: 'name;тип\n', encoding: 'utf-8' });
    const cp = decodeText(iconv.encode('name;Петровское\n', 'win1251'));
    expect(cp).toEqual({ text: 'name;Петровское\n', encoding: 'windows-1251' });
  });
  it('разделитель — по заголовку, без учёта кавычек', () => {
    expect(detectDelimiter('a;b;c')).toBe(';');
    expect(detectDelimiter('a,b,c')).toBe(',');
    expect(detectDelimiter('"a;b",c,d')).toBe(',');
    expect(detectDelimiter('a\tb')).toBe('\t');
    expect(detectDelimiter('single')).toBe(',');
  });
  it('строки несут номер строки файла; кавычки и пустые строки', () => {
    const r = readCsv(Buffer.from('name;students\n"ДОУ №7; корпус 2";47\n\nСОШ №1;708\n', 'utf8'));
    if (!r.ok) throw new Error(r.message);
    expect(r.table.header).toEqual(['name', 'students']);
    expect(r.table.delimiter).toBe(';');
    expect(r.table.rows.filter((x) => x.cells.some((c) => c !== ''))).toEqual([
      { line: 2, cells: ['ДОУ №7; корпус 2', '47'] },
      { line: 4, cells: ['СОШ №1', '708'] },
    ]);
  });
  it('пустой файл — ошибка', () => {
    expect(readCsv(Buffer.from(''))).toEqual({ ok: false, message: 'файл пуст или первая строка (заголовок) пуста' });
  });
});
