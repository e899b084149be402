/** Campaigns (мониторинги) and organisation forms: thin routes — zod parses, the policy authorises (org
 * representatives get `request.orgScope`), the services in src/services/collection/{campaigns,submissions}.ts work and audit. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  campaignCreateSchema,
  campaignDetailSchema,
  campaignReopenSchema,
  campaignSchema,
  historyItemSchema,
  returnSchema,
  reviewSchema,
  saveValuesSchema,
  submissionViewSchema,
  submitSchema,
} from '../../../core/collection/schema.ts';
import { changeCampaignStatus, createCampaign, getCampaignDetail, listCampaigns } from '../../../services/collection/campaigns.ts';
import { municipalToday } from '../../../services/admin/settings.ts';
import { changeSubmissionStatusAndView, getSubmissionView, saveValuesAndView, valueHistory } from '../../../services/collection/submissions.ts';
import type { AppContext } from '../../context.ts';
import { actorOf } from '../../guard.ts';
import { errorResponses, idParamsSchema } from '../common.ts';

const formParamsSchema = z.strictObject({ id: z.string().min(1), orgId: z.string().min(1) });
const historyQuerySchema = z.strictObject({
  input: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).optional(),
  /** One cell of a per-dimension table: its dimension values as JSON, `{"subject":"Математика","grade":"5"}`. */
  dimensions: z.string().max(2000).optional(),
});

export function campaignRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['campaigns'];
    const one = { 200: campaignSchema, ...errorResponses(400, 401, 403, 404, 409) };
    const form = { 200: submissionViewSchema, ...errorResponses(400, 401, 403, 404, 409) };

    app.get('/api/campaigns', {
      schema: { tags, summary: 'Мониторинги', response: { 200: z.object({ items: z.array(campaignSchema) }), ...errorResponses(401, 403) } },
    }, async (req) => ({ items: await listCampaigns(ctx.db, { organisationId: req.orgScope, municipalityId: req.municipalityScope }) }));

    app.post('/api/campaigns', {
      schema: { tags, summary: 'Создать мониторинг', body: campaignCreateSchema, response: { 201: campaignSchema, ...errorResponses(400, 401, 403, 404, 409) } },
    }, async (req, reply) => reply.code(201).send(await createCampaign(ctx.db, actorOf(req), req.body, { municipalityId: req.municipalityScope })));

    app.get('/api/campaigns/:id', {
      schema: { tags, summary: 'Мониторинг: статус и заполненность по организациям', params: idParamsSchema, response: { 200: campaignDetailSchema, ...errorResponses(401, 403, 404) } },
    }, async (req) => getCampaignDetail(ctx.db, req.params.id, { today: await municipalToday(ctx.db, new Date(), req.municipalityScope), organisationId: req.orgScope, municipalityId: req.municipalityScope }));

    app.post('/api/campaigns/:id/open', {
      schema: { tags, summary: 'Открыть сбор данных', params: idParamsSchema, response: one },
    }, async (req) => changeCampaignStatus(ctx.db, actorOf(req), req.params.id, 'open'));

    app.post('/api/campaigns/:id/close', {
      schema: { tags, summary: 'Закрыть сбор данных', params: idParamsSchema, response: one },
    }, async (req) => changeCampaignStatus(ctx.db, actorOf(req), req.params.id, 'close'));

    app.post('/api/campaigns/:id/reopen', {
      schema: { tags, summary: 'Повторно открыть закрытый мониторинг (с причиной)', params: idParamsSchema, body: campaignReopenSchema, response: one },
    }, async (req) => changeCampaignStatus(ctx.db, actorOf(req), req.params.id, 'reopen', req.body));

    app.post('/api/campaigns/:id/publish', {
      schema: { tags, summary: 'Опубликовать результаты', params: idParamsSchema, response: one },
    }, async (req) => changeCampaignStatus(ctx.db, actorOf(req), req.params.id, 'publish'));

    const view = async (id: string, orgId: string, scope: string | null) => getSubmissionView(ctx.db, id, orgId, { scope, today: await municipalToday(ctx.db) });

    app.get('/api/campaigns/:id/organisations/:orgId', {
      schema: { tags, summary: 'Форма организации: поля, значения, проверки', params: formParamsSchema, response: form },
    }, async (req) => view(req.params.id, req.params.orgId, req.orgScope));

    app.put('/api/campaigns/:id/organisations/:orgId/values', {
      schema: { tags, summary: 'Сохранить значения (черновик; каждое изменение — новая запись истории)', params: formParamsSchema, body: saveValuesSchema, response: form },
    }, async (req) => saveValuesAndView(ctx.db, actorOf(req), req.params.id, req.params.orgId, req.body, { scope: req.orgScope, source: req.body.source ?? 'api', today: await municipalToday(ctx.db) }));

    app.post('/api/campaigns/:id/organisations/:orgId/submit', {
      schema: { tags, summary: 'Отправить форму на проверку', params: formParamsSchema, body: submitSchema, response: form },
    }, async (req) => changeSubmissionStatusAndView(ctx.db, actorOf(req), req.params.id, req.params.orgId, 'submit', req.body, { scope: req.orgScope, today: await municipalToday(ctx.db) }));

    app.post('/api/campaigns/:id/organisations/:orgId/accept', {
      schema: { tags, summary: 'Принять форму', params: formParamsSchema, body: reviewSchema, response: form },
    }, async (req) => changeSubmissionStatusAndView(ctx.db, actorOf(req), req.params.id, req.params.orgId, 'accept', req.body, { scope: req.orgScope, today: await municipalToday(ctx.db) }));

    app.post('/api/campaigns/:id/organisations/:orgId/return', {
      schema: { tags, summary: 'Вернуть форму на доработку (с комментарием)', params: formParamsSchema, body: returnSchema, response: form },
    }, async (req) => changeSubmissionStatusAndView(ctx.db, actorOf(req), req.params.id, req.params.orgId, 'return', req.body, { scope: req.orgScope, today: await municipalToday(ctx.db) }));

    app.get('/api/campaigns/:id/organisations/:orgId/history', {
      schema: { tags, summary: 'История значений формы (всех полей, одного поля или одной ячейки таблицы по предметам и классам)', params: formParamsSchema, querystring: historyQuerySchema, response: { 200: z.object({ items: z.array(historyItemSchema) }), ...errorResponses(400, 401, 403, 404) } },
    }, async (req) => ({ items: await valueHistory(ctx.db, req.params.id, req.params.orgId, req.query.input, { scope: req.orgScope }, req.query.dimensions) }));
  };
}
