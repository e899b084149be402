/** The printed report of the demo's 2021 campaign (issue 15, item 4): seed 004's protocol with the figures it printed —
 * every organisation's diversity index and level (organisations.csv published_index/published_level), the municipal
 * 5,6 and the loyalty indices by type (satisfaction.csv). The campaign's analysis then shows the protocol's three
 * per-organisation discrepancies and its loyalty indices that do not follow from the counts. Skipped once attached. */
import type { DemoContext } from './demo-context.ts';
import { readSeed004Organisations, readSeed004Satisfaction } from './demo-files.ts';
import { createPrintedReport, enterPrintedFigures, listPrintedReports } from '../analysis/printed-reports.ts';

export const SEED004_REPORT_TITLE = 'Протокол № 6 заседания рабочей группы от 30.06.2022';

export async function seedDemoPrintedReport(ctx: DemoContext, campaignId: string, orgId: (no: number) => string): Promise<void> {
  if ((await listPrintedReports(ctx.db, campaignId)).some((r) => r.title === SEED004_REPORT_TITLE)) return;
  const report = await createPrintedReport(ctx.db, ctx.actors.analyst, campaignId, {
    title: SEED004_REPORT_TITLE, date: '2022-06-30', source: 'Аналитическая справка к протоколу: таблицы № 3 (индекс многообразия) и опроса родителей',
  });
  const figures = [
    ...(await readSeed004Organisations()).map((r) => ({ organisationId: orgId(r.no), target: 'diversity_index', value: r.publishedIndex.toFixed(1).replace('.', ','), level: r.publishedLevel })),
    { target: 'municipal_diversity_index', value: '5,6' },
    ...(await readSeed004Satisfaction()).map((r) => ({ group: r.orgType, target: 'loyalty_index', value: String(r.publishedLoyalty) })),
  ];
  await enterPrintedFigures(ctx.db, ctx.actors.analyst, campaignId, report.id, { figures });
}
