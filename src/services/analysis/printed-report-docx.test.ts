/** Tables of a printed report's DOCX named by their captions: a DOCX built here (docx) with a caption «Таблица № 3.
 * Индекс многообразия …» two paragraphs above its second table, a first table without one, a caption too far above
 * a third table and a fourth table right after the third; the same document without the caption. The reader gives
 * each table its caption (or none), the picker's names, and every cell reference names the captioned table by its
 * caption («Таблица № 3, строка 2, столбец 3 …») and the others by their order («таблица 2, …»). */
import { readFileSync } from 'node:fs';
import { Document, Packer, Paragraph, Table, TableCell, TableRow } from 'docx';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { describeTables, docxFigures, tableCaption, tableName, type DocxMapping } from '../../core/analysis/printed-report-docx.ts';
import type { OrgRef } from '../../core/imports/match.ts';
import { MethodologySchema } from '../../core/methodology/index.ts';
import { readCaptionedDocxTables, readDocxTables } from './printed-report-docx.ts';

const m = MethodologySchema.parse(parse(readFileSync(new URL('../../../library/talents-2021.yaml', import.meta.url), 'utf8')));
const orgs: OrgRef[] = ['Петровское', 'Канакаево'].map((name, i) => ({ id: `org-${i + 1}`, no: i + 1, inn: null, shortName: name, fullName: name, locked: null }));

const table = (rows: string[][]) => new Table({ rows: rows.map((cells) => new TableRow({ children: cells.map((text) => new TableCell({ children: [new Paragraph(text)] })) })) });

/** The synthetic справка: `caption` false leaves out the caption of the second table. */
async function report(opts: { caption: boolean; index?: string }): Promise<Buffer> {
  const doc = new Document({
    sections: [{
      children: [
        new Paragraph('СИНТЕТИЧЕСКИЙ ДОКУМЕНТ ДЛЯ ТЕСТОВ: справка'),
        table([['Тип', 'Доля'], ['Школы', '50']]),
        ...(opts.caption ? [new Paragraph('Таблица № 3. Индекс многообразия программ ДО по организациям')] : []),
        new Paragraph('Индекс рассчитан по данным организаций.'),
        new Paragraph(''),
        table([
          ['№ п/п', 'Наименование ОУ', 'Индекс многообразия программ ДО', 'Уровень'],
          ['1', 'Петровское', opts.index ?? '3,7', 'средний'],
          ['2', 'Канакаево', '2,1', 'низкий'],
        ]),
        new Paragraph('Таблица 4. Подпись слишком далеко от таблицы'),
        new Paragraph('Первый абзац.'),
        new Paragraph('Второй абзац.'),
        new Paragraph('Третий абзац.'),
        table([['Показатель', 'Значение'], ['Охват', '78,9 %']]),
        table([['Показатель', 'Значение'], ['Итого', '5,6']]),
      ],
    }],
  });
  return Packer.toBuffer(doc);
}

