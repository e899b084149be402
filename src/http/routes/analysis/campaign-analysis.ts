/** Analysis and reports of a campaign (issue 6) and the public page of a published campaign: thin routes — zod
 * parses, the policy authorises, the services compute, audit and render. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ResultsBasisSchema } from '../../../services/analysis/basis.ts';
import { getCampaignAnalysis } from '../../../services/analysis/campaign-analysis.ts';
import { getSelectionAnalysis } from '../../../services/analysis/dimensional-selection.ts';
import { benchmarkChoices, benchmarkInputSchema, listBenchmarks, listCampaignTables, reportTextInputSchema, saveReportText, setBenchmark, uploadCampaignTable, uploadableDatasets } from '../../../services/analysis/campaign-inputs.ts';
import { getPublicCampaign, listPublishedCampaigns } from '../../../services/analysis/campaign-public.ts';
import { campaignReportBlocks, contentDisposition, protocolQuerySchema, renderCampaignProtocol, renderCampaignReport, reportQuerySchema } from '../../../services/analysis/campaign-reports.ts';
import { municipalToday } from '../../../services/admin/settings.ts';
import type { AppContext } from '../../context.ts';
import { actorOf } from '../../guard.ts';
import { DATA_FILE, readUpload } from '../upload.ts';
import { errorResponses, idParamsSchema } from '../common.ts';

const basisQuerySchema = z.strictObject({ basis: ResultsBasisSchema.optional() });
/** One work of a dimensional campaign: the basis and a value per dimension of the methodology (`subject`, `grade`, …;
 * the service checks them against the methodology). */
/** `indicator`: the ranking by that indicator alone (only it and the sign of non-objectivity computed); every other
 * key is a dimension of the work (`subject`, `grade`). A dimension left out is open («по всем предметам»): then
 * `indicator` names an aggregate of the methodology (dimensional-selection.ts). */
const workQuerySchema = z.object({ basis: ResultsBasisSchema.optional(), indicator: z.string().min(1).max(200).optional() }).catchall(z.string().min(1).max(200));
const anyObject = z.record(z.string(), z.unknown());
const MAX_TABLE_BYTES = 10 * 1024 * 1024;

/* A caller bound to a municipality reaches only campaigns with a participant there: the app-wide hook of
 * src/http/municipal-scope.ts answers 404 on every `/api/campaigns/:id/…` route; of a regional campaign the services
 * get `municipalityId` and compute over that municipality's organisations only. */

