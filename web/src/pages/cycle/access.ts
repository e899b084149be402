/** Who may do what in the management-cycle pages (mirrors src/http/policy.ts; the server decides). */
import type { Role } from '../../types.ts';

export const canEditCycle = (r: Role): boolean => r === 'admin' || r === 'analyst';
export const canViewCompleteness = (r: Role): boolean => r === 'admin' || r === 'analyst' || r === 'working_group';
export const canViewDecisions = canViewCompleteness;

/** Today as ISO date in the browser's calendar (for defaults in forms only; statuses come from the server). */
export function localToday(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
