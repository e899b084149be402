/** Road-map deadlines: occurrences of a `DeadlineRule` in a year, and the status of an occurrence.
 *
 * Occurrences are derived every time, never stored. Each has a `start` (the first day of the month, window or
 * reporting period it concerns), a `due` date (the deadline, inclusive) and a Russian label.
 *
 * Year boundaries. A rule can fall due in the year after its period starts (Q4 2022 reported by 15.01.2023, a
 * window «ноябрь – февраль», «Октябрь 2021 – июль 2022»). `occurrences(rule, year, { by })` selects:
 * - by: 'period' (default) — occurrences whose `start` lies in `year`: the road map of 2022 lists the Q4 2022 report
 *   even though it is due 15.01.2023;
 * - by: 'due' — occurrences whose `due` lies in `year`: the deadlines calendar of 2022 lists the Q4 2021 report
 *   (due 15.01.2022) and not Q4 2022.
 * Sorted by due date, then start. A 29 February or day 31 in a shorter month falls on the month's last day.
 * `sinceYear` suppresses occurrences starting before that year. Unscheduled rules have no occurrences. */

import { formatDate } from '../format.ts';
import { daysBetween, daysInMonth, endOfMonth, isoDate, MONTHS_NOMINATIVE, yearOf, type IsoDate } from './dates.ts';
import { periodLabel, type Period } from './periods.ts';
import type { DeadlineRule, MonthDay } from './schema.ts';

export { parseDeadline } from './parse-deadline.ts';

export interface Occurrence {
  start: IsoDate;
  due: IsoDate;
  label: string;
}

export interface OccurrenceOptions {
  /** Which date must fall in the asked year: the period's start (default) or the due date. */
  by?: 'period' | 'due';
}

/** True for rules that never produce a date («по мере необходимости», «на постоянной основе», «в соответствии с графиком»). */
export function isUnscheduled(rule: DeadlineRule): boolean {
  return rule.kind === 'unscheduled';
}

function clampDay(year: number, md: MonthDay): IsoDate {
  return isoDate(year, md.month, Math.min(md.day, daysInMonth(year, md.month)));
}

function monthsLabel(start: IsoDate, due: IsoDate): string | null {
  const [sy, sm, sd] = [yearOf(start), Number(start.slice(5, 7)), Number(start.slice(8))];
  const [dy, dm] = [yearOf(due), Number(due.slice(5, 7))];
  if (sd !== 1 || due !== endOfMonth(dy, dm)) return null;
  if (sm === 1 && dm === 12 && sy === dy) return periodLabel({ kind: 'year', year: sy });
  if (sm === 9 && dm === 8 && dy === sy + 1) return periodLabel({ kind: 'academic_year', year: sy });
  if (sy === dy && sm === dm) return periodLabel({ kind: 'month', year: sy, month: sm });
  if (sy === dy && (sm - 1) % 3 === 0 && dm === sm + 2) return periodLabel({ kind: 'quarter', year: sy, quarter: (sm + 2) / 3 });
  if (sy === dy && (sm === 1 || sm === 7) && dm === sm + 5) return periodLabel({ kind: 'half', year: sy, half: sm === 1 ? 1 : 2 });
  if (sy === dy) return `${MONTHS_NOMINATIVE[sm - 1]} – ${MONTHS_NOMINATIVE[dm - 1]} ${sy} года`;
  if (sm === 1 && dm === 12) return `${sy}–${dy} годы`;
  return `${MONTHS_NOMINATIVE[sm - 1]} ${sy} года – ${MONTHS_NOMINATIVE[dm - 1]} ${dy} года`;
}

/** «январь 2023 года», «сентябрь – октябрь 2023 года», «3 квартал 2023 года», «2023 год», «2023/2024 учебный год»,
 * «до 01.09.2023», «15.02.2023 – 01.06.2023». */
export function occurrenceLabel(start: IsoDate, due: IsoDate): string {
  if (start === due) return `до ${formatDate(due)}`;
  return monthsLabel(start, due) ?? `${formatDate(start)} – ${formatDate(due)}`;
}

