import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapeText, fnv1a64, foldLine, occurrenceEvents, renderICalendar } from './ical.ts';
import { occurrences, parseDeadline } from './recurrence.ts';

const octets = (s: string): number => new TextEncoder().encode(s).length;
const unfold = (s: string): string => s.replace(/\r\n /g, '');

describe('escaping (RFC 5545 §3.3.11)', () => {
  it('escapes backslash, semicolon, comma and newlines', () => {
    expect(escapeText('Приказ; протокол, справка')).toBe('Приказ\\; протокол\\, справка');
    expect(escapeText('a\\b')).toBe('a\\\\b');
    expect(escapeText('строка 1\nстрока 2\r\nстрока 3')).toBe('строка 1\\nстрока 2\\nстрока 3');
  });
});

describe('folding (RFC 5545 §3.1)', () => {
  it('leaves lines of up to 75 octets alone', () => {
    const line = `SUMMARY:${'x'.repeat(67)}`;
    expect(octets(line)).toBe(75);
    expect(foldLine(line)).toBe(line);
  });

  it('folds ASCII at exactly 75 octets with CRLF + space', () => {
    const line = `DESCRIPTION:${'a'.repeat(100)}`; // 112 octets
    const folded = foldLine(line);
    const parts = folded.split('\r\n');
    expect(parts.map(octets)).toEqual([75, 38]);
    expect(parts[1]!.startsWith(' ')).toBe(true);
    expect(unfold(folded)).toBe(line);
  });

  it('never splits a two-byte Cyrillic letter', () => {
    const line = `SUMMARY:${'ж'.repeat(60)}`; // 8 + 120 octets
    const parts = foldLine(line).split('\r\n');
    expect(parts.map(octets)).toEqual([74, 55]); // 8 + 33×2 = 74 (a 34th letter would make 76); then ' ' + 27×2 = 55
    expect(unfold(parts.join('\r\n'))).toBe(line);
  });

  it('property: every physical line ≤ 75 octets and unfolding restores the line', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
        const line = `SUMMARY:${text.replace(/[\r\n]/g, '')}`;
        const folded = foldLine(line);
        for (const part of folded.split('\r\n')) expect(octets(part)).toBeLessThanOrEqual(75);
        expect(unfold(folded)).toBe(line);
      }),
    );
  });
});

describe('renderICalendar', () => {
  const q = parseDeadline('ежеквартально до 15 числа месяца, следующего за отчетным периодом');
  if (!q.ok) throw new Error(q.error);
  const events = occurrenceEvents('Мониторинг достижений обучающихся; «Наука», «Спорт», «Искусство»', occurrences(q.value, 2022), {
    key: 'talents-2',
  });

  it('renders a VCALENDAR with all-day VEVENTs on the due date, CRLF everywhere', () => {
    const ics = renderICalendar(events, { stamp: '2022-01-10T08:00:00Z', name: 'Дорожная карта: таланты' });
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = unfold(ics).split('\r\n');
    expect(lines.slice(0, 6)).toEqual([
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//msoko//Road maps//RU',
      'CALSCALE:GREGORIAN',
      'METHOD:PUBLISH',
      'X-WR-CALNAME:Дорожная карта: таланты',
    ]);
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(4);
    expect(lines.filter((l) => l.startsWith('DTSTART'))).toEqual([
      'DTSTART;VALUE=DATE:20220415',
      'DTSTART;VALUE=DATE:20220715',
      'DTSTART;VALUE=DATE:20221015',
      'DTSTART;VALUE=DATE:20230115',
    ]);
    expect(lines.filter((l) => l.startsWith('DTEND'))[3]).toBe('DTEND;VALUE=DATE:20230116');
    expect(lines).toContain('DTSTAMP:20220110T080000Z');
    expect(lines).toContain('SUMMARY:Мониторинг достижений обучающихся\\; «Наука»\\, «Спорт»\\, «Искусство» (4 квартал 2022 года)');
    expect(lines).toContain('DESCRIPTION:Период: 01.10.2022 – 15.01.2023');
    expect(lines.at(-2)).toBe('END:VCALENDAR');
    for (const l of ics.split('\r\n')) expect(octets(l)).toBeLessThanOrEqual(75);
  });

  it('UIDs are deterministic and distinct', () => {
    const a = renderICalendar(events, { stamp: '2022-01-10' });
    const b = renderICalendar(events, { stamp: '2022-01-10' });
    expect(a).toBe(b);
    const uids = unfold(a).split('\r\n').filter((l) => l.startsWith('UID:'));
    expect(new Set(uids).size).toBe(4);
    expect(uids.every((u) => /^UID:[0-9a-f]{16}@msoko$/.test(u))).toBe(true);
    // Only the stamp changes with the export date, not the UIDs.
    const c = renderICalendar(events, { stamp: '2022-02-01' });
    expect(unfold(c).split('\r\n').filter((l) => l.startsWith('UID:'))).toEqual(uids);
    expect(a).toContain('DTSTAMP:20220110T000000Z');
  });

  it('DTEND after 31 December is 1 January; a bad stamp is rejected', () => {
    const ics = renderICalendar([{ summary: 'Доклад', due: '2023-12-31' }], { stamp: '2023-01-01' });
    expect(ics).toContain('DTEND;VALUE=DATE:20240101\r\n');
    expect(ics).not.toContain('DESCRIPTION');
    expect(() => renderICalendar([], { stamp: 'вчера' })).toThrow(RangeError);
  });

  it('FNV-1a 64 reference vectors', () => {
    expect(fnv1a64('')).toBe('cbf29ce484222325');
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64('foobar')).toBe('85944171f73967e8');
  });
});
