/** A record list imported into a campaign (issue 21, step 4): the analyst's settings (sheet, confirmations of
 * organisations, value aliases), the validation of the whole list — every bad cell named with the allowed values and
 * an alias to offer, every record whose organisation is not a participant listed for confirm / pick / skip — and the
 * records ready to store. One zod schema per definition, used by the API, the web app and the service. Pure. */
import { z } from 'zod';
import { UUID } from '../uuid.ts';
import { locateRecordTable, readRecords, type RecordCellError, type RecordRow, type RecordValue } from '../methodology/record-dataset.ts';
import type { TableRow } from '../methodology/records.ts';
import type { RecordDatasetDef } from '../methodology/schema.ts';
import { normaliseInn, normaliseName, OrgIndex, type OrgRef } from './match.ts';
import { candidateSchema, nameIssueSchema, valueAliasesSchema, type NameIssue, type ValueAliases } from './schema.ts';
import { cellErrorText } from './validate.ts';

const fieldName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'Неизвестное поле списка' });

export const recordImportSettingsSchema = z.strictObject({
  sheet: z.string().max(200).nullable().optional(),
  /** Record dataset id of the methodology; by default the one whose header the file has. */
  dataset: fieldName.optional(),
  /** Organisation as written in the file (name, else ИНН) → organisation id, or null: do not import its records. */
  confirmations: z.record(z.string().max(1000), z.string().regex(UUID).nullable()).optional(),
  aliases: valueAliasesSchema.optional(),
  /** A saved mapping of the methodology whose aliases apply (the given `aliases` are added to them). */
  mapping: z.string().trim().min(1).max(200).optional(),
});
export type RecordImportSettings = z.infer<typeof recordImportSettingsSchema>;

export const recordApplySchema = recordImportSettingsSchema.extend({
  /** Save the aliases (the mapping's and the given ones) under this name for next year's file. */
  saveMappingAs: z.string().trim().min(1, { error: 'Укажите название сопоставления' }).max(200).optional(),
});

export const recordCellErrorSchema = z.object({
  line: z.number(),
  column: z.string().nullable(),
  message: z.string(),
  text: z.string(),
  /** An enum cell outside the declared values: what to offer as an alias. */
  alias: z.object({ field: z.string(), value: z.string(), allowed: z.array(z.string()) }).optional(),
});
export type RecordImportCellError = z.infer<typeof recordCellErrorSchema>;

export const aliasOfferSchema = z.object({ field: z.string(), column: z.string(), value: z.string(), allowed: z.array(z.string()), rows: z.number() });

export const recordPreviewSchema = z.object({
  dataset: z.object({ id: z.string(), title: z.string() }),
  sheet: z.string().nullable(),
  headerLine: z.number(),
  header: z.array(z.string()),
  totalRows: z.number(),
  /** Records that will be stored (matched, not skipped). */
  records: z.number(),
  /** Of them, counted by the dataset's filters (e.g. published programmes). */
  counted: z.number(),
  organisations: z.number(),
  /** Lines left out: the totals row, organisations the analyst skipped. */
  skipped: z.array(z.object({ line: z.number(), reason: z.string() })),
  errorCount: z.number(),
  errors: z.array(recordCellErrorSchema),
  aliasOffers: z.array(aliasOfferSchema),
  issues: z.array(nameIssueSchema),
  settings: recordImportSettingsSchema,
  participants: z.array(candidateSchema.omit({ score: true })),
  /** The first records with the organisation they were matched to. */
  sample: z.array(z.object({ line: z.number(), label: z.string().nullable(), organisation: z.string().nullable(), fields: z.record(z.string(), z.union([z.string(), z.number(), z.null()])) })),
});
export type RecordPreview = z.infer<typeof recordPreviewSchema>;

export interface PreparedRecord {
  line: number;
  organisationId: string;
  label: string | null;
  fields: Record<string, RecordValue>;
  counted: boolean;
}

export interface RecordListValidation {
  ok: boolean;
  headerLine: number;
  header: string[];
  totalRows: number;
  records: PreparedRecord[];
  skipped: { line: number; reason: string }[];
  errorCount: number;
  errors: RecordImportCellError[];
  aliasOffers: z.infer<typeof aliasOfferSchema>[];
  issues: NameIssue[];
}

