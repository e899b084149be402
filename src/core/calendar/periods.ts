/** Reporting periods: academic year (1 September – 31 August), calendar year, half-year, quarter, month.
 *
 * Canonical codes: `2021/2022`, `2022`, `2022-H1`, `2022-Q3`, `2022-03`. Russian text is accepted too:
 * «2021/2022 учебный год», «2021–2022 уч. г.», «2022 год», «1 полугодие 2022», «I полугодие 2022 г.»,
 * «3 квартал 2022», «III квартал 2022 года», «март 2022», «Март 2022 года». `previousPeriod` steps back one period
 * of the same kind (2022-Q1 → 2021-Q4); `samePeriodLastYear` is the "compared with last year" of dynamics. */

import { z } from 'zod';
import { endOfMonth, isoDate, monthFromWord, MONTHS_NOMINATIVE, type IsoDate } from './dates.ts';
import { err, ok, type Result } from './result.ts';

const year = z.number().int().min(1900).max(2999);

export const periodSchema = z.discriminatedUnion('kind', [
  /** `year` is the starting calendar year: 2021 means 2021/2022. */
  z.object({ kind: z.literal('academic_year'), year }),
  z.object({ kind: z.literal('year'), year }),
  z.object({ kind: z.literal('half'), year, half: z.union([z.literal(1), z.literal(2)]) }),
  z.object({ kind: z.literal('quarter'), year, quarter: z.number().int().min(1).max(4) }),
  z.object({ kind: z.literal('month'), year, month: z.number().int().min(1).max(12) }),
]);

export type Period = z.infer<typeof periodSchema>;
export type PeriodKind = Period['kind'];

const ROMAN: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4 };
const ORDINAL: Record<string, number> = { первое: 1, первый: 1, второе: 2, второй: 2, третье: 3, третий: 3, четвертый: 4 };

/** 3, «3-й», «III», «третий» → 3; null otherwise. */
export function ordinal(token: string): number | null {
  const t = token.toLowerCase().replace(/ё/g, 'е');
  const d = /^(\d+)(-?[а-я]{1,2})?$/.exec(t);
  if (d) return Number(d[1]);
  return ROMAN[t] ?? ORDINAL[t] ?? null;
}

function validYear(y: number): boolean {
  return Number.isInteger(y) && y >= 1900 && y <= 2999;
}

/** Parses a period from its code or Russian text; an error value names the text it could not read. */
export function parsePeriod(text: string): Result<Period> {
  const bad = err(`Не удалось распознать период «${text.trim()}». Примеры: 2021/2022, 2022, 2022-H1, 1 полугодие 2022, 2022-Q3, 3 квартал 2022, 2022-03, март 2022.`);
  const s = text
    .trim()
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[–—]/g, '-')
    .replace(/\s+/g, ' ')
    .replace(/\s*(учебный год|уч\.? ?г(од)?\.?|года|год|г\.?)$/, '')
    .trim();
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4}) ?[/-] ?(\d{4}|\d{2})$/.exec(s)) && (m[2]!.length === 4 || s.includes('/'))) {
    const a = Number(m[1]);
    const b = m[2]!.length === 4 ? Number(m[2]) : Math.floor(a / 100) * 100 + Number(m[2]);
    if (b !== a + 1 || !validYear(a)) return err(`Учебный год «${text.trim()}» должен состоять из двух соседних лет, например 2021/2022.`);
    return ok({ kind: 'academic_year', year: a });
  }
  if ((m = /^(\d{4})$/.exec(s))) {
    const y = Number(m[1]);
    return validYear(y) ? ok({ kind: 'year', year: y }) : bad;
  }
  if ((m = /^(\d{4})-?h([12])$/.exec(s)) || (m = /^h([12]) (\d{4})$/.exec(s))) {
    const [y, h] = s.startsWith('h') ? [Number(m[2]), Number(m[1])] : [Number(m[1]), Number(m[2])];
    return validYear(y) ? ok({ kind: 'half', year: y, half: h as 1 | 2 }) : bad;
  }
  if ((m = /^(\d{4})-?q([1-4])$/.exec(s)) || (m = /^q([1-4]) (\d{4})$/.exec(s))) {
    const [y, q] = s.startsWith('q') ? [Number(m[2]), Number(m[1])] : [Number(m[1]), Number(m[2])];
    return validYear(y) ? ok({ kind: 'quarter', year: y, quarter: q }) : bad;
  }
  if ((m = /^(\S+) (полугодие|квартал) (\d{4})$/.exec(s))) {
    const n = ordinal(m[1]!);
    const y = Number(m[3]);
    if (!validYear(y) || n === null) return bad;
    if (m[2] === 'полугодие' && (n === 1 || n === 2)) return ok({ kind: 'half', year: y, half: n });
    if (m[2] === 'квартал' && n >= 1 && n <= 4) return ok({ kind: 'quarter', year: y, quarter: n });
    return bad;
  }
  if ((m = /^(\d{4})-(\d{2})$/.exec(s))) {
    const [y, mo] = [Number(m[1]), Number(m[2])];
    return validYear(y) && mo >= 1 && mo <= 12 ? ok({ kind: 'month', year: y, month: mo }) : bad;
  }
  if ((m = /^([а-я.]+) (\d{4})$/.exec(s))) {
    const mo = monthFromWord(m[1]!);
    const y = Number(m[2]);
    return mo !== null && validYear(y) ? ok({ kind: 'month', year: y, month: mo }) : bad;
  }
  return bad;
}

