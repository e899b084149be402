/** Road-map view for a year: each event's occurrences (derived from its deadline rule) with their statuses on a given
 * day and the completion in force. Pure: "today" is a parameter, completions are plain rows. */

import {
  deadlineRuleSchema,
  occurrences,
  status,
  STATUS_LABELS,
  type DeadlineRule,
  type IsoDate,
  type OccurrenceStatus,
} from '../calendar/index.ts';

export interface RoadmapEventInput {
  id: string;
  title: string;
  rule: DeadlineRule;
}

/** One completion row (append-only); for each (event, occurrence) the last one in the given order is in force. */
export interface CompletionInput {
  eventId: string;
  occurrenceDue: IsoDate;
  doneAt: IsoDate;
  evidenceUrl: string | null;
  note: string | null;
  actorLogin: string | null;
  at: string;
}

export interface OccurrenceView {
  start: IsoDate;
  due: IsoDate;
  label: string;
  status: OccurrenceStatus;
  statusLabel: string;
  completion: CompletionInput | null;
}

export type RoadmapEventView<E extends RoadmapEventInput> = E & {
  occurrences: OccurrenceView[];
  /** Russian explanation when the rule has no dates («по мере необходимости», «в соответствии с графиком …»). */
  unscheduled: string | null;
};

export const UNSCHEDULED_LABELS: Record<Extract<DeadlineRule, { kind: 'unscheduled' }>['reason'], string> = {
  as_needed: 'по мере необходимости — без календарного срока',
  continuous: 'на постоянной основе — без календарного срока',
  external_schedule: 'по внешнему графику — срок определяется графиком проведения',
};

/** Parses a stored rule (jsonb) back into a `DeadlineRule`; throws on a corrupt row. */
export function storedRule(value: unknown): DeadlineRule {
  return deadlineRuleSchema.parse(value);
}

export function roadmapView<E extends RoadmapEventInput>(
  events: readonly E[],
  completions: readonly CompletionInput[],
  year: number,
  today: IsoDate,
): RoadmapEventView<E>[] {
  const inForce = new Map<string, CompletionInput>();
  for (const c of completions) inForce.set(`${c.eventId}\u0000${c.occurrenceDue}`, c);
  return events.map((e) => ({
    ...e,
    unscheduled: e.rule.kind === 'unscheduled' ? UNSCHEDULED_LABELS[e.rule.reason] : null,
    occurrences: occurrences(e.rule, year).map((o) => {
      const completion = inForce.get(`${e.id}\u0000${o.due}`) ?? null;
      const st = status(o, today, completion?.doneAt ?? null);
      return { ...o, status: st, statusLabel: STATUS_LABELS[st], completion };
    }),
  }));
}

/** Occurrences not done by `today` whose deadline has passed, in due order. */
export function overdueOccurrences<E extends RoadmapEventInput>(view: readonly RoadmapEventView<E>[]): { event: E; occurrence: OccurrenceView }[] {
  return view
    .flatMap((event) => event.occurrences.filter((o) => o.status === 'overdue').map((occurrence) => ({ event: event as E, occurrence })))
    .sort((a, b) => (a.occurrence.due < b.occurrence.due ? -1 : a.occurrence.due > b.occurrence.due ? 1 : 0));
}
