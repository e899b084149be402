/** Dynamics of per-dimension results (issue 22): one subject × grade (or «по всем предметам» by an aggregate) of this
 * campaign against the previous campaign of the same methodology id — each school's value then and now with the
 * change, and the municipality's figure then and now. Schools are matched by name, as the campaign dynamics do. Pure. */
import { roundHalfUp } from '../format.ts';
import type { Direction } from './campaign.ts';
import { rankDimensional, type DimensionSelection } from './dimensional.ts';
import type { DimensionalView } from './types.ts';

export interface DimensionalChange { name: string; previous: number | null; current: number | null; change: number | null; direction: Direction | null }
export interface DimensionalDynamics { rows: DimensionalChange[]; municipality: DimensionalChange | null }

function change(name: string, previous: number | null, current: number | null, digits: number | null): DimensionalChange {
  const d = previous !== null && current !== null ? roundHalfUp(current - previous, digits ?? 2) : null;
  return { name, previous, current, change: d, direction: d === null ? null : d > 0 ? 'up' : d < 0 ? 'down' : 'same' };
}

/** Null when the measure is not computed in one of the two campaigns. */
export function dimensionalDynamics(current: DimensionalView, previous: DimensionalView, sel: DimensionSelection, measureId: string): DimensionalDynamics | null {
  const now = rankDimensional(current, sel, measureId);
  const then = rankDimensional(previous, sel, measureId);
  if (!now || !then) return null;
  const before = new Map(then.entries.map((e) => [e.name, e.value]));
  const digits = now.measure.round;
  return {
    rows: now.entries.map((e) => change(e.name, before.get(e.name) ?? null, e.value, digits)),
    municipality: now.municipality || then.municipality ? change('Муниципалитет', then.municipality?.value ?? null, now.municipality?.value ?? null, digits) : null,
  };
}
