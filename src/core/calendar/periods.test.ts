import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDays, daysBetween, endOfMonth, isLeapYear, monthFromWord, parseIsoDate } from './dates.ts';
import {
  nextPeriod,
  parsePeriod,
  periodCode,
  periodContains,
  periodLabel,
  periodOf,
  periodRange,
  periodSchema,
  previousPeriod,
  samePeriodLastYear,
  type Period,
} from './periods.ts';

const parsed = (text: string): Period => {
  const r = parsePeriod(text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

describe('dates', () => {
  it('leap years and month ends', () => {
    expect([1900, 2000, 2023, 2024].map(isLeapYear)).toEqual([false, true, false, true]);
    expect(endOfMonth(2024, 2)).toBe('2024-02-29');
    expect(endOfMonth(2023, 2)).toBe('2023-02-28');
    expect(endOfMonth(2022, 13)).toBe('2023-01-31');
    expect(parseIsoDate('2023-02-29')).toBeNull();
    expect(addDays('2022-12-31', 1)).toBe('2023-01-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(daysBetween('2023-01-01', '2024-01-01')).toBe(365);
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
  });

  it('reads Russian month words in any case', () => {
    expect(['Март', 'марта', 'мае', 'май', 'сентября', 'сент.', 'июнь', 'июля', 'мама'].map(monthFromWord)).toEqual([
      3, 3, 5, 5, 9, 9, 6, 7, null,
    ]);
  });
});

describe('periods', () => {
  it('parses codes and Russian text', () => {
    expect(parsed('2021/2022')).toEqual({ kind: 'academic_year', year: 2021 });
    expect(parsed('2021/22')).toEqual({ kind: 'academic_year', year: 2021 });
    expect(parsed('2021–2022 учебный год')).toEqual({ kind: 'academic_year', year: 2021 });
    expect(parsed('2022')).toEqual({ kind: 'year', year: 2022 });
    expect(parsed('2022 год')).toEqual({ kind: 'year', year: 2022 });
    expect(parsed('2022-H1')).toEqual({ kind: 'half', year: 2022, half: 1 });
    expect(parsed('1 полугодие 2022')).toEqual({ kind: 'half', year: 2022, half: 1 });
    expect(parsed('II полугодие 2022 г.')).toEqual({ kind: 'half', year: 2022, half: 2 });
    expect(parsed('2022-Q3')).toEqual({ kind: 'quarter', year: 2022, quarter: 3 });
    expect(parsed('3 квартал 2022')).toEqual({ kind: 'quarter', year: 2022, quarter: 3 });
    expect(parsed('III квартал 2022 года')).toEqual({ kind: 'quarter', year: 2022, quarter: 3 });
    expect(parsed('4-й квартал 2022')).toEqual({ kind: 'quarter', year: 2022, quarter: 4 });
    expect(parsed('2022-03')).toEqual({ kind: 'month', year: 2022, month: 3 });
    expect(parsed('март 2022')).toEqual({ kind: 'month', year: 2022, month: 3 });
    expect(parsed('Март 2022 года')).toEqual({ kind: 'month', year: 2022, month: 3 });
  });

  it('rejects what is not a period, naming the text', () => {
    expect(parsePeriod('2021/2023')).toEqual({
      ok: false,
      error: 'Учебный год «2021/2023» должен состоять из двух соседних лет, например 2021/2022.',
    });
    for (const bad of ['2022-13', '5 квартал 2022', '3 полугодие 2022', 'весна 2022', '', '2022-Q5']) {
      const r = parsePeriod(bad);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toContain(`«${bad}»`);
    }
  });

  it('start and end dates, including leap February and the academic year', () => {
    expect(periodRange(parsed('2021/2022'))).toEqual({ start: '2021-09-01', end: '2022-08-31' });
    expect(periodRange(parsed('2022'))).toEqual({ start: '2022-01-01', end: '2022-12-31' });
    expect(periodRange(parsed('2022-H2'))).toEqual({ start: '2022-07-01', end: '2022-12-31' });
    expect(periodRange(parsed('2022-Q1'))).toEqual({ start: '2022-01-01', end: '2022-03-31' });
    expect(periodRange(parsed('2024-02'))).toEqual({ start: '2024-02-01', end: '2024-02-29' });
    expect(periodRange(parsed('2023-02'))).toEqual({ start: '2023-02-01', end: '2023-02-28' });
    expect(periodContains(parsed('2021/2022'), '2022-08-31')).toBe(true);
    expect(periodContains(parsed('2021/2022'), '2022-09-01')).toBe(false);
  });

  it('Russian labels', () => {
    expect(['2021/2022', '2022', '2022-H1', '2022-Q3', '2022-03'].map((t) => periodLabel(parsed(t)))).toEqual([
      '2021/2022 учебный год',
      '2022 год',
      '1 полугодие 2022 года',
      '3 квартал 2022 года',
      'март 2022 года',
    ]);
  });

  it('previous, next and same period last year across year boundaries', () => {
    expect(periodCode(previousPeriod(parsed('2022-Q1')))).toBe('2021-Q4');
    expect(periodCode(previousPeriod(parsed('2022-01')))).toBe('2021-12');
    expect(periodCode(previousPeriod(parsed('2022-H1')))).toBe('2021-H2');
    expect(periodCode(previousPeriod(parsed('2022/2023')))).toBe('2021/2022');
    expect(periodCode(nextPeriod(parsed('2022-Q4')))).toBe('2023-Q1');
    expect(periodCode(samePeriodLastYear(parsed('2022-Q3')))).toBe('2021-Q3');
    expect(periodOf('academic_year', '2022-10-01')).toEqual({ kind: 'academic_year', year: 2022 });
    expect(periodOf('academic_year', '2022-08-31')).toEqual({ kind: 'academic_year', year: 2021 });
  });

  it('property: code round-trips, previous∘next = id, the previous period ends the day before', () => {
    const period = fc.oneof(
      fc.record({ kind: fc.constant('academic_year' as const), year: fc.integer({ min: 1950, max: 2100 }) }),
      fc.record({ kind: fc.constant('year' as const), year: fc.integer({ min: 1950, max: 2100 }) }),
      fc.record({ kind: fc.constant('half' as const), year: fc.integer({ min: 1950, max: 2100 }), half: fc.constantFrom(1 as const, 2 as const) }),
      fc.record({ kind: fc.constant('quarter' as const), year: fc.integer({ min: 1950, max: 2100 }), quarter: fc.integer({ min: 1, max: 4 }) }),
      fc.record({ kind: fc.constant('month' as const), year: fc.integer({ min: 1950, max: 2100 }), month: fc.integer({ min: 1, max: 12 }) }),
    );
    fc.assert(
      fc.property(period, (p) => {
        expect(periodSchema.parse(p)).toEqual(p);
        expect(parsed(periodCode(p))).toEqual(p);
        expect(parsed(periodLabel(p))).toEqual(p);
        expect(nextPeriod(previousPeriod(p))).toEqual(p);
        expect(addDays(periodRange(previousPeriod(p)).end, 1)).toBe(periodRange(p).start);
      }),
    );
  });
});
