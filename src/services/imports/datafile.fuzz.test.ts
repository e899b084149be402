/** Fuzz tests of the CSV/XLSX readers: random bytes, mutated real files (the 51 organisations of seed 004 in UTF-8,
 * Windows-1251, UTF-16 and as an XLSX book), a zip bomb, huge cells, formula cells. Every input must end in a result
 * (`ok: true`) or a Russian message (`ok: false`) — never a throw — and the real file must read back exactly. */
import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import type { Worksheet } from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCsv, readCsvYielding, readDataFile, readXlsx, type TableResult } from './datafile.ts';
import { MAX_CELL_CHARS, MAX_XLSX_UNPACKED_BYTES, checkXlsxContainer } from './datafile-limits.ts';
import { readImportFile } from './import-file.ts';

const CSV_TEXT = readFileSync(new URL('../../../library/demo/organisations.csv', import.meta.url), 'utf8');
const CYRILLIC = /[А-Яа-яЁё]/;

function settled(r: TableResult): void {
  if (r.ok) {
    expect(Array.isArray(r.table.header)).toBe(true);
    for (const row of r.table.rows) {
      expect(Number.isInteger(row.line)).toBe(true);
      for (const c of row.cells) expect(typeof c).toBe('string');
    }
  } else {
    expect(r.message.length).toBeGreaterThan(5);
    expect(r.message).toMatch(CYRILLIC);
  }
}

async function xlsxOf(rows: unknown[][], edit?: (ws: Worksheet) => void): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Данные');
  for (const r of rows) ws.addRow(r);
  edit?.(ws);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A minimal ZIP (stored directory, deflated parts) — enough to be read as an XLSX container. */
function zip(parts: { name: string; data: Buffer; declaredSize?: number }[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name);
    const body = deflateRawSync(p.data, { level: 9 });
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0); lh.writeUInt16LE(20, 4); lh.writeUInt16LE(8, 8);
    lh.writeUInt32LE(body.length, 18); lh.writeUInt32LE(p.declaredSize ?? p.data.length, 22); lh.writeUInt16LE(name.length, 26);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0); ch.writeUInt16LE(20, 4); ch.writeUInt16LE(20, 6); ch.writeUInt16LE(8, 10);
    ch.writeUInt32LE(body.length, 20); ch.writeUInt32LE(p.declaredSize ?? p.data.length, 24); ch.writeUInt16LE(name.length, 28); ch.writeUInt32LE(offset, 42);
    locals.push(lh, name, body);
    central.push(ch, name);
    offset += lh.length + name.length + body.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(parts.length, 8); end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

