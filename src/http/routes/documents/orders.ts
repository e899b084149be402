/** Orders (issue 18): the order approving the directions' passports and road maps (draft, issue) and the order on a
 * monitoring's results with its addressed recommendations (draft, issue); the letters with each organisation's own
 * recommendations (draft, issue); the справка and the protocol of a monitoring on the department's template (issue). Thin: zod parses, the policy authorises,
 * the services work and audit; the clock is read here only. Registered by documents.ts. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DIRECTION_CODES, DirectionSchema } from '../../../core/cycle/index.ts';
import { municipalToday } from '../../../services/admin/settings.ts';
import { approvalOrderDraft, approvalOrderInputSchema, issueApprovalOrder, issueResultsOrder, resultsOrderDraft, resultsOrderInputSchema } from '../../../services/documents/orders.ts';
import { issueProtocol, issueReference, reportDocumentInputSchema } from '../../../services/documents/report-documents.ts';
import { issueRecommendationLetters, recommendationLettersDraft, recommendationLettersInputSchema } from '../../../services/documents/recommendation-letters.ts';
import type { AppContext } from '../../context.ts';
import { actorOf } from '../../guard.ts';
import { errorResponses, idParamsSchema } from '../common.ts';

export function orderRoutes(ctx: AppContext, fastify: FastifyInstance, municipality: (req: FastifyRequest) => Promise<{ id: string }>): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['documents'];
  const ok = { 200: z.any() };
  const today = async (req: FastifyRequest) => municipalToday(ctx.db, new Date(), (await municipality(req)).id);

  app.get('/api/documents/orders/approval', {
    schema: {
      tags, summary: 'Черновик приказа об утверждении паспортов и дорожных карт: тексты по умолчанию, приложения по направлениям (паспорт в силе, план мероприятий года) и недостающие реквизиты',
      querystring: z.strictObject({ year: z.coerce.number().int().min(2000).max(2100).optional(), directions: z.string().optional().transform((s) => (s ? s.split(',') : undefined)).pipe(z.array(DirectionSchema).min(1).optional()) }),
      response: { ...ok, ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req) => {
    const m = await municipality(req);
    return approvalOrderDraft(ctx.db, m.id, { year: req.query.year ?? Number((await today(req)).slice(0, 4)), directions: req.query.directions ?? DIRECTION_CODES });
  });

  app.post('/api/documents/orders/approval', {
    schema: {
      tags, summary: 'Выпустить приказ об утверждении паспортов и дорожных карт: номер по журналу приказов, сегодняшняя дата; directions, year, title, preamble, paragraphs — по желанию; в журнале',
      body: approvalOrderInputSchema.optional(), response: { 201: z.any(), ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req, reply) => {
    const m = await municipality(req);
    return reply.code(201).send(await issueApprovalOrder(ctx.db, actorOf(req), { municipalityId: m.id, today: await today(req) }, req.body ?? {}));
  });

  app.get('/api/campaigns/:id/documents/results-order', {
    schema: { tags, summary: 'Черновик приказа по итогам мониторинга: тексты по умолчанию, число адресных рекомендаций и недостающие реквизиты', params: idParamsSchema, response: { ...ok, ...errorResponses(401, 403, 404) } },
  }, async (req) => resultsOrderDraft(ctx.db, (await municipality(req)).id, req.params.id));

  app.post('/api/campaigns/:id/documents/results-order', {
    schema: {
      tags, summary: 'Выпустить приказ по итогам мониторинга с адресными рекомендациями (приложение): номер по журналу приказов; title, preamble, paragraphs — по желанию; в журнале',
      params: idParamsSchema, body: resultsOrderInputSchema.optional(), response: { 201: z.any(), ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req, reply) => {
    const m = await municipality(req);
    return reply.code(201).send(await issueResultsOrder(ctx.db, actorOf(req), { municipalityId: m.id, campaignId: req.params.id, today: await today(req) }, req.body ?? {}));
  });

  app.get('/api/campaigns/:id/documents/recommendation-letters', {
    schema: { tags, summary: 'Черновик писем с адресными рекомендациями: организации мониторинга с их рекомендациями и недостающие реквизиты', params: idParamsSchema, response: { ...ok, ...errorResponses(401, 403, 404) } },
  }, async (req) => recommendationLettersDraft(ctx.db, (await municipality(req)).id, req.params.id));

  app.post('/api/campaigns/:id/documents/recommendation-letters', {
    schema: {
      tags, summary: 'Выпустить письма руководителям организаций, каждое — только с рекомендациями своей организации и своим номером по журналу писем; organisationIds — по желанию; в журнале',
      params: idParamsSchema, body: recommendationLettersInputSchema.optional(), response: { 201: z.any(), ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req, reply) => {
    const m = await municipality(req);
    return reply.code(201).send({ items: await issueRecommendationLetters(ctx.db, actorOf(req), { municipalityId: m.id, campaignId: req.params.id, today: await today(req) }, req.body ?? {}) });
  });

  for (const [path, what, issue] of [
    ['reference', 'аналитическую справку', issueReference],
    ['protocol', 'протокол заседания рабочей группы', issueProtocol],
  ] as const) {
    app.post(`/api/campaigns/:id/documents/${path}`, {
      schema: {
        tags, summary: `Выпустить ${what} мониторинга на шаблоне управления (текст МСОКО в {@body}): номер по журналу, сегодняшняя дата; basis — по желанию; в журнале`,
        params: idParamsSchema, body: reportDocumentInputSchema.optional(), response: { 201: z.any(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    }, async (req, reply) => {
      const m = await municipality(req);
      return reply.code(201).send(await issue(ctx.db, actorOf(req), { municipalityId: m.id, campaignId: req.params.id, today: await today(req) }, req.body ?? {}));
    });
  }
}
