/** iCalendar (RFC 5545) export of road-map occurrences: pure string building.
 *
 * - All-day VEVENTs on the due date: DTSTART;VALUE=DATE = due, DTEND;VALUE=DATE = due + 1 day (exclusive end).
 * - UID is deterministic: an FNV-1a hash of the event's key (or summary), start and due, so re-exports update the
 *   same events in the user's calendar instead of duplicating them.
 * - DTSTAMP (required by RFC 5545) comes from the caller (`stamp`), never from the clock.
 * - TEXT values escape backslash, semicolon, comma and newlines (§3.3.11); content lines end with CRLF and are
 *   folded at 75 octets of UTF-8 with CRLF + one space, never splitting a multi-byte character (§3.1). */

import { addDays, isIsoDate, type IsoDate } from './dates.ts';
import type { Occurrence } from './recurrence.ts';
import { formatDate } from '../format.ts';

export interface CalendarEvent {
  summary: string;
  /** Deadline (the all-day event's date). */
  due: IsoDate;
  /** First day of the period or window; written into the description when different from `due`. */
  start?: IsoDate;
  description?: string;
  /** Stable identity for the UID (e.g. road-map event id); defaults to the summary. */
  key?: string;
}

export interface ICalendarOptions {
  /** DTSTAMP: an ISO date (`2023-02-15`) or UTC date-time (`2023-02-15T09:30:00Z`). */
  stamp: string;
  /** X-WR-CALNAME shown by calendar apps. */
  name?: string;
  /** Right-hand side of UIDs. Default `msoko`. */
  uidDomain?: string;
}

const CRLF = '\r\n';
const encoder = new TextEncoder();

/** Escapes a TEXT value: `\` → `\\`, `;` → `\;`, `,` → `\,`, newline → `\n`. */
export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

/** Folds one content line into pieces of at most 75 octets; continuation pieces start with a space (which counts). */
export function foldLine(line: string): string {
  if (encoder.encode(line).length <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = encoder.encode(ch).length;
    const limit = parts.length === 0 ? 75 : 74; // continuation lines carry the leading space
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join(`${CRLF} `);
}

/** 64-bit FNV-1a of the UTF-8 bytes, as 16 hex digits. */
export function fnv1a64(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (const b of encoder.encode(text)) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

function basicDate(d: IsoDate): string {
  return d.replace(/-/g, '');
}

function stampValue(stamp: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?Z)?$/.exec(stamp);
  if (!m || !isIsoDate(`${m[1]}-${m[2]}-${m[3]}`)) throw new RangeError(`ical: stamp must be an ISO date or UTC date-time, got ${stamp}`);
  return `${m[1]}${m[2]}${m[3]}T${m[4] ?? '00'}${m[5] ?? '00'}${m[6] ?? '00'}Z`;
}

/** Renders a VCALENDAR with one all-day VEVENT per event (in the given order). */
export function renderICalendar(events: readonly CalendarEvent[], options: ICalendarOptions): string {
  const dtstamp = stampValue(options.stamp);
  const domain = options.uidDomain ?? 'msoko';
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//msoko//Road maps//RU', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH'];
  if (options.name) lines.push(`X-WR-CALNAME:${escapeText(options.name)}`);
  for (const e of events) {
    if (!isIsoDate(e.due) || (e.start !== undefined && !isIsoDate(e.start))) throw new RangeError(`ical: bad date in event «${e.summary}»`);
    const uid = `${fnv1a64(`${e.key ?? e.summary}\u0000${e.start ?? ''}\u0000${e.due}`)}@${domain}`;
    const period = e.start && e.start !== e.due ? `Период: ${formatDate(e.start)} – ${formatDate(e.due)}` : '';
    const description = [e.description ?? '', period].filter(Boolean).join('\n');
    lines.push(
      'BEGIN:VEVENT',
      `UID:${uid}`,
      `DTSTAMP:${dtstamp}`,
      `DTSTART;VALUE=DATE:${basicDate(e.due)}`,
      `DTEND;VALUE=DATE:${basicDate(addDays(e.due, 1))}`,
      `SUMMARY:${escapeText(e.summary)}`,
    );
    if (description) lines.push(`DESCRIPTION:${escapeText(description)}`);
    lines.push('TRANSP:TRANSPARENT', 'END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join(CRLF) + CRLF;
}

/** Turns a road-map event's occurrences into calendar events: summary «<title> (<occurrence label>)». */
export function occurrenceEvents(
  title: string,
  occurrences: readonly Occurrence[],
  extra: { description?: string; key?: string } = {},
): CalendarEvent[] {
  return occurrences.map((o) => ({
    summary: `${title} (${o.label})`,
    due: o.due,
    start: o.start,
    ...(extra.description !== undefined ? { description: extra.description } : {}),
    ...(extra.key !== undefined ? { key: extra.key } : {}),
  }));
}