describe('CSV/XLSX readers under fuzzing', () => {
  let realXlsx: Buffer;
  let expected: TableResult;
  beforeAll(async () => {
    expected = readCsv(Buffer.from(CSV_TEXT, 'utf8'));
    if (!expected.ok) throw new Error(expected.message);
    realXlsx = await xlsxOf([expected.table.header, ...expected.table.rows.filter((r) => r.cells.some(Boolean)).map((r) => r.cells)]);
  }, 60_000);

  it('reads the real file identically in UTF-8, UTF-8 with BOM, Windows-1251 and UTF-16 LE/BE', { timeout: 60_000 }, () => {
    if (!expected.ok) throw new Error('unreachable');
    const variants = [
      Buffer.from(`\uFEFF${CSV_TEXT}`, 'utf8'),
      iconv.encode(CSV_TEXT, 'win1251'),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CSV_TEXT, 'utf16le')]),
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(CSV_TEXT, 'utf16le').swap16()]),
    ];
    for (const v of variants) {
      const r = readCsv(v);
      if (!r.ok) throw new Error(r.message);
      expect(r.table.header).toEqual(expected.table.header);
      expect(r.table.rows).toEqual(expected.table.rows);
    }
    expect(expected.table.rows.find((r) => r.cells[0] === '47')?.cells).toEqual(['47', 'ДОУ №34', 'preschool', '161', '4', '2.5', 'ниже среднего']);
  });

  it('random bytes as CSV or XLSX: a table or a Russian message, never a throw', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), fc.constantFrom('a.csv', 'a.xlsx'), async (bytes, name) => {
      settled(await readDataFile(bytes, name));
    }), { numRuns: 150 });
  }, 60_000);

  it('random text (any Unicode, quotes, separators, line breaks) parses or is refused with a line number', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'я', ';', ',', '\t', '"', '\n', '\r', ' ', '1', '№', '\u0000', '\uFFFD'), maxLength: 300 });
    fc.assert(fc.property(text, (t) => settled(readCsv(Buffer.from(t, 'utf8')))), { numRuns: 300 });
  }, 60_000);

  it('the yielding reader (csv-parse stream, text written in slices) gives exactly what the one-shot reader gives', async () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'я', ';', ',', '"', '\n', '\r', ' ', '1', '\u0000', '😀'), maxLength: 200 });
    await fc.assert(fc.asyncProperty(text, fc.integer({ min: 1, max: 9 }), async (t, slice) => {
      const bytes = Buffer.from(t, 'utf8');
      expect(await readCsvYielding(bytes, slice)).toEqual(readCsv(bytes));
    }), { numRuns: 300 });
    const real = Buffer.from(CSV_TEXT, 'utf8');
    expect(await readCsvYielding(real, 97)).toEqual(readCsv(real));
    expect(await readCsvYielding(iconv.encode(CSV_TEXT, 'win1251'))).toEqual(readCsv(iconv.encode(CSV_TEXT, 'win1251')));
  }, 60_000);

  it('mutated real CSV (byte flips, cuts, duplicated and deleted lines, re-encoding): never a throw', () => {
    const lines = CSV_TEXT.split('\n');
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('dup' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('del' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('cp1251' as const) }),
    );
    fc.assert(fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (ms) => {
      let ls = [...lines];
      let buf: Buffer | null = null;
      for (const m of ms) {
        if (m.kind === 'dup') ls.splice(m.at % ls.length, 0, ls[m.at % ls.length] ?? '');
        else if (m.kind === 'del' && ls.length > 1) ls.splice(m.at % ls.length, 1);
        else if (m.kind === 'cp1251') buf = iconv.encode(ls.join('\n'), 'win1251');
        else {
          const b: Buffer = buf ?? Buffer.from(ls.join('\n'), 'utf8');
          if (m.kind === 'flip' && b.length) b[m.at % b.length] = (m as { byte: number }).byte;
          buf = m.kind === 'cut' ? b.subarray(0, m.at % (b.length + 1)) : b;
          ls = buf.toString('utf8').split('\n');
        }
      }
      settled(readCsv(buf ?? Buffer.from(ls.join('\n'), 'utf8')));
    }), { numRuns: 150 });
  }, 60_000);

  it('the real XLSX reads back exactly; mutated XLSX bytes end in a table or a Russian message', async () => {
    if (!expected.ok) throw new Error('unreachable');
    const r = await readXlsx(realXlsx);
    if (!r.ok) throw new Error(r.message);
    expect(r.table.header).toEqual(expected.table.header);
    expect(r.table.rows.map((x) => x.cells)).toEqual(expected.table.rows.filter((x) => x.cells.some(Boolean)).map((x) => x.cells));
    await fc.assert(fc.asyncProperty(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), fc.option(fc.nat()), async (flips, cut) => {
      const b = Buffer.from(realXlsx);
      for (const [at, byte] of flips) b[at % b.length] = byte;
      settled(await readDataFile(cut === null ? b : b.subarray(0, cut % b.length), 'x.xlsx'));
    }), { numRuns: 60 });
  }, 60_000);

  it('refuses a zip bomb (a 0.2 MB book whose sheet expands past the limit), also when the directory lies about sizes', async () => {
    const row = Buffer.from('<row><c t="inlineStr"><is><t>0000000000000000000000000000000000000000</t></is></c></row>');
    const sheet = Buffer.concat([Buffer.from('<worksheet><sheetData>'), Buffer.alloc(MAX_XLSX_UNPACKED_BYTES + 1024 * 1024, row), Buffer.from('</sheetData></worksheet>')]);
    for (const declaredSize of [undefined, 1000]) {
      const bomb = zip([{ name: '[Content_Types].xml', data: Buffer.from('<Types/>') }, { name: 'xl/worksheets/sheet1.xml', data: sheet, declaredSize }]);
      expect(bomb.length).toBeLessThan(400 * 1024);
      // Inflating stops at the budget (64 MB), so the time is bounded whatever the book claims.
      const r = await readDataFile(bomb, 'bomb.xlsx');
      expect(r).toEqual({ ok: false, message: expect.stringMatching(/^Файл XLSX после распаковки больше 64 МБ \(предел\) — похоже на «zip-бомбу»/) });
      // The imports' streaming reader applies the same limit before exceljs inflates anything.
      expect(await readImportFile(bomb, 'xlsx')).toEqual({ ok: false, message: expect.stringMatching(/^Файл XLSX после распаковки больше 64 МБ/) });
    }
    expect(checkXlsxContainer(realXlsx)).toBeNull();
  }, 60_000);

  it('refuses a cell longer than Excel allows, in CSV and XLSX, naming line and column', { timeout: 60_000 }, async () => {
    const long = 'я'.repeat(MAX_CELL_CHARS + 1);
    expect(readCsv(Buffer.from(`no;name\n1;ok\n2;${long}\n`, 'utf8'))).toEqual({ ok: false, message: 'строка 3, столбец 2: в ячейке 32768 символов, больше предела 32 767 — проверьте файл' });
    const x = await readXlsx(await xlsxOf([['no', 'name'], [1, long]]));
    expect(x).toEqual({ ok: false, message: 'строка 2, столбец 2: в ячейке 32768 символов, больше предела 32 767 — проверьте файл' });
    const fine = readCsv(Buffer.from(`no;name\n1;${'я'.repeat(MAX_CELL_CHARS)}\n`, 'utf8'));
    expect(fine.ok && fine.table.rows[0]?.cells[1]?.length).toBe(MAX_CELL_CHARS);
  });

  it('formula cells: the saved value is read; a formula without a value or with an error is refused by cell', { timeout: 60_000 }, async () => {
    const ok = await readXlsx(await xlsxOf([['students', 'programmes'], [700, 16]], (ws) => { ws.getCell('B2').value = { formula: 'A2/50+2', result: 16 }; }));
    expect(ok.ok && ok.table.rows[0]?.cells).toEqual(['700', '16']);
    const noValueBook = await xlsxOf([['students', 'programmes'], [700, 16]], (ws) => { ws.getCell('B2').value = { formula: 'A2/50' } as never; });
    const noValue = await readXlsx(noValueBook);
    expect(noValue).toEqual({ ok: false, message: 'строка 2, столбец 2: формула «=A2/50» без сохранённого значения — откройте файл в Excel, пересчитайте и сохраните' });
    expect(await readImportFile(noValueBook, 'xlsx')).toEqual({ ok: false, message: 'Строка 2, столбец 2: формула «=A2/50» без сохранённого значения — откройте файл в Excel, пересчитайте и сохраните' });
    const longBook = await xlsxOf([['no', 'name'], [1, 'я'.repeat(MAX_CELL_CHARS + 1)]]);
    expect(await readImportFile(longBook, 'xlsx')).toEqual({ ok: false, message: 'строка 2, столбец 2: в ячейке 32768 символов, больше предела 32 767 — проверьте файл' });
    const error = await readXlsx(await xlsxOf([['students', 'programmes'], [0, 16]], (ws) => { ws.getCell('B2').value = { formula: '1/A2', result: { error: '#DIV/0!' } } as never; }));
    expect(error).toEqual({ ok: false, message: 'строка 2, столбец 2: формула «=1/A2» даёт ошибку #DIV/0!' });
    // A CSV cell that looks like a formula is text, never evaluated.
    const csv = readCsv(Buffer.from('a;b\n=1+2;"=HYPERLINK(""http://x"")"\n', 'utf8'));
    expect(csv.ok && csv.table.rows[0]?.cells).toEqual(['=1+2', '=HYPERLINK("http://x")']);
  });

  it('binary data posing as CSV is refused', () => {
    expect(readCsv(Buffer.from([0x6e, 0x6f, 0x3b, 0x61, 0x0a, 0x00, 0x01, 0x02]))).toEqual({ ok: false, message: 'файл не похож на таблицу CSV (двоичные данные): загрузите CSV в UTF-8 или Windows-1251 либо XLSX' });
  });
});
