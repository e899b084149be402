/** Results of a campaign's per-dimension data (issue 22): the current values of the inputs of dimensional datasets
 * (`value_history.dimensions`, one row per organisation × subject × grade, from the forms or an import) become the
 * tables `msoko compute` reads from files — one table per dataset, a row per organisation × dimension values with the
 * school's short name in the key column — and go through the same engine (`computeTables`: `mergeDimensionalTables`
 * joins the tables of different datasets on organisation × dimensions, then the indicators, aggregates and
 * explanations of file mode). Nothing of the scoring is repeated here. */
import { sql, type Kysely } from 'kysely';
import { withComparisonInputs } from '../../core/analysis/dimensional-comparison.ts';
import type { Compiled, DatasetDef, LintItem, Methodology, TableRow, Value } from '../../core/methodology/index.ts';
import { computeTables } from '../../core/methodology/index.ts';
import { cellText, dimensionalHeader, type TypedRow } from '../../core/methodology/dimensional-entities.ts';
import type { NamedTable } from '../../core/methodology/named-table.ts';
import { datasetDimensions } from '../../core/methodology/dimensions.ts';
import type { FieldValue } from '../../core/rules/check.ts';
import { dimensionsLabel, dimensionalForms, type DimensionalRow } from '../../core/rules/dimensional.ts';
import type { Database } from '../../db/schema.ts';
import { visibleValueRow } from '../../db/value-rows.ts';
import type { DimensionalOutcome } from './dimensional-outcome.ts';
import { conditionsOf, evaluateWork, finishWorks, surveyWork, workKey, type Conditions, type DimensionalOptions, type SelectRows, type WorkPart, type WorkRows, type WorkSurvey } from './dimensional-by-work.ts';
import { dimensionalRowsStamp, keptOutcomes, keptParts, workRowStamps } from './kept-outcomes.ts';
import { participantsDigest, valueWrappers, worksRows } from './work-read.ts';
import { withoutJit } from './without-jit.ts';
import { yieldToEventLoop } from '../event-loop.ts';

export type { DimensionalOutcome } from './dimensional-outcome.ts';
export type { DimensionalOptions } from './dimensional-by-work.ts';

/** The dimensional datasets of a methodology (organisation rows split by subject, grade, …). */
export function dimensionalDatasets(m: Methodology): [string, DatasetDef][] {
  return Object.entries(m.datasets ?? {}).filter(([, ds]) => ds.unit === 'organisation' && !ds.responses && !!ds.dimensions);
}

/** The rows of one dataset's table from the organisations' rows: a row per organisation × dimension values that has
 * every required input of the dataset; rows with only some of them are named in `partial`. Values stay typed. `orgs`
 * (of the result): the place among the participants of each row's organisation, and `partial` that of each left out. */
export function dimensionalRows(
  m: Methodology,
  dsId: string,
  ds: DatasetDef,
  orgs: readonly { id: string; name: string }[],
  rowsOf: ReadonlyMap<string, readonly DimensionalRow[]>,
): { rows: TypedRow[]; orgs: number[]; partial: { org: number; text: string }[] } {
  const { inputs } = dimensionalHeader(m, ds);
  const ids = inputs.map(([input]) => input);
  const required = ids.filter((input) => m.inputs[input]?.required !== false);
  const form = dimensionalForms(m).find((f) => f.datasetId === dsId);
  const rows: TypedRow[] = [];
  const places: number[] = [];
  const partial: { org: number; text: string }[] = [];
  orgs.forEach((o, org) => {
    for (const r of rowsOf.get(o.id) ?? []) {
      // No closure per row (this runs for every school × work): any of the inputs, then every required one.
      if (!hasAny(r.values, ids)) continue;
      if (!hasAll(r.values, required)) {
        partial.push({ org, text: form ? `${o.name} (${dimensionsLabel(form, r.dimensions)})` : o.name });
        continue;
      }
      rows.push({ name: o.name, dimensions: r.dimensions, values: r.values });
      places.push(org);
    }
  });
  return { rows, orgs: places, partial };
}

