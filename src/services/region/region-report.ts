/** The regional report DOCX (issue 9): ranking, level distribution and dynamics of one methodology's figure across the
 * region's municipalities, assembled from the region service and drawn by src/reports/region-docx.ts. */
import type { Kysely } from 'kysely';
import { formatDate } from '../../core/format.ts';
import type { Database } from '../../db/schema.ts';
import { renderRegionDocx } from '../../reports/region-docx.ts';
import { regionDistribution, regionDynamics, regionOverview, regionRanking, type RegionRef } from './region.ts';

export interface RegionReportQuery {
  methodologyId: string;
  period: string;
  metric: string;
  /** Indicator for the level distribution; default: the methodology's first indicator with a level scale. */
  indicator?: string;
}

export async function regionReportDocx(db: Kysely<Database>, region: RegionRef, q: RegionReportQuery, today: string): Promise<{ fileName: string; buffer: Buffer }> {
  const overview = await regionOverview(db, region);
  const methodology = overview.methodologies.find((m) => m.id === q.methodologyId);
  const ranking = await regionRanking(db, region, q);
  const indicator = q.indicator ?? methodology?.levelIndicators[0]?.id;
  const distribution = indicator ? await regionDistribution(db, region, { methodologyId: q.methodologyId, period: q.period, indicator }) : null;
  const dynamics = await regionDynamics(db, region, { methodologyId: q.methodologyId, metric: q.metric });
  const buffer = await renderRegionDocx({
    regionName: region.name,
    synthetic: region.synthetic,
    methodologyTitle: methodology?.title ?? q.methodologyId,
    ranking: { periodLabel: ranking.periodLabel, metricTitle: ranking.metric.title, rows: ranking.rows },
    distribution: distribution ? { indicatorTitle: distribution.indicator.title, levels: distribution.levels, rows: distribution.rows } : null,
    dynamics,
    generatedOn: formatDate(today),
  });
  return { fileName: `region-${q.methodologyId}-${q.period.replace('/', '-')}.docx`, buffer };
}
