/** Where rows of others may lie among the ids an import's chunks got (src/services/imports/import-apply.ts). */

/** Ids a chunk got: `hi - lo + 1 = n` when no other insert took an id in between (always on PGlite). */
export interface IdRange {
  lo: number;
  hi: number;
  n: number;
}

const MAX_ID = Number.MAX_SAFE_INTEGER;

/** Open intervals of ids where rows of others may be, given this job's chunks: the gaps between the chunks after
 * `mark`, and a chunk itself when other inserts interleaved with it (a PostgreSQL server under load). Checking only
 * these keeps the final check from reading the import's own rows back. */
export function othersBetween(mark: number, written: readonly IdRange[]): { lo: number[]; hi: number[] } {
  const lo: number[] = [];
  const hi: number[] = [];
  let from = mark;
  for (const w of [...written].sort((a, b) => a.lo - b.lo)) {
    if (w.lo > from + 1) {
      lo.push(from);
      hi.push(w.lo);
    }
    if (w.hi - w.lo + 1 !== w.n) {
      lo.push(w.lo - 1);
      hi.push(w.hi + 1);
    }
    from = Math.max(from, w.hi);
  }
  lo.push(from);
  hi.push(MAX_ID);
  return { lo, hi };
}
