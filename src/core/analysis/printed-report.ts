/** A printed report of a campaign (issue 15, item 4) checked against what the campaign computed.
 *
 * A report («Протокол № 6 заседания рабочей группы от 30.06.2022») printed figures: per organisation and indicator
 * (a value and/or a level, as printed text), per row of a table by organisation type (a type or the totals row), and
 * municipal figures (an aggregate such as seed 004's 5,6, or an indicator of the municipality's row). Each printed
 * number is compared with the exact computed value at the precision it was printed with (2,3 agrees with 2,26; 86 does
 * not agree with 87,9), each printed level with the computed level's name; every disagreement gets an explanation and
 * the most plausible causes from diagnosis.ts. Pure: figures and computed tables in, disagreements out. */
import type { Methodology } from '../methodology/schema.ts';
import { agreesAtPrecision, levelsAgree, parsePrinted } from '../methodology/consistency.ts';
import { shapeOf } from '../methodology/diagnose-run.ts';
import { diagnoseLevel, diagnoseValue, type Diagnosis, type OtherValue } from '../methodology/diagnosis.ts';
import { scaleOf } from '../methodology/evaluate.ts';
import { parseExpression } from '../methodology/expression.ts';
import { formatNumber } from '../format.ts';
import type { ComputedTable } from './types.ts';
import { typeName } from './types.ts';

export type PrintedScope = 'organisation' | 'group' | 'municipal';

export interface PrintedFigure {
  scope: PrintedScope;
  /** The organisation's short name (`organisation`), the row key of a table by type (`group`: school, total), null
   * for a municipal figure. */
  entity: string | null;
  /** An indicator id, or for a municipal figure an aggregate id. */
  target: string;
  /** As printed («3,7», «86», «78,9 %»); null when the report printed no number for it. */
  value: string | null;
  /** The level name as printed («средний»); null when none. */
  level: string | null;
}

export interface PrintedDisagreement {
  scope: PrintedScope;
  entity: string | null;
  /** The organisation, the type («Общеобразовательные организации», «Итого») or «Муниципалитет». */
  label: string;
  target: string;
  /** «2.1. Индекс многообразия…». */
  targetTitle: string;
  field: 'value' | 'level';
  printed: string;
  computed: string | null;
  explanation: string;
  /** Most plausible first; empty when nothing was tried. */
  causes: Diagnosis[];
}

export interface PrintedFigureProblem {
  figure: PrintedFigure;
  reason: string;
}

export interface PrintedComparison {
  disagreements: PrintedDisagreement[];
  /** Figures that agree with the computation at their printed precision. */
  agreed: number;
  /** Figures that could not be compared (no such result in the campaign, a value that is not a number). */
  problems: PrintedFigureProblem[];
}

interface Found {
  exact: number | null;
  value: number | null;
  level: string | null;
  round: number | null | undefined;
  inputs: Record<string, unknown> | null;
  /** Other rows of the same indicator (for «taken from another row»). */
  others: OtherValue[];
}

function titleOf(m: Methodology, target: string): string {
  const ind = m.indicators[target];
  if (ind) return ind.code ? `${ind.code}. ${ind.title}` : ind.title;
  return m.aggregates?.[target]?.title ?? target;
}

function labelOf(f: PrintedFigure): string {
  if (f.scope === 'municipal' || f.entity === null) return 'Муниципалитет';
  return f.scope === 'group' ? typeName(f.entity) : f.entity;
}

function find(m: Methodology, computed: readonly ComputedTable[], f: PrintedFigure): Found | null {
  if (f.scope === 'municipal' && m.aggregates?.[f.target]) {
    for (const t of computed) {
      const a = t.aggregates.find((x) => x.aggregate === f.target && x.group === null);
      if (a) return { exact: a.unrounded, value: a.value, level: a.level, round: m.aggregates[f.target]?.round, inputs: null, others: [] };
    }
    return null;
  }
  for (const t of computed) {
    const ds = m.datasets?.[t.dataset.id];
    const rowKey =
      f.scope === 'organisation' ? (t.dataset.unit === 'organisation' ? f.entity : null)
      : f.scope === 'group' ? (t.dataset.unit !== 'organisation' && t.dataset.unit !== 'municipality' ? f.entity : null)
      : t.dataset.unit === 'municipality' ? (t.results.find((r) => r.indicator === f.target)?.organisation ?? null)
      : (ds?.total_row ?? null);
    if (rowKey === null) continue;
    const r = t.results.find((x) => x.organisation === rowKey && x.indicator === f.target && !x.dimensions);
    if (!r) continue;
    const others = t.results
      .filter((x) => x.indicator === f.target && x.organisation !== ds?.total_row && typeof x.details.unrounded === 'number')
      .map((x) => ({ organisation: x.organisation, value: x.details.unrounded as number }));
    return { exact: r.details.unrounded, value: r.value, level: r.level, round: r.details.round, inputs: r.details.inputs, others };
  }
  return null;
}

