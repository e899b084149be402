/** The department's requisites per municipality (issue 18), stored with history: every save appends a row (the table
 * is append-only), the latest is in force; saves are audited with the fields changed. A caller without a municipality
 * works with the deployment's first one, as the other settings do (src/services/admin/settings.ts). */
import type { Kysely } from 'kysely';
import { requisitesSchema, type Requisites } from '../../core/documents/requisites.ts';
import type { Database } from '../../db/schema.ts';
import { recordAudit } from '../admin/audit.ts';
import { municipalitySettings } from '../admin/settings.ts';
import { ServiceError, parseInput, type Actor } from '../errors.ts';

export interface RequisitesView {
  municipality: { id: string; name: string };
  requisites: Requisites;
  /** The row in force (null: never saved). */
  version: number | null;
  savedAt: string | null;
  savedBy: string | null;
  history: { version: number; at: string; login: string | null }[];
}

/** The municipality the caller's documents belong to. */
export async function documentMunicipality(db: Kysely<Database>, municipalityScope: string | null): Promise<{ id: string; name: string }> {
  const m = await municipalitySettings(db, municipalityScope);
  if (!m.id) throw new ServiceError('not_found', 'MUNICIPALITY_NOT_FOUND', 'Муниципалитет ещё не создан: добавьте организации в реестр');
  return { id: m.id, name: m.name };
}

/** The requisites in force (null: never saved) and the row's id. */
export async function currentRequisites(db: Kysely<Database>, municipalityId: string): Promise<{ version: number; requisites: Requisites } | null> {
  const row = await db.selectFrom('department_requisites').select(['id', 'data']).where('municipality_id', '=', municipalityId).orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (!row) return null;
  return { version: Number(row.id), requisites: requisitesSchema.parse(row.data) };
}

export async function getRequisites(db: Kysely<Database>, municipalityScope: string | null): Promise<RequisitesView> {
  const municipality = await documentMunicipality(db, municipalityScope);
  const rows = await db.selectFrom('department_requisites').select(['id', 'data', 'at', 'actor_login']).where('municipality_id', '=', municipality.id).orderBy('id', 'desc').limit(20).execute();
  const latest = rows[0];
  return {
    municipality,
    requisites: requisitesSchema.parse(latest?.data ?? {}),
    version: latest ? Number(latest.id) : null,
    savedAt: latest ? new Date(latest.at).toISOString() : null,
    savedBy: latest?.actor_login ?? null,
    history: rows.map((r) => ({ version: Number(r.id), at: new Date(r.at).toISOString(), login: r.actor_login })),
  };
}

/** Saves the whole set (absent fields become empty); an unchanged set is not saved again. */
export async function saveRequisites(db: Kysely<Database>, actor: Actor, municipalityScope: string | null, input: unknown): Promise<RequisitesView> {
  const data = parseInput(requisitesSchema, input);
  const municipality = await documentMunicipality(db, municipalityScope);
  const before = await currentRequisites(db, municipality.id);
  const changed = (Object.keys(data) as (keyof Requisites)[]).filter((k) => JSON.stringify(data[k]) !== JSON.stringify(before?.requisites[k] ?? (k === 'numbering' ? {} : '')));
  if (before && !changed.length) return getRequisites(db, municipality.id);
  await db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('department_requisites').values({ municipality_id: municipality.id, data: JSON.stringify(data), actor_user_id: actor.userId, actor_login: actor.login }).returning('id').executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      action: 'document.requisites.update',
      targetType: 'municipality',
      targetId: municipality.id,
      details: { version: Number(row.id), changed, before: before?.requisites ?? null, after: data },
    });
  });
  return getRequisites(db, municipality.id);
}
