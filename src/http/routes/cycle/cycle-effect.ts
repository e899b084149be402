/** Management cycle, second part (issue 7): recommendations proposed from a campaign's results, a decision with its
 * measured effect, evidence files (upload — multipart, type checked by content, ≤ 10 MB; download — always an
 * attachment with nosniff), hand edits of road-map events with history, passports, the yearly report (DOCX). Thin:
 * zod parses, the policy authorises, services work and audit; the clock is read here only. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ResultsBasisSchema } from '../../../services/analysis/basis.ts';
import { DirectionSchema, MAX_EVIDENCE_BYTES, roadmapEventCreateSchema, roadmapEventUpdateSchema, roadmapParamsSchema } from '../../../core/cycle/index.ts';
import { municipalToday } from '../../../services/admin/settings.ts';
import { proposeFromCampaign } from '../../../services/cycle/campaign-proposals.ts';
import { getDecisionEffect } from '../../../services/cycle/decision-effect.ts';
import { ServiceError } from '../../../services/errors.ts';
import { attachmentHeader, downloadEvidence, listEvidence, removeEvidence, restoreEvidence, uploadEvidence, type EvidenceOwner, type EvidenceRemover } from '../../../services/cycle/evidence.ts';
import { getPassport, savePassport } from '../../../services/cycle/passports.ts';
import { listRecommendations, type Viewer } from '../../../services/cycle/recommendations.ts';
import { createRoadmapEvent, removeRoadmapEvent, restoreRoadmapEvent, roadmapEventHistory, updateRoadmapEvent } from '../../../services/cycle/roadmap-edit.ts';
import { renderYearlyReport } from '../../../services/cycle/yearly-report.ts';
import type { AppContext } from '../../context.ts';
import { actorOf } from '../../guard.ts';
import { errorResponses, idParamsSchema } from '../common.ts';
import { readUpload } from '../upload.ts';

const viewerOf = (req: FastifyRequest): Viewer => ({ orgScope: req.orgScope, municipalityScope: req.municipalityScope });

export function cycleEffectRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance): Promise<void> {
    await fastify.register((await import('@fastify/multipart')).default, { limits: { fileSize: MAX_EVIDENCE_BYTES, files: 1, fields: 2, fieldSize: 100 } });
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['recommendations'];
    const ok = { 200: z.any() };
    const created = { 201: z.any() };
    const upload = { consumes: ['multipart/form-data'], response: { ...created, ...errorResponses(400, 401, 403, 404, 413, 415) } };

    app.get('/api/campaigns/:id/recommendation-proposals', {
      schema: {
        tags, summary: 'Предложить адресные рекомендации по правилам методики из результатов мониторинга; ничего не сохраняет',
        params: idParamsSchema, querystring: z.strictObject({ basis: ResultsBasisSchema.optional() }), response: { ...ok, ...errorResponses(400, 401, 403, 404, 409) },
      },
    }, async (req) => proposeFromCampaign(ctx.db, req.params.id, req.query.basis, req.municipalityScope));

    app.get('/api/decisions/:id', {
      schema: { tags, summary: 'Решение: связи, эффект (до/после по показателям), документы', params: idParamsSchema, response: { ...ok, ...errorResponses(401, 403, 404) } },
    }, async (req) => {
      const e = await getDecisionEffect(ctx.db, req.params.id);
      const recommendations = e.decision.recommendationIds.length ? (await listRecommendations(ctx.db, viewerOf(req))).filter((r) => e.decision.recommendationIds.includes(r.id)) : [];
      return { ...e, recommendations, files: await listEvidence(ctx.db, viewerOf(req), { type: 'decision', id: e.decision.id }) };
    });

    const owners: { path: string; type: EvidenceOwner['type']; what: string }[] = [
      { path: '/api/recommendations/:id/evidence', type: 'recommendation', what: 'рекомендации (отчёт ОО)' },
      { path: '/api/roadmaps/events/:id/evidence', type: 'roadmap_event', what: 'мероприятия дорожной карты (поле occurrenceDue — срок)' },
      { path: '/api/decisions/:id/evidence', type: 'decision', what: 'управленческого решения (документ)' },
    ];
    for (const o of owners) {
      app.get(o.path, {
        schema: { tags, summary: `Файлы-подтверждения ${o.what}`, params: idParamsSchema, response: { ...ok, ...errorResponses(401, 403, 404) } },
      }, async (req) => ({ items: await listEvidence(ctx.db, viewerOf(req), { type: o.type, id: req.params.id }) }));
      app.post(o.path, {
        schema: { tags, summary: `Загрузить файл-подтверждение ${o.what}: PDF, DOCX, XLSX, ODT, JPEG, PNG до 10 МБ`, params: idParamsSchema, ...upload },
      }, async (req, reply) => {
        const file = await readUpload(req, reply);
        if (!file) return reply;
        const occurrenceDue = file.fields.occurrenceDue || null;
        if (occurrenceDue !== null && !/^\d{4}-\d{2}-\d{2}$/.test(occurrenceDue)) throw new ServiceError('validation', 'VALIDATION', 'Проверьте заполнение полей', [{ path: 'occurrenceDue', message: 'Ожидается дата в формате ГГГГ-ММ-ДД' }]);
        const dto = await uploadEvidence(ctx.db, actorOf(req), viewerOf(req), { type: o.type, id: req.params.id, occurrenceDue: o.type === 'roadmap_event' ? occurrenceDue : null }, file);
        return reply.code(201).send(dto);
      });
    }

    app.get('/api/evidence/:id', {
      schema: { tags, summary: 'Скачать файл-подтверждение (всегда как вложение)', params: idParamsSchema, response: { 200: z.any(), ...errorResponses(401, 403, 404) } },
    }, async (req, reply) => {
      const f = await downloadEvidence(ctx.db, actorOf(req), viewerOf(req), req.params.id);
      return reply
        .type('application/octet-stream')
        .header('content-disposition', attachmentHeader(f.fileName))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, no-store')
        .send(f.content);
    });

    // Removal (issue 24): the uploader or an analyst; restorable for 30 days; both audited.
    const remover = (req: FastifyRequest): EvidenceRemover => {
      if (!req.user) throw new ServiceError('unauthorized', 'UNAUTHORIZED', 'Войдите в систему');
      return { actor: actorOf(req), role: req.user.role };
    };
    app.delete('/api/evidence/:id', {
      schema: { tags, summary: 'Удалить файл-подтверждение (загрузивший или аналитик); восстанавливается 30 дней', params: idParamsSchema, response: { ...ok, ...errorResponses(401, 403, 404, 409) } },
    }, async (req) => removeEvidence(ctx.db, remover(req), viewerOf(req), req.params.id));
    app.post('/api/evidence/:id/restore', {
      schema: { tags, summary: 'Восстановить удалённый файл-подтверждение (в течение 30 дней)', params: idParamsSchema, response: { ...ok, ...errorResponses(401, 403, 404, 409) } },
    }, async (req) => restoreEvidence(ctx.db, remover(req), viewerOf(req), req.params.id));

    const roadmaps = ['roadmaps'];
    app.post('/api/roadmaps/:direction/:year/events', {
      schema: { tags: roadmaps, summary: 'Добавить мероприятие в дорожную карту года', params: roadmapParamsSchema, body: roadmapEventCreateSchema, response: { ...created, ...errorResponses(400, 401, 403) } },
    }, async (req, reply) => reply.code(201).send(await createRoadmapEvent(ctx.db, actorOf(req), req.params.direction, req.params.year, req.body, req.municipalityScope)));
    app.patch('/api/roadmaps/events/:id', {
      schema: { tags: roadmaps, summary: 'Изменить мероприятие (формулировка, срок, исполнитель, ожидаемый документ); прежняя редакция сохраняется', params: idParamsSchema, body: roadmapEventUpdateSchema, response: { ...ok, ...errorResponses(400, 401, 403, 404, 409) } },
    }, async (req) => updateRoadmapEvent(ctx.db, actorOf(req), req.params.id, req.body));
    app.delete('/api/roadmaps/events/:id', {
      schema: { tags: roadmaps, summary: 'Удалить мероприятие (можно восстановить; отметки и файлы сохраняются)', params: idParamsSchema, response: { ...ok, ...errorResponses(401, 403, 404, 409) } },
    }, async (req) => removeRoadmapEvent(ctx.db, actorOf(req), req.params.id));
    app.post('/api/roadmaps/events/:id/restore', {
      schema: { tags: roadmaps, summary: 'Восстановить удалённое мероприятие', params: idParamsSchema, response: { ...ok, ...errorResponses(401, 403, 404, 409) } },
    }, async (req) => restoreRoadmapEvent(ctx.db, actorOf(req), req.params.id));
    app.get('/api/roadmaps/events/:id/history', {
      schema: { tags: roadmaps, summary: 'История правок мероприятия', params: idParamsSchema, response: { ...ok, ...errorResponses(401, 403, 404) } },
    }, async (req) => roadmapEventHistory(ctx.db, req.params.id));

    const directionParams = z.strictObject({ direction: DirectionSchema });
    app.get('/api/passports/:direction', {
      schema: { tags: roadmaps, summary: 'Паспорт направления (действующая версия и все редакции)', params: directionParams, response: { ...ok, ...errorResponses(400, 401, 403) } },
    }, async (req) => getPassport(ctx.db, req.params.direction));
    app.post('/api/passports/:direction', {
      schema: { tags: roadmaps, summary: 'Сохранить новую редакцию паспорта (YAML; версии неизменяемы)', params: directionParams, body: z.strictObject({ yaml: z.string().min(1).max(1_000_000) }), response: { ...created, ...errorResponses(400, 401, 403, 409) } },
    }, async (req, reply) => reply.code(201).send(await savePassport(ctx.db, actorOf(req), req.params.direction, req.body.yaml)));

    app.get('/api/yearly-report/:year.docx', {
      schema: { tags: roadmaps, summary: 'Ежегодный доклад о состоянии муниципальной системы (DOCX)', params: z.strictObject({ year: z.coerce.number().int().min(2000).max(2100) }), response: { 200: z.any(), ...errorResponses(400, 401, 403) } },
    }, async (req, reply) => {
      const r = await renderYearlyReport(ctx.db, req.params.year, await municipalToday(ctx.db), req.municipalityScope);
      return reply
        .type('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
        .header('content-disposition', attachmentHeader(r.filename))
        .send(r.buffer);
    });
  };
}
