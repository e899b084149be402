/** ФИС ОКО / ГИА reports imported into a campaign whose methodology has dimensions (issue 22): the reports of every
 * file of one upload (fisoko.ts), each through the bridge to the methodology's columns (fisoko-table.ts), become values
 * per organisation × dimension values (`{"subject": "Математика", "grade": "5"}`), ready to append to the value log.
 *
 * - A school row «(sch510203) МБОУ …» is matched to a participant by its ФИС ОКО login first, then (ГИА) by ИНН, then
 *   by name as every import does (match.ts: exact after normalisation, else candidates the analyst confirms); a name
 *   confirmed, picked or skipped is in `confirmations` (the school as printed → organisation id, or null: skip).
 *   The sample, region and municipality rows are never organisations: they are the comparison columns of each school's
 *   row (region_vpr_share_5…), as the bridge puts them.
 * - A dimension value outside the declared list («Матем.») is not an error but an alias offer: the analyst picks the
 *   declared value («Математика»), saved in the methodology's import mapping so next year's file goes through.
 * - Errors (shares not adding up to 100 ± 0,1, counts above the participants, unreadable cells, a school twice in one
 *   table, a form already sent) name the file, sheet, row and column. All or nothing: `ok` only without an error, an
 *   unresolved school or an unresolved value. Pure. */
import { z } from 'zod';
import { datasetDimensions, readDimensionValue } from '../methodology/dimensions.ts';
import { detectDataset, parseCell } from '../methodology/records.ts';
import type { DatasetDef, DimensionDef, Methodology } from '../methodology/schema.ts';
import { UUID } from '../uuid.ts';
import { fisOkoErrorText } from './fisoko.ts';
import { FISOKO_COLUMNS, fisOkoTable } from './fisoko-table.ts';
import type { FisOkoError, FisOkoReport } from './fisoko-types.ts';
import { normaliseInn, normaliseName, OrgIndex, similarity, type OrgRef } from './match.ts';
import { fisOkoLoginOfferSchema, fisOkoLoginsInputSchema } from './fisoko-logins.ts';
import { aliasOfferSchema } from './record-list.ts';
import { candidateSchema, nameIssueSchema, valueAliasesSchema, type NameIssue, type ValueAliases } from './schema.ts';

/** At most this many files in one upload. */
export const MAX_FISOKO_FILES = 20;
/** The saved mapping of a methodology that keeps the dimension aliases of ФИС ОКО imports. */
export const FISOKO_MAPPING = 'ФИС ОКО';

export const fisOkoImportSettingsSchema = z.strictObject({
  /** A school as printed in the file («(sch021208) МБОУ …») → organisation id, or null: do not import its rows. */
  confirmations: z.record(z.string().max(1000), z.string().regex(UUID).nullable()).optional(),
  /** Dimension id → { text as printed → declared value }: `{ "subject": { "Матем.": "Математика" } }`; added to the
   * saved ones (mapping «ФИС ОКО» of the methodology), and saved with them when the import is applied. */
  aliases: valueAliasesSchema.optional(),
});
export type FisOkoImportSettings = z.infer<typeof fisOkoImportSettingsSchema>;
/** Logins ФИС ОКО to save on the registry (fisoko-logins.ts), with the settings the offers were made under. */
export const fisOkoSaveLoginsSchema = fisOkoImportSettingsSchema.extend({ logins: fisOkoLoginsInputSchema });

export const fisOkoErrorSchema = z.object({ file: z.string(), sheet: z.string().nullable(), line: z.number().nullable(), column: z.string().nullable(), message: z.string(), text: z.string() });
export type FisOkoErrorView = z.infer<typeof fisOkoErrorSchema>;

export const fisOkoSchoolSchema = z.object({
  /** As printed, with the login: the key of `confirmations`. */
  name: z.string(),
  login: z.string().nullable(),
  how: z.enum(['login', 'inn', 'name', 'confirmed', 'skipped', 'unresolved']),
  organisation: candidateSchema.omit({ score: true }).nullable(),
  /** Tables (subject × grade × report) the school is in. */
  tables: z.number(),
});

