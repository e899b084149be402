import { Packer } from 'docx';
import { describe, expect, it } from 'vitest';
import type { Cell } from '../../reports/document.ts';
import { docxDocument, para, table } from '../../reports/docx-report.ts';
import { bodyXml, generatedBody, textWidth } from './docx-body.ts';

const h = (text: string): Cell => ({ text, bold: true });
/** A template's section: A4, margins 25 mm left and right (text 8 072 twips, narrower than msoko's 9 355), its
 * footers and a different first page. */
const TEMPLATE = '<w:sectPr><w:footerReference w:type="default" r:id="rId9"/><w:footerReference w:type="first" r:id="rId10"/><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1417" w:bottom="1134" w:left="2417" w:header="709" w:footer="709" w:gutter="0"/><w:pgNumType w:start="3"/><w:titlePg/></w:sectPr>';

async function generated() {
  const narrow = table([[h('Организация'), h('Значение')]], [[{ text: 'Школа № 1' }, { text: '78,9 %' }]]);
  const wide = table([Array.from({ length: 14 }, (_, i) => h(`Показатель-${i + 1} среднего уровня`))], [Array.from({ length: 14 }, () => ({ text: '1' }))]);
  return generatedBody(await Packer.toBuffer(docxDocument([para('Начало'), narrow, para('Широкая таблица', {}, { keepNext: true }), wide, para('Конец'), narrow], 'Тест')));
}

const sections = (xml: string) => [...xml.matchAll(/<w:sectPr\b[\s\S]*?<\/w:sectPr>/g)].map((m) => m[0]);
const tables = (xml: string) => [...xml.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>/g)].map((m) => [...m[0].matchAll(/<w:gridCol w:w="(\d+)"/g)].reduce((s, g) => s + Number(g[1]), 0));

describe('the generated body in a template at {@body}', () => {
  it('reads the generated document: its section breaks stay in the body, the last section goes', async () => {
    const body = await generated();
    expect(sections(body.xml).map((s) => (/landscape/.test(s) ? 'landscape' : 'portrait'))).toEqual(['portrait', 'landscape']);
    expect(body.lastLandscape).toBe(false);
    expect(body.textWidth).toEqual([9355, 14287]);
    expect(textWidth(TEMPLATE, false)).toBe(8072);
    expect(textWidth(TEMPLATE, true)).toBe(13004);
  });

  it('makes the section breaks of the template\'s page, landscape where the body was, and narrows the tables to its text', async () => {
    const xml = bodyXml(await generated(), TEMPLATE);
    const [first, second] = sections(xml);
    expect(first).toContain('<w:pgSz w:w="11906" w:h="16838"/>');
    expect(first).toContain('<w:titlePg/>');
    expect(first).toContain('w:start="3"');
    expect(second).toContain('<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>');
    expect(second).not.toContain('<w:titlePg/>');
    expect(second).not.toContain('w:start=');
    for (const s of [first, second]) {
      expect(s).toContain('w:left="2417"');
      expect(s).toContain('<w:footerReference w:type="default" r:id="rId9"/>');
      expect(s).toContain('<w:type w:val="nextPage"/>');
    }
    const widths = tables(xml);
    expect(widths).toHaveLength(3);
    // Portrait tables were 9 355 wide, now at most 8 072; the landscape one at most 13 004.
    expect(widths[0]).toBeLessThanOrEqual(8072);
    expect(widths[0]).toBeGreaterThan(8000);
    expect(widths[1]).toBeLessThanOrEqual(13004);
    expect(widths[1]).toBeGreaterThan(12900);
    expect(widths[2]).toBeLessThanOrEqual(8072);
  });

  it('leaves tables as they are on a template as wide as msoko\'s page or wider', async () => {
    const wider = TEMPLATE.replace('w:left="2417"', 'w:left="1134"').replace('w:right="1417"', 'w:right="567"');
    const widths = tables(bodyXml(await generated(), wider));
    expect(widths[0]).toBe(9355);
    expect(widths[2]).toBe(9355);
  });
});
