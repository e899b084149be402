/** Methodologies: the library and uploaded versions, lint without writing, saving a new (immutable) version, and
 * computing a data file (CSV/XLSX, multipart) by a version. Thin: zod parses, the policy authorises, services work. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { diffMethodologies } from '../../../core/methodology/diff.ts';
import { MethodologyEditSchema, previewMethodologyEdit, saveMethodologyEdit } from '../../../services/methodology/methodology-edit.ts';
import { WhatIfSchema, whatIf } from '../../../services/methodology/methodology-what-if.ts';
import { recordAudit } from '../../../services/admin/audit.ts';
import { computeFromBuffers } from '../../../services/methodology/compute.ts';
import { ServiceError } from '../../../services/errors.ts';
import {
  getMethodologyVersion,
  lintMethodologyText,
  listMethodologyVersions,
  saveMethodologyVersion,
} from '../../../services/methodology/methodology-versions.ts';
import type { AppContext } from '../../context.ts';
import { actorOf } from '../../guard.ts';
import { DATA_FILE, readUpload, readUploads } from '../upload.ts';
import { checkPrintedFile } from '../../../services/analysis/printed-report-file.ts';
import { importCriteriaTable } from '../../../services/methodology/criteria-import.ts';
import { criteriaImportFieldsSchema, criteriaImportView, importOptions } from '../../../services/methodology/criteria-import-view.ts';
import { errorResponses } from '../common.ts';

export const MAX_DATA_FILE_BYTES = 10 * 1024 * 1024;
/** Files of one «Расчёт по файлу» (a table of organisations with its record lists, or a year's ФИС ОКО exports). */
export const MAX_COMPUTE_FILES = 20;

const summarySchema = z.object({
  id: z.string(),
  version: z.string(),
  title: z.string(),
  direction: z.string(),
  source: z.enum(['library', 'uploaded']),
  createdAt: z.string().nullable(),
  createdBy: z.string().nullable(),
  datasets: z.array(z.string()),
});
const locatedLintSchema = z.object({
  severity: z.enum(['error', 'warning']),
  path: z.string(),
  message: z.string(),
  line: z.number().nullable(),
  column: z.number().nullable(),
});
const detailSchema = summarySchema.extend({
  yaml: z.string(),
  hash: z.string(),
  methodology: z.record(z.string(), z.unknown()),
  lint: z.array(locatedLintSchema),
});
const docErrorSchema = z.object({ line: z.number().nullable(), column: z.number().nullable(), message: z.string() });
const lintResultSchema = z.union([
  z.object({ ok: z.literal(true), id: z.string(), version: z.string(), title: z.string(), exists: z.boolean(), lint: z.array(locatedLintSchema) }),
  z.object({ ok: z.literal(false), errors: z.array(docErrorSchema) }),
]);
const yamlBodySchema = z.strictObject({ yaml: z.string().min(1).max(512 * 1024) });
const versionParamsSchema = z.strictObject({ id: z.string().min(1).max(200), version: z.string().min(1).max(100) });

