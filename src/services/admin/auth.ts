/** Authentication: password sign-in with DB-backed rate limiting, server-side sessions (only the sha256 of the
 * cookie token is stored), idle and absolute expiry, sign-out and sign-out everywhere. Stateless across processes:
 * everything lives in the database. */
import { createHash, randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { SessionUser } from '../../core/registry/schema.ts';
import { recordAudit } from './audit.ts';
import { ServiceError, type Actor } from '../errors.ts';
import { hashPassword, verifyPassword } from './users.ts';

export interface AuthSettings {
  /** A session unused this long is over. */
  idleMs: number;
  /** A session ends this long after sign-in whatever happens. */
  absoluteMs: number;
  /** Failed attempts per login+IP allowed within the window before 429. */
  maxFailures: number;
  windowMs: number;
}

export const DEFAULT_AUTH_SETTINGS: AuthSettings = {
  idleMs: 8 * 3600_000,
  absoluteMs: 7 * 24 * 3600_000,
  maxFailures: 5,
  windowMs: 15 * 60_000,
};

/** Session lifetimes from the environment (docs/operations.md): MSOKO_SESSION_IDLE_MINUTES — a session unused this
 * long ends (default 480 = 8 h); MSOKO_SESSION_MAX_HOURS — a session ends this long after sign-in whatever happens
 * (default 168 = 7 days). A value that is not a positive number stops the server with a Russian message. */
export function sessionSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): Pick<AuthSettings, 'idleMs' | 'absoluteMs'> {
  const read = (name: string, unitMs: number, fallback: number): number => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw.replace(',', '.'));
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}=${raw}: нужно положительное число`);
    return Math.round(n * unitMs);
  };
  const idleMs = read('MSOKO_SESSION_IDLE_MINUTES', 60_000, DEFAULT_AUTH_SETTINGS.idleMs);
  const absoluteMs = read('MSOKO_SESSION_MAX_HOURS', 3600_000, DEFAULT_AUTH_SETTINGS.absoluteMs);
  if (idleMs > absoluteMs) throw new Error('MSOKO_SESSION_IDLE_MINUTES больше MSOKO_SESSION_MAX_HOURS: простой не может быть дольше всего сеанса');
  return { idleMs, absoluteMs };
}

export const WRONG_CREDENTIALS = 'Неверный логин или пароль';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

let dummyHash: Promise<string> | undefined;
/** A hash to verify against when the login is unknown, so both cases take the same time. */
function dummy(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
}

/** Computes the dummy hash ahead of the first request, so the first unknown login is not slower than the rest. */
export async function prepareAuth(): Promise<void> {
  await dummy();
}

export interface LoginResult {
  token: string;
  user: SessionUser;
  expiresAt: Date;
}

export async function login(
  db: Kysely<Database>,
  input: { login: string; password: string; ip: string; userAgent?: string | null },
  settings: AuthSettings = DEFAULT_AUTH_SETTINGS,
): Promise<LoginResult> {
  const loginName = input.login.trim().toLowerCase();
  // The attempt is recorded (as a failure, until the password proves otherwise) BEFORE the password is verified, in
  // one transaction with the count and under a lock per login+IP (a transaction-scoped advisory lock, so it holds
  // across processes): concurrent attempts queue on the lock and each sees the ones before it, so no more than
  // `maxFailures` verifications can run in a window however many requests arrive at once (issue 25).
  const gate = await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`login:${loginName}|${input.ip}`}))`.execute(trx);
    const lastSuccess = await trx
      .selectFrom('login_attempts')
      .select(sql<Date | null>`max(at)`.as('at'))
      .where('login', '=', loginName)
      .where('ip', '=', input.ip)
      .where('success', '=', true)
      .executeTakeFirst();
    const windowStart = new Date(Date.now() - settings.windowMs);
    const since = lastSuccess?.at && new Date(lastSuccess.at) > windowStart ? new Date(lastSuccess.at) : windowStart;
    const failures = await trx
      .selectFrom('login_attempts')
      .select([sql<number>`count(*)::int`.as('n'), sql<Date | null>`min(at)`.as('first')])
      .where('login', '=', loginName)
      .where('ip', '=', input.ip)
      .where('success', '=', false)
      .where('at', '>', since)
      .executeTakeFirstOrThrow();
    if (Number(failures.n) >= settings.maxFailures) return { blocked: true as const, first: failures.first };
    const attempt = await trx.insertInto('login_attempts').values({ login: loginName, ip: input.ip, success: false }).returning('id').executeTakeFirstOrThrow();
    return { blocked: false as const, attemptId: attempt.id };
  });
  if (gate.blocked) {
    const first = gate.first ? new Date(gate.first).getTime() : Date.now();
    const retryMs = Math.max(1000, first + settings.windowMs - Date.now());
    const minutes = Math.ceil(retryMs / 60_000);
    await recordAudit(db, { userId: null, login: loginName, ip: input.ip }, { action: 'auth.login_blocked', targetType: 'user', details: { login: loginName } });
    throw new ServiceError('rate_limited', 'TOO_MANY_ATTEMPTS', `Слишком много попыток входа. Повторите через ${minutes} мин.`, undefined, Math.ceil(retryMs / 1000));
  }

  const user = await db
    .selectFrom('users')
    .leftJoin('organisations', 'organisations.id', 'users.organisation_id')
    .select(['users.id', 'users.login', 'users.full_name', 'users.role', 'users.organisation_id', 'users.municipality_id', 'users.password_hash', 'users.disabled', 'organisations.short_name as organisation_name'])
    .where(sql`lower(users.login)`, '=', loginName)
    .executeTakeFirst();
  const ok = await verifyPassword(user?.password_hash ?? (await dummy()), input.password);
  if (!user || !ok || user.disabled) {
    // The failure is already recorded (above).
    await recordAudit(db, { userId: null, login: loginName, ip: input.ip }, {
      action: 'auth.login_failed',
      targetType: 'user',
      targetId: user?.id ?? null,
      details: { login: loginName },
    });
    throw new ServiceError('unauthorized', 'INVALID_CREDENTIALS', WRONG_CREDENTIALS);
  }

  const token = randomBytes(32).toString('base64url');
  const now = Date.now();
  const expiresAt = new Date(now + settings.absoluteMs);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('login_attempts').set({ success: true }).where('id', '=', gate.attemptId).execute();
    await trx
      .insertInto('sessions')
      .values({ id: hashToken(token), user_id: user.id, expires_at: expiresAt, ip: input.ip, user_agent: input.userAgent?.slice(0, 500) ?? null })
      .execute();
    await recordAudit(trx, { userId: user.id, login: user.login, ip: input.ip }, { action: 'auth.login', targetType: 'user', targetId: user.id });
    // Housekeeping on sign-in (no background timer, so any number of processes can run): drop expired sessions
    // and attempts older than any rate-limit window.
    await trx.deleteFrom('sessions').where('expires_at', '<', new Date(now)).execute();
    await trx.deleteFrom('login_attempts').where('at', '<', new Date(now - Math.max(settings.windowMs, 24 * 3600_000))).execute();
  });
  return {
    token,
    expiresAt,
    user: {
      id: user.id,
      login: user.login,
      fullName: user.full_name,
      role: user.role,
      organisationId: user.organisation_id,
      organisationName: user.organisation_name ?? null,
      municipalityId: user.municipality_id,
    },
  };
}

