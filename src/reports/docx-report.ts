/** «Аналитическая справка» as DOCX (package `docx`) laid out as Russian official documents are (issue 18, «Layout
 * quality»): A4 portrait, Times New Roman 14 pt in the text and 12 pt in tables, page numbers centred in the footer
 * (not on the first page). Table columns are as wide as their content needs (docx-layout.ts): no header word is broken
 * inside; a table too wide for the portrait page gets a landscape section of its own (with its heading and caption),
 * at 11 or 10 pt if 12 pt is still too wide, then with its longest header cells numbered «(1)», «(2)» and explained
 * under it. Rows never split across pages, header rows repeat on every page.
 * Charts as PNG images. Draws the blocks of document.ts. */
import type { IParagraphOptions, ISectionOptions, ParagraphChild } from 'docx';
import {
  AlignmentType, BorderStyle, Document, Footer, HeadingLevel, ImageRun, Packer, PageNumber, PageOrientation, Paragraph, Table, TableCell,
  TableLayoutType, TableRow, TextRun, VerticalAlign, WidthType,
} from 'docx';
import type { AnalysisModel } from '../core/analysis/index.ts';
import type { Chart } from './charts.ts';
import type { Block, Cell } from './document.ts';
import { reportBlocks } from './document.ts';
import { columnNeeds, fitColumns, placeCells } from './docx-layout.ts';

export const FONT = 'Times New Roman';
/** A4 in twips and the content width in pixels at 96 dpi (margins 3 cm left, 1,5 cm right, 2 cm top and bottom). */
export const A4 = { width: 11906, height: 16838, margin: { top: 1134, bottom: 1134, left: 1701, right: 850 } };
const PORTRAIT_WIDTH = A4.width - A4.margin.left - A4.margin.right;
/** A landscape page keeps the margins of the portrait one (the 3 cm binding margin on the left). */
const LANDSCAPE_WIDTH = A4.height - A4.margin.left - A4.margin.right;
const CONTENT_PX = Math.floor((PORTRAIT_WIDTH / 1440) * 96);
/** Table text: 12 pt; a table that does not fit even a landscape page at 12 pt tries 11, then 10 pt. */
const TABLE_SIZES = [24, 22, 20] as const;
const CELL_MARGIN = { top: 30, bottom: 30, left: 60, right: 60 };

const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
export const TABLE_BORDERS = { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border };

const ALIGN = { left: AlignmentType.LEFT, center: AlignmentType.CENTER, right: AlignmentType.RIGHT } as const;

/** Content that must stand on landscape pages: a wide table with the heading and caption that lead to it. */
export class Landscape {
  constructor(readonly children: (Paragraph | Table)[]) {}
}
export type DocxPart = Paragraph | Table | Landscape;

/** Paragraphs that belong with what follows (headings, table captions: `keepNext`) move into a landscape section
 * with it; empty spacing paragraphs are dropped at the top of a section. */
const leads = new WeakSet<Paragraph>();
const spacers = new WeakSet<Paragraph>();

export function para(text: string, opts: { bold?: boolean; italic?: boolean; size?: number; align?: 'left' | 'center' | 'right' | 'both'; indent?: boolean; spacingAfter?: number } = {}, extra: Partial<IParagraphOptions> = {}): Paragraph {
  const p = new Paragraph({
    alignment: opts.align === 'both' ? AlignmentType.JUSTIFIED : opts.align ? ALIGN[opts.align] : AlignmentType.JUSTIFIED,
    spacing: { after: opts.spacingAfter ?? 120, line: 276 },
    ...(opts.indent ? { indent: { firstLine: 709 } } : {}),
    children: [new TextRun({ text, bold: opts.bold ?? false, italics: opts.italic ?? false, font: FONT, size: opts.size ?? 28 })],
    ...extra,
  });
  if (extra.keepNext) leads.add(p);
  if (text === '') spacers.add(p);
  return p;
}

/** A heading that stays with what follows it. */
export function heading(text: string, level: 1 | 2): Paragraph {
  const p = new Paragraph({
    heading: level === 1 ? HeadingLevel.HEADING_1 : HeadingLevel.HEADING_2,
    keepNext: true,
    spacing: { before: 240, after: 120 },
    children: [new TextRun({ text, bold: true, font: FONT, size: level === 1 ? 28 : 26, color: '000000' })],
  });
  leads.add(p);
  return p;
}

interface TableLayout { widths: number[]; size: number; landscape: boolean; labels: Map<Cell, string> }

