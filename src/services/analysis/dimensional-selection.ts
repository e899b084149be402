/** The ranking of an open selection of a campaign with dimensions (issue 22, the analysis page of a large campaign):
 * «по всем предметам» in a grade, one subject over every grade, or every work at once — ranked by an aggregate of the
 * methodology that may be taken over the open dimensions (`rankableMeasures`), as the page ranks it from a whole view
 * (`rankDimensional`, `dimensionalDynamics`), but computed from the rows of the selection's works alone: the works
 * stored for the campaign whose chosen dimensions match, their current inputs (`currentDimensionalRows`), the
 * organisations on the basis (`workParticipants`), the same engine without explanation texts (an aggregate's text is
 * written from the figures, not from the rows' texts), and the same for the previous campaign. A selection with every
 * dimension chosen is one work (`getWorkAnalysis`). The answer has the shape of a work's; `signs` are left to the
 * works' answers and the page's table. Equal to the whole view's ranking (test/integration/dimensional-selection.test.ts).
 * Read-only. */
import { sql, type Kysely } from 'kysely';
import type { DimensionalView, DimensionSelection } from '../../core/analysis/index.ts';
import { dimensionalAggregate, dimensionalDynamics, dimensionalView, dimensionsText, rankDimensional } from '../../core/analysis/index.ts';
import type { Methodology } from '../../core/methodology/index.ts';
import { readDimensionValue } from '../../core/methodology/dimensions.ts';
import type { Database } from '../../db/schema.ts';
import { campaignMethodology, findCampaignRow, type CampaignRecord } from '../collection/campaigns.ts';
import { ServiceError } from '../errors.ts';
import { earlierCampaigns } from './campaign-analysis.ts';
import { computeDimensional, currentDimensionalRows, dimensionalDatasets } from './campaign-dimensional.ts';
import { prepare } from './campaign-results.ts';
import { getWorkAnalysis, type WorkAnalysis, type WorkOptions, type WorkRanking } from './dimensional-work.ts';
import { workParticipants } from './work-read.ts';

/** The dimensions of the methodology's dimensional datasets, in the methodology's order. */
function selectionIds(m: Methodology): string[] {
  const used = new Set(dimensionalDatasets(m).flatMap(([, ds]) => Object.keys(ds.dimensions ?? {})));
  const ids = Object.keys(m.dimensions ?? {}).filter((d) => used.has(d));
  if (!ids.length) throw new ServiceError('not_found', 'WORK_NOT_FOUND', `Методика «${m.title}» не задаёт измерений (предметов, классов): анализа по работам нет.`);
  return ids;
}

/** The selection of the request: a value per chosen dimension (any spelling `readDimensionValue` reads), null for an
 * open one (not given). An unknown dimension: 400; a value the methodology does not have: 404 naming the allowed ones. */
export function selectionDimensions(m: Methodology, wanted: Readonly<Record<string, string>>): DimensionSelection {
  const ids = selectionIds(m);
  const unknown = Object.keys(wanted).filter((k) => !ids.includes(k));
  if (unknown.length)
    throw new ServiceError('validation', 'WORK_DIMENSION_UNKNOWN', `Нет такого измерения: ${unknown.map((k) => `«${k}»`).join(', ')} (измерения методики: ${ids.join(', ')}).`, unknown.map((k) => ({ path: k, message: 'нет такого измерения' })));
  const out: DimensionSelection = {};
  for (const d of ids) {
    const text = wanted[d];
    if (text === undefined || text.trim() === '') {
      out[d] = null;
      continue;
    }
    const v = readDimensionValue(m.dimensions![d]!, text);
    if (!v.ok) throw new ServiceError('not_found', 'WORK_NOT_FOUND', `Работа не найдена: ${v.message}.`, [{ path: d, message: v.message }]);
    out[d] = v.value;
  }
  return out;
}

/** The works (dimension values as JSON texts) with a row in either log of the campaign whose chosen dimensions match
 * the selection: the index of migration 0022 lists them without reading values; visibility is left to the read. */
async function selectionWorks(db: Kysely<Database>, campaignId: string, sel: DimensionSelection): Promise<string[]> {
  const rows = await sql<{ d: Record<string, string> }>`
    select distinct dimensions as d from value_rows where campaign_id = ${campaignId}::uuid and dimensions is not null
    union
    select distinct dimensions as d from value_history where campaign_id = ${campaignId}::uuid and dimensions is not null`.execute(db);
  return rows.rows.filter((r) => Object.entries(sel).every(([k, v]) => v === null || r.d[k] === v)).map((r) => JSON.stringify(r.d));
}

