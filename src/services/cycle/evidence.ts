/** Evidence files (issue 7): an organisation's report on a recommendation, a road-map occurrence's document, a
 * decision's document. Stored in the database (`evidence_files`, bytea), type checked by content (src/core/cycle/
 * evidence-type.ts), at most 10 MB. Access follows the owner: a recommendation's files are visible to municipal roles
 * and to the representative of the organisation it is addressed to; road-map and decision files to municipal roles
 * only. Uploads and downloads are audited (a download is an export of non-public data). */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { occurrences } from '../../core/calendar/index.ts';
import { evidenceFileName, sniffEvidence, storedRule, type EvidenceKindCode } from '../../core/cycle/index.ts';
import { byteaAsBase64, byteaValue, fromBase64 } from '../../db/bytea.ts';
import type { Role } from '../../core/registry/schema.ts';
import type { Database, EvidenceOwnerType } from '../../db/schema.ts';
import { recordAudit } from '../admin/audit.ts';
import { SYSTEM_ACTOR, ServiceError, type Actor } from '../errors.ts';
import { getDecision, getRecommendation, type Viewer } from './recommendations.ts';
import { UUID } from '../../core/uuid.ts';

const fileError = (message: string) => new ServiceError('validation', 'EVIDENCE_REFUSED', message, [{ path: 'file', message }]);

export interface EvidenceOwner {
  type: EvidenceOwnerType;
  id: string;
  /** Road-map occurrence (its due date) the file evidences. */
  occurrenceDue?: string | null;
}

export interface EvidenceDto {
  id: string;
  ownerType: EvidenceOwnerType;
  ownerId: string;
  occurrenceDue: string | null;
  fileName: string;
  kind: EvidenceKindCode;
  size: number;
  sha256: string;
  uploaderLogin: string | null;
  at: string;
  /** Where to download it (always as an attachment). */
  url: string;
  /** Removed (issue 24): when and by whom, and the last day it can be restored; null — in force. */
  removed: { at: string; login: string | null; restorableUntil: string } | null;
}

/** Days a removed file stays restorable. */
export const EVIDENCE_RESTORE_DAYS = 30;

/** Who asks to remove or restore: the uploader may, and an analyst (or administrator) of the municipality may. */
export interface EvidenceRemover {
  actor: Actor;
  role: Role;
}

const forbidden = () => new ServiceError('forbidden', 'FORBIDDEN', 'Файл недоступен: он относится к другой организации или к документам управления');

/** Checks the owner exists and the viewer may see it; returns the organisation whose representative may see its files. */
async function resolveOwner(db: Kysely<Database>, viewer: Viewer, owner: EvidenceOwner): Promise<{ organisationId: string | null }> {
  if (owner.type === 'recommendation') {
    const rec = await getRecommendation(db, viewer, owner.id);
    return { organisationId: rec.organisationId };
  }
  if (viewer.orgScope) throw forbidden();
  if (owner.type === 'decision') {
    await getDecision(db, owner.id);
    return { organisationId: null };
  }
  const event = UUID.test(owner.id) ? await db.selectFrom('roadmap_events').selectAll().where('id', '=', owner.id).executeTakeFirst() : undefined;
  if (!event) throw new ServiceError('not_found', 'ROADMAP_EVENT_NOT_FOUND', 'Мероприятие дорожной карты не найдено');
  if (owner.occurrenceDue) {
    const rule = storedRule(event.rule);
    const dues = new Set([...occurrences(rule, event.year), ...occurrences(rule, event.year, { by: 'due' })].map((o) => o.due));
    if (!dues.has(owner.occurrenceDue)) throw new ServiceError('validation', 'VALIDATION', 'Проверьте заполнение полей', [{ path: 'occurrenceDue', message: `У мероприятия нет срока ${owner.occurrenceDue} в ${event.year} году` }]);
  }
  return { organisationId: null };
}

function restorableUntil(removedAt: Date): string {
  return new Date(removedAt.getTime() + EVIDENCE_RESTORE_DAYS * 86_400_000).toISOString();
}

