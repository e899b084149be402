/** Request shapes of the management-cycle API (road maps, recommendations, decisions). Pure zod: the routes validate
 * with them, the web can reuse them. */

import { z } from 'zod';
import { isIsoDate } from '../calendar/index.ts';
import { ADDRESSEE_KINDS } from './recommendation-rule-schema.ts';
import { DirectionSchema } from './roadmap-schema.ts';

const isoDate = z.string().refine(isIsoDate, { message: 'Ожидается дата в формате ГГГГ-ММ-ДД' });
const url = z
  .string()
  .trim()
  .max(2000)
  .refine((v) => /^https?:\/\/\S+$/i.test(v), { message: 'Ссылка должна начинаться с http:// или https://' });
const text = (max: number) => z.string().trim().min(1, 'Заполните поле').max(max);

export { ADDRESSEE_KINDS };
export const ADDRESSEE_LABELS: Record<(typeof ADDRESSEE_KINDS)[number], string> = {
  organisation: 'образовательная организация',
  head: 'руководитель ОО',
  deputies: 'заместители руководителя',
  teachers: 'педагогические работники',
  methodological_association: 'методическое объединение',
  parents: 'родители (законные представители)',
};
export const RECOMMENDATION_STATUSES = ['issued', 'in_progress', 'done', 'verified'] as const;
export const RECOMMENDATION_STATUS_LABELS: Record<(typeof RECOMMENDATION_STATUSES)[number], string> = {
  issued: 'выдана',
  in_progress: 'выполняется',
  done: 'выполнена (отчёт ОО)',
  verified: 'выполнение подтверждено',
};
export const DECISION_KINDS = ['order', 'meeting', 'training', 'funding', 'roadmap_change'] as const;
export const DECISION_KIND_LABELS: Record<(typeof DECISION_KINDS)[number], string> = {
  order: 'приказ',
  meeting: 'совещание',
  training: 'обучение (повышение квалификации)',
  funding: 'финансирование',
  roadmap_change: 'корректировка дорожной карты',
};

export const roadmapParamsSchema = z.strictObject({
  direction: DirectionSchema,
  year: z.coerce.number().int().min(2000).max(2100),
});
export const todayQuerySchema = z.strictObject({
  /** Day the statuses are computed for; default: the server's today. */
  today: isoDate.optional(),
});

export const completionCreateSchema = z
  .strictObject({
    occurrenceDue: isoDate,
    doneAt: isoDate,
    evidenceUrl: url.optional(),
    note: z.string().trim().max(4000).optional(),
  })
  .refine((c) => Boolean(c.evidenceUrl) || Boolean(c.note), { message: 'Укажите ссылку на подтверждающий документ или примечание', path: ['evidenceUrl'] });

export const recommendationCreateSchema = z.strictObject({
  direction: DirectionSchema,
  campaignId: z.uuid().optional(),
  methodologyId: z.string().trim().min(1).max(200).optional(),
  addresseeKind: z.enum(ADDRESSEE_KINDS),
  /** One recommendation per organisation; empty — one municipal-level recommendation without an organisation. */
  organisationIds: z.array(z.uuid()).max(500).default([]),
  text: text(8000),
  dueDate: isoDate.optional(),
  /** What motivated it (a campaign's results): the indicator, the methodology rule and its reason. */
  indicator: z.string().trim().min(1).max(200).optional(),
  ruleId: z.string().trim().min(1).max(200).optional(),
  basis: z.string().trim().max(2000).optional(),
});

export const recommendationUpdateSchema = z
  .strictObject({
    addresseeKind: z.enum(ADDRESSEE_KINDS).optional(),
    organisationId: z.uuid().nullable().optional(),
    text: text(8000).optional(),
    dueDate: isoDate.nullable().optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: 'Нечего изменять' });

export const recommendationStatusSchema = z.strictObject({
  status: z.enum(RECOMMENDATION_STATUSES),
  reportText: z.string().trim().max(8000).optional(),
  evidenceUrl: url.optional(),
  comment: z.string().trim().max(4000).optional(),
});

export const recommendationListQuerySchema = z.strictObject({
  direction: DirectionSchema.optional(),
  status: z.enum(RECOMMENDATION_STATUSES).optional(),
  organisationId: z.uuid().optional(),
});

export const DESIRED_DIRECTIONS = ['increase', 'decrease'] as const;
const indicatorRef = z.strictObject({
  methodology_id: text(200),
  indicator: text(200),
  /** The value the decision aims at (default: the methodology's `target`). */
  target: z.number().finite().optional(),
  /** Which way the indicator should move (default: increase). */
  direction: z.enum(DESIRED_DIRECTIONS).optional(),
});

export const decisionCreateSchema = z.strictObject({
  direction: DirectionSchema,
  kind: z.enum(DECISION_KINDS),
  number: z.string().trim().max(100).optional(),
  date: isoDate,
  title: text(1000),
  responsible: text(500),
  documentUrl: url.optional(),
  recommendationIds: z.array(z.uuid()).max(500).default([]),
  indicators: z.array(indicatorRef).max(100).default([]),
  /** The campaign whose results motivated the decision (the «before» of its effect). */
  campaignId: z.uuid().optional(),
});

export const decisionUpdateSchema = z
  .strictObject({
    kind: z.enum(DECISION_KINDS).optional(),
    number: z.string().trim().max(100).nullable().optional(),
    date: isoDate.optional(),
    title: text(1000).optional(),
    responsible: text(500).optional(),
    documentUrl: url.nullable().optional(),
    recommendationIds: z.array(z.uuid()).max(500).optional(),
    indicators: z.array(indicatorRef).max(100).optional(),
    campaignId: z.uuid().nullable().optional(),
    effectEvaluatedAt: isoDate.nullable().optional(),
    effectNote: z.string().trim().max(8000).nullable().optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: 'Нечего изменять' });

export const decisionListQuerySchema = z.strictObject({ direction: DirectionSchema.optional() });

export type CompletionCreate = z.infer<typeof completionCreateSchema>;
export type RecommendationCreate = z.input<typeof recommendationCreateSchema>;
export type RecommendationUpdate = z.infer<typeof recommendationUpdateSchema>;
export type RecommendationStatusChange = z.infer<typeof recommendationStatusSchema>;
export type DecisionCreate = z.input<typeof decisionCreateSchema>;
export type DecisionUpdate = z.infer<typeof decisionUpdateSchema>;
export type IndicatorRef = z.infer<typeof indicatorRef>;