export const fisOkoPreviewSchema = z.object({
  files: z.array(z.object({ name: z.string(), reports: z.array(z.object({ sheet: z.string().nullable(), kind: z.enum(['vpr_marks', 'vpr_journal', 'gia']), title: z.string(), dimensions: z.record(z.string(), z.string()), schools: z.number() })) })),
  schools: z.array(fisOkoSchoolSchema),
  /** Schools to confirm, pick or skip (shared with the other import wizards). */
  issues: z.array(nameIssueSchema),
  /** Dimension values outside the declared list, each with the declared value it most likely means. */
  aliasOffers: z.array(aliasOfferSchema.extend({ suggestion: z.string().nullable() })),
  errorCount: z.number(),
  errors: z.array(fisOkoErrorSchema),
  /** Values that will be written (before comparing with the current ones), and organisations. */
  values: z.number(),
  organisations: z.number(),
  settings: fisOkoImportSettingsSchema,
  participants: z.array(candidateSchema.omit({ score: true })),
  /** Schools matched otherwise than by login whose printed login could be saved on the registry (fisoko-logins.ts). */
  loginOffers: z.array(fisOkoLoginOfferSchema),
  ok: z.boolean(),
});
export type FisOkoPreview = z.infer<typeof fisOkoPreviewSchema>;

/** One organisation × dimension values of one table, with the values its columns give. */
export interface FisOkoValueRow {
  organisationId: string;
  dimensions: Record<string, string>;
  file: string;
  sheet: string | null;
  line: number;
  /** «статистика.xlsx, лист «5 класс», строка 14». */
  ref: string;
  values: { input: string; value: number | boolean | string }[];
}

export interface FisOkoCampaignResult extends Omit<FisOkoPreview, 'files' | 'settings' | 'participants' | 'loginOffers'> {
  rows: FisOkoValueRow[];
}

const REPORT_TITLES: Record<FisOkoReport['kind'], string> = { vpr_marks: 'ВПР: статистика по отметкам', vpr_journal: 'ВПР: сравнение с отметками по журналу', gia: 'ГИА: результаты по предметам' };
export const reportTitle = (r: FisOkoReport): string => (r.kind === 'gia' && r.exam ? `${r.exam}: результаты по предметам` : REPORT_TITLES[r.kind]);

export function errorView(e: FisOkoError): FisOkoErrorView {
  return { file: e.file, sheet: e.sheet ?? null, line: e.line, column: e.column, message: e.message, text: fisOkoErrorText(e) };
}

/** The dimension with the aliases of the saved mapping and of the request added to its declared ones. */
function withAliases(def: DimensionDef, extra: Record<string, string> | undefined): DimensionDef {
  return extra ? { ...def, aliases: { ...(def.aliases ?? {}), ...extra } } : def;
}

/** Aliases that point to no declared value, or name no dimension of the methodology. */
export function dimensionAliasProblems(m: Methodology, aliases: ValueAliases): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  for (const [dim, map] of Object.entries(aliases)) {
    const def = m.dimensions?.[dim];
    if (!def) {
      out.push({ path: `aliases.${dim}`, message: `В методике нет измерения «${dim}»` });
      continue;
    }
    for (const [text, value] of Object.entries(map))
      if (!def.values.includes(value)) out.push({ path: `aliases.${dim}.${text}`, message: `«${value}» — нет такого значения измерения «${def.title}» (допустимо: ${def.values.join(', ')})` });
  }
  return out;
}

