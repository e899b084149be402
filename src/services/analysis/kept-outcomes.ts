/** The per-dimension computations of the analysis page kept between requests (issue 22: the page of a year of ВПР is
 * tens of seconds of computation, and an analyst opens it again and again while nothing changes). What the page
 * computes of a campaign's per-dimension tables (`campaignDimensionalResults` with a compact mode: campaign-results.ts)
 * depends on four things only: the methodology (its content hash), the options, the organisations on the basis
 * (registry id and short name, in order) and the visible per-dimension rows of the campaign. So it is kept under a stamp
 * of exactly those — the digest of the organisations (`participantsDigest`) and the count of visible rows
 * (`visibleDimensionalRowsSql`: both logs only grow and a row's visibility only turns on, so any change to the rows
 * changes the count) — and a later request with the same stamp gets it without reading the rows or computing them.
 * The stamp is read before the rows: a row written meanwhile only costs one more computation.
 *
 * Kept per database handle, least recently used first out, within a budget of results (`MSOKO_KEPT_RESULTS`); the
 * page's compact computation of a full ВПР year (3 000 schools × 48 works) has ~230 000 (one per row the view leaves
 * out, every one of the rows it keeps). Kept outcomes are frozen. Per process. */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { DimensionalOutcome } from './dimensional-outcome.ts';
import type { WorkPart } from './dimensional-by-work.ts';
import { KeptByStamp, perDatabase } from './kept.ts';
import { visibleValueRow } from '../../db/value-rows.ts';
import { visibleDimensionalRowsSql } from './work-views.ts';

/** The results all kept outcomes of a database may hold together by default: about two full ВПР years' compact
 * computations (this year's and the previous one of the page). */
export const KEPT_RESULTS = 500_000;

/** The count of visible per-dimension rows of a campaign, one statement by the indexes of migration 0022. */
export async function dimensionalRowsStamp(db: Kysely<Database>, campaignId: string): Promise<number> {
  const r = await sql<{ n: number | string }>`select ${visibleDimensionalRowsSql(campaignId, null)} as n`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/** Each work of a campaign (its dimension values as JSON text, in the order of the values' JSON, as the rows are
 * read) with the count of its visible rows in either log: the stamp of a work's part (any change to the work's rows
 * changes its count, as for `dimensionalRowsStamp`). One statement; imports' visibility looked up once per import. */
export async function workRowStamps(db: Kysely<Database>, campaignId: string): Promise<{ dims: string; rows: number }[]> {
  const counted = (t: 'value_rows' | 'value_history') =>
    sql`select v.dimensions, v.import_job_id, count(*) as n from ${sql.table(t)} v
      where v.campaign_id = ${campaignId}::uuid and v.dimensions is not null group by v.dimensions, v.import_job_id`;
  // Materialized: the counts per work × import first, then each import's visibility once (the planner would otherwise
  // push the visibility test below the grouping, into every row: 0,87 → 0,23 s for a full ВПР year on PGlite).
  const r = await sql<{ d: string; n: number | string }>`with g as materialized (${counted('value_rows')} union all ${counted('value_history')})
    select g.dimensions::text as d, sum(g.n) as n from g where ${visibleValueRow('g')}
    group by g.dimensions order by g.dimensions`.execute(db);
  return r.rows.map((x) => ({ dims: x.d, rows: Number(x.n) }));
}

function freezeResults(results: readonly NonNullable<DimensionalOutcome['output']>['results'][number][]): void {
  for (const r of results) {
    if (Object.isFrozen(r)) continue;
    Object.freeze(r.details.inputs);
    Object.freeze(r.details);
    if (r.dimensions) Object.freeze(r.dimensions);
    Object.freeze(r);
  }
}

function freezeOutcome(o: DimensionalOutcome): DimensionalOutcome {
  const out = o.output;
  if (out) {
    freezeResults(out.results);
    for (const x of [out.results, out.totals, out.aggregates, out.discrepancies, out.lint, out.indicators]) Object.freeze(x);
    Object.freeze(out);
  }
  Object.freeze(o.datasets);
  Object.freeze(o.warnings);
  return Object.freeze(o);
}

export class KeptOutcomes extends KeptByStamp<DimensionalOutcome> {
  constructor(budget: number) {
    super(budget, (o) => (o.output?.results.length ?? 0) + 1, freezeOutcome);
  }
}

const stores = perDatabase((budget) => new KeptOutcomes(budget), KEPT_RESULTS);

/** The kept outcomes of a database handle (created with the default budget on first use). */
export const keptOutcomes = (db: Kysely<Database>): KeptOutcomes => stores.of(db);

/** Starts the kept outcomes of a database handle afresh with another budget of results (the server's setting). */
export const keepOutcomes = (db: Kysely<Database>, budget: number): KeptOutcomes => stores.keep(db, budget);

/** The parts of per-dimension computations, work by work (dimensional-by-work.ts): kept under the stamp of the work's
 * rows (`workRowStamps`) and the organisations on the basis, so that a computation after a change to one work
 * evaluates that work only (campaign-dimensional.ts). Every computation of a campaign's per-dimension tables keeps its
 * parts (the reports' whole ones too), within a budget of results and rows (`MSOKO_KEPT_PARTS`; an outcome kept above
 * shares its results with its parts). Kept parts are frozen. Per process. */
export class KeptParts extends KeptByStamp<WorkPart> {
  constructor(budget: number) {
    super(budget, (p) => p.results + p.entities.length + 1, freezePart);
  }
}

function freezePart(p: WorkPart): WorkPart {
  for (const o of p.outcomes) {
    freezeResults(o.results);
    Object.freeze(o.results);
    Object.freeze(o);
  }
  for (const e of p.entities) Object.freeze(e);
  for (const x of [p.outcomes, p.entities, p.group, p.org]) Object.freeze(x);
  return Object.freeze(p);
}

/** The results and rows all kept parts of a database may hold together by default: the page's computations of a full
 * ВПР year and the previous one (~350 000 each) with room for a report's; ~790 bytes each (docs/performance.md). */
export const KEPT_PARTS = 1_000_000;

const partStores = perDatabase((budget) => new KeptParts(budget), KEPT_PARTS);

/** The kept parts of a database handle (created with the default budget on first use). */
export const keptParts = (db: Kysely<Database>): KeptParts => partStores.of(db);

/** Starts the kept parts of a database handle afresh with another budget (the server's setting). */
export const keepParts = (db: Kysely<Database>, budget: number): KeptParts => partStores.keep(db, budget);
