/** Request guard: CSRF check on state-changing methods, session lookup from the `msoko_sid` cookie, and the policy
 * decision for the matched route. Also enforces at registration that every route has a policy rule. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/cookie';
import type {} from '@fastify/csrf-protection';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { SessionUser } from '../core/registry/schema.ts';
import { hashToken, resolveSession, type AuthSettings } from '../services/admin/auth.ts';
import type { Actor } from '../services/errors.ts';
import { MESSAGES, sendError } from './errors.ts';
import { POLICY, decide, findRule, routeId, type Rule } from './policy.ts';

export interface CookieNames {
  session: string;
  csrf: string;
}

/** Cookie names. Over HTTPS (Secure cookies) they carry the `__Host-` prefix, which browsers accept only with Secure,
 * Path=/ and no Domain: a sibling subdomain cannot plant (toss) a session or CSRF cookie for this host. */
export function cookieNames(secure: boolean): CookieNames {
  return secure ? { session: '__Host-msoko_sid', csrf: '__Host-msoko_csrf' } : { session: 'msoko_sid', csrf: 'msoko_csrf' };
}

/** What a CSRF token is bound to (issue 25): the session cookie the browser sends (by its sha256, the stored session
 * id), or «anonymous». A token issued to one client is refused with another session, so a token and secret cookie
 * obtained anonymously cannot be replayed with a victim's session. The same string is used to issue the token
 * (`GET /api/auth/csrf`) and to verify it (every unsafe request). */
export function csrfBinding(sessionCookie: string | undefined): string {
  return sessionCookie ? `session:${hashToken(sessionCookie)}` : 'anonymous';
}

/** The HMAC key of CSRF tokens. Not a secret the protection rests on — the token also hashes the CSRF secret
 * (httpOnly cookie) and the session id, neither of which an attacker knows — but the same in every process, so any
 * process verifies any other's tokens. MSOKO_CSRF_KEY overrides it. */
export const CSRF_HMAC_KEY = process.env.MSOKO_CSRF_KEY || 'msoko-csrf-binding-v1';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyRequest {
    user: SessionUser | null;
    sessionId: string | null;
    /** Set by the policy for scoped roles: the only organisation the caller may see. */
    orgScope: string | null;
    /** The caller's municipality (issue 9): lists and single items outside it are not shown. Null for a regional
     * analyst (whose routes are regional) and for anonymous callers. */
    municipalityScope: string | null;
  }
  interface FastifyContextConfig {
    routeId?: string;
  }
}

export function actorOf(request: FastifyRequest): Actor {
  return { userId: request.user?.id ?? null, login: request.user?.login ?? null, ip: request.ip };
}

/** Must be called before any route is registered. */
export function installPolicyRegistry(app: FastifyInstance, policy: Readonly<Record<string, Rule>> = POLICY): string[] {
  const registered: string[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of methods) {
      const id = routeId(m, route.url);
      if (!findRule(id, policy)) throw new Error(`Маршрут ${id} не описан в политике доступа (src/http/policy.ts)`);
      if (m !== 'HEAD') registered.push(id);
    }
    route.config = { ...(route.config ?? {}), routeId: routeId(methods[0] ?? 'GET', route.url) };
  });
  return registered;
}

export function installGuard(
  app: FastifyInstance,
  deps: { db: Kysely<Database>; auth: AuthSettings; cookies: CookieNames; policy?: Readonly<Record<string, Rule>> },
): void {
  const policy = deps.policy ?? POLICY;
  app.decorateRequest('user', null);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('orgScope', null);
  app.decorateRequest('municipalityScope', null);

  app.addHook('onRequest', (request, reply, done) => {
    if (!UNSAFE.has(request.method)) return done();
    app.csrfProtection(request, reply, done);
  });

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (reply.sent) return;
    const token = request.cookies[deps.cookies.session];
    if (token && request.url.startsWith('/api/')) {
      const session = await resolveSession(deps.db, token, deps.auth);
      if (session) {
        request.user = session.user;
        request.sessionId = session.sessionId;
      }
    }
    const id = request.routeOptions.config?.routeId;
    if (!id) return; // not-found handler
    const rule = findRule(id, policy);
    if (!rule) return sendError(reply, 403, 'FORBIDDEN', MESSAGES.forbidden);
    const decision = decide(rule, request.user, (request.params ?? {}) as Record<string, unknown>);
    if (!decision.allow) {
      return decision.status === 401
        ? sendError(reply, 401, 'UNAUTHORIZED', MESSAGES.unauthorized)
        : sendError(reply, 403, 'FORBIDDEN', MESSAGES.forbidden);
    }
    request.orgScope = decision.orgScope;
    request.municipalityScope = request.user && request.user.role !== 'regional_analyst' ? request.user.municipalityId : null;
  });
}
