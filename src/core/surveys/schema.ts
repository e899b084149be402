/** Zod schemas of anonymous surveys (issue 5): one definition for the API contract, the server's validation and the
 * web app. Free of Node imports — the web app imports it as is. */
import { z } from 'zod';
import { participantsSchema } from '../collection/schema.ts';
import { isoDateSchema, organisationTypeSchema } from '../registry/schema.ts';

export const SURVEY_STATUSES = ['draft', 'open', 'closed'] as const;
export const SURVEY_AUDIENCES = ['parents', 'students', 'teachers'] as const;
export const QUESTION_KINDS = ['scale', 'single', 'multiple', 'text'] as const;
export const surveyStatusSchema = z.enum(SURVEY_STATUSES);
export const surveyAudienceSchema = z.enum(SURVEY_AUDIENCES);
export const questionKindSchema = z.enum(QUESTION_KINDS);
export type SurveyStatus = z.infer<typeof surveyStatusSchema>;
export type SurveyAudience = z.infer<typeof surveyAudienceSchema>;
export type QuestionKind = z.infer<typeof questionKindSchema>;

export const SURVEY_STATUS_LABELS: Record<SurveyStatus, string> = { draft: 'Черновик', open: 'Идёт опрос', closed: 'Опрос завершён' };
export const SURVEY_AUDIENCE_LABELS: Record<SurveyAudience, string> = {
  parents: 'Родители (законные представители)',
  students: 'Обучающиеся',
  teachers: 'Педагоги',
};
export const QUESTION_KIND_LABELS: Record<QuestionKind, string> = {
  scale: 'Шкала 0–10',
  single: 'Один вариант',
  multiple: 'Несколько вариантов',
  text: 'Свободный ответ',
};

/** Upper bounds that keep one answer small. */
export const MAX_QUESTIONS = 50;
export const MAX_OPTIONS = 20;
export const MAX_TEXT_ANSWER = 2000;
export const MAX_CODES_PER_REQUEST = 2000;

export const questionInputSchema = z
  .strictObject({
    kind: questionKindSchema,
    text: z.string().trim().min(1, { error: 'Введите текст вопроса' }).max(1000),
    options: z.array(z.string().trim().min(1, { error: 'Пустой вариант ответа' }).max(300)).max(MAX_OPTIONS).default([]),
    required: z.boolean().default(true),
    loyalty: z.boolean().default(false),
  })
  .superRefine((q, ctx) => {
    const choice = q.kind === 'single' || q.kind === 'multiple';
    if (choice && q.options.length < 2) ctx.addIssue({ code: 'custom', path: ['options'], message: 'Нужно не меньше двух вариантов ответа' });
    if (!choice && q.options.length > 0) ctx.addIssue({ code: 'custom', path: ['options'], message: 'Варианты ответа задаются только для вопросов с выбором' });
    if (choice && new Set(q.options).size !== q.options.length) ctx.addIssue({ code: 'custom', path: ['options'], message: 'Варианты ответа повторяются' });
    if (q.loyalty && q.kind !== 'scale') ctx.addIssue({ code: 'custom', path: ['loyalty'], message: 'Индекс лояльности считается только по вопросу со шкалой 0–10' });
    if (q.loyalty && !q.required) ctx.addIssue({ code: 'custom', path: ['required'], message: 'Вопрос для индекса лояльности должен быть обязательным' });
  });
export type QuestionInput = z.input<typeof questionInputSchema>;

export const surveyCreateSchema = z
  .strictObject({
    title: z.string().trim().min(1, { error: 'Введите название' }).max(300),
    /** The campaign (мониторинг) the survey belongs to; its period and methodology are taken from it. */
    campaignId: z.uuid({ error: 'Некорректный идентификатор мониторинга' }).nullable().default(null),
    /** Standalone survey: the methodology id it feeds (optional) and the period (required without a campaign). */
    methodologyId: z.string().trim().min(1).max(200).nullable().default(null),
    period: z.string().trim().max(100).nullable().default(null),
    audience: surveyAudienceSchema,
    participants: participantsSchema,
    opensOn: isoDateSchema,
    closesOn: isoDateSchema,
    minRespondents: z.number().int().min(1).max(1000).default(5),
    requiresCodes: z.boolean().default(false),
    /** Campaign input with the number of children (`children_5_17`, `students`); only with a campaign. */
    enrolmentInput: z.string().trim().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'Имя поля: латиница, цифры и «_»' }).nullable().default(null),
    questions: z.array(questionInputSchema).min(1, { error: 'Добавьте хотя бы один вопрос' }).max(MAX_QUESTIONS),
  })
  .superRefine((s, ctx) => {
    if (s.opensOn > s.closesOn) ctx.addIssue({ code: 'custom', path: ['closesOn'], message: 'Дата закрытия раньше даты открытия' });
    if (!s.campaignId && !s.period) ctx.addIssue({ code: 'custom', path: ['period'], message: 'Укажите период (или выберите мониторинг)' });
    if (!s.campaignId && s.enrolmentInput) ctx.addIssue({ code: 'custom', path: ['enrolmentInput'], message: 'Численность из данных организаций берётся только у опроса в рамках мониторинга' });
    if (s.questions.filter((q) => q.loyalty).length > 1) ctx.addIssue({ code: 'custom', path: ['questions'], message: 'Индекс лояльности считается только по одному вопросу' });
  });
export type SurveyCreate = z.input<typeof surveyCreateSchema>;

export const questionSchema = z.object({
  id: z.string(),
  position: z.number().int(),
  kind: questionKindSchema,
  text: z.string(),
  options: z.array(z.string()),
  required: z.boolean(),
  loyalty: z.boolean(),
});
export type Question = z.infer<typeof questionSchema>;

