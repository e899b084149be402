/** Printed reports of a campaign (issue 15, item 4) on the real database: a report attached to a talents-2021 campaign
 * filled from seed 004, its figures imported from a CSV table (all-or-nothing, errors naming row and column), and the
 * campaign's analysis listing the protocol's three per-organisation disagreements and the loyalty index. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCampaignAnalysis } from '../../src/services/analysis/campaign-analysis.ts';
import { createPrintedReport, enterPrintedFigures, importPrintedFigures, listPrintedReports } from '../../src/services/analysis/printed-reports.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import type { Actor } from '../../src/services/errors.ts';
import { csvRows, seedCampaign } from './campaign-fixture.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from './helpers.ts';

const csv = (lines: string[]) => ({ name: 'протокол.csv', buffer: new TextEncoder().encode(`${lines.join('\n')}\n`) });

describe.each(BACKENDS)('printed reports on %s', (kind) => {
  let database: TestDatabase;
  let actor: Actor;
  let campaignId: string;
  let reportId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    const u = await database.db.selectFrom('users').select('id').where('login', '=', 'analyst').executeTakeFirstOrThrow();
    actor = { userId: u.id, login: 'analyst', ip: '127.0.0.1' };
    campaignId = await seedCampaign(database.db, actor);
    reportId = (await createPrintedReport(database.db, actor, campaignId, { title: 'Протокол № 6', date: '2022-06-30', source: 'архив УО' })).id;
  }, 600_000);
  afterAll(async () => {
    await database?.dispose();
  });

  it('an import with a bad row saves nothing and names the row and the column', async () => {
    const bad = csv(['Организация,Показатель,Значение,Уровень', 'Петровское,2.1,"3,7",средний', 'Нет такой школы,2.1,"1,0",', 'Канакаево,9.9,"5,2",средний']);
    await expect(importPrintedFigures(database.db, actor, campaignId, reportId, bad)).rejects.toThrow(
      /строка 3, столбец «Организация»: «Нет такой школы» — .*; строка 4, столбец «Показатель»: показателя «9\.9» нет в методике/,
    );
    expect((await listPrintedReports(database.db, campaignId))[0]!.figures).toBe(0);
    const audit = await database.db.selectFrom('audit_log').select('action').where('action', '=', 'campaign.printed_report.figures').execute();
    expect(audit).toEqual([]);
  });

  it('the protocol’s 51 figures from a table, 5,6 entered: the analysis shows Петровское, Канакаево, ДОУ №33', async () => {
    const rows = csvRows('organisations.csv').map((r) => `"${r.name}",2.1,"${r.published_index!.replace('.', ',')}",${r.published_level}`);
    const saved = await importPrintedFigures(database.db, actor, campaignId, reportId, csv(['Организация,Показатель,Значение,Уровень', ...rows]));
    expect(saved.saved).toBe(51);
    await enterPrintedFigures(database.db, actor, campaignId, reportId, { figures: [{ target: 'municipal_diversity_index', value: '5,6' }] });
    const [report] = await listPrintedReports(database.db, campaignId);
    expect(report!.figures).toBe(52);
    const a = await getCampaignAnalysis(database.db, campaignId, { basis: 'all' });
    const check = a.printedReports[0]!;
    expect(check.problems).toEqual([]);
    expect(check.agreed).toBe(51 * 2 - 3 + 1);
    expect(check.disagreements.map((d) => [d.label, d.field, d.printed, d.computed])).toEqual([
      ['Канакаево', 'level', 'средний', 'выше среднего'],
      ['Петровское', 'value', '3,7', '3,3'],
      ['ДОУ №33', 'level', 'выше среднего', 'высокий'],
    ]);
    const petrovskoe = a.model.discrepancies.find((d) => d.organisation === 'Петровское' && d.field === 'value')!;
    expect([petrovskoe.published, petrovskoe.computed]).toEqual([3.7, 3.3]);
    expect(petrovskoe.explanation).toMatch(/^«Протокол № 6»: в отчёте напечатано 3,7, вычислено 3,3/);
  });

  it('a figure entered again replaces the earlier one (append-only, latest in force)', async () => {
    const petrovskoe = await database.db.selectFrom('organisations').select('id').where('short_name', '=', 'Петровское').executeTakeFirstOrThrow();
    await enterPrintedFigures(database.db, actor, campaignId, reportId, { figures: [{ organisationId: petrovskoe.id, target: 'diversity_index', value: '3,3', level: 'средний' }] });
    const a = await getCampaignAnalysis(database.db, campaignId, { basis: 'all' });
    expect(a.printedReports[0]!.disagreements.map((d) => d.label)).toEqual(['Канакаево', 'ДОУ №33']);
    expect(await database.db.selectFrom('printed_report_figures').select('id').execute()).toHaveLength(53);
  });
});
