/** Results of a campaign's per-dimension data (issue 22): the current values of the inputs of dimensional datasets
 * (`value_history.dimensions`, one row per organisation × subject × grade, from the forms or an import) become the
 * tables `msoko compute` reads from files — one table per dataset, a row per organisation × dimension values with the
 * school's short name in the key column — and go through the same engine (`computeTables`: `mergeDimensionalTables`
 * joins the tables of different datasets on organisation × dimensions, then the indicators, aggregates and
 * explanations of file mode). Nothing of the scoring is repeated here. */
import { sql, type Kysely } from 'kysely';
import { withComparisonInputs } from '../../core/analysis/dimensional-comparison.ts';
import { compactViewSign, keptByCompactView } from '../../core/analysis/dimensional-compact.ts';
import type { Compiled, ComputeOptions, ComputeOutput, CountedRecords, DatasetDef, Entity, IndicatorResult, LintItem, Methodology, TableRow, Value } from '../../core/methodology/index.ts';
import { computeEntities, computeTables } from '../../core/methodology/index.ts';
import { cellText, dimensionalEntities, dimensionalHeader, type TypedRow, type TypedTable } from '../../core/methodology/dimensional-entities.ts';
import type { NamedTable } from '../../core/methodology/named-table.ts';
import { datasetDimensions } from '../../core/methodology/dimensions.ts';
import { dimensionsLabel, dimensionalForms, type DimensionalRow } from '../../core/rules/dimensional.ts';
import type { Database } from '../../db/schema.ts';
import { visibleValueRow } from '../../db/value-rows.ts';
import type { DimensionalOutcome } from './dimensional-outcome.ts';
import { dimensionalRowsStamp, keptOutcomes } from './kept-outcomes.ts';
import { participantsDigest } from './work-read.ts';
import { withoutJit } from './without-jit.ts';

export type { DimensionalOutcome } from './dimensional-outcome.ts';

/** The dimensional datasets of a methodology (organisation rows split by subject, grade, …). */
export function dimensionalDatasets(m: Methodology): [string, DatasetDef][] {
  return Object.entries(m.datasets ?? {}).filter(([, ds]) => ds.unit === 'organisation' && !ds.responses && !!ds.dimensions);
}

/** The rows of one dataset's table from the organisations' rows: a row per organisation × dimension values that has
 * every required input of the dataset; rows with only some of them are named in `partial`. Values stay typed. */
export function dimensionalRows(
  m: Methodology,
  dsId: string,
  ds: DatasetDef,
  orgs: readonly { id: string; name: string }[],
  rowsOf: ReadonlyMap<string, readonly DimensionalRow[]>,
): { rows: TypedRow[]; partial: string[] } {
  const { inputs } = dimensionalHeader(m, ds);
  const ids = inputs.map(([input]) => input);
  const required = ids.filter((input) => m.inputs[input]?.required !== false);
  const form = dimensionalForms(m).find((f) => f.datasetId === dsId);
  const rows: TypedRow[] = [];
  const partial: string[] = [];
  for (const o of orgs) {
    for (const r of rowsOf.get(o.id) ?? []) {
      // No closure per row (this runs for every school × work): any of the inputs, then every required one.
      if (!hasAny(r.values, ids)) continue;
      if (!hasAll(r.values, required)) {
        partial.push(form ? `${o.name} (${dimensionsLabel(form, r.dimensions)})` : o.name);
        continue;
      }
      rows.push({ name: o.name, dimensions: r.dimensions, values: r.values });
    }
  }
  return { rows, partial };
}

const filled = (values: DimensionalRow['values'], input: string) => (values[input]?.value ?? null) !== null;
function hasAny(values: DimensionalRow['values'], inputs: readonly string[]): boolean {
  for (const input of inputs) if (filled(values, input)) return true;
  return false;
}
function hasAll(values: DimensionalRow['values'], inputs: readonly string[]): boolean {
  for (const input of inputs) if (!filled(values, input)) return false;
  return true;
}

/** The text table of one dataset (`msoko compute`'s input): the rows of `dimensionalRows` with their values as text.
 * The recompute takes the direct path (`dimensionalEntities`) and this one only where that declines. */