/** The declared value a text most likely means: one it starts («Матем.» → «Математика»), else the most similar. */
export function suggestDimensionValue(def: DimensionDef, text: string): string | null {
  const t = normaliseName(text);
  if (!t) return null;
  const starts = def.values.filter((v) => normaliseName(v).startsWith(t) || t.split(' ').every((w) => normaliseName(v).split(' ').some((x) => x.startsWith(w))));
  if (starts.length === 1) return starts[0] as string;
  const scored = def.values.map((v) => ({ v, s: similarity(normaliseName(v), t) })).sort((a, b) => b.s - a.s);
  return scored[0] && scored[0].s >= 0.5 && (scored[1]?.s ?? 0) < scored[0].s ? scored[0].v : null;
}

interface School {
  name: string;
  login: string | null;
  inn: string | null;
  places: { file: string; line: number }[];
  tables: number;
}

const schoolKey = (login: string | null, name: string) => (login ? `(${login}) ${name}` : name);
const where = (file: string, sheet: string | null | undefined) => (sheet ? `${file}, лист «${sheet}»` : file);

/** Participants by ФИС ОКО login (lower case). */
function loginIndex(orgs: readonly OrgRef[]): Map<string, OrgRef> {
  const m = new Map<string, OrgRef>();
  for (const o of orgs) if (o.fisokoLogin) m.set(o.fisokoLogin.toLowerCase(), o);
  return m;
}

/** Reports of one upload (the reader's errors of files that could not be read given separately) → the values to write,
 * or everything that stands in the way. */