/** Column widths for the page and the text size they fit at: portrait at 12 pt, else landscape at 12, 11 or 10 pt.
 * When even 10 pt is too wide, the header cells whose words hold their columns widest are replaced by numbers «(1)»,
 * «(2)», … explained under the table, one at a time until the table fits; failing that, the columns are shared in
 * proportion to their longest words. */
function layoutFor(rows: { cell: Cell; header: boolean }[][]): TableLayout {
  const labels = new Map<Cell, string>();
  const needsAt = (size: number) => {
    const { placed, columns } = placeCells(rows.map((r) => r.map((x) => ({ ...x.cell, text: labels.get(x.cell) ?? x.cell.text, bold: x.cell.bold ?? x.header }))));
    return columnNeeds(placed, columns, size, CELL_MARGIN.left + CELL_MARGIN.right);
  };
  const portrait = fitColumns(needsAt(TABLE_SIZES[0]), PORTRAIT_WIDTH);
  if (portrait) return { widths: portrait, size: TABLE_SIZES[0], landscape: false, labels };
  for (const size of TABLE_SIZES) {
    const widths = fitColumns(needsAt(size), LANDSCAPE_WIDTH);
    if (widths) return { widths, size, landscape: true, labels };
  }
  const size = TABLE_SIZES[TABLE_SIZES.length - 1]!;
  const { placed } = placeCells(rows.map((r) => r.map((x) => x.cell)));
  const headerCells = placed.filter((p) => p.span === 1 && rows[p.row]?.[0]?.header && /\p{L}/u.test(p.cell.text));
  for (;;) {
    const before = needsAt(size);
    const widths = fitColumns(before, LANDSCAPE_WIDTH);
    if (widths) return { widths, size, landscape: true, labels };
    // The header cell whose replacement by a number narrows the table most.
    let best: { cell: Cell; gain: number } | null = null;
    for (const p of headerCells.filter((x) => !labels.has(x.cell))) {
      labels.set(p.cell, `(${labels.size + 1})`);
      const gain = (before.min[p.col] ?? 0) - (needsAt(size).min[p.col] ?? 0);
      labels.delete(p.cell);
      if (gain > 0 && (!best || gain > best.gain)) best = { cell: p.cell, gain };
    }
    if (!best) break;
    labels.set(best.cell, `(${labels.size + 1})`);
  }
  const min = needsAt(size).min;
  const total = min.reduce((s, x) => s + x, 0);
  return { widths: min.map((x) => Math.floor((x * LANDSCAPE_WIDTH) / total)), size, landscape: true, labels };
}

/** A bordered table: header rows repeated on every page, no row split across pages, columns from the content. A table
 * too wide for the portrait page comes back as a `Landscape` part (with the legend of numbered header cells). */
export function table(head: Cell[][], body: Cell[][]): Table | Landscape {
  const rows = [...head.map((r) => r.map((cell) => ({ cell, header: true }))), ...body.map((r) => r.map((cell) => ({ cell, header: false })))];
  const { widths, size, landscape, labels } = layoutFor(rows);
  const { placed } = placeCells(rows.map((r) => r.map((x) => x.cell)));
  const at = new Map(placed.map((p) => [p.cell, p]));
  const cell = (x: Cell, header: boolean) => {
    const p = at.get(x);
    const width = p ? widths.slice(p.col, p.col + p.span).reduce((s, w) => s + w, 0) : 0;
    return new TableCell({
      ...(x.colSpan ? { columnSpan: x.colSpan } : {}),
      ...(x.rowSpan ? { rowSpan: x.rowSpan } : {}),
      width: { size: width, type: WidthType.DXA },
      ...(header ? { verticalAlign: VerticalAlign.CENTER } : {}),
      children: (labels.get(x) ?? x.text).split('\n').map(
        (line) =>
          new Paragraph({
            alignment: ALIGN[x.align ?? (header ? 'center' : 'left')],
            children: [new TextRun({ text: line, bold: x.bold ?? header, font: FONT, size })],
          }),
      ),
    });
  };
  const t = new Table({
    width: { size: widths.reduce((s, w) => s + w, 0), type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    borders: TABLE_BORDERS,
    margins: CELL_MARGIN,
    rows: [
      ...head.map((row) => new TableRow({ tableHeader: true, cantSplit: true, children: row.map((x) => cell(x, true)) })),
      ...body.map((row) => new TableRow({ cantSplit: true, children: row.map((x) => cell(x, false)) })),
    ],
  });
  if (!landscape) return t;
  const legend = [...labels].map(([c, label]) => `${label} — ${c.text.replace(/\s+/g, ' ')}`);
  return new Landscape(legend.length ? [t, para(`Графы таблицы: ${legend.join('; ')}.`, { size: 24, spacingAfter: 60, align: 'left' }, { spacing: { before: 60, after: 60 } })] : [t]);
}

export function image(chart: Chart): Paragraph {
  const width = Math.min(CONTENT_PX, chart.width);
  const height = Math.round((chart.height * width) / chart.width);
  const children: ParagraphChild[] = [new ImageRun({ type: 'png', data: chart.png, transformation: { width, height } })];
  return new Paragraph({ alignment: AlignmentType.CENTER, children });
}

export function blocksToDocx(blocks: readonly Block[], charts: readonly Chart[]): DocxPart[] {
  const out: DocxPart[] = [];
  const byId = new Map(charts.map((x) => [x.id, x]));
  for (const b of blocks) {
    switch (b.kind) {
      case 'title':
        b.lines.forEach((line, i) => out.push(para(line, { bold: i <= 1, align: 'center', size: i === 1 ? 32 : 28, spacingAfter: 80 })));
        out.push(para('', { spacingAfter: 200 }));
        break;
      case 'heading':
        out.push(heading(b.text, b.level));
        break;
      case 'paragraph':
        out.push(para(b.text, { italic: b.italic ?? false, indent: true }));
        break;
      case 'list':
        b.items.forEach((item, i) => out.push(para(`${b.numbered ? `${i + 1}. ` : '— '}${item.text}`, { indent: true, ...(b.small ? { size: 24, spacingAfter: 40 } : {}) })));
        break;
      case 'table':
        out.push(para(b.caption, { italic: true, align: 'right', size: 24, spacingAfter: 60 }, { keepNext: true }));
        out.push(table(b.head, b.body));
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

/** Page number centred in the footer, 12 pt. */
const pageNumberFooter = () =>
  new Footer({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: [PageNumber.CURRENT], font: FONT, size: 24 })] })] });

