/** The views of works kept between requests (issue 22, «analysis query p95 < 100 ms»): the analysis of one work or of
 * an open selection (dimensional-work.ts `workView`) computes its view from three things only — the methodology, the
 * organisations on the basis (registry id and short name, in order) and the visible rows of the selection's works — so
 * a view computed once is kept under a stamp of exactly those, and a later request whose stamp is the same gets the
 * kept view instead of reading the rows and computing them again.
 *
 * The stamp of the rows is how many visible rows the works have in both logs (`viewStamp`). Both logs are append-only
 * (triggers of migrations 0005 and 0020: no update, no delete) and a row's visibility only ever turns on (an import's
 * rows count once it is `applied`, a status never left), so the set of visible rows only grows and any change to it —
 * a form's value, an applied import, two writers committing out of id order — changes the count. The stamp of the
 * organisations is an MD5 of their list computed by the database, read with the count in one statement, so a kept view
 * costs one query. A row written while the view was being computed makes the kept count older than the view, which
 * only costs one more computation; the digest kept is that of the list the view was computed from.
 *
 * Kept per database handle (tests run two engines in one process), least recently used first out, within a budget of
 * cells (rows × indicators: a view's size is about its cells, texts included): one work by one indicator is ~9 000
 * cells at 3 000 schools, one grade «по всем предметам» ~120 000; a view over the budget is not kept. Kept views are
 * frozen (rows, cells, inputs, dimension values): a caller that changed one would throw instead of changing the
 * answer of the next request. Per process: a second server process keeps its own. */
import { sql, type Kysely } from 'kysely';
import type { DimensionalView } from '../../core/analysis/index.ts';
import type { Database } from '../../db/schema.ts';
import { visibleValueRow } from '../../db/value-rows.ts';
import type { ResultsBasis } from './basis.ts';
import { KeptByStamp, perDatabase } from './kept.ts';
import { participantsDigestSql, worksArray } from './work-read.ts';

/** The cells (a view's rows × its indicators + 1) all kept views of a database may hold together by default:
 * about 465 bytes each with their texts and rankings (`npm run bench -- vpr`), so about 230 MB — a full year's works
 * of 3 000 schools by one indicator (48 × 9 000 cells). `MSOKO_WORK_VIEW_CELLS` sets it (http/app.ts); 0 keeps none. */
export const WORK_VIEW_CELLS = 500_000;

/** What a view of the works (dimension values as JSON texts) is stamped with, in one statement: how many visible rows
 * the works have in either log of the campaign (by the index of migration 0022, without reading values) and the digest
 * of the organisations on the basis (`participantsDigestSql`: the list itself is read only when the view is not kept). */
export async function viewStamp(db: Kysely<Database>, campaignId: string, works: readonly string[], basis: ResultsBasis, municipalityId: string | null): Promise<{ rows: number; orgs: string }> {
  const r = await sql<{ n: number | string; digest: string }>`
    select ${visibleDimensionalRowsSql(campaignId, works)} as n,
      (${participantsDigestSql(db, campaignId, basis, municipalityId)}) as digest`.execute(db);
  const row = r.rows[0];
  return { rows: Number(row?.n ?? 0), orgs: row?.digest ?? '' };
}

/** How many visible rows the works (dimension values as JSON texts; null: every work) have in either log of the
 * campaign, as an SQL expression: counted per import first, then the imports' visibility looked up once each (not
 * once per row). Both logs only grow and a row's visibility only turns on, so any change to the rows changes it. */
export function visibleDimensionalRowsSql(campaignId: string, works: readonly string[] | null) {
  const which = works ? sql`v.dimensions = any(${worksArray(works)})` : sql`v.dimensions is not null`;
  const counted = (t: 'value_rows' | 'value_history') =>
    sql`(select coalesce(sum(g.n), 0) from (select v.import_job_id, count(*) as n from ${sql.table(t)} v
      where v.campaign_id = ${campaignId}::uuid and ${which} group by v.import_job_id) g where ${visibleValueRow('g')})`;
  return sql<number | string>`${counted('value_rows')} + ${counted('value_history')}`;
}

/** Views by key within a budget of cells (rows × (indicators + 1)). */
export class WorkViews extends KeptByStamp<DimensionalView> {
  constructor(budget: number) {
    super(budget, (view) => view.rows.reduce((n, r) => n + Object.keys(r.cells).length + 1, 0), freezeView);
  }

  /** How many views are kept and their cells. */
  get size(): { views: number; cells: number } {
    const u = this.usage;
    return { views: u.values, cells: u.size };
  }
}

/** Freezes what callers read of a view (not the methodology it names, which is shared and never changed). */
function freezeView(view: DimensionalView): DimensionalView {
  for (const r of view.rows) {
    for (const c of Object.values(r.cells)) Object.freeze(c);
    Object.freeze(r.cells);
    Object.freeze(r.inputs);
    Object.freeze(r.dimensions);
    Object.freeze(r);
  }
  Object.freeze(view.rows);
  for (const d of view.dimensions) Object.freeze(d.values);
  Object.freeze(view.dimensions);
  Object.freeze(view.indicators);
  Object.freeze(view.aggregates);
  return Object.freeze(view);
}

const stores = perDatabase((budget) => new WorkViews(budget), WORK_VIEW_CELLS);

/** The kept views of a database handle (created with the default budget on first use). */
export const workViews = (db: Kysely<Database>): WorkViews => stores.of(db);

/** Starts the kept views of a database handle afresh with another budget of cells (the server's setting). */
export const keepWorkViews = (db: Kysely<Database>, budget: number): WorkViews => stores.keep(db, budget);
