/** How the analysis names an indicator (title, unit, rounding, target, levels, yes/no). Pure. */
import type { Methodology } from '../methodology/index.ts';
import type { IndicatorInfo } from './types.ts';

export function indicatorInfo(m: Methodology, id: string): IndicatorInfo {
  const d = m.indicators[id];
  const scaleId = d?.scale;
  const scale = scaleId && scaleId !== 'none' ? m.scales?.[scaleId] : undefined;
  return {
    id,
    code: d?.code ?? null,
    title: d?.title ?? id,
    unit: d?.unit ?? null,
    round: d?.round ?? null,
    target: d?.target ?? null,
    hasLevels: !!scale && scale.bounds !== 'unspecified' && scale.bands.some((b) => b.level !== undefined),
    yesNo: d?.kind === 'yes_no',
  };
}
