import { describe, expect, it } from 'vitest';
import { DEFAULT_TIME_ZONE, calendarDateIn, isValidTimeZone } from './timezone.ts';

describe('calendarDateIn', () => {
  it('is the next day in Yekaterinburg (UTC+5) from 19:00 UTC, the same day before', () => {
    expect(calendarDateIn(new Date('2022-05-31T18:59:59Z'), 'Asia/Yekaterinburg')).toBe('2022-05-31');
    expect(calendarDateIn(new Date('2022-05-31T19:00:00Z'), 'Asia/Yekaterinburg')).toBe('2022-06-01');
    expect(calendarDateIn(new Date('2022-05-31T19:00:00Z'), 'UTC')).toBe('2022-05-31');
  });

  it('follows Moscow (UTC+3) and Kamchatka (UTC+12) across a year boundary', () => {
    expect(calendarDateIn(new Date('2022-12-31T20:59:00Z'), 'Europe/Moscow')).toBe('2022-12-31');
    expect(calendarDateIn(new Date('2022-12-31T21:00:00Z'), 'Europe/Moscow')).toBe('2023-01-01');
    expect(calendarDateIn(new Date('2022-12-31T12:00:00Z'), 'Asia/Kamchatka')).toBe('2023-01-01');
  });

  it('handles a leap day', () => {
    expect(calendarDateIn(new Date('2024-02-28T20:00:00Z'), 'Asia/Yekaterinburg')).toBe('2024-02-29');
  });

  it('refuses an unknown zone', () => {
    expect(() => calendarDateIn(new Date('2022-01-01T00:00:00Z'), 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('isValidTimeZone', () => {
  it('knows the Russian zones and the default, rejects nonsense', () => {
    expect(DEFAULT_TIME_ZONE).toBe('Asia/Yekaterinburg');
    for (const z of ['Asia/Yekaterinburg', 'Europe/Moscow', 'Europe/Kaliningrad', 'Asia/Vladivostok', 'UTC']) expect(isValidTimeZone(z)).toBe(true);
    for (const z of ['', 'Mars/Olympus', 'Moscow', 'x'.repeat(100)]) expect(isValidTimeZone(z)).toBe(false);
  });
});
