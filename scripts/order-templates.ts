/** Built-in templates of the orders and of the letter with addressed recommendations (issue 18), written by
 * scripts/build-templates.ts. The orders follow seed 001: the parent body and the department centred, «П Р И К А З»,
 * the date left and «№ …» right, the title in bold, the preamble, «ПРИКАЗЫВАЮ:», the numbered points, the signature
 * (position left, name right); every appendix starts a new page under «Приложение № N к приказу от … № …» at the
 * right. Tables (passport, plan of events, recommendations) repeat their header row on every page and never split a
 * row across pages; Times New Roman 14 in the text, 12 in tables. */
import { AlignmentType, Document } from 'docx';
import { FONT, MM, dataTable, letterRequisites, letterheadRequisites, line, signatureAndExecutor, pageProperties, twoColumns } from './template-layout.ts';

const C = AlignmentType.CENTER;
const J = AlignmentType.JUSTIFIED;
const R = AlignmentType.RIGHT;

function page(title: string, children: ConstructorParameters<typeof Document>[0]['sections'][number]['children']): Document {
  return new Document({
    creator: 'МСОКО',
    title,
    styles: { default: { document: { run: { font: FONT, size: 28 } } } },
    sections: [{ ...pageProperties(), children }],
  });
}

/** Heading, title, preamble, «ПРИКАЗЫВАЮ:», points and signature: the first page of both orders. */
function orderBody() {
  return [
    ...letterheadRequisites(),
    line('П Р И К А З', { bold: true, align: C, after: 240, size: 32 }),
    twoColumns([line('{date}')], [line('№ {number}', { align: R })], Math.round(80 * MM)),
    line('', { after: 240 }),
    line('{title}', { bold: true, align: C, after: 240 }),
    line('{preamble}', { align: J, indent: true, after: 120 }),
    line('ПРИКАЗЫВАЮ:', { bold: true, after: 120 }),
    line('{#paragraphs}'),
    line('{text}', { align: J, indent: true }),
    line('{/paragraphs}'),
    line('', { after: 480 }),
    twoColumns([line('{department.headPosition}')], [line('{department.headName}', { align: R })], Math.round(100 * MM)),
  ];
}

/** «Приложение № N к приказу от … № …» at the right, on a new page. */
function appendixHeading(no: string) {
  return [
    line(`Приложение № ${no}`, { align: R, pageBreakBefore: true, size: 24 }),
    line('к приказу от {date} № {number}', { align: R, size: 24, after: 240 }),
  ];
}

export function orderApproval(): Document {
  return page('Приказ об утверждении паспортов и дорожных карт', [
    ...orderBody(),
    line('{#appendices}'),
    ...appendixHeading('{appendixNo}'),
    line('{passportTitle}', { bold: true, align: C, after: 120, keepNext: true }),
    dataTable([{ header: 'Раздел паспорта', mm: 50 }, { header: 'Содержание', mm: 115 }], [['{#passport}{label}', '{value}{/passport}']]),
    line('', { after: 240 }),
    line('{roadmapTitle}', { bold: true, align: C, after: 120, keepNext: true }),
    dataTable(
      [{ header: '№ п/п', mm: 12 }, { header: 'Наименование мероприятия', mm: 58 }, { header: 'Сроки', mm: 28 }, { header: 'Ответственный исполнитель', mm: 32 }, { header: 'Ожидаемый результат', mm: 35 }],
      [{ span: ['{#rows}{#section}', '{section}{/section}'] }, ['{#event}{no}', '{name}', '{deadline}', '{executor}', '{result}{/event}{/rows}']],
    ),
    line('{/appendices}'),
  ]);
}

const RECOMMENDATION_COLUMNS = [
  { header: '№ п/п', mm: 11 }, { header: 'Организация', mm: 30 }, { header: 'Рекомендация', mm: 52 }, { header: 'Показатель', mm: 30 },
  { header: 'Срок', mm: 20 }, { header: 'Ответственный', mm: 27 },
];

export function orderResults(): Document {
  return page('Приказ по итогам мониторинга', [
    ...orderBody(),
    ...appendixHeading('1'),
    line('{appendixTitle}', { bold: true, align: C, after: 120, keepNext: true }),
    dataTable(RECOMMENDATION_COLUMNS, [['{#recommendations}{no}', '{organisation}', '{text}', '{indicator}', '{due}', '{responsible}{/recommendations}']]),
  ]);
}

export function recommendationsLetter(): Document {
  return page('Письмо с адресными рекомендациями', [
    twoColumns(letterRequisites(), [line('', { after: 480 }), line('{addressee}')], Math.round(85 * MM)),
    line('', { after: 240 }),
    line('{title}', { bold: true, after: 240 }),
    line('{#paragraphs}'),
    line('{text}', { align: J, indent: true }),
    line('{/paragraphs}'),
    line('', { after: 120 }),
    dataTable(
      [{ header: '№ п/п', mm: 12 }, { header: 'Рекомендация', mm: 80 }, { header: 'Показатель', mm: 45 }, { header: 'Срок', mm: 28 }],
      [['{#recommendations}{no}', '{text}', '{indicator}', '{due}{/recommendations}']],
    ),
    ...signatureAndExecutor(),
  ]);
}
