/** «Аналитическая справка» as DOCX (package `docx`): A4, Times New Roman 14 pt text and 10–11 pt tables with borders,
 * charts as PNG images. Draws the blocks of document.ts. */
import type { IParagraphOptions, ParagraphChild } from 'docx';
import { AlignmentType, BorderStyle, Document, HeadingLevel, ImageRun, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import type { AnalysisModel } from '../core/analysis/index.ts';
import type { Chart } from './charts.ts';
import type { Block, Cell } from './document.ts';
import { reportBlocks } from './document.ts';

export const FONT = 'Times New Roman';
/** A4 in twips and the content width in pixels at 96 dpi (margins 3 cm left, 1,5 cm right). */
export const A4 = { width: 11906, height: 16838, margin: { top: 1134, bottom: 1134, left: 1701, right: 850 } };
const CONTENT_PX = Math.floor(((A4.width - A4.margin.left - A4.margin.right) / 1440) * 96);

const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
export const TABLE_BORDERS = { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border };

const ALIGN = { left: AlignmentType.LEFT, center: AlignmentType.CENTER, right: AlignmentType.RIGHT } as const;

export function para(text: string, opts: { bold?: boolean; italic?: boolean; size?: number; align?: 'left' | 'center' | 'right' | 'both'; indent?: boolean; spacingAfter?: number } = {}, extra: Partial<IParagraphOptions> = {}): Paragraph {
  return new Paragraph({
    alignment: opts.align === 'both' ? AlignmentType.JUSTIFIED : opts.align ? ALIGN[opts.align] : AlignmentType.JUSTIFIED,
    spacing: { after: opts.spacingAfter ?? 120, line: 276 },
    ...(opts.indent ? { indent: { firstLine: 709 } } : {}),
    children: [new TextRun({ text, bold: opts.bold ?? false, italics: opts.italic ?? false, font: FONT, size: opts.size ?? 28 })],
    ...extra,
  });
}

export function table(head: Cell[][], body: Cell[][], widths: number[], small: boolean): Table {
  const total = widths.reduce((s, w) => s + w, 0) || 1;
  const size = small ? 20 : 22;
  const cell = (x: Cell, header: boolean) =>
    new TableCell({
      ...(x.colSpan ? { columnSpan: x.colSpan } : {}),
      ...(x.rowSpan ? { rowSpan: x.rowSpan } : {}),
      children: x.text.split('\n').map(
        (line) =>
          new Paragraph({
            alignment: ALIGN[x.align ?? (header ? 'center' : 'left')],
            children: [new TextRun({ text: line, bold: x.bold ?? header, font: FONT, size })],
          }),
      ),
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    columnWidths: widths.map((w) => Math.round(((A4.width - A4.margin.left - A4.margin.right) * w) / total)),
    borders: TABLE_BORDERS,
    margins: { top: 30, bottom: 30, left: 60, right: 60 },
    rows: [
      ...head.map((row) => new TableRow({ tableHeader: true, children: row.map((x) => cell(x, true)) })),
      ...body.map((row) => new TableRow({ children: row.map((x) => cell(x, false)) })),
    ],
  });
}

export function image(chart: Chart): Paragraph {
  const width = Math.min(CONTENT_PX, chart.width);
  const height = Math.round((chart.height * width) / chart.width);
  const children: ParagraphChild[] = [new ImageRun({ type: 'png', data: chart.png, transformation: { width, height } })];
  return new Paragraph({ alignment: AlignmentType.CENTER, children });
}

export function blocksToDocx(blocks: readonly Block[], charts: readonly Chart[]): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [];
  const byId = new Map(charts.map((x) => [x.id, x]));
  for (const b of blocks) {
    switch (b.kind) {
      case 'title':
        b.lines.forEach((line, i) => out.push(para(line, { bold: i <= 1, align: 'center', size: i === 1 ? 32 : 28, spacingAfter: 80 })));
        out.push(para('', { spacingAfter: 200 }));
        break;
      case 'heading':
        out.push(
          new Paragraph({
            heading: b.level === 1 ? HeadingLevel.HEADING_1 : HeadingLevel.HEADING_2,
            keepNext: true,
            spacing: { before: 240, after: 120 },
            children: [new TextRun({ text: b.text, bold: true, font: FONT, size: b.level === 1 ? 28 : 26, color: '000000' })],
          }),
        );
        break;
      case 'paragraph':
        out.push(para(b.text, { italic: b.italic ?? false, indent: true }));
        break;
      case 'list':
        b.items.forEach((item, i) => out.push(para(`${b.numbered ? `${i + 1}. ` : '— '}${item.text}`, { indent: true, ...(b.small ? { size: 22, spacingAfter: 40 } : {}) })));
        break;
      case 'table':
        out.push(para(b.caption, { italic: true, align: 'right', size: 24, spacingAfter: 60 }, { keepNext: true }));
        out.push(table(b.head, b.body, b.widths, b.small ?? false));
        out.push(para('', { spacingAfter: 120 }));
        break;
      case 'chart': {
        const ch = byId.get(b.chartId);
        if (!ch) break;
        out.push(image(ch));
        out.push(para(b.caption, { italic: true, align: 'center', size: 24 }));
        break;
      }
    }
  }
  return out;
}

export function docxDocument(children: (Paragraph | Table)[], title: string): Document {
  return new Document({
    creator: 'МСОКО',
    title,
    styles: { default: { document: { run: { font: FONT, size: 28 } } } },
    sections: [{ properties: { page: { size: { width: A4.width, height: A4.height }, margin: A4.margin } }, children }],
  });
}

export async function renderDocxReport(model: AnalysisModel, charts: readonly Chart[], options: { overrides?: Record<string, string>; warnings?: readonly string[] } = {}): Promise<Buffer> {
  const blocks = reportBlocks(model, options.overrides ?? {}, options.warnings ?? []);
  return Packer.toBuffer(docxDocument(blocksToDocx(blocks, charts), `Аналитическая справка: ${model.meta.title}`));
}
