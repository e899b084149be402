/** Validation rules over submitted values (pure). */
export * from './schema.ts';
export * from './check.ts';
