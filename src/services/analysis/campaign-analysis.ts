/** The analysis of a campaign (issue 6) for the web page, the API and the documents: computeCampaignResults →
 * buildReportModel (with the campaign's regional values and targets) → the merged results table, correlations,
 * clusters, and the dynamics against the previous campaign of the same methodology id. Read-only. */
import { sql, type Kysely } from 'kysely';
import type { AnalysisModel, DimensionalView, PrintedTable, ClusterAnalysis, CorrelationResult, Dynamics, Recommendation, ReportMeta, ResultsTable } from '../../core/analysis/index.ts';
import { buildConclusions, clusterAnalysis, compactIfLarge, correlations, dynamics, INLINE_DIMENSIONAL_ROWS, resultsTable } from '../../core/analysis/index.ts';
import { periodLabel, parsePeriod } from '../../core/calendar/periods.ts';
import { ADDRESSEE_LABELS } from '../../core/cycle/api-schema.ts';
import type { Campaign } from '../../core/collection/schema.ts';
import type { Database } from '../../db/schema.ts';
import type { Benchmark } from './campaign-inputs.ts';
import { listBenchmarks } from './campaign-inputs.ts';
import type { CampaignOrganisation, CampaignResults, ResultsBasis, ResultsOptions } from './campaign-results.ts';
import { computeCampaignResults } from './campaign-results.ts';
import { findCampaignRow } from '../collection/campaigns.ts';
import type { ReportModel } from './report.ts';
import { buildReportModel } from './report.ts';
import { printedReportChecks, type PrintedReportCheck } from './printed-report-checks.ts';

export interface CampaignModel {
  results: CampaignResults;
  model: ReportModel;
  table: ResultsTable;
  benchmarks: Benchmark[];
  /** The campaign's printed reports, each with its disagreements (printed-report-checks.ts). */
  printedReports: PrintedReportCheck[];
}

/** Addressed recommendations recorded for the campaign (management cycle), grouped by addressee and text. */
async function campaignRecommendations(db: Kysely<Database>, campaignId: string): Promise<Recommendation[]> {
  const rows = await db
    .selectFrom('recommendations as r')
    .leftJoin('organisations as o', 'o.id', 'r.organisation_id')
    .select(['r.addressee_kind', 'r.text', 'o.short_name', 'o.no'])
    .where('r.campaign_id', '=', campaignId)
    .orderBy('r.created_at')
    .orderBy('o.no')
    .execute();
  const out = new Map<string, Recommendation>();
  for (const r of rows) {
    const key = `${r.addressee_kind}\u0000${r.text}`;
    const rec = out.get(key) ?? { addressee: ADDRESSEE_LABELS[r.addressee_kind] ?? r.addressee_kind, text: r.text, organisations: [] };
    if (r.short_name && !rec.organisations.includes(r.short_name)) rec.organisations.push(r.short_name);
    out.set(key, rec);
  }
  return [...out.values()];
}

async function municipalityName(db: Kysely<Database>, orgs: readonly CampaignOrganisation[]): Promise<string | undefined> {
  const first = orgs[0];
  if (!first) return undefined;
  const row = await db
    .selectFrom('organisations as o')
    .innerJoin('municipalities as m', 'm.id', 'o.municipality_id')
    .select('m.name')
    .where('o.id', '=', first.id)
    .executeTakeFirst();
  return row?.name;
}

function periodText(code: string): string {
  const p = parsePeriod(code);
  return p.ok ? periodLabel(p.value) : code;
}

/** Tables uploaded for a campaign whose dataset the campaign computes from another source (seed 004's satisfaction
 * table beside the parents' survey): kept as the document printed them, their printed figures are checked against
 * the computed ones (src/core/analysis/printed.ts) instead of being set aside with a warning. */
function printedTables(results: CampaignResults): { tables: PrintedTable[]; superseded: Set<string>; warnings: string[] } {
  const out = { tables: [] as PrintedTable[], superseded: new Set<string>(), warnings: [] as string[] };
  for (const t of results.setAside) {
    const source = results.sources.find((s) => s.datasetId === t.datasetId);
    const ds = results.methodology.datasets?.[t.datasetId];
    if (!source || !ds) continue;
    if (!results.computed.some((c) => c.dataset.id === t.datasetId)) continue;
    out.tables.push({ datasetId: t.datasetId, fileName: t.fileName, header: t.header, rows: t.rows });
    // The results' warning says the file was not used; it is, for the printed figures.
    if (t.reason === 'superseded' && t.warning) out.superseded.add(t.warning);
    out.warnings.push(`Файл «${t.fileName}»: значения таблицы «${ds.title}» вычислены по источнику «${source.ref}»; напечатанные в файле итоги и значения сверены с вычисленными.`);
  }
  return out;
}

