/** What the report's XLSX sheets share (xlsx-report.ts, xlsx-dimensional.ts). */
import type { Workbook, Worksheet } from 'exceljs';

/** The number format of a figure rounded to `round` digits (`0`, `0.0`, `0.00`, …). */
export const fmtOf = (round: number | null): string => (round === null || round === 0 ? '0' : `0.${'0'.repeat(round)}`);

/** Styles the header row (frozen with the sheet, `frozenSheet`); called before any row is committed (the streaming
 * writer writes a committed row as it is). */
export function styleHeader(ws: Worksheet): void {
  const row = ws.getRow(1);
  row.font = { bold: true };
  row.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
}

/** A sheet with its header row (and `xSplit` first columns) frozen. The streaming writer writes a sheet's views when
 * the sheet is added, so they are given here, not set later. */
export function frozenSheet(wb: Workbook, name: string, xSplit = 0): Worksheet {
  return wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1, xSplit }] });
}
