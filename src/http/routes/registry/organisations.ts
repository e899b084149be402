/** Registry of organisations. Thin: zod parses, the policy has authorised (and scoped) the caller, services work. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  organisationCloseSchema,
  organisationCreateSchema,
  organisationListQuerySchema,
  organisationSchema,
  organisationUpdateSchema,
} from '../../../core/registry/schema.ts';
import {
  closeOrganisation,
  createOrganisation,
  getOrganisation,
  listOrganisations,
  reopenOrganisation,
  updateOrganisation,
} from '../../../services/registry/registry.ts';
import type { AppContext } from '../../context.ts';
import { actorOf } from '../../guard.ts';
import { errorResponses, idParamsSchema } from '../common.ts';

export function organisationRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const one = { 200: organisationSchema, ...errorResponses(400, 401, 403, 404, 409) };
    const tags = ['organisations'];

    app.get('/api/organisations', {
      schema: { tags, summary: 'Список организаций', querystring: organisationListQuerySchema, response: { 200: z.object({ items: z.array(organisationSchema) }), ...errorResponses(400, 401, 403) } },
    }, async (req) => ({ items: await listOrganisations(ctx.db, { ...req.query, organisationId: req.orgScope, municipalityId: req.municipalityScope }) }));

    app.get('/api/organisations/:id', {
      schema: { tags, summary: 'Организация', params: idParamsSchema, response: one },
    }, async (req) => getOrganisation(ctx.db, req.params.id, req.municipalityScope));

    app.post('/api/organisations', {
      schema: { tags, summary: 'Добавить организацию', body: organisationCreateSchema, response: { 201: organisationSchema, ...errorResponses(400, 401, 403, 409) } },
    }, async (req, reply) => reply.code(201).send(await createOrganisation(ctx.db, actorOf(req), req.body, req.municipalityScope ?? undefined)));

    app.patch('/api/organisations/:id', {
      schema: { tags, summary: 'Изменить организацию', params: idParamsSchema, body: organisationUpdateSchema, response: one },
    }, async (req) => {
      await getOrganisation(ctx.db, req.params.id, req.municipalityScope);
      return updateOrganisation(ctx.db, actorOf(req), req.params.id, req.body);
    });

    app.post('/api/organisations/:id/close', {
      schema: { tags, summary: 'Закрыть (ликвидировать) организацию', params: idParamsSchema, body: organisationCloseSchema, response: one },
    }, async (req) => {
      await getOrganisation(ctx.db, req.params.id, req.municipalityScope);
      return closeOrganisation(ctx.db, actorOf(req), req.params.id, req.body);
    });

    app.post('/api/organisations/:id/reopen', {
      schema: { tags, summary: 'Вернуть закрытую организацию в реестр', params: idParamsSchema, response: one },
    }, async (req) => {
      await getOrganisation(ctx.db, req.params.id, req.municipalityScope);
      return reopenOrganisation(ctx.db, actorOf(req), req.params.id);
    });
  };
}
