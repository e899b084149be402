/** Registry of organisations: list, read, create, edit, close, reopen. Every write is audited in the same
 * transaction. Org representatives are scoped by the caller (`organisationId` filter), the policy decides who. */
import { sql, type Kysely } from 'kysely';
import type { Database, OrganisationRow } from '../../db/schema.ts';
import {
  organisationCloseSchema,
  organisationCreateSchema,
  organisationUpdateSchema,
  type Organisation,
  type OrganisationListQuery,
} from '../../core/registry/schema.ts';
import { recordAudit } from '../admin/audit.ts';
import { ServiceError, parseInput, type Actor } from '../errors.ts';
import { UUID } from '../../core/uuid.ts';

export function presentOrganisation(r: OrganisationRow): Organisation {
  return {
    id: r.id,
    no: r.no,
    shortName: r.short_name,
    fullName: r.full_name,
    type: r.type,
    inn: r.inn,
    fisokoLogin: r.fisoko_login,
    growthPoint: r.growth_point,
    status: r.status,
    openedAt: r.opened_at,
    closedAt: r.closed_at,
    closeReason: r.close_reason,
  };
}

export async function getOrCreateMunicipality(db: Kysely<Database>, name: string): Promise<string> {
  const found = await db.selectFrom('municipalities').select('id').where('name', '=', name).executeTakeFirst();
  if (found) return found.id;
  const row = await db
    .insertInto('municipalities')
    .values({ name })
    .onConflict((oc) => oc.column('name').doUpdateSet({ name }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The municipality new organisations go to: the only (first created) one; created on first use. */
export async function defaultMunicipality(db: Kysely<Database>): Promise<string> {
  const first = await db.selectFrom('municipalities').select('id').orderBy('created_at').limit(1).executeTakeFirst();
  return first?.id ?? getOrCreateMunicipality(db, 'Муниципалитет');
}

export interface ListFilter extends Partial<OrganisationListQuery> {
  /** Restricts the list to one organisation (org representatives). */
  organisationId?: string | null;
  /** Restricts the list to the caller's municipality (issue 9). */
  municipalityId?: string | null;
}

export async function listOrganisations(db: Kysely<Database>, f: ListFilter = {}): Promise<Organisation[]> {
  let q = db.selectFrom('organisations').selectAll();
  const status = f.status ?? 'active';
  if (status !== 'all') q = q.where('status', '=', status);
  if (f.type) q = q.where('type', '=', f.type);
  if (f.organisationId) q = q.where('id', '=', f.organisationId);
  if (f.municipalityId) q = q.where('municipality_id', '=', f.municipalityId);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('short_name', 'ilike', like), eb('full_name', 'ilike', like), eb('inn', 'like', like), eb('fisoko_login', 'ilike', like)]));
  }
  const rows = await q.orderBy('no').execute();
  return rows.map(presentOrganisation);
}

async function findRow(db: Kysely<Database>, id: string): Promise<OrganisationRow> {
  const row = UUID.test(id) ? await db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
  if (!row) throw new ServiceError('not_found', 'ORGANISATION_NOT_FOUND', 'Организация не найдена');
  return row;
}

/** One organisation; with `municipalityId` (the caller's municipality), another municipality's is «not found». */
export async function getOrganisation(db: Kysely<Database>, id: string, municipalityId?: string | null): Promise<Organisation> {
  const row = await findRow(db, id);
  if (municipalityId && row.municipality_id !== municipalityId) throw new ServiceError('not_found', 'ORGANISATION_NOT_FOUND', 'Организация не найдена');
  return presentOrganisation(row);
}

/** Finds an organisation by its number in the registry or by id (CLI convenience). */
export async function findOrganisationByNoOrId(db: Kysely<Database>, ref: string): Promise<Organisation> {
  if (/^\d+$/.test(ref)) {
    const row = await db.selectFrom('organisations').selectAll().where('no', '=', Number(ref)).orderBy('created_at').executeTakeFirst();
    if (!row) throw new ServiceError('not_found', 'ORGANISATION_NOT_FOUND', `Организация № ${ref} не найдена`);
    return presentOrganisation(row);
  }
  return getOrganisation(db, ref);
}

/** A ФИС ОКО login is unique within a municipality (case-insensitive, migration 0017): a clear refusal naming the
 * organisation that has it, checked before the write (the unique index stays the guarantee). */
async function refuseTakenLogin(db: Kysely<Database>, municipalityId: string, login: string | null | undefined, selfId: string | null): Promise<void> {
  if (!login) return;
  let q = db.selectFrom('organisations').select(['id', 'short_name']).where('municipality_id', '=', municipalityId).where(sql<boolean>`lower(fisoko_login) = ${login.toLowerCase()}`);
  if (selfId) q = q.where('id', '<>', selfId);
  const other = await q.executeTakeFirst();
  if (other) throw takenLogin(login, other.short_name);
}

const takenLogin = (login: string, holder: string | null) =>
  new ServiceError('conflict', 'FISOKO_LOGIN_TAKEN', `Логин ФИС ОКО ${login.toLowerCase()} уже указан у организации ${holder ? `«${holder}»` : 'этого муниципалитета'}`, [
    { path: 'fisokoLogin', message: holder ? `Логин уже указан у организации «${holder}»` : 'Логин уже указан у другой организации' },
  ]);

