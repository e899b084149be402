/** The layout shared by the built-in document templates (scripts/build-templates.ts, scripts/order-templates.ts):
 * A4, margins 30/15/20/20 mm, Times New Roman 14 (12 in tables), page numbers centred in the top margin from the
 * second page on (ГОСТ Р 7.0.97-2016, п. 6.5), borderless two-column blocks, tables whose header row repeats on every
 * page and whose rows never split across pages, with no column narrower than its header's longest word. */
import {
  AlignmentType,
  BorderStyle,
  Header,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
  type ISectionPropertiesOptions,
} from 'docx';
import { textWidth, unbreakable } from '../src/reports/docx-layout.ts';

export const FONT = 'Times New Roman';
export const MM = 56.7; // twips per millimetre
export const A4 = { width: 11906, height: 16838 };
export const MARGIN = { left: Math.round(30 * MM), right: Math.round(15 * MM), top: Math.round(20 * MM), bottom: Math.round(20 * MM) };
export const TEXT_WIDTH = A4.width - MARGIN.left - MARGIN.right;
const NONE = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
export const NO_BORDERS = { top: NONE, bottom: NONE, left: NONE, right: NONE, insideHorizontal: NONE, insideVertical: NONE };

/** Section properties of every template: A4 portrait, the margins, the page number in the header from page 2 on. */
export function pageProperties(): { properties: ISectionPropertiesOptions; headers: { default: Header; first: Header } } {
  const number = new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: [PageNumber.CURRENT], font: FONT, size: 24 })] });
  return { properties: { page: { size: A4, margin: MARGIN }, titlePage: true }, headers: { default: new Header({ children: [number] }), first: new Header({ children: [] }) } };
}

export interface LineOpts { bold?: boolean; caps?: boolean; size?: number; align?: (typeof AlignmentType)[keyof typeof AlignmentType]; after?: number; indent?: boolean; pageBreakBefore?: boolean; keepNext?: boolean }

export function line(text: string, o: LineOpts = {}): Paragraph {
  return new Paragraph({
    alignment: o.align ?? AlignmentType.LEFT,
    spacing: { after: o.after ?? 0, line: 240 },
    ...(o.indent ? { indent: { firstLine: Math.round(12.5 * MM) } } : {}),
    ...(o.pageBreakBefore ? { pageBreakBefore: true } : {}),
    ...(o.keepNext ? { keepNext: true } : {}),
    children: [new TextRun({ text, bold: o.bold, allCaps: o.caps, font: FONT, size: o.size ?? 28 })],
  });
}

function cell(children: Paragraph[], widthTwips: number): TableCell {
  return new TableCell({ children, width: { size: widthTwips, type: WidthType.DXA }, borders: NO_BORDERS, verticalAlign: VerticalAlign.TOP });
}

export function twoColumns(left: Paragraph[], right: Paragraph[], leftWidth: number): Table {
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [leftWidth, TEXT_WIDTH - leftWidth],
    borders: NO_BORDERS,
    rows: [new TableRow({ children: [cell(left, leftWidth), cell(right, TEXT_WIDTH - leftWidth)] })],
  });
}

/** The signature (position left, name right) and the executor under it, kept on one page: a letter one line too long
 * moves them to the next page together instead of leaving the executor alone there. */
export function signatureAndExecutor(): (Paragraph | Table)[] {
  return [
    line('', { after: 480, keepNext: true }),
    twoColumns([line('{department.headPosition}', { keepNext: true })], [line('{department.headName}', { align: AlignmentType.RIGHT, keepNext: true })], Math.round(100 * MM)),
    line('', { after: 480, keepNext: true }),
    line('{department.executorName}', { size: 20, keepNext: true }),
    line('{department.executorPhone}', { size: 20 }),
  ];
}

/** Parent body and department, centred, as the order's heading prints them. */
export function letterheadRequisites(): Paragraph[] {
  const C = AlignmentType.CENTER;
  return [
    line('{department.parentName}', { size: 24, align: C }),
    line('', { size: 12 }),
    line('{department.name}', { bold: true, align: C, after: 240 }),
  ];
}


/** The letter's requisites block (ГОСТ Р 7.0.97-2016, top left): parent body, department, address, phone, codes,
 * e-mail, date and number, «на № … от …». */
