/** The whole computation over one table: rows → entities → indicator results → criteria totals → aggregates →
 * discrepancies with the printed figures → data warnings. Pure; the services do the file reading. */
import { formatNumber } from '../format.ts';
import type { AggregateEntity, AggregateResult } from './aggregate.ts';
import { computeAggregate } from './aggregate.ts';
import type { Discrepancy } from './consistency.ts';
import { agreesAtPrecision, digitsOf, levelsAgree, parsePrinted } from './consistency.ts';
import { attachDiagnoses } from './diagnose-run.ts';
import type { Compiled, IndicatorResult } from './evaluate.ts';
import { canWarn, evaluateEntity, explainResult } from './evaluate.ts';
import { datasetDimensions, dimensionOutput } from './dimensions.ts';
import { pointsText } from './explain.ts';
import type { LintItem } from './lint-item.ts';
import type { CountedInput } from './record-dataset.ts';
import type { CellError, Entity, TableRow } from './records.ts';
import { detectDataset, readEntities } from './records.ts';
import { bandContains, bandName } from './scale.ts';
import type { DatasetDef, IndicatorDef } from './schema.ts';

const mapOf = (rs: readonly IndicatorResult[]): Record<string, IndicatorResult> => {
  const map: Record<string, IndicatorResult> = {};
  for (const r of rs) map[r.indicator] = r;
  return map;
};

/** The records (file line, label) behind an input counted from a record list. */
export interface CountedRecords { records: { line: number; label: string | null }[] }
/** An input counted from record lists, as a result shows it: the value, what was counted, the file(s) and — with
 * `R = CountedRecords` — the records behind it. `R = unknown` (the default of the output types): the records may be
 * left out — the figures of a campaign's recompute (`computeCampaignResults(…, { countedRecords: false })`), whose
 * drill-down reads one organisation's records apart; what reads only the figures takes either. */
export type CountedDetail<R = unknown> = { value: number | null; explanation: string; file: string } & R;

export interface ResultRow<R = unknown> {
  organisation: string;
  /** For a dimensional table: the row's values of the dimensions (`{"subject": "Математика", "grade": 5}`). */
  dimensions?: Record<string, string | number>;
  indicator: string;
  code: string | null;
  title: string;
  value: number | null;
  level: string | null;
  points: number | null;
  explanation: string;
  details: {
    line: number;
    unrounded: number | null;
    round: number | null;
    levelCode: string | null;
    band: IndicatorResult['band'];
    formula: string;
    substituted: string;
    inputs: IndicatorResult['inputs'];
    suppressed: boolean;
    reason: string | null;
    /** Inputs counted from record lists: value, what was counted, and the records (file line, label) behind it. */
    counted?: Record<string, CountedDetail<R>>;
  };
}
/** A record list that took part in a computation. */
export interface RecordFileSummary {
  file: string;
  dataset: string;
  title: string;
  headerLine: number;
  rows: number;
  counted: number;
  skipped: { line: number; reason: string }[];
  excluded: { value: string; count: number }[];
  organisations: number;
}
export interface TotalRow { organisation: string; dimensions?: Record<string, string | number>; points: number; max: number; level: string | null; complete: boolean; explanation: string }
export interface ComputeOutput<R = unknown> {
  methodology: { id: string; version: string; title: string };
  dataset: { id: string; title: string; unit: DatasetDef['unit']; rows: number };
  indicators: { id: string; code: string | null; title: string; unit: string | null; kind: string | null }[];
  results: ResultRow<R>[];
  totals: TotalRow[];
  aggregates: (Omit<AggregateResult, 'levelName' | 'level'> & { level: string | null; levelCode: string | null })[];
  discrepancies: Discrepancy[];
  lint: LintItem[];
  /** Record lists combined into this computation (several files). */
  records?: RecordFileSummary[];
  /** The dimensions of a dimensional table (each result then has `dimensions`), in the methodology's order. */
  dimensions?: { id: string; title: string; labels?: Record<string, string> }[];
}
export type ComputeFailure = { ok: false; error: CellError };

