/** API shapes of notifications, reminder settings and users' e-mail addresses (one zod schema each, shared by the
 * routes, the CLI and the web app). */
import { z } from 'zod';
import { isIsoDate } from '../calendar/dates.ts';
import { isValidTimeZone } from '../calendar/timezone.ts';

export const NOTIFICATION_KINDS = ['due_soon', 'overdue', 'overdue_summary', 'returned', 'document'] as const;
export const notificationKindSchema = z.enum(NOTIFICATION_KINDS);
export type NotificationKind = z.infer<typeof notificationKindSchema>;

export const NOTIFICATION_KIND_LABELS: Record<NotificationKind, string> = {
  due_soon: 'Скоро срок сдачи',
  overdue: 'Срок сдачи истёк',
  overdue_summary: 'Сводка о просрочке',
  returned: 'Возвращено на доработку',
  document: 'Документ управления образования',
};

export const notificationSchema = z.object({
  id: z.number().int(),
  kind: notificationKindSchema,
  title: z.string(),
  body: z.string(),
  link: z.string(),
  /** The issued document the notification carries (a letter): its download for the organisation's users. */
  documentUrl: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type Notification = z.infer<typeof notificationSchema>;

export const notificationListSchema = z.object({ items: z.array(notificationSchema), unread: z.number().int() });
export type NotificationList = z.infer<typeof notificationListSchema>;

const isoDate = z.string().refine(isIsoDate, { error: 'Дата в формате ГГГГ-ММ-ДД' });

export const remindDaysSchema = z.int({ error: 'Целое число дней' }).min(0, { error: 'Не меньше 0 дней' }).max(60, { error: 'Не больше 60 дней' });

export const settingsSchema = z.object({
  municipality: z.object({ id: z.string().nullable(), name: z.string() }),
  timeZone: z.string(),
  /** Today in the municipality's time zone. */
  today: z.string(),
  remindDaysBefore: z.number().int(),
  /** SMTP is configured on the server (MSOKO_SMTP_URL). */
  emailEnabled: z.boolean(),
});
export type Settings = z.infer<typeof settingsSchema>;

export const settingsUpdateSchema = z.strictObject({
  timeZone: z.string().trim().refine(isValidTimeZone, { error: 'Неизвестный часовой пояс (нужно имя из базы IANA, например Asia/Yekaterinburg)' }).optional(),
  remindDaysBefore: remindDaysSchema.optional(),
});
export type SettingsUpdate = z.infer<typeof settingsUpdateSchema>;

export const campaignRemindersSchema = z.strictObject({ daysBefore: remindDaysSchema.nullable() });

export const userEmailSchema = z.strictObject({
  /** An empty string or null removes the address. */
  email: z.union([z.literal(''), z.null(), z.email({ error: 'Неверный адрес электронной почты' }).max(254)]),
});

export const remindRunSchema = z.strictObject({ today: isoDate.optional() });

export const remindRunResultSchema = z.object({
  today: z.string(),
  created: z.object({ due_soon: z.number().int(), overdue: z.number().int(), overdue_summary: z.number().int() }),
  emails: z.object({ sent: z.number().int(), failed: z.number().int() }),
});
export type RemindRunResult = z.infer<typeof remindRunResultSchema>;
