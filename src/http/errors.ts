/** Uniform JSON errors: `{ error: { code, message, requestId, fields? } }` with Russian messages. Validation goes
 * through zod with the Russian error map; stacks only reach the log. */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';
import { issuesToFields, ruErrorMap, type FieldError } from '../core/registry/errors-ru.ts';
import { ServiceError, type ServiceErrorKind } from '../services/errors.ts';

export interface ErrorBody {
  error: { code: string; message: string; requestId: string; fields?: FieldError[] };
}

export class RequestValidationError extends Error {
  readonly statusCode = 400;
  constructor(readonly fields: FieldError[]) {
    super('Проверьте заполнение полей');
    this.name = 'RequestValidationError';
  }
}

/** Zod validator compiler with Russian messages (replaces fastify-type-provider-zod's English one). */
export const validatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema }) => (data) => {
  const result = schema.safeParse(data, { error: ruErrorMap });
  if (result.success) return { value: result.data };
  return { error: new RequestValidationError(issuesToFields(result.error.issues)) };
};

const KIND_STATUS: Record<ServiceErrorKind, number> = {
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
};

export const MESSAGES = {
  unauthorized: 'Требуется вход в систему',
  forbidden: 'Недостаточно прав',
  notFound: 'Не найдено',
  internal: 'Внутренняя ошибка сервера',
  csrf: 'Недействительный CSRF-токен. Обновите страницу и повторите действие.',
} as const;

export function sendError(reply: FastifyReply, status: number, code: string, message: string, fields?: FieldError[]): FastifyReply {
  const body: ErrorBody = { error: { code, message, requestId: String(reply.request.id), ...(fields ? { fields } : {}) } };
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof RequestValidationError) return sendError(reply, 400, 'VALIDATION', err.message, err.fields);
    if (err instanceof ServiceError) {
      if (err.retryAfterSeconds) reply.header('retry-after', String(err.retryAfterSeconds));
      return sendError(reply, KIND_STATUS[err.kind], err.code, err.message, err.fields);
    }
    const code = err.code ?? '';
    if (code.startsWith('FST_CSRF')) return sendError(reply, 403, 'CSRF_INVALID', MESSAGES.csrf);
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(reply, 413, 'BODY_TOO_LARGE', 'Слишком большой запрос');
    if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendError(reply, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Неподдерживаемый тип содержимого');
    if (code === 'FST_ERR_CTP_INVALID_JSON_BODY' || code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err instanceof SyntaxError) {
      return sendError(reply, 400, 'INVALID_JSON', 'Некорректный JSON в теле запроса');
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const msg = status === 401 ? MESSAGES.unauthorized : status === 403 ? MESSAGES.forbidden : status === 404 ? MESSAGES.notFound : 'Некорректный запрос';
      return sendError(reply, status, code || `HTTP_${status}`, msg);
    }
    request.log.error({ err }, 'необработанная ошибка');
    return sendError(reply, 500, 'INTERNAL', MESSAGES.internal);
  });
}