export function letterRequisites(): Paragraph[] {
  const C = AlignmentType.CENTER;
  return [
    line('{department.parentName}', { caps: true, size: 24, align: C }),
    line('', { size: 12 }),
    line('{department.name}', { caps: true, bold: true, align: C, after: 120 }),
    line('{department.address}', { size: 20, align: C }),
    line('{#department.phone}Тел. {department.phone}{/department.phone}', { size: 20, align: C }),
    line('{#department.okpo}ОКПО {department.okpo}{/department.okpo}{#department.ogrn} ОГРН {department.ogrn}{/department.ogrn}', { size: 20, align: C }),
    line('{#department.kpp}ИНН/КПП {department.inn}/{department.kpp}{/department.kpp}{^department.kpp}{#department.inn}ИНН {department.inn}{/department.inn}{/department.kpp}', { size: 20, align: C }),
    line('{#department.email}E-mail: {department.email}{/department.email}', { size: 20, align: C, after: 240 }),
    line('{date} № {number}', { size: 24, align: C, after: 120 }),
    line('на № ____________ от ____________', { size: 24, align: C }),
  ];
}

const CELL_BORDER = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
const BORDERS = { top: CELL_BORDER, bottom: CELL_BORDER, left: CELL_BORDER, right: CELL_BORDER };

/** A table cell of 12 pt text (lines of `text` split on «\n» are separate paragraphs). */
export function tableCell(text: string, width: number, o: { bold?: boolean; center?: boolean; span?: number } = {}): TableCell {
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    borders: BORDERS,
    margins: { left: 60, right: 60, top: 20, bottom: 20 },
    ...(o.span ? { columnSpan: o.span } : {}),
    children: text.split('\n').map((t) => new Paragraph({
      alignment: o.center ? AlignmentType.CENTER : AlignmentType.LEFT,
      children: [new TextRun({ text: t, bold: o.bold, font: FONT, size: 24 })],
    })),
  });
}

/** A bordered table with a header row that repeats on every page; no row splits across pages. `rows` are the body
 * rows as cell texts (a loop's tags in the first and last cells make docxtemplater repeat the row). */
export function dataTable(columns: { header: string; mm: number }[], rows: (string[] | { span: string[] })[]): Table {
  const widths = columnWidths(columns);
  const header = new TableRow({ tableHeader: true, cantSplit: true, children: columns.map((c, i) => tableCell(c.header, widths[i] ?? 0, { bold: true, center: true })) });
  const body = rows.map((r) => {
    if (Array.isArray(r)) return new TableRow({ cantSplit: true, children: r.map((t, i) => tableCell(t, widths[i] ?? 0)) });
    // A row of two cells: the first column, and the rest merged (a section heading of a plan).
    const [first = '', rest = ''] = r.span;
    return new TableRow({ cantSplit: true, children: [tableCell(first, widths[0] ?? 0), tableCell(rest, TEXT_WIDTH - (widths[0] ?? 0), { bold: true, span: columns.length - 1 })] });
  });
  return new Table({ width: { size: TEXT_WIDTH, type: WidthType.DXA }, columnWidths: widths, rows: [header, ...body] });
}

/** Widths in twips in proportion to `mm`, but none narrower than its header's longest word (12 pt bold, with the
 * cell margins): «Ответственный» at 27 mm of 165 broke into «Ответствен» / «ный». The room a column takes for its
 * header comes from the columns that have more than they need, in proportion to their widths. */
export function columnWidths(columns: readonly { header: string; mm: number }[]): number[] {
  const total = columns.reduce((s, c) => s + c.mm, 0);
  const min = columns.map((c) => Math.ceil(Math.max(0, ...unbreakable(c.header).map((w) => textWidth(w, 24, true))) * 1.03 + 120 + 40));
  const widths = columns.map((c) => (c.mm / total) * TEXT_WIDTH);
  for (let k = 0; k < columns.length; k++) {
    const short = widths.map((w, i) => Math.max(0, min[i]! - w)).reduce((s, x) => s + x, 0);
    if (short === 0) break;
    const spare = widths.map((w, i) => (w > min[i]! ? w : 0));
    const spareTotal = spare.reduce((s, x) => s + x, 0);
    for (let i = 0; i < widths.length; i++) widths[i] = widths[i]! < min[i]! ? min[i]! : widths[i]! - (short * spare[i]!) / spareTotal;
  }
  return widths.map((w) => Math.floor(w));
}
