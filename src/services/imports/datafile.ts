/** Data files → a header and rows of text cells with their line numbers. CSV in UTF-8 or Windows-1251 (valid UTF-8
 * is UTF-8, otherwise cp1251), BOM stripped, `;`, `,` or tab separated (detected from the header line); XLSX — the
 * first sheet or the named one. */
import { parse as parseStream } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import type { Workbook, Worksheet } from 'exceljs';
import type { TableRow } from '../../core/methodology/index.ts';
import { yieldToEventLoop } from '../event-loop.ts';
import { checkXlsxContainer, findHugeCell, formulaProblem } from './datafile-limits.ts';

export interface Table { header: string[]; rows: TableRow[]; encoding?: string; delimiter?: string; sheet?: string; /** Line of the header row (XLSX: the first non-empty row). */ headerLine?: number }
export type TableResult = { ok: true; table: Table } | { ok: false; message: string };

export function decodeText(buffer: Uint8Array): { text: string; encoding: 'utf-8' | 'windows-1251' | 'utf-16le' | 'utf-16be' } {
  // UTF-16 (Excel's «Unicode text») is recognised by its byte-order mark.
  if (buffer[0] === 0xff && buffer[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(buffer.subarray(2)), encoding: 'utf-16le' };
  if (buffer[0] === 0xfe && buffer[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(buffer.subarray(2)), encoding: 'utf-16be' };
  let text: string;
  let encoding: 'utf-8' | 'windows-1251' = 'utf-8';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    text = iconv.decode(Buffer.from(buffer), 'win1251');
    encoding = 'windows-1251';
  }
  return { text: text.replace(/^\uFEFF/, ''), encoding };
}

export function detectDelimiter(headerLine: string): string {
  const count = (ch: string) => {
    let n = 0;
    let quoted = false;
    for (const c of headerLine) {
      if (c === '"') quoted = !quoted;
      else if (!quoted && c === ch) n++;
    }
    return n;
  };
  const candidates = [';', ',', '\t'].map((d) => [d, count(d)] as const).sort((a, b) => b[1] - a[1]);
  return (candidates[0] as readonly [string, number])[1] > 0 ? (candidates[0] as readonly [string, number])[0] : ',';
}

type CsvRecord = { record: string[]; info: { lines: number } };
type CsvStart = { ok: true; text: string; encoding: string; delimiter: string } | { ok: false; message: string };

const CSV_OPTIONS = { relax_column_count: true, info: true, skip_empty_lines: false, bom: true } as const;

function startCsv(buffer: Uint8Array): CsvStart {
  const { text, encoding } = decodeText(buffer);
  if (text.includes('\u0000')) return { ok: false, message: 'файл не похож на таблицу CSV (двоичные данные): загрузите CSV в UTF-8 или Windows-1251 либо XLSX' };
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  if (!firstLine.trim()) return { ok: false, message: 'файл пуст или первая строка (заголовок) пуста' };
  return { ok: true, text, encoding, delimiter: detectDelimiter(firstLine) };
}

function parseFailure(e: unknown): TableResult {
  const m = e as { lines?: number; message: string };
  return { ok: false, message: `${m.lines !== undefined ? `строка ${m.lines}: ` : ''}файл CSV не разобран (${m.message})` };
}

function finishCsv(records: CsvRecord[], encoding: string, delimiter: string): TableResult {
  const [head, ...rest] = records;
  if (!head) return { ok: false, message: 'файл пуст' };
  const huge = findHugeCell(records.map((r) => ({ line: r.info.lines, cells: r.record })));
  if (huge) return { ok: false, message: huge };
  return {
    ok: true,
    table: {
      header: head.record.map((h) => h.trim()),
      rows: rest.map((r) => ({ line: r.info.lines, cells: r.record })),
      encoding,
      delimiter,
    },
  };
}

export function readCsv(buffer: Uint8Array): TableResult {
  const start = startCsv(buffer);
  if (!start.ok) return start;
  let records: CsvRecord[];
  try {
    records = parse(start.text, { delimiter: start.delimiter, ...CSV_OPTIONS }) as unknown as CsvRecord[];
  } catch (e) {
    return parseFailure(e);
  }
  return finishCsv(records, start.encoding, start.delimiter);
}

/** `readCsv` that lets the event loop turn: the text goes to csv-parse's stream in 256 KB slices with a yield between
 * them, so a 100,000-row file (0,5–1 s of parsing) does not stall other users' requests. Same result as `readCsv`. */
export async function readCsvYielding(buffer: Uint8Array, slice = 256 * 1024): Promise<TableResult> {
  const start = startCsv(buffer);
  if (!start.ok) return start;
  const records: CsvRecord[] = [];
  const parser = parseStream({ delimiter: start.delimiter, ...CSV_OPTIONS });
  let failed: unknown = null;
  parser.on('readable', () => {
    for (let r = parser.read() as CsvRecord | null; r !== null; r = parser.read() as CsvRecord | null) records.push(r);
  });
  parser.on('error', (e) => {
    failed ??= e;
  });
  const done = new Promise<void>((resolve) => {
    parser.on('end', resolve);
    parser.on('error', () => resolve());
  });
  for (let at = 0; at < start.text.length && !failed; ) {
    let end = Math.min(at + slice, start.text.length);
    // Never split a surrogate pair between two writes.
    if (end < start.text.length && /[\uD800-\uDBFF]/.test(start.text.charAt(end - 1))) end++;
    parser.write(start.text.slice(at, end));
    at = end;
    await yieldToEventLoop();
  }
  if (!failed) parser.end();
  await done;
  if (failed) return parseFailure(failed);
  return finishCsv(records, start.encoding, start.delimiter);
}

export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    const o = v as { result?: unknown; text?: unknown; richText?: { text: string }[]; hyperlink?: string };
    if (o.result !== undefined) return cellText(o.result);
    if (o.richText) return o.richText.map((r) => r.text).join('');
    if (o.text !== undefined) return cellText(o.text);
    if (o.hyperlink) return o.hyperlink;
    return '';
  }
  return String(v);
}

