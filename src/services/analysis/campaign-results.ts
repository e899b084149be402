/** Results of a campaign — the contract other modules build on (analysis, reports, dynamics, management cycle):
 *
 * `computeCampaignResults(db, campaignId, { basis })` runs the methodology engine (`compileMethodology` +
 * `computeTable`, the path of compute.ts — nothing of scoring is repeated here) over
 * - the campaign's current values (latest `value_history` row per organisation and input) of the organisations whose
 *   submission is on the basis: `submitted` (default: submitted or accepted), `accepted` (accepted only) or `all`
 *   (every participant's current values, drafts included — a preview, never for publication);
 * - the results of the non-draft surveys linked to the campaign (counts by organisation type, full counts — callers
 *   that show them publicly apply the survey minimum), for the methodology table whose header they match;
 * - the tables an analyst uploaded for the campaign (`campaign_tables`, latest per dataset: municipality rows such as
 *   coverage, breakdowns by type such as programme focus);
 * - the record lists imported into the campaign (`campaign_record_lists`, migration 0014, latest per record dataset,
 *   e.g. the ИС «Навигатор» programme list): the inputs they supply (talents-2021: `programmes`, enrolments by focus)
 *   are counted from the stored records of each organisation (`computeTableWithMatchedRecords`, the counting of
 *   `msoko compute`) instead of being read from the forms; with `countedRecords: false`, from the list's groups of
 *   records (record-groups.ts: the same figures and explanations, no object per record) — those the apply stored
 *   (migration 0021), else formed live by the database.
 * It returns one `ComputedTable` per methodology table that has data, the organisations (registry id + the attributes
 * the engine keys by: `name` is the short name), and warnings (organisations left out of a table for missing values,
 * surveys or tables the methodology cannot read). Read-only: nothing is written, nothing is audited (exports are). */
import { sql, type Kysely } from 'kysely';
import { aggregateIndicators, municipalIndicators, rankedShares, type ComputedTable } from '../../core/analysis/index.ts';
import { indicatorInfo } from '../../core/analysis/indicator-info.ts';
import type { Campaign } from '../../core/collection/schema.ts';
import type { ComputeOutput, CountedRecords, Methodology, TableRow } from '../../core/methodology/index.ts';
import { computeTableWithMatchedRecords, type EntityGroupList, type EntityRecordList } from '../../core/methodology/record-supply.ts';
import { groupsExact, type RecordGroup } from '../../core/methodology/record-groups.ts';
import { compileMethodology, computeTable, lintMethodology, suppliedInputs, type RecordRow } from '../../core/methodology/index.ts';
import type { Database } from '../../db/schema.ts';
import { campaignMethodology, type findCampaignRow, presentCampaign } from '../collection/campaigns.ts';
import { ServiceError } from '../errors.ts';
import { methodologyHash } from '../methodology/methodology-library.ts';
import { recordGroupsOf } from '../imports/record-groups.ts';
import { loadRecordsForCounting, recordListsInForce, storedRecords, type StoredRecordList } from '../imports/record-lists.ts';
import { satisfactionTable } from '../surveys/surveys.ts';
import { UUID } from '../../core/uuid.ts';
import { withoutJit } from './without-jit.ts';
import { campaignDimensionalResults, dimensionalDatasets, type DimensionalOptions } from './campaign-dimensional.ts';
import { organisationTable, type CampaignOrganisation } from './campaign-organisation-table.ts';

export type { ResultsBasis } from './basis.ts';
import type { ResultsBasis } from './basis.ts';

export type { CampaignOrganisation } from './campaign-organisation-table.ts';

/** `R = unknown` (the type's default): figures only allowed — the counted inputs of the results (`details.counted`)
 * may come without the records behind them (`countedRecords: false`); `CampaignResults<CountedRecords>`: with them
 * (what `computeCampaignResults` gives by default). */