function conflictOnNo(err: unknown, no: number | undefined, login?: string | null): never {
  if (err instanceof Error && /organisations_fisoko_login_idx/.test(err.message) && login) throw takenLogin(login, null);
  if (err instanceof Error && /organisations_municipality_no_key|duplicate key/.test(err.message)) {
    throw new ServiceError('conflict', 'ORGANISATION_NO_TAKEN', `Номер ${no ?? ''} уже занят другой организацией`, [
      { path: 'no', message: 'Номер уже занят' },
    ]);
  }
  throw err;
}

export async function createOrganisation(db: Kysely<Database>, actor: Actor, input: unknown, municipalityId?: string): Promise<Organisation> {
  const data = parseInput(organisationCreateSchema, input);
  return db.transaction().execute(async (trx) => {
    const mun = municipalityId ?? (await defaultMunicipality(trx));
    await refuseTakenLogin(trx, mun, data.fisokoLogin, null);
    const no =
      data.no ??
      (await trx.selectFrom('organisations').select(sql<number>`coalesce(max(no), 0) + 1`.as('next')).where('municipality_id', '=', mun).executeTakeFirstOrThrow()).next;
    const row = await trx
      .insertInto('organisations')
      .values({
        municipality_id: mun,
        no,
        short_name: data.shortName,
        full_name: data.fullName,
        type: data.type,
        inn: data.inn ?? null,
        fisoko_login: data.fisokoLogin ? data.fisokoLogin.toLowerCase() : null,
        growth_point: data.growthPoint ?? false,
        opened_at: data.openedAt ?? null,
        closed_at: null,
        close_reason: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch((e: unknown) => conflictOnNo(e, no, data.fisokoLogin));
    const org = presentOrganisation(row);
    await recordAudit(trx, actor, { action: 'organisation.create', targetType: 'organisation', targetId: org.id, details: { after: org } });
    return org;
  });
}

export async function updateOrganisation(db: Kysely<Database>, actor: Actor, id: string, input: unknown): Promise<Organisation> {
  const data = parseInput(organisationUpdateSchema, input);
  return db.transaction().execute(async (trx) => {
    const beforeRow = await findRow(trx, id);
    const before = presentOrganisation(beforeRow);
    const set: Record<string, unknown> = {};
    if (data.no !== undefined) set.no = data.no;
    if (data.shortName !== undefined) set.short_name = data.shortName;
    if (data.fullName !== undefined) set.full_name = data.fullName;
    if (data.type !== undefined) set.type = data.type;
    if (data.inn !== undefined) set.inn = data.inn;
    if (data.fisokoLogin !== undefined) {
      await refuseTakenLogin(trx, beforeRow.municipality_id, data.fisokoLogin, beforeRow.id);
      set.fisoko_login = data.fisokoLogin ? data.fisokoLogin.toLowerCase() : null;
    }
    if (data.growthPoint !== undefined) set.growth_point = data.growthPoint;
    if (data.openedAt !== undefined) set.opened_at = data.openedAt;
    if (Object.keys(set).length === 0) return before;
    const row = await trx
      .updateTable('organisations')
      .set({ ...set, updated_at: sql`now()` })
      .where('id', '=', before.id)
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch((e: unknown) => conflictOnNo(e, data.no, data.fisokoLogin));
    const after = presentOrganisation(row);
    const changed = Object.fromEntries(
      (Object.keys(after) as (keyof Organisation)[]).filter((k) => after[k] !== before[k]).map((k) => [k, { from: before[k], to: after[k] }]),
    );
    await recordAudit(trx, actor, { action: 'organisation.update', targetType: 'organisation', targetId: after.id, details: { changed } });
    return after;
  });
}

export async function closeOrganisation(db: Kysely<Database>, actor: Actor, id: string, input: unknown): Promise<Organisation> {
  const data = parseInput(organisationCloseSchema, input);
  return db.transaction().execute(async (trx) => {
    const before = await findRow(trx, id);
    if (before.status === 'closed') throw new ServiceError('conflict', 'ORGANISATION_ALREADY_CLOSED', 'Организация уже закрыта');
    if (before.opened_at && data.closedAt < before.opened_at) {
      throw new ServiceError('validation', 'VALIDATION', 'Проверьте заполнение полей', [
        { path: 'closedAt', message: 'Дата закрытия раньше даты открытия' },
      ]);
    }
    const row = await trx
      .updateTable('organisations')
      .set({ status: 'closed', closed_at: data.closedAt, close_reason: data.reason, updated_at: sql`now()` })
      .where('id', '=', before.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      action: 'organisation.close',
      targetType: 'organisation',
      targetId: row.id,
      details: { closedAt: data.closedAt, reason: data.reason },
    });
    return presentOrganisation(row);
  });
}

export async function reopenOrganisation(db: Kysely<Database>, actor: Actor, id: string): Promise<Organisation> {
  return db.transaction().execute(async (trx) => {
    const before = await findRow(trx, id);
    if (before.status === 'active') throw new ServiceError('conflict', 'ORGANISATION_NOT_CLOSED', 'Организация не закрыта');
    const row = await trx
      .updateTable('organisations')
      .set({ status: 'active', closed_at: null, close_reason: null, updated_at: sql`now()` })
      .where('id', '=', before.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      action: 'organisation.reopen',
      targetType: 'organisation',
      targetId: row.id,
      details: { closedAt: before.closed_at, reason: before.close_reason },
    });
    return presentOrganisation(row);
  });
}
