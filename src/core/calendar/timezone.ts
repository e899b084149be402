/** The municipality's calendar: which date an instant falls on in a given IANA time zone. Pure — the instant is an
 * argument, nothing here reads the clock. The demo municipality (Ишимбайский район, Башкортостан) lives in
 * Asia/Yekaterinburg (UTC+5), so between 19:00 and 24:00 UTC its "today" is already the next UTC day. */
import type { IsoDate } from './dates.ts';

export const DEFAULT_TIME_ZONE = 'Asia/Yekaterinburg';

/** True when the runtime knows the zone (`Europe/Moscow`, `Asia/Yekaterinburg`, `UTC`…). */
export function isValidTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date (`YYYY-MM-DD`) of `instant` in `zone`. Throws RangeError for an unknown zone. */
export function calendarDateIn(instant: Date, zone: string): IsoDate {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(zone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}
