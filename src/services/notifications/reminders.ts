/** The reminder pass: for every open campaign, asks the pure planner (src/core/notifications) which organisations
 * get which reminder today, inserts the notifications for their representatives and the analysts' overdue summary
 * (idempotent: `(user, key)` is unique, so a second run — or a concurrent one in another process — adds nothing),
 * then e-mails what is pending when SMTP is configured. Run by the server at start and hourly, and by
 * `msoko remind [--today YYYY-MM-DD]`. */
import type { Kysely } from 'kysely';
import type { SubmissionState } from '../../core/collection/schema.ts';
import { organisationReminderText, overdueSummaryText, planReminders } from '../../core/notifications/index.ts';
import type { RemindRunResult } from '../../core/notifications/schema.ts';
import type { Database } from '../../db/schema.ts';
import { recordAudit } from '../admin/audit.ts';
import { SYSTEM_ACTOR, type Actor } from '../errors.ts';
import { deliverPendingEmails, type Log, type Mailer } from './mail.ts';
import { insertNotifications, representativesOf, type NewNotification } from './notifications.ts';
import { municipalitySettings } from '../admin/settings.ts';

export interface RemindOptions {
  /** E-mail delivery; omitted or null: in-app notifications only. */
  mailer?: Mailer | null;
  publicUrl?: string;
  log?: Log;
  actor?: Actor;
}

/** The analysts who get a campaign's overdue summary: every active analyst of the campaign's municipality (or of
 * none), plus the campaign's creator if an administrator. */
async function analystsOf(db: Kysely<Database>, campaignId: string, createdBy: string | null): Promise<{ id: string; email: boolean }[]> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'email'])
    .where('disabled', '=', false)
    .where((eb) => (createdBy ? eb.or([eb('role', '=', 'analyst'), eb.and([eb('id', '=', createdBy), eb('role', '=', 'admin')])]) : eb('role', '=', 'analyst')))
    .where((eb) =>
      eb.or([
        eb('municipality_id', 'is', null),
        eb('municipality_id', 'in', eb.selectFrom('campaign_organisations as co').innerJoin('organisations as o', 'o.id', 'co.organisation_id').select('o.municipality_id').where('co.campaign_id', '=', campaignId)),
      ]),
    )
    .orderBy('login')
    .execute();
  return rows.map((r) => ({ id: r.id, email: !!r.email }));
}

export async function runReminders(db: Kysely<Database>, today: string, opts: RemindOptions = {}): Promise<RemindRunResult> {
  const actor = opts.actor ?? SYSTEM_ACTOR;
  const created = { due_soon: 0, overdue: 0, overdue_summary: 0 };
  const defaultDays = (await municipalitySettings(db)).remindDaysBefore;
  const campaigns = await db
    .selectFrom('campaigns')
    .select(['id', 'title', 'status', 'due_on', 'closes_on', 'remind_days_before', 'created_by'])
    .where('status', '=', 'open')
    .orderBy('due_on')
    .orderBy('id')
    .execute();
  for (const c of campaigns) {
    const orgs = await db
      .selectFrom('campaign_organisations as co')
      .innerJoin('organisations as o', 'o.id', 'co.organisation_id')
      .leftJoin('submissions as s', (j) => j.onRef('s.campaign_id', '=', 'co.campaign_id').onRef('s.organisation_id', '=', 'co.organisation_id'))
      .select(['o.id', 'o.short_name', 's.status'])
      .where('co.campaign_id', '=', c.id)
      .orderBy('o.no')
      .execute();
    const plan = planReminders(
      today,
      { id: c.id, status: c.status, dueOn: c.due_on, closesOn: c.closes_on, daysBefore: c.remind_days_before ?? defaultDays },
      orgs.map((o) => ({ id: o.id, status: (o.status ?? 'not_started') as SubmissionState })),
    );
    if (plan.organisations.length === 0 && !plan.summary) continue;
    const names = new Map(orgs.map((o) => [o.id, o.short_name]));
    const reps = await representativesOf(db, plan.organisations.map((r) => r.organisationId));
    const rows: NewNotification[] = [];
    for (const r of plan.organisations) {
      const text = organisationReminderText(r, { id: c.id, title: c.title }, names.get(r.organisationId) ?? '');
      for (const u of reps.get(r.organisationId) ?? []) {
        rows.push({ userId: u.id, kind: r.kind, key: r.key, campaignId: c.id, organisationId: r.organisationId, ...text, email: u.email });
      }
    }
    if (plan.summary) {
      const text = overdueSummaryText({ id: c.id, title: c.title, dueOn: c.due_on }, plan.summary.overdueOrganisationIds.map((id) => names.get(id) ?? id));
      for (const u of await analystsOf(db, c.id, c.created_by)) {
        rows.push({ userId: u.id, kind: 'overdue_summary', key: plan.summary.key, campaignId: c.id, organisationId: null, ...text, email: u.email });
      }
    }
    await db.transaction().execute(async (trx) => {
      const inserted = await insertNotifications(trx, rows);
      if (inserted.length === 0) return;
      const counts = { due_soon: 0, overdue: 0, overdue_summary: 0 };
      for (const n of inserted) if (n.kind !== 'returned' && n.kind !== 'document') counts[n.kind]++;
      for (const k of Object.keys(counts) as (keyof typeof counts)[]) created[k] += counts[k];
      await recordAudit(trx, actor, { action: 'reminders.create', targetType: 'campaign', targetId: c.id, details: { today, ...counts } });
    });
  }
  const emails = opts.mailer ? await deliverPendingEmails(db, opts.mailer, { publicUrl: opts.publicUrl ?? '', log: opts.log }) : { sent: 0, failed: 0 };
  return { today, created, emails };
}
