/** The ranking of an open selection of a campaign with dimensions (issue 22, the analysis page of a large campaign):
 * «по всем предметам» in a grade, one subject over every grade, or every work at once — ranked by an aggregate of the
 * methodology that may be taken over the open dimensions (`rankableMeasures`), as the page ranks it from a whole view
 * (`rankDimensional`, `dimensionalDynamics`), but computed from the rows of the selection's works alone (`workView` of
 * dimensional-work.ts: the works stored for the campaign whose chosen dimensions match, their current inputs, the
 * organisations on the basis), by the same engine without explanation texts (an aggregate's text is
 * written from the figures, not from the rows' texts), and the same for the previous campaign. A selection with every
 * dimension chosen is one work (`getWorkAnalysis`). The answer has the shape of a work's; `signs` are left to the
 * works' answers and the page's table. Equal to the whole view's ranking (test/integration/dimensional-selection.test.ts).
 * Read-only. */
import type { Kysely } from 'kysely';
import type { DimensionalAggregate, DimensionalView, DimensionSelection } from '../../core/analysis/index.ts';
import { dimensionalAggregate, dimensionalDynamics, dimensionsText, rankDimensional } from '../../core/analysis/index.ts';
import type { Methodology } from '../../core/methodology/index.ts';
import { parseExpression, referencedNames } from '../../core/methodology/expression.ts';
import { dimensionalDatasets } from './campaign-dimensional.ts';
import type { Database } from '../../db/schema.ts';
import { campaignMethodology, findCampaignRow } from '../collection/campaigns.ts';
import { ServiceError } from '../errors.ts';
import { comparedPrevious, requestDimensionValue, requestDimensions, withPrevious, workAnalysis, type WorkAnalysis, type WorkOptions, type WorkRanking } from './dimensional-work.ts';

/** The selection of the request: a value per chosen dimension (`requestDimensionValue`), null for an open one (not
 * given); an unknown dimension: 400 (`requestDimensions`). */
export function selectionDimensions(m: Methodology, wanted: Readonly<Record<string, string>>): DimensionSelection {
  const out: DimensionSelection = {};
  for (const d of requestDimensions(m, wanted)) {
    const text = wanted[d];
    out[d] = text === undefined || text.trim() === '' ? null : requestDimensionValue(m, d, text);
  }
  return out;
}

/** The indicators the ranking by an aggregate needs computed (`ComputeOptions.only`) so that the selection's rows
 * are those of the whole view with the same figures for it: the indicators it names; every indicator of the
 * dimensional datasets whose formula reads an input it names (a row carries the inputs its computed indicators read,
 * so a row has that input exactly when it has it in the whole view); and one indicator of each dimensional dataset (a
 * row is in the view when it has a result: a row of ГИА only is ranked without a value, as in the whole view). */
export function aggregateIndicators(m: Methodology, a: DimensionalAggregate): string[] {
  const named = [a.def.of, a.def.numerator, a.def.denominator].filter((x): x is string => !!x);
  const out = new Set(named.filter((n) => m.indicators[n]));
  const inputs = named.filter((n) => !m.indicators[n]);
  for (const [, ds] of dimensionalDatasets(m)) {
    if (ds.indicators[0]) out.add(ds.indicators[0]);
    for (const id of ds.indicators) {
      const parsed = parseExpression(m.indicators[id]?.formula ?? '');
      if (parsed.ok && referencedNames(parsed.expr).some((n) => inputs.includes(n))) out.add(id);
    }
  }
  return [...out];
}

/** Views with an aggregate added, one per view and aggregate: a view kept between requests (work-views.ts) is framed
 * once, so its rankings (kept per view object by `rankDimensional`) serve the next request too. */
const framedViews = new WeakMap<DimensionalView, Map<string, DimensionalView>>();