function hasAny(values: DimensionalRow['values'], inputs: readonly string[]): boolean {
  for (let i = 0; i < inputs.length; i++) {
    const v = values[inputs[i] as string]?.value;
    if (v !== null && v !== undefined) return true;
  }
  return false;
}
function hasAll(values: DimensionalRow['values'], inputs: readonly string[]): boolean {
  for (let i = 0; i < inputs.length; i++) {
    const v = values[inputs[i] as string]?.value;
    if (v === null || v === undefined) return false;
  }
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
  return { table: rows.length ? textTable(m, ds, rows) : null, partial: partial.map((p) => p.text) };
}

function textTable(m: Methodology, ds: DatasetDef, rows: readonly TypedRow[]): NamedTable {
  const { header, inputs } = dimensionalHeader(m, ds);
  const dims = datasetDimensions(m, ds);
  // A row's line is its place among the rows of its work (+ 2), as each work's table has it on the direct path
  // (dimensional-by-work.ts): a work's rows do not renumber when another work gains a row.
  const inWork = new Map<string, number>();
  const lines: TableRow[] = rows.map((r) => {
    const key = workKey(m, r.dimensions);
    const line = (inWork.get(key) ?? 1) + 1;
    inWork.set(key, line);
    return { line, cells: [r.name, ...dims.map((d) => r.dimensions[d] ?? ''), ...inputs.map(([input]) => cellText(r.values[input]?.value))] };
  });
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
  const wrap = valueWrappers();
  for (const r of await currentDimensionalInputs(db, campaignId, only)) {
    const values: DimensionalRow['values'] = {};
    for (const input in r.values) values[input] = wrap((r.values[input] ?? null) as FieldValue);
    const list = out.get(r.organisationId);
    if (list) list.push({ dimensions: r.dimensions, values });
    else out.set(r.organisationId, [{ dimensions: r.dimensions, values }]);
  }
  return out;
}

/** Computes the dimensional datasets of a campaign over the organisations on the basis (`orgs`: registry id and short
 * name), reading their current per-dimension values; `explain: false` as in `computeDimensional`. Work by work from
 * the parts kept of earlier computations of the same methodology (`keep`: its content hash; `keptParts`): only the
 * works whose rows changed are read and evaluated; with a `compact` mode, the outcome too is kept (kept-outcomes.ts). */
export async function campaignDimensionalResults(
  db: Kysely<Database>,
  campaignId: string,
  m: Methodology,
  compiled: Compiled,
  lint: LintItem[],
  orgs: readonly { id: string; name: string }[],
  options: DimensionalOptions = {},
  keep: { methodologyHash: string },
): Promise<DimensionalOutcome> {
  const datasets = dimensionalDatasets(m);
  if (!datasets.length || !orgs.length) return { output: null, datasets: [], warnings: [] };
  const key = `${campaignId}\u0000${keep.methodologyHash}\u0000${JSON.stringify(options)}`;
  const digest = participantsDigest(orgs);
  const compute = () => computeKeptWorks(db, campaignId, m, compiled, lint, orgs, options, key, digest);
  // The analysis page's compact computations are kept whole between requests under a stamp (kept-outcomes.ts).
  if (!options.compact) return compute();
  const kept = keptOutcomes(db);
  const stamp = `${await dimensionalRowsStamp(db, campaignId)}\u0000${digest}`;
  return kept.get(key, stamp) ?? kept.put(key, stamp, await compute());
}

/** The computation work by work with the kept parts: the stamp of every work (`workRowStamps`, read before the rows: a
 * row written meanwhile only costs one more evaluation), the parts kept under them, the rows of the other works read
 * and evaluated, everything finished together, the new parts kept. */