/** All occurrences of the rule whose period starts in `y` (before any filtering by the asked year). */
function startingIn(rule: DeadlineRule, y: number): Occurrence[] {
  if (rule.kind !== 'fixed' && rule.sinceYear !== undefined && y < rule.sinceYear) return [];
  switch (rule.kind) {
    case 'unscheduled':
      return [];
    case 'fixed':
      return rule.items.filter((i) => yearOf(i.start) === y).map((i) => ({ ...i, label: occurrenceLabel(i.start, i.due) }));
    case 'yearly_months':
      return rule.months.map((m) => {
        const start = isoDate(y, m, 1);
        const due = endOfMonth(y, m);
        return { start, due, label: occurrenceLabel(start, due) };
      });
    case 'yearly_window': {
      const start = clampDay(y, rule.from);
      const crosses = rule.to.month < rule.from.month || (rule.to.month === rule.from.month && rule.to.day < rule.from.day);
      const due = clampDay(crosses ? y + 1 : y, rule.to);
      return [{ start, due, label: occurrenceLabel(start, due) }];
    }
    case 'yearly_date': {
      const d = clampDay(y, rule.date);
      return [{ start: d, due: d, label: `до ${formatDate(d)}` }];
    }
    case 'periodic': {
      const len = rule.every === 'month' ? 1 : rule.every === 'quarter' ? 3 : 6;
      const out: Occurrence[] = [];
      for (let first = 1; first <= 12; first += len) {
        const last = first + len - 1;
        const dueMonth = last + rule.dueMonthOffset; // may exceed 12: isoDate/endOfMonth roll into the next year
        const dueYear = y + Math.floor((dueMonth - 1) / 12);
        const m = ((dueMonth - 1) % 12) + 1;
        const due = rule.dueDay === null ? endOfMonth(dueYear, m) : isoDate(dueYear, m, Math.min(rule.dueDay, daysInMonth(dueYear, m)));
        const period: Period =
          rule.every === 'month'
            ? { kind: 'month', year: y, month: first }
            : rule.every === 'quarter'
              ? { kind: 'quarter', year: y, quarter: (first + 2) / 3 }
              : { kind: 'half', year: y, half: first === 1 ? 1 : 2 };
        out.push({ start: isoDate(y, first, 1), due, label: periodLabel(period) });
      }
      return out;
    }
  }
}

/** Occurrences of a rule for a calendar year, sorted by due date; see the module comment for `by`. */
export function occurrences(rule: DeadlineRule, year: number, options: OccurrenceOptions = {}): Occurrence[] {
  const by = options.by ?? 'period';
  // Recurring periods fall due at most a year after they start; fixed items may span several years.
  const years = rule.kind === 'fixed' ? [...new Set(rule.items.map((i) => yearOf(i.start)))] : by === 'period' ? [year] : [year - 1, year];
  const candidates = years.flatMap((y) => startingIn(rule, y));
  return candidates
    .filter((o) => yearOf(by === 'period' ? o.start : o.due) === year)
    .sort((a, b) => cmp(a.due, b.due) || cmp(a.start, b.start) || cmp(a.label, b.label));
}

/** Occurrences across several years (e.g. 2021–2023 for a road map), by the same `by` rule, without duplicates. */
export function occurrencesBetween(rule: DeadlineRule, fromYear: number, toYear: number, options: OccurrenceOptions = {}): Occurrence[] {
  const out: Occurrence[] = [];
  for (let y = fromYear; y <= toYear; y++) out.push(...occurrences(rule, y, options));
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export type OccurrenceStatus = 'done' | 'done_late' | 'overdue' | 'due_soon' | 'planned';

export const STATUS_LABELS: Record<OccurrenceStatus, string> = {
  done: 'выполнено',
  done_late: 'выполнено с опозданием',
  overdue: 'просрочено',
  due_soon: 'срок подходит',
  planned: 'запланировано',
};

/** Status of an occurrence on `today` (ISO date; never read from the clock):
 * done — doneAt ≤ due; done_late — doneAt > due; overdue — not done and today > due;
 * due_soon — not done and due is today or within `soonDays` (default 14) days; planned — otherwise. */
export function status(
  occurrence: Pick<Occurrence, 'due'>,
  today: IsoDate,
  doneAt?: IsoDate | null,
  options: { soonDays?: number } = {},
): OccurrenceStatus {
  if (doneAt) return doneAt <= occurrence.due ? 'done' : 'done_late';
  const left = daysBetween(today, occurrence.due);
  if (left < 0) return 'overdue';
  if (left <= (options.soonDays ?? 14)) return 'due_soon';
  return 'planned';
}