/** The view of a selection's rows in a campaign, computed as `computeCampaignResults` computes them, without texts. */
async function selectionView(db: Kysely<Database>, row: CampaignRecord, sel: DimensionSelection, opts: WorkOptions, m?: Methodology): Promise<DimensionalView | null> {
  const methodology = m ?? (await campaignMethodology(db, row.methodology_id, row.methodology_version)).methodology;
  const { compiled, lint } = prepare(methodology);
  if (!compiled.ok)
    throw new ServiceError('conflict', 'METHODOLOGY_INVALID', `Методика «${methodology.id}» содержит ошибки: ${compiled.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  const [orgs, works] = await Promise.all([workParticipants(db, row.id, opts.basis ?? 'submitted', opts.municipalityId ?? null), selectionWorks(db, row.id, sel)]);
  if (!orgs.length || !works.length) return null;
  const out = computeDimensional(methodology, compiled.compiled, lint, orgs, await currentDimensionalRows(db, row.id, works), { explain: false });
  return out.output ? dimensionalView(methodology, [out.output]) : null;
}

/** The analysis of a selection (see the module comment): one work when every dimension is given or `indicator` is not
 * an aggregate of the methodology (a dimension left out is then «не указано», 400); else the aggregate must be one the
 * page offers for the selection (404 naming the offered ones otherwise). */
export async function getSelectionAnalysis(db: Kysely<Database>, campaignId: string, wanted: Readonly<Record<string, string>>, opts: WorkOptions = {}): Promise<WorkAnalysis> {
  const row = await findCampaignRow(db, campaignId);
  const m = (await campaignMethodology(db, row.methodology_id, row.methodology_version)).methodology;
  const sel = selectionDimensions(m, wanted);
  // One work: every dimension given, or no aggregate asked for (then a dimension left out is missing, as before).
  if (Object.values(sel).every((v) => v !== null) || opts.indicator === undefined || !m.aggregates?.[opts.indicator]) return getWorkAnalysis(db, campaignId, wanted, opts);
  // An aggregate the page may offer for the selection: taken over rows, not grouped by an open dimension. The view of
  // the selection's rows lacks it where those rows lack its indicator (a grade of ГИА only), as the whole view ranks
  // such rows without values: it is added to each view ranked.
  const open = Object.keys(sel).filter((d) => sel[d] === null);
  const offered = Object.keys(m.aggregates ?? {}).flatMap((id) => dimensionalAggregate(m, id) ?? []).filter((a) => !a.groupBy || !open.includes(a.groupBy));
  const agg = offered.find((a) => a.id === opts.indicator);
  if (!agg)
    throw new ServiceError('not_found', 'SELECTION_MEASURE_NOT_FOUND', `Показатель «${opts.indicator}» не ранжирует такой выбор: ${offered.length ? `доступны ${offered.map((x) => `${x.id} («${x.title}»)`).join(', ')}` : `методика «${m.title}» не задаёт для него сводного показателя`}.`, [{ path: 'indicator', message: 'нет такого сводного показателя для выбора' }]);
  const framed = (v: DimensionalView): DimensionalView => (v.aggregates.some((a) => a.id === agg.id) ? v : { ...v, aggregates: [...v.aggregates, agg] });
  const [cur, prevCampaign] = await Promise.all([selectionView(db, row, sel, opts, m), earlierCampaigns(db, row, 1).then((e) => e[0] ?? null)]);
  const prevView = prevCampaign ? await selectionView(db, await findCampaignRow(db, prevCampaign.id), sel, opts) : null;
  const rankings: WorkRanking[] = [];
  const ranking = cur ? rankDimensional(framed(cur), sel, agg.id) : null;
  // As the page: no change without a previous campaign; a previous campaign without rows of the selection ranks nobody.
  const then = prevCampaign && cur ? framed(prevView ?? { ...cur, rows: [] }) : null;
  if (cur && ranking) rankings.push({ ranking, dynamics: then ? dimensionalDynamics(framed(cur), then, sel, agg.id) : null });
  const prevRanking = prevView ? rankDimensional(framed(prevView), sel, agg.id) : null;
  const chosen = Object.fromEntries(Object.entries(sel).filter((e): e is [string, string] => e[1] !== null));
  const label = cur ? dimensionsText(cur, sel) : selectionIds(m).map((d) => (sel[d] ? (m.dimensions?.[d]?.labels?.[sel[d] as string] ?? sel[d]) : `${m.dimensions?.[d]?.title.toLowerCase()}: все`)).join(', ');
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