export interface ComputeOptions {
  /** false: the figures without their Russian texts — in the output, `explanation` and `details.substituted` of every
   * result, `explanation` of every total and aggregate and of every counted input (`details.counted.*.explanation`)
   * are empty strings; every value, unrounded value, level, points, band, input, reason, warning, total, aggregate,
   * discrepancy (its message included: the text of a discrepant figure is written on demand) and record file summary
   * is the same as with texts. For a computation nobody reads the texts of (a campaign's rankings, proposals, effects);
   * `explainResult` gives one figure's text when it is opened. Default true. */
  explain?: boolean;
  /** Only these indicators (what they depend on is evaluated, not listed): the results, the output's `indicators`
   * and the aggregates over them; totals only when they are among them all, and no published figure is checked (no
   * discrepancies, no diagnoses, no totals-row check) — for a view of a few figures, such as the ranking of one work by
   * one indicator (dimensional-work.ts). Every figure given is the same as in the whole computation. */
  only?: readonly string[];
  /** With texts: an entity's results have their texts only when this says so, given the entity and its results
   * computed without them (it is then evaluated again with texts); the others' texts are empty as with `explain:
   * false`, every figure the same. Totals, aggregates and discrepancies keep their texts. For a computation of
   * which only some rows are read with their texts — the analysis page of a campaign with 144 000 rows per subject
   * × grade sends the rows of one school and those with a sign of non-objectivity (campaign-dimensional.ts). */
  explainEntity?: (entity: Entity, results: readonly IndicatorResult[]) => boolean;
  /** Every row by a few figures, a few rows by every figure: each entity is evaluated for `indicators` only (and what
   * they depend on) without texts, and for all of its indicators (texts as `explain` and `explainEntity` say) when
   * `keep` says so given those results. The output lists every indicator; an entity not kept has one result in it
   * (the first of `indicators`, or its first indicator's when it has none of them: every entity has a row), and the
   * warnings of what was evaluated. Aggregates and totals only over `indicators` (as with
   * `only`); no published figure is checked. For the compact view of an earlier campaign on the analysis page
   * (dimensional-compact.ts: the sign of non-objectivity of every row, every figure of the rows the view keeps). */
  partial?: {
    indicators: readonly string[];
    keep: (entity: Entity, results: readonly IndicatorResult[]) => boolean;
    /** true: the warnings and the published figures checked are those of the whole computation — every indicator that
     * can warn (`canWarn`: a minimum, a maximum, bands with known edges, a loyalty index) or whose figure the table
     * prints is evaluated for every entity too, and an entity with a discrepancy is kept whole, with its texts: the
     * current campaign of the analysis page, whose warnings and discrepancies are shown. */
    wholeChecks?: boolean;
    /** true: an entity not kept has the results of `indicators` in the output (not one): a report that ranks every
     * row by them (the DOCX of a campaign). */
    outputHeld?: boolean;
  };
}

export function computeTable(c: Compiled, header: readonly string[], rows: readonly TableRow[], staticLint: LintItem[] = [], opts: ComputeOptions = {}): { ok: true; output: ComputeOutput<CountedRecords> } | ComputeFailure {
  const m = c.methodology;
  const detected = detectDataset(m, header);
  if (!detected.ok) return { ok: false, error: { line: 1, column: detected.missing[0] ?? null, message: detected.message } };
  const ds = (m.datasets ?? {})[detected.id] as DatasetDef;
  const read = readEntities(m, ds, header, rows);
  if (!read.ok) return read;
  return { ok: true, output: computeEntities(c, detected.id, ds, read.entities, staticLint, undefined, opts) };
}

/** What record lists add to a table of organisations: inputs counted per organisation (by entity key), the
 * indicators computed from them, and the record lists themselves (for the output). */
export interface RecordSupply<R = CountedRecords> {
  counted: Map<string, Record<string, CountedInput & { file: string } & R>>;
  indicators: string[];
  inputs: string[];
  files: RecordFileSummary[];
}

/** Indicators, totals, aggregates, discrepancies of entities already read (and, with `supply`, completed by record lists);
 * `opts.explain: false` leaves the texts out, `opts.only` computes some indicators (`ComputeOptions`). The two steps
 * apart: `evaluateEntities` (each entity on its own) and `finishEntities` (what is over them all). */