export function dimensionalTable(
  m: Methodology,
  dsId: string,
  ds: DatasetDef,
  orgs: readonly { id: string; name: string }[],
  rowsOf: ReadonlyMap<string, readonly DimensionalRow[]>,
): { table: NamedTable | null; partial: string[] } {
  const { rows, partial } = dimensionalRows(m, dsId, ds, orgs, rowsOf);
  return { table: rows.length ? textTable(m, ds, rows) : null, partial };
}

function textTable(m: Methodology, ds: DatasetDef, rows: readonly TypedRow[]): NamedTable {
  const { header, inputs } = dimensionalHeader(m, ds);
  const dims = datasetDimensions(m, ds);
  const lines: TableRow[] = rows.map((r, i) => ({ line: i + 2, cells: [r.name, ...dims.map((d) => r.dimensions[d] ?? ''), ...inputs.map(([input]) => cellText(r.values[input]?.value))] }));
  return { file: tableFile(ds), header, rows: lines };
}

const tableFile = (ds: DatasetDef) => `формы: ${ds.title}`;

function list(names: readonly string[], max = 10): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} и ещё ${names.length - max}`;
}

/** The merged current inputs per organisation × dimension values of a campaign, without unnesting `value_rows`: its
 * rows (an import's per-dimension values, several inputs each) and `value_history`'s per-input rows (forms) folded by
 * `jsonb_merge` in id order, so a later row overrides an earlier one per input — the latest visible row per input,
 * exactly as `distinct on (organisation_id, input, dimensions) … order by id desc` over `value_history_visible`.
 * With `evidence`, a `value_history` row's input maps to `{"v": value, "e": evidence URL}` (values are scalars, so
 * an object says the value came from a form row; `value_rows` carry no evidence). With `only`, just those dimension
 * values (JSON texts; an import's plan reads the works of its files, not the whole campaign). */
export function mergedDimensionalInputsSql(campaignId: string, evidence: boolean, only?: readonly string[]) {
  const which = (t: 'vh' | 'vr') => (only ? sql`${sql.ref(`${t}.dimensions`)} = any(${[...only]}::jsonb[])` : sql`${sql.ref(`${t}.dimensions`)} is not null`);
  return sql<{ organisation_id: string; dimensions: Record<string, string>; v: Record<string, unknown> }>`
    select organisation_id, dimensions, jsonb_merge(v order by id) as v from (
      select vr.id, vr.organisation_id, vr.dimensions, vr."values" as v from value_rows vr
      where vr.campaign_id = ${campaignId}::uuid and ${which('vr')} and ${visibleValueRow('vr')}
      union all
      select vh.id, vh.organisation_id, vh.dimensions,
        jsonb_build_object(vh.input, ${evidence ? sql`jsonb_build_object('v', vh.value, 'e', vh.evidence_url)` : sql`vh.value`}) as v
      from value_history vh
      where vh.campaign_id = ${campaignId}::uuid and ${which('vh')} and ${visibleValueRow('vh')}) cur
    group by organisation_id, dimensions order by organisation_id, dimensions`;
}

/** The current per-dimension values of a campaign (the latest visible row per organisation × input × dimension
 * values), one row per organisation × dimension values with its inputs as one JSON object: what the computation and
 * the region's statistics read, without the provenance `currentDimensionalValues` gives the forms. Merged from
 * `value_rows` and the forms' rows without unnesting (`mergedDimensionalInputsSql`): a row per school × work to read
 * and decode, not one per value. Ordered by organisation and dimension values. With `only` (dimension values as JSON
 * texts), just those works (the analysis of one work, dimensional-work.ts). */
export async function currentDimensionalInputs(db: Kysely<Database>, campaignId: string, only?: readonly string[]): Promise<{ organisationId: string; dimensions: Record<string, string>; values: Record<string, Value> }[]> {
  const rows = await withoutJit(db, (d) => mergedDimensionalInputsSql(campaignId, false, only).execute(d));
  return rows.rows.map((r) => ({ organisationId: r.organisation_id, dimensions: r.dimensions, values: r.v as Record<string, Value> }));
}

/** The same, per organisation as the forms' rows (values without evidence). */
export async function currentDimensionalRows(db: Kysely<Database>, campaignId: string, only?: readonly string[]): Promise<Map<string, DimensionalRow[]>> {
  const out = new Map<string, DimensionalRow[]>();
  for (const r of await currentDimensionalInputs(db, campaignId, only)) {
    const values: DimensionalRow['values'] = {};
    for (const [input, value] of Object.entries(r.values)) values[input] = { value: value ?? null, evidenceUrl: null };
    const list = out.get(r.organisationId);
    if (list) list.push({ dimensions: r.dimensions, values });
    else out.set(r.organisationId, [{ dimensions: r.dimensions, values }]);
  }
  return out;
}

/** Computes the dimensional datasets of a campaign over the organisations on the basis (`orgs`: registry id and short
 * name), reading their current per-dimension values; `explain: false` as in `computeDimensional`. With `keep` (the
 * methodology's content hash) and a `compact` mode, the outcome is kept between requests (kept-outcomes.ts). */
export async function campaignDimensionalResults(
  db: Kysely<Database>,
  campaignId: string,
  m: Methodology,
  compiled: Compiled,
  lint: LintItem[],
  orgs: readonly { id: string; name: string }[],
  options: DimensionalOptions = {},
  keep?: { methodologyHash: string },
): Promise<DimensionalOutcome> {
  const datasets = dimensionalDatasets(m);
  if (!datasets.length || !orgs.length) return { output: null, datasets: [], warnings: [] };
  // The analysis page's compact computations are kept between requests under a stamp (kept-outcomes.ts).
  if (!keep || !options.compact) return computeDimensional(m, compiled, lint, orgs, await currentDimensionalRows(db, campaignId), options);
  const kept = keptOutcomes(db);
  const key = `${campaignId}\u0000${keep.methodologyHash}\u0000${JSON.stringify(options)}`;
  const stamp = `${await dimensionalRowsStamp(db, campaignId)}\u0000${participantsDigest(orgs)}`;
  return kept.get(key, stamp) ?? kept.put(key, stamp, computeDimensional(m, compiled, lint, orgs, await currentDimensionalRows(db, campaignId), options));
}

/** `computeDimensional`'s options: the engine's (`explain`, `only`), `text` (the text path), and `textsAbove`: with
 * texts, when a dataset's table has more rows than this — the analysis page then sends a compact view
 * (dimensional-compact.ts) — only the rows that view keeps (`keptByCompactView`) have their texts; every figure, and
 * the texts of aggregates, totals and discrepancies, the same. `compact`: the results only the analysis page's compact
 * view (dimensional-compact.ts) reads — of every row the sign of non-objectivity and the indicators `everyRow`, of the
 * rows the view keeps every indicator (`ComputeOptions.partial`); its compact view and its aggregates and totals over
 * those indicators are those of the whole computation. `above`: only when a table has more rows than this (the page's
 * limit: the view will be compact). `wholeChecks`: every figure that can warn or is printed is evaluated for every row
 * too, so that the warnings and the discrepancies are whole (the current campaign of the page); without it, not (the
 * previous campaign, of which only the compact view and the municipal values are read). `outputEveryRow`: the results
 * of `everyRow` of every row are in the output (else one per row left out): the DOCX report ranks every row by them. */
export type DimensionalOptions = { text?: boolean; textsAbove?: number; compact?: { everyRow: readonly string[]; above?: number; wholeChecks?: boolean; outputEveryRow?: boolean } } & ComputeOptions;

/** The pure part of `campaignDimensionalResults`: the typed rows straight into the engine's entities
 * (`dimensionalEntities`), or — with `text`, or where the direct path declines (a value the table would not read) —
 * through the text tables as `msoko compute` reads them; the outputs are the same (test/integration/dimensional-direct).
 * `explain: false`: without the texts of results, totals and aggregates (`ComputeOptions`, run.ts), the comparison
 * inputs as with them; `only`: just those indicators (`ComputeOptions.only`) — on either path. */
export function computeDimensional(
  m: Methodology,
  compiled: Compiled,
  lint: LintItem[],
  orgs: readonly { id: string; name: string }[],
  rowsOf: ReadonlyMap<string, readonly DimensionalRow[]>,
  options: DimensionalOptions = {},
): DimensionalOutcome {
  const explain = options.explain !== false;
  const warnings: string[] = [];
  const tables: TypedTable[] = [];
  for (const [dsId, ds] of dimensionalDatasets(m)) {
    const { rows, partial } = dimensionalRows(m, dsId, ds, orgs, rowsOf);
    if (partial.length)
      warnings.push(`Таблица «${ds.title}»: не вошли строки с незаполненными обязательными значениями (${partial.length}): ${list(partial)}.`);
    if (rows.length) tables.push({ id: dsId, ds, file: tableFile(ds), rows });
  }
  if (!tables.length) return { output: null, datasets: [], warnings };
  const used = tables.map((t) => t.id);
  const direct = options.text ? null : dimensionalEntities(compiled, tables);
  let output: ComputeOutput<CountedRecords>;
  const computeOptions: ComputeOptions = { explain, ...(options.only ? { only: options.only } : {}) };
  const rows = Math.max(...tables.map((t) => t.rows.length));
  const texted = explain && options.textsAbove !== undefined && rows > options.textsAbove;
  const compact = options.compact && (options.compact.above === undefined || rows > options.compact.above) ? options.compact : undefined;
  if (texted || compact) {
    // The rows the page's compact view keeps, decided once for both: the least name over every row, then each by its sign.
    const tableIndicators = [...new Set(tables.flatMap((t) => t.ds.indicators))];
    const names = function* () {
      for (const t of tables) for (const r of t.rows) yield r.name;
    };
    const byView = keptByCompactView(m, tableIndicators, names());
    const kept = (e: Entity, rs: readonly IndicatorResult[]) => byView(e.name ?? e.key, rs);
    if (texted) computeOptions.explainEntity = kept;
    if (compact) {
      const sign = compactViewSign(m, tableIndicators);
      computeOptions.partial = { indicators: [...(sign ? [sign] : []), ...compact.everyRow], keep: kept, ...(compact.wholeChecks ? { wholeChecks: true } : {}), ...(compact.outputEveryRow ? { outputHeld: true } : {}) };
    }
  }
  if (direct) output = computeEntities(compiled, direct.dsId, direct.ds, direct.entities, lint, undefined, computeOptions);
  else {
    const out = computeTables(compiled, tables.map((t) => textTable(m, t.ds, t.rows)), lint, computeOptions);
    if (!out.ok) {
      const e = out.error;
      warnings.push(`${e.file}: ${e.line !== null && e.line > 1 ? `строка ${e.line - 1}, ` : ''}${e.column ? `столбец «${e.column}»: ` : ''}${e.message} — таблица не вычислена.`);
      return { output: null, datasets: [], warnings };
    }
    output = out.output;
  }
  // The comparison rows of the inputs each formula reads (region_journal_raised beside journal_raised, …): the
  // ranking and the table of signs set every share beside the report's region and municipality rows.
  const order = Object.keys(m.dimensions ?? {});
  const rowKey = (name: string, dims: Readonly<Record<string, string>>) => `${name}\u0000${order.map((d) => dims[d] ?? '').join('\u0001')}`;
  // Indexed by reference (a later row of the same key wins, as before); a row's values are read only when a result
  // asks for them (once per row: withComparisonInputs keeps what it got).
  const rowIndex = new Map<string, DimensionalRow>();
  for (const o of orgs) for (const r of rowsOf.get(o.id) ?? []) rowIndex.set(rowKey(o.name, r.dimensions), r);
  const valuesOf = (organisation: string, dims: Record<string, string>) => {
    const r = rowIndex.get(rowKey(organisation, dims));
    if (!r) return undefined;
    const values: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r.values)) values[k] = v?.value ?? null;
    return values;
  };
  // The text path (options.text) is the old one throughout: a copy of each result that gains comparison inputs.
  return { output: withComparisonInputs(m, output, valuesOf, { inPlace: !options.text }), datasets: used, warnings };
}
