/** Notifications and reminders (pure): who is reminded of what on which day, and the Russian texts. */
export * from './reminders.ts';
export * from './texts.ts';
export * from './schema.ts';