export function computeEntities<R = CountedRecords>(c: Compiled, dsId: string, ds: DatasetDef, entities: Entity[], staticLint: LintItem[] = [], supply?: RecordSupply<R>, opts: ComputeOptions = {}): ComputeOutput<R> {
  return finishEntities(c, dsId, ds, entities, evaluateEntities(c, ds, entities, supply, opts), staticLint, supply, opts);
}

/** What the evaluation of one entity gives: its results in the output, its warnings, the results held for the
 * aggregates and totals (by indicator), and the discrepancies with the figures its row printed. */
export interface EntityOutcome<R = CountedRecords> {
  results: ResultRow<R>[];
  warnings: readonly LintItem[];
  held: Record<string, IndicatorResult>;
  found: readonly Discrepancy[];
}

const NONE: readonly never[] = Object.freeze([]);

/** The indicators of a computation (`ComputeOptions.only`) and those every entity has a result of (with `partial`, its
 * `indicators`; aggregates and totals are taken over these only). */
function scopeOf(ds: DatasetDef, supply: RecordSupply<unknown> | undefined, opts: ComputeOptions): { indicators: string[]; everywhere: string[]; checked: boolean } {
  const all = supply ? [...new Set([...ds.indicators, ...supply.indicators])] : ds.indicators;
  const only = opts.only;
  const partial = opts.partial;
  const indicators = only ? all.filter((i) => only.includes(i)) : all;
  const everywhere = partial ? indicators.filter((i) => partial.indicators.includes(i)) : indicators;
  return { indicators, everywhere, checked: !only && (!partial || !!partial.wholeChecks) };
}

/** Each entity evaluated on its own (in the order given): one outcome per entity. The entities of one table may be
 * evaluated in parts (a campaign's per-dimension rows work by work: campaign-dimensional.ts) and finished together. */
export function evaluateEntities<R = CountedRecords>(c: Compiled, ds: DatasetDef, entities: readonly Entity[], supply?: RecordSupply<R>, opts: ComputeOptions = {}): EntityOutcome<R>[] {
  const m = c.methodology;
  const explain = opts.explain !== false;
  const partial = opts.partial;
  const { indicators, everywhere, checked } = scopeOf(ds, supply as RecordSupply<unknown> | undefined, opts);
  // Of an entity's results, those every entity has — or its first when it has none of them (a row of another table
  // only), so that every entity has results.
  function firstOf(list: readonly IndicatorResult[]): IndicatorResult[] {
    const some = list.filter((x) => everywhere.includes(x.indicator));
    return some.length ? some : list.slice(0, 1);
  }
  // The indicators whose evaluation can warn (`canWarn`) or whose figure the table prints: with `partial.wholeChecks`,
  // evaluated for every entity.
  const checks = partial?.wholeChecks ? new Set(indicators.filter((i) => (m.indicators[i] && canWarn(m, m.indicators[i])) || (ds.published ?? []).some((p) => p.indicator === i))) : null;
  const outcomes: EntityOutcome<R>[] = [];
  const dimensionsOf = (values: Record<string, string>) => dimensionOutput(m, values);

  for (const e of entities) {
    const counted = supply?.counted.get(e.key);
    if (counted) for (const [input, ci] of Object.entries(counted)) e.values[input] = ci.value;
    const own = e.indicators ? indicators.filter((i) => e.indicators?.includes(i)) : indicators;
    const data = { key: e.key, values: e.values, scores: e.scores };
    let texts: boolean;
    let rs: IndicatorResult[];
    let found: Discrepancy[] = [];
    // Whether every result of the entity goes into the output (with `partial`, only those of the entities it keeps).
    let whole = true;
    if (!partial) {
      // This entity's texts (`ComputeOptions.explainEntity`): all, none, or those it asks for.
      texts = explain && !opts.explainEntity;
      rs = evaluateEntity(c, own, data, { explain: texts });
      if (explain && opts.explainEntity?.(e, rs)) {
        rs = evaluateEntity(c, own, data, { explain: true });
        texts = true;
      }
    } else {
      // Without texts the figures every entity has (with `wholeChecks` also every one that can warn or is printed);
      // all of them, with texts as `explain` and `explainEntity` say, for an entity kept or with a discrepancy.
      const first = own.filter((i) => everywhere.includes(i) || !!checks?.has(i));
      rs = evaluateEntity(c, first.length ? first : own.slice(0, 1), data, { explain: false });
      texts = false;
      if (checked) found = checkPublished(ds, e, mapOf(rs), c);
      whole = partial.keep(e, rs) || found.length > 0;
      if (whole) {
        texts = explain && (!opts.explainEntity || found.length > 0 || opts.explainEntity(e, rs));
        rs = evaluateEntity(c, own, data, { explain: texts });
      }
    }
    const map = mapOf(rs);
    if (!partial && checked) found = checkPublished(ds, e, map, texts ? null : c);
    // Held for the aggregates and totals: every result of an entity kept whole, else those of `partial.indicators`;
    // in the output, an entity not kept has one result (so that it has a row of the view), or those (`outputHeld`).
    const held = whole ? rs : firstOf(rs);
    const out = whole || partial?.outputHeld ? held : held.slice(0, 1);
    // The row's dimension values, as printed: one object for all of its results (and its total), not one each.
    const dimensions = e.dimensions ? dimensionsOf(e.dimensions) : undefined;
    const results: ResultRow<R>[] = [];
    for (const r of out) {
      const def = m.indicators[r.indicator];
      const used = counted ? Object.keys(r.inputs).filter((i) => counted[i] !== undefined) : [];
      const row = resultRow<R>(e, dimensions, r, def, texts && used.length && counted ? `${r.explanation} — ${used.map((i) => counted[i]?.explanation ?? '').join('; ')}` : r.explanation);
      if (used.length && counted) row.details.counted = Object.fromEntries(used.map((i) => [i, countedDetail(counted[i] as CountedInput & { file: string } & R, texts)]));
      results.push(row);
    }
    let warnings: LintItem[] | undefined;
    for (const r of rs) for (const w of r.warnings) (warnings ??= []).push({ severity: 'warning', path: `data.${e.key}.${r.indicator}`, message: `${e.key}, ${m.indicators[r.indicator]?.code ?? r.indicator}: ${w}` });
    outcomes.push({ results, warnings: warnings ?? NONE, held: held === rs ? map : Object.fromEntries(held.map((r) => [r.indicator, r])), found: found.length ? found : NONE });
  }
  return outcomes;
}

