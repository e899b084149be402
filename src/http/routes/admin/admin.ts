/** Administration: download a backup of the whole database and restore one (replacing all data). Both audited. */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { backupFileName, backupToBuffer, restoreBackup } from '../../../services/admin/backup.ts';
import { ServiceError } from '../../../services/errors.ts';
import type { AppContext } from '../../context.ts';
import { sendError } from '../../errors.ts';
import { actorOf } from '../../guard.ts';
import { errorResponses } from '../common.ts';

/** Largest backup accepted by the admin page; larger ones are restored with `msoko restore FILE`. */
export const MAX_BACKUP_UPLOAD_BYTES = 200 * 1024 * 1024;
/** The word the administrator types to confirm that every current record is replaced. */
export const RESTORE_CONFIRMATION = 'ЗАМЕНИТЬ';

export function adminRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance): Promise<void> {
    await fastify.register((await import('@fastify/multipart')).default, {
      limits: { fileSize: MAX_BACKUP_UPLOAD_BYTES, files: 1, fields: 2, fieldSize: 100 },
    });
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['admin'];

    app.get('/api/admin/backup', {
      schema: { tags, summary: 'Скачать резервную копию всей базы данных (gzip, JSON по строкам); в журнале', response: { 200: z.any(), ...errorResponses(401, 403) } },
    }, async (req, reply) => {
      const { buffer } = await backupToBuffer(ctx.db, ctx.kind, actorOf(req));
      return reply
        .type('application/gzip')
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="${backupFileName()}"`)
        .send(buffer);
    });

    app.post('/api/admin/restore', {
      schema: {
        tags, consumes: ['multipart/form-data'],
        summary: `Восстановить базу из резервной копии, заменив ВСЕ данные (multipart: confirm = «${RESTORE_CONFIRMATION}», затем file); все сеансы завершаются`,
        response: { 200: z.any(), ...errorResponses(400, 401, 403, 409, 413, 415) },
      },
    }, async (req, reply) => {
      if (!req.isMultipart()) return sendError(reply, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Отправьте файл как multipart/form-data');
      const part = await req.file();
      if (!part) throw new ServiceError('validation', 'FILE_REQUIRED', 'Выберите файл резервной копии', [{ path: 'file', message: 'Выберите файл резервной копии' }]);
      const confirm = part.fields.confirm;
      const confirmed = confirm && !Array.isArray(confirm) && confirm.type === 'field' && String(confirm.value).trim() === RESTORE_CONFIRMATION;
      if (!confirmed) {
        part.file.resume();
        throw new ServiceError('validation', 'CONFIRMATION_REQUIRED', `Подтвердите замену всех данных: введите слово «${RESTORE_CONFIRMATION}»`,
          [{ path: 'confirm', message: `Введите «${RESTORE_CONFIRMATION}»` }]);
      }
      let buffer: Buffer;
      try {
        buffer = await part.toBuffer();
      } catch (err) {
        if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
          return sendError(reply, 413, 'FILE_TOO_LARGE', 'Файл больше 200 МБ — восстановите его командой msoko restore FILE');
        }
        throw err;
      }
      const outcome = await restoreBackup(ctx.db, Readable.from([buffer]), { replace: true, actor: actorOf(req), fileName: part.filename });
      // Every session was removed with the old data: the administrator signs in again with the restored accounts.
      reply.clearCookie(ctx.cookies.session, { path: '/', httpOnly: true, sameSite: 'lax', secure: ctx.cookieSecure });
      return {
        restored: true,
        tables: outcome.tables,
        rows: Object.values(outcome.tables).reduce((a, b) => a + b, 0),
        backup: { createdAt: outcome.header.createdAt, engine: outcome.header.engine, msokoVersion: outcome.header.msokoVersion },
        migratedAfter: outcome.migratedAfter,
      };
    });
  };
}
