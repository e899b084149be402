/** Reports of a monitoring run (issue 6): the analysis model from computed results, and its rendering to DOCX, XLSX
 * or PDF. `computeReportFromFiles` runs the methodology engine over several data files (one per table of the
 * methodology: organisations, survey, coverage, focus…) and reads the organisations' attributes (name, type) through
 * the engine's own dataset reader, so nothing of the engine is repeated here. */
import path from 'node:path';
import type { Methodology } from '../../core/methodology/index.ts';
import { attributeColumn, detectDataset, readEntities } from '../../core/methodology/index.ts';
import type { AnalysisInput, AnalysisModel, ComputedTable, OrganisationInfo, Recommendation, ReportMeta } from '../../core/analysis/index.ts';
import { buildAnalysis } from '../../core/analysis/index.ts';
import type { Chart } from '../../reports/charts.ts';
import type { ProtocolInput } from '../../reports/docx-protocol.ts';
import type { ComputeError } from '../methodology/compute.ts';
import { computeFromBuffer, loadMethodology } from '../methodology/compute.ts';
import { readDataFile } from '../imports/datafile.ts';

export type ReportFormat = 'docx' | 'xlsx' | 'pdf';
export interface RenderOptions {
  /** Analyst's edits: block id (`goal`, `conclusion.<id>`) → text replacing the generated paragraph. */
  overrides?: Record<string, string>;
  /** PDF: path of the Chromium binary (default /usr/bin/chromium) and time limit in ms (default 60 000). */
  chromiumPath?: string;
  timeoutMs?: number;
  /** PDF: keep Chromium running for the next export (servers); close it with `closePdfBrowser()` from reports/pdf.ts. */
  reuseBrowser?: boolean;
}
export type RenderResult = { ok: true; buffer: Buffer; warnings: string[] } | { ok: false; error: string };

export interface ReportModel extends AnalysisModel {
  /** Warnings met while building (fonts, unreadable files); shown in the document. */
  warnings: string[];
}

export function buildReportModel(args: {
  methodology: Methodology;
  computed: ComputedTable | readonly ComputedTable[];
  organisations?: readonly OrganisationInfo[];
  meta?: ReportMeta;
  recommendations?: readonly Recommendation[];
  benchmarks?: AnalysisInput['benchmarks'];
  printed?: AnalysisInput['printed'];
}): ReportModel {
  const computed = Array.isArray(args.computed) ? (args.computed as readonly ComputedTable[]) : [args.computed as ComputedTable];
  const analysis = buildAnalysis({
    methodology: args.methodology,
    computed,
    ...(args.organisations ? { organisations: args.organisations } : {}),
    ...(args.meta ? { meta: args.meta } : {}),
    ...(args.recommendations ? { recommendations: args.recommendations } : {}),
    ...(args.benchmarks ? { benchmarks: args.benchmarks } : {}),
    ...(args.printed ? { printed: args.printed } : {}),
  });
  return { ...analysis, warnings: [] };
}

/** Organisation attributes (name, type, number) of the organisation-level tables of a data file. */
export async function readOrganisations(m: Methodology, buffer: Uint8Array, fileName: string): Promise<OrganisationInfo[]> {
  const read = await readDataFile(buffer, path.basename(fileName));
  if (!read.ok) return [];
  const detected = detectDataset(m, read.table.header);
  if (!detected.ok) return [];
  const ds = m.datasets?.[detected.id];
  if (!ds || ds.unit !== 'organisation') return [];
  const entities = readEntities(m, ds, read.table.header, read.table.rows);
  if (!entities.ok) return [];
  const attrs = ds.attributes ?? {};
  const typeAttr = 'type' in attrs ? 'type' : Object.keys(attrs).find((k) => attributeColumn(attrs[k]!).column === 'type');
  const noAttr = 'no' in attrs ? 'no' : undefined;
  return entities.entities.map((e) => ({
    name: e.key,
    type: typeAttr ? (e.attributes[typeAttr] ?? null) : null,
    no: noAttr ? (e.attributes[noAttr] ?? null) : null,
  }));
}

export type ComputeReportResult =
  | { ok: true; model: ReportModel; methodology: Methodology; computed: ComputedTable[] }
  | { ok: false; error: ComputeError | { kind: 'methodology' | 'file'; text: string } };

