/** Collection: campaigns, organisation forms, submission workflow (pure). */
export * from './schema.ts';
export * from './workflow.ts';
