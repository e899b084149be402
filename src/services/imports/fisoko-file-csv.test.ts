/** The plain CSV split of the ФИС ОКО reader (`plainCsvRows`, no quotes, one kind of line ending) gives exactly the
 * rows csv-parse gives with the options of `csvGrid` — line numbers, cells, empty lines, a trailing line break, a BOM —
 * on random texts; texts it does not take (quotes, mixed or lone «\r») are left to csv-parse. */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvGrid, plainCsvRows } from './fisoko-file.ts';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const viaCsvParse = (text: string, delimiter: string) =>
  (parse(text, { delimiter, relax_column_count: true, relax_quotes: true, info: true, skip_empty_lines: false, bom: true }) as unknown as { record: string[]; info: { lines: number } }[])
    .map((r) => ({ line: r.info.lines, cells: r.record }));

describe('plainCsvRows', () => {
  it('equals csv-parse on 3 000 random texts without quotes (\\n or \\r\\n line endings, «;», «,» or tab)', () => {
    const rnd = lcg(22);
    const pieces = ['а', 'b', ' ', '1,5', '(sch5001) МБОУ', '%', '', '\u00A0', '–'];
    let taken = 0;
    for (let n = 0; n < 3000; n++) {
      const delimiter = [';', ',', '\t'][Math.floor(rnd() * 3)] as string;
      const eol = rnd() < 0.5 ? '\n' : '\r\n';
      const lines = Array.from({ length: Math.floor(rnd() * 8) }, () =>
        Array.from({ length: Math.floor(rnd() * 5) }, () => pieces[Math.floor(rnd() * pieces.length)]).join(rnd() < 0.8 ? delimiter : ' '));
      let text = lines.join(eol) + (rnd() < 0.5 ? eol : '') + (rnd() < 0.2 ? eol.repeat(2) : '');
      if (rnd() < 0.2) text = `\uFEFF${text}`;
      const fast = plainCsvRows(text, delimiter);
      expect(fast, JSON.stringify(text)).not.toBeNull();
      expect(fast, JSON.stringify(text)).toEqual(viaCsvParse(text, delimiter));
      taken++;
    }
    expect(taken).toBe(3000);
  });

  it('leaves quotes, mixed and lone «\\r» line endings to csv-parse; csvGrid reads them as before', () => {
    for (const text of ['a;"b;c"\nd', 'a\r\nb\nc', 'a\nb\r\nc', 'a\rb', 'x;"y\nz";w']) {
      expect(plainCsvRows(text, ';')).toBeNull();
      const grid = csvGrid(Buffer.from(text, 'utf8'));
      expect(grid.ok && grid.grids[0]?.rows).toEqual(viaCsvParse(text, ';'));
    }
    expect(plainCsvRows('', ';')).toEqual([]);
    expect(plainCsvRows('\uFEFF', ';')).toEqual([]);
    expect(plainCsvRows('a;b\n\nc;\n', ';')).toEqual([{ line: 1, cells: ['a', 'b'] }, { line: 2, cells: [''] }, { line: 3, cells: ['c', ''] }]);
  });
});
