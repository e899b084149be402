/** Pure core of the management cycle (issue 7): road-map templates, the road-map view of a year, cycle completeness. */
export * from './roadmap-schema.ts';
export * from './roadmap.ts';
export * from './completeness.ts';
export * from './api-schema.ts';
export * from './recommendation-rule-schema.ts';
export * from './recommendation-rules.ts';
export * from './effect.ts';
export * from './evidence-type.ts';
export * from './roadmap-edit-schema.ts';