/** What is over all the entities of a table, from their outcomes (`evaluateEntities`, in the entities' order): the
 * output's results, warnings and discrepancies in that order, the criteria totals, the aggregates, the totals-row check
 * and the diagnoses of the discrepancies. */
export function finishEntities<R = CountedRecords>(c: Compiled, dsId: string, ds: DatasetDef, entities: readonly Entity[], outcomes: readonly EntityOutcome<R>[], staticLint: LintItem[] = [], supply?: RecordSupply<R>, opts: ComputeOptions = {}): ComputeOutput<R> {
  const m = c.methodology;
  const explain = opts.explain !== false;
  const { indicators, everywhere, checked } = scopeOf(ds, supply as RecordSupply<unknown> | undefined, opts);
  const columnsOrSupplied = new Set([...Object.keys(ds.columns), ...(supply?.inputs ?? [])]);
  const results: ResultRow<R>[] = [];
  const warnings: LintItem[] = [];
  const discrepancies: Discrepancy[] = [];
  const perEntity = new Map<string, Record<string, IndicatorResult>>();
  for (let i = 0; i < entities.length; i++) {
    const o = outcomes[i] as EntityOutcome<R>;
    const rs = o.results;
    for (let j = 0; j < rs.length; j++) results.push(rs[j] as ResultRow<R>);
    if (o.warnings.length) for (const w of o.warnings) warnings.push(w);
    perEntity.set((entities[i] as Entity).key, o.held);
    if (o.found.length) for (const d of o.found) discrepancies.push(d);
  }

  // Criteria totals, only when this table carries every indicator of the criteria.
  const totals: TotalRow[] = [];
  const critIndicators = (m.criteria ?? []).flatMap((x) => x.indicators);
  if (critIndicators.length && critIndicators.every((i) => everywhere.includes(i))) {
    for (const e of entities) {
      const map = perEntity.get(e.key) ?? {};
      const pts = critIndicators.map((i) => map[i]?.points ?? null);
      const complete = pts.every((p) => p !== null);
      const sum = pts.reduce<number>((s, p) => s + (p ?? 0), 0);
      const max = m.total?.max ?? (m.criteria ?? []).reduce((s, x) => s + x.max, 0);
      const scale = m.total?.scale ? m.scales?.[m.total.scale] : undefined;
      const band = scale && scale.bounds !== 'unspecified' ? scale.bands.find((b) => bandContains(b, sum)) : undefined;
      totals.push({
        organisation: e.name ?? e.key, ...(e.dimensions ? { dimensions: dimensionOutput(m, e.dimensions) } : {}), points: sum, max, level: band ? bandName(band) : null, complete,
        explanation: explain ? `${critIndicators.map((i) => `${m.indicators[i]?.code ?? i}: ${map[i]?.points ?? '—'}`).join(' + ')} = ${pointsText(sum)} из ${formatNumber(max)}${complete ? '' : ' (не все показатели оценены)'}` : '',
      });
    }
  }

  // Aggregates over the entities of this table (the totals row, if any, is left out).
  const aggEntities: AggregateEntity[] = [];
  for (const e of entities) if (e.key !== ds.total_row) aggEntities.push({ key: e.key, attributes: e.attributes, values: e.values, results: perEntity.get(e.key) ?? {} });
  const aggregates: ComputeOutput['aggregates'] = [];
  for (const [id, a] of Object.entries(m.aggregates ?? {})) {
    const applies = a.method === 'ratio_of_sums'
      ? [a.numerator, a.denominator].every((n) => n !== undefined && (columnsOrSupplied.has(n) || everywhere.includes(n)))
      : a.of !== undefined && everywhere.includes(a.of);
    if (!applies) continue;
    for (const r of computeAggregate(m, id, a, aggEntities, { explain })) {
      const { levelName, level, ...rest } = r;
      aggregates.push({ ...rest, level: levelName, levelCode: level });
      if (checked && a.published && r.group === null && r.method !== 'count_by_level' && r.method !== 'share_by_level') {
        const printed = { value: a.published.value, digits: digitsOf(a.published.value) };
        if (!agreesAtPrecision(printed, r.unrounded))
          discrepancies.push({
            organisation: null, indicator: id, field: 'aggregate', published: a.published.value, computed: r.value,
            message: `«${a.title}»: в отчёте ${formatNumber(a.published.value)}, вычислено ${r.value === null ? 'нет данных' : formatNumber(r.value)}`,
          });
      }
    }
  }

  // A totals row must be the sum of the other rows.
  if (ds.total_row && checked) {
    const total = entities.find((e) => e.key === ds.total_row);
    if (total) {
      for (const input of Object.keys(ds.columns)) {
        const t = m.inputs[input]?.type;
        if (t !== 'integer' && t !== 'number') continue;
        const printed = total.values[input];
        const parts = entities.filter((e) => e !== total).map((e) => e.values[input]);
        if (typeof printed !== 'number' || parts.some((p) => typeof p !== 'number')) continue;
        const sum = (parts as number[]).reduce((s, x) => s + x, 0);
        if (Math.abs(sum - printed) > 1e-9)
          discrepancies.push({
            organisation: total.key, indicator: input, field: 'aggregate', published: printed, computed: sum,
            message: `итоговая строка «${total.key}», столбец «${ds.columns[input]}»: напечатано ${formatNumber(printed)}, сумма строк ${formatNumber(sum)}`,
          });
      }
    }
  }

  if (checked) attachDiagnoses(c, ds, entities, perEntity, aggregates, discrepancies);
  return {
    methodology: { id: m.id, version: m.version, title: m.title },
    dataset: { id: dsId, title: ds.title, unit: ds.unit, rows: entities.length },
    indicators: indicators.map((id) => ({ id, code: m.indicators[id]?.code ?? null, title: m.indicators[id]?.title ?? id, unit: m.indicators[id]?.unit ?? null, kind: m.indicators[id]?.kind ?? null })),
    results,
    totals,
    aggregates,
    discrepancies,
    lint: [...staticLint, ...warnings],
    ...(supply ? { records: supply.files } : {}),
    ...(ds.dimensions
      ? { dimensions: datasetDimensions(m, ds).map((id) => ({ id, title: m.dimensions?.[id]?.title ?? id, ...(m.dimensions?.[id]?.labels ? { labels: m.dimensions[id].labels } : {}) })) }
      : {}),
  };
}

