/** Record lists in a campaign (issue 21, step 4): a file uploaded as an import (`POST /api/campaigns/:id/imports`) whose
 * header is a record dataset of the campaign's methodology (`record_datasets`, e.g. the ИС «Навигатор» programme list)
 * is previewed and applied as a list of records instead of form values:
 * - preview: the whole list is validated (src/core/imports/record-list.ts) — every bad cell with the allowed values and
 *   an alias to offer, every record whose organisation is not a participant listed for confirm / pick / skip;
 * - apply: all or nothing, in one transaction — the list (file, sheet, resolutions) and its records (matched
 *   organisation, row, label, typed fields) are appended (migration 0014), the import is marked applied, optionally the
 *   aliases are saved in a mapping of the methodology; audited. A new list of the same dataset replaces the previous
 *   one for the results; the previous lists stay as history;
 * - the lists in force feed `computeCampaignResults` (the same counting as `msoko compute`, combine.ts) and the
 *   drill-down of a record-based figure to the records behind it. */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { formatNumber, plural } from '../../core/format.ts';
import { aliasProblems, recordApplySchema, recordImportSettingsSchema, validateRecordList, withAliases, type RecordDrillDown, type RecordListInfo, type RecordPreview } from '../../core/imports/record-list.ts';
import type { ValueAliases } from '../../core/imports/schema.ts';
import { aggregateRecords, fieldsUsed, recordOf, suppliedInputs, type RecordRow, type RecordValue } from '../../core/methodology/record-dataset.ts';
import { groupsExact } from '../../core/methodology/record-groups.ts';
import type { TableRow } from '../../core/methodology/records.ts';
import type { Methodology, RecordDatasetDef } from '../../core/methodology/schema.ts';
import { locateRecordTable } from '../../core/methodology/record-dataset.ts';
import type { DatabaseKind } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import { recordAudit } from '../admin/audit.ts';
import { campaignMethodology, findCampaignRow } from '../collection/campaigns.ts';
import { ServiceError, parseInput, type Actor } from '../errors.ts';
import { campaignOrgRefs, importTable, listMappings, saveMapping } from './imports.ts';
import { yieldToEventLoop } from '../event-loop.ts';
import { UUID } from '../../core/uuid.ts';
import { formRecordGroups } from './record-groups.ts';

export { loadRecordGroups } from './record-groups.ts';

/** Records a statement: about 0.1 s on PGlite. */
const CHUNK = 5_000;
const SAMPLE_ROWS = 20;

export async function findImportRow(db: Kysely<Database>, id: string) {
  const r = UUID.test(id) ? await db.selectFrom('imports').select(['id', 'campaign_id', 'file_name', 'format', 'status']).where('id', '=', id).executeTakeFirst() : undefined;
  if (!r) throw new ServiceError('not_found', 'IMPORT_NOT_FOUND', 'Импорт не найден');
  return r;
}

/** The record dataset of the file: the one named, else the one whose header the file has. */
function chooseDataset(m: Methodology, rows: readonly TableRow[], wanted: string | undefined): { id: string; ds: RecordDatasetDef } {
  const all = Object.entries(m.record_datasets ?? {});
  if (all.length === 0) throw new ServiceError('validation', 'NO_RECORD_DATASETS', `Методика «${m.id}» не описывает списков записей (record_datasets): импортируйте значения формы`);
  if (wanted !== undefined) {
    const ds = m.record_datasets?.[wanted];
    if (!ds) throw new ServiceError('validation', 'RECORD_DATASET_UNKNOWN', `В методике «${m.id}» нет списка «${wanted}»`, [{ path: 'dataset', message: `Нет списка «${wanted}»` }]);
    return { id: wanted, ds };
  }
  for (const [id, ds] of all) if (locateRecordTable(ds, rows).ok) return { id, ds };
  const [id, ds] = all[0] as [string, RecordDatasetDef];
  return { id, ds };
}

