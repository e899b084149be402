/** A read criteria table (criteria-table.ts) → a draft methodology fragment: one input and one indicator per table
 * indicator (the formula is the input itself — the methodologist replaces it with the real formula), a scale per
 * indicator with the bands as printed (`label` = the source text), criteria with their maxima and the total.
 * What the table does not say is not invented: a percentage may exceed 100 % unless the methodologist says it cannot
 * (`capped`), and a top band stays closed unless the methodologist says values above it belong to it (`openTop`). */
import type { CriteriaTable, TableBand, TableIndicator } from './criteria-table.ts';
import type { Band, CriterionDef, IndicatorDef, InputDef, Methodology, ScaleDef } from './schema.ts';

export interface DraftOptions {
  /** Decimals the indicators are rounded to (the bands are judged at this step). Default 1. */
  round?: number;
  /** Codes of percentages that cannot exceed 100 % (or 'all'): `max: 100`. */
  capped?: readonly string[] | 'all';
  /** Codes whose top band is open upwards (or 'all'); the printed upper edge is kept as `nominal_to`. */
  openTop?: readonly string[] | 'all';
}

export type DraftFragment = Required<Pick<Methodology, 'inputs' | 'indicators' | 'scales' | 'criteria' | 'total'>>;

export interface DraftNames {
  indicator: string;
  input: string;
  scale: string;
}

/** Formula names for an indicator code: 1.1 → i1_1 (indicator), x1_1 (input), s1_1 (scale). */
export function draftNames(code: string): DraftNames {
  const base = code.replace(/[^0-9A-Za-z]+/g, '_').replace(/^_+|_+$/g, '') || 'n';
  return { indicator: `i${base}`, input: `x${base}`, scale: `s${base}` };
}

export function isPercent(ind: TableIndicator): boolean {
  return ind.bands.some((b) => b.bounds.percent) || /%/.test(ind.targetText ?? '') || /^(?:доля|процент)/i.test(ind.title);
}

const listed = (list: readonly string[] | 'all' | undefined, code: string) => list === 'all' || (list ?? []).includes(code);

function bandOf(b: TableBand): Band {
  const x = b.bounds;
  const out: Band = {};
  if (x.from !== undefined) out.from = x.from;
  if (x.from_exclusive) out.from_exclusive = true;
  if (x.to !== undefined) out.to = x.to;
  if (x.to_exclusive) out.to_exclusive = true;
  if (x.level) out.level = x.level;
  out.points = b.points;
  out.label = b.text;
  return out;
}

function scaleOf(ind: TableIndicator, openTop: boolean): ScaleDef {
  if (ind.bands.some((b) => b.bounds.answer))
    return {
      title: `${ind.code}: да / нет`,
      bands: ind.bands.map((b) => ({ ...(b.bounds.answer === 'yes' ? { from: 1, to: 1 } : { from: 0, to: 0 }), points: b.points, label: b.text })),
    };
  const bands = ind.bands.map(bandOf);
  if (bands.every((b) => b.from === undefined && b.to === undefined))
    return { title: ind.code, bounds: 'unspecified', note: 'Таблица называет уровни и баллы, но не границы уровней.', bands };
  if (openTop && !bands.some((b) => b.to === undefined && b.from !== undefined)) {
    const top = bands.reduce<Band | null>((best, b) => (b.to !== undefined && (best === null || b.to > (best.to as number)) ? b : best), null);
    if (top && top.to !== undefined) {
      top.nominal_to = top.to;
      delete top.to;
      delete top.to_exclusive;
    }
  }
  return { title: ind.code, bands };
}

export function draftFromTable(table: CriteriaTable, options: DraftOptions = {}): DraftFragment {
  const round = options.round ?? 1;
  const inputs: Record<string, InputDef> = {};
  const indicators: Record<string, IndicatorDef> = {};
  const scales: Record<string, ScaleDef> = {};
  for (const ind of table.indicators) {
    const names = draftNames(ind.code);
    const yesNo = ind.bands.some((b) => b.bounds.answer);
    const percent = !yesNo && isPercent(ind);
    const capped = percent && listed(options.capped, ind.code);
    scales[names.scale] = scaleOf(ind, listed(options.openTop, ind.code));
    if (yesNo) {
      inputs[names.input] = { type: 'boolean', title: ind.title };
      indicators[names.indicator] = {
        code: ind.code, title: ind.title, kind: 'yes_no', formula: `if(${names.input}, 1, 0)`, round: 0, min: 0, max: 1, scale: names.scale,
      };
      continue;
    }
    inputs[names.input] = {
      type: capped ? 'percent' : 'number',
      title: ind.title,
      ...(percent ? { unit: '%', min: 0 } : {}),
    };
    indicators[names.indicator] = {
      code: ind.code,
      title: ind.title,
      ...(percent ? { unit: '%', kind: 'share' as const } : { kind: 'value' as const }),
      formula: names.input,
      round,
      ...(percent ? { min: 0 } : {}),
      ...(capped ? { max: 100 } : {}),
      ...(ind.target !== undefined ? { target: ind.target } : {}),
      scale: names.scale,
      source: `строка ${ind.line} таблицы`,
    };
  }
  const maxPoints = (ind: TableIndicator) => Math.max(...ind.bands.map((b) => b.points), 0);
  const criteria: CriterionDef[] = table.criteria
    .map((c) => {
      const inds = table.indicators.filter((i) => i.criterion === c.id);
      return {
        id: c.id,
        title: c.title,
        max: c.max ?? inds.reduce((s, i) => s + maxPoints(i), 0),
        indicators: inds.map((i) => draftNames(i.code).indicator),
      };
    })
    .filter((c) => c.indicators.length > 0);
  const total = { max: table.statedMax?.value ?? criteria.reduce((s, c) => s + c.max, 0) };
  return { inputs, indicators, scales, criteria, total };
}