/** Sections of the parts: portrait runs and landscape parts, each on its own pages. The headings and captions that
 * end a portrait run before a landscape part move onto its first page; a run left with nothing but empty spacing
 * paragraphs is no section at all (it would be a blank page). Consecutive landscape parts share one section. */
export function sections(parts: readonly DocxPart[]): ISectionOptions[] {
  const runs: { landscape: boolean; children: (Paragraph | Table)[] }[] = [];
  for (const part of parts) {
    const last = runs[runs.length - 1];
    if (part instanceof Landscape) {
      const moved: (Paragraph | Table)[] = [];
      while (last && !last.landscape) {
        const tail = last.children[last.children.length - 1];
        if (!(tail instanceof Paragraph) || !leads.has(tail)) break;
        moved.unshift(last.children.pop()!);
      }
      if (last?.landscape) last.children.push(...moved, ...part.children);
      else runs.push({ landscape: true, children: [...moved, ...part.children] });
    } else if (last && (!last.landscape || (part instanceof Paragraph && spacers.has(part)))) last.children.push(part);
    else runs.push({ landscape: false, children: [part] });
  }
  const kept = runs
    .map((r) => ({ ...r, children: dropLeadingSpacers(r.children) }))
    .filter((r) => r.children.some((x) => !(x instanceof Paragraph) || !spacers.has(x)));
  return kept.map((r, i) => ({
    properties: {
      page: {
        size: { width: A4.width, height: A4.height, ...(r.landscape ? { orientation: PageOrientation.LANDSCAPE } : {}) },
        margin: A4.margin,
      },
      ...(i === 0 ? { titlePage: true } : {}),
    },
    footers: i === 0 ? { default: pageNumberFooter(), first: new Footer({ children: [] }) } : { default: pageNumberFooter() },
    children: r.children,
  }));
}

function dropLeadingSpacers(children: (Paragraph | Table)[]): (Paragraph | Table)[] {
  let k = 0;
  while (k < children.length - 1 && children[k] instanceof Paragraph && spacers.has(children[k] as Paragraph)) k++;
  return children.slice(k);
}

export function docxDocument(children: readonly DocxPart[], title: string): Document {
  return new Document({
    creator: 'МСОКО',
    title,
    styles: { default: { document: { run: { font: FONT, size: 28 } } } },
    sections: sections(children),
  });
}

export async function renderDocxReport(model: AnalysisModel, charts: readonly Chart[], options: { overrides?: Record<string, string>; warnings?: readonly string[] } = {}): Promise<Buffer> {
  const blocks = reportBlocks(model, options.overrides ?? {}, options.warnings ?? []);
  return Packer.toBuffer(docxDocument(blocksToDocx(blocks, charts), `Аналитическая справка: ${model.meta.title}`));
}
