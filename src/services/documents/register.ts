/** The register of outgoing documents (issue 18): a number is taken once — the per-kind yearly counter is bumped by an
 * upsert inside the issuing transaction (its row lock serialises concurrent issuing, and a failed render rolls the
 * number back), the document is rendered with that number and stored with its bytes, the hashes of its data and
 * template and who issued it. Re-issuing makes a new number; the earlier document stays. Downloads are audited. */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { DOCUMENT_KINDS, DOCUMENT_KIND_LABELS, formatNumber, registerYear, type DocumentKind } from '../../core/documents/register.ts';
import { TEMPLATE_KINDS, TEMPLATE_KIND_LABELS, type TemplateKind } from '../../core/documents/template-kinds.ts';
import { byteaAsBase64, byteaValue, fromBase64 } from '../../db/bytea.ts';
import type { Database } from '../../db/schema.ts';
import { UUID } from '../../core/uuid.ts';
import { SOFFICE_MISSING, docxToPdf, findSoffice } from '../../reports/pdf.ts';
import { recordAudit } from '../admin/audit.ts';
import { notifyDocument, receivedDocument, type Notified } from '../notifications/documents.ts';
import { ServiceError, type Actor } from '../errors.ts';

export interface DocumentDto {
  id: string;
  kind: DocumentKind;
  /** Which document it is (the template kind: information letter, approval order, …); null for none recorded. */
  templateKind: TemplateKind | null;
  kindLabel: string;
  number: string;
  date: string;
  title: string;
  campaignId: string | null;
  fileName: string;
  size: number;
  sha256: string;
  dataHash: string;
  templateSha256: string;
  customTemplate: boolean;
  issuedBy: string | null;
  issuedAt: string;
  url: string;
  /** The same document as PDF (converted by LibreOffice on download). */
  pdfUrl: string;
  /** Sent as notifications (letters): how many organisations and users were told. */
  notified?: Notified;
}

export interface IssueRequest {
  municipalityId: string;
  kind: DocumentKind;
  /** ISO date of the document; its year is the register's year. */
  issuedOn: string;
  title: string;
  campaignId: string | null;
  /** What the document was made from (edited texts, source versions), stored as is, with the template kind. */
  fields: Record<string, unknown> & { templateKind: TemplateKind };
  template: { id: string | null; sha256: string };
  fileName: (number: string) => string;
  /** Organisations the document is sent to: their representatives are notified in the issuing transaction (in the
   * app with a download link, by e-mail with the DOCX attached); `sender` names the department. */
  sendTo?: { organisations: readonly { id: string; name: string }[]; sender: string };
  /** Renders the DOCX for the number taken: its bytes and the data it was rendered with (hashed). */
  render: (number: string) => { content: Buffer; data: unknown } | Promise<{ content: Buffer; data: unknown }>;
}

const COLUMNS = ['id', 'kind', 'number', 'issued_on', 'title', 'campaign_id', 'file_name', 'size', 'sha256', 'data_hash', 'template_sha256', 'template_id', 'actor_login', 'at'] as const;
const TEMPLATE_KIND = sql<string | null>`fields->>'templateKind'`.as('template_kind');
type Row = { template_kind: string | null; id: string; kind: string; number: string; issued_on: string; title: string; campaign_id: string | null; file_name: string; size: number; sha256: string; data_hash: string; template_sha256: string; template_id: string | null; actor_login: string | null; at: Date };

function dto(r: Row): DocumentDto {
  const kind = (DOCUMENT_KINDS as readonly string[]).includes(r.kind) ? (r.kind as DocumentKind) : 'letter';
  const templateKind = (TEMPLATE_KINDS as readonly (string | null)[]).includes(r.template_kind) ? (r.template_kind as TemplateKind) : null;
  return {
    id: r.id, kind, templateKind, kindLabel: templateKind ? TEMPLATE_KIND_LABELS[templateKind] : DOCUMENT_KIND_LABELS[kind], number: r.number, date: r.issued_on, title: r.title, campaignId: r.campaign_id, fileName: r.file_name,
    size: r.size, sha256: r.sha256, dataHash: r.data_hash, templateSha256: r.template_sha256, customTemplate: r.template_id !== null, issuedBy: r.actor_login,
    issuedAt: new Date(r.at).toISOString(), url: `/api/documents/${r.id}/file`, pdfUrl: `/api/documents/${r.id}/pdf`,
  };
}