/** The last checked list of this process (the preview's), reused by the apply that follows when nothing it depends on
 * changed (the key of `prepare`): the apply no longer checks 100 000 rows a second time (issue 21). One list kept. */
const checkedLists = new Map<string, ReturnType<typeof validateRecordList>>();

export interface Prepared {
  campaignId: string;
  methodologyId: string;
  imp: Awaited<ReturnType<typeof findImportRow>>;
  sheet: string | null;
  dataset: { id: string; ds: RecordDatasetDef };
  aliases: ValueAliases;
  validation: ReturnType<typeof validateRecordList>;
  participants: Awaited<ReturnType<typeof campaignOrgRefs>>;
}

export async function prepare(db: Kysely<Database>, importId: string, settings: ReturnType<typeof recordImportSettingsSchema.parse>): Promise<Prepared> {
  const imp = await findImportRow(db, importId);
  const campaign = await findCampaignRow(db, imp.campaign_id);
  const { methodology: m } = await campaignMethodology(db, campaign.methodology_id, campaign.methodology_version);
  const table = await importTable(db, imp, settings.sheet ?? null);
  const rows: TableRow[] = [{ line: table.headerLine ?? 1, cells: table.header }, ...table.rows];
  const dataset = chooseDataset(m, rows, settings.dataset);
  let aliases: ValueAliases = {};
  if (settings.mapping) {
    const saved = (await listMappings(db, campaign.methodology_id)).find((x) => x.name === settings.mapping);
    if (!saved) throw new ServiceError('validation', 'MAPPING_NOT_FOUND', `Сохранённое сопоставление «${settings.mapping}» не найдено`, [{ path: 'mapping', message: 'Не найдено' }]);
    aliases = saved.aliases;
  }
  for (const [field, map] of Object.entries(settings.aliases ?? {})) aliases = { ...aliases, [field]: { ...(aliases[field] ?? {}), ...map } };
  const problems = aliasProblems(dataset.ds, aliases);
  if (problems.length) throw new ServiceError('validation', 'ALIASES_INVALID', problems[0]?.message ?? 'Проверьте синонимы значений', problems);
  const participants = await campaignOrgRefs(db, campaign.id);
  await yieldToEventLoop();
  // Everything the check depends on: the import's file (never changes), the methodology version, the sheet, the
  // dataset and aliases, the confirmations, the participants as read now.
  const key = createHash('sha256').update(JSON.stringify([imp.id, campaign.methodology_id, campaign.methodology_version, table.sheet ?? null, dataset.id, aliases, settings, participants])).digest('base64');
  let validation = checkedLists.get(key);
  if (!validation) {
    validation = validateRecordList(withAliases(dataset.ds, aliases), rows, participants, settings);
    checkedLists.delete(checkedLists.keys().next().value ?? '');
    checkedLists.set(key, validation);
  }
  return { campaignId: campaign.id, methodologyId: campaign.methodology_id, imp, sheet: table.sheet ?? null, dataset, aliases, validation, participants };
}

export function present(p: Prepared, settings: ReturnType<typeof recordImportSettingsSchema.parse>): RecordPreview {
  const v = p.validation;
  const names = new Map(p.participants.map((o) => [o.id, o.shortName]));
  return {
    dataset: { id: p.dataset.id, title: p.dataset.ds.title },
    sheet: p.sheet,
    headerLine: v.headerLine,
    header: v.header,
    totalRows: v.totalRows,
    records: v.records.length,
    counted: v.records.filter((r) => r.counted).length,
    organisations: new Set(v.records.map((r) => r.organisationId)).size,
    skipped: v.skipped,
    errorCount: v.errorCount,
    errors: v.errors.slice(0, 200),
    aliasOffers: v.aliasOffers,
    issues: v.issues,
    settings: { ...settings, dataset: p.dataset.id, aliases: p.aliases },
    participants: p.participants.length <= 5000 ? p.participants.map((o) => ({ id: o.id, no: o.no, shortName: o.shortName, fullName: o.fullName })) : [],
    sample: v.records.slice(0, SAMPLE_ROWS).map((r) => ({ line: r.line, label: r.label, organisation: names.get(r.organisationId) ?? null, fields: r.fields })),
  };
}

