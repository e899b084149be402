/** The analysis of one work (subject × grade) of a campaign on a methodology with dimensions (issue 22, ВПР), computed
 * alone: what the analysis page shows for the selected work — the ranking by each ranked indicator with the report's
 * region and municipality rows, the signs of non-objectivity with their explanations, and the change against the
 * previous campaign's same work — without recomputing the whole campaign.
 *
 * Every row of a work is computed from its own inputs (the region's and the municipality's figures are inputs of each
 * school's row, src/core/imports/fisoko-table.ts), so the work's rows are enough: its current inputs are read alone
 * (work-read.ts: `worksRows` of the work, the rows `currentDimensionalRows` gives for its dimension values; the index
 * of migration 0022) unless a view of the same stamp is kept (work-views.ts), the organisations on the basis are those of `computeCampaignResults` (`workParticipants`: those
 * `campaignParticipants` includes), the engine is the same
 * (`computeDimensional`), and the ranking and the signs are the pure functions of the page (`rankDimensional`,
 * `objectivitySigns`, `dimensionalDynamics`) over a view of those rows. The answer equals the same work's slice of
 * `getCampaignAnalysis` (test/integration/dimensional-work.test.ts), except that the signs of one work are ordered by
 * organisation (the full table puts organisations with more signs over every work first). Read-only. */
import type { Kysely } from 'kysely';
import type { DimensionalDynamics, DimensionalRanking, DimensionalView, DimensionSelection, ObjectivitySign } from '../../core/analysis/index.ts';
import { dimensionalDynamics, dimensionalView, dimensionsText, objectivitySigns, rankableMeasures, rankDimensional } from '../../core/analysis/index.ts';
import { indicatorInfo } from '../../core/analysis/indicator-info.ts';
import type { ComputeOptions, Methodology } from '../../core/methodology/index.ts';
import { readDimensionValue } from '../../core/methodology/dimensions.ts';
import type { Database } from '../../db/schema.ts';
import { visibleValueRow } from '../../db/value-rows.ts';
import { campaignMethodology, findCampaignRow, type CampaignRecord } from '../collection/campaigns.ts';
import { ServiceError } from '../errors.ts';
import { earlierCampaigns, type CampaignSummary } from './campaign-analysis.ts';
import { computeDimensionalYielding, dimensionalDatasets } from './campaign-dimensional.ts';
import { prepare, type ResultsBasis } from './campaign-results.ts';
import { participantsDigest, selectionWorks, workParticipants, worksRows } from './work-read.ts';
import { viewStamp, workViews } from './work-views.ts';

export interface WorkRanking {
  ranking: DimensionalRanking;
  /** Each school's value in the previous campaign's same work and the change (null without a previous campaign). */
  dynamics: DimensionalDynamics | null;
}

export interface WorkAnalysis {
  campaign: { id: string; title: string; period: string };
  basis: ResultsBasis;
  /** The work's dimension values as stored (`{"subject": "Математика", "grade": "5"}`) and their labels. */
  dimensions: Record<string, string>;
  label: string;
  /** One per ranked indicator (the indicators of the page's «Показатель рейтинга» for a whole work), in the view's order. */
  rankings: WorkRanking[];
  /** The work's rows where the sign of non-objectivity is «да», by organisation. */
  signs: readonly ObjectivitySign[];
  /** The previous campaign of the same methodology (as the analysis page's dynamics) and its same work. */
  previous: { campaign: CampaignSummary; rankings: DimensionalRanking[]; signs: readonly ObjectivitySign[] } | null;
}

export interface WorkOptions {
  basis?: ResultsBasis;
  municipalityId?: string | null;
  /** One ranked indicator: only it (and the sign of non-objectivity) is computed, and `rankings` (this campaign's and
   * the previous one's) hold its ranking alone — what the page shows at a time, about a tenth of the work's figures. */
  indicator?: string;
}

/** The indicators computed for a ranking by `indicator`: it and every candidate of the view's sign of
 * non-objectivity (dimensionalView picks the first of them in the output's order, the same as in the whole view). */
export function indicatorsFor(m: Methodology, indicator: string): string[] {
  if (!m.indicators[indicator] || !dimensionalDatasets(m).some(([, ds]) => ds.indicators.includes(indicator)))
    throw new ServiceError('not_found', 'WORK_INDICATOR_NOT_FOUND', `Показатель «${indicator}» не вычисляется по предметам и классам в методике «${m.title}».`, [{ path: 'indicator', message: 'нет такого показателя по измерениям' }]);
  const signs = Object.keys(m.indicators).filter((id) => {
    const info = indicatorInfo(m, id);
    return info.yesNo && /objectivity|объективност/i.test(`${info.id} ${info.title}`);
  });
  return [...new Set([indicator, ...signs])];
}

/** The dimensions of the methodology's dimensional datasets, in the methodology's order; a key of `wanted` that is not
 * one of them is a 400 naming them. */
