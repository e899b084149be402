/** The comparison rows of a dimensional result (issue 22): a result carries the inputs its formula reads
 * (`details.inputs`), so a share such as «повысили» (`journal_raised`), whose region's and municipality's figures
 * (`region_journal_raised`, `municipality_journal_raised`) no formula reads, could not be set beside the report's
 * region and municipality rows. `withComparisonInputs` adds to each per-dimension result the `region_<x>` and
 * `municipality_<x>` values of the inputs `x` its formula reads, when the methodology declares them and the row has
 * them, so the ranking (`comparisonValue` in dimensional.ts) and the table of signs compare every such share. The
 * indicator's value and explanation are unchanged. Pure. */
import type { ComputeOutput, Methodology } from '../methodology/index.ts';

export const COMPARISON_PREFIXES = ['region_', 'municipality_'] as const;

/** The values of one organisation × dimension values (the row of the dimensional table), by input id. */
export type RowValues = (organisation: string, dimensions: Record<string, string>) => Readonly<Record<string, unknown>> | undefined;

const numeric = (v: unknown): number | null => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '') {
    const x = Number(v.replace(',', '.'));
    return Number.isFinite(x) ? x : null;
  }
  return null;
};

/** A copy of `output` whose per-dimension results also carry the comparison inputs of their formula's inputs (with
 * `inPlace`, the caller's own output is changed instead: no copy of each result, the same JSON). The comparison inputs
 * to look for are worked out once per indicator, the row once per organisation × dimension values (results of one row
 * share it; keyed by the values' text, as each result has its own dimensions object), so this stays a small part of a
 * recompute of 3 000 schools × 48 works (docs/performance.md). */
export function withComparisonInputs<T extends Pick<ComputeOutput, 'results'>>(m: Methodology, output: T, valuesOf: RowValues, opts: { inPlace?: boolean } = {}): T {
  const wanted = new Map<string, string[]>();
  const comparisonsOf = (indicator: string, inputs: Record<string, unknown>): string[] => {
    let ids = wanted.get(indicator);
    if (!ids) {
      ids = Object.keys(inputs).flatMap((input) => COMPARISON_PREFIXES.map((p) => `${p}${input}`)).filter((id) => m.inputs[id] && !(id in inputs));
      wanted.set(indicator, ids);
    }
    return ids;
  };
  const rows = new Map<string, Map<string, Readonly<Record<string, unknown>> | null>>();
  // The results of one row come one after another: the previous result's row is reused when its values match.
  let last: { organisation: string; dimensions: Record<string, string | number>; row: Readonly<Record<string, unknown>> | null } | null = null;
  const sameDimensions = (a: Record<string, string | number>, b: Record<string, string | number>) => {
    let n = 0;
    for (const k in a) {
      if (a[k] !== b[k]) return false;
      n++;
    }
    for (const k in b) if (--n < 0 || !(k in a)) return false;
    return n === 0;
  };
  const rowOf = (organisation: string, dimensions: Record<string, string | number>) => {
    // The results of one row share their dimensions object (run.ts): the same object is the same values.
    if (last && last.organisation === organisation && (last.dimensions === dimensions || sameDimensions(last.dimensions, dimensions))) return last.row;
    const row = lookUp(organisation, dimensions);
    last = { organisation, dimensions, row };
    return row;
  };
  const lookUp = (organisation: string, dimensions: Record<string, string | number>) => {
    let byDims = rows.get(organisation);
    if (!byDims) rows.set(organisation, (byDims = new Map()));
    let key = '';
    for (const k in dimensions) key += `${k}\u0000${String(dimensions[k])}\u0001`;
    let row = byDims.get(key);
    if (row === undefined) {
      const dims: Record<string, string> = {};
      for (const k in dimensions) dims[k] = String(dimensions[k]);
      row = valuesOf(organisation, dims) ?? null;
      byDims.set(key, row);
    }
    return row;
  };
  /** Puts the comparison values into `into` (a new object when null); what it wrote into, or null for nothing. */
  const extraOf = (r: T['results'][number], into: Record<string, unknown> | null): Record<string, unknown> | null => {
    if (!r.dimensions) return null;
    const ids = comparisonsOf(r.indicator, r.details.inputs);
    if (!ids.length) return null;
    const row = rowOf(r.organisation, r.dimensions);
    if (!row) return null;
    let extra: Record<string, unknown> | null = null;
    for (const id of ids) {
      const v = numeric(row[id]);
      if (v !== null) (extra ??= into ?? {})[id] = v;
    }
    return extra;
  };
  if (opts.inPlace) {
    // The ids are not among the inputs (comparisonsOf), so they come last, in the same order as the copy's spread.
    for (const r of output.results) extraOf(r, r.details.inputs);
    return output;
  }
  const results = output.results.map((r) => {
    const extra = extraOf(r, null);
    return extra ? { ...r, details: { ...r.details, inputs: { ...r.details.inputs, ...extra } } } : r;
  });
  return { ...output, results };
}

export interface ComparedFigure { id: string; title: string; unit: string | null; value: number | null; region: number | null; municipality: number | null }

/** For the table of signs: each of `ids` that is not itself a comparison input (the share of «5», «повысили», …), the
 * school's value beside the region's and the municipality's rows (null when the methodology declares no such
 * comparison input or the report had no such row). */
export function comparedFigures(m: Methodology, ids: readonly string[], inputs: Readonly<Record<string, number | null>>): ComparedFigure[] {
  return ids
    .filter((id) => m.inputs[id] && !COMPARISON_PREFIXES.some((p) => id.startsWith(p)))
    .map((id) => ({ id, title: m.inputs[id]?.title ?? id, unit: m.inputs[id]?.unit ?? null, value: inputs[id] ?? null, region: inputs[`region_${id}`] ?? null, municipality: inputs[`municipality_${id}`] ?? null }));
}
