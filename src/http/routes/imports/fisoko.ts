/** ФИС ОКО / ГИА reports into a campaign (issue 22): thin routes — zod parses, the policy authorises (analysts and
 * administrators), src/services/imports/fisoko-import.ts works and audits. The upload is multipart, field `file`
 * repeated (up to 20 files of one upload = one import); the type of each file is decided by its content. Registered by
 * imports.ts's plugin (one multipart registration), which passes its job view schema. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fisOkoImportSettingsSchema, fisOkoPreviewSchema, fisOkoSaveLoginsSchema, MAX_FISOKO_FILES } from '../../../core/imports/fisoko-campaign.ts';
import { importSummarySchema } from '../../../core/imports/schema.ts';
import { ServiceError } from '../../../services/errors.ts';
import { previewFisOkoImport, startFisOkoApply, uploadFisOkoImport } from '../../../services/imports/fisoko-import.ts';
import { saveFisOkoLogins } from '../../../services/imports/fisoko-logins.ts';
import { MAX_IMPORT_BYTES } from '../../../services/imports/imports.ts';
import type { AppContext } from '../../context.ts';
import { sendError } from '../../errors.ts';
import { actorOf } from '../../guard.ts';
import { errorResponses, idParamsSchema } from '../common.ts';

export function registerFisOkoRoutes(fastify: FastifyInstance, ctx: AppContext, jobViewSchema: z.ZodType): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['imports'];
  const mb = Math.round(MAX_IMPORT_BYTES / 1024 / 1024);

  app.post('/api/campaigns/:id/imports/fisoko', {
    schema: {
      tags,
      summary: `Загрузить отчёты ФИС ОКО / ГИА в мониторинг с измерениями (multipart: file — до ${MAX_FISOKO_FILES} файлов XLSX или CSV, вместе до ${mb} МБ; одна загрузка — один импорт)`,
      consumes: ['multipart/form-data'],
      params: idParamsSchema,
      response: { 201: importSummarySchema, ...errorResponses(400, 401, 403, 404, 409, 413, 415) },
    },
  }, async (req, reply) => {
    if (!req.isMultipart()) return sendError(reply, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Отправьте файлы как multipart/form-data');
    const files: { fileName: string; buffer: Buffer }[] = [];
    for await (const part of req.files()) {
      if (files.length >= MAX_FISOKO_FILES) {
        part.file.resume();
        throw new ServiceError('validation', 'TOO_MANY_FILES', `Не больше ${MAX_FISOKO_FILES} файлов за одну загрузку`, [{ path: 'file', message: `Не больше ${MAX_FISOKO_FILES} файлов` }]);
      }
      try {
        files.push({ fileName: part.filename, buffer: await part.toBuffer() });
      } catch (err) {
        if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') return sendError(reply, 413, 'FILE_TOO_LARGE', `Файл «${part.filename}» больше ${mb} МБ`);
        throw err;
      }
    }
    if (files.length === 0) throw new ServiceError('validation', 'FILE_REQUIRED', 'Выберите файлы ФИС ОКО (XLSX или CSV)', [{ path: 'file', message: 'Выберите файлы' }]);
    return reply.code(201).send(await uploadFisOkoImport(ctx.db, actorOf(req), req.params.id, files));
  });

  app.post('/api/imports/:id/fisoko/preview', {
    schema: {
      tags,
      summary: 'Отчёты ФИС ОКО: проверка всех файлов — школы (по логину, ИНН, наименованию; подтвердить или пропустить), значения измерений вне списка (синонимы), ошибки с файлом, листом, строкой и столбцом (ничего не записывает)',
      params: idParamsSchema,
      body: fisOkoImportSettingsSchema,
      response: { 200: fisOkoPreviewSchema, ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req) => previewFisOkoImport(ctx.db, req.params.id, req.body));

  app.post('/api/imports/:id/fisoko/apply', {
    schema: {
      tags,
      summary: 'Применить отчёты ФИС ОКО (задание в очереди, ход — GET /api/jobs/:id; всё или ничего); синонимы сохраняются в сопоставлении «ФИС ОКО» методики',
      params: idParamsSchema,
      body: fisOkoImportSettingsSchema,
      response: { 202: z.object({ import: importSummarySchema, job: jobViewSchema }), ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (req, reply) => reply.code(202).send(await startFisOkoApply(ctx.db, actorOf(req), req.params.id, req.body)));

  app.post('/api/imports/:id/fisoko/logins', {
    schema: {
      tags,
      summary: 'Сохранить в реестре логины ФИС ОКО школ, найденных не по логину (предложения проверки loginOffers); каждая запись — правка реестра в журнале; ответ — сохранённое и проверка заново',
      params: idParamsSchema,
      body: fisOkoSaveLoginsSchema,
      response: { 200: z.object({ saved: z.array(z.object({ organisationId: z.string(), shortName: z.string(), login: z.string() })), preview: fisOkoPreviewSchema }), ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (req) => saveFisOkoLogins(ctx.db, actorOf(req), req.params.id, req.body));
}
