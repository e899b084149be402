/** Domain errors thrown by services. They carry a kind, never an HTTP status: the HTTP layer maps kinds to statuses,
 * the CLI prints the message. */
import type { z } from 'zod';
import { issuesToFields, ruErrorMap, type FieldError } from '../core/registry/errors-ru.ts';

export type ServiceErrorKind = 'validation' | 'not_found' | 'conflict' | 'unauthorized' | 'forbidden' | 'rate_limited';

export class ServiceError extends Error {
  constructor(
    readonly kind: ServiceErrorKind,
    readonly code: string,
    message: string,
    readonly fields?: FieldError[],
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

/** Who performs an action, as recorded in the audit log. */
export interface Actor {
  userId: string | null;
  login: string | null;
  ip: string | null;
}

export const SYSTEM_ACTOR: Actor = { userId: null, login: 'system', ip: null };

/** Parses with a zod schema and Russian messages; throws a `validation` ServiceError with field messages. */
export function parseInput<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const result = schema.safeParse(data, { error: ruErrorMap });
  if (!result.success) throw new ServiceError('validation', 'VALIDATION', 'Проверьте заполнение полей', issuesToFields(result.error.issues));
  return result.data;
}
