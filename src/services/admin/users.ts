/** Users: creation (CLI, demo seed, later the admin UI) with argon2id password hashes. */
import { sql, type Kysely } from 'kysely';
import type { Algorithm } from '@node-rs/argon2';
import type { Database } from '../../db/schema.ts';
import { userCreateSchema, type Role } from '../../core/registry/schema.ts';
import { recordAudit } from './audit.ts';
import { ServiceError, parseInput, type Actor } from '../errors.ts';

export async function hashPassword(password: string): Promise<string> {
  const { hash } = await import('@node-rs/argon2');
  // `Algorithm` is a const enum (not importable under verbatimModuleSyntax); 2 is Argon2id.
  return hash(password, { algorithm: 2 as Algorithm.Argon2id });
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  const { verify } = await import('@node-rs/argon2');
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

export interface CreatedUser {
  id: string;
  login: string;
  fullName: string;
  role: Role;
  organisationId: string | null;
}

/** A regional analyst (issue 9) belongs to a region, not to a municipality: `regionId`, else the region of
 * `municipalityId`, else the only region. Everyone else belongs to a municipality (default: the first one). */
export async function createUser(db: Kysely<Database>, actor: Actor, input: unknown, municipalityId?: string | null, regionId?: string | null): Promise<CreatedUser> {
  const data = parseInput(userCreateSchema, input);
  const passwordHash = await hashPassword(data.password);
  return db.transaction().execute(async (trx) => {
    // Sign-in is case-insensitive, so logins must be unique regardless of case.
    const taken = await trx.selectFrom('users').select('id').where(sql`lower(login)`, '=', data.login.toLowerCase()).executeTakeFirst();
    if (taken) throw new ServiceError('conflict', 'LOGIN_TAKEN', `Логин «${data.login}» уже занят`, [{ path: 'login', message: 'Логин уже занят' }]);
    let mun = municipalityId ?? null;
    const organisationId = data.role === 'org_rep' || data.organisationId ? (data.organisationId ?? null) : null;
    if (organisationId) {
      const org = await trx.selectFrom('organisations').select(['id', 'municipality_id']).where('id', '=', organisationId).executeTakeFirst();
      if (!org) throw new ServiceError('validation', 'VALIDATION', 'Проверьте заполнение полей', [{ path: 'organisationId', message: 'Организация не найдена' }]);
      mun = mun ?? org.municipality_id;
    }
    let region: string | null = null;
    if (data.role === 'regional_analyst') {
      region = regionId ?? (mun ? ((await trx.selectFrom('municipalities').select('region_id').where('id', '=', mun).executeTakeFirst())?.region_id ?? null) : null);
      if (!region) {
        const regions = await trx.selectFrom('regions').select('id').limit(2).execute();
        if (regions.length === 1) region = regions[0]?.id ?? null;
      }
      if (!region) throw new ServiceError('validation', 'VALIDATION', 'Проверьте заполнение полей', [{ path: 'role', message: 'Региональному аналитику нужен регион: в базе нет региона (создайте его командой msoko generate или в демо)' }]);
      mun = null;
    } else if (!mun) mun = (await trx.selectFrom('municipalities').select('id').orderBy('created_at').limit(1).executeTakeFirst())?.id ?? null;
    const row = await trx
      .insertInto('users')
      .values({
        login: data.login,
        full_name: data.fullName,
        password_hash: passwordHash,
        role: data.role,
        organisation_id: organisationId,
        municipality_id: mun,
        region_id: region,
      })
      .returning(['id', 'login', 'full_name', 'role', 'organisation_id'])
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      action: 'user.create',
      targetType: 'user',
      targetId: row.id,
      details: { login: row.login, role: row.role, organisationId: row.organisation_id },
    });
    return { id: row.id, login: row.login, fullName: row.full_name, role: row.role, organisationId: row.organisation_id };
  });
}