async function computeKeptWorks(
  db: Kysely<Database>,
  campaignId: string,
  m: Methodology,
  compiled: Compiled,
  lint: LintItem[],
  orgs: readonly { id: string; name: string }[],
  options: DimensionalOptions,
  key: string,
  digest: string,
): Promise<DimensionalOutcome> {
  const store = keptParts(db);
  const stamps = (await workRowStamps(db, campaignId)).map((s) => ({ ...s, key: workKey(m, JSON.parse(s.dims) as Record<string, string>) }));
  const place = new Map(stamps.map((s, i) => [s.key, i]));
  const rank = (_org: number, work: string) => place.get(work) ?? stamps.length;
  const stampOf = (s: { rows: number }) => `${s.rows}\u0000${digest}`;
  const kept = new Map<string, WorkPart>();
  for (const s of stamps) {
    const part = store.get(`${key}\u0000${s.key}`, stampOf(s));
    if (part) kept.set(s.key, part);
  }
  // Work by work (`worksRows`: by the index of migration 0022, one text each; the event loop runs after each query): a
  // ВПР year is 144 000 school × work rows, and read at once it was a pause of seconds for every other user. Stored
  // dimension values that are one work (`workKey`) are read together.
  const read = async (works: readonly { dims: string; key: string }[]): Promise<WorkRows[]> => {
    const byKey = new Map<string, string[]>();
    for (const w of works) {
      const list = byKey.get(w.key);
      if (list) list.push(w.dims);
      else byKey.set(w.key, [w.dims]);
    }
    const out: WorkRows[] = [];
    for (const dims of byKey.values()) for (const w of splitByWork(m, orgs, await worksRows(db, campaignId, dims))) out.push(w);
    return out;
  };
  let fresh = await read(stamps.filter((s) => !kept.has(s.key)));
  const byKey = new Map(stamps.map((s) => [s.key, s]));
  for (;;) {
    const computed = await runStepsYielding(worksSteps(m, compiled, lint, orgs, fresh, [...kept.values()], rank, options));
    if (computed.outcome) {
      // Finishing was a step of its own; keeping freezes every new result — another (a turn for the others between).
      await yieldToEventLoop();
      for (const part of computed.parts ?? []) {
        const s = byKey.get(part.key);
        if (s && !kept.has(part.key)) store.put(`${key}\u0000${part.key}`, stampOf(s), part);
      }
      await yieldToEventLoop();
      return computed.outcome;
    }
    // Kept parts evaluated under other conditions (the least name, the datasets with rows, …), or the direct path
    // declined: those works' rows too, or every work's. Each round has fewer kept parts.
    const needs = computed.needs;
    const again = stamps.filter((s) => kept.has(s.key) && (needs === 'all' || needs.includes(s.key)));
    if (!again.length) throw new Error('the computation asked for the rows of works it has');
    for (const s of again) kept.delete(s.key);
    fresh = [...fresh, ...(await read(again))];
  }
}

/** The rows of each work, per organisation, in the order of the works met; with `places`, the place of each
 * organisation's first row of a work among that organisation's rows is recorded there (by organisation place × work). */
function splitByWork(m: Methodology, orgs: readonly { id: string }[], rowsOf: ReadonlyMap<string, readonly DimensionalRow[]>, places?: Map<string, number>): WorkRows[] {
  const works = new Map<string, Map<string, DimensionalRow[]>>();
  orgs.forEach((o, org) => {
    (rowsOf.get(o.id) ?? []).forEach((r, i) => {
      const key = workKey(m, r.dimensions);
      let rows = works.get(key);
      if (!rows) works.set(key, (rows = new Map()));
      const list = rows.get(o.id);
      if (list) list.push(r);
      else {
        rows.set(o.id, [r]);
        places?.set(`${org}\u0000${key}`, i);
      }
    });
  });
  return [...works].map(([key, rowsOf]) => ({ key, rowsOf }));
}

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
  return runSteps(dimensionalSteps(m, compiled, lint, orgs, rowsOf, options)).outcome as DimensionalOutcome;
}

