/** A campaign's per-dimension computation work by work (issue 22: recompute of a ВПР year). The rows of one work —
 * one set of dimension values, e.g. Математика × 5 класс — are evaluated on their own (`evaluateEntities`: each row's
 * figures depend on that row only, its comparison rows included), and what is over all rows — the aggregates «по всем
 * предметам», the totals, the diagnoses — is finished over every work's outcomes together (`finishEntities`), in the
 * order the one table of all rows would list them. So a work's part can be kept and used again while that work's rows
 * do not change (campaign-dimensional.ts keeps them under a stamp of the work's rows): a recompute after one ФИС ОКО
 * file evaluates that file's work and finishes, instead of evaluating 144 000 rows. The output is the whole
 * computation's, part for part (test/integration/dimensional-parts.test.ts). Pure. */
import { withComparisonInputs } from '../../core/analysis/dimensional-comparison.ts';
import { compactViewSign, keptByCompactView } from '../../core/analysis/dimensional-compact.ts';
import { leastName } from '../../core/analysis/dimensional.ts';
import type { Compiled, ComputeOptions, CountedRecords, DatasetDef, Entity, EntityOutcome, IndicatorResult, LintItem, Methodology } from '../../core/methodology/index.ts';
import { evaluateEntities, finishEntities } from '../../core/methodology/index.ts';
import { dimensionalEntities, type TypedTable } from '../../core/methodology/dimensional-entities.ts';
import type { DimensionalRow } from '../../core/rules/dimensional.ts';

/** The key of a work: its values of the methodology's dimensions, in their order. */
export function workKey(m: Methodology, dims: Readonly<Record<string, string>>): string {
  let key = '';
  for (const d in m.dimensions) key += `${dims[d] ?? ''}\u0001`;
  return key;
}

/** The rows of one work, per organisation (registry id). */
export interface WorkRows { key: string; rowsOf: ReadonlyMap<string, readonly DimensionalRow[]> }

/** What is known of a work's rows before any is evaluated: per dataset, how many rows its table has and the rows left
 * out for missing required values (with the organisation's place among the participants), and the least name. */
export interface WorkSurvey {
  key: string;
  tables: { dsId: string; ds: DatasetDef; rows: TypedTable['rows']; orgs: number[]; partial: { org: number; text: string }[] }[];
  /** Per dataset, the rows of its table (as a kept part has them). */
  counts: Record<string, number>;
  least: string | undefined;
}

/** A work's evaluated part: its entities and their outcomes (in the order the work's merged table lists them), where
 * each entity stands in the whole table (`group`: the first dataset whose table has its row; `org`: the place of its
 * organisation among the participants), and the conditions it was evaluated under (`under`: the part is valid for a
 * computation under the same ones only). */
export interface WorkPart {
  key: string;
  under: string;
  /** Per dataset: the rows of its table, and those left out for missing required values. */
  counts: Record<string, number>;
  partial: Record<string, { org: number; text: string }[]>;
  least: string | undefined;
  dsId: string | null;
  ds: DatasetDef | null;
  entities: Entity[];
  outcomes: EntityOutcome<CountedRecords>[];
  group: number[];
  org: number[];
  results: number;
}

/** The rows of a work's table per dataset (`select`: `dimensionalRows` of campaign-dimensional.ts, with each row's and
 * each left-out row's organisation place). */
export type SelectRows = (dsId: string, ds: DatasetDef, rowsOf: ReadonlyMap<string, readonly DimensionalRow[]>) => { rows: TypedTable['rows']; orgs: number[]; partial: { org: number; text: string }[] };

/** `named`: whether the least name is wanted (the compact view's rows are decided by it: texts above a number of rows,
 * or a compact computation); it is not looked for otherwise (a collation per row). */
export function surveyWork(datasets: readonly [string, DatasetDef][], work: WorkRows, select: SelectRows, named: boolean): WorkSurvey {
  const tables = datasets.map(([dsId, ds]) => ({ dsId, ds, ...select(dsId, ds, work.rowsOf) }));
  const names = function* () {
    for (const t of tables) for (const r of t.rows) yield r.name;
  };
  return { key: work.key, tables, counts: Object.fromEntries(tables.map((t) => [t.dsId, t.rows.length])), least: named ? leastName(names()) : undefined };
}

/** What every part of one computation shares: the datasets that have rows in some work, whether the compact view's
 * rows are decided (and then by which least name), the options of the engine. */
export interface Conditions { present: string[]; under: string; options: ComputeOptions }

/** The conditions of a computation over works of which these are known (a survey of each work to evaluate, the part of
 * each kept one): the decisions `computeDimensional` takes over all rows. */
