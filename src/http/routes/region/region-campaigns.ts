/** Regional campaigns (issue 9): the regional analyst creates, opens, closes and publishes a campaign over
 * municipalities of their region and follows participation per municipality. Thin: zod parses, the policy admits only
 * the regional analyst, src/services/region/region-campaigns.ts works and audits (the region comes from the caller's account). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { campaignReopenSchema } from '../../../core/collection/schema.ts';
import { regionalCampaignCreateSchema, regionalCampaignSchema, regionalProgressSchema } from '../../../core/region/campaign-schema.ts';
import { regionOfUser } from '../../../services/region/region.ts';
import { changeRegionalCampaignStatus, createRegionalCampaign, listRegionalCampaigns, regionalCampaignProgress } from '../../../services/region/region-campaigns.ts';
import { municipalToday } from '../../../services/admin/settings.ts';
import type { AppContext } from '../../context.ts';
import { actorOf } from '../../guard.ts';
import { errorResponses, idParamsSchema } from '../common.ts';

export function regionCampaignRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['region'];
    const region = (userId: string | undefined) => regionOfUser(ctx.db, userId ?? '');
    const one = { 200: regionalCampaignSchema, ...errorResponses(400, 401, 403, 404, 409) };
    const base = '/api/region/regional-campaigns';

    app.get('/api/region/me', {
      schema: { tags, summary: 'Регион пользователя (для шапки)', response: { 200: z.object({ id: z.string(), name: z.string(), synthetic: z.boolean() }), ...errorResponses(401, 403) } },
    }, async (req) => region(req.user?.id));

    app.get(base, {
      schema: { tags, summary: 'Региональные мониторинги (все статусы)', response: { 200: z.object({ items: z.array(regionalCampaignSchema) }), ...errorResponses(401, 403) } },
    }, async (req) => ({ items: await listRegionalCampaigns(ctx.db, await region(req.user?.id)) }));

    app.post(base, {
      schema: { tags, summary: 'Создать региональный мониторинг: выбранные муниципалитеты или весь регион, по типам ОО', body: regionalCampaignCreateSchema, response: { 201: regionalCampaignSchema, ...errorResponses(400, 401, 403, 404, 409) } },
    }, async (req, reply) => reply.code(201).send(await createRegionalCampaign(ctx.db, actorOf(req), await region(req.user?.id), req.body)));

    app.get(`${base}/:id`, {
      schema: { tags, summary: 'Участие в региональном мониторинге по муниципалитетам', params: idParamsSchema, response: { 200: regionalProgressSchema, ...errorResponses(401, 403, 404) } },
    }, async (req) => regionalCampaignProgress(ctx.db, await region(req.user?.id), req.params.id, await municipalToday(ctx.db)));

    for (const action of ['open', 'close', 'publish'] as const) {
      app.post(`${base}/:id/${action}`, {
        schema: { tags, summary: { open: 'Открыть сбор', close: 'Закрыть сбор', publish: 'Опубликовать результаты' }[action], params: idParamsSchema, response: one },
      }, async (req) => changeRegionalCampaignStatus(ctx.db, actorOf(req), await region(req.user?.id), req.params.id, action));
    }

    app.post(`${base}/:id/reopen`, {
      schema: { tags, summary: 'Повторно открыть закрытый региональный мониторинг (с причиной)', params: idParamsSchema, body: campaignReopenSchema, response: one },
    }, async (req) => changeRegionalCampaignStatus(ctx.db, actorOf(req), await region(req.user?.id), req.params.id, 'reopen', req.body));
  };
}