/** `computeDimensional` letting the event loop run between works (the server's reads of several works: an open
 * selection of the analysis page, «по всем предметам»). */
export async function computeDimensionalYielding(...args: Parameters<typeof computeDimensional>): Promise<DimensionalOutcome> {
  return (await runStepsYielding(dimensionalSteps(...args))).outcome as DimensionalOutcome;
}

function dimensionalSteps(...[m, compiled, lint, orgs, rowsOf, options]: Parameters<typeof computeDimensional>) {
  // Work by work (dimensional-by-work.ts); a work's place among an organisation's rows is where its list has it.
  const place = new Map<string, number>();
  const works = splitByWork(m, orgs, rowsOf, place);
  return worksSteps(m, compiled, lint, orgs, works, [], (org, key) => place.get(`${org}\u0000${key}`) ?? 0, options);
}

/** Steps run at once. */
function runSteps<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Steps run with a turn of the event loop between them. */
async function runStepsYielding<T>(steps: Generator<void, T>): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await yieldToEventLoop();
  }
}

/** What the steps of works give: the outcome and the parts it was finished from (null on the text path), or — when a
 * kept part does not fit the conditions or a work declines the direct path — the works whose rows they need. */
export type WorksComputed = { outcome: DimensionalOutcome; parts: WorkPart[] | null } | { outcome: null; needs: string[] | 'all' };

/** The per-dimension computation of the works `fresh` (their rows) and `kept` (parts evaluated before, used again when
 * evaluated under the same conditions), step by step — a step after each work's survey and after each work's
 * evaluation (`runSteps` runs them at once, `runStepsYielding` lets the event loop run between them):
 * `computeDimensional` with every work fresh; campaign-dimensional's keeping with the parts of the works whose rows did
 * not change. `rank`: the place of a work among an organisation's rows. */
function* worksSteps(
  m: Methodology,
  compiled: Compiled,
  lint: LintItem[],
  orgs: readonly { id: string; name: string }[],
  fresh: readonly WorkRows[],
  kept: readonly WorkPart[],
  rank: (org: number, work: string) => number,
  options: DimensionalOptions = {},
): Generator<void, WorksComputed> {
  const datasets = dimensionalDatasets(m);
  const select: SelectRows = (dsId, ds, rowsOf) => dimensionalRows(m, dsId, ds, orgs, rowsOf);
  const named = (options.explain !== false && options.textsAbove !== undefined) || !!options.compact;
  const surveys: WorkSurvey[] = [];
  for (const w of fresh) {
    surveys.push(surveyWork(datasets, w, select, named));
    yield;
  }
  const known = [...surveys, ...kept];
  const warnings: string[] = [];
  for (const [dsId, ds] of datasets) {
    const partial = [...surveys.flatMap((s) => (s.tables.find((t) => t.dsId === dsId)?.partial ?? []).map((x) => ({ ...x, key: s.key }))), ...kept.flatMap((k) => (k.partial[dsId] ?? []).map((x) => ({ ...x, key: k.key })))];
    partial.sort((a, b) => a.org - b.org || rank(a.org, a.key) - rank(b.org, b.key));
    if (partial.length)
      warnings.push(`Таблица «${ds.title}»: не вошли строки с незаполненными обязательными значениями (${partial.length}): ${list(partial.map((x) => x.text))}.`);
  }
  const conditions = conditionsOf(m, known, datasets, options);
  if (!conditions.present.length) return { outcome: { output: null, datasets: [], warnings }, parts: [] };
  const stale = kept.filter((k) => k.under !== conditions.under).map((k) => k.key);
  if (stale.length) return { outcome: null, needs: stale };
  if (options.text) return kept.length ? { outcome: null, needs: 'all' } : { outcome: textPath(m, compiled, lint, orgs, surveys, conditions, rank, warnings), parts: null };
  const parts: WorkPart[] = [...kept];
  for (const [i, survey] of surveys.entries()) {
    const part = evaluateWork(m, compiled, survey, conditions, rowValues(m, rowsOfOrgs(orgs, fresh[i]?.rowsOf ?? new Map())));
    // The direct path declined (a value the table would not read): the text path, for every work.
    if (!part) return kept.length ? { outcome: null, needs: 'all' } : { outcome: textPath(m, compiled, lint, orgs, surveys, conditions, rank, warnings), parts: null };
    parts.push(part);
    yield;
  }
  return { outcome: { output: finishWorks(compiled, lint, parts, conditions, rank), datasets: conditions.present, warnings }, parts };
}

