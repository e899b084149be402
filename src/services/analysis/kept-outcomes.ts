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
import { KeptByStamp, perDatabase } from './kept.ts';
import { visibleDimensionalRowsSql } from './work-views.ts';

/** The results all kept outcomes of a database may hold together by default: about two full ВПР years' compact
 * computations (this year's and the previous one of the page). */
export const KEPT_RESULTS = 500_000;

/** The count of visible per-dimension rows of a campaign, one statement by the indexes of migration 0022. */
export async function dimensionalRowsStamp(db: Kysely<Database>, campaignId: string): Promise<number> {
  const r = await sql<{ n: number | string }>`select ${visibleDimensionalRowsSql(campaignId, null)} as n`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

function freezeOutcome(o: DimensionalOutcome): DimensionalOutcome {
  const out = o.output;
  if (out) {
    for (const r of out.results) {
      Object.freeze(r.details.inputs);
      Object.freeze(r.details);
      if (r.dimensions) Object.freeze(r.dimensions);
      Object.freeze(r);
    }
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
