/** SYNTHETIC: seed 004's справка rebuilt as a Word document for the printed-report import tests — not the real file.
 * The layout follows the seed (shared/seeds/004…, shared/fixtures/seed-004): a survey table first, then Table № 3 («№
 * п/п», «Наименование ОУ», «Численность детей в ОУ» merged vertically over two header rows, «Индекс многообразия
 * программ ДО» spanning «Количество программ ДО детей», «Индекс многообразия программ ДО детей» and the level column
 * with no header, 51 rows as printed — «2,3», «ниже среднего» — and the «итого» row 588, 5,6, «Выше среднего»), then
 * Table № 4 (levels by type, merged headers). `change` replaces cells of a row by organisation name (bad input). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Document, Packer, Paragraph, Table, TableCell, TableRow, VerticalMergeType } from 'docx';

const SEED = fileURLToPath(new URL('../../../shared/fixtures/seed-004/organisations.csv', import.meta.url));

export interface Seed004Row { no: number; name: string; students: string; programmes: string; index: string; level: string }

/** organisations.csv as the report printed it: index with a decimal comma, the level as written. */
export function seed004Rows(): Seed004Row[] {
  const [, ...lines] = readFileSync(SEED, 'utf8').trim().split(/\r?\n/);
  return lines.map((l) => {
    const [no, name, , students, programmes, index, level] = l.split(',');
    return { no: Number(no), name: name!, students: students!, programmes: programmes!, index: index!.replace('.', ','), level: level! };
  });
}

type Merge = (typeof VerticalMergeType)[keyof typeof VerticalMergeType];
const cell = (text: string, extra: { columnSpan?: number; verticalMerge?: Merge } = {}) => new TableCell({ children: [new Paragraph(text)], ...extra });
const row = (cells: TableCell[], header = false) => new TableRow({ children: cells, tableHeader: header });

export async function buildSeed004Report(change: Record<string, Partial<Record<'name' | 'index' | 'level', string>>> = {}, extraRows: string[][] = []): Promise<Buffer> {
  const survey = new Table({
    rows: [
      row(['№', 'ОУ', 'Техническая', 'художественная', 'социально-гуманитарная'].map((t) => cell(t)), true),
      row(['1', 'ОУ', '353', '1563', '4940'].map((t) => cell(t))),
      row(['2', 'ДОУ', '14', '578', '1636'].map((t) => cell(t))),
    ],
  });
  const R = VerticalMergeType.RESTART;
  const C = VerticalMergeType.CONTINUE;
  const table3: TableRow[] = [
    row([cell('№ п/п', { verticalMerge: R }), cell('Наименование ОУ', { verticalMerge: R }), cell('Численность детей в ОУ', { verticalMerge: R }), cell('Индекс многообразия программ ДО', { columnSpan: 3 })], true),
    row([cell('', { verticalMerge: C }), cell('', { verticalMerge: C }), cell('', { verticalMerge: C }), cell('Количество программ ДО детей'), cell('Индекс многообразия программ ДО детей'), cell('')], true),
  ];
  for (const r of seed004Rows()) {
    const c = change[r.name] ?? {};
    table3.push(row([`${r.no}.`, c.name ?? r.name, r.students, r.programmes, c.index ?? r.index, c.level ?? r.level].map((t) => cell(t))));
  }
  for (const extra of extraRows) table3.push(row(extra.map((t) => cell(t))));
  table3.push(row(['', 'итого', '', '588', '5,6', 'Выше среднего'].map((t) => cell(t))));
  const table4 = new Table({
    rows: [
      row([cell('№ п/п', { verticalMerge: R }), cell('Индекс многообразия программ ДО детей', { verticalMerge: R }), cell('Количество', { columnSpan: 4 }), cell('Итого:', { columnSpan: 2 })], true),
      row([cell('', { verticalMerge: C }), cell('', { verticalMerge: C }), cell('ОО', { columnSpan: 2 }), cell('ДОУ', { columnSpan: 2 }), cell('', { columnSpan: 2 })], true),
      row(['', '', 'количество', 'доля', 'количество', 'доля', 'количество', 'доля'].map((t) => cell(t)), true),
      row(['1.', 'Высокий', '9', '17,6%', '1', '2', '10', '20%'].map((t) => cell(t))),
      row(['2.', 'Выше среднего', '5', '11,8', '11', '23,5', '16', '35%'].map((t) => cell(t))),
    ],
  });
  const doc = new Document({
    sections: [{
      children: [
        new Paragraph('СИНТЕТИЧЕСКИЙ ДОКУМЕНТ ДЛЯ ТЕСТОВ: аналитическая справка по итогам мониторинга (по образцу протокола № 6 от 30.06.2022)'),
        survey,
        new Paragraph('При определении индекса использовался единый подход перевода в шкалу, соответствующую пяти уровням.'),
        new Paragraph('Таблица № 3'),
        new Table({ rows: table3 }),
        new Paragraph('Таблица № 4'),
        table4,
      ],
    }],
  });
  return Packer.toBuffer(doc);
}