export interface CampaignResults<R = unknown> {
  campaign: Campaign;
  methodology: Methodology;
  methodologyHash: string;
  basis: ResultsBasis;
  /** One per methodology table that has data, in the methodology's order of datasets. */
  computed: ComputeOutput<R>[];
  /** Every participant of the campaign (ordered by registry number), with `included` telling whether it counted. */
  organisations: CampaignOrganisation[];
  /** Where the non-organisation tables came from. */
  sources: { datasetId: string; kind: 'form' | 'survey' | 'table'; ref: string; minRespondents?: number }[];
  /** Tables uploaded for the campaign that the results did not use, with why (and the warning saying so): the
   * analysis checks the figures such a table printed against the computed ones (src/core/analysis/printed.ts). */
  setAside: SetAsideTable[];
  warnings: string[];
}

export interface SetAsideTable {
  datasetId: string;
  fileName: string;
  header: string[];
  rows: string[][];
  /** `superseded`: the table was computed from another source (forms, a survey); `empty`: no rows; `error`: not
   * computable; `other_dataset`: the data fit another table. */
  reason: 'superseded' | 'empty' | 'error' | 'other_dataset';
  warning: string | null;
}

function withoutPrintedAggregates(m: Methodology): Methodology {
  if (!m.aggregates) return m;
  const aggregates = Object.fromEntries(Object.entries(m.aggregates).map(([id, a]) => [id, { ...a, published: undefined }]));
  return { ...m, aggregates } as Methodology;
}

const toRows = (cells: readonly (readonly string[])[]): TableRow[] => cells.map((c, i) => ({ line: i + 2, cells: [...c] }));

/** What depends only on the methodology document (compiled engine, static lint, content hash). Methodology documents
 * are parsed once per text and never mutated (methodology-library.ts), so this is kept per document object. */
interface Prepared { compiled: ReturnType<typeof compileMethodology>; lint: ReturnType<typeof lintMethodology>; hash: string }
const preparedByMethodology = new WeakMap<Methodology, Prepared>();
export function prepare(m: Methodology): Prepared {
  let p = preparedByMethodology.get(m);
  if (!p) {
    // A methodology's printed aggregate figures (`aggregates.*.published`, e.g. seed 004's 5,6) belong to the one report
    // it was transcribed from, not to every campaign run on it: a campaign is compared only with the printed figures
    // uploaded for it (tables with printed columns).
    p = { compiled: compileMethodology(withoutPrintedAggregates(m)), lint: lintMethodology(m), hash: methodologyHash(m) };
    preparedByMethodology.set(m, p);
  }
  return p;
}

