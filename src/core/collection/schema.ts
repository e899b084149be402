/** Zod schemas of the collection API (campaigns, organisation forms, submissions, value history): one definition for
 * the API contract, the server's validation and the web app. Free of Node imports — the web app imports it as is. */
import { z } from 'zod';
import { isoDateSchema, organisationTypeSchema } from '../registry/schema.ts';

export const CAMPAIGN_STATUSES = ['draft', 'open', 'closed', 'published'] as const;
export const SUBMISSION_STATUSES = ['draft', 'submitted', 'accepted', 'returned'] as const;
export const campaignStatusSchema = z.enum(CAMPAIGN_STATUSES);
export const submissionStatusSchema = z.enum(SUBMISSION_STATUSES);
export type CampaignStatus = z.infer<typeof campaignStatusSchema>;
export type SubmissionStatus = z.infer<typeof submissionStatusSchema>;
/** `not_started`: the organisation has not saved anything yet (no submission row). */
export type SubmissionState = SubmissionStatus | 'not_started';

export const CAMPAIGN_STATUS_LABELS: Record<CampaignStatus, string> = {
  draft: 'Черновик',
  open: 'Идёт сбор',
  closed: 'Сбор закрыт',
  published: 'Опубликован',
};
export const SUBMISSION_STATUS_LABELS: Record<SubmissionState, string> = {
  not_started: 'Не начата',
  draft: 'Черновик',
  submitted: 'Отправлена',
  accepted: 'Принята',
  returned: 'Возвращена на доработку',
};

export const participantsSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('all') }),
  z.strictObject({ mode: z.literal('types'), types: z.array(organisationTypeSchema).min(1, { error: 'Выберите хотя бы один тип' }) }),
  z.strictObject({ mode: z.literal('list'), organisationIds: z.array(z.uuid({ error: 'Некорректный идентификатор организации' })).min(1, { error: 'Выберите хотя бы одну организацию' }) }),
]);
export type Participants = z.infer<typeof participantsSchema>;

const comment = z.string().trim().max(4000);

export const campaignCreateSchema = z.strictObject({
  title: z.string().trim().min(1).max(300),
  methodologyId: z.string().trim().min(1),
  methodologyVersion: z.string().trim().min(1),
  /** Period text or code: `2021/2022`, `2022`, `2022-H1`, `3 квартал 2022`, `март 2022`… */
  period: z.string().trim().min(1).max(100),
  participants: participantsSchema,
  opensOn: isoDateSchema,
  dueOn: isoDateSchema,
  closesOn: isoDateSchema,
});
export type CampaignCreate = z.infer<typeof campaignCreateSchema>;

export const campaignReopenSchema = z.strictObject({ reason: z.string().trim().min(5, { error: 'Укажите причину (не короче 5 символов)' }).max(2000) });

export const campaignSchema = z.object({
  id: z.string(),
  title: z.string(),
  methodologyId: z.string(),
  methodologyVersion: z.string(),
  methodologyTitle: z.string().nullable(),
  period: z.string(),
  periodLabel: z.string(),
  participants: participantsSchema,
  opensOn: z.string(),
  dueOn: z.string(),
  closesOn: z.string(),
  status: campaignStatusSchema,
  organisationCount: z.number().int(),
  createdAt: z.string(),
  /** A regional campaign (issue 9, `campaigns.region_id`): its status is changed by the regional analyst only. */
  regional: z.boolean(),
});
export type Campaign = z.infer<typeof campaignSchema>;

export const campaignEventSchema = z.object({
  at: z.string(),
  fromStatus: campaignStatusSchema.nullable(),
  toStatus: campaignStatusSchema,
  reason: z.string().nullable(),
  actorLogin: z.string().nullable(),
});

export const campaignRowSchema = z.object({
  organisationId: z.string(),
  no: z.number().int(),
  shortName: z.string(),
  type: organisationTypeSchema,
  status: z.enum(['not_started', ...SUBMISSION_STATUSES]),
  filled: z.number().int(),
  required: z.number().int(),
  percent: z.number().int(),
  /** Derived from today and the due date: not submitted (nor accepted) after the due date. Never stored. */
  overdue: z.boolean(),
  updatedAt: z.string().nullable(),
});
export type CampaignRow = z.infer<typeof campaignRowSchema>;

export const campaignDetailSchema = campaignSchema.extend({
  today: z.string(),
  rows: z.array(campaignRowSchema),
  events: z.array(campaignEventSchema),
});
export type CampaignDetail = z.infer<typeof campaignDetailSchema>;

export const fieldValueSchema = z.union([z.number(), z.boolean(), z.string(), z.null()]);

export const formFieldSchema = z.object({
  name: z.string(),
  type: z.enum(['integer', 'number', 'percent', 'boolean', 'enum', 'date', 'score']),
  title: z.string(),
  unit: z.string().nullable(),
  hint: z.string().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  required: z.boolean(),
  values: z.array(z.string()).nullable(),
  evidence: z.enum(['required', 'optional']).nullable(),
});

