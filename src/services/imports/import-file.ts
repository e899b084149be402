/** Uploaded data files of imports: the type is decided by the content, never by the name (an XLSX book is a ZIP with
 * a workbook part; an old binary XLS, a PDF or any other binary is refused; anything else must decode as CSV text),
 * and XLSX books are read with exceljs's streaming reader, which yields to the event loop while it reads (100,000
 * rows ≈ 2 s, no pause longer than ~0.1 s) and lists every sheet. CSV goes through `readCsvYielding` of datafile.ts (same result as `readCsv`, yielding between slices). */
import { Readable } from 'node:stream';
import type { TableRow } from '../../core/methodology/index.ts';
import { cellText, readCsvYielding, type Table } from './datafile.ts';
import { checkXlsxContainer, findHugeCell, formulaProblem } from './datafile-limits.ts';

export type SniffResult = { ok: true; format: 'csv' | 'xlsx' } | { ok: false; message: string };

const startsWith = (b: Uint8Array, bytes: number[]) => bytes.every((x, i) => b[i] === x);

/** What the bytes are: XLSX (ZIP), CSV (UTF-16 with a byte-order mark, or text without NUL bytes), or a refusal
 * naming what it looks like. */
export function sniffDataFile(buffer: Uint8Array): SniffResult {
  if (buffer.length === 0) return { ok: false, message: 'Файл пуст' };
  if (startsWith(buffer, [0x50, 0x4b, 0x03, 0x04])) return { ok: true, format: 'xlsx' };
  if (startsWith(buffer, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    return { ok: false, message: 'Файл в формате XLS (Excel 97–2003) не поддерживается: сохраните его как XLSX или CSV' };
  }
  if (startsWith(buffer, [0x25, 0x50, 0x44, 0x46])) return { ok: false, message: 'Это PDF-документ, а не таблица: загрузите CSV или XLSX' };
  // UTF-16 text (Excel's «Unicode text») has NUL bytes in every ASCII character: recognised by its byte-order mark,
  // decoded by the CSV reader (decodeText in datafile.ts).
  if (startsWith(buffer, [0xff, 0xfe]) || startsWith(buffer, [0xfe, 0xff])) return { ok: true, format: 'csv' };
  const head = buffer.subarray(0, 64 * 1024);
  if (head.includes(0)) return { ok: false, message: 'Файл не похож на таблицу CSV или XLSX (двоичные данные)' };
  return { ok: true, format: 'csv' };
}

export interface ReadOutcome {
  ok: true;
  table: Table;
  sheets: string[];
}

/** Reads a sheet (by default the first one) of an XLSX book, listing all sheet names. */
export async function readXlsxStreaming(buffer: Uint8Array, sheet?: string | null): Promise<ReadOutcome | { ok: false; message: string }> {
  const { default: ExcelJS } = await import('exceljs');
  // The same limits as the in-memory reader: a zip bomb is refused before anything is inflated by exceljs.
  const limit = checkXlsxContainer(buffer);
  if (limit) return { ok: false, message: limit };
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([Buffer.from(buffer)]), {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    styles: 'ignore',
    entries: 'ignore',
  });
  const sheets: string[] = [];
  let header: string[] | null = null;
  const rows: TableRow[] = [];
  let chosen: string | null = null;
  try {
    for await (const ws of reader) {
      const name = (ws as unknown as { name?: string }).name ?? `Лист${sheets.length + 1}`;
      sheets.push(name);
      const take = chosen === null && (sheet ? name === sheet : true);
      if (take) chosen = name;
      for await (const row of ws) {
        if (!take) continue;
        const values = row.values as unknown[];
        const cells: string[] = [];
        for (let i = 1; i < values.length; i++) {
          const formula = formulaProblem(values[i]);
          if (formula) return { ok: false, message: `Строка ${row.number}, столбец ${i}: ${formula}` };
          cells.push(cellText(values[i]).trim());
        }
        const huge = findHugeCell([{ line: row.number, cells }]);
        if (huge) return { ok: false, message: huge };
        if (cells.every((c) => c === '')) continue;
        if (!header) header = cells;
        else rows.push({ line: row.number, cells });
      }
    }
  } catch (e) {
    return { ok: false, message: `Файл XLSX не прочитан (${(e as Error).message})` };
  }
  if (sheets.length === 0) return { ok: false, message: 'В книге нет листов' };
  if (sheet && chosen === null) return { ok: false, message: `В книге нет листа «${sheet}» (есть: ${sheets.join(', ')})` };
  return { ok: true, sheets, table: { header: header ?? [], rows, sheet: chosen ?? sheets[0] } };
}

/** Reads an uploaded file of a known format (see `sniffDataFile`). */
export async function readImportFile(buffer: Uint8Array, format: 'csv' | 'xlsx', sheet?: string | null): Promise<ReadOutcome | { ok: false; message: string }> {
  if (format === 'xlsx') return readXlsxStreaming(buffer, sheet);
  const r = await readCsvYielding(buffer);
  if (!r.ok) return { ok: false, message: `Файл CSV не прочитан: ${r.message}` };
  return { ok: true, table: r.table, sheets: [] };
}
