/** Printed figures read from the report's own DOCX (issue 15, item 4) through the HTTP API on both engines. The test
 * builds a SYNTHETIC справка in the layout of seed 004 (test/support/printed-report-docx.ts: a survey table, Table № 3
 * with merged headers, 51 rows and «итого», Table № 4). The preview lists the three tables with their header text,
 * guesses Table № 3 (table 2 of the document), «Наименование ОУ», the index column → 2.1, the level column → its level
 * and «итого» → the municipal index; the figures read, with their cells, equal the ones the demo's printed report
 * («Протокол № 6 …», seeded by the demo's own code) has for those cells; unreadable cells and an unknown school are
 * refused naming table, row and column, nothing saved; applied, the analysis shows the protocol's three disagreements. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPrintedReports } from '../../src/services/analysis/printed-reports.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { seedDemoPrintedReport, SEED004_REPORT_TITLE } from '../../src/services/demo/demo-printed-report.ts';
import type { DemoContext } from '../../src/services/demo/demo-context.ts';
import type { Actor } from '../../src/services/errors.ts';
import { multipart } from '../support/import-data.ts';
import { buildSeed004Report, seed004Rows } from '../support/printed-report-docx.ts';
import { seedCampaign } from './campaign-fixture.ts';
import { BACKENDS, Client, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

interface Preview {
  fileName: string;
  tables: { no: number; rows: number; headerRows: number; columns: { column: number; header: string }[] }[];
  mapping: { table: number; organisationColumn: number; columns: { column: number; target: string; field: string; total: string | null }[] } | null;
  figures: { place: string; row: string; target: string; value: string | null; level: string | null }[];
  errors: { path: string; message: string }[];
}
interface ErrorBody { error: { code: string; message: string; fields?: { path: string; message: string }[] } }

describe.each(BACKENDS)('printed figures from the report’s DOCX on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let analyst: Client;
  let campaignId: string;
  let reportId: string;
  let docx: Buffer;
  const send = (what: 'preview' | 'apply', file: Buffer, mapping?: unknown, name = 'справка.docx') => {
    const m = multipart(name, file, 'file', mapping === undefined ? {} : { mapping: JSON.stringify(mapping) });
    return analyst.request('POST', `/api/campaigns/${campaignId}/printed-reports/${reportId}/docx/${what}`, m.body, { headers: { 'content-type': m.contentType } });
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    const u = await database.db.selectFrom('users').select('id').where('login', '=', 'analyst').executeTakeFirstOrThrow();
    const actor: Actor = { userId: u.id, login: 'analyst', ip: '127.0.0.1' };
    campaignId = await seedCampaign(database.db, actor);
    // The demo's printed report, by the demo's own code, on this campaign.
    const byNo = new Map((await database.db.selectFrom('organisations').select(['id', 'no']).execute()).map((o) => [o.no, o.id]));
    await seedDemoPrintedReport({ db: database.db, actors: { analyst: actor } } as unknown as DemoContext, campaignId, (no) => byNo.get(no)!);
    app = (await buildTestApp(database)).app;
    analyst = new Client(app, '10.18.0.1');
    expect((await analyst.login('analyst')).statusCode).toBe(200);
    reportId = (await analyst.post(`/api/campaigns/${campaignId}/printed-reports`, { title: 'Справка (DOCX)', date: '2022-06-30' })).json<{ id: string }>().id;
    docx = await buildSeed004Report();
  }, 600_000);
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('the preview guesses Table № 3, its columns and «итого»; the figures read equal the demo report’s for those cells', async () => {
    const res = await send('preview', docx);
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json<Preview>();
    expect(p.tables.map((t) => [t.no, t.rows, t.headerRows])).toEqual([[1, 3, 1], [2, 54, 2], [3, 5, 3]]);
    expect(p.tables[1]!.columns.map((c) => c.header)).toEqual([
      '№ п/п', 'Наименование ОУ', 'Численность детей в ОУ', 'Индекс многообразия программ ДО / Количество программ ДО детей',
      'Индекс многообразия программ ДО / Индекс многообразия программ ДО детей', 'Индекс многообразия программ ДО',
    ]);
    expect(p.mapping).toEqual({
      table: 2, organisationColumn: 2,
      columns: [
        { column: 5, target: 'diversity_index', field: 'value', total: 'municipal_diversity_index' },
        { column: 6, target: 'diversity_index', field: 'level', total: 'municipal_diversity_index' },
      ],
    });
    expect(p.errors).toEqual([]);
    expect(p.figures).toHaveLength(52);
    expect(p.figures[25]).toEqual({ place: 'таблица 2, строка 28, столбец 5 «Индекс многообразия программ ДО / Индекс многообразия программ ДО детей» и столбец 6 «Индекс многообразия программ ДО»', row: 'Петровское', target: 'diversity_index', targetTitle: expect.stringMatching(/^2\.1\. /), value: '3,7', level: 'средний' });
    expect(p.figures[51]).toMatchObject({ row: 'итого', target: 'municipal_diversity_index', value: '5,6', level: 'Выше среднего' });

    // The demo's «Протокол № 6 …» has the same figures for those cells.
    const demo = (await listPrintedReports(database.db, campaignId)).find((r) => r.title === SEED004_REPORT_TITLE)!;
    const demoFigure = (entity: string | null, target: string) => demo.items.find((f) => f.entity === entity && f.target === target && f.scope !== 'group');
    // As numbers: the demo writes every index with one decimal («3,0»); the report printed whole ones as «3» (Урман-Бишкадак).
    const num = (t: string | null | undefined) => (t ? Number(t.replace(',', '.')) : null);
    const read = p.figures.slice(0, 51).map((f) => [f.row, num(f.value), f.level]);
    expect(read).toEqual(p.figures.slice(0, 51).map((f) => [f.row, num(demoFigure(f.row, 'diversity_index')!.value), demoFigure(f.row, 'diversity_index')!.level]));
    const asText = p.figures.slice(0, 51).filter((f) => f.value !== demoFigure(f.row, 'diversity_index')!.value);
    expect(asText.map((f) => `${f.value},0`)).toEqual(asText.map((f) => demoFigure(f.row, 'diversity_index')!.value));
    expect(asText.map((f) => f.row)).toContain('Урман-Бишкадак');
    expect(p.figures.slice(0, 51).map((f) => f.row)).toEqual(seed004Rows().map((r) => r.name));
    expect(demoFigure(null, 'municipal_diversity_index')!.value).toBe(p.figures[51]!.value);
  });

  it('unreadable cells and an unknown school are refused naming table, row and column; nothing is saved', async () => {
    const bad = await buildSeed004Report({ Петровское: { index: '3,7а' }, Канакаево: { level: 'средне' } }, [['52.', 'Сайраново', '40', '1', '2,5', 'ниже среднего']]);
    const preview = (await send('preview', bad)).json<Preview>();
    expect(preview.errors.map((e) => e.message)).toEqual([
      'таблица 2, строка 24, столбец 6 «Индекс многообразия программ ДО»: «средне» — не уровень (высокий, выше среднего, средний, ниже среднего, низкий)',
      'таблица 2, строка 28, столбец 5 «Индекс многообразия программ ДО / Индекс многообразия программ ДО детей»: «3,7а» — не число (пишите, как напечатано: «5,6», «58,6 %», «86»)',
      expect.stringMatching(/^таблица 2, строка 54, столбец 2 «Наименование ОУ»: «Сайраново» — /),
    ]);
    const applied = await send('apply', bad, preview.mapping);
    expect(applied.statusCode).toBe(400);
    expect(applied.json<ErrorBody>().error.message).toMatch(/^справка\.docx: ничего не сохранено — таблица 2, строка 24, столбец 6/);
    expect((await analyst.get(`/api/campaigns/${campaignId}/printed-reports`)).json<{ items: { id: string; figures: number }[] }>().items.find((r) => r.id === reportId)!.figures).toBe(0);
    const notDocx = await send('preview', Buffer.from('Организация,Показатель\n'), undefined, 'справка.csv');
    expect(notDocx.statusCode).toBe(400);
    expect(notDocx.json<ErrorBody>().error.message).toMatch(/^справка\.csv: /);
    const disguised = await send('preview', Buffer.from('not a zip'), undefined, 'справка.docx');
    expect(disguised.statusCode).toBe(400);
    expect(disguised.json<ErrorBody>().error.message).toMatch(/^справка\.docx: /);
  });

  it('a chosen mapping (levels only) is read as chosen; applied, the analysis shows the protocol’s disagreements and the places', async () => {
    const levelsOnly = (await send('preview', docx, { table: 2, organisationColumn: 2, columns: [{ column: 6, target: '2.1', field: 'level', total: null }] })).json<Preview>();
    expect(levelsOnly.errors).toEqual([]);
    expect(levelsOnly.figures.map((f) => [f.value, f.level !== null])).toEqual(Array.from({ length: 51 }, () => [null, true]));

    const preview = (await send('preview', docx)).json<Preview>();
    const res = await send('apply', docx, preview.mapping);
    expect([res.statusCode, res.json()]).toEqual([201, { saved: 52, fileName: 'справка.docx' }]);
    const a = (await analyst.get(`/api/campaigns/${campaignId}/analysis?basis=all`)).json<{ printedReports: { report: { id: string }; agreed: number; disagreements: { label: string; field: string; printed: string; computed: string | null }[] }[] }>();
    const check = a.printedReports.find((r) => r.report.id === reportId)!;
    expect(check.disagreements.map((d) => [d.label, d.field, d.printed, d.computed])).toEqual([
      ['Канакаево', 'level', 'средний', 'выше среднего'],
      ['Петровское', 'value', '3,7', '3,3'],
      ['ДОУ №33', 'level', 'выше среднего', 'высокий'],
    ]);
    expect(check.agreed).toBe(51 * 2 - 3 + 2);
    const figures = (await analyst.get(`/api/campaigns/${campaignId}/printed-reports/${reportId}/figures`)).json<{ items: { label: string; place: string; history: { source: string; file: string }[] }[] }>();
    const petrovskoe = figures.items.find((f) => f.label === 'Петровское')!;
    expect(petrovskoe.place).toMatch(/^таблица 2, строка 28, столбец 5 /);
    expect(petrovskoe.history[0]).toMatchObject({ source: 'docx', file: 'справка.docx' });
  });
});
