/** The methodology engine (pure core). See docs/methodology.md. */
export * from './schema.ts';
export * from './expression.ts';
export * from './scale.ts';
export * from './survey.ts';
export * from './explain.ts';
export * from './evaluate.ts';
export * from './aggregate.ts';
export * from './consistency.ts';
export * from './records.ts';
export * from './lint.ts';
export * from './run.ts';
export * from './record-dataset.ts';
export * from './combine.ts';
