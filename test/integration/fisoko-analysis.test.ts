/** Issue 22, item 5 on the real database (both engines): a campaign on direction-preparation 2021.2 over the demo
 * schools with the synthetic fisoko-2025 reports imported; the analysis carries the per-subject view (a row per school
 * × subject × grade, the ranking for Математика, 5 класс equal to the shares of the file, the signs of non-objectivity
 * of СОШ №14 and Кулгунино), and the DOCX/XLSX report of such a campaign renders — the XLSX with the sheets «По
 * предметам» and «Признаки необъективности». */
import type { FastifyInstance } from 'fastify';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DimensionalView } from '../../src/core/analysis/index.ts';
import { objectivitySigns, rankDimensional } from '../../src/core/analysis/index.ts';
import type { VprMarksReport } from '../../src/core/imports/fisoko-types.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { readFisOkoFile } from '../../src/services/imports/fisoko-file.ts';
import { campaignModel } from '../../src/services/analysis/campaign-analysis.ts';
import { renderCampaignReport } from '../../src/services/analysis/campaign-reports.ts';
import { renderReport } from '../../src/services/analysis/report.ts';
import { fisokoCampaign, fisokoFile } from '../support/fisoko-campaigns.ts';
import { BACKENDS, Client, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

describe.each(BACKENDS)('analysis of a campaign with ФИС ОКО reports on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let analyst: Client;
  let campaignId: string;
  const shortByLogin = new Map<string, string>();

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    for (const o of await database.db.selectFrom('organisations').select(['short_name', 'fisoko_login']).where('fisoko_login', 'is not', null).execute()) shortByLogin.set(o.fisoko_login as string, o.short_name);
    app = (await buildTestApp(database)).app;
    analyst = new Client(app, '10.22.5.1');
    expect((await analyst.login('analyst')).statusCode).toBe(200);
    campaignId = await fisokoCampaign(database, analyst, 'ВПР 2025', '2024/2025');
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('the analysis carries every school × subject × grade; the ranking and the signs agree with the files', async () => {
    const res = await analyst.get(`/api/campaigns/${campaignId}/analysis?basis=all`);
    expect(res.statusCode, res.body).toBe(200);
    const a = res.json();
    const view = a.model.dimensional as DimensionalView;
    expect(view.dimensions.map((d) => [d.id, d.values.map((v) => v.label)])).toEqual([['subject', ['Русский язык', 'Математика']], ['grade', ['5 класс', '7 класс', '9 класс']]]);
    // No per-organisation table: the dimensional rows are not merged into one row per school.
    expect(a.table.rows).toEqual([]);
    expect(a.warnings.join('\n')).not.toMatch(/undefined|NaN|\[object/);

    const marks = await readFisOkoFile(fisokoFile('статистика-математика-5.xlsx'), 'статистика-математика-5.xlsx');
    if (!marks.ok) throw new Error('unreadable');
    const report = marks.value[0] as VprMarksReport;
    const r1 = (x: number) => Math.round(x * 10 + 1e-9) / 10;
    const expected = report.schools.map((s) => ({ name: shortByLogin.get(s.login ?? '')!, value: r1(s.shares[3]! + s.shares[4]! + s.shares[5]!) }));
    const ranking = rankDimensional(view, { subject: 'Математика', grade: '5' }, 'vpr_success_share')!;
    expect(ranking.entries).toHaveLength(expected.length);
    expect(Object.fromEntries(ranking.entries.map((e) => [e.name, e.value]))).toEqual(Object.fromEntries(expected.map((e) => [e.name, e.value])));
    const values = ranking.entries.map((e) => e.value as number);
    expect(values).toEqual([...values].sort((x, y) => y - x));
    const reg = report.comparison.region!.shares;
    expect(ranking.region?.value).toBe(r1(reg[3]! + reg[4]! + reg[5]!));
    const mun = report.comparison.municipality!.shares;
    expect(ranking.municipality?.value).toBe(r1(mun[3]! + mun[4]! + mun[5]!));

    const signs = objectivitySigns(view);
    expect(new Set(signs.map((s) => s.organisation))).toEqual(new Set([shortByLogin.get('sch021208'), shortByLogin.get('sch021221')]));
    expect(signs).toHaveLength(8);
  });

  it('DOCX and XLSX of such a campaign render; the XLSX has the per-subject sheets', async () => {
    const docx = await analyst.get(`/api/campaigns/${campaignId}/report?format=docx&basis=all`);
    expect(docx.statusCode, docx.body).toBe(200);
    const xml = (await (await JSZip.loadAsync(docx.rawPayload)).file('word/document.xml')?.async('string')) ?? '';
    expect(xml).not.toMatch(/undefined|NaN/);
    const text = [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
    expect(text).toContain('Результаты по предметам и классам');
    expect(text).toContain('Признаки необъективности результатов');
    expect(text).toMatch(/Признак необъективности результатов ВПР \(объективность\): «да» у 2 организаций — (№14|Кулгунино) \(/);
    expect(text).not.toMatch(/9 класс0/); // no row for a grade without ВПР values (ГИА-9 only)
    const xlsx = await analyst.get(`/api/campaigns/${campaignId}/report?format=xlsx&basis=all`);
    expect(xlsx.statusCode, xlsx.body).toBe(200);
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('По предметам')!;
    expect(sheet.getRow(1).values).toEqual(expect.arrayContaining(['Предмет', 'Класс', 'Организация']));
    const rows: unknown[][] = [];
    sheet.eachRow((row, n) => n > 1 && rows.push((row.values as unknown[]).slice(1)));
    const math5 = rows.filter((r) => r[0] === 'Математика' && r[1] === '5 класс');
    expect(math5.at(-1)?.[3]).toBe('Регион (строка отчёта)');
    expect(math5[0]?.[2]).toBe(1);
    const signs = wb.getWorksheet('Признаки необъективности')!;
    expect(signs.rowCount).toBe(9);
  });

  it('the report, computed with the texts of the rows it prints only, is the report of the whole computation', async () => {
    const { id } = await database.db.selectFrom('users').select('id').where('login', '=', 'analyst').executeTakeFirstOrThrow();
    const actor = { userId: id, login: 'analyst', ip: null };
    const whole = (await campaignModel(database.db, campaignId, { basis: 'all', date: '2025-06-30' })).model;
    const cells = async (buffer: Buffer) => {
      const { default: ExcelJS } = await import('exceljs');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(buffer as unknown as ArrayBuffer);
      return wb.worksheets.map((ws) => [ws.name, ws.getSheetValues()]);
    };
    const xlsx = await renderCampaignReport(database.db, actor, campaignId, { format: 'xlsx', basis: 'all', date: '2025-06-30' });
    const wholeXlsx = await renderReport(whole, 'xlsx');
    if (!wholeXlsx.ok) throw new Error(wholeXlsx.error);
    const sheets = await cells(xlsx.buffer);
    expect(JSON.stringify(sheets)).toContain('Признаки необъективности');
    expect(sheets).toEqual(await cells(wholeXlsx.buffer));
    const text = async (buffer: Buffer) => (await JSZip.loadAsync(buffer)).file('word/document.xml')?.async('string');
    const docx = await renderCampaignReport(database.db, actor, campaignId, { format: 'docx', basis: 'all', date: '2025-06-30' });
    const wholeDocx = await renderReport(whole, 'docx');
    if (!wholeDocx.ok) throw new Error(wholeDocx.error);
    expect(await text(docx.buffer)).toBe(await text(wholeDocx.buffer));
  });
});
