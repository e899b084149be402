/** Seed 004's Table № 1 («Перечень критериев и показателей») rebuilt as a Word table (vertical merges of №, criterion
 * and target over the band rows, horizontal merges of the section and maximum rows, a second unrelated table after it)
 * and as an Excel sheet with merged ranges — the files the criteria import reads in the integration and e2e tests. */
import { Document, Packer, Paragraph, Table, TableCell, TableRow, VerticalMergeType } from 'docx';
import ExcelJS from 'exceljs';

/** Table № 1 of seed 004 as printed; the five levels of 2.1 carry the bounds the report's text gives them. */
const SECTIONS: { no: string; title: string; indicators: { title: string; target: string; bands: [string, string][] }[] }[] = [
  {
    no: '1.', title: 'Выявление потребности в области дополнительного образования детей (max 3 балла):',
    indicators: [{
      title: '1.1. Доля обучающихся, принявших участие в анкетировании для выявления потребностей в дополнительном образовании',
      target: '-', bands: [['более 25%', '3'], ['от 20% до 25%', '2'], ['от 10% до 19%', '1'], ['от 0% до 9%', '0']],
    }],
  },
  {
    no: '2.', title: 'Охват обучающихся дополнительным образованием (max 6 баллов):',
    indicators: [
      {
        title: '2.1. Индекс многообразия программ дополнительного образования детей (в расчете на 100 человек)', target: '-',
        bands: [['высокий (от 7,6 до 10)', '3'], ['выше среднего (от 5,1 до 7,5)', '2'], ['средний (от 2,6 до 5,0)', '1'], ['ниже среднего (от 1,6 до 2,5)', '0,5'], ['низкий (от 0 до 1,5)', '0']],
      },
      {
        title: '2.2. Доля обучающихся, охваченных программами дополнительного образования', target: '75%',
        bands: [['от 88,0% до 100%', '3'], ['от 76,0% до 87,9%', '2'], ['от 75,0% до 75,9%', '1'], ['от 0% до 74,9%', '0']],
      },
    ],
  },
  {
    no: '3.', title: 'Удовлетворенность получателей образовательных услуг дополнительным образованием (max 6 баллов):',
    indicators: [
      {
        title: '3.1. Доля родителей (законных представителей), принявших участие в онлайн-опросе об удовлетворенности дополнительным образованием',
        target: '-', bands: [['более 25%', '3'], ['от 20% до 25%', '2'], ['от 10% до 19%', '1'], ['от 0% до 9%', '0']],
      },
      {
        title: '3.2. Индекс лояльности получателей образовательных услуг дополнительного образования детей', target: '-',
        bands: [['высокий', '3'], ['выше среднего', '2'], ['средний', '1'], ['ниже среднего', '0,5'], ['низкий', '0']],
      },
    ],
  },
];
const HEADER = ['№ п/п', 'Критерии и показатели', 'Целевой показатель', 'Индикаторы', 'Баллы'];

export async function buildDocx(badBand?: string): Promise<Buffer> {
  const cell = (text: string, extra: { columnSpan?: number; verticalMerge?: (typeof VerticalMergeType)[keyof typeof VerticalMergeType] } = {}) =>
    new TableCell({ children: [new Paragraph(text)], ...extra });
  const rows: TableRow[] = [new TableRow({ children: HEADER.map((h) => cell(h)), tableHeader: true })];
  for (const s of SECTIONS) {
    rows.push(new TableRow({ children: [cell(s.no), cell(s.title, { columnSpan: 4 })] }));
    for (const ind of s.indicators)
      ind.bands.forEach(([band, points], i) => {
        const merge = i === 0 ? VerticalMergeType.RESTART : VerticalMergeType.CONTINUE;
        const text = badBand && ind.title.startsWith('2.2') && i === 1 ? badBand : band;
        rows.push(new TableRow({
          children: [cell('', { verticalMerge: merge }), cell(i === 0 ? ind.title : '', { verticalMerge: merge }), cell(i === 0 ? ind.target : '', { verticalMerge: merge }), cell(text), cell(points)],
        }));
      });
  }
  rows.push(new TableRow({ children: [cell('Максимальное количество баллов:', { columnSpan: 4 }), cell('15')] }));
  const other = new Table({ rows: [new TableRow({ children: ['№', 'ОУ', 'Техническая'].map((h) => cell(h)) }), new TableRow({ children: ['1', 'ОУ', '353'].map((h) => cell(h)) })] });
  const doc = new Document({
    sections: [{
      children: [
        new Paragraph('Перечень критериев и показателей, используемых при мониторинге по охвату обучающихся дополнительным образованием'),
        new Paragraph('Таблица № 1'),
        new Table({ rows }),
        new Paragraph('При обработке результатов мониторинга использовались следующие методы.'),
        other,
      ],
    }],
  });
  return Packer.toBuffer(doc);
}

export async function buildXlsx(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('Пояснения').addRow(['Таблица № 1 — на листе «Критерии»']);
  const ws = wb.addWorksheet('Критерии');
  ws.addRow(['Таблица № 1. Перечень критериев и показателей']);
  ws.mergeCells('A1:E1');
  ws.addRow(HEADER);
  for (const s of SECTIONS) {
    const r = ws.addRow([s.no, s.title]).number;
    ws.mergeCells(`B${r}:E${r}`);
    for (const ind of s.indicators) {
      const first = ws.rowCount + 1;
      ind.bands.forEach(([band, points], i) => ws.addRow(i === 0 ? ['', ind.title, ind.target, band, Number(points.replace(',', '.'))] : [null, null, null, band, Number(points.replace(',', '.'))]));
      const last = ws.rowCount;
      for (const col of ['A', 'B', 'C']) ws.mergeCells(`${col}${first}:${col}${last}`);
    }
  }
  const r = ws.addRow(['Максимальное количество баллов:', null, null, null, 15]).number;
  ws.mergeCells(`A${r}:D${r}`);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
