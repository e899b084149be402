/** What the computation of a campaign's per-dimension tables gives (campaign-dimensional.ts), and what the analysis keeps
 * of it between requests (kept-outcomes.ts). */
import type { ComputeOutput } from '../../core/methodology/index.ts';

export interface DimensionalOutcome {
  /** One output for all the dimensional datasets that have data (their rows joined on organisation × dimensions), as
   * `msoko compute` gives for the same tables; null when no organisation on the basis has such values. */
  output: ComputeOutput | null;
  /** The datasets that had rows. */
  datasets: string[];
  warnings: string[];
}