/** The dataset with the aliases of the saved mapping and of the request added to its declared ones. */
export function withAliases(ds: RecordDatasetDef, aliases: ValueAliases | undefined): RecordDatasetDef {
  if (!aliases || Object.keys(aliases).length === 0) return ds;
  const fields = Object.fromEntries(
    Object.entries(ds.fields).map(([name, f]) => [name, aliases[name] && f.type === 'enum' ? { ...f, aliases: { ...(f.aliases ?? {}), ...aliases[name] } } : f]),
  );
  return { ...ds, fields };
}

/** Aliases that name an unknown field or a value outside the declared list. */
export function aliasProblems(ds: RecordDatasetDef, aliases: ValueAliases | undefined): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  for (const [field, map] of Object.entries(aliases ?? {})) {
    const f = ds.fields[field];
    if (!f || f.type !== 'enum') {
      out.push({ path: `aliases.${field}`, message: `В списке «${ds.title}» нет поля «${field}» со списком значений` });
      continue;
    }
    for (const [text, value] of Object.entries(map))
      if (!(f.values ?? []).includes(value)) out.push({ path: `aliases.${field}.${text}`, message: `«${value}» — не значение поля «${f.column}» (допустимо: ${(f.values ?? []).join(', ')})` });
  }
  return out;
}

const MAX_ISSUE_LINES = 200;

function toError(e: RecordCellError): RecordImportCellError {
  const out: RecordImportCellError = { line: e.line ?? 0, column: e.column, message: e.message, text: cellErrorText(e.line ?? 0, e.column, e.message) };
  if (e.allowed && e.field && e.value) out.alias = { field: e.field, value: e.value, allowed: e.allowed };
  return out;
}

/** Validates the whole list (`rows`: every row of the sheet, the first one included) against the dataset (with
 * aliases) and the campaign's participants. The records are matched by ИНН when it is a participant's; otherwise by
 * the name as written, which the analyst confirms, picks or skips (`confirmations`). All or nothing: `ok` only without
 * a bad cell and an unresolved organisation. */
