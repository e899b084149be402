/** Documents on the department's letterhead (issue 18): requisites in the settings, the register of issued documents
 * (list, download — the stored bytes, always as an attachment; an organisation's user downloads the letters sent to
 * it), the templates per kind (built-in or uploaded: DOCX
 * ≤ 2 MB, checked by docxtemplater) and the information letter of a campaign (draft texts, issue); the orders are in
 * orders.ts. Thin: zod parses,
 * the policy authorises, services work and audit; the clock is read here only. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DOCUMENT_KINDS } from '../../../core/documents/register.ts';
import { TEMPLATE_KINDS } from '../../../core/documents/template-kinds.ts';
import { ALL_TEMPLATE_TAGS } from '../../../core/documents/template-tags.ts';
import { municipalToday } from '../../../services/admin/settings.ts';
import { attachmentHeader } from '../../../services/cycle/evidence.ts';
import { issueLetter, letterDraft, letterInputSchema } from '../../../services/documents/letter.ts';
import { downloadDocument, downloadDocumentPdf, downloadReceivedDocument, listDocuments, pdfUnavailable } from '../../../services/documents/register.ts';
import { documentMunicipality, getRequisites, saveRequisites } from '../../../services/documents/requisites.ts';
import { MAX_TEMPLATE_BYTES, downloadTemplate, listTemplates, resetTemplate, uploadTemplate } from '../../../services/documents/templates.ts';
import { ServiceError } from '../../../services/errors.ts';
import type { AppContext } from '../../context.ts';
import { sendError } from '../../errors.ts';
import { actorOf } from '../../guard.ts';
import { errorResponses, idParamsSchema } from '../common.ts';
import { orderRoutes } from './orders.ts';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const sendPdf = (reply: FastifyReply, f: { fileName: string; content: Buffer }) =>
  reply.type('application/pdf').header('content-disposition', attachmentHeader(f.fileName)).header('x-content-type-options', 'nosniff').header('cache-control', 'private, no-store').send(f.content);
const kindSchema = z.enum(DOCUMENT_KINDS);
const templateKindSchema = z.enum(TEMPLATE_KINDS);

export function documentRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance): Promise<void> {
    await fastify.register((await import('@fastify/multipart')).default, { limits: { fileSize: MAX_TEMPLATE_BYTES, files: 1, fields: 2, fieldSize: 100 } });
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['documents'];
    const ok = { 200: z.any() };
    const municipality = (req: FastifyRequest) => documentMunicipality(ctx.db, req.municipalityScope);
    orderRoutes(ctx, fastify, municipality);

    app.get('/api/settings/requisites', {
      schema: { tags, summary: 'Реквизиты управления образования (бланк документов) и история их изменений', response: { ...ok, ...errorResponses(401, 403, 404) } },
    }, async (req) => getRequisites(ctx.db, req.municipalityScope));

    app.put('/api/settings/requisites', {
      schema: { tags, summary: 'Сохранить реквизиты управления (новая редакция, прежние — в истории); в журнале', body: z.record(z.string(), z.unknown()), response: { ...ok, ...errorResponses(400, 401, 403, 404) } },
    }, async (req) => saveRequisites(ctx.db, actorOf(req), req.municipalityScope, req.body));

    app.get('/api/documents', {
      schema: {
        tags, summary: 'Журнал исходящих документов',
        querystring: z.strictObject({ kind: kindSchema.optional(), year: z.coerce.number().int().min(2000).max(2100).optional(), campaignId: z.uuid().optional() }),
        response: { ...ok, ...errorResponses(400, 401, 403, 404) },
      },
    }, async (req) => ({ items: await listDocuments(ctx.db, (await municipality(req)).id, req.query), pdfUnavailable: pdfUnavailable() }));

    app.get('/api/documents/:id/file', {
      schema: { tags, summary: 'Скачать выпущенный документ (те же байты, что при выпуске); в журнале', params: idParamsSchema, response: { 200: z.any(), ...errorResponses(401, 403, 404) } },
    }, async (req, reply) => {
      const f = await downloadDocument(ctx.db, actorOf(req), (await municipality(req)).id, req.params.id);
      return reply.type(DOCX).header('content-disposition', attachmentHeader(f.fileName)).header('x-content-type-options', 'nosniff').header('cache-control', 'private, no-store').send(f.content);
    });

    app.get('/api/received-documents/:id/file', {
      schema: { tags, summary: 'Скачать письмо, направленное организации пользователя (из уведомления); чужое — 404; в журнале', params: idParamsSchema, response: { 200: z.any(), ...errorResponses(401, 403, 404) } },
    }, async (req, reply) => {
      const f = await downloadReceivedDocument(ctx.db, actorOf(req), req.orgScope, req.params.id);
      return reply.type(DOCX).header('content-disposition', attachmentHeader(f.fileName)).header('x-content-type-options', 'nosniff').header('cache-control', 'private, no-store').send(f.content);
    });

    app.get('/api/documents/:id/pdf', {
      schema: { tags, summary: 'Выпущенный документ в PDF (LibreOffice преобразует сохранённый DOCX); без LibreOffice — 409 с названием пакета Debian; в журнале', params: idParamsSchema, response: { 200: z.any(), ...errorResponses(401, 403, 404, 409) } },
    }, async (req, reply) => sendPdf(reply, await downloadDocumentPdf(ctx.db, actorOf(req), { municipalityId: (await municipality(req)).id }, req.params.id)));

    app.get('/api/received-documents/:id/pdf', {
      schema: { tags, summary: 'Письмо, направленное организации пользователя, в PDF; чужое — 404; без LibreOffice — 409; в журнале', params: idParamsSchema, response: { 200: z.any(), ...errorResponses(401, 403, 404, 409) } },
    }, async (req, reply) => sendPdf(reply, await downloadDocumentPdf(ctx.db, actorOf(req), { organisationId: req.orgScope }, req.params.id)));

    app.get('/api/documents/templates', {
      schema: { tags, summary: 'Шаблоны документов по видам (встроенный или загруженный) и допустимые подстановки', response: { ...ok, ...errorResponses(401, 403, 404) } },
    }, async (req) => ({ items: await listTemplates(ctx.db, (await municipality(req)).id), placeholders: ALL_TEMPLATE_TAGS }));

    app.post('/api/documents/templates/:kind', {
      schema: {
        tags, consumes: ['multipart/form-data'], summary: 'Загрузить свой шаблон вида документа (multipart: file — DOCX до 2 МБ); неизвестная подстановка — отказ с её именем; в журнале',
        params: z.strictObject({ kind: templateKindSchema }), response: { 201: z.any(), ...errorResponses(400, 401, 403, 404, 413, 415) },
      },
    }, async (req, reply) => {
      if (!req.isMultipart()) return sendError(reply, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Отправьте файл как multipart/form-data');
      const part = await req.file();
      if (!part) throw new ServiceError('validation', 'FILE_REQUIRED', 'Выберите файл шаблона .docx', [{ path: 'file', message: 'Выберите файл шаблона .docx' }]);
      let content: Buffer;
      try {
        content = await part.toBuffer();
      } catch (err) {
        if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') return sendError(reply, 413, 'FILE_TOO_LARGE', 'Шаблон больше 2 МБ');
        throw err;
      }
      const m = await municipality(req);
      return reply.code(201).send(await uploadTemplate(ctx.db, actorOf(req), m.id, req.params.kind, { name: part.filename, content }));
    });

    app.get('/api/documents/templates/:kind/file', {
      schema: { tags, summary: 'Скачать шаблон вида документа, который действует (свой или встроенный), чтобы сделать на его основе свой бланк; в журнале', params: z.strictObject({ kind: templateKindSchema }), response: { 200: z.any(), ...errorResponses(400, 401, 403, 404) } },
    }, async (req, reply) => {
      const f = await downloadTemplate(ctx.db, actorOf(req), (await municipality(req)).id, req.params.kind);
      return reply.type(DOCX).header('content-disposition', attachmentHeader(f.fileName)).header('x-content-type-options', 'nosniff').header('cache-control', 'private, no-store').send(f.content);
    });

    app.delete('/api/documents/templates/:kind', {
      schema: { tags, summary: 'Вернуться к встроенному шаблону вида документа (загруженные остаются в истории); в журнале', params: z.strictObject({ kind: templateKindSchema }), response: { ...ok, ...errorResponses(400, 401, 403, 404) } },
    }, async (req) => resetTemplate(ctx.db, actorOf(req), (await municipality(req)).id, req.params.kind));

    app.get('/api/campaigns/:id/documents', {
      schema: { tags, summary: 'Документы мониторинга (выпущенные, со ссылками на скачивание)', params: idParamsSchema, response: { ...ok, ...errorResponses(401, 403, 404) } },
    }, async (req) => ({ items: await listDocuments(ctx.db, (await municipality(req)).id, { campaignId: req.params.id }), pdfUnavailable: pdfUnavailable() }));

    app.get('/api/campaigns/:id/documents/letter', {
      schema: { tags, summary: 'Черновик информационного письма о мониторинге: тексты по умолчанию из данных мониторинга и недостающие реквизиты', params: idParamsSchema, response: { ...ok, ...errorResponses(401, 403, 404) } },
    }, async (req) => letterDraft(ctx.db, (await municipality(req)).id, req.params.id));

    app.post('/api/campaigns/:id/documents/letter', {
      schema: {
        tags, summary: 'Выпустить информационное письмо: номер по журналу, сегодняшняя дата, тексты (addressee, title, paragraphs) — по умолчанию из мониторинга; в журнале',
        params: idParamsSchema, body: letterInputSchema.optional(), response: { 201: z.any(), ...errorResponses(400, 401, 403, 404) },
      },
    }, async (req, reply) => {
      const m = await municipality(req);
      const doc = await issueLetter(ctx.db, actorOf(req), { municipalityId: m.id, campaignId: req.params.id, today: await municipalToday(ctx.db, new Date(), m.id) }, req.body ?? {});
      return reply.code(201).send(doc);
    });
  };
}