/** Validates the whole list with the given confirmations and aliases; writes nothing. */
export async function previewRecordList(db: Kysely<Database>, importId: string, input: unknown): Promise<RecordPreview> {
  const settings = parseInput(recordImportSettingsSchema, input ?? {});
  return present(await prepare(db, importId, settings), settings);
}

function refuseFinished(status: string): void {
  if (status === 'closed') throw new ServiceError('conflict', 'CAMPAIGN_NOT_OPEN', 'Мониторинг закрыт: импорт возможен только после повторного открытия с указанием причины');
  if (status === 'published') throw new ServiceError('conflict', 'CAMPAIGN_NOT_OPEN', 'Мониторинг опубликован: импорт невозможен');
}

/** `job`: run by the `records.apply` job (record-apply-job.ts) — the import is `queued` by that job, progress is
 * reported outside the transaction, and the job is completed inside it. */
export interface ApplyOptions {
  kind?: DatabaseKind;
  job?: { id: string; completeIn(trx: Kysely<Database>, result: unknown): Promise<void> };
  progress?: (message: string) => Promise<void>;
}

export interface AppliedRecordList { listId: string; importId: string; dataset: string; fileName: string; records: number; counted: number; organisations: number; skipped: number; replaced: string | null }

/** Applies the list: all or nothing, in one transaction. Any bad cell or unresolved organisation: nothing is written. */
export async function applyRecordList(db: Kysely<Database>, actor: Actor, importId: string, input: unknown, opts: ApplyOptions = {}): Promise<AppliedRecordList> {
  const { saveMappingAs, ...settings } = parseInput(recordApplySchema, input ?? {});
  await opts.progress?.('Чтение и проверка списка');
  const p = await prepare(db, importId, settings);
  const campaign = await findCampaignRow(db, p.campaignId);
  refuseFinished(campaign.status);
  const v = p.validation;
  if (!v.ok) {
    const first = v.errors.slice(0, 50).map((e) => ({ path: `line.${e.line}`, message: e.text }));
    throw new ServiceError('validation', 'RECORDS_INVALID', `В списке ${formatNumber(v.errorCount)} ${plural(v.errorCount, ['ошибка', 'ошибки', 'ошибок'])}: ничего не изменено. ${v.errors[0]?.text ?? ''}`.trim(), first);
  }
  if (v.records.length === 0) throw new ServiceError('validation', 'RECORDS_EMPTY', 'В списке нет записей для импорта: ничего не изменено');
  if (saveMappingAs) {
    const ds = p.dataset.ds;
    const column = ds.organisation.inn ?? ds.organisation.name ?? ds.organisation.number ?? '';
    await saveMapping(db, actor, p.methodologyId, { name: saveMappingAs, columns: {}, match: { mode: ds.organisation.inn ? 'inn' : ds.organisation.number ? 'code' : 'name', column }, aliases: p.aliases });
  }
  const counted = v.records.filter((r) => r.counted).length;
  const organisations = new Set(v.records.map((r) => r.organisationId)).size;
  await opts.progress?.(`Запись ${formatNumber(v.records.length)} ${plural(v.records.length, ['записи', 'записей', 'записей'])} в базу данных`);
  const applied = await db.transaction().execute(async (trx) => {
    // PGlite (one connection, superuser, no concurrent transactions): the foreign-key triggers of the records are
    // replaced by the join below, which refuses an organisation that is not in the registry (as import-apply.ts does).
    if (opts.kind === 'pglite') await sql`set local session_replication_role = replica`.execute(trx);
    const locked = await trx.selectFrom('imports').select(['status', 'job_id']).where('id', '=', p.imp.id).forUpdate().executeTakeFirstOrThrow();
    const ours = opts.job !== undefined && locked.status === 'queued' && locked.job_id === opts.job.id;
    if (!ours && (locked.status === 'queued' || locked.status === 'writing')) throw new ServiceError('conflict', 'IMPORT_RUNNING', 'Этот файл уже применяется');
    if (locked.status === 'applied') throw new ServiceError('conflict', 'IMPORT_APPLIED', 'Этот файл уже применён');
    const previous = await trx.selectFrom('campaign_record_lists').select('id').where('campaign_id', '=', p.campaignId).where('dataset_id', '=', p.dataset.id).orderBy('at', 'desc').orderBy('id').executeTakeFirst();
    const list = await trx
      .insertInto('campaign_record_lists')
      .values({
        campaign_id: p.campaignId, dataset_id: p.dataset.id, import_id: p.imp.id, file_name: p.imp.file_name, sheet: p.imp.format === 'xlsx' ? p.sheet : null,
        header_line: v.headerLine, rows_total: v.totalRows, records: v.records.length,
        settings: JSON.stringify({ confirmations: settings.confirmations ?? {}, aliases: p.aliases, ...(settings.mapping ? { mapping: settings.mapping } : {}) }),
        skipped: JSON.stringify(v.skipped), actor_user_id: actor.userId, actor_login: actor.login,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (let i = 0; i < v.records.length; i += CHUNK) {
      const part = v.records.slice(i, i + CHUNK).map((r) => ({ o: r.organisationId, l: r.line, b: r.label, f: r.fields }));
      const written = await sql`insert into campaign_records (list_id, organisation_id, line, label, fields)
        select ${list.id}::uuid, o.id, x.l, x.b, x.f from json_to_recordset(${JSON.stringify(part)}::json) as x(o text, l int, b text, f jsonb)
        join organisations o on o.id = x.o::uuid`.execute(trx);
      if (Number(written.numAffectedRows ?? part.length) !== part.length) throw new ServiceError('conflict', 'ORGANISATION_GONE', 'Организация списка удалена из реестра во время импорта: ничего не изменено');
    }
    // The list's groups for counting its figures, formed once here (the list never changes): migration 0021.
    if (groupsExact(p.dataset.ds)) await formRecordGroups(trx, list.id, p.dataset.ds);
    const report = { rows: v.totalRows, organisations, values: v.records.length, unchanged: 0, skipped: v.skipped.map((s) => s.line), errorCount: 0, errors: [] };
    await trx.updateTable('imports').set({ status: 'applied', applied_at: sql`now()`, report: JSON.stringify(report) }).where('id', '=', p.imp.id).execute();
    await recordAudit(trx, actor, {
      action: 'campaign.records.apply', targetType: 'campaign', targetId: p.campaignId,
      details: { importId: p.imp.id, listId: list.id, dataset: p.dataset.id, file: p.imp.file_name, records: v.records.length, counted, organisations, skipped: v.skipped.length, replaced: previous?.id ?? null, confirmations: settings.confirmations ?? {}, aliases: p.aliases },
    });
    const result = { listId: list.id, importId: p.imp.id, dataset: p.dataset.id, fileName: p.imp.file_name, records: v.records.length, counted, organisations, skipped: v.skipped.length, replaced: previous?.id ?? null };
    await opts.job?.completeIn(trx, result);
    return result;
  });
  checkedLists.clear(); // applied: its check is not needed again
  return applied;
}

/** A list in force of a campaign with its records per organisation (typed fields as stored). */
export interface StoredRecordList {
  listId: string;
  campaignId: string;
  datasetId: string;
  fileName: string;
  sheet: string | null;
  headerLine: number;
  skipped: { line: number; reason: string }[];
  at: string;
  actorLogin: string | null;
  byOrganisation: Map<string, { line: number; fields: Record<string, RecordValue> }[]>;
}

/** The lists in force (latest per campaign and dataset) of the campaigns, without their records (`loadRecords`). */
export async function recordListsInForce(db: Kysely<Database>, campaignIds: readonly string[]): Promise<Map<string, StoredRecordList[]>> {
  const out = new Map<string, StoredRecordList[]>();
  if (campaignIds.length === 0) return out;
  const lists = await db
    .selectFrom('campaign_record_lists')
    .distinctOn(['campaign_id', 'dataset_id'])
    .select(['id', 'campaign_id', 'dataset_id', 'file_name', 'sheet', 'header_line', 'skipped', 'at', 'actor_login'])
    .where('campaign_id', 'in', campaignIds)
    .orderBy('campaign_id')
    .orderBy('dataset_id')
    .orderBy('at', 'desc')
    .orderBy('id')
    .execute();
  for (const l of lists) {
    const s: StoredRecordList = {
      listId: l.id, campaignId: l.campaign_id, datasetId: l.dataset_id, fileName: l.file_name, sheet: l.sheet, headerLine: l.header_line,
      skipped: l.skipped as StoredRecordList['skipped'], at: new Date(l.at).toISOString(), actorLogin: l.actor_login, byOrganisation: new Map(),
    };
    out.set(l.campaign_id, [...(out.get(l.campaign_id) ?? []), s]);
  }
  return out;
}

/** Reads the records of a list into `byOrganisation`: one row per organisation (a row costs most on PGlite), each
 * record as [line, …the `fields` it needs] (null: every field) — counting reads back only the fields it looks at.
 * `organisationId` narrows to one organisation (the drill-down). */
export async function loadRecords(db: Kysely<Database>, list: StoredRecordList, fields: readonly string[] | null, organisationId?: string): Promise<void> {
  const values = fields ? sql.join([sql`line`, ...fields.map((f) => sql`fields->${f}`)]) : sql.join([sql`line`, sql`fields`]);
  const rows = await sql<{ organisation_id: string; r: unknown[][] }>`
    select organisation_id, jsonb_agg(jsonb_build_array(${values}) order by line) as r from campaign_records
    where list_id = ${list.listId} ${organisationId ? sql`and organisation_id = ${organisationId}` : sql``}
    group by organisation_id`.execute(db);
  for (const row of rows.rows) {
    list.byOrganisation.set(
      row.organisation_id,
      row.r.map((x) => {
        if (!fields) return { line: x[0] as number, fields: x[1] as Record<string, RecordValue> };
        const f: Record<string, RecordValue> = {};
        fields.forEach((name, i) => (f[name] = (x[i + 1] ?? null) as RecordValue));
        return { line: x[0] as number, fields: f };
      }),
    );
  }
}

/** Reads the records of a list for counting (the recompute of a campaign) into `byOrganisation`, exactly what
 * `loadRecords(db, list, fieldsUsed(ds))` reads, in one query and one JSON text per list: the records are grouped by
 * organisation and the values of the fields counting compares (filters, `group_by`, `where`: a few distinct values),
 * each group with its records' lines and other fields (numbers summed, the label) as arrays (one order for all the
 * arrays of a group: the aggregates of a group see its rows in one order; the records are put in file order here);
 * each field is read as `fields->>…` (numbers cast as declared). Reading a row and a jsonb value per organisation was half of a
 * campaign's recompute with a 100 000-row list on PGlite, whose rows and values are decoded in this process (issue 21,
 * docs/performance.md). `labels: false`: without the label field (unless counting compares it) — what the figures
 * need, not the records behind them (`computeCampaignResults(…, { countedRecords: false })`). */
export async function loadRecordsForCounting(db: Kysely<Database>, list: StoredRecordList, ds: RecordDatasetDef, opts: { labels?: boolean } = {}): Promise<void> {
  const used = fieldsUsed(ds, { label: opts.labels !== false });
  const numeric = (f: string) => ds.fields[f]?.type === 'integer' || ds.fields[f]?.type === 'number';
  const compared = new Set<string>([...(ds.filters ?? []).map((c) => c.field), ...ds.aggregations.flatMap((a) => [...(a.group_by ? [a.group_by] : []), ...(a.where ?? []).map((c) => c.field)])]);
  const keys = used.filter((f) => compared.has(f));
  const rest = used.filter((f) => !compared.has(f));
  const col = (f: string) => (numeric(f) ? sql`(r.fields->>${f})::numeric` : sql`r.fields->>${f}`);
  const r = await sql<{ t: string | null }>`
    select json_agg(json_build_array(${sql.join([sql`g.o`, ...keys.map((_, i) => sql.ref(`g.k${i}`)), sql`g.l`, ...rest.map((_, i) => sql.ref(`g.v${i}`))])}))::text as t from (
      select ${sql.join([sql`r.organisation_id as o`, ...keys.map((f, i) => sql`${col(f)} as ${sql.id(`k${i}`)}`), sql`array_agg(r.line) as l`, ...rest.map((f, i) => sql`array_agg(${col(f)}) as ${sql.id(`v${i}`)}`)])}
      from campaign_records r
      where r.list_id = ${list.listId} group by ${sql.join([sql`r.organisation_id`, ...keys.map((_, i) => sql.ref(`k${i}`))])}) g`.execute(db);
  const groups = JSON.parse(r.rows[0]?.t ?? '[]') as unknown[][];
  // Where each field of `used` (the order `loadRecords` gives them) is in a group: a key value, or an array of values.
  const at = used.map((name) => (keys.includes(name) ? { key: true, i: 1 + keys.indexOf(name) } : { key: false, i: 2 + keys.length + rest.indexOf(name) }));
  const byOrg = new Map<string, { line: number; fields: Record<string, RecordValue> }[]>();
  for (const g of groups) {
    const org = g[0] as string;
    const lines = g[1 + keys.length] as number[];
    let out = byOrg.get(org);
    if (!out) byOrg.set(org, (out = []));
    for (let j = 0; j < lines.length; j++) {
      const f: Record<string, RecordValue> = {};
      for (let k = 0; k < used.length; k++) {
        const p = at[k] as { key: boolean; i: number };
        f[used[k] as string] = p.key ? ((g[p.i] ?? null) as RecordValue) : ((g[p.i] as RecordValue[])[j] ?? null);
      }
      out.push({ line: lines[j] as number, fields: f });
    }
  }
  for (const [org, records] of byOrg) list.byOrganisation.set(org, records.sort((a, b) => a.line - b.line));
}

/** Stored records of one organisation as the engine's records (filters applied as on reading a file). */
export function storedRecords(ds: RecordDatasetDef, name: string, list: readonly { line: number; fields: Record<string, RecordValue> }[]): RecordRow[] {
  const org = { inn: null, number: null, name };
  return list.map((r) => recordOf(ds, r.line, org, r.fields));
}

/** The records behind one organisation's record-based input in a campaign: every record of the list in force that the
 * figure's aggregation looks at (its group for a grouped one), whether it is counted, and the explanation. */
export async function recordDrillDown(db: Kysely<Database>, campaignId: string, organisationId: string, input: string): Promise<RecordDrillDown> {
  const campaign = await findCampaignRow(db, campaignId);
  const { methodology: m } = await campaignMethodology(db, campaign.methodology_id, campaign.methodology_version);
  const found = Object.entries(m.record_datasets ?? {}).find(([, ds]) => suppliedInputs(ds).includes(input));
  if (!found) throw new ServiceError('not_found', 'RECORD_INPUT_NOT_FOUND', `Показатель «${input}» методики не считается по списку записей`);
  const [datasetId, ds] = found;
  const org = UUID.test(organisationId)
    ? await db.selectFrom('campaign_organisations as co').innerJoin('organisations as o', 'o.id', 'co.organisation_id').select(['o.id', 'o.short_name']).where('co.campaign_id', '=', campaign.id).where('o.id', '=', organisationId).executeTakeFirst()
    : undefined;
  if (!org) throw new ServiceError('not_found', 'ORGANISATION_NOT_FOUND', 'Организация не участвует в мониторинге');
  const list = (await recordListsInForce(db, [campaign.id])).get(campaign.id)?.find((l) => l.datasetId === datasetId) ?? null;
  if (list) await loadRecords(db, list, null, org.id);
  const title = m.inputs[input]?.title ?? input;
  if (!list) return { campaignId: campaign.id, organisation: { id: org.id, name: org.short_name }, input, inputTitle: title, dataset: { id: datasetId, title: ds.title }, list: null, value: null, explanation: `Список «${ds.title}» в мониторинг не загружен`, records: [] };
  const records = storedRecords(ds, org.short_name, list.byOrganisation.get(org.id) ?? []);
  const aggregation = ds.aggregations.find((a) => (typeof a.into === 'string' ? a.into === input : Object.values(a.into).includes(input)));
  const group = aggregation && aggregation.group_by !== undefined && typeof aggregation.into !== 'string' ? { field: aggregation.group_by, value: Object.entries(aggregation.into).find(([, i]) => i === input)?.[0] ?? '' } : null;
  const scope = group ? records.filter((r) => String(r.fields[group.field] ?? '') === group.value) : records;
  const ci = aggregateRecords(ds, records)[input];
  const lines = new Set(ci?.lines ?? []);
  const labelField = ds.record_label;
  return {
    campaignId: campaign.id,
    organisation: { id: org.id, name: org.short_name },
    input,
    inputTitle: title,
    dataset: { id: datasetId, title: ds.title },
    list: { id: list.listId, fileName: list.fileName, sheet: list.sheet, at: list.at, actorLogin: list.actorLogin },
    value: ci?.value ?? null,
    explanation: ci?.explanation ?? '',
    records: scope.map((r) => ({
      line: r.line,
      label: labelField && r.fields[labelField] !== null && r.fields[labelField] !== undefined ? String(r.fields[labelField]) : null,
      fields: Object.fromEntries(Object.entries(ds.fields).map(([name, f]) => [f.column, r.fields[name] ?? null])),
      counted: lines.has(r.line),
      excludedBy: r.excludedBy ? `«${ds.fields[r.excludedBy.field]?.column ?? r.excludedBy.field}» = «${r.excludedBy.value}»` : null,
    })),
  };
}

/** The record lists of a campaign, newest first, each with the inputs it supplies and whether it is in force (the
 * latest of its dataset); the older ones are the history. */
export async function listRecordLists(db: Kysely<Database>, campaignId: string): Promise<RecordListInfo[]> {
  const campaign = await findCampaignRow(db, campaignId);
  const { methodology: m } = await campaignMethodology(db, campaign.methodology_id, campaign.methodology_version);
  const rows = await db
    .selectFrom('campaign_record_lists')
    .select(['id', 'dataset_id', 'file_name', 'sheet', 'records', 'rows_total', 'at', 'actor_login'])
    .where('campaign_id', '=', campaign.id)
    .orderBy('at', 'desc')
    .orderBy('id')
    .execute();
  const seen = new Set<string>();
  return rows.map((r) => {
    const ds = m.record_datasets?.[r.dataset_id];
    const current = !seen.has(r.dataset_id);
    seen.add(r.dataset_id);
    return {
      id: r.id, dataset: r.dataset_id, title: ds?.title ?? r.dataset_id, fileName: r.file_name, sheet: r.sheet, records: r.records, rows: r.rows_total,
      at: new Date(r.at).toISOString(), actorLogin: r.actor_login, current,
      inputs: ds ? suppliedInputs(ds).map((id) => ({ id, title: m.inputs[id]?.title ?? id })) : [],
    };
  });
}
