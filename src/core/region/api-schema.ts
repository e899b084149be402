/** Zod schemas of the regional API (issue 9), shared by the server and the web app. Free of Node imports. */
import { z } from 'zod';

const methodologyId = z.string().trim().min(1).max(200);
const period = z.string().trim().min(1).max(50);
const metric = z.string().trim().regex(/^(mean|aggregate):[A-Za-z0-9_.]+$/, { error: 'Показатель сравнения: mean:<показатель> или aggregate:<агрегат>' });

export const regionRankingQuerySchema = z.strictObject({ methodologyId, period, metric, order: z.enum(['desc', 'asc']).optional() });
export const regionDistributionQuerySchema = z.strictObject({ methodologyId, period, indicator: z.string().trim().regex(/^[A-Za-z_][A-Za-z0-9_]*$/) });
export const regionDynamicsQuerySchema = z.strictObject({ methodologyId, metric });
export const regionReportQuerySchema = z.strictObject({ methodologyId, period, metric, indicator: z.string().trim().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).optional() });

export type RegionRankingQuery = z.infer<typeof regionRankingQuerySchema>;
export type RegionDistributionQuery = z.infer<typeof regionDistributionQuerySchema>;
export type RegionDynamicsQuery = z.infer<typeof regionDynamicsQuerySchema>;

const levelCode = z.enum(['high', 'above_average', 'average', 'below_average', 'low']);
const levelRecord = <T extends z.ZodType>(v: T) => z.object({ high: v, above_average: v, average: v, below_average: v, low: v });

export const metricInfoSchema = z.object({ metric: z.string(), title: z.string(), kind: z.enum(['mean', 'aggregate']), unit: z.string().nullable() });
const periodRef = z.object({ code: z.string(), label: z.string() });

export const regionOverviewSchema = z.object({
  region: z.object({ id: z.string(), name: z.string(), synthetic: z.boolean() }),
  municipalities: z.array(z.object({ id: z.string(), name: z.string(), synthetic: z.boolean(), organisations: z.number(), publishedCampaigns: z.number() })),
  methodologies: z.array(z.object({
    id: z.string(), title: z.string(), direction: z.string(), periods: z.array(periodRef), campaigns: z.number(),
    metrics: z.array(metricInfoSchema), levelIndicators: z.array(z.object({ id: z.string(), title: z.string() })),
    /** The methodology has per-subject × grade data (issue 22): GET /api/region/subjects. */
    dimensional: z.boolean().optional(),
  })),
});
export const regionCampaignsSchema = z.object({
  items: z.array(z.object({ id: z.string(), title: z.string(), methodologyId: z.string(), period: z.string(), periodLabel: z.string(), municipalities: z.array(z.string()), organisations: z.number() })),
});
export const regionRankingSchema = z.object({
  methodologyId: z.string(), period: z.string(), periodLabel: z.string(), metric: metricInfoSchema, order: z.enum(['desc', 'asc']),
  rows: z.array(z.object({ rank: z.number().nullable(), municipalityId: z.string(), municipality: z.string(), value: z.number().nullable(), organisations: z.number() })),
});
export const regionDistributionSchema = z.object({
  methodologyId: z.string(), period: z.string(), periodLabel: z.string(), indicator: z.object({ id: z.string(), title: z.string() }),
  levels: z.array(z.object({ code: levelCode, name: z.string() })),
  rows: z.array(z.object({ municipalityId: z.string(), municipality: z.string(), rated: z.number(), counts: levelRecord(z.number()), shares: levelRecord(z.number().nullable()) })),
});
export const regionDynamicsSchema = z.object({
  methodologyId: z.string(), metric: metricInfoSchema, periods: z.array(periodRef),
  rows: z.array(z.object({ municipalityId: z.string(), municipality: z.string(), values: z.array(z.number().nullable()), change: z.number().nullable() })),
});
export type RegionOverviewDto = z.infer<typeof regionOverviewSchema>;
export type RegionRankingDto = z.infer<typeof regionRankingSchema>;
export type RegionDistributionDto = z.infer<typeof regionDistributionSchema>;
export type RegionDynamicsDto = z.infer<typeof regionDynamicsSchema>;

/** Per subject × grade (issue 22): every municipality's figures of a dimensional methodology in a period. */
export const regionSubjectsQuerySchema = z.strictObject({ methodologyId, period });
export const regionSubjectsSchema = z.object({
  methodologyId: z.string(), period: z.string(), periodLabel: z.string(),
  dimensions: z.array(z.object({ id: z.string(), title: z.string(), values: z.array(z.object({ value: z.string(), label: z.string() })) })),
  measures: z.array(z.object({ metric: z.string(), kind: z.enum(['aggregate', 'mean', 'signs']), id: z.string(), title: z.string(), unit: z.string().nullable() })),
  rows: z.array(z.object({ municipalityId: z.string(), municipality: z.string(), dimensions: z.record(z.string(), z.string()), figures: z.record(z.string(), z.object({ value: z.number().nullable(), count: z.number() })) })),
});
export type RegionSubjectsDto = z.infer<typeof regionSubjectsSchema>;