const sha256 = (b: string | Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Takes the next number of the kind and year in `trx` (the counter row stays locked until commit). */
async function nextSeq(trx: Kysely<Database>, municipalityId: string, kind: DocumentKind, year: number): Promise<number> {
  const row = await trx.insertInto('document_counters').values({ municipality_id: municipalityId, kind, year, last_number: 1 })
    .onConflict((oc) => oc.columns(['municipality_id', 'kind', 'year']).doUpdateSet({ last_number: sql`document_counters.last_number + 1` }))
    .returning('last_number').executeTakeFirstOrThrow();
  return row.last_number;
}

export async function issueDocument(db: Kysely<Database>, actor: Actor, pattern: string, req: IssueRequest): Promise<DocumentDto> {
  const year = registerYear(req.issuedOn);
  const row = await db.transaction().execute(async (trx) => {
    const seq = await nextSeq(trx, req.municipalityId, req.kind, year);
    const number = formatNumber(pattern, seq, year);
    const { content, data } = await req.render(number);
    const fileName = req.fileName(number);
    const inserted = await trx.insertInto('documents').values({
      municipality_id: req.municipalityId, kind: req.kind, year, seq, number, issued_on: req.issuedOn, title: req.title, campaign_id: req.campaignId,
      fields: JSON.stringify(req.fields), data_hash: sha256(JSON.stringify(data)), template_id: req.template.id, template_sha256: req.template.sha256,
      file_name: fileName, size: content.length, sha256: sha256(content), content: byteaValue(content), actor_user_id: actor.userId, actor_login: actor.login,
    }).returning([...COLUMNS, TEMPLATE_KIND]).executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      action: 'document.issue',
      targetType: req.campaignId ? 'campaign' : 'document',
      targetId: req.campaignId ?? inserted.id,
      details: { documentId: inserted.id, kind: req.kind, templateKind: req.fields.templateKind, number, date: req.issuedOn, title: req.title, sha256: inserted.sha256, dataHash: inserted.data_hash },
    });
    const notified = req.sendTo ? await notifyDocument(trx, { id: inserted.id, number, date: req.issuedOn, title: req.title, fileName, campaignId: req.campaignId }, req.sendTo.organisations, req.sendTo.sender) : null;
    if (notified) await recordAudit(trx, actor, { action: 'document.send', targetType: 'document', targetId: inserted.id, details: { number, ...notified } });
    return { inserted, notified };
  });
  return { ...dto(row.inserted as Row), ...(row.notified ? { notified: row.notified } : {}) };
}

export interface DocumentFilter {
  campaignId?: string;
  kind?: DocumentKind;
  year?: number;
}

export async function listDocuments(db: Kysely<Database>, municipalityId: string, f: DocumentFilter = {}): Promise<DocumentDto[]> {
  let q = db.selectFrom('documents').select([...COLUMNS, TEMPLATE_KIND]).where('municipality_id', '=', municipalityId);
  if (f.campaignId) q = q.where('campaign_id', '=', f.campaignId);
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.year) q = q.where('year', '=', f.year);
  const rows = await q.orderBy('at', 'desc').orderBy('seq', 'desc').execute();
  return rows.map((r) => dto(r as Row));
}

/** The stored bytes of an issued document (the municipality's only); audited. */
export async function downloadDocument(db: Kysely<Database>, actor: Actor, municipalityId: string, id: string): Promise<{ fileName: string; content: Buffer }> {
  return fileOf(db, actor, id, municipalityId, {});
}

/** The stored bytes of a document sent to the caller's organisation (a letter it was notified of); audited. */
export async function downloadReceivedDocument(db: Kysely<Database>, actor: Actor, organisationId: string | null, id: string): Promise<{ fileName: string; content: Buffer }> {
  await receivedDocument(db, organisationId, id);
  return fileOf(db, actor, id, null, { received: true, organisationId });
}

/** The issued document as PDF, converted by LibreOffice from the stored DOCX: the municipality's (analysts) or one
 * sent to the caller's organisation. A missing LibreOffice is a `conflict` naming the Debian package to install. */
export async function downloadDocumentPdf(db: Kysely<Database>, actor: Actor, scope: { municipalityId: string } | { organisationId: string | null }, id: string): Promise<{ fileName: string; content: Buffer }> {
  const received = 'organisationId' in scope;
  if (received) await receivedDocument(db, scope.organisationId, id);
  const f = await fileOf(db, actor, id, received ? null : scope.municipalityId, { format: 'pdf', ...(received ? { received: true, organisationId: scope.organisationId } : {}) });
  const pdf = await docxToPdf(f.content);
  if (!pdf.ok) throw new ServiceError('conflict', 'PDF_UNAVAILABLE', pdf.error);
  return { fileName: f.fileName.replace(/\.docx$/i, '.pdf'), content: pdf.buffer };
}

/** Why issued documents cannot be had as PDF here (no LibreOffice), or null when they can. */
export const pdfUnavailable = (): string | null => (findSoffice() ? null : SOFFICE_MISSING);

async function fileOf(db: Kysely<Database>, actor: Actor, id: string, municipalityId: string | null, details: Record<string, unknown>): Promise<{ fileName: string; content: Buffer }> {
  let q = db.selectFrom('documents').select(['id', 'number', 'kind', 'file_name']).select(byteaAsBase64(sql.ref('content')).as('content_base64')).where('id', '=', id);
  if (municipalityId) q = q.where('municipality_id', '=', municipalityId);
  const row = UUID.test(id) ? await q.executeTakeFirst() : undefined;
  if (!row) throw new ServiceError('not_found', 'DOCUMENT_NOT_FOUND', 'Документ не найден');
  await recordAudit(db, actor, { action: 'document.download', targetType: 'document', targetId: row.id, details: { kind: row.kind, number: row.number, ...details } });
  return { fileName: row.file_name, content: fromBase64(row.content_base64) };
}