/** Row values by organisation name and dimension values (the methodology's dimensions; a later row of the same key
 * wins), as plain values: for the comparison inputs of the results. Each row read once, when a result asks for it.
 * Keys and values built in loops, without an array per row or per value (this runs for every school × work). */
function rowValues(m: Methodology, rows: Iterable<readonly [string, TypedRow['values'], Readonly<Record<string, string>>]>) {
  const order = Object.keys(m.dimensions ?? {});
  const rowKey = (name: string, dims: Readonly<Record<string, string>>) => {
    let key = `${name}\u0000`;
    for (let i = 0; i < order.length; i++) key += `${i ? '\u0001' : ''}${dims[order[i] as string] ?? ''}`;
    return key;
  };
  const byKey = new Map<string, TypedRow['values']>();
  for (const [name, values, dims] of rows) byKey.set(rowKey(name, dims), values);
  return (organisation: string, dims: Record<string, string>) => {
    const r = byKey.get(rowKey(organisation, dims));
    if (!r) return undefined;
    const values: Record<string, unknown> = {};
    for (const k in r) values[k] = r[k]?.value ?? null;
    return values;
  };
}

/** Every row of the organisations (for `rowValues`). */
function* rowsOfOrgs(orgs: readonly { id: string; name: string }[], rowsOf: ReadonlyMap<string, readonly DimensionalRow[]>) {
  for (const o of orgs) for (const r of rowsOf.get(o.id) ?? []) yield [o.name, r.values, r.dimensions] as const;
}

/** The text path (`options.text`, or where the direct one declines): the tables of all works as `msoko compute` reads
 * them, in the order of the one table (organisation, then the work's place), computed whole. */
function textPath(m: Methodology, compiled: Compiled, lint: LintItem[], orgs: readonly { id: string; name: string }[], surveys: readonly WorkSurvey[], conditions: Conditions, rank: (org: number, work: string) => number, warnings: string[]): DimensionalOutcome {
  const tables: NamedTable[] = [];
  for (const dsId of conditions.present) {
    const rows = surveys.flatMap((s) => {
      const t = s.tables.find((x) => x.dsId === dsId);
      return (t?.rows ?? []).map((r, i) => ({ r, org: t?.orgs[i] ?? 0, rank: rank(t?.orgs[i] ?? 0, s.key) }));
    });
    rows.sort((a, b) => a.org - b.org || a.rank - b.rank);
    const ds = (m.datasets ?? {})[dsId] as DatasetDef;
    tables.push(textTable(m, ds, rows.map((x) => x.r)));
  }
  const out = computeTables(compiled, tables, lint, conditions.options);
  if (!out.ok) {
    const e = out.error;
    warnings.push(`${e.file}: ${e.line !== null && e.line > 1 ? `строка ${e.line - 1}, ` : ''}${e.column ? `столбец «${e.column}»: ` : ''}${e.message} — таблица не вычислена.`);
    return { output: null, datasets: [], warnings };
  }
  const valuesOf = rowValues(m, (function* () {
    for (const s of surveys) for (const t of s.tables) for (const r of t.rows) yield [r.name, r.values, r.dimensions] as const;
  })());
  // The text path is the old one throughout: a copy of each result that gains comparison inputs.
  return { output: withComparisonInputs(m, out.output, valuesOf), datasets: conditions.present, warnings };
}