/** The view itself when it offers the aggregate, else the view with it added (the same object for the same view). */
function withAggregate(v: DimensionalView, agg: DimensionalAggregate): DimensionalView {
  if (v.aggregates.some((a) => a.id === agg.id)) return v;
  let byId = framedViews.get(v);
  if (!byId) framedViews.set(v, (byId = new Map()));
  let out = byId.get(agg.id);
  if (!out) byId.set(agg.id, (out = { ...v, aggregates: [...v.aggregates, agg] }));
  return out;
}

/** The analysis of a selection (see the module comment): one work when every dimension is given or `indicator` is not
 * an aggregate of the methodology (a dimension left out is then «не указано», 400); else the aggregate must be one the
 * page offers for the selection (404 naming the offered ones otherwise). */
export async function getSelectionAnalysis(db: Kysely<Database>, campaignId: string, wanted: Readonly<Record<string, string>>, opts: WorkOptions = {}): Promise<WorkAnalysis> {
  const row = await findCampaignRow(db, campaignId);
  const m = (await campaignMethodology(db, row.methodology_id, row.methodology_version)).methodology;
  const sel = selectionDimensions(m, wanted);
  // One work: every dimension given, or no aggregate asked for (then a dimension left out is missing, as before).
  if (Object.values(sel).every((v) => v !== null) || opts.indicator === undefined || !m.aggregates?.[opts.indicator]) return workAnalysis(db, row, m, wanted, opts);
  // An aggregate the page may offer for the selection: taken over rows, not grouped by an open dimension. The view of
  // the selection's rows lacks it where those rows lack its indicator (a grade of ГИА only), as the whole view ranks
  // such rows without values: it is added to each view ranked.
  const open = Object.keys(sel).filter((d) => sel[d] === null);
  const offered = Object.keys(m.aggregates ?? {}).flatMap((id) => dimensionalAggregate(m, id) ?? []).filter((a) => !a.groupBy || !open.includes(a.groupBy));
  const agg = offered.find((a) => a.id === opts.indicator);
  if (!agg)
    throw new ServiceError('not_found', 'SELECTION_MEASURE_NOT_FOUND', `Показатель «${opts.indicator}» не ранжирует такой выбор: ${offered.length ? `доступны ${offered.map((x) => `${x.id} («${x.title}»)`).join(', ')}` : `методика «${m.title}» не задаёт для него сводного показателя`}.`, [{ path: 'indicator', message: 'нет такого сводного показателя для выбора' }]);
  const framed = (v: DimensionalView): DimensionalView => withAggregate(v, agg);
  const { cur: curWork, prevCampaign, prev: prevWork } = await withPrevious(db, row, sel, opts, m, { explain: false, only: aggregateIndicators(m, agg) });
  const cur = curWork.view && framed(curWork.view);
  const prevView = prevWork?.view ? framed(prevWork.view) : null;
  const rankings: WorkRanking[] = [];
  const ranking = cur ? rankDimensional(cur, sel, agg.id) : null;
  // As the page: the change against the previous campaign's view of the selection, framed with the aggregate too.
  const then = comparedPrevious(cur, prevWork);
  if (cur && ranking) rankings.push({ ranking, dynamics: then ? dimensionalDynamics(cur, framed(then), sel, agg.id) : null });
  const prevRanking = prevView ? rankDimensional(prevView, sel, agg.id) : null;
  const chosen = Object.fromEntries(Object.entries(sel).filter((e): e is [string, string] => e[1] !== null));
  const label = cur ? dimensionsText(cur, sel) : Object.keys(sel).map((d) => (sel[d] ? (m.dimensions?.[d]?.labels?.[sel[d] as string] ?? sel[d]) : `${m.dimensions?.[d]?.title.toLowerCase()}: все`)).join(', ');
  return {
    campaign: { id: row.id, title: row.title, period: row.period_code },
    basis: opts.basis ?? 'submitted',
    dimensions: chosen,
    label,
    rankings,
    signs: [],
    previous: prevCampaign ? { campaign: prevCampaign, rankings: prevRanking ? [prevRanking] : [], signs: [] } : null,
  };
}
