/** Request guard: CSRF check on state-changing methods, session lookup from the `msoko_sid` cookie, and the policy
 * decision for the matched route. Also enforces at registration that every route has a policy rule. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/cookie';
import type {} from '@fastify/csrf-protection';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { SessionUser } from '../core/registry/schema.ts';
import { resolveSession, type AuthSettings } from '../services/admin/auth.ts';
import type { Actor } from '../services/errors.ts';
import { MESSAGES, sendError } from './errors.ts';
import { POLICY, decide, findRule, routeId, type Rule } from './policy.ts';

export const SESSION_COOKIE = 'msoko_sid';
export const CSRF_COOKIE = 'msoko_csrf';
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
  deps: { db: Kysely<Database>; auth: AuthSettings; policy?: Readonly<Record<string, Rule>> },
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
    const token = request.cookies[SESSION_COOKIE];
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