export function requestDimensions(m: Methodology, wanted: Readonly<Record<string, string>>): string[] {
  const used = new Set(dimensionalDatasets(m).flatMap(([, ds]) => Object.keys(ds.dimensions ?? {})));
  const ids = Object.keys(m.dimensions ?? {}).filter((d) => used.has(d));
  if (!ids.length) throw new ServiceError('not_found', 'WORK_NOT_FOUND', `Методика «${m.title}» не задаёт измерений (предметов, классов): анализа по работам нет.`);
  const unknown = Object.keys(wanted).filter((k) => !ids.includes(k));
  if (unknown.length)
    throw new ServiceError('validation', 'WORK_DIMENSION_UNKNOWN', `Нет такого измерения: ${unknown.map((k) => `«${k}»`).join(', ')} (измерения методики: ${ids.join(', ')}).`, unknown.map((k) => ({ path: k, message: 'нет такого измерения' })));
  return ids;
}

/** A dimension's value from the request in any spelling `readDimensionValue` reads («Матем.» by an alias, «5 класс»);
 * one the methodology does not have is a 404 naming the allowed values. */
export function requestDimensionValue(m: Methodology, d: string, text: string): string {
  const v = readDimensionValue(m.dimensions![d]!, text);
  if (!v.ok) throw new ServiceError('not_found', 'WORK_NOT_FOUND', `Работа не найдена: ${v.message}.`, [{ path: d, message: v.message }]);
  return v.value;
}

/** The dimension values of a work from the request: every dimension of the methodology's dimensional datasets
 * (`requestDimensions`), each read by `requestDimensionValue`; a missing one is a 400. */
export function workDimensions(m: Methodology, wanted: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of requestDimensions(m, wanted)) {
    const text = wanted[d];
    if (text === undefined || text.trim() === '') throw new ServiceError('validation', 'WORK_DIMENSION_MISSING', `Не указано измерение «${m.dimensions![d]!.title}» (${d}).`, [{ path: d, message: 'обязательно' }]);
    out[d] = requestDimensionValue(m, d, text);
  }
  return out;
}

export interface WorkView {
  m: Methodology;
  view: DimensionalView | null;
  /** Whether the campaign has per-dimension values of any work (its full view would exist). */
  anyWork: boolean;
}

/** The view of one work of a campaign, computed as `computeCampaignResults` computes the whole campaign: its
 * organisations on the basis and the work's current inputs (work-read.ts: only what the work needs, read together). */
