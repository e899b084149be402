/** Region level (issue 9): the regional analyst's routes. Thin: zod parses the query, the policy admits only the
 * regional analyst, the region service works (its region comes from the caller's account). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  regionCampaignsSchema, regionDistributionQuerySchema, regionDistributionSchema, regionDynamicsQuerySchema, regionDynamicsSchema, regionOverviewSchema,
  regionRankingQuerySchema, regionRankingSchema, regionReportQuerySchema, regionSubjectsQuerySchema, regionSubjectsSchema,
} from '../../../core/region/api-schema.ts';
import { municipalToday } from '../../../services/admin/settings.ts';
import { regionCampaigns, regionDistribution, regionDynamics, regionOfUser, regionOverview, regionRanking, regionSubjectFigures } from '../../../services/region/region.ts';
import { regionReportDocx } from '../../../services/region/region-report.ts';
import type { AppContext } from '../../context.ts';
import { errorResponses } from '../common.ts';

export function regionRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['region'];
    const errors = errorResponses(400, 401, 403, 404);
    const region = (userId: string | undefined) => regionOfUser(ctx.db, userId ?? '');

    app.get('/api/region', {
      schema: { tags, summary: 'Регион: муниципалитеты и методики, по которым есть опубликованные мониторинги', response: { 200: regionOverviewSchema, ...errors } },
    }, async (req) => regionOverview(ctx.db, await region(req.user?.id)));

    app.get('/api/region/campaigns', {
      schema: { tags, summary: 'Опубликованные мониторинги всех муниципалитетов региона', response: { 200: regionCampaignsSchema, ...errors } },
    }, async (req) => ({ items: await regionCampaigns(ctx.db, await region(req.user?.id)) }));

    app.get('/api/region/ranking', {
      schema: { tags, summary: 'Рейтинг муниципалитетов по показателю методики за период', querystring: regionRankingQuerySchema, response: { 200: regionRankingSchema, ...errors } },
    }, async (req) => regionRanking(ctx.db, await region(req.user?.id), req.query));

    app.get('/api/region/distribution', {
      schema: { tags, summary: 'Распределение организаций по уровням в каждом муниципалитете', querystring: regionDistributionQuerySchema, response: { 200: regionDistributionSchema, ...errors } },
    }, async (req) => regionDistribution(ctx.db, await region(req.user?.id), req.query));

    app.get('/api/region/dynamics', {
      schema: { tags, summary: 'Динамика показателя по муниципалитетам за все периоды', querystring: regionDynamicsQuerySchema, response: { 200: regionDynamicsSchema, ...errors } },
    }, async (req) => regionDynamics(ctx.db, await region(req.user?.id), req.query));

    app.get('/api/region/subjects', {
      schema: { tags, summary: 'По предметам и классам: доли успешности и качества, число школ с признаком необъективности по муниципалитетам', querystring: regionSubjectsQuerySchema, response: { 200: regionSubjectsSchema, ...errors } },
    }, async (req) => regionSubjectFigures(ctx.db, await region(req.user?.id), req.query));

    app.get('/api/region/report.docx', {
      schema: { tags, summary: 'Аналитическая справка по сравнению муниципалитетов (DOCX)', querystring: regionReportQuerySchema },
    }, async (req, reply) => {
      const r = await regionReportDocx(ctx.db, await region(req.user?.id), req.query, await municipalToday(ctx.db));
      return reply
        .type('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
        .header('content-disposition', `attachment; filename="${r.fileName}"`)
        .send(r.buffer);
    });
  };
}
