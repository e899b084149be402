/** A ФИС ОКО / ГИА file → its reports (issue 22): every sheet of an XLSX (one workbook may hold several subject × grade
 * sheets), or a CSV in UTF-8 / Windows-1251 (datafile.ts's decoding), read as a raw grid — the header block above the
 * table included — and handed to the pure `readFisOko` of src/core/imports/fisoko.ts. All-or-nothing: the errors of
 * every sheet, or every sheet's report. */
import { parse } from 'csv-parse/sync';
import { readFisOko, type FisOkoError, type FisOkoReport, type FisOkoResult } from '../../core/imports/fisoko.ts';
import type { TableRow } from '../../core/methodology/records.ts';
import { decodeText, detectDelimiter, loadWorkbook, sheetRows } from './datafile.ts';
import { findHugeCell } from './datafile-limits.ts';

/** One sheet (XLSX) or the whole file (CSV), every non-empty row with its line number. */
export interface FisOkoSheetGrid {
  sheet?: string;
  rows: TableRow[];
}

export type GridsResult = { ok: true; grids: FisOkoSheetGrid[]; encoding?: string } | { ok: false; message: string };

const isXlsx = (buffer: Uint8Array, fileName: string) => /\.xlsx$/i.test(fileName) || (buffer[0] === 0x50 && buffer[1] === 0x4b);

/** Every sheet of the workbook as it is: no row is taken for a header, merged cells come as exceljs gives them (the
 * value repeated over the merged range). Formulas without a cached value and oversized cells are refused, as in
 * `readXlsx`. */
export async function xlsxGrids(buffer: Uint8Array): Promise<GridsResult> {
  const loaded = await loadWorkbook(buffer);
  if (!loaded.ok) return loaded;
  const wb = loaded.wb;
  if (wb.worksheets.length === 0) return { ok: false, message: 'в книге нет листов' };
  const grids: FisOkoSheetGrid[] = [];
  for (const ws of wb.worksheets) {
    const { rows, problem } = sheetRows(ws);
    if (problem) return { ok: false, message: `лист «${ws.name}»: ${problem}` };
    grids.push({ sheet: ws.name, rows });
  }
  return { ok: true, grids };
}

/** A CSV file as one grid. The separator is the one most used in the first 30 lines (a title line above the table
 * may have none). */
export function csvGrid(buffer: Uint8Array): GridsResult {
  const { text, encoding } = decodeText(buffer);
  if (text.includes('\u0000')) return { ok: false, message: 'файл не похож на таблицу CSV (двоичные данные): загрузите CSV в UTF-8 или Windows-1251 либо XLSX' };
  const delimiter = detectDelimiter(text.split(/\r?\n/, 30).join('\n'));
  let rows = plainCsvRows(text, delimiter);
  if (!rows) {
    let records: { record: string[]; info: { lines: number } }[];
    try {
      records = parse(text, { delimiter, relax_column_count: true, relax_quotes: true, info: true, skip_empty_lines: false, bom: true }) as unknown as typeof records;
    } catch (e) {
      const m = e as { lines?: number; message: string };
      return { ok: false, message: `${m.lines !== undefined ? `строка ${m.lines}: ` : ''}файл CSV не разобран (${m.message})` };
    }
    rows = records.map((r) => ({ line: r.info.lines, cells: r.record }));
  }
  const huge = findHugeCell(rows);
  if (huge) return { ok: false, message: huge };
  return { ok: true, grids: [{ rows }], encoding };
}

/** A CSV text without quotes whose lines all end alike (all «\n» or all «\r\n»), split by lines and by the separator
 * — exactly the rows csv-parse gives it with the options of `csvGrid` (line numbers, a trailing line break, empty
 * lines, a BOM: src/services/imports/fisoko-file.test.ts compares them on random texts), without its per-field and
 * per-record bookkeeping (a third of the preview of a ФИС ОКО upload). Null for any other text: csv-parse reads it. */
export function plainCsvRows(text: string, delimiter: string): TableRow[] | null {
  if (delimiter.length !== 1 || delimiter === '\r' || delimiter === '\n' || text.includes('"')) return null;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body === '') return [];
  let eol = '\n';
  if (body.includes('\r')) {
    const crlf = body.split('\r\n').length - 1;
    const cr = body.split('\r').length - 1;
    const lf = body.split('\n').length - 1;
    if (crlf !== cr || crlf !== lf) return null;
    eol = '\r\n';
  }
  const lines = body.split(eol);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l, i) => ({ line: i + 1, cells: l.split(delimiter) }));
}

export async function fisOkoGrids(buffer: Uint8Array, fileName: string): Promise<GridsResult> {
  return isXlsx(buffer, fileName) ? xlsxGrids(buffer) : csvGrid(buffer);
}

/** Reads every sheet of the file; empty sheets of a workbook are passed over (unless all are empty). */
export async function readFisOkoFile(buffer: Uint8Array, fileName: string): Promise<FisOkoResult<FisOkoReport[]>> {
  const read = await fisOkoGrids(buffer, fileName);
  if (!read.ok) return { ok: false, errors: [{ file: fileName, line: null, column: null, message: read.message }] };
  const filled = read.grids.filter((g) => g.rows.some((r) => r.cells.some((c) => c.trim() !== '')));
  const grids = filled.length ? filled : read.grids.slice(0, 1);
  const reports: FisOkoReport[] = [];
  const errors: FisOkoError[] = [];
  for (const g of grids) {
    const r = readFisOko(g.rows, g.sheet === undefined ? { file: fileName } : { file: fileName, sheet: g.sheet });
    if (r.ok) reports.push(r.value);
    else errors.push(...r.errors);
  }
  return errors.length ? { ok: false, errors } : { ok: true, value: reports };
}
