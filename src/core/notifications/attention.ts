/** «Что требует внимания» (issue 24): the start page of each role as sections of items, each item a link to the page
 * where it is acted on. The schema is the API's contract and the web page's type; the helpers decide, from stored
 * facts and today's date, what is overdue, what falls due this month and how a count reads. Pure: no I/O, no clock. */
import { z } from 'zod';
import { endOfMonth } from '../calendar/dates.ts';
import { formatDate, formatNumber, plural } from '../format.ts';

export const ATTENTION_TONES = ['overdue', 'warning', 'info', 'ok'] as const;
export type AttentionTone = (typeof ATTENTION_TONES)[number];

export const attentionItemSchema = z.object({
  /** What it is, one line (a campaign's title, an organisation's name, a recommendation's text). */
  title: z.string(),
  /** The facts beside it: progress, due date, status, the reason of a return. */
  detail: z.string(),
  /** Where it is acted on: a page of the app (`/campaigns/…`) or a download (`/api/…`). */
  href: z.string(),
  tone: z.enum(ATTENTION_TONES),
});
export type AttentionItem = z.infer<typeof attentionItemSchema>;

export const attentionSectionSchema = z.object({
  id: z.string(),
  title: z.string(),
  /** What an empty section says (nothing to do is also an answer). */
  empty: z.string(),
  items: z.array(attentionItemSchema),
  /** Where the whole list lives, when the section shows only part of it. */
  more: z.object({ href: z.string(), label: z.string() }).nullable(),
});
export type AttentionSection = z.infer<typeof attentionSectionSchema>;

export const attentionSchema = z.object({
  role: z.enum(['admin', 'analyst', 'working_group', 'org_rep']),
  today: z.string(),
  sections: z.array(attentionSectionSchema),
});
export type Attention = z.infer<typeof attentionSchema>;

/** Items shown per section; the rest is behind the section's «more» link. */
export const ATTENTION_LIMIT = 10;

/** `2026-12-06` → `2026-12-31`. */
export function monthEnd(today: string): string {
  return endOfMonth(Number(today.slice(0, 4)), Number(today.slice(5, 7)));
}

/** A due date against today: overdue (before today), due this month (today … the month's end), or later. */
export function dueState(due: string, today: string): 'overdue' | 'this_month' | 'later' {
  if (due < today) return 'overdue';
  return due <= monthEnd(today) ? 'this_month' : 'later';
}

/** «срок 30.06.2022, просрочено» / «срок 31.12.2026» — the due date and, when passed, that it is. */
export function dueText(due: string, today: string): string {
  return `срок ${formatDate(due)}${due < today ? ', просрочено' : ''}`;
}

/** Whole days elapsed between two instants (ISO timestamps), rounded down: the age of a backup. For calendar dates
 * use `daysBetween` of src/core/calendar/dates.ts. */
export function elapsedDays(from: string, to: string): number {
  return Math.floor((Date.parse(to) - Date.parse(from)) / 86_400_000);
}

/** «3 дня назад», «сегодня». */
export function ageText(days: number): string {
  if (days <= 0) return 'сегодня';
  return `${formatNumber(days)} ${plural(days, ['день', 'дня', 'дней'])} назад`;
}

/** «5 организаций» with the count grouped as every count is. */
export function countOf(n: number, forms: readonly [string, string, string]): string {
  return `${formatNumber(n)} ${plural(n, forms)}`;
}

export interface SubmissionProgress {
  total: number;
  accepted: number;
  submitted: number;
  returned: number;
  notSubmitted: number;
  overdue: number;
}

/** Counts of a campaign's forms by state. `overdue`: not submitted (or returned) after the due date. */
export function submissionProgress(rows: readonly { status: string; overdue: boolean }[]): SubmissionProgress {
  const p: SubmissionProgress = { total: rows.length, accepted: 0, submitted: 0, returned: 0, notSubmitted: 0, overdue: 0 };
  for (const r of rows) {
    if (r.status === 'accepted') p.accepted++;
    else if (r.status === 'submitted') p.submitted++;
    else if (r.status === 'returned') p.returned++;
    else p.notSubmitted++;
    if (r.overdue) p.overdue++;
  }
  return p;
}

/** «принято 12 из 51 (23,5 %), ждут приёмки 3, возвращено 2, не сдано 34, из них просрочено 5». */
export function progressText(p: SubmissionProgress): string {
  const share = p.total > 0 ? (p.accepted / p.total) * 100 : 0;
  const parts = [`принято ${formatNumber(p.accepted)} из ${formatNumber(p.total)} (${formatNumber(share, 1)}\u00A0%)`];
  if (p.submitted) parts.push(`ждут приёмки ${formatNumber(p.submitted)}`);
  if (p.returned) parts.push(`возвращено ${formatNumber(p.returned)}`);
  if (p.notSubmitted) parts.push(`не сдано ${formatNumber(p.notSubmitted)}`);
  if (p.overdue) parts.push(`просрочено ${formatNumber(p.overdue)}`);
  return parts.join(', ');
}

/** The first `limit` items and the section's «more» link when some were left out. */
export function section(
  id: string,
  title: string,
  empty: string,
  items: readonly AttentionItem[],
  more: { href: string; label: string } | null = null,
  limit = ATTENTION_LIMIT,
): AttentionSection {
  const shown = items.slice(0, limit);
  const left = items.length - shown.length;
  return {
    id,
    title,
    empty,
    items: shown,
    more: left > 0 && more ? { href: more.href, label: `${more.label} (ещё ${formatNumber(left)})` } : null,
  };
}
