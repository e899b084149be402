/** The campaign's printed reports checked against its results (issue 15, item 4): each report with its disagreements
 * and the figures it could not compare; the disagreements join the analysis model's discrepancies (so the page, the
 * report and the protocol list them) unless a table uploaded for the campaign already printed the same figure. */
import type { Kysely } from 'kysely';
import type { AnalysisModel } from '../../core/analysis/index.ts';
import { comparePrintedReport, type PrintedComparison } from '../../core/analysis/printed-report.ts';
import type { Database } from '../../db/schema.ts';
import type { CampaignResults } from './campaign-results.ts';
import { printedReportsOf, type PrintedReportInfo } from './printed-reports.ts';

export interface PrintedReportCheck extends PrintedComparison {
  report: PrintedReportInfo;
}

export async function printedReportChecks(db: Kysely<Database>, results: CampaignResults, model: AnalysisModel): Promise<PrintedReportCheck[]> {
  const reports = await printedReportsOf(db, results.campaign.id);
  const out: PrintedReportCheck[] = [];
  for (const { report, figures } of reports) {
    const c = comparePrintedReport(results.methodology, results.computed, figures);
    out.push({ report, ...c });
    for (const d of c.disagreements) {
      const organisation = d.scope === 'municipal' ? null : d.entity;
      const printed = d.field === 'value' ? Number(d.printed.replace(',', '.')) : d.printed;
      const same = model.discrepancies.some((x) => x.organisation === organisation && x.indicator === d.target && x.field === d.field && x.published === printed);
      if (same) continue;
      model.discrepancies.push({
        organisation, label: d.label, round: d.field === 'value' ? (results.methodology.indicators[d.target]?.round ?? results.methodology.aggregates?.[d.target]?.round ?? null) : null,
        indicator: d.target, indicatorTitle: d.targetTitle, field: d.field, published: printed, computed: d.field === 'value' && d.computed !== null ? Number(d.computed.replace(',', '.')) : d.computed, explanation: `«${report.title}»: ${d.explanation}`, cause: d.causes[0]?.message ?? null,
      });
    }
  }
  return out;
}
