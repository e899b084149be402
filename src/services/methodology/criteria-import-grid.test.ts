import { describe, expect, it } from 'vitest';
import { docxTables } from './criteria-import-grid.ts';

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const tc = (text: string, pr = '') => `<w:tc>${pr ? `<w:tcPr>${pr}</w:tcPr>` : ''}<w:p><w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p></w:tc>`;
const tr = (...cells: string[]) => `<w:tr>${cells.join('')}</w:tr>`;

describe('DOCX: таблицы word/document.xml как сетка текста', () => {
  it('gridSpan — текст и пустые ячейки; vMerge continue — пустая ячейка; абзацы и разрывы ячейки — через пробел', () => {
    const xml = `<w:document ${W}><w:body>
      <w:p><w:r><w:t>Таблица № 1</w:t></w:r></w:p>
      <w:tbl>
        ${tr(tc('№'), tc('Критерии &amp; показатели'), tc('Баллы'))}
        ${tr(tc('1.'), tc('Раздел (max 3 балла)', '<w:gridSpan w:val="2"/>'))}
        ${tr(tc('', '<w:vMerge w:val="restart"/>'), `<w:tc><w:p><w:r><w:t>1.1. Доля</w:t><w:br/><w:t>обучающихся</w:t></w:r></w:p><w:p><w:r><w:t>(в %)</w:t></w:r></w:p></w:tc>`, tc('3'))}
        ${tr(tc('', '<w:vMerge/>'), tc('', '<w:vMerge/>'), tc('2'))}
        <w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>${tc('Итого')}${tc('3')}</w:tr>
      </w:tbl>
      <w:tbl>${tr(tc('a'), tc('b'), tc('c'))}</w:tbl>
      <w:p><w:r><w:t>Текст между таблицами</w:t></w:r></w:p>
      <w:tbl>${tr(tc('x'), `<w:tc><w:tbl>${tr(tc('вложенная'))}</w:tbl><w:p/></w:tc>`)}</w:tbl>
    </w:body></w:document>`;
    const tables = docxTables(xml);
    expect(tables.map((t) => t.textBefore)).toEqual([true, false, true, false]);
    expect(tables[0]?.rows).toEqual([
      ['№', 'Критерии & показатели', 'Баллы'],
      ['1.', 'Раздел (max 3 балла)', ''],
      ['', '1.1. Доля обучающихся (в %)', '3'],
      ['', '', '2'],
      ['', 'Итого', '3'],
    ]);
    expect(tables[1]?.rows).toEqual([['a', 'b', 'c']]);
    expect(tables[2]?.rows).toEqual([['x', '']]);
    expect(tables[3]?.rows).toEqual([['вложенная']]);
  });
});