export function conditionsOf(m: Methodology, known: readonly { counts: Record<string, number>; least: string | undefined }[], datasets: readonly [string, DatasetDef][], options: DimensionalOptions): Conditions {
  const explain = options.explain !== false;
  const present = datasets.map(([id]) => id).filter((id) => known.some((k) => (k.counts[id] ?? 0) > 0));
  const rows = Math.max(0, ...present.map((id) => known.reduce((n, k) => n + (k.counts[id] ?? 0), 0)));
  const texted = explain && options.textsAbove !== undefined && rows > options.textsAbove;
  const compact = options.compact && (options.compact.above === undefined || rows > options.compact.above) ? options.compact : undefined;
  const computeOptions: ComputeOptions = { explain, ...(options.only ? { only: options.only } : {}) };
  let least: string | undefined;
  if (texted || compact) {
    // The rows the page's compact view keeps, decided once for both: the least name over every row, then each by its sign.
    const tableIndicators = [...new Set(datasets.filter(([id]) => present.includes(id)).flatMap(([, ds]) => ds.indicators))];
    least = leastName(known.map((k) => k.least).filter((n): n is string => n !== undefined));
    const byView = keptByCompactView(m, tableIndicators, least === undefined ? [] : [least]);
    const kept = (e: Entity, rs: readonly IndicatorResult[]) => byView(e.name ?? e.key, rs);
    if (texted) computeOptions.explainEntity = kept;
    if (compact) {
      const sign = compactViewSign(m, tableIndicators);
      computeOptions.partial = { indicators: [...(sign ? [sign] : []), ...compact.everyRow], keep: kept, ...(compact.wholeChecks ? { wholeChecks: true } : {}), ...(compact.outputEveryRow ? { outputHeld: true } : {}) };
    }
  }
  return { present, under: JSON.stringify({ present, texted, compact: !!compact, least: least ?? null }), options: computeOptions };
}

/** More organisations than a campaign can have, and more works than an organisation can have rows in (a place is packed
 * with its group and work into one number). */
const ORGS = 2 ** 20;
const WORKS = 2 ** 16;

/** Evaluates one work under the conditions, or null where the direct path declines (the caller then takes the text
 * path for the whole computation). `valuesOf`: a row's values by organisation name and dimension values, for the
 * comparison inputs. */
export function evaluateWork(
  m: Methodology,
  compiled: Compiled,
  survey: WorkSurvey,
  conditions: Conditions,
  valuesOf: (organisation: string, dims: Record<string, string>) => Record<string, unknown> | undefined,
): WorkPart | null {
  const partial = Object.fromEntries(survey.tables.map((t) => [t.dsId, t.partial]));
  const tables = survey.tables.filter((t) => conditions.present.includes(t.dsId));
  const base = { key: survey.key, under: conditions.under, counts: survey.counts, partial, least: survey.least };
  if (!tables.some((t) => t.rows.length)) return { ...base, dsId: null, ds: null, entities: [], outcomes: [], group: [], org: [], results: 0 };
  const direct = dimensionalEntities(compiled, tables.map((t) => ({ id: t.dsId, ds: t.ds, file: '', rows: t.rows })));
  if (!direct) return null;
  // Where each entity stands: the first table that has its row, and its organisation (group × 2^20 + place).
  const place = new Map<string, number>();
  direct.parts.forEach((p, g) => {
    const orgs = tables[g]?.orgs ?? [];
    p.entities.forEach((e, i) => {
      if (!place.has(e.key)) place.set(e.key, g * ORGS + (orgs[i] ?? 0));
    });
  });
  const outcomes = evaluateEntities(compiled, direct.ds, direct.entities, undefined, conditions.options);
  // The comparison rows of the inputs each formula reads (region_journal_raised beside journal_raised, …).
  const results: EntityOutcome['results'] = [];
  for (const o of outcomes) for (const r of o.results) results.push(r);
  withComparisonInputs(m, { results }, valuesOf, { inPlace: true });
  const at = direct.entities.map((e) => place.get(e.key) ?? 0);
  return {
    ...base, dsId: direct.dsId, ds: direct.ds, entities: direct.entities, outcomes,
    group: at.map((x) => Math.floor(x / ORGS)), org: at.map((x) => x % ORGS), results: results.length,
  };
}

/** The parts of every work finished together, in the order of the one table of all rows: by the first table of each
 * row, then the organisation, then the work (`rank`: the place of a work among an organisation's rows). */
export function finishWorks(compiled: Compiled, lint: LintItem[], parts: readonly WorkPart[], conditions: Conditions, rank: (org: number, work: string) => number) {
  const first = parts.find((p) => p.dsId !== null);
  if (!first?.dsId || !first.ds) return null;
  // Each entity's place as one number (group, organisation, work: each below 2^16, 2^20, 2^16 — exact in a double),
  // sorted as indices into the parts.
  const entities: Entity[] = [];
  const outcomes: EntityOutcome<CountedRecords>[] = [];
  const places: number[] = [];
  for (const part of parts) {
    for (let i = 0; i < part.entities.length; i++) {
      const org = part.org[i] as number;
      entities.push(part.entities[i] as Entity);
      outcomes.push(part.outcomes[i] as EntityOutcome<CountedRecords>);
      places.push(((part.group[i] as number) * ORGS + org) * WORKS + Math.min(rank(org, part.key), WORKS - 1));
    }
  }
  const order = Array.from(places.keys()).sort((a, b) => (places[a] as number) - (places[b] as number));
  return finishEntities(compiled, first.dsId, first.ds, order.map((i) => entities[i] as Entity), order.map((i) => outcomes[i] as EntityOutcome<CountedRecords>), lint, undefined, conditions.options);
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