export async function workView(db: Kysely<Database>, row: CampaignRecord, sel: DimensionSelection, opts: WorkOptions, m?: Methodology, compute: ComputeOptions = {}): Promise<WorkView> {
  const methodology = m ?? (await campaignMethodology(db, row.methodology_id, row.methodology_version)).methodology;
  const { compiled, lint, hash } = prepare(methodology);
  if (!compiled.ok)
    throw new ServiceError('conflict', 'METHODOLOGY_INVALID', `Методика «${methodology.id}» содержит ошибки: ${compiled.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  // One work (every dimension chosen), or the works of an open selection stored for the campaign
  // (dimensional-selection.ts).
  const one = Object.values(sel).every((v) => v !== null);
  const basis = opts.basis ?? 'submitted';
  const municipality = opts.municipalityId ?? null;
  const works = one ? [JSON.stringify(sel)] : await selectionWorks(db, row.id, sel);
  // A view computed before from the same methodology, organisations and rows is kept (work-views.ts): one statement
  // reads the stamp, and the organisations and rows are read only when the view is not kept.
  const kept = workViews(db);
  const key = [row.id, basis, municipality ?? '', works.join('\u0001'), JSON.stringify(compute)].join('|');
  const stamp = await viewStamp(db, row.id, works, basis, municipality);
  const hit = kept.get(key, `${hash}|${stamp.rows}|${stamp.orgs}`);
  if (hit) return { m: methodology, view: hit, anyWork: true };
  // Both reads at once (a server answers them on two connections; PGlite, in this process, one after the other).
  const [orgs, rowsOf] = await Promise.all([workParticipants(db, row.id, basis, municipality), worksRows(db, row.id, works)]);
  // Work by work with the event loop let run between them: an open selection is many works (every subject of a grade).
  const out = await computeDimensionalYielding(methodology, compiled.compiled, lint, orgs, rowsOf, compute);
  const view = out.output ? dimensionalView(methodology, [out.output]) : null;
  // Kept under the digest of the organisations it was computed from (they may have changed since the stamp was read).
  if (view) kept.put(key, `${hash}|${stamp.rows}|${participantsDigest(orgs)}`, view);
  return { m: methodology, view, anyWork: view !== null || (await anyDimensionalValue(db, row.id, orgs.map((o) => o.id))) };
}

/** Whether any of `orgs` has a visible per-dimension value in the campaign (one row of either log, by index). */
async function anyDimensionalValue(db: Kysely<Database>, campaignId: string, orgs: readonly string[]): Promise<boolean> {
  if (!orgs.length) return false;
  for (const table of ['value_rows', 'value_history'] as const) {
    const hit = await db
      .selectFrom(`${table} as t` as 'value_rows as t')
      .select('t.id')
      .where('t.campaign_id', '=', campaignId)
      .where('t.dimensions', 'is not', null)
      .where('t.organisation_id', 'in', [...orgs])
      .where(visibleValueRow('t'))
      .limit(1)
      .executeTakeFirst();
    if (hit) return true;
  }
  return false;
}

/** The previous campaign's view where its same work has no rows but the campaign has others: the full view then ranks
 * nobody for the work (every school «нет данных» in the change), which this empty view reproduces. */
function emptyView(m: Methodology, like: DimensionalView): DimensionalView {
  return { methodology: m, dimensions: [], indicators: like.indicators.filter((i) => m.indicators[i.id]).map((i) => indicatorInfo(m, i.id)), aggregates: [], rows: [], objectivity: null };
}

/** The previous campaign's view the change is computed against, as the page computes it: none when either campaign
 * has no per-dimension results at all (getCampaignAnalysis's previousDimensional is then null); an empty view when the
 * previous campaign has per-dimension values but none of the selection (it ranks nobody). */
export function comparedPrevious(cur: DimensionalView | null, prev: WorkView | null): DimensionalView | null {
  return prev && cur ? (prev.view ?? (prev.anyWork ? emptyView(prev.m, cur) : null)) : null;
}

/** The analysis of one work of a campaign (see the module comment). Unknown campaign: 404; a dimension value the
 * methodology does not have: 404 naming the allowed values; a missing or unknown dimension: 400. */
export async function getWorkAnalysis(db: Kysely<Database>, campaignId: string, wanted: Readonly<Record<string, string>>, opts: WorkOptions = {}): Promise<WorkAnalysis> {
  const row = await findCampaignRow(db, campaignId);
  return workAnalysis(db, row, (await campaignMethodology(db, row.methodology_id, row.methodology_version)).methodology, wanted, opts);
}

/** This campaign's view of a selection and the previous campaign's (as the analysis page's dynamics), at once: on a
 * server one's reads overlap the other's computation. Both settle before either error is thrown, this campaign's first
 * (as when they ran one after the other). */
export async function withPrevious(db: Kysely<Database>, row: CampaignRecord, sel: DimensionSelection, opts: WorkOptions, m: Methodology, compute: ComputeOptions): Promise<{ cur: WorkView; prevCampaign: CampaignSummary | null; prev: WorkView | null }> {
  const [curDone, prevDone] = await Promise.allSettled([
    workView(db, row, sel, opts, m, compute),
    (async () => {
      const prevCampaign = (await earlierCampaigns(db, row, 1))[0] ?? null;
      return { prevCampaign, prev: prevCampaign ? await workView(db, await findCampaignRow(db, prevCampaign.id), sel, opts, undefined, compute) : null };
    })(),
  ]);
  if (curDone.status === 'rejected') throw curDone.reason;
  if (prevDone.status === 'rejected') throw prevDone.reason;
  return { cur: curDone.value, ...prevDone.value };
}

/** `getWorkAnalysis` of a campaign row and its methodology already read (the open selection's caller). */
export async function workAnalysis(db: Kysely<Database>, row: CampaignRecord, m: Methodology, wanted: Readonly<Record<string, string>>, opts: WorkOptions): Promise<WorkAnalysis> {
  const dims = workDimensions(m, wanted);
  const only = opts.indicator === undefined ? undefined : indicatorsFor(m, opts.indicator);
  const ranked = (id: string) => opts.indicator === undefined || id === opts.indicator;
  const { cur, prevCampaign, prev } = await withPrevious(db, row, dims, opts, m, only ? { only } : {});
  const sel = { ...dims };
  const prevView = comparedPrevious(cur.view, prev);
  const rankings: WorkRanking[] = [];
  if (cur.view) {
    for (const measure of rankableMeasures(cur.view, sel).filter((x) => ranked(x.id))) {
      const ranking = rankDimensional(cur.view, sel, measure.id);
      if (!ranking) continue;
      rankings.push({ ranking, dynamics: prevView ? dimensionalDynamics(cur.view, prevView, sel, measure.id) : null });
    }
  }
  const previous =
    prevCampaign && prev
      ? {
          campaign: prevCampaign,
          rankings: prev.view ? rankableMeasures(prev.view, sel).filter((x) => ranked(x.id)).flatMap((x) => rankDimensional(prev.view as DimensionalView, sel, x.id) ?? []) : [],
          signs: prev.view ? objectivitySigns(prev.view) : [],
        }
      : null;
  const label = cur.view ? dimensionsText(cur.view, sel) : Object.entries(dims).map(([d, v]) => m.dimensions?.[d]?.labels?.[v] ?? v).join(', ');
  return {
    campaign: { id: row.id, title: row.title, period: row.period_code },
    basis: opts.basis ?? 'submitted',
    dimensions: dims,
    label,
    rankings,
    signs: cur.view ? objectivitySigns(cur.view) : [],
    previous,
  };
}
