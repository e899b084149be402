/** Anonymous surveys: authenticated management and results under /api/surveys, the respondent's two anonymous
 * routes under /api/public/surveys. Thin: zod parses, the policy authorises, src/services/surveys/surveys.ts works.
 *
 * Protection of the anonymous answer endpoint (a state change without a session):
 * - CSRF: the global guard's double-submit check applies as to every POST — the answer page first takes a token
 *   from GET /api/auth/csrf (secret in the SameSite=Strict, HttpOnly cookie (__Host-)msoko_csrf; the token is bound
 *   to the visitor's session or to «anonymous») and sends it in
 *   x-csrf-token, so another site cannot post answers through a visitor's browser;
 * - the link token (128 random bits) names the survey and the organisation; without it nothing can be posted;
 * - a rate limit per IP address and survey (default 30 answers per 10 minutes, MSOKO_SURVEY_ANSWER_LIMIT and
 *   MSOKO_SURVEY_ANSWER_WINDOW_MS); the address lives only in this process's memory for the window and is never
 *   stored with answers; the two public routes log at `warn` so no access-log line pairs an address with a link;
 * - optional single-use codes (survey.requiresCodes) for a strict one-answer-per-person survey. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  answerSubmitSchema,
  codesRequestSchema,
  codesResponseSchema,
  enrolmentUpdateSchema,
  surveyCreateSchema,
  publicSurveySchema,
  surveyDetailSchema,
  surveyLinkSchema,
  surveyResultsSchema,
  surveySchema,
} from '../../../core/surveys/schema.ts';
import { municipalToday } from '../../../services/admin/settings.ts';
import { ServiceError } from '../../../services/errors.ts';
import {
  changeSurveyStatus,
  createSurvey,
  exportSatisfactionCsv,
  generateCodes,
  getPublicSurvey,
  getSurvey,
  linkQrPng,
  listLinks,
  listSurveys,
  setEnrolment,
  submitAnswer,
  surveyIdOfToken,
  surveyResults,
} from '../../../services/surveys/surveys.ts';
import type { AppContext } from '../../context.ts';
import { actorOf } from '../../guard.ts';
import { errorResponses, idParamsSchema } from '../common.ts';

const tokenParamsSchema = z.strictObject({ token: z.string().min(1).max(100) });
const orgParamsSchema = z.strictObject({ id: z.string().min(1), orgId: z.string().min(1) });

export interface SurveyRouteOptions {
  /** Answers per IP address and survey within `answerWindowMs`. */
  answerLimit?: number;
  answerWindowMs?: number;
}

function envInt(name: string): number | undefined {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : undefined;
}

/** Base of the public links: MSOKO_PUBLIC_URL (behind a proxy), else the address the analyst opened. */
function publicBase(req: FastifyRequest): string {
  return process.env.MSOKO_PUBLIC_URL ?? `${req.protocol}://${req.host}`;
}

