/** Imports into a campaign (issue 5): the analyst's settings (sheet, column → input mapping, how rows are matched to
 * organisations, confirmations of fuzzy names), saved mappings, and the API views. One schema, used by the API, the
 * web wizard and the job. */
import { z } from 'zod';
import { UUID } from '../uuid.ts';

export const MATCH_MODES = ['inn', 'code', 'name'] as const;
export const matchModeSchema = z.enum(MATCH_MODES);
export type MatchMode = z.infer<typeof matchModeSchema>;
export const MATCH_MODE_LABELS: Record<MatchMode, string> = {
  inn: 'по ИНН',
  code: 'по номеру в реестре',
  name: 'по наименованию (с подтверждением)',
};

/** `students`, or `has_site#evidence` for the evidence link of a yes/no input. */
export const importTargetSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(#evidence)?$/, { error: 'Неизвестное поле формы' });
const columnName = z.string().trim().min(1).max(300);

export const columnMapSchema = z.record(columnName, importTargetSchema);
export const matchSettingsSchema = z.strictObject({ mode: matchModeSchema, column: columnName });

export const importSettingsSchema = z.strictObject({
  sheet: z.string().max(200).nullable().optional(),
  /** File column (header text) → input name. */
  columns: columnMapSchema,
  match: matchSettingsSchema,
  /** Name as written in the file → organisation id, or null: do not import rows with this name. */
  confirmations: z.record(z.string().max(1000), z.string().regex(UUID).nullable()).optional(),
});
export type ImportSettings = z.infer<typeof importSettingsSchema>;

/** Value aliases of a record list (issue 21): field → { text as written → declared value }: «Опубл.» → «Опубликована». */
export const valueAliasesSchema = z.record(
  z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'Неизвестное поле списка' }),
  z.record(z.string().trim().min(1).max(300), z.string().min(1).max(300)),
);
export type ValueAliases = z.infer<typeof valueAliasesSchema>;

export const mappingSaveSchema = z.strictObject({
  name: z.string().trim().min(1, { error: 'Укажите название сопоставления' }).max(200),
  columns: columnMapSchema,
  match: matchSettingsSchema,
  /** Record lists: value aliases (absent: the saved ones are kept). */
  aliases: valueAliasesSchema.optional(),
});

export const savedMappingSchema = z.object({
  id: z.string(),
  name: z.string(),
  methodologyId: z.string(),
  columns: z.record(z.string(), z.string()),
  match: matchSettingsSchema,
  aliases: valueAliasesSchema,
  createdBy: z.string().nullable(),
  updatedAt: z.string(),
});
export type SavedMapping = z.infer<typeof savedMappingSchema>;

export const cellErrorSchema = z.object({
  line: z.number(),
  column: z.string().nullable(),
  message: z.string(),
  /** «Строка 12, столбец «Численность»: «abc» — не число». */
  text: z.string(),
});
export type ImportCellError = z.infer<typeof cellErrorSchema>;

export const candidateSchema = z.object({ id: z.string(), no: z.number(), shortName: z.string(), fullName: z.string(), score: z.number() });
export const nameIssueSchema = z.object({
  name: z.string(),
  lines: z.array(z.number()),
  kind: z.enum(['fuzzy', 'ambiguous', 'unmatched']),
  candidates: z.array(candidateSchema),
});
export type NameIssue = z.infer<typeof nameIssueSchema>;

export const IMPORT_STATUSES = ['uploaded', 'queued', 'writing', 'applied', 'rejected', 'failed'] as const;
export const IMPORT_STATUS_LABELS: Record<(typeof IMPORT_STATUSES)[number], string> = {
  uploaded: 'загружен, не применён',
  queued: 'применяется',
  writing: 'записывается',
  applied: 'применён',
  rejected: 'отклонён: ошибки в файле',
  failed: 'прерван',
};

export const importReportSchema = z.object({
  rows: z.number(),
  organisations: z.number(),
  values: z.number(),
  unchanged: z.number(),
  skipped: z.array(z.number()),
  errorCount: z.number(),
  errors: z.array(cellErrorSchema),
  seconds: z.number().optional(),
  /** Writing the values (short transactions, other users' queries run between them). */
  writeSeconds: z.number().optional(),
  /** The final transaction that makes them visible: how long other users' queries waited on PGlite. */
  blockingSeconds: z.number().optional(),
});
export type ImportReport = z.infer<typeof importReportSchema>;

export const importSummarySchema = z.object({
  id: z.string(),
  campaignId: z.string(),
  /** `table`: one CSV/XLSX table of form values or a record list; `fisoko`: ФИС ОКО / ГИА reports (several files). */
  kind: z.enum(['table', 'fisoko']),
  fileName: z.string(),
  format: z.enum(['csv', 'xlsx']),
  fileSize: z.number(),
  sheets: z.array(z.string()),
  status: z.enum(IMPORT_STATUSES),
  jobId: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  appliedAt: z.string().nullable(),
  report: importReportSchema.nullable(),
});
export type ImportSummary = z.infer<typeof importSummarySchema>;

export const fieldRefSchema = z.object({ name: z.string(), title: z.string(), type: z.string(), unit: z.string().nullable(), evidence: z.boolean() });

export const importViewSchema = importSummarySchema.extend({
  campaignTitle: z.string(),
  campaignStatus: z.string(),
  methodologyId: z.string(),
  fields: z.array(fieldRefSchema),
  settings: importSettingsSchema.nullable(),
  mappings: z.array(savedMappingSchema),
});
export type ImportView = z.infer<typeof importViewSchema>;

export const previewSchema = z.object({
  sheet: z.string().nullable(),
  header: z.array(z.string()),
  encoding: z.string().nullable(),
  delimiter: z.string().nullable(),
  settings: importSettingsSchema,
  /** The first rows as read, with the errors of their cells. */
  rows: z.array(z.object({ line: z.number(), cells: z.array(z.string()), organisation: z.string().nullable(), errors: z.array(cellErrorSchema) })),
  totalRows: z.number(),
  errorCount: z.number(),
  errors: z.array(cellErrorSchema),
  issues: z.array(nameIssueSchema),
  organisations: z.array(candidateSchema.omit({ score: true })),
});
export type ImportPreview = z.infer<typeof previewSchema>;
