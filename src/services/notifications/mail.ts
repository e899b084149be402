/** E-mail of notifications through SMTP (nodemailer), when `MSOKO_SMTP_URL` is set. Delivery is a separate step of
 * the reminder pass: the in-app notification exists first, and a failed e-mail is logged, kept `pending` with the
 * error and retried by the next pass (up to MAX_ATTEMPTS), so SMTP trouble never blocks or loses a notification.
 * Rows are claimed with a short lease (`for update skip locked`), so two processes never send the same e-mail. A
 * notification carrying an issued document (a letter) has the document's DOCX attached. */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { byteaAsBase64, fromBase64 } from '../../db/bytea.ts';
import type { Database } from '../../db/schema.ts';

export interface MailConfig {
  /** `smtp://user:password@host:587` or `smtps://…:465`. */
  url: string;
  from: string;
  /** Base of the links in e-mails (`https://msoko.example.ru`). */
  publicUrl: string;
}

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** Files attached (an issued letter's DOCX). */
  attachments?: { filename: string; content: Buffer; contentType: string }[];
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export const MAX_ATTEMPTS = 5;
/** Notifications older than this are not e-mailed any more (e.g. SMTP was configured long after they were made). */
const MAX_AGE = '7 days';
const LEASE = '5 minutes';

export function mailConfigFromEnv(env: NodeJS.ProcessEnv = process.env): MailConfig | null {
  const url = env.MSOKO_SMTP_URL?.trim();
  if (!url) return null;
  return {
    url,
    from: env.MSOKO_MAIL_FROM?.trim() || 'МСОКО <msoko@localhost>',
    publicUrl: (env.MSOKO_PUBLIC_URL?.trim() || `http://127.0.0.1:${env.PORT || 3000}`).replace(/\/+$/, ''),
  };
}

export async function createMailer(config: MailConfig): Promise<Mailer> {
  const nodemailer = (await import('nodemailer')).default;
  const transport = nodemailer.createTransport(config.url);
  return {
    async send(mail) {
      await transport.sendMail({ from: config.from, to: mail.to, subject: mail.subject, text: mail.text, ...(mail.attachments?.length ? { attachments: mail.attachments } : {}) });
    },
    close() {
      transport.close();
    },
  };
}

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The stored bytes of an issued document, as an e-mail attachment. */
async function documentAttachment(db: Kysely<Database>, documentId: string): Promise<NonNullable<OutgoingMail['attachments']>> {
  const row = await db.selectFrom('documents').select(['file_name']).select(byteaAsBase64(sql.ref('content')).as('content_base64')).where('id', '=', documentId).executeTakeFirst();
  return row ? [{ filename: row.file_name, content: fromBase64(row.content_base64), contentType: DOCX }] : [];
}

export type Log = (level: 'info' | 'warn' | 'error', message: string) => void;

/** Sends the pending e-mails; returns how many went and how many failed this time. */
export async function deliverPendingEmails(db: Kysely<Database>, mailer: Mailer, opts: { publicUrl: string; log?: Log; batch?: number }): Promise<{ sent: number; failed: number }> {
  let sent = 0;
  let failed = 0;
  let after = 0;
  for (;;) {
    const claimed = await db
      .updateTable('notifications')
      .set({ email_locked_until: sql`now() + ${sql.lit(LEASE)}::interval`, email_attempts: sql`email_attempts + 1` })
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('notifications')
          .select('id')
          .where('email_status', '=', 'pending')
          .where('id', '>', after)
          .where((w) => w.or([w('email_locked_until', 'is', null), w('email_locked_until', '<', sql<Date>`now()`)]))
          .where('created_at', '>', sql<Date>`now() - ${sql.lit(MAX_AGE)}::interval`)
          .orderBy('id')
          .limit(opts.batch ?? 50)
          .forUpdate()
          .skipLocked(),
      )
      .returning(['id', 'user_id', 'title', 'body', 'link', 'email_attempts', 'document_id'])
      .execute();
    if (claimed.length === 0) break;
    claimed.sort((a, b) => Number(a.id) - Number(b.id));
    after = Number(claimed[claimed.length - 1]?.id ?? after);
    const users = await db.selectFrom('users').select(['id', 'email', 'disabled']).where('id', 'in', [...new Set(claimed.map((c) => c.user_id))]).execute();
    const emails = new Map(users.map((u) => [u.id, u.disabled ? null : u.email]));
    for (const n of claimed) {
      const to = emails.get(n.user_id);
      if (!to) {
        await db.updateTable('notifications').set({ email_status: 'none', email_locked_until: null }).where('id', '=', n.id).execute();
        continue;
      }
      try {
        const attachments = n.document_id ? await documentAttachment(db, n.document_id) : [];
        await mailer.send({ to, subject: n.title, text: `${n.body}\n\nОткрыть в МСОКО: ${opts.publicUrl}${n.link}\n\n— Муниципальная система оценки качества образования`, attachments });
        await db.updateTable('notifications').set({ email_status: 'sent', email_sent_at: sql`now()`, email_error: null, email_locked_until: null }).where('id', '=', n.id).execute();
        sent++;
      } catch (err) {
        failed++;
        const message = err instanceof Error ? err.message : String(err);
        const giveUp = Number(n.email_attempts) >= MAX_ATTEMPTS;
        await db
          .updateTable('notifications')
          .set({ email_status: giveUp ? 'failed' : 'pending', email_error: message.slice(0, 500), email_locked_until: null })
          .where('id', '=', n.id)
          .execute();
        opts.log?.('warn', `Письмо уведомления ${n.id} на ${to} не отправлено (попытка ${n.email_attempts}${giveUp ? ', последняя' : ''}): ${message}`);
      }
    }
  }
  return { sent, failed };
}