/** The workbook of an XLSX file, after the container's limits are checked (datafile-limits.ts); a Russian message when
 * it cannot be read. */
export async function loadWorkbook(buffer: Uint8Array): Promise<{ ok: true; wb: Workbook } | { ok: false; message: string }> {
  const { default: ExcelJS } = await import('exceljs');
  const limit = checkXlsxContainer(buffer);
  if (limit) return { ok: false, message: limit };
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(buffer) as unknown as ArrayBuffer);
  } catch (e) {
    return { ok: false, message: `файл XLSX не прочитан (${(e as Error).message})` };
  }
  return { ok: true, wb };
}

export async function readXlsx(buffer: Uint8Array, sheet?: string): Promise<TableResult> {
  const loaded = await loadWorkbook(buffer);
  if (!loaded.ok) return loaded;
  const wb = loaded.wb;
  const ws = sheet ? wb.getWorksheet(sheet) : wb.worksheets[0];
  if (!ws) return { ok: false, message: sheet ? `нет листа «${sheet}» (есть: ${wb.worksheets.map((w) => w.name).join(', ')})` : 'в книге нет листов' };
  const { rows: all, problem } = sheetRows(ws);
  if (problem) return { ok: false, message: problem };
  const [first, ...rows] = all;
  if (!first) return { ok: false, message: `лист «${ws.name}» пуст` };
  return { ok: true, table: { header: first.cells, rows, sheet: ws.name, headerLine: first.line } };
}

/** Every non-empty row of a sheet as text cells with its line, and the first problem in row order (a formula without a
 * cached value, then an oversized cell), as `строка N, столбец M: …`. */
export function sheetRows(ws: Worksheet): { rows: TableRow[]; problem: string | null } {
  const rows: TableRow[] = [];
  let problem: string | null = null;
  ws.eachRow({ includeEmpty: false }, (row, n) => {
    const values = row.values as unknown[];
    const cells: string[] = [];
    for (let i = 1; i < values.length; i++) {
      const formula = problem ? null : formulaProblem(values[i]);
      if (formula) problem = `строка ${n}, столбец ${i}: ${formula}`;
      cells.push(cellText(values[i]).trim());
    }
    if (!problem) problem = findHugeCell([{ line: n, cells }]);
    rows.push({ line: n, cells });
  });
  return { rows, problem };
}

export async function readDataFile(buffer: Uint8Array, fileName: string, sheet?: string): Promise<TableResult> {
  if (/\.xlsx$/i.test(fileName) || (buffer[0] === 0x50 && buffer[1] === 0x4b)) return readXlsx(buffer, sheet);
  return readCsv(buffer);
}
