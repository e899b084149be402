/** Pure calendar core: reporting periods (campaigns, dynamics), road-map deadline rules and their occurrences,
 * iCalendar export. No I/O, no clock: "today" is always a parameter. */
export * from './result.ts';
export * from './dates.ts';
export * from './periods.ts';
export * from './schema.ts';
export * from './recurrence.ts';
export * from './ical.ts';