/** Dimension values of a per-dimension value (issue 22): `{"subject": "Математика", "grade": "5"}` — each as the
 * methodology declares it (integers as text). */
export const dimensionValuesSchema = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string().max(200));
export type DimensionValuesInput = z.infer<typeof dimensionValuesSchema>;

export const findingSchema = z.object({
  id: z.string(),
  kind: z.enum(['required', 'range', 'evidence', 'rule', 'change']),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  inputs: z.array(z.string()),
  /** A finding of one row of a per-dimension table. */
  dimensions: dimensionValuesSchema.optional(),
});

export const currentValueSchema = z.object({
  value: fieldValueSchema,
  evidenceUrl: z.string().nullable(),
  at: z.string(),
  actorLogin: z.string().nullable(),
  source: z.enum(['form', 'import', 'api']),
  sourceRef: z.string().nullable(),
});
export type CurrentValueView = z.infer<typeof currentValueSchema>;

export const submissionEventSchema = z.object({
  at: z.string(),
  fromStatus: submissionStatusSchema.nullable(),
  toStatus: submissionStatusSchema,
  comment: z.string().nullable(),
  actorLogin: z.string().nullable(),
});

/** A per-dimension table of the form (a dataset with `dimensions`): rows = the subject × grade combinations the
 * organisation has values for, columns = the inputs it types (`fields`) and the comparison figures an import fills
 * (`comparison`, read-only). A new row is a combination of the declared `dimensions` values. */
export const dimensionalTableSchema = z.object({
  datasetId: z.string(),
  title: z.string(),
  dimensions: z.array(z.object({ id: z.string(), title: z.string(), values: z.array(z.object({ value: z.string(), label: z.string() })) })),
  fields: z.array(formFieldSchema),
  comparison: z.array(formFieldSchema),
  /** Input → the dataset's column («ВПР: участников»), the short heading of the table's column. */
  columns: z.record(z.string(), z.string()),
  rows: z.array(z.object({
    dimensions: dimensionValuesSchema,
    /** «Математика, 5 класс». */
    label: z.string(),
    values: z.record(z.string(), currentValueSchema),
  })),
});
export type DimensionalTable = z.infer<typeof dimensionalTableSchema>;

export const submissionViewSchema = z.object({
  campaign: campaignSchema,
  organisation: z.object({ id: z.string(), no: z.number().int(), shortName: z.string(), fullName: z.string() }),
  status: z.enum(['not_started', ...SUBMISSION_STATUSES]),
  submitterComment: z.string().nullable(),
  reviewerComment: z.string().nullable(),
  /** Values may be changed now (campaign open, submission a draft or returned). */
  editable: z.boolean(),
  overdue: z.boolean(),
  fields: z.array(formFieldSchema),
  values: z.record(z.string(), currentValueSchema),
  findings: z.array(findingSchema),
  completeness: z.object({ filled: z.number().int(), required: z.number().int(), percent: z.number().int() }),
  previousCampaign: z.object({ id: z.string(), title: z.string(), period: z.string() }).nullable(),
  events: z.array(submissionEventSchema),
  /** Inputs a record list of the campaign supplies (issue 21): not asked in the form, shown read-only with the count. */
  listed: z.record(z.string(), z.object({ list: z.string(), fileName: z.string(), value: z.number().nullable(), explanation: z.string() })),
  /** Per-dimension tables (issue 22), in the methodology's order of datasets; empty for an ordinary methodology. */
  dimensional: z.array(dimensionalTableSchema),
});
export type SubmissionView = z.infer<typeof submissionViewSchema>;

export const saveValuesSchema = z.strictObject({
  values: z.record(
    z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
    z.strictObject({ value: fieldValueSchema, evidenceUrl: z.string().max(2000).nullable().optional() }),
  ),
  /** Cells of per-dimension tables: the same value with the subject × grade it belongs to (a value of the same input
   * may come once per combination, which a record keyed by input cannot hold). `null` clears a cell. */
  dimensional: z
    .array(z.strictObject({ input: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), dimensions: dimensionValuesSchema, value: fieldValueSchema }))
    .max(5000)
    .optional(),
  /** `form` — the web form (autosave); `api` — any other client. Imports write through the import service. */
  source: z.enum(['form', 'api']).optional(),
});
export type SaveValues = z.infer<typeof saveValuesSchema>;

export const submitSchema = z.strictObject({ comment: comment.optional() });
export const reviewSchema = z.strictObject({ comment: comment.optional() });
export const returnSchema = z.strictObject({ comment: z.string().trim().min(1, { error: 'Укажите, что нужно исправить' }).max(4000) });

export const historyItemSchema = z.object({
  id: z.number().int(),
  input: z.string(),
  /** The subject × grade of a per-dimension value, null for an ordinary one. */
  dimensions: dimensionValuesSchema.nullable(),
  value: fieldValueSchema,
  evidenceUrl: z.string().nullable(),
  source: z.enum(['form', 'import', 'api']),
  sourceRef: z.string().nullable(),
  actorLogin: z.string().nullable(),
  at: z.string(),
});
export type HistoryItem = z.infer<typeof historyItemSchema>;
