/** Analysis of a monitoring run for reports (issue 6). Pure. */
export * from './model.ts';
export * from './conclusions.ts';
export * from './campaign.ts';
export * from './dimensional.ts';
export * from './dimensional-dynamics.ts';
export * from './dimensional-compact.ts';
