/** No NUL characters in requests (issue 25): PostgreSQL cannot store U+0000 in text («invalid byte sequence 0x00»),
 * so a NUL anywhere in a path parameter, the query string or a JSON body (values and keys) is refused here, in one
 * place, with a 400 validation error before authorisation looks at the parameters and before any service runs. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError } from '../core/registry/errors-ru.ts';
import { sendError } from './errors.ts';

export const NUL_MESSAGE = 'Недопустимый символ NUL (\\0)';

/** Paths (`a.b.0`) of the strings containing U+0000 inside a parsed value; iterative, so deep nesting is no risk. */
export function nulPaths(value: unknown, root: string, limit = 20): string[] {
  const out: string[] = [];
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length && out.length < limit) {
    const [v, p] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\0')) out.push(p);
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => stack.push([x, p ? `${p}.${i}` : String(i)]));
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k.includes('\0')) out.push(p ? `${p}.${k.replace(/\0/g, '\\0')}` : k.replace(/\0/g, '\\0'));
        stack.push([x, p ? `${p}.${k}` : k]);
      }
    }
  }
  return out;
}

function refuse(reply: FastifyReply, paths: string[]): FastifyReply {
  const fields: FieldError[] = paths.map((path) => ({ path, message: NUL_MESSAGE }));
  return sendError(reply, 400, 'VALIDATION', 'Проверьте заполнение полей: в запросе есть недопустимый символ NUL (\\0)', fields);
}

/** Must be installed before the guard (which reads path parameters) and the municipal-scope check. */
export function installNulGuard(app: FastifyInstance): void {
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const paths = [...nulPaths(request.params, ''), ...nulPaths(request.query, '')];
    if (paths.length || request.url.includes('%00')) return refuse(reply, paths.length ? paths : ['url']);
  });
  app.addHook('preValidation', async (request: FastifyRequest, reply: FastifyReply) => {
    if (reply.sent) return;
    const paths = nulPaths(request.body, '');
    if (paths.length) return refuse(reply, paths);
  });
}
