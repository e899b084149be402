/** HTTP client of the SPA: same-origin cookies, CSRF token on writes, typed errors with the server's Russian message. */

export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;
  readonly fields: FieldError[];

  constructor(status: number, code: string, message: string, requestId?: string, fields: FieldError[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.requestId = requestId;
    this.fields = fields;
  }

  /** Field errors keyed by the first segment of the path (`shortName`, `inn`…). */
  fieldMap(): Record<string, string> {
    const map: Record<string, string> = {};
    for (const f of this.fields) {
      const key = String(f.path).split('.')[0] ?? '';
      if (!(key in map)) map[key] = f.message;
    }
    return map;
  }
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
let csrfToken: string | null = null;

async function fetchCsrfToken(): Promise<string> {
  const res = await fetch('/api/auth/csrf', { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (!res.ok) throw await toApiError(res);
  const body = (await res.json()) as { token: string };
  csrfToken = body.token;
  return csrfToken;
}

/** Forget the token; the next write fetches a fresh one (after login and logout the session changes). */
export function resetCsrf(): void {
  csrfToken = null;
}

async function toApiError(res: Response): Promise<ApiError> {
  let payload: unknown = null;
  try {
    payload = await res.json();
  } catch {
    /* not JSON */
  }
  const err = (payload as { error?: { code?: string; message?: string; requestId?: string; fields?: FieldError[] } } | null)?.error;
  const fallback = res.status === 429 ? 'Слишком много попыток. Повторите позже.' : `Ошибка сервера (${res.status})`;
  return new ApiError(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? fallback, err?.requestId, err?.fields ?? []);
}

function isCsrfError(err: ApiError): boolean {
  return err.status === 403 && /csrf/i.test(err.code + ' ' + err.message);
}

export interface RequestOptions {
  signal?: AbortSignal;
}

export async function request<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  const upper = method.toUpperCase();
  const send = async (): Promise<Response> => {
    const headers: Record<string, string> = { accept: 'application/json' };
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    if (WRITE_METHODS.has(upper)) headers['x-csrf-token'] = csrfToken ?? (await fetchCsrfToken());
    return fetch(path, { method: upper, headers, body: payload, credentials: 'same-origin', signal: opts.signal });
  };
  let res = await send();
  if (!res.ok) {
    let err = await toApiError(res);
    if (WRITE_METHODS.has(upper) && isCsrfError(err)) {
      csrfToken = null;
      res = await send();
      if (!res.ok) err = await toApiError(res);
    }
    if (!res.ok) throw err;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, undefined, opts),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  del: <T>(path: string) => request<T>('DELETE', path),
};

/** Builds `?a=1&b=2`, skipping empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Any error thrown by a request as an ApiError: a failure without a server answer becomes a NETWORK error with `message`. */
export function asApiError(err: unknown, message = 'Сервер недоступен'): ApiError {
  return err instanceof ApiError ? err : new ApiError(0, 'NETWORK', message);
}
