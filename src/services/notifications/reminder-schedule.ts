/** Running the reminder pass once with the SMTP settings of the environment: used by the CLI (`msoko remind`), the
 * "run now" route and the server's periodic maintenance (src/services/admin/maintenance.ts: at start and every
 * `MSOKO_MAINTENANCE_INTERVAL_MINUTES`, default 15). Correctness across processes comes from the database (unique
 * keys, leased e-mails), so any number of processes may run it. */
import type { Kysely } from 'kysely';
import type { RemindRunResult } from '../../core/notifications/schema.ts';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../errors.ts';
import { createMailer, mailConfigFromEnv, type Log, type MailConfig } from './mail.ts';
import { runReminders } from './reminders.ts';
import { municipalToday } from '../admin/settings.ts';

export async function runConfiguredReminders(
  db: Kysely<Database>,
  opts: { today?: string; now?: Date; log?: Log | undefined; actor?: Actor; mail?: MailConfig | null } = {},
): Promise<RemindRunResult> {
  const config = opts.mail === undefined ? mailConfigFromEnv() : opts.mail;
  const today = opts.today ?? (await municipalToday(db, opts.now ?? new Date()));
  const mailer = config ? await createMailer(config) : null;
  try {
    const r = await runReminders(db, today, { mailer, publicUrl: config?.publicUrl, log: opts.log, actor: opts.actor });
    const made = r.created.due_soon + r.created.overdue + r.created.overdue_summary;
    if (made || r.emails.sent || r.emails.failed) {
      opts.log?.('info', `Напоминания за ${r.today}: создано ${made} (скоро срок ${r.created.due_soon}, просрочка ${r.created.overdue}, сводки ${r.created.overdue_summary}); писем отправлено ${r.emails.sent}, с ошибкой ${r.emails.failed}`);
    }
    return r;
  } finally {
    mailer?.close();
  }
}