type CampaignRow = Awaited<ReturnType<typeof findCampaignRow>>;
type OrgValues = Map<string, Record<string, { value: unknown; evidenceUrl: string | null }>>;
interface Batch {
  orgs: Map<string, CampaignOrganisation[]>;
  values: Map<string, OrgValues>;
  surveys: Map<string, { id: string; title: string; min_respondents: number }[]>;
  uploaded: Map<string, { dataset_id: string; file_name: string; header: unknown; rows: unknown }[]>;
  recordLists: Map<string, StoredRecordList[]>;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** The participants of campaigns by campaign (registry number order), `included` when on the basis: the organisations
 * the results count. Also read alone by the analysis of one work (dimensional-work.ts). */
export async function campaignParticipants(db: Kysely<Database>, ids: readonly string[], basis: ResultsBasis, municipalityId: string | null): Promise<Map<string, CampaignOrganisation[]>> {
  const onBasis = (s: string | null): boolean => (basis === 'all' ? true : basis === 'accepted' ? s === 'accepted' : s === 'submitted' || s === 'accepted');
  const orgRows = await db
    .selectFrom('campaign_organisations as co')
    .innerJoin('organisations as o', 'o.id', 'co.organisation_id')
    .leftJoin('submissions as s', (j) => j.onRef('s.campaign_id', '=', 'co.campaign_id').onRef('s.organisation_id', '=', 'co.organisation_id'))
    .select(['co.campaign_id', 'o.id', 'o.no', 'o.short_name', 'o.full_name', 'o.type', 'o.growth_point', 's.status'])
    .where('co.campaign_id', 'in', ids)
    .$if(municipalityId !== null, (q) => q.where('o.municipality_id', '=', municipalityId as string))
    .orderBy('co.campaign_id')
    .orderBy('o.no')
    .orderBy('o.id')
    .execute();
  const orgs = new Map<string, CampaignOrganisation[]>();
  for (const o of orgRows) {
    push(orgs, o.campaign_id, {
      id: o.id,
      name: o.short_name,
      type: o.type,
      no: String(o.no),
      fullName: o.full_name,
      growthPoint: o.growth_point,
      submissionStatus: o.status ?? 'not_started',
      included: onBasis(o.status),
    });
  }
  return orgs;
}

/** Reads everything the results of `rows` need in four queries, whatever the number of campaigns. */
async function readBatch(db: Kysely<Database>, ids: readonly string[], basis: ResultsBasis, municipalityId: string | null): Promise<Batch> {
  const orgs = await campaignParticipants(db, ids, basis, municipalityId);
  // Current values (as currentValuesOfCampaign in campaigns.ts: the latest visible row per organisation and input),
  // only the columns the tables use, one row per organisation with its inputs as [value, evidence URL]: a sixth of
  // the rows (each row costs most on PGlite, whose protocol is parsed in this process). Without JIT (without-jit.ts).
  const valueRows = await withoutJit(db, (d) => sql<{ campaign_id: string; organisation_id: string; v: Record<string, [unknown, string | null]> }>`
    select campaign_id, organisation_id, jsonb_object_agg(input, jsonb_build_array(value, evidence_url)) as v from (
      select distinct on (campaign_id, organisation_id, input) campaign_id, organisation_id, input, value, evidence_url
      from value_history_visible where campaign_id in (${sql.join(ids)}) and dimensions is null
      order by campaign_id, organisation_id, input, id desc) cur
    group by campaign_id, organisation_id`.execute(d));
  const values = new Map<string, OrgValues>();
  for (const r of valueRows.rows) {
    let campaignValues = values.get(r.campaign_id);
    if (!campaignValues) values.set(r.campaign_id, (campaignValues = new Map()));
    const rec: Record<string, { value: unknown; evidenceUrl: string | null }> = {};
    for (const [input, [value, evidenceUrl]] of Object.entries(r.v)) rec[input] = { value: value ?? null, evidenceUrl };
    campaignValues.set(r.organisation_id, rec);
  }
  const surveys = new Map<string, { id: string; title: string; min_respondents: number }[]>();
  const surveyRows = await db
    .selectFrom('surveys')
    .select(['campaign_id', 'id', 'title', 'min_respondents'])
    .where('campaign_id', 'in', ids)
    .where('status', '<>', 'draft')
    .orderBy('campaign_id')
    .orderBy('created_at')
    .execute();
  for (const r of surveyRows) push(surveys, r.campaign_id, r);
  const uploaded = new Map<string, { dataset_id: string; file_name: string; header: unknown; rows: unknown }[]>();
  const tableRows = await db
    .selectFrom('campaign_tables')
    .distinctOn(['campaign_id', 'dataset_id'])
    .select(['campaign_id', 'dataset_id', 'file_name', 'header', 'rows'])
    .where('campaign_id', 'in', ids)
    .orderBy('campaign_id')
    .orderBy('dataset_id')
    .orderBy('id', 'desc')
    .execute();
  for (const r of tableRows) push(uploaded, r.campaign_id, r);
  return { orgs, values, surveys, uploaded, recordLists: await recordListsInForce(db, ids) };
}

type Versions = Map<string, ReturnType<typeof campaignMethodology>>;

/** The groups of each organisation keyed by its entity (short name), in the order of the participants. (Two
 * participants of one name make the table uncomputable: readEntities refuses the second row.) */
function groupsByEntity(byOrganisation: ReadonlyMap<string, RecordGroup[]>, nameOf: ReadonlyMap<string, string>): Map<string, RecordGroup[]> {
  const out = new Map<string, RecordGroup[]>();
  for (const [orgId, name] of nameOf) {
    const groups = byOrganisation.get(orgId);
    if (groups) out.set(name, [...(out.get(name) ?? []), ...groups]);
  }
  return out;
}

async function resultsOf(db: Kysely<Database>, row: CampaignRow, basis: ResultsBasis, batch: Batch, versions: Versions, opts: ResultsOptions): Promise<CampaignResults> {
  const countedRecords = opts.countedRecords !== false;
  const explain = opts.explain !== false;
  const key = `${row.methodology_id}@${row.methodology_version}`;
  let version = versions.get(key);
  if (!version) versions.set(key, (version = campaignMethodology(db, row.methodology_id, row.methodology_version)));
  const cm = await version;
  const m = cm.methodology;
  const { compiled, lint, hash } = prepare(m);
  if (!compiled.ok)
    throw new ServiceError('conflict', 'METHODOLOGY_INVALID', `Методика «${m.id}» содержит ошибки: ${compiled.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);

  const organisations = batch.orgs.get(row.id) ?? [];
  const values: OrgValues = batch.values.get(row.id) ?? new Map();
  const warnings: string[] = [];
  const computed: ComputeOutput<unknown>[] = [];
  const sources: CampaignResults['sources'] = [];
  // Record lists in force, their records keyed by the organisation's short name (the entity key of the tables).
  const nameOf = new Map(organisations.filter((o) => o.included).map((o) => [o.id, o.name]));
  const lists: (EntityRecordList | EntityGroupList)[] = [];
  for (const l of batch.recordLists.get(row.id) ?? []) {
    const ds = m.record_datasets?.[l.datasetId];
    if (!ds) continue;
    const list = { id: l.datasetId, ds, file: l.sheet ? `${l.fileName}, лист «${l.sheet}»` : l.fileName, headerLine: l.headerLine, skipped: l.skipped };
    if (!countedRecords && groupsExact(ds)) {
      // Figures only: counted from the list's groups (record-groups.ts), no object per record: those the apply stored
      // (migration 0021), else formed live.
      lists.push({ ...list, groupsByEntity: groupsByEntity(await recordGroupsOf(db, l.listId, ds), nameOf) });
      continue;
    }
    await loadRecordsForCounting(db, l, ds, { labels: countedRecords });
    const byEntity = new Map<string, RecordRow[]>();
    // In the order of the participants (registry number), so that the list's summary is the same on every read.
    for (const [orgId, name] of nameOf) {
      const list = l.byOrganisation.get(orgId);
      if (!list) continue;
      const records = storedRecords(ds, name, list);
      const same = byEntity.get(name);
      if (same) same.push(...records);
      else byEntity.set(name, records);
    }
    l.byOrganisation.clear(); // read again on the next computation; the records are in byEntity now
    lists.push({ ...list, byEntity });
  }
  const supplied = new Set(lists.flatMap((l) => suppliedInputs(l.ds)));
  // The organisation table the lists complete: the one with a column they supply, else the first.
  const orgDatasets = Object.entries(m.datasets ?? {}).filter(([, ds]) => ds.unit === 'organisation' && !ds.responses);
  const completed = lists.length ? (orgDatasets.find(([, ds]) => Object.keys(ds.columns).some((c) => supplied.has(c))) ?? orgDatasets[0])?.[0] : undefined;

  type Outcome = { used: true } | { used: false; reason: 'superseded' | 'error' | 'other_dataset'; warning: string };
  const refuse = (reason: 'superseded' | 'error' | 'other_dataset', warning: string): Outcome => {
    warnings.push(warning);
    return { used: false, reason, warning };
  };
  const run = (dsId: string, header: readonly string[], rows: readonly TableRow[], what: string): Outcome => {
    const out = dsId === completed ? computeTableWithMatchedRecords(compiled.compiled, header, rows, lists, lint, { records: countedRecords, explain }) : computeTable(compiled.compiled, header, rows, lint, { explain });
    if (!out.ok) {
      const e = out.error;
      return refuse('error', `${what}: ${e.line !== null && e.line > 1 ? `строка ${e.line - 1}, ` : ''}${e.column ? `столбец «${e.column}»: ` : ''}${e.message} — таблица не вычислена.`);
    }
    if (out.output.dataset.id !== dsId && dsId !== '*')
      return refuse('other_dataset', `${what}: данные подходят к таблице «${out.output.dataset.title}», а не к ожидаемой — таблица не вычислена.`);
    if (computed.some((c) => c.dataset.id === out.output.dataset.id))
      return refuse('superseded', `${what}: таблица «${out.output.dataset.title}» уже получена из другого источника — эти данные не использованы.`);
    computed.push(out.output);
    return { used: true };
  };

  for (const [dsId, ds] of Object.entries(m.datasets ?? {})) {
    if (ds.unit !== 'organisation' || ds.responses || ds.dimensions) continue;
    const t = organisationTable(m, dsId, ds, organisations, values, warnings, supplied);
    if (t && run(dsId, t.header, t.rows, `Таблица «${ds.title}»`).used) sources.push({ datasetId: dsId, kind: 'form', ref: 'формы организаций' });
  }
  // Per-dimension values (issue 22): one computation of the dimensional tables joined on organisation × subject ×
  // grade, as `msoko compute` does with the files (campaign-dimensional.ts).
  // For the municipal values only (`municipalOnly`): just the per-dimension indicators they are of, and no
  // per-dimension computation at all when there are none (a ВПР year's 144 000 rows computed for nothing).
  const only = opts.municipalOnly ? municipalIndicators(m) : undefined;
  const needed = !only || dimensionalDatasets(m).some(([, ds]) => ds.indicators.some((i) => only.includes(i)));
  const dimensional = needed
    ? await campaignDimensionalResults(db, row.id, m, compiled.compiled, lint, organisations.filter((o) => o.included), {
      explain, ...(only ? { only } : {}), ...(opts.dimensionalTextsAbove !== undefined ? { textsAbove: opts.dimensionalTextsAbove } : {}),
      ...(opts.dimensionalCompact ? { compact: compactOf(m, opts.dimensionalCompact) } : {}),
    }, { methodologyHash: hash })
    : { output: null, datasets: [], warnings: [] };
  warnings.push(...dimensional.warnings);
  if (dimensional.output) {
    computed.push(dimensional.output);
    sources.push({ datasetId: dimensional.output.dataset.id, kind: 'form', ref: 'формы организаций (по предметам и классам)' });
  }

  for (const s of batch.surveys.get(row.id) ?? []) {
    let table: Awaited<ReturnType<typeof satisfactionTable>>;
    try {
      table = await satisfactionTable(db, s.id);
    } catch (e) {
      warnings.push(`Опрос «${s.title}» не учтён: ${e instanceof Error ? e.message : String(e)}.`);
      continue;
    }
    if (!table.rows.length) continue;
    const before = computed.length;
    if (run('*', table.header, toRows(table.rows), `Опрос «${s.title}»`).used) sources.push({ datasetId: computed[before]!.dataset.id, kind: 'survey', ref: s.title, minRespondents: s.min_respondents });
  }

  const setAside: SetAsideTable[] = [];
  for (const u of batch.uploaded.get(row.id) ?? []) {
    const table = { datasetId: u.dataset_id, fileName: u.file_name, header: u.header as string[], rows: u.rows as string[][] };
    if (!table.rows.length) {
      setAside.push({ ...table, reason: 'empty', warning: null });
      continue;
    }
    const outcome = run(u.dataset_id, table.header, toRows(table.rows), `Файл «${u.file_name}»`);
    if (outcome.used) sources.push({ datasetId: u.dataset_id, kind: 'table', ref: u.file_name });
    else setAside.push({ ...table, reason: outcome.reason, warning: outcome.warning });
  }

  const order = Object.keys(m.datasets ?? {});
  // A joined dimensional table (`vpr_marks+vpr_journal`) stands where its first dataset does.
  const position = (id: string) => order.indexOf(id.split('+')[0] ?? id);
  computed.sort((a, b) => position(a.dataset.id) - position(b.dataset.id));
  const count = organisations.length;
  return {
    campaign: presentCampaign(row, count, cm.title),
    methodology: m,
    methodologyHash: hash,
    basis,
    computed,
    organisations,
    sources,
    setAside,
    warnings,
  };
}

/** The results of many campaigns (in the order of `campaignIds`), reading the database a few queries per `batch`
 * campaigns instead of a few per campaign; each result is exactly what `computeCampaignResults` returns. A generator, so
 * that recomputing a whole region does not keep every result in memory. */
export interface ResultsOptions {
  basis?: ResultsBasis;
  /** Only the participants of this municipality: a municipal user looking at a regional campaign (issue 9) sees their
   * own organisations' results and aggregates over them, never the other municipalities'. */
  municipalityId?: string | null;
  /** «Что если» (issue 15, item 3): compute with this methodology (a draft of the campaign's own, same inputs) instead
   * of the version the campaign ran on. */
  methodology?: Methodology;
  /** false: the figures only — each input counted from a record list (`details.counted`) with its value, explanation and
   * file but without the records behind it (their lines and labels are then not even read): what every page, document
   * and comparison shows, the drill-down reading one organisation's records apart (`recordDrillDown`). Default true. */
  countedRecords?: boolean;
  /** false: the figures without their Russian texts, for callers that never show them (proposals, effects, the yearly
   * report, «что если», the region's lists). In every computed table these are then empty strings: each result's
   * `explanation` and `details.substituted`, each total's and aggregate's `explanation`, and each counted input's
   * `details.counted.*.explanation` (not even written: the ВПР recompute spends most of its time on them). Everything
   * else is identical to the default — values, unrounded values, levels, points, bands, inputs (the comparison inputs
   * of dimensional tables included), reasons, warnings, lint, totals, aggregates, discrepancies (with their messages),
   * record file summaries, organisations, sources, set-aside tables. One figure's text: `explainResult` (evaluate.ts).
   * Default true (texts written). */
  explain?: boolean;
  /** With texts: when a dimensional table has more rows than this, only the rows the analysis page's compact view
   * sends have their texts (`computeDimensional`'s `textsAbove`); every figure and every other text the same. */
  dimensionalTextsAbove?: number;
  /** true: of the per-dimension tables, only what the municipal values read (`municipalIndicators`: the criteria
   * indicators, and the aggregates over them); those tables are not computed at all when none of their indicators is
   * one. Every other table as usual. For a campaign read for its municipal values only — the series of the earlier
   * campaigns on the analysis page. */
  municipalOnly?: boolean;
  /** Of the per-dimension tables, the results the analysis page's compact view of them reads (`computeDimensional`'s
   * `compact`): of every row the sign of non-objectivity and the indicators of the criteria and the aggregates
   * (`municipalIndicators`, `aggregateIndicators`), of the rows the view keeps every indicator. The municipal values,
   * aggregates and totals are then those of the whole computation; so are the warnings and the discrepancies with
   * `wholeChecks`. `above`: only when a table has more rows than this (the page's limit). For the analysis page of a
   * large campaign (`getCampaignAnalysis`): the current campaign with `wholeChecks` above the limit, the previous one
   * without. */
  dimensionalCompact?: DimensionalCompact;
}

/** `ResultsOptions.dimensionalCompact`. `ranked`: the shares a report ranks every subject × grade by (`rankedShares`)
 * too, for every row, and in the output (the DOCX report). */
export interface DimensionalCompact { above?: number; wholeChecks?: boolean; ranked?: boolean }

/** The indicators every per-dimension row is computed for in a compact computation: those of the criteria and the
 * aggregates, and with `ranked` the shares of the per-dimension tables a report ranks by. */
function compactOf(m: Methodology, c: DimensionalCompact): NonNullable<DimensionalOptions['compact']> {
  const ranked = c.ranked ? rankedShares(dimensionalDatasets(m).flatMap(([, ds]) => ds.indicators).map((id) => indicatorInfo(m, id))).map((i) => i.id) : [];
  const { ranked: _, ...rest } = c;
  return { ...rest, everyRow: [...new Set([...municipalIndicators(m), ...aggregateIndicators(m), ...ranked])], ...(c.ranked ? { outputEveryRow: true } : {}) };
}

export async function* eachCampaignResults(db: Kysely<Database>, campaignIds: readonly string[], opts: ResultsOptions & { batch?: number } = {}): AsyncGenerator<CampaignResults> {
  const basis = opts.basis ?? 'submitted';
  const size = opts.batch ?? 100;
  // Methodology versions read once per call (an uploaded version is a query and a cached parse each time).
  const versions: Versions = new Map();
  const draft = opts.methodology;
  for (let i = 0; i < campaignIds.length; i += size) {
    const slice = campaignIds.slice(i, i + size);
    const valid = [...new Set(slice.filter((id) => UUID.test(id)))];
    const found = valid.length ? await db.selectFrom('campaigns').selectAll().where('id', 'in', valid).execute() : [];
    const byId = new Map(found.map((r) => [r.id, r]));
    const rows = slice.map((id) => byId.get(id.toLowerCase()) ?? byId.get(id));
    if (rows.some((r) => !r)) throw new ServiceError('not_found', 'CAMPAIGN_NOT_FOUND', 'Мониторинг не найден');
    const batch = await readBatch(db, [...byId.keys()], basis, opts.municipalityId ?? null);
    for (const row of rows as CampaignRow[]) {
      if (draft) {
        const key = `${row.methodology_id}@${row.methodology_version}`;
        if (!versions.has(key)) versions.set(key, campaignMethodology(db, row.methodology_id, row.methodology_version).then((cm) => ({ ...cm, methodology: draft })));
      }
      yield await resultsOf(db, row, basis, batch, versions, opts);
    }
  }
}

/** `eachCampaignResults` collected into an array. */
export async function computeCampaignResultsMany(db: Kysely<Database>, campaignIds: readonly string[], opts: ResultsOptions = {}): Promise<CampaignResults[]> {
  const out: CampaignResults[] = [];
  for await (const r of eachCampaignResults(db, campaignIds, opts)) out.push(r);
  return out;
}

export async function computeCampaignResults(db: Kysely<Database>, campaignId: string, opts?: ResultsOptions & { countedRecords?: true }): Promise<CampaignResults<CountedRecords>>;
export async function computeCampaignResults(db: Kysely<Database>, campaignId: string, opts: ResultsOptions): Promise<CampaignResults>;
export async function computeCampaignResults(db: Kysely<Database>, campaignId: string, opts: ResultsOptions = {}): Promise<CampaignResults> {
  const [r] = await computeCampaignResultsMany(db, [campaignId], opts);
  return r as CampaignResults;
}

/** The campaign's computed tables narrowed to the analysis model's input type. */
export function computedTables(r: CampaignResults): ComputedTable[] {
  return r.computed;
}
