/** Management cycle (issue 7): road maps (templates, import, year view with derived statuses, completions, iCalendar),
 * addressed recommendations, management decisions, cycle completeness. Thin: zod parses, the policy authorises
 * (org representatives get `request.orgScope`), services work and audit; the clock is read here only. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  completionCreateSchema,
  decisionCreateSchema,
  decisionListQuerySchema,
  decisionUpdateSchema,
  recommendationCreateSchema,
  recommendationListQuerySchema,
  recommendationStatusSchema,
  recommendationUpdateSchema,
  roadmapParamsSchema,
  todayQuerySchema,
} from '../../../core/cycle/index.ts';
import { municipalToday } from '../../../services/admin/settings.ts';
import { getCycleCompleteness } from '../../../services/cycle/cycle.ts';
import {
  changeRecommendationStatus,
  createDecision,
  createRecommendations,
  getRecommendation,
  listDecisions,
  listRecommendations,
  updateDecision,
  proposeFromComputation,
  updateRecommendation,
} from '../../../services/cycle/recommendations.ts';
import { computeFromBuffer } from '../../../services/methodology/compute.ts';
import { ServiceError } from '../../../services/errors.ts';
import { getMethodologyVersion } from '../../../services/methodology/methodology-versions.ts';
import { MAX_DATA_FILE_BYTES } from '../methodology/methodologies.ts';
import { addCompletion, getRoadmap, importRoadmapTemplate, listRoadmapTemplates, roadmapCalendar } from '../../../services/cycle/roadmaps.ts';
import type { AppContext } from '../../context.ts';
import { actorOf } from '../../guard.ts';
import { DATA_FILE, readUpload } from '../upload.ts';
import { errorResponses, idParamsSchema } from '../common.ts';

export function cycleRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance): Promise<void> {
    await fastify.register((await import('@fastify/multipart')).default, {
      limits: { fileSize: MAX_DATA_FILE_BYTES, files: 1, fields: 4, fieldSize: 1024 },
    });
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const roadmaps = ['roadmaps'];
    const recs = ['recommendations'];
    // Responses are documented by their services' DTO types; the bodies are plain JSON.
    const ok = { 200: z.any() };
    const created = { 201: z.any() };

    app.get('/api/roadmaps/templates', {
      schema: { tags: roadmaps, summary: 'Шаблоны дорожных карт (приказ от 01.06.2021 № 01-09/155)', response: { ...ok, ...errorResponses(401, 403) } },
    }, async () => ({ items: await listRoadmapTemplates() }));

    app.get('/api/roadmaps/:direction/:year', {
      schema: {
        tags: roadmaps, summary: 'Дорожная карта направления на год: мероприятия, сроки года и их статусы на дату',
        params: roadmapParamsSchema, querystring: todayQuerySchema, response: { ...ok, ...errorResponses(400, 401, 403) },
      },
    }, async (req) => getRoadmap(ctx.db, req.params.direction, req.params.year, req.query.today ?? (await municipalToday(ctx.db)), req.municipalityScope));

    app.get('/api/roadmaps/:direction/:year.ics', {
      schema: { tags: roadmaps, summary: 'Календарь сроков дорожной карты (iCalendar)', params: roadmapParamsSchema, response: { 200: z.string(), ...errorResponses(400, 401, 403) } },
    }, async (req, reply) => {
      const ics = await roadmapCalendar(ctx.db, req.params.direction, req.params.year, new Date().toISOString().replace(/\.\d+Z$/, 'Z'), req.municipalityScope);
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', `attachment; filename="${ics.filename}"`)
        .send(ics.body);
    });

    app.post('/api/roadmaps/:direction/:year/import', {
      schema: { tags: roadmaps, summary: 'Импортировать дорожную карту из шаблона (повторный импорт ничего не дублирует)', params: roadmapParamsSchema, response: { ...ok, ...errorResponses(400, 401, 403, 404) } },
    }, async (req) => importRoadmapTemplate(ctx.db, actorOf(req), req.params.direction, req.params.year, req.municipalityScope));

    app.post('/api/roadmaps/events/:id/completions', {
      schema: { tags: roadmaps, summary: 'Отметить выполнение срока мероприятия (ссылка на документ или примечание)', params: idParamsSchema, body: completionCreateSchema, response: { ...created, ...errorResponses(400, 401, 403, 404) } },
    }, async (req, reply) => reply.code(201).send(await addCompletion(ctx.db, actorOf(req), req.params.id, req.body, await municipalToday(ctx.db))));

    app.get('/api/cycle/:direction/:year', {
      schema: { tags: roadmaps, summary: 'Полнота управленческого цикла направления за год: девять этапов', params: roadmapParamsSchema, querystring: todayQuerySchema, response: { ...ok, ...errorResponses(400, 401, 403) } },
    }, async (req) => getCycleCompleteness(ctx.db, req.params.direction, req.params.year, req.query.today ?? (await municipalToday(ctx.db)), req.municipalityScope));

    app.get('/api/recommendations', {
      schema: { tags: recs, summary: 'Адресные рекомендации (представитель ОО видит только рекомендации своей организации)', querystring: recommendationListQuerySchema, response: { ...ok, ...errorResponses(400, 401, 403) } },
    }, async (req) => ({ items: await listRecommendations(ctx.db, { orgScope: req.orgScope, municipalityScope: req.municipalityScope }, req.query) }));

    app.get('/api/recommendations/:id', {
      schema: { tags: recs, summary: 'Рекомендация с историей статусов и отчётами ОО', params: idParamsSchema, response: { ...ok, ...errorResponses(401, 403, 404) } },
    }, async (req) => getRecommendation(ctx.db, { orgScope: req.orgScope, municipalityScope: req.municipalityScope }, req.params.id));

    app.post('/api/recommendations', {
      schema: { tags: recs, summary: 'Выдать рекомендацию (по одной на каждую выбранную организацию)', body: recommendationCreateSchema, response: { ...created, ...errorResponses(400, 401, 403) } },
    }, async (req, reply) => reply.code(201).send({ items: await createRecommendations(ctx.db, actorOf(req), req.body) }));

    app.patch('/api/recommendations/:id', {
      schema: { tags: recs, summary: 'Изменить рекомендацию', params: idParamsSchema, body: recommendationUpdateSchema, response: { ...ok, ...errorResponses(400, 401, 403, 404, 409) } },
    }, async (req) => updateRecommendation(ctx.db, actorOf(req), req.params.id, req.body));

    app.post('/api/recommendations/:id/status', {
      schema: { tags: recs, summary: 'Сменить статус: ОО сообщает о выполнении (отчёт, ссылка), управление подтверждает', params: idParamsSchema, body: recommendationStatusSchema, response: { ...ok, ...errorResponses(400, 401, 403, 404, 409) } },
    }, async (req) => changeRecommendationStatus(ctx.db, actorOf(req), { orgScope: req.orgScope, municipalityScope: req.municipalityScope }, req.params.id, req.body));

    app.post('/api/recommendations/propose', {
      schema: {
        tags: recs, summary: 'Предложить адресные рекомендации по правилам методики (multipart: methodology, version, file — CSV/XLSX); ничего не сохраняет',
        consumes: ['multipart/form-data'], response: { ...ok, ...errorResponses(400, 401, 403, 404, 413, 415) },
      },
    }, async (req, reply) => {
      const file = await readUpload(req, reply, {
        missing: DATA_FILE.missing,
        check: (name, fields, field) => {
          if (!fields.methodology || !fields.version)
            throw new ServiceError('validation', 'VALIDATION', 'Проверьте заполнение полей', [{ path: 'methodology', message: 'Укажите методику и версию (поля перед файлом)' }]);
          DATA_FILE.check?.(name, fields, field);
        },
      });
      if (!file) return reply;
      const [id, version] = [file.fields.methodology ?? '', file.fields.version ?? ''];
      const detail = await getMethodologyVersion(ctx.db, id, version);
      const result = await computeFromBuffer({ methodology: detail.methodology, buffer: file.content, fileName: file.name });
      if (!result.ok) throw new ServiceError('validation', 'DATA_FILE_INVALID', result.error.text, [{ path: 'file', message: result.error.text }]);
      return { version: detail.version, ...(await proposeFromComputation(ctx.db, detail.methodology, result.output)) };
    });

    app.get('/api/decisions', {
      schema: { tags: recs, summary: 'Управленческие решения', querystring: decisionListQuerySchema, response: { 200: z.object({ items: z.array(z.any()) }), ...errorResponses(400, 401, 403) } },
    }, async (req) => ({ items: await listDecisions(ctx.db, { ...req.query, municipalityId: req.municipalityScope }) }));

    app.post('/api/decisions', {
      schema: { tags: recs, summary: 'Принять управленческое решение (связать с рекомендациями и показателями)', body: decisionCreateSchema, response: { ...created, ...errorResponses(400, 401, 403) } },
    }, async (req, reply) => reply.code(201).send(await createDecision(ctx.db, actorOf(req), req.body, req.municipalityScope)));

    app.patch('/api/decisions/:id', {
      schema: { tags: recs, summary: 'Изменить решение, связи, отметить оценку эффективности', params: idParamsSchema, body: decisionUpdateSchema, response: { ...ok, ...errorResponses(400, 401, 403, 404) } },
    }, async (req) => updateDecision(ctx.db, actorOf(req), req.params.id, req.body));
  };
}
