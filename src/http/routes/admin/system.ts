/** Health, demo users, audit log, OpenAPI document. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type {} from '@fastify/swagger';
import { z } from 'zod';
import { roleSchema } from '../../../core/registry/schema.ts';
import { listAudit } from '../../../services/admin/audit.ts';
import { demoUsersWithOrganisations } from '../../../services/demo/demo.ts';
import type { AppContext } from '../../context.ts';
import { errorResponses } from '../common.ts';

export function systemRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    app.get('/api/health', {
      schema: { tags: ['system'], summary: 'Состояние сервера', response: { 200: z.object({ status: z.literal('ok'), database: z.enum(['pglite', 'postgres']) }) } },
    }, async () => {
      await ctx.db.selectFrom('municipalities').select('id').limit(1).execute();
      return { status: 'ok' as const, database: ctx.kind };
    });

    app.get('/api/demo-users', {
      schema: {
        tags: ['system'],
        summary: 'Демо-пользователи (только в демо-режиме)',
        response: {
          200: z.object({
            demo: z.boolean(),
            users: z.array(z.object({ login: z.string(), password: z.string(), role: roleSchema, fullName: z.string(), organisationName: z.string().nullable() })),
          }),
        },
      },
    }, async () => ({ demo: ctx.demo, users: ctx.demo ? await demoUsersWithOrganisations(ctx.db) : [] }));

    app.get('/api/audit', {
      schema: {
        tags: ['audit'],
        summary: 'Журнал аудита',
        querystring: z.strictObject({
          limit: z.coerce.number().int().min(1).max(500).default(50),
          offset: z.coerce.number().int().min(0).default(0),
          action: z.string().max(100).optional(),
          actor: z.string().max(200).optional(),
        }),
        response: {
          200: z.object({
            items: z.array(z.object({
              id: z.number(),
              at: z.string(),
              actorLogin: z.string().nullable(),
              action: z.string(),
              targetType: z.string().nullable(),
              targetId: z.string().nullable(),
              ip: z.string().nullable(),
              details: z.unknown(),
            })),
            total: z.number(),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    }, async (req) => listAudit(ctx.db, req.query, req.municipalityScope));

    app.get('/api/openapi.json', { schema: { hide: true } }, async () => fastify.swagger());
  };
}