export interface ResolvedSession {
  sessionId: string;
  user: SessionUser;
}

/** Looks a cookie token up; refreshes `last_seen_at` at most once a minute. Expired sessions are deleted. */
export async function resolveSession(db: Kysely<Database>, token: string, settings: AuthSettings = DEFAULT_AUTH_SETTINGS): Promise<ResolvedSession | null> {
  const id = hashToken(token);
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .leftJoin('organisations', 'organisations.id', 'users.organisation_id')
    .select([
      'sessions.id as sid',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'users.id',
      'users.login',
      'users.full_name',
      'users.role',
      'users.organisation_id',
      'users.municipality_id',
      'users.disabled',
      'organisations.short_name as organisation_name',
    ])
    .where('sessions.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  const now = Date.now();
  const lastSeen = new Date(row.last_seen_at).getTime();
  if (row.disabled || new Date(row.expires_at).getTime() <= now || lastSeen + settings.idleMs <= now) {
    await db.deleteFrom('sessions').where('id', '=', id).execute();
    return null;
  }
  if (now - lastSeen > 60_000) await db.updateTable('sessions').set({ last_seen_at: new Date(now) }).where('id', '=', id).execute();
  return {
    sessionId: id,
    user: {
      id: row.id,
      login: row.login,
      fullName: row.full_name,
      role: row.role,
      organisationId: row.organisation_id,
      organisationName: row.organisation_name ?? null,
      municipalityId: row.municipality_id,
    },
  };
}

export async function logout(db: Kysely<Database>, actor: Actor, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
  await recordAudit(db, actor, { action: 'auth.logout', targetType: 'user', targetId: actor.userId });
}

export async function logoutEverywhere(db: Kysely<Database>, actor: Actor, userId: string): Promise<number> {
  const res = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  const count = Number(res.numDeletedRows);
  await recordAudit(db, actor, { action: 'auth.logout_all', targetType: 'user', targetId: userId, details: { sessions: count } });
  return count;
}
