/** Write routes without a body schema take no body: anything but an empty body or `{}` is refused with 400, so a
 * client that sends data to the wrong place learns it instead of seeing the action happen with its data ignored.
 * Multipart routes (file uploads) read their body themselves and are left alone. */
import type { FastifyInstance } from 'fastify';
import { sendError } from './errors.ts';

const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function emptyBody(body: unknown): boolean {
  if (body === undefined || body === '') return true;
  return typeof body === 'object' && body !== null && !Array.isArray(body) && Object.keys(body).length === 0;
}

export function installBodyGuard(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.some((m) => WRITE.has(m))) return;
    const schema = route.schema as { body?: unknown; consumes?: string[] } | undefined;
    if (schema?.body || schema?.consumes?.some((c) => c.startsWith('multipart/'))) return;
    const existing = route.preValidation;
    const hooks = existing ? (Array.isArray(existing) ? existing : [existing]) : [];
    route.preValidation = [
      async (request, reply) => {
        if (request.isMultipart?.()) return;
        if (!emptyBody(request.body)) return sendError(reply, 400, 'BODY_NOT_ALLOWED', 'Этот метод не принимает данных в теле запроса: отправьте пустое тело или {}');
      },
      ...hooks,
    ];
  });
}
