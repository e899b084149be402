/** The per-dimension view the analysis page receives for a campaign with many rows (issue 22, ВПР at scale): a year
 * of ФИС ОКО reports is 3 000 schools × 8 subjects × 6 grades = 144 000 rows, each with every indicator's value,
 * level and explanation — hundreds of megabytes of JSON, more than a browser (or V8's longest string) can take. Above
 * a limit the page's answer keeps only what the page draws from the view itself: the first row (the initial choice
 * of subject and grade) and the rows with a sign of non-objectivity (the table of signs — `objectivitySigns` of the
 * compact view equals that of the whole one); the dimensions, indicators, aggregates and the sign's inputs stay whole,
 * so the choices are the same. The rankings of a work and of an open selection («по всем предметам») come from the
 * server (`/analysis/work`, computed from the rows they need). Pure. */
import type { Methodology } from '../methodology/index.ts';
import { firstByName, objectivityIndicator } from './dimensional.ts';
import { indicatorInfo } from './indicator-info.ts';
import type { DimensionalView } from './types.ts';

/** Rows of a per-dimension view (the current campaign's and the previous one's together) that the analysis page
 * receives whole; above it, compact views. About 0,3 MB of JSON per hundred rows. */
export const INLINE_DIMENSIONAL_ROWS = 6000;

/** The view with only its first row and its rows with a sign of non-objectivity; `omittedRows` says how many were
 * left out. A view within the limit of the caller is not compacted by it (see `compactIfLarge`). */
export function compactDimensionalView(view: DimensionalView): DimensionalView {
  const sign = view.objectivity?.indicator.id;
  const rows = view.rows.filter((r, i) => i === 0 || (sign !== undefined && r.cells[sign]?.value === 1));
  return { ...view, rows, omittedRows: view.rows.length - rows.length };
}

/** The current and the previous campaign's views as the page receives them: both whole when their rows together are
 * within `limit`, both compact otherwise (the page then ranks every selection on the server). A compact previous view
 * carries no explanation texts: the page reads only its values (the change per school), and the service computes
 * the earlier campaigns of a large one without texts (`getCampaignAnalysis`). */
export function compactIfLarge(current: DimensionalView | null, previous: DimensionalView | null, limit: number = INLINE_DIMENSIONAL_ROWS): { current: DimensionalView | null; previous: DimensionalView | null } {
  const rows = (current?.rows.length ?? 0) + (previous?.rows.length ?? 0);
  if (rows <= limit) return { current, previous };
  return { current: current && compactDimensionalView(current), previous: previous && withoutTexts(compactDimensionalView(previous)) };
}

function withoutTexts(view: DimensionalView): DimensionalView {
  const rows = view.rows.map((r) => ({ ...r, cells: Object.fromEntries(Object.entries(r.cells).map(([k, c]) => [k, { ...c, explanation: '' }])) }));
  return { ...view, rows };
}

/** Decides, row by row while a dimensional table is computed, whether the compact view will keep the row — so that
 * only those rows get their explanation texts (`ComputeOptions.explainEntity`): the rows of the organisation(s) that
 * sort first (the view's first row is one of them) and those with the sign of non-objectivity «да». `indicators`: the
 * table's indicators in the view's order (the sign is the first that qualifies, as in `dimensionalView`). */
export function keptByCompactView(m: Methodology, indicators: readonly string[], names: Iterable<string>): (name: string, results: readonly { indicator: string; value: number | null }[]) => boolean {
  const sign = compactViewSign(m, indicators);
  const first = firstByName(names);
  return (name, results) => first(name) || (sign !== undefined && results.some((r) => r.indicator === sign && r.value === 1));
}

/** The sign of non-objectivity among a table's indicators (in the view's order), as `dimensionalView` chooses it: the
 * one figure `keptByCompactView` reads of every row. */
export function compactViewSign(m: Methodology, indicators: readonly string[]): string | undefined {
  return objectivityIndicator(indicators.map((id) => indicatorInfo(m, id)))?.id;
}
