/** DOCX and XLSX files → grids of text cells for the criteria-table reader (src/core/methodology/criteria-table.ts).
 * DOCX: word/document.xml read with jszip and saxes; a cell spanning columns (w:gridSpan) is its text followed by empty
 * cells, a vertically merged continuation (w:vMerge without «restart») is an empty cell — as Word stores them. A table
 * that directly continues the criteria table (no text between, same columns) is read as its continuation.
 * XLSX: exceljs; a merged range gives its value in every cell of the range. */
import JSZip from 'jszip';
import { SaxesParser } from 'saxes';
import { findHeader } from '../../core/methodology/criteria-table.ts';
import type { GridRow } from '../../core/methodology/criteria-table.ts';
import { checkZipContainer } from '../imports/datafile-limits.ts';
import { cellText } from '../imports/datafile.ts';

export interface Grid {
  rows: GridRow[];
  /** Where a row is, in Russian: «таблица 1, строка 7», «лист «Лист1», строка 7». */
  where: Record<number, string>;
  /** What was read: «таблица 1 из 3», «лист «Лист1»». */
  part: string;
}
export type GridResult = { ok: true; grid: Grid } | { ok: false; message: string };

interface DocxTable {
  rows: string[][];
  /** Non-empty body paragraphs between the previous table and this one. */
  textBefore: boolean;
  /** The last few of those paragraphs' texts, in document order (a caption such as «Таблица № 3. …» is among them;
   * none for a table nested in a cell). */
  paragraphsBefore: string[];
}

/** All tables of word/document.xml in document order (nested tables separately), as text grids. */
export function docxTables(xml: string): DocxTable[] {
  const tables: DocxTable[] = [];
  const stack: { table: DocxTable; row: string[] | null; cell: string[] | null; span: number; vcont: boolean }[] = [];
  let inText = false;
  let paragraph = '';
  let textSinceTable = false;
  let paragraphsSinceTable: string[] = [];
  const parser = new SaxesParser();
  parser.on('opentag', (tag) => {
    const top = stack[stack.length - 1];
    const val = typeof tag.attributes['w:val'] === 'string' ? (tag.attributes['w:val'] as string) : undefined;
    switch (tag.name) {
      case 'w:tbl': {
        const table: DocxTable = { rows: [], textBefore: textSinceTable, paragraphsBefore: top ? [] : paragraphsSinceTable };
        tables.push(table);
        textSinceTable = false;
        stack.push({ table, row: null, cell: null, span: 1, vcont: false });
        break;
      }
      case 'w:tr':
        if (top) top.row = [];
        break;
      case 'w:gridBefore':
        if (top?.row && val) for (let i = 0; i < Number(val); i++) top.row.push('');
        break;
      case 'w:tc':
        if (top) [top.cell, top.span, top.vcont] = [[], 1, false];
        break;
      case 'w:gridSpan':
        if (top?.cell) top.span = Math.max(1, Number(val) || 1);
        break;
      case 'w:vMerge':
        if (top?.cell) top.vcont = val !== 'restart';
        break;
      case 'w:p':
        paragraph = '';
        break;
      case 'w:t':
        inText = true;
        break;
      case 'w:tab':
      case 'w:br':
        paragraph += ' ';
        break;
    }
  });
  parser.on('text', (t) => {
    if (inText) paragraph += t;
  });
  parser.on('closetag', (tag) => {
    const top = stack[stack.length - 1];
    switch (tag.name) {
      case 'w:t':
        inText = false;
        break;
      case 'w:p':
        if (top?.cell) top.cell.push(paragraph);
        else if (!top && paragraph.trim()) {
          textSinceTable = true;
          paragraphsSinceTable = [...paragraphsSinceTable.slice(-4), paragraph.trim()];
        }
        paragraph = '';
        break;
      case 'w:tc':
        if (top?.row && top.cell) {
          top.row.push(top.vcont ? '' : top.cell.join(' ').trim());
          for (let i = 1; i < top.span; i++) top.row.push('');
        }
        if (top) top.cell = null;
        break;
      case 'w:tr':
        if (top?.row) top.table.rows.push(top.row);
        if (top) top.row = null;
        break;
      case 'w:tbl':
        stack.pop();
        textSinceTable = false;
        paragraphsSinceTable = [];
        break;
    }
  });
  parser.write(xml).close();
  return tables;
}

/** Every table of a DOCX file (word/document.xml, see docxTables), or why the file cannot be read: over the archive
 * limits, not a DOCX, damaged, or without tables. */