export function prepareFisOkoImport(m: Methodology, reports: readonly FisOkoReport[], readErrors: readonly FisOkoError[], participants: readonly OrgRef[], settings: FisOkoImportSettings): FisOkoCampaignResult {
  const errors: FisOkoErrorView[] = readErrors.map(errorView);
  const addError = (file: string, sheet: string | null | undefined, line: number | null, column: string | null, message: string) =>
    errors.push(errorView({ file, ...(sheet ? { sheet } : {}), line, column, message }));
  const aliases = settings.aliases ?? {};
  for (const p of dimensionAliasProblems(m, aliases)) addError('—', null, null, null, p.message);
  const index = new OrgIndex(participants);
  const byLogin = loginIndex(participants);
  const schools = new Map<string, School>();
  const offers = new Map<string, FisOkoPreview['aliasOffers'][number]>();
  const pending: { key: string; file: string; sheet: string | null; line: number; dimensions: Record<string, string>; values: FisOkoValueRow['values']; table: string }[] = [];

  for (const report of reports) {
    const bridged = fisOkoTable(report);
    if (!bridged.ok) {
      addError(report.file, report.sheet, bridged.error.line, bridged.error.column, bridged.error.message);
      continue;
    }
    const t = bridged.table;
    const detected = detectDataset(m, t.header);
    if (!detected.ok) {
      addError(report.file, report.sheet, null, null, `таблица «${reportTitle(report)}» не подходит к методике «${m.id}»: ${detected.message}`);
      continue;
    }
    const ds = (m.datasets ?? {})[detected.id] as DatasetDef;
    // Column positions by name, looked up once per table (not per cell: 3 000 schools × 48 works made it a hot path).
    const positions = new Map<string, number>();
    t.header.forEach((h, i) => {
      const k = h.trim().toLowerCase();
      if (!positions.has(k)) positions.set(k, i);
    });
    const col = (name: string) => positions.get(name.trim().toLowerCase()) ?? -1;
    const nameCol = col(FISOKO_COLUMNS.organisation);
    const loginCol = col(FISOKO_COLUMNS.login);
    const innCol = col('ИНН');
    const tableId = `${report.file}\u0000${report.sheet ?? ''}\u0000${detected.id}`;
    // Per table, once: each dimension's definition with the aliases and its column; each value column with its input.
    // A dimension text, and a value column's text equal to the row above's (the comparison columns repeat the region's
    // and municipality's figures on every row), is read once: the readers are pure.
    const dimColumns = datasetDimensions(m, ds).map((d) => {
      const def = m.dimensions?.[d] as DimensionDef;
      const column = ds.dimensions?.[d] as string;
      return { d, def, withAliases: withAliases(def, aliases[d]), column, at: col(column), read: new Map<string, ReturnType<typeof readDimensionValue>>() };
    });
    const valueColumns = Object.entries(ds.columns).flatMap(([input, column]) => {
      const def = m.inputs[input];
      const at = col(column);
      return !def || at < 0 ? [] : [{ input, column, def, at, lastText: null as string | null, last: null as ReturnType<typeof parseCell> | null }];
    });
    const tableSchools = new Set<string>();
    for (const row of t.rows) {
      const cells = row.cells;
      const cell = (i: number) => (i < 0 ? '' : (cells[i] ?? '').trim());
      const login = cell(loginCol) || null;
      const name = cell(nameCol);
      const key = schoolKey(login, name);
      tableSchools.add(key);
      let school = schools.get(key);
      if (!school) schools.set(key, (school = { name, login, inn: normaliseInn(cell(innCol)), places: [], tables: 0 }));
      school.places.push({ file: report.file, line: row.line });
      const dimensions: Record<string, string> = {};
      let bad = false;
      for (const dc of dimColumns) {
        const text = cell(dc.at);
        let read = dc.read.get(text);
        if (!read) dc.read.set(text, (read = readDimensionValue(dc.withAliases, text)));
        if (read.ok) dimensions[dc.d] = read.value;
        else if (text === '') {
          addError(report.file, report.sheet, row.line, dc.column, read.message);
          bad = true;
        } else {
          const k = `${dc.d}\u0000${text}`;
          const o = offers.get(k) ?? { field: dc.d, column: dc.def.title, value: text, allowed: dc.def.values, rows: 0, suggestion: suggestDimensionValue(dc.def, text) };
          o.rows++;
          offers.set(k, o);
          bad = true;
        }
      }
      const values: FisOkoValueRow['values'] = [];
      for (const vc of valueColumns) {
        const text = cell(vc.at);
        let v = vc.last;
        if (v === null || text !== vc.lastText) {
          v = parseCell(text, vc.def);
          vc.last = v;
          vc.lastText = text;
        }
        if (!v.ok) {
          addError(report.file, report.sheet, row.line, vc.column, v.message);
          bad = true;
        } else if (v.value !== null) values.push({ input: vc.input, value: v.value });
      }
      if (!bad) pending.push({ key, file: report.file, sheet: report.sheet ?? null, line: row.line, dimensions, values, table: tableId });
    }
    for (const key of tableSchools) {
      const s = schools.get(key);
      if (s) s.tables++;
    }
  }

  // Schools → organisations.
  const confirmations = settings.confirmations ?? {};
  const resolved = new Map<string, { org: OrgRef | null; how: z.infer<typeof fisOkoSchoolSchema>['how'] }>();
  const issues: NameIssue[] = [];
  for (const [key, s] of schools) {
    if (key in confirmations) {
      const id = confirmations[key];
      const org = id ? index.get(id) : undefined;
      if (id && !org) addError(s.places[0]?.file ?? '—', null, s.places[0]?.line ?? null, FISOKO_COLUMNS.organisation, `«${key}»: выбранная организация не участвует в мониторинге`);
      resolved.set(key, { org: org ?? null, how: id ? 'confirmed' : 'skipped' });
      continue;
    }
    const byL = s.login ? byLogin.get(s.login.toLowerCase()) : undefined;
    if (byL) {
      resolved.set(key, { org: byL, how: 'login' });
      continue;
    }
    const byInn = s.inn ? index.match('inn', s.inn) : null;
    if (byInn?.kind === 'ok') {
      resolved.set(key, { org: byInn.org, how: 'inn' });
      continue;
    }
    const byName = index.match('name', s.name);
    if (byName.kind === 'ok') {
      resolved.set(key, { org: byName.org, how: 'name' });
      continue;
    }
    resolved.set(key, { org: null, how: 'unresolved' });
    const candidates = 'candidates' in byName ? byName.candidates : [];
    issues.push({
      name: key,
      lines: [...new Set(s.places.map((p) => p.line))].sort((a, b) => a - b),
      kind: candidates.length === 0 ? 'unmatched' : 'kind' in byName && byName.kind === 'ambiguous' ? 'ambiguous' : 'fuzzy',
      candidates: candidates.map((c) => ({ id: c.org.id, no: c.org.no, shortName: c.org.shortName, fullName: c.org.fullName, score: c.score })),
    });
  }

  // Rows of matched schools; a school twice in one table, or two schools on one organisation × dimension values, is an error.
  const rows: FisOkoValueRow[] = [];
  const seen = new Map<string, string>();
  // The key of a row's dimension values (its JSON, as the values were put in the methodology's order), once per
  // distinct set of values rather than once per row.
  const dimKeys = new Map<string, string>();
  const dimKey = (d: Record<string, string>) => {
    let plain = '';
    for (const k in d) plain += `${k}\u0001${d[k]}\u0002`;
    let k = dimKeys.get(plain);
    if (k === undefined) dimKeys.set(plain, (k = JSON.stringify(d)));
    return k;
  };
  const lockReported = new Set<string>();
  for (const p of pending) {
    const r = resolved.get(p.key);
    if (!r?.org) continue;
    if (r.org.locked) {
      if (!lockReported.has(r.org.id)) addError(p.file, p.sheet, p.line, FISOKO_COLUMNS.organisation, `«${r.org.shortName}»: форма организации ${r.org.locked === 'accepted' ? 'принята' : 'отправлена на проверку'} — импорт её не изменит; верните форму на доработку`);
      lockReported.add(r.org.id);
      continue;
    }
    const at = `${where(p.file, p.sheet)}, строка ${p.line}`;
    const k = `${p.table}\u0000${r.org.id}\u0000${dimKey(p.dimensions)}`;
    const before = seen.get(k);
    if (before) {
      addError(p.file, p.sheet, p.line, FISOKO_COLUMNS.organisation, `«${r.org.shortName}» уже есть в этой таблице (${before}) с теми же значениями измерений`);
      continue;
    }
    seen.set(k, at);
    if (p.values.length) rows.push({ organisationId: r.org.id, dimensions: p.dimensions, file: p.file, sheet: p.sheet, line: p.line, ref: at, values: p.values });
  }
  // The same input of one organisation × dimension values from two files.
  const inputAt = new Map<string, Map<string, string>>();
  for (const row of rows) {
    const at = `${row.organisationId}\u0000${dimKey(row.dimensions)}`;
    let given = inputAt.get(at);
    if (!given) inputAt.set(at, (given = new Map()));
    for (const v of row.values) {
      const before = given.get(v.input);
      if (before) {
        addError(row.file, row.sheet, row.line, m.inputs[v.input]?.title ?? v.input, `значение уже дано в ${before}: один и тот же показатель организации по тем же предмету и классу в двух файлах`);
        break;
      }
      given.set(v.input, row.ref);
    }
  }

  const participantView = (o: OrgRef) => ({ id: o.id, no: o.no, shortName: o.shortName, fullName: o.fullName });
  const schoolList = [...schools].map(([key, s]) => {
    const r = resolved.get(key);
    return { name: key, login: s.login, how: r?.how ?? 'unresolved', organisation: r?.org ? participantView(r.org) : null, tables: s.tables };
  });
  const aliasOffers = [...offers.values()];
  return {
    schools: schoolList,
    issues,
    aliasOffers,
    errorCount: errors.length,
    errors,
    values: rows.reduce((s, r) => s + r.values.length, 0),
    organisations: new Set(rows.map((r) => r.organisationId)).size,
    ok: errors.length === 0 && issues.length === 0 && aliasOffers.length === 0,
    rows,
  };
}
