/** Calendar-date arithmetic on ISO `YYYY-MM-DD` strings. Dates are civil dates with no time zone: the UTC
 * functions of Date are used only as a day counter, never the clock. */

/** ISO calendar date `YYYY-MM-DD`. */
export type IsoDate = string;

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in month (1-based month). */
export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? NaN;
}

/** `isoDate(2023, 1, 15)` → `2023-01-15`. Months outside 1..12 roll over into neighbouring years. */
export function isoDate(year: number, month: number, day: number): IsoDate {
  const y = year + Math.floor((month - 1) / 12);
  const m = ((((month - 1) % 12) + 12) % 12) + 1;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Last day of a month; months outside 1..12 roll over like `isoDate`. */
export function endOfMonth(year: number, month: number): IsoDate {
  const y = year + Math.floor((month - 1) / 12);
  const m = ((((month - 1) % 12) + 12) % 12) + 1;
  return isoDate(y, m, daysInMonth(y, m));
}

/** Parses and validates an ISO date; null when malformed or impossible (2023-02-29). */
export function parseIsoDate(text: string): { year: number; month: number; day: number } | null {
  const m = ISO.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

export function isIsoDate(text: string): boolean {
  return parseIsoDate(text) !== null;
}

function dayNumber(d: IsoDate): number {
  const p = parseIsoDate(d);
  if (!p) throw new RangeError(`Not an ISO date: ${d}`);
  return Date.UTC(p.year, p.month - 1, p.day) / 86_400_000;
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round(dayNumber(b) - dayNumber(a));
}

/** `addDays('2022-12-31', 1)` → `2023-01-01`. */
export function addDays(d: IsoDate, days: number): IsoDate {
  const t = new Date((dayNumber(d) + days) * 86_400_000);
  return isoDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

export function yearOf(d: IsoDate): number {
  return Number(d.slice(0, 4));
}

/** Russian month names: nominative (`январь`) and genitive (`января`, for «15 января»). */
export const MONTHS_NOMINATIVE = [
  'январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь',
] as const;
export const MONTHS_GENITIVE = [
  'января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря',
] as const;

/** Month number (1..12) from a Russian month word in any common case or abbreviation («март», «марта», «мар.»,
 * «сентябре», «сент»); null when not a month. */
export function monthFromWord(word: string): number | null {
  const w = word.toLowerCase().replace(/ё/g, 'е').replace(/\.$/, '');
  const stems = ['янв', 'фев', 'мар', 'апр', 'ма', 'июн', 'июл', 'авг', 'сен', 'окт', 'ноя', 'дек'];
  // «май / мая / мае» has the short stem «ма»: only accept exactly those forms.
  if (/^ма[йяе]$/.test(w)) return 5;
  for (let i = 0; i < stems.length; i++) {
    const stem = stems[i]!;
    if (i === 4) continue;
    if (w.startsWith(stem) && w.length <= MONTHS_NOMINATIVE[i]!.length + 2) return i + 1;
  }
  return null;
}