export const surveySchema = z.object({
  id: z.string(),
  title: z.string(),
  campaignId: z.string().nullable(),
  campaignTitle: z.string().nullable(),
  methodologyId: z.string().nullable(),
  period: z.string(),
  audience: surveyAudienceSchema,
  participants: participantsSchema,
  opensOn: z.string(),
  closesOn: z.string(),
  minRespondents: z.number().int(),
  requiresCodes: z.boolean(),
  enrolmentInput: z.string().nullable(),
  status: surveyStatusSchema,
  organisationCount: z.number().int(),
  respondents: z.number().int(),
  createdAt: z.string(),
});
export type Survey = z.infer<typeof surveySchema>;

export const surveyDetailSchema = surveySchema.extend({ questions: z.array(questionSchema) });
export type SurveyDetail = z.infer<typeof surveyDetailSchema>;

export const surveyLinkSchema = z.object({
  organisationId: z.string(),
  no: z.number().int(),
  shortName: z.string(),
  type: organisationTypeSchema,
  token: z.string(),
  url: z.string(),
  /** QR code of `url` as an SVG document (printable at any size). */
  qrSvg: z.string(),
  children: z.number().int().nullable(),
  codesTotal: z.number().int(),
  codesUsed: z.number().int(),
});
export type SurveyLink = z.infer<typeof surveyLinkSchema>;

export const enrolmentUpdateSchema = z.strictObject({
  items: z.array(z.strictObject({ organisationId: z.uuid(), children: z.number().int().min(0).max(1_000_000).nullable() })).min(1).max(5000),
});

export const codesRequestSchema = z.strictObject({
  /** One organisation, or every participant when omitted. */
  organisationId: z.uuid().nullable().default(null),
  count: z.number().int().min(1).max(MAX_CODES_PER_REQUEST),
});
export const codesResponseSchema = z.object({
  items: z.array(z.object({ organisationId: z.string(), shortName: z.string(), codes: z.array(z.string()) })),
});

/** What the respondent's page receives: no ids of people, nothing but the questionnaire. */
export const publicSurveySchema = z.object({
  title: z.string(),
  audience: surveyAudienceSchema,
  organisationName: z.string(),
  /** `open` — answers accepted; `not_open` — not started yet; `closed` — finished or expired. */
  state: z.enum(['open', 'not_open', 'closed']),
  message: z.string().nullable(),
  opensOn: z.string(),
  closesOn: z.string(),
  requiresCode: z.boolean(),
  questions: z.array(questionSchema.omit({ loyalty: true, position: true })),
});
export type PublicSurvey = z.infer<typeof publicSurveySchema>;

/** One answer: a score 0–10, an option index, option indexes, or text. Checked against the questions by `checkAnswers`. */
export const answerValueSchema = z.union([z.number(), z.string().max(MAX_TEXT_ANSWER * 2), z.array(z.number()).max(MAX_OPTIONS)]);
export const answerSubmitSchema = z.strictObject({
  code: z.string().trim().max(40).nullable().default(null),
  answers: z.record(z.string(), answerValueSchema.nullable()),
});
export type AnswerSubmit = z.input<typeof answerSubmitSchema>;

/** Results of one group (an organisation, a type of organisations, all). Distributions are null when suppressed. */
export const questionResultSchema = z.object({
  questionId: z.string(),
  kind: questionKindSchema,
  text: z.string(),
  answered: z.number().int().nullable(),
  /** Scale: counts of 0…10 (11 numbers). */
  distribution: z.array(z.number().int()).nullable(),
  /** Choice: counts per option, in the order of `options`. */
  options: z.array(z.object({ label: z.string(), count: z.number().int() })).nullable(),
  loyalty: z
    .object({
      value: z.number().nullable(),
      promoters: z.number().int(),
      neutrals: z.number().int(),
      critics: z.number().int(),
      explanation: z.string(),
    })
    .nullable(),
  /** Free text answers (survey total only, analysts only, when not suppressed). */
  texts: z.array(z.string()).nullable(),
});
export const groupResultSchema = z.object({
  key: z.string(),
  label: z.string(),
  type: organisationTypeSchema.nullable(),
  respondents: z.number().int(),
  children: z.number().int().nullable(),
  /** `campaign` — the organisation's submitted form; `survey` — entered on the survey; `sum` — sum of organisations. */
  childrenSource: z.enum(['campaign', 'survey', 'sum']).nullable(),
  childrenNote: z.string().nullable(),
  participation: z.object({ value: z.number().nullable(), explanation: z.string() }),
  suppressed: z.boolean(),
  suppressionNote: z.string().nullable(),
  questions: z.array(questionResultSchema),
});
export type GroupResult = z.infer<typeof groupResultSchema>;
export const surveyResultsSchema = z.object({
  survey: surveySchema,
  minRespondents: z.number().int(),
  /** `organisation` — an organisation's representative sees only their own organisation. */
  scope: z.enum(['all', 'organisation']),
  total: groupResultSchema.nullable(),
  byType: z.array(groupResultSchema),
  byOrganisation: z.array(groupResultSchema),
});
export type SurveyResults = z.infer<typeof surveyResultsSchema>;

/** «недостаточно ответов (< 5)». */
export function suppressionNote(min: number): string {
  return `недостаточно ответов (< ${min})`;
}

/** Why a group with enough answers is hidden all the same (secondary suppression, `planSuppression`). */
export function secondarySuppressionNote(min: number): string {
  return `скрыто, чтобы по разности с итогом нельзя было узнать ответы групп, где меньше ${min} ответов`;
}
