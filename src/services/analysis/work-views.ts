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
import { participantsDigestSql, worksArray } from './work-read.ts';

/** The cells (a view's rows × its indicators + 1) all kept views of a database may hold together by default:
 * about 465 bytes each with their texts and rankings (`npm run bench -- vpr`), so about 230 MB — a full year's works
 * of 3 000 schools by one indicator (48 × 9 000 cells). `MSOKO_WORK_VIEW_CELLS` sets it (http/app.ts); 0 keeps none. */
export const WORK_VIEW_CELLS = 500_000;

/** What a view of the works (dimension values as JSON texts) is stamped with, in one statement: how many visible rows
 * the works have in either log of the campaign (by the index of migration 0022, without reading values) and the digest
 * of the organisations on the basis (`participantsDigestSql`: the list itself is read only when the view is not kept). */
export async function viewStamp(db: Kysely<Database>, campaignId: string, works: readonly string[], basis: ResultsBasis, municipalityId: string | null): Promise<{ rows: number; orgs: string }> {
  const list = worksArray(works);
  // Rows counted per import first, then the imports' visibility looked up once each (not once per row).
  const counted = (t: 'value_rows' | 'value_history') =>
    sql`(select coalesce(sum(g.n), 0) from (select v.import_job_id, count(*) as n from ${sql.table(t)} v
      where v.campaign_id = ${campaignId}::uuid and v.dimensions = any(${list}) group by v.import_job_id) g where ${visibleValueRow('g')})`;
  const r = await sql<{ n: number | string; digest: string }>`
    select ${counted('value_rows')} + ${counted('value_history')} as n,
      (${participantsDigestSql(db, campaignId, basis, municipalityId)}) as digest`.execute(db);
  const row = r.rows[0];
  return { rows: Number(row?.n ?? 0), orgs: row?.digest ?? '' };
}

interface Kept { stamp: string; view: DimensionalView; cells: number }

/** Views by key, in the order of use (a Map iterates in insertion order: a hit is moved to the end). */
export class WorkViews {
  private readonly kept = new Map<string, Kept>();
  private cells = 0;
  hits = 0;
  misses = 0;
  constructor(private readonly budget: number) {}

  get(key: string, stamp: string): DimensionalView | null {
    const k = this.kept.get(key);
    if (!k || k.stamp !== stamp) {
      this.misses++;
      return null;
    }
    this.kept.delete(key);
    this.kept.set(key, k);
    this.hits++;
    return k.view;
  }

  put(key: string, stamp: string, view: DimensionalView): DimensionalView {
    const old = this.kept.get(key);
    if (old) {
      this.kept.delete(key);
      this.cells -= old.cells;
    }
    const cells = view.rows.reduce((n, r) => n + Object.keys(r.cells).length + 1, 0);
    if (cells > this.budget) return view;
    for (const [k, v] of this.kept) {
      if (this.cells + cells <= this.budget) break;
      this.kept.delete(k);
      this.cells -= v.cells;
    }
    this.kept.set(key, { stamp, view: freezeView(view), cells });
    this.cells += cells;
    return view;
  }

  /** How many views are kept and their cells. */
  get size(): { views: number; cells: number } {
    return { views: this.kept.size, cells: this.cells };
  }

  clear(): void {
    this.kept.clear();
    this.cells = 0;
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

const byDatabase = new WeakMap<object, WorkViews>();

/** The kept views of a database handle (created with the default budget on first use). */
export function workViews(db: Kysely<Database>): WorkViews {
  let v = byDatabase.get(db);
  if (!v) byDatabase.set(db, (v = new WorkViews(WORK_VIEW_CELLS)));
  return v;
}

/** Starts the kept views of a database handle afresh with another budget of cells (the server's setting). */
export function keepWorkViews(db: Kysely<Database>, budget: number): WorkViews {
  const v = new WorkViews(budget);
  byDatabase.set(db, v);
  return v;
}