function dto(r: { id: string; owner_type: EvidenceOwnerType; owner_id: string; occurrence_due: string | null; file_name: string; kind: EvidenceKindCode; size: number; sha256: string; uploader_login: string | null; at: Date; removed_at: Date | null; remover_login: string | null }): EvidenceDto {
  const removedAt = r.removed_at ? new Date(r.removed_at) : null;
  return {
    id: r.id, ownerType: r.owner_type, ownerId: r.owner_id, occurrenceDue: r.occurrence_due, fileName: r.file_name, kind: r.kind, size: Number(r.size),
    sha256: r.sha256, uploaderLogin: r.uploader_login, at: new Date(r.at).toISOString(), url: `/api/evidence/${r.id}`,
    removed: removedAt ? { at: removedAt.toISOString(), login: r.remover_login, restorableUntil: restorableUntil(removedAt) } : null,
  };
}

const COLUMNS = ['id', 'owner_type', 'owner_id', 'occurrence_due', 'file_name', 'kind', 'size', 'sha256', 'uploader_login', 'at', 'removed_at', 'remover_login'] as const;

export async function uploadEvidence(db: Kysely<Database>, actor: Actor, viewer: Viewer, owner: EvidenceOwner, file: { name: string; content: Uint8Array }): Promise<EvidenceDto> {
  const { organisationId } = await resolveOwner(db, viewer, owner);
  const sniffed = sniffEvidence(file.content);
  if (!sniffed.ok) throw fileError(sniffed.message);
  const sha256 = createHash('sha256').update(file.content).digest('hex');
  const fileName = evidenceFileName(file.name, sniffed.kind);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('evidence_files')
      .values({
        owner_type: owner.type, owner_id: owner.id, occurrence_due: owner.occurrenceDue ?? null, organisation_id: organisationId, file_name: fileName,
        kind: sniffed.kind, media_type: sniffed.mediaType, size: file.content.length, sha256, content: byteaValue(file.content), uploaded_by: actor.userId, uploader_login: actor.login,
      })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      action: 'evidence.upload', targetType: owner.type, targetId: owner.id,
      details: { fileId: row.id, fileName, kind: sniffed.kind, size: file.content.length, sha256, occurrenceDue: owner.occurrenceDue ?? null },
    });
    return dto(row);
  });
}

/** The files in force, then the removed ones still restorable (`now` — the caller's clock). */
export async function listEvidence(db: Kysely<Database>, viewer: Viewer, owner: EvidenceOwner, now: Date = new Date()): Promise<EvidenceDto[]> {
  await resolveOwner(db, viewer, { type: owner.type, id: owner.id });
  const oldest = new Date(now.getTime() - EVIDENCE_RESTORE_DAYS * 86_400_000);
  const rows = await db
    .selectFrom('evidence_files')
    .select(COLUMNS)
    .where('owner_type', '=', owner.type)
    .where('owner_id', '=', owner.id)
    .where((eb) => eb.or([eb('removed_at', 'is', null), eb('removed_at', '>', oldest)]))
    .orderBy('at')
    .orderBy('id')
    .execute();
  return rows.map(dto).sort((a, b) => Number(a.removed !== null) - Number(b.removed !== null));
}

/** Removes a file from its owner (the uploader, or an analyst or administrator): hidden from the list and from
 * downloads, restorable for 30 days; audited. An organisation representative removes only their own uploads of their
 * organisation's recommendations. */
export async function removeEvidence(db: Kysely<Database>, who: EvidenceRemover, viewer: Viewer, id: string): Promise<EvidenceDto> {
  return setRemoved(db, who, viewer, id, 'remove', new Date());
}

/** Restores a removed file within 30 days of its removal; audited. */
export async function restoreEvidence(db: Kysely<Database>, who: EvidenceRemover, viewer: Viewer, id: string, now: Date = new Date()): Promise<EvidenceDto> {
  return setRemoved(db, who, viewer, id, 'restore', now);
}