/** Results + report model of a campaign; `date` (ISO) is the report date the caller passes (no clock here).
 * `explain: false`: figures without their explanation texts (`computeCampaignResults`' option) — for an earlier
 * campaign whose texts nobody reads; `dimensionalTextsAbove`: `computeCampaignResults`' option of that name (texts
 * only for the per-dimension rows a compact view keeps — the analysis page, the report downloads); `municipalOnly`
 * and `dimensionalCompact`: those options too (a model read for `model.municipal`, and for the compact view of its
 * per-dimension rows). */
export async function campaignModel(
  db: Kysely<Database>,
  campaignId: string,
  opts: Pick<ResultsOptions, 'basis' | 'municipalityId' | 'explain' | 'dimensionalTextsAbove' | 'municipalOnly' | 'dimensionalCompact'> & { date?: string } = {},
): Promise<CampaignModel> {
  const { basis, municipalityId, explain, dimensionalTextsAbove, municipalOnly, dimensionalCompact } = opts;
  // Figures only: nothing here shows the records behind a counted input (the drill-down reads them per organisation).
  const results = await computeCampaignResults(db, campaignId, {
    basis, municipalityId: municipalityId ?? null, countedRecords: false, explain, dimensionalTextsAbove, municipalOnly, dimensionalCompact,
  });
  const benchmarks = await listBenchmarks(db, results.campaign.id);
  const printed = printedTables(results);
  const meta: ReportMeta = { title: results.campaign.title, period: periodText(results.campaign.period) };
  const municipality = await municipalityName(db, results.organisations);
  if (municipality) meta.municipality = municipality;
  if (opts.date) meta.date = opts.date;
  const model = buildReportModel({
    methodology: results.methodology,
    computed: results.computed,
    organisations: results.organisations.filter((o) => o.included),
    meta,
    recommendations: await campaignRecommendations(db, results.campaign.id),
    benchmarks: Object.fromEntries(benchmarks.map((b) => [b.key, { regional: b.regional, target: b.target }])),
    printed: printed.tables,
  });
  model.warnings.push(...results.warnings.filter((w) => !printed.superseded.has(w)), ...printed.warnings);
  const table = resultsTable(model, results.methodology, results.organisations);
  // The model correlates indicators of one table only; a campaign joins its organisation tables and the inputs, so
  // the documents get the same correlations as the analysis page.
  if (!model.correlation.cells.length) {
    const c = correlations(table);
    if (c.pairs.length) {
      const label = (code: string) => {
        const v = c.variables.find((x) => x.code === code);
        return v?.kind === 'input' ? `«${v.title}»` : code;
      };
      model.correlation = { cells: c.pairs.map((p) => ({ ...p, a: label(p.a), b: label(p.b) })), note: null };
      model.conclusions = buildConclusions(model);
    }
  }
  // Printed reports attached to the campaign: their disagreements join the model's discrepancies (documents, page).
  const printedReports = await printedReportChecks(db, results, model);
  if (printedReports.some((r) => r.disagreements.length)) model.conclusions = buildConclusions(model);
  return { results, model, table, benchmarks, printedReports };
}

export interface CampaignSummary { id: string; title: string; period: string; periodLabel: string; status: string }
export interface CampaignAnalysis {
  campaign: Campaign;
  basis: ResultsBasis;
  methodology: { id: string; version: string; title: string; hash: string };
  organisations: CampaignOrganisation[];
  sources: CampaignResults['sources'];
  warnings: string[];
  model: AnalysisModel;
  table: ResultsTable;
  correlation: { pearson: CorrelationResult; spearman: CorrelationResult };
  clusters: ClusterAnalysis;
  benchmarks: Benchmark[];
  printedReports: PrintedReportCheck[];
  previous: CampaignSummary | null;
  dynamics: Dynamics | null;
  /** The previous campaign's per-dimension view (model.dimensional), for the dynamics per subject × grade. */
  previousDimensional: DimensionalView | null;
  /** Municipal values of this and the earlier campaigns of the same methodology id (oldest first), for the lines. */
  series: { campaign: CampaignSummary; values: Record<string, number | null> }[];
}

/** Earlier non-draft campaigns of the same methodology id in the same municipality (one that shares a participating
 * municipality with this campaign — `campaign_participation`, the one definition of where a campaign belongs),
 * newest first. Without that, a region's other municipality's campaign became «the previous one» (issue 24's demo). */
