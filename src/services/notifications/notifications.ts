/** In-app notifications: the idempotent insert used by the reminder pass and the submission workflow, and the
 * user's own list, unread count and read marks. A user only ever sees and marks their own notifications. */
import { sql, type Kysely } from 'kysely';
import type { Notification, NotificationList } from '../../core/notifications/schema.ts';
import { returnedKey, returnedText } from '../../core/notifications/index.ts';
import type { Database, NotificationKind } from '../../db/schema.ts';
import { recordAudit } from '../admin/audit.ts';
import { ServiceError, type Actor } from '../errors.ts';

export interface NewNotification {
  userId: string;
  kind: NotificationKind;
  key: string;
  campaignId: string | null;
  organisationId: string | null;
  title: string;
  body: string;
  link: string;
  /** The recipient has an e-mail address: queue the e-mail (sent by the next reminder pass when SMTP is set). */
  email: boolean;
  /** An issued document the notification carries: downloadable by the organisation's users, attached to the e-mail. */
  documentId?: string | null;
}

/** Inserts, skipping `(user, key)` pairs that exist (also against a concurrent pass). Returns the rows inserted. */
export async function insertNotifications(db: Kysely<Database>, rows: readonly NewNotification[]): Promise<{ id: number; kind: NotificationKind }[]> {
  if (rows.length === 0) return [];
  // Batches keep each statement under PostgreSQL's 65 535 bind parameters (10 per row) for campaigns of any size.
  const out: { id: number; kind: NotificationKind }[] = [];
  for (let i = 0; i < rows.length; i += INSERT_BATCH) out.push(...(await insertBatch(db, rows.slice(i, i + INSERT_BATCH))));
  return out;
}

const INSERT_BATCH = 2000;

/** Where an organisation's user downloads a document sent to the organisation. */
export const receivedDocumentUrl = (documentId: string) => `/api/received-documents/${documentId}/file`;
const SELECT_BATCH = 5000;

async function insertBatch(db: Kysely<Database>, rows: readonly NewNotification[]): Promise<{ id: number; kind: NotificationKind }[]> {
  const inserted = await db
    .insertInto('notifications')
    .values(
      rows.map((r) => ({
        user_id: r.userId,
        kind: r.kind,
        key: r.key,
        campaign_id: r.campaignId,
        organisation_id: r.organisationId,
        title: r.title,
        body: r.body,
        link: r.link,
        email_status: r.email ? ('pending' as const) : ('none' as const),
        document_id: r.documentId ?? null,
      })),
    )
    .onConflict((oc) => oc.columns(['user_id', 'key']).doNothing())
    .returning(['id', 'kind'])
    .execute();
  return inserted.map((r) => ({ id: Number(r.id), kind: r.kind }));
}

/** Active representatives of the organisations, with whether they have an e-mail address. */
export async function representativesOf(db: Kysely<Database>, organisationIds: readonly string[]): Promise<Map<string, { id: string; email: boolean }[]>> {
  const out = new Map<string, { id: string; email: boolean }[]>();
  if (organisationIds.length === 0) return out;
  const rows = [];
  for (let i = 0; i < organisationIds.length; i += SELECT_BATCH) {
    rows.push(
      ...(await db
        .selectFrom('users')
        .select(['id', 'organisation_id', 'email', 'login'])
        .where('role', '=', 'org_rep')
        .where('disabled', '=', false)
        .where('organisation_id', 'in', organisationIds.slice(i, i + SELECT_BATCH))
        .execute()),
    );
  }
  rows.sort((a, b) => (a.login < b.login ? -1 : a.login > b.login ? 1 : 0));
  for (const r of rows) {
    if (!r.organisation_id) continue;
    const list = out.get(r.organisation_id) ?? [];
    list.push({ id: r.id, email: !!r.email });
    out.set(r.organisation_id, list);
  }
  return out;
}

/** Called inside the transaction that returns a form: tells the organisation's representatives, with the comment. */
export async function notifyReturned(
  trx: Kysely<Database>,
  p: { campaign: { id: string; title: string }; organisation: { id: string; name: string }; comment: string; eventId: number },
): Promise<number> {
  const reps = (await representativesOf(trx, [p.organisation.id])).get(p.organisation.id) ?? [];
  const text = returnedText(p.campaign, p.organisation.id, p.organisation.name, p.comment);
  const key = returnedKey(p.campaign.id, p.organisation.id, p.eventId);
  const rows = reps.map((u) => ({ userId: u.id, kind: 'returned' as const, key, campaignId: p.campaign.id, organisationId: p.organisation.id, ...text, email: u.email }));
  return (await insertNotifications(trx, rows)).length;
}

function present(r: { id: number | string; kind: NotificationKind; title: string; body: string; link: string; created_at: Date | string; read_at: Date | string | null; document_id: string | null }): Notification {
  return {
    id: Number(r.id),
    kind: r.kind,
    title: r.title,
    body: r.body,
    link: r.link,
    documentUrl: r.document_id ? receivedDocumentUrl(r.document_id) : null,
    createdAt: new Date(r.created_at).toISOString(),
    readAt: r.read_at ? new Date(r.read_at).toISOString() : null,
  };
}

export async function unreadCount(db: Kysely<Database>, userId: string): Promise<number> {
  const r = await db.selectFrom('notifications').select(sql<number>`count(*)::int`.as('n')).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The user's notifications, newest first (unread ones only when asked). */
export async function listNotifications(db: Kysely<Database>, userId: string, opts: { limit?: number; unreadOnly?: boolean } = {}): Promise<NotificationList> {
  let q = db.selectFrom('notifications').select(['id', 'kind', 'title', 'body', 'link', 'created_at', 'read_at', 'document_id']).where('user_id', '=', userId);
  if (opts.unreadOnly) q = q.where('read_at', 'is', null);
  const rows = await q.orderBy('id', 'desc').limit(opts.limit ?? 100).execute();
  return { items: rows.map(present), unread: await unreadCount(db, userId) };
}

/** Marks one of the user's notifications read (idempotent); another user's notification is "not found". */
export async function markRead(db: Kysely<Database>, actor: Actor, userId: string, id: number): Promise<Notification> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('notifications').selectAll().where('id', '=', id).where('user_id', '=', userId).forUpdate().executeTakeFirst();
    if (!row) throw new ServiceError('not_found', 'NOTIFICATION_NOT_FOUND', 'Уведомление не найдено');
    if (row.read_at) return present(row);
    const after = await trx.updateTable('notifications').set({ read_at: sql`now()` }).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
    await recordAudit(trx, actor, { action: 'notification.read', targetType: 'notification', targetId: String(row.id), details: { kind: row.kind } });
    return present(after);
  });
}

export async function markAllRead(db: Kysely<Database>, actor: Actor, userId: string): Promise<{ marked: number }> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx.updateTable('notifications').set({ read_at: sql`now()` }).where('user_id', '=', userId).where('read_at', 'is', null).returning('id').execute();
    if (rows.length) await recordAudit(trx, actor, { action: 'notification.read_all', targetType: 'user', targetId: userId, details: { marked: rows.length } });
    return { marked: rows.length };
  });
}