async function setRemoved(db: Kysely<Database>, who: EvidenceRemover, viewer: Viewer, id: string, op: 'remove' | 'restore', now: Date): Promise<EvidenceDto> {
  const row = UUID.test(id) ? await db.selectFrom('evidence_files').select([...COLUMNS, 'uploaded_by', 'organisation_id']).where('id', '=', id).executeTakeFirst() : undefined;
  if (!row) throw new ServiceError('not_found', 'EVIDENCE_NOT_FOUND', 'Файл не найден');
  await resolveOwner(db, viewer, { type: row.owner_type, id: row.owner_id });
  const manager = who.role === 'analyst' || who.role === 'admin';
  if (!manager && (row.uploaded_by === null || row.uploaded_by !== who.actor.userId))
    throw new ServiceError('forbidden', 'FORBIDDEN', 'Удалить или восстановить файл может тот, кто его загрузил, или аналитик');
  if (op === 'remove' && row.removed_at) throw new ServiceError('conflict', 'EVIDENCE_REMOVED', 'Файл уже удалён');
  if (op === 'restore') {
    if (!row.removed_at) throw new ServiceError('conflict', 'EVIDENCE_NOT_REMOVED', 'Файл не удалён');
    if (now.getTime() > new Date(restorableUntil(new Date(row.removed_at))).getTime())
      throw new ServiceError('conflict', 'EVIDENCE_EXPIRED', `Файл удалён больше ${EVIDENCE_RESTORE_DAYS} дней назад и не восстанавливается`);
  }
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('evidence_files')
      .set(op === 'remove' ? { removed_at: now, removed_by: who.actor.userId, remover_login: who.actor.login } : { removed_at: null, removed_by: null, remover_login: null })
      .where('id', '=', row.id)
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    await recordAudit(trx, who.actor, {
      action: op === 'remove' ? 'evidence.remove' : 'evidence.restore', targetType: row.owner_type, targetId: row.owner_id,
      details: { fileId: row.id, fileName: row.file_name, uploader: row.uploader_login, ...(op === 'remove' ? { restorableUntil: restorableUntil(now) } : {}) },
    });
    return dto(updated);
  });
}

/** The file for download; an organisation representative only gets files of recommendations addressed to them. */
export async function downloadEvidence(db: Kysely<Database>, actor: Actor, viewer: Viewer, id: string): Promise<{ fileName: string; mediaType: string; content: Buffer }> {
  const row = UUID.test(id) ? await db.selectFrom('evidence_files').select(['id', 'file_name', 'media_type', 'owner_type', 'owner_id', 'organisation_id']).select(byteaAsBase64(sql.ref('content')).as('content_base64')).where('id', '=', id).where('removed_at', 'is', null).executeTakeFirst() : undefined;
  if (!row) throw new ServiceError('not_found', 'EVIDENCE_NOT_FOUND', 'Файл не найден');
  if (viewer.orgScope && (row.owner_type !== 'recommendation' || row.organisation_id !== viewer.orgScope)) throw forbidden();
  if (viewer.orgScope) {
    // The recommendation may have been re-addressed since the upload: the current addressee decides.
    const rec = await db.selectFrom('recommendations').select('organisation_id').where('id', '=', row.owner_id).executeTakeFirst();
    if (rec?.organisation_id !== viewer.orgScope) throw forbidden();
  }
  await recordAudit(db, actor, { action: 'evidence.download', targetType: row.owner_type, targetId: row.owner_id, details: { fileId: row.id, fileName: row.file_name } });
  return { fileName: row.file_name, mediaType: row.media_type, content: fromBase64(row.content_base64) };
}

/** `Content-Disposition: attachment` with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
export function attachmentHeader(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** Removed files past their 30 days are deleted for good (a maintenance task, issue 24): the row and its content go;
 * one audit entry per pass names the files (id, name, owner) so the deletion stays traceable. Returns how many. */
export async function purgeRemovedEvidence(db: Kysely<Database>, now: Date): Promise<number> {
  const before = new Date(now.getTime() - EVIDENCE_RESTORE_DAYS * 86_400_000);
  return db.transaction().execute(async (trx) => {
    const gone = await trx.deleteFrom('evidence_files').where('removed_at', 'is not', null).where('removed_at', '<', before).returning(['id', 'file_name', 'owner_type', 'owner_id']).execute();
    if (gone.length)
      await recordAudit(trx, SYSTEM_ACTOR, {
        action: 'evidence.purge',
        targetType: 'evidence',
        targetId: gone.length === 1 ? (gone[0] as { id: string }).id : null,
        details: { days: EVIDENCE_RESTORE_DAYS, files: gone.map((g) => ({ id: g.id, name: g.file_name, ownerType: g.owner_type, ownerId: g.owner_id })) },
      });
    return gone.length;
  });
}