export function surveyRoutes(ctx: AppContext, opts: SurveyRouteOptions = {}) {
  const answerLimit = opts.answerLimit ?? envInt('MSOKO_SURVEY_ANSWER_LIMIT') ?? 30;
  const answerWindowMs = opts.answerWindowMs ?? envInt('MSOKO_SURVEY_ANSWER_WINDOW_MS') ?? 10 * 60_000;
  return async function (fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    await app.register((await import('@fastify/rate-limit')).default, { global: false });
    const tags = ['surveys'];
    const one = { 200: surveySchema, ...errorResponses(400, 401, 403, 404, 409) };

    app.get('/api/surveys', {
      schema: { tags, summary: 'Анонимные опросы', response: { 200: z.object({ items: z.array(surveySchema) }), ...errorResponses(401, 403) } },
    }, async (req) => ({ items: await listSurveys(ctx.db, { organisationId: req.orgScope, municipalityId: req.municipalityScope }) }));

    app.post('/api/surveys', {
      schema: { tags, summary: 'Создать опрос (черновик) с вопросами и участниками', body: surveyCreateSchema, response: { 201: surveyDetailSchema, ...errorResponses(400, 401, 403, 404) } },
    }, async (req, reply) => reply.code(201).send(await createSurvey(ctx.db, actorOf(req), req.body, { municipalityId: req.municipalityScope })));

    app.get('/api/surveys/:id', {
      schema: { tags, summary: 'Опрос и его вопросы', params: idParamsSchema, response: { 200: surveyDetailSchema, ...errorResponses(401, 403, 404) } },
    }, async (req) => getSurvey(ctx.db, req.params.id, { organisationId: req.orgScope, municipalityId: req.municipalityScope }));

    app.post('/api/surveys/:id/open', {
      schema: { tags, summary: 'Открыть опрос', params: idParamsSchema, response: one },
    }, async (req) => changeSurveyStatus(ctx.db, actorOf(req), req.params.id, 'open'));

    app.post('/api/surveys/:id/close', {
      schema: { tags, summary: 'Завершить опрос', params: idParamsSchema, response: one },
    }, async (req) => changeSurveyStatus(ctx.db, actorOf(req), req.params.id, 'close'));

    app.get('/api/surveys/:id/links', {
      schema: { tags, summary: 'Ссылки и QR-коды организаций (для печати)', params: idParamsSchema, response: { 200: z.object({ items: z.array(surveyLinkSchema) }), ...errorResponses(401, 403, 404) } },
    }, async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return { items: await listLinks(ctx.db, req.params.id, publicBase(req)) };
    });

    app.get('/api/surveys/:id/links/:orgId/qr.png', {
      schema: { tags, summary: 'QR-код ссылки организации (PNG)', params: orgParamsSchema },
    }, async (req, reply) => {
      const png = await linkQrPng(ctx.db, req.params.id, req.params.orgId, publicBase(req));
      return reply.type('image/png').header('cache-control', 'no-store').header('content-disposition', 'attachment; filename="qr.png"').send(png);
    });

    app.put('/api/surveys/:id/enrolment', {
      schema: { tags, summary: 'Количество детей по организациям (если его нет в данных мониторинга)', params: idParamsSchema, body: enrolmentUpdateSchema, response: { 204: z.null(), ...errorResponses(400, 401, 403, 404) } },
    }, async (req, reply) => {
      await setEnrolment(ctx.db, actorOf(req), req.params.id, req.body);
      return reply.code(204).send(null);
    });

    app.post('/api/surveys/:id/codes', {
      schema: { tags, summary: 'Создать одноразовые коды участников (показываются один раз)', params: idParamsSchema, body: codesRequestSchema, response: { 200: codesResponseSchema, ...errorResponses(400, 401, 403, 404, 409) } },
    }, async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return generateCodes(ctx.db, actorOf(req), req.params.id, req.body);
    });

    app.get('/api/surveys/:id/results', {
      schema: { tags, summary: 'Результаты по организациям, типам и итого (с порогом числа ответов)', params: idParamsSchema, response: { 200: surveyResultsSchema, ...errorResponses(401, 403, 404) } },
    }, async (req) => surveyResults(ctx.db, req.params.id, { organisationId: req.orgScope, municipalityId: req.municipalityScope, viewerRole: req.user?.role ?? null }));

    app.get('/api/surveys/:id/satisfaction.csv', {
      schema: { tags, summary: 'Выгрузка количеств в формате satisfaction.csv (в журнале аудита)', params: idParamsSchema },
    }, async (req, reply) => {
      const { fileName, csv } = await exportSatisfactionCsv(ctx.db, actorOf(req), req.params.id);
      return reply.type('text/csv; charset=utf-8').header('cache-control', 'no-store').header('content-disposition', `attachment; filename="${fileName}"`).send(csv);
    });

    // ---- anonymous respondents ----
    app.get('/api/public/surveys/:token', {
      logLevel: 'warn',
      schema: { tags, summary: 'Анкета по ссылке организации (без входа)', params: tokenParamsSchema, response: { 200: publicSurveySchema, ...errorResponses(404) } },
    }, async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return getPublicSurvey(ctx.db, req.params.token, await municipalToday(ctx.db));
    });

    app.post('/api/public/surveys/:token/responses', {
      logLevel: 'warn',
      config: {
        rateLimit: {
          max: answerLimit,
          timeWindow: answerWindowMs,
          hook: 'preHandler',
          keyGenerator: async (req: FastifyRequest) => {
            const token = (req.params as { token?: string }).token ?? '';
            return `${(await surveyIdOfToken(ctx.db, token)) ?? token}|${req.ip}`;
          },
          errorResponseBuilder: (_req: FastifyRequest, c: { after: string; ttl: number }) =>
            new ServiceError('rate_limited', 'RATE_LIMITED', `Слишком много ответов с этого устройства. Повторите через ${c.after.replace(/seconds?/, 'с').replace(/minutes?/, 'мин')}.`, undefined, Math.ceil(c.ttl / 1000)),
        },
      },
      schema: { tags, summary: 'Отправить анонимный ответ', params: tokenParamsSchema, body: answerSubmitSchema, response: { 201: z.object({ ok: z.literal(true) }), ...errorResponses(400, 403, 404, 409, 429) } },
    }, async (req, reply) => {
      await submitAnswer(ctx.db, req.params.token, req.body, await municipalToday(ctx.db));
      return reply.code(201).header('cache-control', 'no-store').send({ ok: true as const });
    });
  };
}
