/** Imports into a campaign and the job queue's progress: thin routes — zod parses, the policy authorises (analysts and
 * administrators; a job is shown to its creator or an administrator), services in src/services/imports/{imports,jobs}.ts work
 * and audit. The upload is multipart (field `file`), size-limited; its type is decided by content. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { importSettingsSchema, importSummarySchema, importViewSchema, mappingSaveSchema, previewSchema, savedMappingSchema } from '../../../core/imports/schema.ts';
import { ServiceError } from '../../../services/errors.ts';
import '../../../services/imports/import-apply.ts';
import { getImportView, listImports, listMappings, MAX_IMPORT_BYTES, previewImport, saveMapping, startImportApply, uploadImport } from '../../../services/imports/imports.ts';
import { getJob } from '../../../services/imports/jobs.ts';
import { recordApplySchema, recordDrillDownSchema, recordImportSettingsSchema, recordListInfoSchema } from '../../../core/imports/record-list.ts';
import { applyRecordList, listRecordLists, recordDrillDown } from '../../../services/imports/record-lists.ts';
import { recordImportKindSchema, recordPreviewViewSchema } from '../../../core/imports/record-import-view.ts';
import { previewRecordListView, recordImportKind } from '../../../services/imports/record-list-view.ts';
import { startRecordListApply } from '../../../services/imports/record-apply-job.ts';
import { MAX_FISOKO_FILES } from '../../../core/imports/fisoko-campaign.ts';
import type { AppContext } from '../../context.ts';
import { registerFisOkoRoutes } from './fisoko.ts';
import { sendError } from '../../errors.ts';
import { actorOf } from '../../guard.ts';
import { errorResponses, idParamsSchema } from '../common.ts';

export const jobViewSchema = z.object({
  id: z.string(),
  kind: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  progress: z.object({ done: z.number(), total: z.number().nullable(), percent: z.number().nullable(), message: z.string().nullable() }),
  result: z.unknown(),
  error: z.string().nullable(),
  attempts: z.number(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});

const previewBodySchema = importSettingsSchema.partial().extend({ sheet: importSettingsSchema.shape.sheet });
const applyBodySchema = importSettingsSchema.extend({ saveMappingAs: mappingSaveSchema.shape.name.optional() });
const mappingBodySchema = mappingSaveSchema.extend({ methodologyId: z.string().min(1).max(200) });
const mappingsQuerySchema = z.strictObject({ methodologyId: z.string().min(1).max(200) });

export function importRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance): Promise<void> {
    await fastify.register((await import('@fastify/multipart')).default, {
      // Up to 20 files: one upload of ФИС ОКО reports (fisoko.ts); the table upload reads the first file only.
      limits: { fileSize: MAX_IMPORT_BYTES, files: MAX_FISOKO_FILES, fields: 2, fieldSize: 1024 },
    });
    registerFisOkoRoutes(fastify, ctx, jobViewSchema);
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['imports'];
    const mb = Math.round(MAX_IMPORT_BYTES / 1024 / 1024);

    app.post('/api/campaigns/:id/imports', {
      schema: {
        tags,
        summary: `Загрузить файл для импорта в мониторинг (multipart: file — CSV или XLSX до ${mb} МБ; тип определяется по содержимому)`,
        consumes: ['multipart/form-data'],
        params: idParamsSchema,
        response: { 201: importSummarySchema, ...errorResponses(400, 401, 403, 404, 409, 413, 415) },
      },
    }, async (req, reply) => {
      if (!req.isMultipart()) return sendError(reply, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Отправьте файл как multipart/form-data');
      const part = await req.file();
      if (!part) throw new ServiceError('validation', 'FILE_REQUIRED', 'Выберите файл CSV или XLSX', [{ path: 'file', message: 'Выберите файл CSV или XLSX' }]);
      let buffer: Buffer;
      try {
        buffer = await part.toBuffer();
      } catch (err) {
        if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') return sendError(reply, 413, 'FILE_TOO_LARGE', `Файл больше ${mb} МБ`);
        throw err;
      }
      return reply.code(201).send(await uploadImport(ctx.db, actorOf(req), req.params.id, { fileName: part.filename, buffer }));
    });

    app.get('/api/campaigns/:id/imports', {
      schema: { tags, summary: 'Импорты мониторинга', params: idParamsSchema, response: { 200: z.object({ items: z.array(importSummarySchema) }), ...errorResponses(401, 403, 404) } },
    }, async (req) => ({ items: await listImports(ctx.db, req.params.id) }));

    app.get('/api/imports/:id', {
      schema: { tags, summary: 'Импорт: файл, листы, поля формы, сохранённые сопоставления', params: idParamsSchema, response: { 200: importViewSchema, ...errorResponses(401, 403, 404) } },
    }, async (req) => getImportView(ctx.db, req.params.id));

    app.post('/api/imports/:id/preview', {
      schema: {
        tags,
        summary: 'Предпросмотр: проверка всего файла по сопоставлению, первые строки с ошибками по ячейкам (ничего не записывает)',
        params: idParamsSchema,
        body: previewBodySchema,
        response: { 200: previewSchema.extend({ problems: z.array(z.object({ path: z.string(), message: z.string() })) }), ...errorResponses(400, 401, 403, 404) },
      },
    }, async (req) => previewImport(ctx.db, req.params.id, req.body));

    app.post('/api/imports/:id/apply', {
      schema: {
        tags,
        summary: 'Применить импорт (задание в очереди; всё или ничего)',
        params: idParamsSchema,
        body: applyBodySchema,
        response: { 202: z.object({ import: importSummarySchema, job: jobViewSchema }), ...errorResponses(400, 401, 403, 404, 409) },
      },
    }, async (req, reply) => reply.code(202).send(await startImportApply(ctx.db, actorOf(req), req.params.id, req.body)));

    app.get('/api/imports/:id/records', {
      schema: {
        tags,
        summary: 'Вид загруженного файла: список записей методики (и список, если он применён) или таблица организаций (dataset: null)',
        params: idParamsSchema,
        response: { 200: recordImportKindSchema, ...errorResponses(401, 403, 404) },
      },
    }, async (req) => recordImportKind(ctx.db, req.params.id));

    app.post('/api/imports/:id/records/preview', {
      schema: {
        tags,
        summary: 'Список записей (строка — программа «Навигатора»): проверка всего файла, организации для подтверждения, ошибки ячеек с допустимыми значениями, неучтённые записи по значению, поля форм, которые список заменит (ничего не записывает)',
        params: idParamsSchema,
        body: recordImportSettingsSchema,
        response: { 200: recordPreviewViewSchema, ...errorResponses(400, 401, 403, 404) },
      },
    }, async (req) => previewRecordListView(ctx.db, req.params.id, req.body));

    app.post('/api/imports/:id/records/apply', {
      schema: {
        tags,
        summary: 'Применить список записей: всё или ничего; новый список того же вида заменяет прежний в результатах (прежние остаются в истории)',
        params: idParamsSchema,
        body: recordApplySchema,
        response: {
          201: z.object({ listId: z.string(), importId: z.string(), dataset: z.string(), fileName: z.string(), records: z.number(), counted: z.number(), organisations: z.number(), skipped: z.number(), replaced: z.string().nullable() }),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    }, async (req, reply) => reply.code(201).send(await applyRecordList(ctx.db, actorOf(req), req.params.id, req.body, { kind: ctx.kind })));

    app.post('/api/imports/:id/records/start', {
      schema: {
        tags,
        summary: 'Применить список записей заданием в очереди (ход выполнения — GET /api/jobs/:id): всё или ничего; при ошибке файл снова доступен для проверки',
        params: idParamsSchema,
        body: recordApplySchema,
        response: { 202: z.object({ job: jobViewSchema }), ...errorResponses(400, 401, 403, 404, 409) },
      },
    }, async (req, reply) => reply.code(202).send(await startRecordListApply(ctx.db, actorOf(req), req.params.id, req.body)));

    app.get('/api/campaigns/:id/record-lists', {
      schema: { tags, summary: 'Списки записей мониторинга: действующие и история, с полями, которые они дают', params: idParamsSchema, response: { 200: z.object({ items: z.array(recordListInfoSchema) }), ...errorResponses(401, 403, 404) } },
    }, async (req) => ({ items: await listRecordLists(ctx.db, req.params.id) }));

    app.get('/api/campaigns/:id/records/:orgId/:input', {
      schema: {
        tags,
        summary: 'Записи, из которых посчитано значение организации (файл, строка, поля, учтена ли запись) и пояснение',
        params: z.strictObject({ id: z.string(), orgId: z.string(), input: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).max(100) }),
        response: { 200: recordDrillDownSchema, ...errorResponses(400, 401, 403, 404) },
      },
    }, async (req) => recordDrillDown(ctx.db, req.params.id, req.params.orgId, req.params.input));

    app.get('/api/import-mappings', {
      schema: { tags, summary: 'Сохранённые сопоставления столбцов методики', querystring: mappingsQuerySchema, response: { 200: z.object({ items: z.array(savedMappingSchema) }), ...errorResponses(400, 401, 403) } },
    }, async (req) => ({ items: await listMappings(ctx.db, req.query.methodologyId) }));

    app.post('/api/import-mappings', {
      schema: { tags, summary: 'Сохранить сопоставление столбцов (по названию; то же название заменяет прежнее)', body: mappingBodySchema, response: { 201: savedMappingSchema, ...errorResponses(400, 401, 403) } },
    }, async (req, reply) => {
      const { methodologyId, ...rest } = req.body;
      return reply.code(201).send(await saveMapping(ctx.db, actorOf(req), methodologyId, rest));
    });

    app.get('/api/jobs/:id', {
      schema: { tags: ['jobs'], summary: 'Задание: состояние и ход выполнения (автору и администратору)', params: idParamsSchema, response: { 200: jobViewSchema, ...errorResponses(401, 403, 404) } },
    }, async (req) => getJob(ctx.db, req.params.id, { userId: req.user?.id ?? null, role: req.user?.role ?? null, municipalityId: req.municipalityScope }));
  };
}