export function validateRecordList(ds: RecordDatasetDef, rows: readonly TableRow[], participants: readonly OrgRef[], settings: RecordImportSettings, maxErrors = 1000): RecordListValidation {
  const located = locateRecordTable(ds, rows);
  const empty: RecordListValidation = { ok: false, headerLine: 0, header: [], totalRows: rows.length, records: [], skipped: [], errorCount: 1, errors: [], aliasOffers: [], issues: [] };
  if (!located.ok) return { ...empty, errors: [toError(located.error)] };
  const table = located.table;
  const read = readRecords(ds, table, maxErrors);
  const records: RecordRow[] = read.records;
  const errors = read.ok ? [] : read.errors.map(toError);
  let errorCount = read.ok ? 0 : read.errorCount;
  const offers = new Map<string, z.infer<typeof aliasOfferSchema>>();
  if (!read.ok)
    for (const e of read.errors) {
      if (!e.allowed || !e.field || !e.value) continue;
      const k = `${e.field}\u0000${e.value}`;
      const o = offers.get(k);
      if (o) o.rows++;
      else offers.set(k, { field: e.field, column: e.column ?? e.field, value: e.value, allowed: e.allowed, rows: 1 });
    }

  const index = new OrgIndex(participants);
  const byInn = new Map(participants.filter((p) => p.inn).map((p) => [p.inn as string, p]));
  const orgColumn = ds.organisation.name ?? ds.organisation.inn ?? ds.organisation.number ?? null;
  const issues = new Map<string, NameIssue>();
  const skipped = [...table.skipped];
  const prepared: PreparedRecord[] = [];
  const fail = (line: number, message: string) => {
    errorCount++;
    if (errors.length < maxErrors) errors.push({ line, column: orgColumn, message, text: cellErrorText(line, orgColumn, message) });
  };
  for (const r of records) {
    const inn = r.org.inn ? normaliseInn(r.org.inn) : null;
    let org: OrgRef | null = inn ? (byInn.get(inn) ?? null) : null;
    if (!org) {
      const key = r.org.name ?? r.org.inn ?? r.org.number ?? '';
      const confirmed = settings.confirmations?.[key];
      if (confirmed === null) {
        skipped.push({ line: r.line, reason: `организация «${key}» пропущена` });
        continue;
      }
      if (confirmed !== undefined) {
        org = index.get(confirmed) ?? null;
        if (!org) fail(r.line, `«${key}» — выбранная организация не участвует в мониторинге`);
      } else {
        const named = r.org.name ? index.match('name', r.org.name) : ({ kind: 'unmatched', candidates: [] } as const);
        // A name that is a participant's exactly is enough when the file gives no ИНН or the participant has none;
        // with two different ИНН the analyst decides.
        if (named.kind === 'ok' && (!inn || !named.org.inn)) org = named.org;
        else {
          const kind = named.kind === 'ok' ? 'fuzzy' : named.kind === 'invalid' || named.kind === 'unknown' ? 'unmatched' : named.kind;
          const candidates = named.kind === 'ok' ? [{ org: named.org, score: 1 }] : 'candidates' in named ? named.candidates : [];
          const issueKey = normaliseName(key) + '\u0000' + key;
          const existing = issues.get(issueKey);
          if (existing) {
            if (existing.lines.length < MAX_ISSUE_LINES) existing.lines.push(r.line);
          } else
            issues.set(issueKey, {
              name: key, lines: [r.line], kind,
              candidates: candidates.map((c) => ({ id: c.org.id, no: c.org.no, shortName: c.org.shortName, fullName: c.org.fullName, score: c.score })),
            });
          const innText = r.org.inn ? `ИНН ${inn ?? r.org.inn} не найден среди участников мониторинга` : 'организация не найдена среди участников мониторинга';
          fail(r.line, `«${key}» — ${innText}: ${kind === 'unmatched' ? 'выберите организацию или пропустите её записи' : 'подтвердите организацию, выберите другую или пропустите её записи'}`);
        }
      }
    }
    if (!org) continue;
    const labelField = ds.record_label;
    const label = labelField && r.fields[labelField] !== null && r.fields[labelField] !== undefined ? String(r.fields[labelField]) : null;
    prepared.push({ line: r.line, organisationId: org.id, label, fields: r.fields, counted: r.excludedBy === null });
  }
  return {
    ok: errorCount === 0,
    headerLine: table.headerLine,
    header: table.header,
    totalRows: table.rows.length,
    records: prepared,
    skipped,
    errorCount,
    errors,
    aliasOffers: [...offers.values()],
    issues: [...issues.values()],
  };
}

export const recordDrillDownSchema = z.object({
  campaignId: z.string(),
  organisation: z.object({ id: z.string(), name: z.string() }),
  input: z.string(),
  inputTitle: z.string(),
  dataset: z.object({ id: z.string(), title: z.string() }),
  /** The list in force the records come from (null: none uploaded). */
  list: z.object({ id: z.string(), fileName: z.string(), sheet: z.string().nullable(), at: z.string(), actorLogin: z.string().nullable() }).nullable(),
  value: z.number().nullable(),
  explanation: z.string(),
  /** Every record the figure looks at, by row of the file: fields by column, counted or left out (and why). */
  records: z.array(z.object({
    line: z.number(),
    label: z.string().nullable(),
    fields: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
    counted: z.boolean(),
    excludedBy: z.string().nullable(),
  })),
});
export type RecordDrillDown = z.infer<typeof recordDrillDownSchema>;

export const recordListInfoSchema = z.object({
  id: z.string(),
  dataset: z.string(),
  title: z.string(),
  fileName: z.string(),
  sheet: z.string().nullable(),
  records: z.number(),
  rows: z.number(),
  at: z.string(),
  actorLogin: z.string().nullable(),
  /** The latest list of its dataset: the one the results count. */
  current: z.boolean(),
  inputs: z.array(z.object({ id: z.string(), title: z.string() })),
});
export type RecordListInfo = z.infer<typeof recordListInfoSchema>;
