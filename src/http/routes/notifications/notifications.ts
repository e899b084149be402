/** Notifications and reminders (issue 5): the caller's own notifications (list, unread count, mark read), the
 * reminder pass on demand, the municipality settings (name for the header, time zone, reminder lead time), a
 * campaign's own lead time and users' e-mail addresses. Thin: parse → policy → service. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  campaignRemindersSchema,
  notificationListSchema,
  notificationSchema,
  remindRunResultSchema,
  remindRunSchema,
  settingsSchema,
  settingsUpdateSchema,
  userEmailSchema,
} from '../../../core/notifications/schema.ts';
import { ServiceError } from '../../../services/errors.ts';
import { mailConfigFromEnv } from '../../../services/notifications/mail.ts';
import { listNotifications, markAllRead, markRead, unreadCount } from '../../../services/notifications/notifications.ts';
import { runConfiguredReminders } from '../../../services/notifications/reminder-schedule.ts';
import { getSettings, municipalityOfUser, setCampaignReminderDays, updateSettings } from '../../../services/admin/settings.ts';
import { setUserEmail } from '../../../services/admin/user-email.ts';
import type { AppContext } from '../../context.ts';
import { actorOf } from '../../guard.ts';
import { errorResponses, idParamsSchema } from '../common.ts';
import { attentionRoutes } from './attention.ts';

const notificationParamsSchema = z.strictObject({ id: z.string().regex(/^\d{1,15}$/, { error: 'Номер уведомления — целое число' }) });
const listQuerySchema = z.strictObject({ unread: z.enum(['1', 'true']).optional() });

function userId(req: FastifyRequest): string {
  if (!req.user) throw new ServiceError('unauthorized', 'UNAUTHORIZED', 'Войдите в систему');
  return req.user.id;
}

export function notificationRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['notifications'];
    const emailEnabled = () => mailConfigFromEnv() !== null;
    // «Что требует внимания» (issue 24), the start page: registered with the notifications it belongs beside.
    await fastify.register(attentionRoutes(ctx));

    app.get('/api/notifications', {
      schema: { tags, summary: 'Мои уведомления (новые сверху) и число непрочитанных', querystring: listQuerySchema, response: { 200: notificationListSchema, ...errorResponses(401, 403) } },
    }, async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return listNotifications(ctx.db, userId(req), { unreadOnly: req.query.unread !== undefined });
    });

    app.get('/api/notifications/unread-count', {
      schema: { tags, summary: 'Число моих непрочитанных уведомлений (для значка в шапке)', response: { 200: z.object({ unread: z.number().int() }), ...errorResponses(401, 403) } },
    }, async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return { unread: await unreadCount(ctx.db, userId(req)) };
    });

    app.post('/api/notifications/:id/read', {
      schema: { tags, summary: 'Отметить уведомление прочитанным', params: notificationParamsSchema, response: { 200: notificationSchema, ...errorResponses(400, 401, 403, 404) } },
    }, async (req) => markRead(ctx.db, actorOf(req), userId(req), Number(req.params.id)));

    app.post('/api/notifications/read-all', {
      schema: { tags, summary: 'Отметить все мои уведомления прочитанными', response: { 200: z.object({ marked: z.number().int() }), ...errorResponses(401, 403) } },
    }, async (req) => markAllRead(ctx.db, actorOf(req), userId(req)));

    app.post('/api/reminders/run', {
      schema: {
        tags, summary: 'Выполнить проход напоминаний сейчас (идемпотентно; today — для проверки другой даты)',
        body: remindRunSchema, response: { 200: remindRunResultSchema, ...errorResponses(400, 401, 403) },
      },
    }, async (req) => runConfiguredReminders(ctx.db, { today: req.body.today, actor: actorOf(req), log: (level, message) => req.log[level](message) }));

    app.get('/api/settings', {
      schema: { tags: ['settings'], summary: 'Настройки муниципалитета: название, часовой пояс, сегодняшняя дата, срок напоминаний', response: { 200: settingsSchema, ...errorResponses(401, 403) } },
    }, async (req) => getSettings(ctx.db, { emailEnabled: emailEnabled(), municipalityId: await municipalityOfUser(ctx.db, req.user?.id) }));

    app.patch('/api/settings', {
      schema: { tags: ['settings'], summary: 'Изменить часовой пояс и срок напоминаний (в журнале)', body: settingsUpdateSchema, response: { 200: settingsSchema, ...errorResponses(400, 401, 403, 404) } },
    }, async (req) => updateSettings(ctx.db, actorOf(req), req.body, { emailEnabled: emailEnabled(), municipalityId: await municipalityOfUser(ctx.db, req.user?.id) }));

    app.put('/api/campaigns/:id/reminders', {
      schema: {
        tags, summary: 'Срок напоминаний мониторинга в днях до срока сдачи (null — как в настройках муниципалитета)',
        params: idParamsSchema, body: campaignRemindersSchema, response: { 200: z.object({ daysBefore: z.number().int().nullable() }), ...errorResponses(400, 401, 403, 404) },
      },
    }, async (req) => setCampaignReminderDays(ctx.db, actorOf(req), req.params.id, req.body));

    app.put('/api/users/:id/email', {
      schema: {
        tags: ['users'], summary: 'Адрес электронной почты пользователя для уведомлений (пустой — только в системе)',
        params: idParamsSchema, body: userEmailSchema, response: { 200: z.object({ id: z.string(), login: z.string(), email: z.string().nullable() }), ...errorResponses(400, 401, 403, 404) },
      },
    }, async (req) => setUserEmail(ctx.db, actorOf(req), req.params.id, req.body));
  };
}