describe('tables of a printed report’s DOCX named by their captions', () => {
  it('reads the caption above a table within three paragraphs, and none for the others', async () => {
    const { tables, captions } = await readCaptionedDocxTables(await report({ caption: true }), 'справка.docx');
    expect(tables).toHaveLength(4);
    expect(captions).toEqual([null, 'Таблица № 3. Индекс многообразия программ ДО по организациям', null, null]);
    expect(describeTables(tables, captions).map((t) => [t.no, t.name, t.caption])).toEqual([
      [1, 'таблица 1', null],
      [2, 'Таблица № 3', 'Таблица № 3. Индекс многообразия программ ДО по организациям'],
      [3, 'таблица 3', null],
      [4, 'таблица 4', null],
    ]);
    const without = await readCaptionedDocxTables(await report({ caption: false }), 'справка.docx');
    expect(without.captions).toEqual([null, null, null, null]);
    expect(without.tables).toEqual(await readDocxTables(await report({ caption: false }), 'справка.docx'));
  });

  it('names every cell by the caption when the table has one, by the order otherwise', async () => {
    const captioned = await readCaptionedDocxTables(await report({ caption: true }), 'справка.docx');
    const r = docxFigures(captioned.tables, m, orgs, null, undefined, captioned.captions);
    expect(r.mapping).toEqual({ table: 2, organisationColumn: 2, columns: [{ column: 3, target: 'diversity_index', field: 'value', total: 'municipal_diversity_index' }, { column: 4, target: 'diversity_index', field: 'level', total: 'municipal_diversity_index' }] });
    expect(r.rows.map((x) => [x.rowText, x.value, x.level, x.place])).toEqual([
      ['Петровское', '3,7', 'средний', 'Таблица № 3, строка 2, столбец 3 «Индекс многообразия программ ДО» и столбец 4 «Уровень»'],
      ['Канакаево', '2,1', 'низкий', 'Таблица № 3, строка 3, столбец 3 «Индекс многообразия программ ДО» и столбец 4 «Уровень»'],
    ]);
    expect(r.result.ok).toBe(true);

    const plain = await readCaptionedDocxTables(await report({ caption: false }), 'справка.docx');
    const p = docxFigures(plain.tables, m, orgs, null, undefined, plain.captions);
    expect(p.rows.map((x) => x.place)).toEqual([
      'таблица 2, строка 2, столбец 3 «Индекс многообразия программ ДО» и столбец 4 «Уровень»',
      'таблица 2, строка 3, столбец 3 «Индекс многообразия программ ДО» и столбец 4 «Уровень»',
    ]);
    // Without the captions given, the order as before.
    expect(docxFigures(captioned.tables, m, orgs, null).rows[0]?.place).toBe('таблица 2, строка 2, столбец 3 «Индекс многообразия программ ДО» и столбец 4 «Уровень»');
  });

  it('names an unreadable cell by the caption', async () => {
    const mapping: DocxMapping = { table: 2, organisationColumn: 2, columns: [{ column: 3, target: 'diversity_index', field: 'value', total: null }] };
    const bad = await readCaptionedDocxTables(await report({ caption: true, index: '3,7а' }), 'справка.docx');
    const r = docxFigures(bad.tables, m, orgs, mapping, undefined, bad.captions);
    expect(r.result.ok).toBe(false);
    expect(r.result.ok ? [] : r.result.errors.map((e) => [e.path, e.message])).toEqual([
      ['docx.2.2.3', expect.stringMatching(/^Таблица № 3, строка 2, столбец 3 «Индекс многообразия программ ДО»: «3,7а» — не число/)],
    ]);
    const plain = await readCaptionedDocxTables(await report({ caption: false, index: '3,7а' }), 'справка.docx');
    const p = docxFigures(plain.tables, m, orgs, mapping, undefined, plain.captions);
    expect(p.result.ok ? [] : p.result.errors.map((e) => e.message)).toEqual([expect.stringMatching(/^таблица 2, строка 2, столбец 3 «Индекс многообразия программ ДО»: «3,7а» — не число/)]);
  });

  it('takes the nearest caption among the last three paragraphs, as printed', () => {
    expect(tableCaption(['Таблица 1. Старая', 'Текст', 'Табл. 2.1 Новая'])).toBe('Табл. 2.1 Новая');
    expect(tableCaption(['Таблица № 5', 'Текст', 'Текст', 'Текст'])).toBeNull();
    expect(tableCaption(['Таблица показывает, что…'])).toBeNull();
    expect(tableCaption(['  ТАБЛИЦА  7 — итоги  '])).toBe('ТАБЛИЦА 7 — итоги');
    expect(tableName(1, ['Таблица №3. Индекс'])).toBe('Таблица № 3');
    expect(tableName(1, ['Табл. 2.1 Новая'])).toBe('Табл. 2.1');
    expect(tableName(2, ['Таблица № 3', null])).toBe('таблица 2');
    expect(tableName(2)).toBe('таблица 2');
  });
});
