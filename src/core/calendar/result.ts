/** The error-value convention of the pure core (one definition, shared with src/core/stats so both barrels can be
 * re-exported together without a name clash). */
export * from '../stats/result.ts';
