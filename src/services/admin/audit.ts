/** Append-only audit log: who did what, when, from where. Writes go in the caller's transaction when given one. */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../errors.ts';

export interface AuditEntryInput {
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  details?: Record<string, unknown>;
}

/** The audit_log row of an entry (for a caller that writes it within a larger statement). */
export function auditRow(actor: Actor, entry: AuditEntryInput) {
  return {
    actor_user_id: actor.userId,
    actor_login: actor.login,
    action: entry.action,
    target_type: entry.targetType ?? null,
    target_id: entry.targetId ?? null,
    ip: actor.ip,
    details: JSON.stringify(entry.details ?? {}),
  };
}

export async function recordAudit(db: Kysely<Database>, actor: Actor, entry: AuditEntryInput): Promise<void> {
  await db.insertInto('audit_log').values(auditRow(actor, entry)).execute();
}

export interface AuditQuery {
  limit: number;
  offset: number;
  action?: string;
  actor?: string;
}

export interface AuditItem {
  id: number;
  at: string;
  actorLogin: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  details: unknown;
}

/** `municipalityId` (the administrator's municipality; null — every row): only rows whose actor is a user of that
 * municipality — by the user's id, or, for a failed or blocked sign-in (no user id), by the login tried (issue 24).
 * Rows of the system itself (demo seeding, maintenance) have no municipality and are left out of a municipal view. */
export async function listAudit(db: Kysely<Database>, q: AuditQuery, municipalityId: string | null = null): Promise<{ items: AuditItem[]; total: number }> {
  let base = db.selectFrom('audit_log');
  if (municipalityId !== null)
    base = base.where(sql<boolean>`exists (select 1 from users u where u.municipality_id = ${municipalityId}
      and (u.id = audit_log.actor_user_id or (audit_log.actor_user_id is null and lower(u.login) = lower(audit_log.actor_login))))`);
  if (q.action) base = base.where('action', '=', q.action);
  if (q.actor) base = base.where('actor_login', '=', q.actor);
  const [rows, count] = await Promise.all([
    base.selectAll().orderBy('id', 'desc').limit(q.limit).offset(q.offset).execute(),
    base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    total: Number(count.n),
    items: rows.map((r) => ({
      id: Number(r.id),
      at: new Date(r.at).toISOString(),
      actorLogin: r.actor_login,
      action: r.action,
      targetType: r.target_type,
      targetId: r.target_id,
      ip: r.ip,
      details: r.details,
    })),
  };
}