/** Loads a methodology (library id or path, or a document), computes every data file and builds the report model. */
export async function computeReportFromFiles(args: {
  methodology: string | Methodology;
  files: readonly { name: string; buffer: Uint8Array }[];
  meta?: ReportMeta;
  recommendations?: readonly Recommendation[];
}): Promise<ComputeReportResult> {
  let m: Methodology;
  if (typeof args.methodology === 'string') {
    const loaded = await loadMethodology(args.methodology);
    if (!loaded.ok) return { ok: false, error: { kind: 'methodology', text: `методика «${args.methodology}»: ${loaded.errors.map((e) => e.message).join('; ')}` } };
    m = loaded.methodology;
  } else m = args.methodology;
  if (!args.files.length) return { ok: false, error: { kind: 'file', text: 'не указано ни одного файла данных' } };
  const computed: ComputedTable[] = [];
  const organisations: OrganisationInfo[] = [];
  const seen = new Set<string>();
  for (const f of args.files) {
    const r = await computeFromBuffer({ methodology: m, buffer: f.buffer, fileName: f.name });
    if (!r.ok) return { ok: false, error: r.error };
    if (seen.has(r.output.dataset.id))
      return { ok: false, error: { kind: 'file', text: `${path.basename(f.name)}: таблица «${r.output.dataset.title}» уже передана другим файлом` } };
    seen.add(r.output.dataset.id);
    computed.push(r.output);
    organisations.push(...(await readOrganisations(m, f.buffer, f.name)));
  }
  const model = buildReportModel({
    methodology: m,
    computed,
    organisations,
    ...(args.meta ? { meta: args.meta } : {}),
    ...(args.recommendations ? { recommendations: args.recommendations } : {}),
  });
  return { ok: true, model, methodology: m, computed };
}

/** Charts depend on the model only: rendered once per model, shared by the DOCX and PDF exports. */
const chartCache = new WeakMap<ReportModel, Promise<{ charts: Chart[]; warnings: string[] }>>();
async function chartsOf(model: ReportModel): Promise<{ charts: Chart[]; warnings: string[] }> {
  let c = chartCache.get(model);
  if (!c) {
    const { renderCharts } = await import('../../reports/charts.ts');
    c = renderCharts(model);
    chartCache.set(model, c);
  }
  return c;
}

/** Renders the model. DOCX and XLSX always succeed; PDF returns an error value when Chromium is missing or fails. */
export async function renderReport(model: ReportModel, format: ReportFormat, options: RenderOptions = {}): Promise<RenderResult> {
  if (format === 'xlsx') {
    const { renderXlsxReport } = await import('../../reports/xlsx-report.ts');
    return { ok: true, buffer: await renderXlsxReport(model), warnings: [...model.warnings] };
  }
  const charts = await chartsOf(model);
  const warnings = [...model.warnings, ...charts.warnings];
  if (format === 'docx') {
    const { renderDocxReport } = await import('../../reports/docx-report.ts');
    return { ok: true, buffer: await renderDocxReport(model, charts.charts, { overrides: options.overrides ?? {}, warnings }), warnings };
  }
  const { renderPdfReport } = await import('../../reports/pdf.ts');
  const pdf = await renderPdfReport(model, charts.charts, {
    overrides: options.overrides ?? {},
    warnings,
    ...(options.chromiumPath ? { chromiumPath: options.chromiumPath } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.reuseBrowser ? { reuseBrowser: true } : {}),
  });
  return pdf.ok ? { ok: true, buffer: pdf.buffer, warnings } : pdf;
}

/** Draft protocol of the working group meeting that adopts the report (DOCX). */
export async function renderProtocol(model: ReportModel, input: ProtocolInput): Promise<Buffer> {
  const { renderProtocolDocx } = await import('../../reports/docx-protocol.ts');
  return renderProtocolDocx(model, input);
}

/** Validates addressed recommendations given as JSON (`[{ addressee, text, organisations[] }]`). */
export function parseRecommendations(value: unknown): { ok: true; value: Recommendation[] } | { ok: false; error: string } {
  if (value === undefined || value === null) return { ok: true, value: [] };
  if (!Array.isArray(value)) return { ok: false, error: 'ожидается массив [{ addressee, text, organisations[] }]' };
  const out: Recommendation[] = [];
  for (const [i, x] of value.entries()) {
    const o = x as { addressee?: unknown; text?: unknown; organisations?: unknown };
    if (typeof o?.addressee !== 'string' || typeof o.text !== 'string')
      return { ok: false, error: `элемент ${i + 1}: нужны строки «addressee» и «text»` };
    const orgs = o.organisations ?? [];
    if (!Array.isArray(orgs) || orgs.some((n) => typeof n !== 'string')) return { ok: false, error: `элемент ${i + 1}: «organisations» — массив строк` };
    out.push({ addressee: o.addressee, text: o.text, organisations: orgs as string[] });
  }
  return { ok: true, value: out };
}