export function campaignAnalysisRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance): Promise<void> {
    await fastify.register((await import('@fastify/multipart')).default, { limits: { fileSize: MAX_TABLE_BYTES, files: 1, fields: 2, fieldSize: 1024 } });
    fastify.addHook('onClose', async () => {
      const { closePdfBrowser } = await import('../../../reports/pdf.ts');
      await closePdfBrowser();
    });
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['analysis'];

    app.get('/api/campaigns/:id/analysis', {
      schema: {
        tags, summary: 'Анализ мониторинга: таблица результатов, рейтинг, распределение по уровням, статистика, корреляции, кластеры, динамика',
        params: idParamsSchema, querystring: basisQuerySchema, response: { 200: anyObject, ...errorResponses(400, 401, 403, 404, 409) },
      },
    }, async (req) => {
      return { ...(await getCampaignAnalysis(ctx.db, req.params.id, { ...(req.query.basis ? { basis: req.query.basis } : {}), municipalityId: req.municipalityScope, inlineRows: ctx.analysisInlineRows })) };
    });

    app.get('/api/campaigns/:id/analysis/work', {
      schema: {
        tags, summary: 'Анализ одной работы (предмет × класс) мониторинга с измерениями: рейтинг по каждому показателю со строками региона и муниципалитета, признаки необъективности, изменение к прошлому мониторингу; без предмета или класса — рейтинг выбора «все» по сводному показателю (indicator)',
        params: idParamsSchema, querystring: workQuerySchema, response: { 200: anyObject, ...errorResponses(400, 401, 403, 404, 409) },
      },
    }, async (req) => {
      const { basis, indicator, ...dims } = req.query;
      return { ...(await getSelectionAnalysis(ctx.db, req.params.id, dims as Record<string, string>, { ...(basis ? { basis } : {}), ...(indicator ? { indicator } : {}), municipalityId: req.municipalityScope })) };
    });

    app.get('/api/campaigns/:id/report', {
      schema: { tags, summary: 'Аналитическая справка (format: docx | xlsx | pdf); скачивание в журнале', params: idParamsSchema, querystring: reportQuerySchema, response: { 200: z.any(), ...errorResponses(400, 401, 403, 404, 409) } },
    }, async (req, reply) => {
      const d = await renderCampaignReport(ctx.db, actorOf(req), req.params.id, { format: req.query.format, ...(req.query.basis ? { basis: req.query.basis } : {}), date: await municipalToday(ctx.db), reuseBrowser: true, municipalityId: req.municipalityScope });
      return reply.type(d.mime).header('cache-control', 'no-store').header('content-disposition', contentDisposition(d.fileName)).send(d.buffer);
    });

    app.get('/api/campaigns/:id/protocol', {
      schema: { tags, summary: 'Проект протокола заседания рабочей группы (DOCX); скачивание в журнале', params: idParamsSchema, querystring: protocolQuerySchema, response: { 200: z.any(), ...errorResponses(400, 401, 403, 404) } },
    }, async (req, reply) => {
      const d = await renderCampaignProtocol(ctx.db, actorOf(req), req.params.id, { ...(req.query.number ? { number: req.query.number } : {}), ...(req.query.basis ? { basis: req.query.basis } : {}), date: await municipalToday(ctx.db), municipalityId: req.municipalityScope, inlineRows: ctx.analysisInlineRows });
      return reply.type(d.mime).header('cache-control', 'no-store').header('content-disposition', contentDisposition(d.fileName)).send(d.buffer);
    });

    app.get('/api/campaigns/:id/report-texts', {
      schema: { tags, summary: 'Текстовые блоки справки: сформированный текст, правка аналитика, история', params: idParamsSchema, querystring: basisQuerySchema, response: { 200: anyObject, ...errorResponses(401, 403, 404) } },
    }, async (req) => {
      return { ...(await campaignReportBlocks(ctx.db, req.params.id, { ...(req.query.basis ? { basis: req.query.basis } : {}), municipalityId: req.municipalityScope, inlineRows: ctx.analysisInlineRows })) };
    });

    app.put('/api/campaigns/:id/report-texts', {
      schema: { tags, summary: 'Сохранить правку текстового блока (text: null — вернуть сформированный текст); история сохраняется', params: idParamsSchema, body: reportTextInputSchema, response: { 200: z.object({ overrides: z.record(z.string(), z.string()) }), ...errorResponses(400, 401, 403, 404) } },
    }, async (req) => {
      return { overrides: await saveReportText(ctx.db, actorOf(req), req.params.id, req.body) };
    });

    app.get('/api/campaigns/:id/benchmarks', {
      schema: { tags, summary: 'Региональные значения и целевые показатели мониторинга', params: idParamsSchema, response: { 200: anyObject, ...errorResponses(401, 403, 404) } },
    }, async (req) => {
      return { choices: await benchmarkChoices(ctx.db, req.params.id), items: await listBenchmarks(ctx.db, req.params.id) };
    });

    app.put('/api/campaigns/:id/benchmarks', {
      schema: { tags, summary: 'Задать региональное значение и/или целевой показатель (оба null — снять); в журнале', params: idParamsSchema, body: benchmarkInputSchema, response: { 200: anyObject, ...errorResponses(400, 401, 403, 404) } },
    }, async (req) => {
      return { items: await setBenchmark(ctx.db, actorOf(req), req.params.id, req.body) };
    });

    app.get('/api/campaigns/:id/tables', {
      schema: { tags, summary: 'Таблицы мониторинга, которые загружает аналитик (муниципальные, по типам организаций)', params: idParamsSchema, response: { 200: anyObject, ...errorResponses(401, 403, 404) } },
    }, async (req) => {
      return { datasets: await uploadableDatasets(ctx.db, req.params.id), items: await listCampaignTables(ctx.db, req.params.id) };
    });

    app.post('/api/campaigns/:id/tables', {
      schema: { tags, summary: 'Загрузить таблицу (multipart: file — CSV или XLSX); таблица узнаётся по заголовку; в журнале', consumes: ['multipart/form-data'], params: idParamsSchema, response: { 201: anyObject, ...errorResponses(400, 401, 403, 404, 413, 415) } },
    }, async (req, reply) => {
      const file = await readUpload(req, reply, DATA_FILE);
      if (!file) return reply;
      return reply.code(201).send({ ...(await uploadCampaignTable(ctx.db, actorOf(req), req.params.id, { name: file.name, buffer: file.content })) });
    });

    app.get('/api/public/campaigns', {
      schema: { tags, summary: 'Опубликованные мониторинги (без входа)', response: { 200: anyObject } },
    }, async () => ({ items: await listPublishedCampaigns(ctx.db) }));

    app.get('/api/public/campaigns/:id', {
      schema: { tags, summary: 'Результаты опубликованного мониторинга по типам организаций (без входа; без персональных данных)', params: idParamsSchema, response: { 200: anyObject, ...errorResponses(404) } },
    }, async (req) => ({ ...(await getPublicCampaign(ctx.db, req.params.id)) }));
  };
}
