/** Printed reports of a campaign (issue 15, item 4): attach «Протокол № 6 …» (title, date, source), enter its figures
 * or import them from a CSV/XLSX table, remove it with a reason. Thin routes — zod parses, the policy authorises
 * (reads: admin, analyst, working group; writes: admin, analyst), src/services/analysis/printed-reports.ts checks,
 * writes and audits. The municipal scope is the `/api/campaigns/:id` prefix's (src/http/municipal-scope.ts). The
 * disagreements themselves are in `GET /api/campaigns/:id/analysis` (`printedReports`). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createPrintedReport, enterPrintedFigures, importPrintedFigures, listPrintedReports, printedFiguresInputSchema, printedReportInputSchema,
  printedReportRemovalSchema, removePrintedReport,
} from '../../../services/analysis/printed-reports.ts';
import { applyDocxFigures, previewDocxFigures } from '../../../services/analysis/printed-report-docx.ts';
import { figureRemovalParams, figureRemovalSchema, printedFigureList, removePrintedFigure } from '../../../services/analysis/printed-report-figures.ts';
import type { AppContext } from '../../context.ts';
import { actorOf } from '../../guard.ts';
import { DATA_FILE, readUpload } from '../upload.ts';
import { errorResponses, idParamsSchema } from '../common.ts';

const MAX_TABLE_BYTES = 10 * 1024 * 1024;
const anyObject = z.record(z.string(), z.unknown());
const reportParamsSchema = z.strictObject({ id: z.string().min(1), reportId: z.string().min(1) });

export function printedReportRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance): Promise<void> {
    await fastify.register((await import('@fastify/multipart')).default, { limits: { fileSize: MAX_TABLE_BYTES, files: 1, fields: 2, fieldSize: 16 * 1024 } });
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['analysis'];

    app.get('/api/campaigns/:id/printed-reports', {
      schema: { tags, summary: 'Опубликованные отчёты мониторинга (название, дата, источник) с напечатанными в них значениями', params: idParamsSchema, response: { 200: anyObject, ...errorResponses(401, 403, 404) } },
    }, async (req) => ({ items: await listPrintedReports(ctx.db, req.params.id) }));

    app.post('/api/campaigns/:id/printed-reports', {
      schema: { tags, summary: 'Прикрепить опубликованный отчёт к мониторингу (title, date ГГГГ-ММ-ДД, source); в журнале', params: idParamsSchema, body: printedReportInputSchema, response: { 201: anyObject, ...errorResponses(400, 401, 403, 404) } },
    }, async (req, reply) => reply.code(201).send({ ...(await createPrintedReport(ctx.db, actorOf(req), req.params.id, req.body)) }));

    app.post('/api/campaigns/:id/printed-reports/:reportId/figures', {
      schema: {
        tags, summary: 'Внести напечатанные значения (организация, строка по типу или муниципалитет; показатель или агрегат; значение и/или уровень); всё или ничего, в журнале',
        params: reportParamsSchema, body: printedFiguresInputSchema, response: { 201: anyObject, ...errorResponses(400, 401, 403, 404) },
      },
    }, async (req, reply) => reply.code(201).send(await enterPrintedFigures(ctx.db, actorOf(req), req.params.id, req.params.reportId, req.body)));

    app.get('/api/campaigns/:id/printed-reports/:reportId/figures', {
      schema: {
        tags, summary: 'Значения отчёта по одному: действующие и удалённые, у каждого — история (прежние значения не стираются), место в отчёте; варианты для формы (организации, строки по типам, показатели)',
        params: reportParamsSchema, response: { 200: anyObject, ...errorResponses(401, 403, 404) },
      },
    }, async (req) => printedFigureList(ctx.db, req.params.id, req.params.reportId));

    app.delete('/api/campaigns/:id/printed-reports/:reportId/figures/:figureId', {
      schema: {
        tags, summary: 'Удалить ошибочно внесённое значение отчёта (reason — причина; restore — вернуть прежнее значение): прежние записи остаются в истории; в журнале',
        params: figureRemovalParams, body: figureRemovalSchema, response: { 200: z.object({ ok: z.literal(true) }), ...errorResponses(400, 401, 403, 404, 409) },
      },
    }, async (req) => {
      await removePrintedFigure(ctx.db, actorOf(req), req.params.id, req.params.reportId, req.params.figureId, req.body);
      return { ok: true as const };
    });

    app.post('/api/campaigns/:id/printed-reports/:reportId/import', {
      schema: {
        tags, summary: 'Загрузить напечатанные значения из таблицы (multipart: file — CSV или XLSX до 10 МБ; столбцы «Организация», «Показатель», «Значение», «Уровень»); всё или ничего, ошибки называют строку и столбец; в журнале',
        consumes: ['multipart/form-data'], params: reportParamsSchema, response: { 201: anyObject, ...errorResponses(400, 401, 403, 404, 413, 415) },
      },
    }, async (req, reply) => {
      const file = await readUpload(req, reply, DATA_FILE);
      if (!file) return reply;
      return reply.code(201).send(await importPrintedFigures(ctx.db, actorOf(req), req.params.id, req.params.reportId, { name: file.name, buffer: file.content }));
    });

    // No check by name: the content is read as a DOCX (checkZipContainer first), so a disguised file is refused as such.
    const DOCX_FILE = { missing: 'Выберите файл DOCX отчёта' };
    const docxSummary = 'multipart: table (номер таблицы для предложения сопоставления), mapping (JSON: table, organisationColumn, columns [{column, target, field value|level, total}]; до файла), file — DOCX отчёта до 10 МБ';

    app.post('/api/campaigns/:id/printed-reports/:reportId/docx/preview', {
      schema: {
        tags, summary: `Прочитать напечатанные значения из таблиц DOCX отчёта: таблицы с заголовками, предложенное или выбранное сопоставление, значения с ячейками, ошибки; ничего не сохраняется (${docxSummary})`,
        consumes: ['multipart/form-data'], params: reportParamsSchema, response: { 200: anyObject, ...errorResponses(400, 401, 403, 404, 413, 415) },
      },
    }, async (req, reply) => {
      const file = await readUpload(req, reply, DOCX_FILE);
      if (!file) return reply;
      return reply.send({ ...(await previewDocxFigures(ctx.db, req.params.id, req.params.reportId, { name: file.name, buffer: file.content }, file.fields.mapping, file.fields.table)) });
    });

    app.post('/api/campaigns/:id/printed-reports/:reportId/docx/apply', {
      schema: {
        tags, summary: `Внести напечатанные значения из таблицы DOCX отчёта по сопоставлению; всё или ничего, ошибки называют таблицу, строку и столбец; в журнале (${docxSummary})`,
        consumes: ['multipart/form-data'], params: reportParamsSchema, response: { 201: anyObject, ...errorResponses(400, 401, 403, 404, 413, 415) },
      },
    }, async (req, reply) => {
      const file = await readUpload(req, reply, DOCX_FILE);
      if (!file) return reply;
      return reply.code(201).send(await applyDocxFigures(ctx.db, actorOf(req), req.params.id, req.params.reportId, { name: file.name, buffer: file.content }, file.fields.mapping));
    });

    app.delete('/api/campaigns/:id/printed-reports/:reportId', {
      schema: { tags, summary: 'Открепить опубликованный отчёт (reason — причина); значения сохраняются, в журнале', params: reportParamsSchema, body: printedReportRemovalSchema, response: { 200: z.object({ ok: z.literal(true) }), ...errorResponses(400, 401, 403, 404) } },
    }, async (req) => {
      await removePrintedReport(ctx.db, actorOf(req), req.params.id, req.params.reportId, req.body);
      return { ok: true as const };
    });
  };
}