export function methodologyRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance): Promise<void> {
    await fastify.register((await import('@fastify/multipart')).default, {
      limits: { fileSize: MAX_DATA_FILE_BYTES, files: MAX_COMPUTE_FILES + 2, fields: 12, fieldSize: 2048 },
    });
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['methodologies'];

    app.get('/api/methodologies', {
      schema: { tags, summary: 'Методики: библиотека и загруженные версии', response: { 200: z.object({ items: z.array(summarySchema) }), ...errorResponses(401, 403) } },
    }, async () => ({ items: await listMethodologyVersions(ctx.db) }));

    app.get('/api/methodologies/:id/:version', {
      schema: { tags, summary: 'Версия методики', params: versionParamsSchema, response: { 200: detailSchema, ...errorResponses(401, 403, 404) } },
    }, async (req) => getMethodologyVersion(ctx.db, req.params.id, req.params.version));

    app.get('/api/methodologies/:id/:version/diff', {
      schema: {
        tags,
        summary: 'Что изменилось по сравнению с другой версией (fromId, fromVersion): словами, по частям методики',
        params: versionParamsSchema,
        querystring: z.strictObject({ fromId: z.string().min(1).max(200), fromVersion: z.string().min(1).max(100) }),
        response: {
          200: z.object({
            from: z.object({ id: z.string(), version: z.string(), title: z.string() }),
            to: z.object({ id: z.string(), version: z.string(), title: z.string() }),
            changes: z.array(z.object({ path: z.string(), text: z.string() })),
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    }, async (req) => {
      const from = await getMethodologyVersion(ctx.db, req.query.fromId, req.query.fromVersion);
      const to = await getMethodologyVersion(ctx.db, req.params.id, req.params.version);
      const pick = (d: typeof to) => ({ id: d.id, version: d.version, title: d.title });
      return { from: pick(from), to: pick(to), changes: diffMethodologies(from.methodology, to.methodology) };
    });

    app.post('/api/methodologies/:id/:version/edits/preview', {
      schema: {
        tags,
        summary: 'Редактор: новая версия из правок этой (путь → значение или удаление) — YAML, замечания проверки и изменения словами; ничего не сохраняется',
        params: versionParamsSchema,
        body: MethodologyEditSchema,
        response: {
          200: z.object({ yaml: z.string(), check: lintResultSchema, changes: z.array(z.object({ path: z.string(), text: z.string() })) }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    }, async (req) => previewMethodologyEdit(ctx.db, req.params.id, req.params.version, req.body));

    app.post('/api/methodologies/:id/:version/edits', {
      schema: {
        tags,
        summary: 'Редактор: сохранить правки этой версии как новую версию (ошибки проверки не допускают сохранения)',
        params: versionParamsSchema,
        body: MethodologyEditSchema,
        response: { 201: detailSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    }, async (req, reply) => reply.code(201).send(await saveMethodologyEdit(ctx.db, actorOf(req), req.params.id, req.params.version, req.body)));

    app.post('/api/campaigns/:id/what-if', {
      schema: {
        tags,
        summary: '«Что если»: черновик методики (версия + правки) на данных этого мониторинга рядом с его собственным расчётом — какие организации меняют значение, уровень, баллы; итоги по муниципалитету; ничего не сохраняется',
        params: z.strictObject({ id: z.string().min(1).max(100) }),
        body: WhatIfSchema,
        response: { 200: z.record(z.string(), z.unknown()).describe('Изменения результатов, сумм баллов и итогов'), ...errorResponses(400, 401, 403, 404, 409) },
      },
    }, async (req) => ({ ...(await whatIf(ctx.db, req.params.id, req.body, req.municipalityScope)) }));

    app.post('/api/methodologies/lint', {
      schema: { tags, summary: 'Проверить текст методики (YAML), ничего не сохраняя', body: yamlBodySchema, response: { 200: lintResultSchema, ...errorResponses(400, 401, 403) } },
    }, async (req) => lintMethodologyText(ctx.db, req.body.yaml));

    app.post('/api/methodologies', {
      schema: { tags, summary: 'Сохранить новую версию методики (версии неизменяемы)', body: yamlBodySchema, response: { 201: detailSchema, ...errorResponses(400, 401, 403, 409) } },
    }, async (req, reply) => reply.code(201).send(await saveMethodologyVersion(ctx.db, actorOf(req), req.body.yaml)));

    app.post('/api/methodologies/criteria-import', {
      schema: {
        tags,
        summary: 'Прочитать таблицу критериев (multipart: file — DOCX или XLSX до 10 МБ; поля до файла: id, version, title, direction, table, sheet, round, capped, openTop) — разобранная таблица, замечания линтера и черновик YAML; ничего не сохраняется',
        consumes: ['multipart/form-data'],
        response: { 200: z.record(z.string(), z.unknown()).describe('Таблица с текстом и границами каждой полосы, нечитаемые строки, замечания, черновик'), ...errorResponses(400, 401, 403, 413, 415) },
      },
    }, async (req, reply) => {
      const upload = await readUpload(req, reply, {
        missing: 'Выберите файл DOCX или XLSX с таблицей критериев',
        check: (name) => {
          if (!/\.(docx|xlsx)$/i.test(name)) throw new ServiceError('validation', 'FILE_TYPE', 'Нужен файл .docx или .xlsx', [{ path: 'file', message: 'Нужен файл .docx или .xlsx' }]);
        },
      });
      if (!upload) return reply;
      const fields = criteriaImportFieldsSchema.safeParse(upload.fields);
      if (!fields.success) {
        const details = fields.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
        throw new ServiceError('validation', 'OPTIONS_INVALID', details.map((d) => d.message).join('; '), details);
      }
      const r = await importCriteriaTable(upload.content, upload.name, importOptions(fields.data));
      if (!r.ok) throw new ServiceError('validation', 'CRITERIA_TABLE_INVALID', r.error, [{ path: 'file', message: r.error }]);
      return { ...criteriaImportView(r.result), yaml: r.result.yaml };
    });

    app.post('/api/methodologies/:id/:version/compute', {
      schema: {
        tags,
        summary: `Расчёт по файлам данных (multipart: file — CSV или XLSX до 10 МБ, до ${MAX_COMPUTE_FILES} файлов: таблица организаций и списки записей, выгрузки ФИС ОКО; sheet — лист XLSX, если файл один; printed — необязательно, опубликованный отчёт: таблица CSV/XLSX или DOCX отчёта, его значения сверяются с расчётом)`,
        consumes: ['multipart/form-data'],
        params: versionParamsSchema,
        response: { 200: z.record(z.string(), z.unknown()).describe('Результаты, итоги, расхождения, замечания'), ...errorResponses(400, 401, 403, 404, 413, 415) },
      },
    }, async (req, reply) => {
      const detail = await getMethodologyVersion(ctx.db, req.params.id, req.params.version);
      // Field `printed` (optional, one): the printed report — a CSV/XLSX table or the report's DOCX.
      let dataFiles = 0;
      const upload = await readUploads(req, reply, {
        ...DATA_FILE,
        maxFiles: MAX_COMPUTE_FILES + 1,
        check: (name, fields, field) => {
          if (field !== 'printed') {
            if (++dataFiles > MAX_COMPUTE_FILES) {
              const message = `Не больше ${MAX_COMPUTE_FILES} файлов за один расчёт`;
              throw new ServiceError('validation', 'TOO_MANY_FILES', message, [{ path: 'file', message }]);
            }
            return DATA_FILE.check?.(name, fields, field);
          }
          if (!/\.(csv|xlsx|docx)$/i.test(name)) throw new ServiceError('validation', 'FILE_TYPE', 'Отчёт: допустимы файлы CSV, XLSX и DOCX', [{ path: 'printed', message: 'Допустимы файлы CSV, XLSX и DOCX' }]);
        },
      });
      if (!upload) return reply;
      const data = upload.files.filter((f) => f.field !== 'printed');
      const printed = upload.files.filter((f) => f.field === 'printed');
      if (data.length > MAX_COMPUTE_FILES || printed.length > 1) {
        const message = printed.length > 1 ? 'Опубликованный отчёт — один файл' : `Не больше ${MAX_COMPUTE_FILES} файлов за один расчёт`;
        throw new ServiceError('validation', 'TOO_MANY_FILES', message, [{ path: printed.length > 1 ? 'printed' : 'file', message }]);
      }
      if (!data.length) throw new ServiceError('validation', 'FILE_REQUIRED', 'Выберите файл CSV или XLSX', [{ path: 'file', message: 'Выберите файл CSV или XLSX' }]);
      const sheet = upload.fields.sheet ?? '';
      const files = data.map((f) => ({ buffer: f.content, fileName: f.name, ...(sheet && data.length === 1 ? { sheet } : {}) }));
      let result = await computeFromBuffers({ methodology: detail.methodology, files });
      if (!result.ok) throw new ServiceError('validation', 'DATA_FILE_INVALID', result.error.text, [{ path: 'file', message: result.error.text }]);
      if (printed[0]) {
        const checked = await checkPrintedFile(detail.methodology, result.output, { buffer: printed[0].content, fileName: printed[0].name }, files[0] ?? null);
        if (!checked.ok) throw new ServiceError('validation', 'PRINTED_FILE_INVALID', checked.message, [{ path: 'printed', message: checked.message }]);
        result = { ok: true, output: checked.output };
      }
      await recordAudit(ctx.db, actorOf(req), {
        action: 'methodology.compute',
        targetType: 'methodology',
        targetId: `${detail.id}@${detail.version}`,
        details: {
          title: detail.title, file: data.map((f) => f.name).join(', '), ...(printed[0] ? { printed: printed[0].name } : {}), bytes: upload.files.reduce((s, f) => s + f.content.length, 0), rows: result.output.dataset.rows,
        },
      });
      return { ...result.output };
    });
  };
}