function valueCauses(m: Methodology, f: PrintedFigure, found: Found, printed: { value: number; digits: number }): Diagnosis[] {
  if (found.exact === null) return [];
  const def = m.indicators[f.target];
  let shape = null;
  if (def && found.inputs) {
    const parsed = def.formula ? parseExpression(def.formula) : null;
    shape = shapeOf(def, parsed?.ok ? parsed.expr : null, found.inputs as Parameters<typeof shapeOf>[2]);
  }
  return diagnoseValue({ printed, exact: found.exact, round: found.round ?? undefined, shape, others: found.others, ...(f.entity ? { self: f.entity } : {}) });
}

function levelCauses(m: Methodology, f: PrintedFigure, found: Found, printed: string): Diagnosis[] {
  const def = m.indicators[f.target] ?? (m.aggregates?.[f.target]?.of ? m.indicators[m.aggregates[f.target]!.of!] : undefined);
  const scale = def ? scaleOf(m, def) : null;
  if (found.exact === null || !scale || scale.bounds === 'unspecified') return [];
  return diagnoseLevel({ printed, exact: found.exact, round: found.round ?? undefined, bands: scale.bands });
}

/** Compares every figure of a printed report with the campaign's computed tables. */
export function comparePrintedReport(m: Methodology, computed: readonly ComputedTable[], figures: readonly PrintedFigure[]): PrintedComparison {
  const out: PrintedComparison = { disagreements: [], agreed: 0, problems: [] };
  for (const f of figures) {
    const found = find(m, computed, f);
    if (!found) {
      out.problems.push({ figure: f, reason: `в результатах мониторинга нет значения «${titleOf(m, f.target)}» для «${labelOf(f)}»` });
      continue;
    }
    const ofIndicator = m.indicators[f.target] ?? m.indicators[m.aggregates?.[f.target]?.of ?? ''];
    const unit = ofIndicator?.unit === '%' && !m.aggregates?.[f.target]?.method.endsWith('_by_level') ? '\u00A0%' : '';
    const base = { scope: f.scope, entity: f.entity, label: labelOf(f), target: f.target, targetTitle: titleOf(m, f.target) };
    if (f.value !== null) {
      const printed = parsePrinted(f.value);
      if (!printed) out.problems.push({ figure: f, reason: `«${f.value}» — не число` });
      else if (agreesAtPrecision(printed, found.exact)) out.agreed++;
      else {
        const shown = formatNumber(printed.value, printed.digits);
        const computedText = found.exact === null ? null : formatNumber(found.value ?? found.exact);
        const exact = found.exact === null ? '' : `; точное значение ${formatNumber(found.exact, Math.max(printed.digits + 2, 2))}, с точностью напечатанного (${printed.digits ? `${printed.digits} зн. после запятой` : 'до целых'}) — ${formatNumber(found.exact, printed.digits)}`;
        out.disagreements.push({
          ...base, field: 'value', printed: shown, computed: computedText,
          explanation: computedText === null ? `в отчёте напечатано ${shown}${unit}, а по данным мониторинга значение не вычислено` : `в отчёте напечатано ${shown}${unit}, вычислено ${computedText}${unit}${exact}`,
          causes: valueCauses(m, f, found, printed),
        });
      }
    }
    if (f.level !== null && f.level.trim() !== '') {
      if (levelsAgree(f.level, found.level)) out.agreed++;
      else {
        const at = found.value === null ? '' : ` при значении ${formatNumber(found.value)}${unit}`;
        out.disagreements.push({
          ...base, field: 'level', printed: f.level.trim(), computed: found.level,
          explanation: found.level === null ? `в отчёте напечатан уровень «${f.level.trim()}», а по данным мониторинга уровень не определён` : `в отчёте напечатан уровень «${f.level.trim()}», а по шкале методики${at} — «${found.level}»`,
          causes: levelCauses(m, f, found, f.level.trim()),
        });
      }
    }
  }
  return out;
}