/** A result as the output lists it (`dimensions` only for a row of a dimensional table, in the same place as ever:
 * after the organisation). One literal per case, no spreads: this runs for every organisation × indicator. */
function resultRow<R>(e: Entity, dimensions: Record<string, string | number> | undefined, r: IndicatorResult, def: IndicatorDef | undefined, explanation: string): ResultRow<R> {
  const details: ResultRow<R>['details'] = {
    line: e.line, unrounded: r.unrounded, round: def?.round ?? null, levelCode: r.level, band: r.band, formula: r.formula,
    substituted: r.substituted, inputs: r.inputs, suppressed: r.suppressed, reason: r.reason,
  };
  const organisation = e.name ?? e.key;
  const code = def?.code ?? null;
  const title = def?.title ?? r.indicator;
  return dimensions
    ? { organisation, dimensions, indicator: r.indicator, code, title, value: r.value, level: r.levelName, points: r.points, explanation, details }
    : { organisation, indicator: r.indicator, code, title, value: r.value, level: r.levelName, points: r.points, explanation, details };
}

/** A counted input as a result shows it: without the input id and the lines (its records, when it has them, say them). */
function countedDetail<R>(x: CountedInput & { file: string } & R, explain: boolean): CountedDetail<R> {
  const records = (x as Partial<CountedRecords>).records;
  return { value: x.value, explanation: explain ? x.explanation : '', file: x.file, ...(records ? { records } : {}) } as CountedDetail<R>;
}

