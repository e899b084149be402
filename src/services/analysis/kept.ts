/** What the analysis keeps between requests under a stamp of what it was computed from (work-views.ts, kept-outcomes.ts):
 * values by key, least recently used first out, within a budget of a size the caller measures (cells of a view, results
 * of an outcome); a value over the budget is not kept. A kept value is frozen by the caller's `freeze`, so a caller that
 * changed one would throw instead of changing the answer of the next request. A value is given only for the same key
 * and the same stamp; a new stamp replaces the old value. */
export class KeptByStamp<T> {
  /** By key, in the order of use (a Map iterates in insertion order: a hit is moved to the end). */
  private readonly kept = new Map<string, { stamp: string; value: T; size: number }>();
  private used = 0;
  hits = 0;
  misses = 0;
  constructor(
    private readonly budget: number,
    private readonly sizeOf: (value: T) => number,
    private readonly freeze: (value: T) => T,
  ) {}

  get(key: string, stamp: string): T | null {
    const k = this.kept.get(key);
    if (!k || k.stamp !== stamp) {
      this.misses++;
      return null;
    }
    this.kept.delete(key);
    this.kept.set(key, k);
    this.hits++;
    return k.value;
  }

  put(key: string, stamp: string, value: T): T {
    const old = this.kept.get(key);
    if (old) {
      this.kept.delete(key);
      this.used -= old.size;
    }
    const size = this.sizeOf(value);
    if (size > this.budget) return value;
    for (const [k, v] of this.kept) {
      if (this.used + size <= this.budget) break;
      this.kept.delete(k);
      this.used -= v.size;
    }
    this.kept.set(key, { stamp, value: this.freeze(value), size });
    this.used += size;
    return value;
  }

  /** How many values are kept and their size. */
  get usage(): { values: number; size: number } {
    return { values: this.kept.size, size: this.used };
  }

  clear(): void {
    this.kept.clear();
    this.used = 0;
  }
}

/** One store per database handle (tests run two engines in one process): `of` gives it, made with the default budget on
 * first use; `keep` starts it afresh with another budget (the server's setting). */
export function perDatabase<S>(make: (budget: number) => S, budget: number): { of: (db: object) => S; keep: (db: object, budget: number) => S } {
  const byDatabase = new WeakMap<object, S>();
  const keep = (db: object, b: number): S => {
    const store = make(b);
    byDatabase.set(db, store);
    return store;
  };
  return { of: (db) => byDatabase.get(db) ?? keep(db, budget), keep };
}
