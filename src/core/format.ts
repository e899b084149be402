/** Russian presentation of numbers and dates: `78,9 %`, `5,6`, `30.06.2022`, thousands with a narrow space.
 * Pure functions; every document, page and CLI table formats through here. */

const NARROW_NBSP = '\u202F';

/** Rounds half away from zero (the "half-up" of school arithmetic: 2,25 → 2,3; −2,25 → −2,3) to `digits` decimals.
 * Works on the decimal representation so 1.005 rounds to 1.01, not 1.00. */
export function roundHalfUp(value: number, digits: number): number {
  if (!Number.isFinite(value)) return value;
  const sign = value < 0 ? -1 : 1;
  const abs = Math.abs(value);
  // Fast path: when the scaled value is far from a tie, plain arithmetic rounds the same way (r / 10^d is the nearest
  // double to the decimal, exactly as parsing it would be). Near ties and large values take the decimal path below.
  if (digits >= 0 && digits <= 15 && Number.isInteger(digits)) {
    const p = 10 ** digits;
    const scaled = abs * p;
    if (scaled < 1e9) {
      const floor = Math.floor(scaled);
      const frac = scaled - floor;
      if (Math.abs(frac - 0.5) > 1e-6) return sign * ((frac > 0.5 ? floor + 1 : floor) / p);
    }
  }
  const shifted = shiftDecimal(abs, digits);
  const rounded = Math.round(shifted + Number.EPSILON * shifted);
  return sign * shiftDecimal(rounded, -digits);
}

/** x × 10^n through the decimal text, also when x prints in exponent form (3e-323, 1e+21). */
function shiftDecimal(x: number, n: number): number {
  const text = String(x);
  const e = text.indexOf('e');
  return e < 0 ? Number(`${text}e${n}`) : Number(`${text.slice(0, e)}e${Number(text.slice(e + 1)) + n}`);
}

/** `1234567.891, 1` → `1 234 567,9` (narrow no-break spaces between thousands). `digits` undefined keeps the value's
 * own decimals (up to 6). Every integer part of four digits or more is grouped (`4 215` beside `10 377`, issue 24):
 * a column of counts reads alike. Years and codes are not numbers to format; do not pass them here. */
export function formatNumber(value: number, digits?: number): string {
  if (!Number.isFinite(value)) return '—';
  // An integer prints as itself: the rounding and toFixed below are exact for it (the text is the same), and counts —
  // tens of thousands per recompute of a campaign with a record list — are mostly integers.
  if (digits === undefined && Number.isInteger(value) && value > -1e9 && value < 1e9) {
    const digitsText = String(Math.abs(value));
    const grouped = digitsText.length >= 4 ? digitsText.replace(/\B(?=(\d{3})+(?!\d))/g, NARROW_NBSP) : digitsText;
    return value < 0 ? `−${grouped}` : grouped;
  }
  const fixed = digits === undefined ? trimZeros(roundHalfUp(value, 6).toFixed(6)) : roundHalfUp(value, digits).toFixed(digits);
  const negative = fixed.charCodeAt(0) === 45; // '-'
  const body = negative ? fixed.slice(1) : fixed;
  const dot = body.indexOf('.');
  const intPart = dot < 0 ? body : body.slice(0, dot);
  const frac = dot < 0 ? '' : body.slice(dot + 1);
  const grouped = intPart.length >= 4 ? intPart.replace(/\B(?=(\d{3})+(?!\d))/g, NARROW_NBSP) : intPart;
  const sign = negative && Number(body) !== 0 ? '−' : '';
  return `${sign}${grouped}${frac ? `,${frac}` : ''}`;
}

/** `78.94, 1` → `78,9 %` (with a no-break space before the sign, as ГОСТ 8.417 writes it). */
export function formatPercent(value: number, digits = 1): string {
  return `${formatNumber(value, digits)}\u00A0%`;
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** `2022-06-30` or a Date → `30.06.2022`. Dates are calendar dates; no time zone arithmetic is done. */
export function formatDate(value: string | Date): string {
  const iso = typeof value === 'string' ? value : value.toISOString();
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return String(value);
  return `${m[3]}.${m[2]}.${m[1]}`;
}

/** `30.06.2022` → `2022-06-30`, or null when the text is not a valid date. */
export function parseRussianDate(text: string): string | null {
  const m = /^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$/.exec(text);
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Russian plural: `plural(3, ['балл', 'балла', 'баллов'])` → `балла`. */
/** A yes/no indicator's value as printed: 1 → «да», 0 → «нет»; null for any other value (a mean, no data). */
export function formatYesNo(value: number | null | undefined): 'да' | 'нет' | null {
  return value === 1 ? 'да' : value === 0 ? 'нет' : null;
}

export function plural(n: number, forms: readonly [string, string, string]): string {
  if (!Number.isInteger(n)) return forms[1];
  const abs = Math.abs(n) % 100;
  const last = abs % 10;
  if (abs > 10 && abs < 20) return forms[2];
  if (last > 1 && last < 5) return forms[1];
  if (last === 1) return forms[0];
  return forms[2];
}

/** Phrases joined into sentences with «. »; a phrase that already ends with a full stop (an abbreviated unit such as
 * «чел.») gets only the space: `['Единица: чел.', 'Допустимо: от 0']` → `Единица: чел. Допустимо: от 0`. */
export function joinSentences(parts: ReadonlyArray<string | null | undefined | false>): string {
  let out = '';
  for (const raw of parts) {
    const part = raw ? raw.trim() : '';
    if (!part) continue;
    out = out ? `${out}${/[.!?…]$/.test(out) ? ' ' : '. '}${part}` : part;
  }
  return out;
}