/** The figures a row's report printed against the computed ones. `unexplained`: the compiled document, when the results
 * were computed without texts — a discrepancy's message then gets its figure's explanation written on demand. */
function checkPublished(ds: DatasetDef, e: Entity, map: Record<string, IndicatorResult>, unexplained: Compiled | null): Discrepancy[] {
  const out: Discrepancy[] = [];
  const why = (r: IndicatorResult) => (unexplained ? explainResult(unexplained, { key: e.key, values: e.values, scores: e.scores }, r.indicator).explanation : r.explanation);
  for (const p of ds.published ?? []) {
    const text = e.published[p.column];
    const r = map[p.indicator];
    if (text === undefined || !r) continue;
    if (text.trim() === '') {
      // The report left the cell blank although the data make the figure computable (issue 16).
      const computed = p.field === 'level' ? r.levelName : p.field === 'value' ? r.value : r.points;
      if (computed === null) continue;
      const what = { value: `значение в отчёте не указано, вычислено ${typeof computed === 'number' ? formatNumber(computed) : computed}`, level: `уровень в отчёте не указан, вычислено «${String(computed)}»`, points: `баллы в отчёте не указаны, вычислено ${String(computed)}` }[p.field];
      out.push({ organisation: e.key, indicator: p.indicator, field: p.field, published: '', computed, message: `${e.key}: ${what}` });
      continue;
    }
    if (p.field === 'level') {
      if (!levelsAgree(text, r.levelName))
        out.push({ organisation: e.key, indicator: p.indicator, field: 'level', published: text, computed: r.levelName, message: `${e.key}: уровень в отчёте «${text}», вычислено «${r.levelName ?? 'нет данных'}» (${why(r)})` });
      continue;
    }
    const printed = parsePrinted(text);
    if (!printed) {
      out.push({ organisation: e.key, indicator: p.indicator, field: p.field, published: text, computed: p.field === 'value' ? r.value : r.points, message: `${e.key}: в отчёте «${text}» — не число` });
      continue;
    }
    const exact = p.field === 'value' ? r.unrounded : r.points;
    if (!agreesAtPrecision(printed, exact))
      out.push({
        organisation: e.key, indicator: p.indicator, field: p.field, published: printed.value, computed: p.field === 'value' ? r.value : r.points,
        message: `${e.key}: ${p.field === 'value' ? 'значение' : 'баллы'} в отчёте ${text.replace('.', ',')}, вычислено ${p.field === 'value' ? (r.value === null ? 'нет данных' : formatNumber(r.value)) : String(r.points)} (${why(r)})`,
      });
  }
  return out;
}
