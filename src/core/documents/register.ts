/** The document register's numbering (issue 18): outgoing numbers per document kind by the department's own pattern,
 * e.g. letters `21/{n}` → «21/455», orders `01-09/{n}` → «01-09/155», protocols `{n}` → «6». `{n}` is the sequence
 * number within the year (numbering restarts each year); `{yyyy}` and `{yy}` put the year in. Pure: the service takes
 * the next sequence number in the issuing transaction (src/services/documents/register.ts). */

export const DOCUMENT_KINDS = ['letter', 'order', 'protocol', 'reference'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const DOCUMENT_KIND_LABELS: Record<DocumentKind, string> = {
  letter: 'Письмо',
  order: 'Приказ',
  protocol: 'Протокол',
  reference: 'Справка',
};

export const DEFAULT_PATTERNS: Record<DocumentKind, string> = {
  letter: '{n}',
  order: '{n}',
  protocol: '{n}',
  reference: '{n}',
};

export const MAX_PATTERN_LENGTH = 40;
const PLACEHOLDER = /\{([^{}]*)\}/g;
const KNOWN = new Set(['n', 'yyyy', 'yy']);

/** Problems of a numbering pattern in Russian; empty when the pattern is usable. */
export function patternProblems(pattern: string): string[] {
  const problems: string[] = [];
  if (!pattern.trim()) return ['Шаблон номера не может быть пустым: укажите, например, «21/{n}»'];
  if (pattern.length > MAX_PATTERN_LENGTH) problems.push(`Шаблон номера не длиннее ${MAX_PATTERN_LENGTH} символов`);
  if (/[\r\n\t]/.test(pattern)) problems.push('Шаблон номера пишется в одну строку');
  let count = 0;
  for (const m of pattern.matchAll(PLACEHOLDER)) {
    const name = m[1] ?? '';
    if (name === 'n') count += 1;
    else if (!KNOWN.has(name)) problems.push(`Неизвестная подстановка «{${name}}» в шаблоне номера: допустимы {n}, {yyyy}, {yy}`);
  }
  const rest = pattern.replace(PLACEHOLDER, '');
  if (/[{}]/.test(rest)) problems.push('В шаблоне номера непарная фигурная скобка');
  if (count === 0) problems.push('В шаблоне номера должен быть порядковый номер {n}');
  if (count > 1) problems.push('Порядковый номер {n} должен встречаться в шаблоне один раз');
  return problems;
}

/** The outgoing number: the pattern with `{n}`, `{yyyy}`, `{yy}` filled. Throws on a pattern with problems. */
export function formatNumber(pattern: string, seq: number, year: number): string {
  const problems = patternProblems(pattern);
  if (problems.length) throw new Error(problems.join('; '));
  if (!Number.isInteger(seq) || seq < 1) throw new Error(`Порядковый номер должен быть целым положительным: ${seq}`);
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new Error(`Год должен быть четырёхзначным: ${year}`);
  const values: Record<string, string> = { n: String(seq), yyyy: String(year), yy: String(year % 100).padStart(2, '0') };
  return pattern.replace(PLACEHOLDER, (_, name: string) => values[name] ?? '');
}

/** The year a document dated `isoDate` (ГГГГ-ММ-ДД) is numbered in. */
export function registerYear(isoDate: string): number {
  const m = /^(\d{4})-\d{2}-\d{2}$/.exec(isoDate);
  if (!m) throw new Error(`Ожидается дата ГГГГ-ММ-ДД: ${isoDate}`);
  return Number(m[1]);
}

/** «20.02.2023» from «2023-02-20», as documents print it. */
export function documentDate(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) throw new Error(`Ожидается дата ГГГГ-ММ-ДД: ${isoDate}`);
  return `${m[3]}.${m[2]}.${m[1]}`;
}
