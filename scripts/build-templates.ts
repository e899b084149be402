/** Writes the built-in document templates to library/templates/ (issue 18): `npx tsx scripts/build-templates.ts`.
 * The information letter on a department letterhead after ГОСТ Р 7.0.97-2016: the requisites block top left (parent
 * body, department, address, phone, e-mail, ОКПО/ОГРН, ИНН/КПП, date and number, «на № … от …»), the addressee top
 * right, the title «О проведении мониторинга …», the body (one paragraph per item of `paragraphs`), the signature block
 * (position left, name right) and the executor at the bottom; Times New Roman 14, A4, margins 30/15/20/20 mm.
 * Placeholders are docxtemplater tags (src/core/documents/template-tags.ts lists them); the file is committed, so the
 * server never builds it at run time. */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  AlignmentType,
  BorderStyle,
  Document,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
} from 'docx';

const FONT = 'Times New Roman';
const MM = 56.7; // twips per millimetre
const A4 = { width: 11906, height: 16838 };
const MARGIN = { left: Math.round(30 * MM), right: Math.round(15 * MM), top: Math.round(20 * MM), bottom: Math.round(20 * MM) };
const TEXT_WIDTH = A4.width - MARGIN.left - MARGIN.right;
const NONE = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
const NO_BORDERS = { top: NONE, bottom: NONE, left: NONE, right: NONE, insideHorizontal: NONE, insideVertical: NONE };

interface LineOpts { bold?: boolean; caps?: boolean; size?: number; align?: (typeof AlignmentType)[keyof typeof AlignmentType]; after?: number; indent?: boolean }

function line(text: string, o: LineOpts = {}): Paragraph {
  return new Paragraph({
    alignment: o.align ?? AlignmentType.LEFT,
    spacing: { after: o.after ?? 0, line: 240 },
    ...(o.indent ? { indent: { firstLine: Math.round(12.5 * MM) } } : {}),
    children: [new TextRun({ text, bold: o.bold, allCaps: o.caps, font: FONT, size: o.size ?? 28 })],
  });
}

function cell(children: Paragraph[], widthTwips: number): TableCell {
  return new TableCell({ children, width: { size: widthTwips, type: WidthType.DXA }, borders: NO_BORDERS, verticalAlign: VerticalAlign.TOP });
}

function twoColumns(left: Paragraph[], right: Paragraph[], leftWidth: number): Table {
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [leftWidth, TEXT_WIDTH - leftWidth],
    borders: NO_BORDERS,
    rows: [new TableRow({ children: [cell(left, leftWidth), cell(right, TEXT_WIDTH - leftWidth)] })],
  });
}

function letter(): Document {
  const C = AlignmentType.CENTER;
  const requisites = [
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
  const addressee = [line('', { after: 480 }), line('{addressee}')];
  return new Document({
    creator: 'МСОКО',
    title: 'Информационное письмо',
    styles: { default: { document: { run: { font: FONT, size: 28 } } } },
    sections: [{
      properties: { page: { size: A4, margin: MARGIN } },
      children: [
        twoColumns(requisites, addressee, Math.round(85 * MM)),
        line('', { after: 240 }),
        line('{title}', { bold: true, after: 240 }),
        line('{#paragraphs}'),
        line('{text}', { align: AlignmentType.JUSTIFIED, indent: true }),
        line('{/paragraphs}'),
        line('', { after: 480 }),
        twoColumns([line('{department.headPosition}')], [line('{department.headName}', { align: AlignmentType.RIGHT })], Math.round(100 * MM)),
        line('', { after: 960 }),
        line('{department.executorName}', { size: 20 }),
        line('{department.executorPhone}', { size: 20 }),
      ],
    }],
  });
}

const out = fileURLToPath(new URL('../library/templates/letter.docx', import.meta.url));
await writeFile(out, await Packer.toBuffer(letter()));
process.stdout.write(`записано: ${out}\n`);
