/** Where an import job's time goes, per phase, summed in this process since the last `resetApplyPhases` (the benches
 * print it next to their rows/s; nothing else reads it). Milliseconds of wall-clock time. */
export const applyPhases: Record<string, number> = {};

/** Adds the time since `since` (a `performance.now()` reading) to `phase` and returns the time now. */
export function notePhase(phase: string, since: number): number {
  const now = performance.now();
  applyPhases[phase] = (applyPhases[phase] ?? 0) + (now - since);
  return now;
}

export function resetApplyPhases(): void {
  for (const k of Object.keys(applyPhases)) delete applyPhases[k];
}
