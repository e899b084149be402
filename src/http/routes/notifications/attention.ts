/** GET /api/attention (issue 24): «Что требует внимания» — the start page of the signed-in role, over the caller's
 * municipality (an organisation representative: their organisation, by the policy's scope). Thin: policy → service. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { attentionSchema } from '../../../core/notifications/attention.ts';
import { municipalToday } from '../../../services/admin/settings.ts';
import { ServiceError } from '../../../services/errors.ts';
import { getAttention } from '../../../services/notifications/attention.ts';
import type { AppContext } from '../../context.ts';
import { errorResponses } from '../common.ts';

export function attentionRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    app.get('/api/attention', {
      schema: {
        tags: ['notifications'],
        summary: 'Что требует внимания: стартовая страница роли (мониторинги, формы, рекомендации, дорожные карты, опросы, резервные копии…)',
        response: { 200: attentionSchema, ...errorResponses(401, 403) },
      },
    }, async (req, reply) => {
      const user = req.user;
      if (!user) throw new ServiceError('unauthorized', 'UNAUTHORIZED', 'Войдите в систему');
      reply.header('cache-control', 'no-store');
      const today = await municipalToday(ctx.db, new Date(), req.municipalityScope);
      return getAttention(ctx.db, { role: user.role, municipalityId: req.municipalityScope ?? null, organisationId: req.orgScope ?? null }, today);
    });
  };
}