/** Canonical code: `2021/2022`, `2022`, `2022-H1`, `2022-Q3`, `2022-03`. `parsePeriod(periodCode(p))` gives p back. */
export function periodCode(p: Period): string {
  switch (p.kind) {
    case 'academic_year':
      return `${p.year}/${p.year + 1}`;
    case 'year':
      return String(p.year);
    case 'half':
      return `${p.year}-H${p.half}`;
    case 'quarter':
      return `${p.year}-Q${p.quarter}`;
    case 'month':
      return `${p.year}-${String(p.month).padStart(2, '0')}`;
  }
}

/** First and last day (inclusive) of the period. */
export function periodRange(p: Period): { start: IsoDate; end: IsoDate } {
  switch (p.kind) {
    case 'academic_year':
      return { start: isoDate(p.year, 9, 1), end: isoDate(p.year + 1, 8, 31) };
    case 'year':
      return { start: isoDate(p.year, 1, 1), end: isoDate(p.year, 12, 31) };
    case 'half':
      return { start: isoDate(p.year, p.half === 1 ? 1 : 7, 1), end: endOfMonth(p.year, p.half === 1 ? 6 : 12) };
    case 'quarter':
      return { start: isoDate(p.year, 3 * p.quarter - 2, 1), end: endOfMonth(p.year, 3 * p.quarter) };
    case 'month':
      return { start: isoDate(p.year, p.month, 1), end: endOfMonth(p.year, p.month) };
  }
}

export function periodStart(p: Period): IsoDate {
  return periodRange(p).start;
}

export function periodEnd(p: Period): IsoDate {
  return periodRange(p).end;
}

/** True when the ISO date lies inside the period (inclusive). */
export function periodContains(p: Period, date: IsoDate): boolean {
  const { start, end } = periodRange(p);
  return start <= date && date <= end;
}

/** Russian label: «2021/2022 учебный год», «2022 год», «1 полугодие 2022 года», «3 квартал 2022 года», «март 2022 года». */
export function periodLabel(p: Period): string {
  switch (p.kind) {
    case 'academic_year':
      return `${p.year}/${p.year + 1} учебный год`;
    case 'year':
      return `${p.year} год`;
    case 'half':
      return `${p.half} полугодие ${p.year} года`;
    case 'quarter':
      return `${p.quarter} квартал ${p.year} года`;
    case 'month':
      return `${MONTHS_NOMINATIVE[p.month - 1]} ${p.year} года`;
  }
}

/** The period just before, of the same kind: 2022-Q1 → 2021-Q4, 2022-01 → 2021-12, 2022-H1 → 2021-H2. */
export function previousPeriod(p: Period): Period {
  switch (p.kind) {
    case 'academic_year':
    case 'year':
      return { ...p, year: p.year - 1 };
    case 'half':
      return p.half === 2 ? { ...p, half: 1 } : { ...p, year: p.year - 1, half: 2 };
    case 'quarter':
      return p.quarter > 1 ? { ...p, quarter: p.quarter - 1 } : { ...p, year: p.year - 1, quarter: 4 };
    case 'month':
      return p.month > 1 ? { ...p, month: p.month - 1 } : { ...p, year: p.year - 1, month: 12 };
  }
}

/** The period just after, of the same kind. */
export function nextPeriod(p: Period): Period {
  switch (p.kind) {
    case 'academic_year':
    case 'year':
      return { ...p, year: p.year + 1 };
    case 'half':
      return p.half === 1 ? { ...p, half: 2 } : { ...p, year: p.year + 1, half: 1 };
    case 'quarter':
      return p.quarter < 4 ? { ...p, quarter: p.quarter + 1 } : { ...p, year: p.year + 1, quarter: 1 };
    case 'month':
      return p.month < 12 ? { ...p, month: p.month + 1 } : { ...p, year: p.year + 1, month: 1 };
  }
}

/** The same period a year earlier (dynamics "compared with last year"): 2022-Q3 → 2021-Q3. */
export function samePeriodLastYear(p: Period): Period {
  return { ...p, year: p.year - 1 };
}

/** The period of the given kind that contains a date (e.g. the academic year of 2022-10-01 is 2022/2023). */
export function periodOf(kind: PeriodKind, date: IsoDate): Period {
  const y = Number(date.slice(0, 4));
  const mo = Number(date.slice(5, 7));
  switch (kind) {
    case 'academic_year':
      return { kind, year: mo >= 9 ? y : y - 1 };
    case 'year':
      return { kind, year: y };
    case 'half':
      return { kind, year: y, half: mo <= 6 ? 1 : 2 };
    case 'quarter':
      return { kind, year: y, quarter: Math.ceil(mo / 3) };
    case 'month':
      return { kind, year: y, month: mo };
  }
}
