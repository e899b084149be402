/** Which reminder each organisation of a campaign gets on a given day (pure: dates in, decisions out).
 *
 * - `due_soon`: from `dueOn − daysBefore` up to and including `dueOn`, to an organisation whose form is not sent
 *   (not started, draft, returned). Keyed by the due date, so it goes once per due date even if the pass first runs
 *   on a later day of the window (e.g. the server was down).
 * - `overdue`: from the day after `dueOn` up to `closesOn`, to the same organisations; once per due date.
 * - `overdue_summary`: on the same days, one per campaign and due date for the analysts, listing the overdue ones.
 * Only campaigns in status «Идёт сбор» (open) remind; submitted and accepted forms never get a reminder.
 * The keys are what the database makes unique per user, so running the pass twice never duplicates. */
import { daysBetween, type IsoDate } from '../calendar/dates.ts';
import type { CampaignStatus, SubmissionState } from '../collection/schema.ts';

export type ReminderKind = 'due_soon' | 'overdue';

export interface ReminderCampaign {
  id: string;
  status: CampaignStatus;
  dueOn: IsoDate;
  closesOn: IsoDate;
  /** Lead time in days (the campaign's own or the municipality's); 0 means only on the due day. */
  daysBefore: number;
}

export interface ReminderOrganisation {
  id: string;
  status: SubmissionState;
}

export interface OrganisationReminder {
  kind: ReminderKind;
  organisationId: string;
  /** The due date the reminder is about (part of the idempotence key). */
  date: IsoDate;
  /** Days from today to the due date: 3, 2, 1, 0 for due_soon; negative (days overdue) for overdue. */
  daysLeft: number;
  key: string;
}

export interface ReminderPlan {
  organisations: OrganisationReminder[];
  /** The analysts' summary, when at least one organisation is overdue. */
  summary: { key: string; date: IsoDate; overdueOrganisationIds: string[] } | null;
}

/** Forms still with the organisation: reminders go to these only. */
export function awaitsSubmission(status: SubmissionState): boolean {
  return status === 'not_started' || status === 'draft' || status === 'returned';
}

export function reminderKey(kind: ReminderKind | 'overdue_summary', campaignId: string, organisationId: string | null, date: IsoDate): string {
  return [kind, campaignId, organisationId ?? '*', date].join(':');
}

export function returnedKey(campaignId: string, organisationId: string, eventId: number): string {
  return ['returned', campaignId, organisationId, String(eventId)].join(':');
}

/** The reminders of one campaign on `today`. */
export function planReminders(today: IsoDate, campaign: ReminderCampaign, organisations: readonly ReminderOrganisation[]): ReminderPlan {
  const none: ReminderPlan = { organisations: [], summary: null };
  if (campaign.status !== 'open') return none;
  if (today > campaign.closesOn) return none;
  const daysLeft = daysBetween(today, campaign.dueOn);
  let kind: ReminderKind;
  if (daysLeft < 0) kind = 'overdue';
  else if (daysLeft <= Math.max(0, campaign.daysBefore)) kind = 'due_soon';
  else return none;
  const pending = organisations.filter((o) => awaitsSubmission(o.status));
  const reminders = pending.map((o) => ({ kind, organisationId: o.id, date: campaign.dueOn, daysLeft, key: reminderKey(kind, campaign.id, o.id, campaign.dueOn) }));
  const summary =
    kind === 'overdue' && pending.length > 0
      ? { key: reminderKey('overdue_summary', campaign.id, null, campaign.dueOn), date: campaign.dueOn, overdueOrganisationIds: pending.map((o) => o.id) }
      : null;
  return { organisations: reminders, summary };
}