export async function readDocxFileTables(buffer: Uint8Array): Promise<{ ok: true; tables: DocxTable[] } | { ok: false; message: string }> {
  const limit = checkZipContainer(buffer, 'DOCX');
  if (limit) return { ok: false, message: limit };
  let xml: string | undefined;
  try {
    xml = await (await JSZip.loadAsync(buffer)).file('word/document.xml')?.async('string');
  } catch (e) {
    return { ok: false, message: `файл DOCX не прочитан (${(e as Error).message})` };
  }
  if (xml === undefined) return { ok: false, message: 'файл DOCX не прочитан: в архиве нет word/document.xml' };
  let tables: DocxTable[];
  try {
    tables = docxTables(xml);
  } catch (e) {
    return { ok: false, message: `файл DOCX повреждён: word/document.xml — ${(e as Error).message}` };
  }
  if (!tables.length) return { ok: false, message: 'в документе нет таблиц' };
  return { ok: true, tables };
}

export async function readDocxGrid(buffer: Uint8Array, tableNo?: number): Promise<GridResult> {
  const read = await readDocxFileTables(buffer);
  if (!read.ok) return read;
  const { tables } = read;
  const asRows = (t: DocxTable): GridRow[] => t.rows.map((cells, i) => ({ line: i + 1, cells }));
  let first: number;
  if (tableNo !== undefined) {
    if (!Number.isInteger(tableNo) || tableNo < 1 || tableNo > tables.length) return { ok: false, message: `в документе ${tables.length} табл., таблицы ${tableNo} нет` };
    first = tableNo - 1;
  } else {
    first = tables.findIndex((t) => findHeader(asRows(t)) !== null);
    if (first < 0) return { ok: false, message: `ни в одной из ${tables.length} таблиц документа не найден заголовок таблицы критериев: нужны столбцы «критерий / показатель», «индикатор / условие» и «баллы»` };
  }
  const width = Math.max(...(tables[first] as DocxTable).rows.map((r) => r.length));
  const parts = [first];
  for (let k = first + 1; k < tables.length; k++) {
    const t = tables[k] as DocxTable;
    if (t.textBefore || Math.max(...t.rows.map((r) => r.length)) !== width) break;
    parts.push(k);
  }
  const grid: Grid = { rows: [], where: {}, part: `таблица ${first + 1} из ${tables.length}` };
  for (const k of parts) {
    const rows = asRows(tables[k] as DocxTable);
    // A continuation repeats the header on a new page: the repeated header is skipped.
    const skip = k !== first && findHeader(rows.slice(0, 1)) ? 1 : 0;
    for (const r of rows.slice(skip)) {
      const line = grid.rows.length + 1;
      grid.rows.push({ line, cells: r.cells });
      grid.where[line] = `таблица ${k + 1}, строка ${r.line}`;
    }
  }
  if (parts.length > 1) grid.part = `таблицы ${parts.map((k) => k + 1).join(', ')} из ${tables.length}`;
  return { ok: true, grid };
}

export async function readXlsxGrid(buffer: Uint8Array, sheet?: string): Promise<GridResult> {
  const limit = checkZipContainer(buffer, 'XLSX');
  if (limit) return { ok: false, message: limit };
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(buffer) as unknown as ArrayBuffer);
  } catch (e) {
    return { ok: false, message: `файл XLSX не прочитан (${(e as Error).message})` };
  }
  const sheetRows = (ws: (typeof wb.worksheets)[number]): GridRow[] => {
    const rows: GridRow[] = [];
    for (let r = 1; r <= ws.rowCount; r++) {
      const cells: string[] = [];
      for (let c = 1; c <= ws.columnCount; c++) cells.push(cellText(ws.getCell(r, c).value).trim());
      rows.push({ line: r, cells });
    }
    return rows;
  };
  const ws = sheet ? wb.getWorksheet(sheet) : wb.worksheets.find((w) => findHeader(sheetRows(w)) !== null);
  if (sheet && !ws) return { ok: false, message: `нет листа «${sheet}» (есть: ${wb.worksheets.map((w) => w.name).join(', ')})` };
  if (!ws) return { ok: false, message: `ни на одном листе книги не найден заголовок таблицы критериев: нужны столбцы «критерий / показатель», «индикатор / условие» и «баллы»` };
  const rows = sheetRows(ws);
  const name = ws.name;
  return { ok: true, grid: { rows, where: Object.fromEntries(rows.map((r) => [r.line, `лист «${name}», строка ${r.line}`])), part: `лист «${name}»` } };
}