export async function earlierCampaigns(db: Kysely<Database>, c: { id: string; methodology_id: string; period_start: string }, limit: number): Promise<CampaignSummary[]> {
  const rows = await db
    .selectFrom('campaigns as c')
    .select(['c.id', 'c.title', 'c.period_code', 'c.status'])
    .where('c.methodology_id', '=', c.methodology_id)
    .where('c.period_start', '<', c.period_start)
    .where('c.status', '<>', 'draft')
    .where('c.id', '<>', c.id)
    .where(sql<boolean>`exists (select 1 from campaign_participation p join campaign_participation here on here.municipality_id = p.municipality_id where p.campaign_id = c.id and here.campaign_id = ${c.id})`)
    .orderBy('c.period_start', 'desc')
    .orderBy('c.created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, title: r.title, period: r.period_code, periodLabel: periodText(r.period_code), status: r.status }));
}

const summaryOf = (c: Campaign): CampaignSummary => ({ id: c.id, title: c.title, period: c.period, periodLabel: c.periodLabel, status: c.status });
const municipalValues = (m: AnalysisModel): Record<string, number | null> => Object.fromEntries(m.municipal.map((x) => [x.indicator.id, x.value]));

/** What the analysis page computes of a campaign (`campaignModel`'s options) given its limit of per-dimension rows
 * (`inlineRows`): above it, the per-dimension tables as the page's compact view reads them — texts and every result only
 * for the rows that view keeps, every figure that can warn or is printed evaluated for every row (`wholeChecks`). The
 * model is then the whole computation's but for the per-dimension view's left-out rows
 * (test/integration/analysis-compact.test.ts); the documents that print no such row (the protocol, the report's text
 * blocks) read the same model, and share the page's kept computation (kept-outcomes.ts). */
export function pageModelOptions(inlineRows: number = INLINE_DIMENSIONAL_ROWS): { dimensionalTextsAbove: number; dimensionalCompact: { above: number; wholeChecks: true } } {
  return { dimensionalTextsAbove: inlineRows, dimensionalCompact: { above: inlineRows, wholeChecks: true } };
}

/** `inlineRows`: the most per-dimension rows (this campaign's and the previous one's together) the answer carries
 * whole; above it `model.dimensional` and `previousDimensional` are compact (dimensional-compact.ts: the first row and
 * the rows with a sign of non-objectivity, `omittedRows` set) and the page ranks on the server. */
export async function getCampaignAnalysis(db: Kysely<Database>, campaignId: string, opts: { basis?: ResultsBasis; history?: number; municipalityId?: string | null; inlineRows?: number } = {}): Promise<CampaignAnalysis> {
  const limit = opts.inlineRows ?? INLINE_DIMENSIONAL_ROWS;
  // A per-dimension table above the limit makes the answer compact: only the rows the compact view keeps are
  // computed with their texts, and only they keep every result (the others' are never sent; the figures that can warn
  // or are printed are evaluated for every row, so the warnings and discrepancies are whole, and so are the aggregates).
  const cur = await campaignModel(db, campaignId, { ...opts, ...pageModelOptions(limit) });
  const row = await findCampaignRow(db, cur.results.campaign.id);
  const earlier = await earlierCampaigns(db, row, Math.max(1, opts.history ?? 4));
  // A campaign too large for whole views: the earlier campaigns give values only (series, dynamics, the compact
  // previous view without texts), so their texts are not computed.
  const large = (cur.model.dimensional?.rows.length ?? 0) > limit;
  let dyn: Dynamics | null = null;
  let previousDimensional: DimensionalView | null = null;
  const series: CampaignAnalysis['series'] = [{ campaign: summaryOf(cur.results.campaign), values: municipalValues(cur.model) }];
  for (const [i, e] of earlier.entries()) {
    // The previous campaign gives the dynamics and its view — of a large campaign only the compact view, so only what
    // that view keeps is computed in full; the earlier ones only their municipal values (the series), so they are
    // computed without texts and without the per-dimension indicators those values are not of.
    const prev = await campaignModel(db, e.id, {
      ...opts, ...(large || i > 0 ? { explain: false } : {}), ...(i > 0 ? { municipalOnly: true } : large ? { dimensionalCompact: {} } : {}),
    });
    if (i === 0) {
      dyn = dynamics({ table: cur.table, model: cur.model }, { table: prev.table, model: prev.model });
      previousDimensional = cur.model.dimensional ? prev.model.dimensional : null;
    }
    series.unshift({ campaign: e, values: municipalValues(prev.model) });
  }
  const r = cur.results;
  const views = compactIfLarge(cur.model.dimensional, previousDimensional, limit);
  return {
    campaign: r.campaign,
    basis: r.basis,
    methodology: { id: r.methodology.id, version: r.methodology.version, title: r.methodology.title, hash: r.methodologyHash },
    organisations: r.organisations,
    sources: r.sources,
    warnings: cur.model.warnings,
    model: views.current === cur.model.dimensional ? cur.model : { ...cur.model, dimensional: views.current },
    table: cur.table,
    correlation: { pearson: correlations(cur.table, 'pearson'), spearman: correlations(cur.table, 'spearman') },
    clusters: clusterAnalysis(cur.table),
    benchmarks: cur.benchmarks,
    printedReports: cur.printedReports,
    previous: earlier[0] ?? null,
    dynamics: dyn,
    previousDimensional: views.previous,
    series,
  };
}
