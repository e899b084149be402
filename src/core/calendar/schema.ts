/** Road-map deadline rules as data (stored with the road-map event; occurrences are always derived, never stored).
 * Pure zod, no Node imports, so the web client can validate the same shape. */

import { z } from 'zod';
import { daysInMonth, isIsoDate } from './dates.ts';

const month = z.number().int().min(1).max(12);

/** A day of a year without the year; 29 February is allowed and falls on 28 February in common years. */
export const monthDaySchema = z
  .object({ month, day: z.number().int().min(1).max(31) })
  .refine((md) => md.day <= daysInMonth(2000, md.month), { message: 'Такого дня нет в этом месяце' });

const isoDate = z.string().refine(isIsoDate, { message: 'Ожидается дата в формате ГГГГ-ММ-ДД' });

const common = {
  /** The phrase as written in the road map («ежегодно январь, май»). */
  text: z.string(),
  /** First year the recurring rule applies («Август 2022 года, ежегодно» → 2022). Ignored by `fixed`. */
  sinceYear: z.number().int().min(1900).max(2999).optional(),
  /** What the parser assumed, in Russian («Год не указан — срок считается ежегодным»). */
  note: z.string().optional(),
};

export const deadlineRuleSchema = z.discriminatedUnion('kind', [
  /** Every year in each listed month: from the 1st to the last day of the month (due). «ежегодно январь, май». */
  z.object({ kind: z.literal('yearly_months'), months: z.array(month).min(1), ...common }),
  /** Every year a window from `from` to `to` (due); when `to` is before `from` the window crosses New Year.
   * «сентябрь-октябрь», «ежегодно III квартал», «в течение года». */
  z.object({ kind: z.literal('yearly_window'), from: monthDaySchema, to: monthDaySchema, ...common }),
  /** Every year by a day: start = due. «до 1 сентября». */
  z.object({ kind: z.literal('yearly_date'), date: monthDaySchema, ...common }),
  /** Every month / quarter / half-year; due on `dueDay` (null = last day) of the month `dueMonthOffset` months after
   * the period's last month. «ежеквартально до 15 числа месяца, следующего за отчетным периодом» → quarter, 15, 1. */
  z.object({
    kind: z.literal('periodic'),
    every: z.enum(['month', 'quarter', 'half_year']),
    dueDay: z.number().int().min(1).max(31).nullable(),
    dueMonthOffset: z.number().int().min(0).max(12),
    ...common,
  }),
  /** Dated, non-recurring: «до 30.06.2023», «Сентябрь – октябрь 2021», «2021-2023 годы». */
  z.object({
    kind: z.literal('fixed'),
    items: z.array(z.object({ start: isoDate, due: isoDate }).refine((i) => i.start <= i.due, { message: 'Начало позже срока' })).min(1),
    ...common,
  }),
  /** No deadline: «по мере необходимости», «на постоянной основе», «в соответствии с графиком …». No occurrences. */
  z.object({ kind: z.literal('unscheduled'), reason: z.enum(['as_needed', 'continuous', 'external_schedule']), ...common }),
]);

export type MonthDay = z.infer<typeof monthDaySchema>;
export type DeadlineRule = z.infer<typeof deadlineRuleSchema>;
export type UnscheduledReason = Extract<DeadlineRule, { kind: 'unscheduled' }>['reason'];
