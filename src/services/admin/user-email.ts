/** A user's e-mail address for notifications (set by the administrator: API `PUT /api/users/:id/email`, CLI
 * `msoko user email`). Null removes it: the user then gets in-app notifications only. Audited. */
import { sql, type Kysely } from 'kysely';
import { userEmailSchema } from '../../core/notifications/schema.ts';
import type { Database } from '../../db/schema.ts';
import { recordAudit } from './audit.ts';
import { ServiceError, parseInput, type Actor } from '../errors.ts';
import { UUID } from '../../core/uuid.ts';

/** `who` is a user id or a login (case-insensitive). */
export async function setUserEmail(db: Kysely<Database>, actor: Actor, who: string, input: unknown): Promise<{ id: string; login: string; email: string | null }> {
  const email = parseInput(userEmailSchema, input).email || null;
  return db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom('users')
      .select(['id', 'login', 'email'])
      .where((eb) => (UUID.test(who) ? eb('id', '=', who) : eb(sql`lower(login)`, '=', who.toLowerCase())))
      .executeTakeFirst();
    if (!user) throw new ServiceError('not_found', 'USER_NOT_FOUND', 'Пользователь не найден');
    await trx.updateTable('users').set({ email }).where('id', '=', user.id).execute();
    await recordAudit(trx, actor, { action: 'user.email', targetType: 'user', targetId: user.id, details: { login: user.login, before: user.email, after: email } });
    return { id: user.id, login: user.login, email };
  });
}
