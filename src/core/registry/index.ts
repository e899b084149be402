export * from './schema.ts';
export * from './errors-ru.ts';
