/** Pure statistics for monitoring analysis (issue 6). No I/O; error values carry Russian messages. */
export * from './result.ts';
export * from './descriptive.ts';
export * from './ranking.ts';
export * from './tdist.ts';
export * from './correlation.ts';
export * from './cluster.ts';
export * from './distribution.ts';
