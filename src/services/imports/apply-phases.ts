/** Where an import job's time goes, per phase, summed in this process since the last `resetApplyPhases` (the benches
 * print it next to their rows/s; nothing else reads it): milliseconds of wall-clock time, and of this process's CPU
 * time in `applyPhasesCpu` (PGlite runs in the process, so on a machine shared with other work the CPU time is the
 * steadier measure). */
export const applyPhases: Record<string, number> = {};
export const applyPhasesCpu: Record<string, number> = {};

let lastCpu = process.cpuUsage();

/** Starts a run of phases (the start of applying, the job): returns the time now; the next `notePhase` counts CPU
 * time from here. */
export function phaseStart(): number {
  lastCpu = process.cpuUsage();
  return performance.now();
}

/** Adds the time since `since` (a `performance.now()` reading) to `phase` and returns the time now; the CPU time is
 * counted since the previous `notePhase` or `phaseStart` call (phases are noted one after another). */
export function notePhase(phase: string, since: number): number {
  const now = performance.now();
  const cpu = process.cpuUsage();
  applyPhases[phase] = (applyPhases[phase] ?? 0) + (now - since);
  applyPhasesCpu[phase] = (applyPhasesCpu[phase] ?? 0) + (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000;
  lastCpu = cpu;
  return now;
}

export function resetApplyPhases(): void {
  for (const k of Object.keys(applyPhases)) delete applyPhases[k];
  for (const k of Object.keys(applyPhasesCpu)) delete applyPhasesCpu[k];
}
