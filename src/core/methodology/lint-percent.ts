/** Percentages the methodology does not cap: a share can exceed 100 % (over-fulfilment of a state assignment), so an
 * indicator with `unit: "%"` and no `max` whose top band is closed leaves the values above it in no band. The linter
 * names that range instead of silently capping the share (issue 15). */
import { formatNumber } from '../format.ts';
import type { LintItem } from './lint-item.ts';
import type { Methodology } from './schema.ts';

export function lintPercentCeilings(m: Methodology): LintItem[] {
  const items: LintItem[] = [];
  for (const [id, ind] of Object.entries(m.indicators)) {
    if (ind.unit !== '%' || ind.max !== undefined || !ind.scale || ind.scale === 'none') continue;
    const scale = m.scales?.[ind.scale];
    if (!scale || scale.bounds === 'unspecified' || !scale.bands.length) continue;
    if (scale.bands.some((b) => b.to === undefined)) continue;
    const top = Math.max(...scale.bands.map((b) => b.to as number));
    const label = ind.code ? `${ind.code} «${ind.title}»` : `«${ind.title}»`;
    items.push({
      severity: 'warning',
      path: `indicators.${id}.max`,
      message: `показатель ${label}, шкала «${ind.scale}»: значения больше ${formatNumber(top)} % не попадают ни в одну полосу — доля может превышать 100 % (перевыполнение), а max не указан; если не может, укажите max: 100, если может — откройте верхнюю полосу`,
    });
  }
  return items;
}
