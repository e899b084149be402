/** Letters sent as notifications (issue 18): an issued letter tells the representatives of each organisation it is
 * addressed to — in the app, with a link to download the letter (readable by that organisation's users only), and by
 * e-mail with the DOCX attached (queued like every notification's e-mail: sent by the next reminder pass when SMTP is
 * configured). Called inside the issuing transaction, so a letter is never issued without its notifications. */
import type { Kysely } from 'kysely';
import { documentDate } from '../../core/documents/register.ts';
import { UUID } from '../../core/uuid.ts';
import type { Database } from '../../db/schema.ts';
import { ServiceError } from '../errors.ts';
import { insertNotifications, representativesOf } from './notifications.ts';

export interface Notified {
  /** Organisations whose representatives were told. */
  organisations: number;
  /** Users notified in the app. */
  users: number;
  /** Of them, with an e-mail address: the letter goes to them attached. */
  emails: number;
  /** Organisations the letter is addressed to that have no active representative: nobody was told. */
  withoutUsers: string[];
}

export interface SentDocument { id: string; number: string; date: string; title: string; fileName: string; campaignId: string | null }

/** Notifies the representatives of `organisations` of the issued document. */
export async function notifyDocument(trx: Kysely<Database>, doc: SentDocument, organisations: readonly { id: string; name: string }[], sender: string): Promise<Notified> {
  const reps = await representativesOf(trx, organisations.map((o) => o.id));
  const title = `Письмо № ${doc.number} от ${documentDate(doc.date)}: ${doc.title}`;
  const body = `${sender} направило письмо «${doc.title}» (№ ${doc.number} от ${documentDate(doc.date)}). Файл «${doc.fileName}» — по ссылке «Скачать письмо» в уведомлении и во вложении к письму на электронную почту.`;
  const rows = organisations.flatMap((o) => (reps.get(o.id) ?? []).map((u) => ({
    userId: u.id, kind: 'document' as const, key: `document:${doc.id}:${o.id}`, campaignId: doc.campaignId, organisationId: o.id, title, body, link: '/notifications', email: u.email, documentId: doc.id,
  })));
  const inserted = await insertNotifications(trx, rows);
  return {
    organisations: organisations.filter((o) => (reps.get(o.id) ?? []).length > 0).length,
    users: inserted.length,
    emails: rows.filter((r) => r.email).length,
    withoutUsers: organisations.filter((o) => !(reps.get(o.id) ?? []).length).map((o) => o.name),
  };
}

/** The bytes of a document sent to the caller's organisation; any other document is «not found». */
export async function receivedDocument(db: Kysely<Database>, organisationId: string | null, documentId: string): Promise<{ id: string; number: string; kind: string }> {
  const sent = organisationId && UUID.test(documentId)
    ? await db.selectFrom('notifications as n').innerJoin('documents as d', 'd.id', 'n.document_id')
      .select(['d.id', 'd.number', 'd.kind']).where('n.document_id', '=', documentId).where('n.organisation_id', '=', organisationId).limit(1).executeTakeFirst()
    : undefined;
  if (!sent) throw new ServiceError('not_found', 'DOCUMENT_NOT_FOUND', 'Документ не найден');
  return sent;
}
