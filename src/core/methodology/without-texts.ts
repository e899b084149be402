/** A computation's output with the texts `ComputeOptions.explain: false` leaves out emptied (run.ts): `explanation` and
 * `details.substituted` of the results, `explanation` of the totals, aggregates and counted inputs. For a path whose
 * engine writes them anyway (a campaign's dimensional tables read as text, campaign-dimensional.ts), so that its
 * callers get the same shape as from the direct path. In place (the output is the caller's own); returns it. Pure. */
import type { ComputeOutput } from './run.ts';

export function withoutTexts<R>(out: ComputeOutput<R>): ComputeOutput<R> {
  for (const r of out.results) {
    r.explanation = '';
    r.details.substituted = '';
    for (const c of Object.values(r.details.counted ?? {})) c.explanation = '';
  }
  for (const t of out.totals) t.explanation = '';
  for (const a of out.aggregates) a.explanation = '';
  return out;
}
