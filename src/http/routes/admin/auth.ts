/** Sign-in, sign-out, current user, CSRF token. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { loginRequestSchema, sessionUserSchema } from '../../../core/registry/schema.ts';
import { hashToken, login, logout, logoutEverywhere } from '../../../services/admin/auth.ts';
import type { AppContext } from '../../context.ts';
import { MESSAGES, sendError } from '../../errors.ts';
import { actorOf, csrfBinding } from '../../guard.ts';
import { errorResponses } from '../common.ts';

export function authRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const clearSession = (reply: FastifyReply) =>
      reply.clearCookie(ctx.cookies.session, { path: '/', httpOnly: true, sameSite: 'lax', secure: ctx.cookieSecure });

    app.get('/api/auth/csrf', {
      schema: {
        tags: ['auth'],
        summary: 'CSRF-токен для заголовка x-csrf-token (секрет — в cookie msoko_csrf, с HTTPS — __Host-msoko_csrf); токен привязан к сеансу: после входа и выхода получите новый',
        response: { 200: z.object({ token: z.string() }) },
      },
    }, async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return { token: reply.generateCsrf({ userInfo: csrfBinding(req.cookies[ctx.cookies.session]) }) };
    });

    app.post('/api/auth/login', {
      schema: {
        tags: ['auth'],
        summary: 'Вход по логину и паролю',
        body: loginRequestSchema,
        response: { 200: z.object({ user: sessionUserSchema }), ...errorResponses(400, 401, 403, 429) },
      },
    }, async (req, reply) => {
      const result = await login(ctx.db, { login: req.body.login, password: req.body.password, ip: req.ip, userAgent: req.headers['user-agent'] ?? null }, ctx.auth);
      // Rotation: the session the browser came with (if any) ends; the new one gets a new id.
      const previous = req.cookies[ctx.cookies.session];
      if (previous) await ctx.db.deleteFrom('sessions').where('id', '=', hashToken(previous)).execute();
      reply.header('cache-control', 'no-store');
      reply.setCookie(ctx.cookies.session, result.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: ctx.cookieSecure,
        expires: result.expiresAt,
      });
      return { user: result.user };
    });

    app.post('/api/auth/logout', {
      schema: { tags: ['auth'], summary: 'Выход (текущий сеанс)', response: { 204: z.null(), ...errorResponses(401, 403) } },
    }, async (req, reply) => {
      if (req.sessionId) await logout(ctx.db, actorOf(req), req.sessionId);
      clearSession(reply);
      return reply.code(204).send(null);
    });

    app.post('/api/auth/logout-all', {
      schema: { tags: ['auth'], summary: 'Выход на всех устройствах', response: { 204: z.null(), ...errorResponses(401, 403) } },
    }, async (req, reply) => {
      if (req.user) await logoutEverywhere(ctx.db, actorOf(req), req.user.id);
      clearSession(reply);
      return reply.code(204).send(null);
    });

    app.get('/api/auth/me', {
      schema: { tags: ['auth'], summary: 'Текущий пользователь', response: { 200: z.object({ user: sessionUserSchema }), ...errorResponses(401) } },
    }, async (req, reply) => {
      reply.header('cache-control', 'no-store');
      if (!req.user) return sendError(reply, 401, 'UNAUTHORIZED', MESSAGES.unauthorized);
      return { user: req.user };
    });
  };
}
