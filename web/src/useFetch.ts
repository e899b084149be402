/** Loads a GET resource; re-runs when the path changes. */
import { useCallback, useEffect, useState } from 'react';
import { ApiError, api } from './api.ts';

export interface FetchState<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  /** The path `data` and `error` answer (null before the first answer): while another path loads they are still the
   * previous one's, which a page that must never show them compares against its path. */
  answered: string | null;
  reload(): void;
}

export function useFetch<T>(path: string | null): FetchState<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(path !== null);
  const [tick, setTick] = useState(0);
  const [answered, setAnswered] = useState<string | null>(null);

  useEffect(() => {
    if (path === null) return;
    const ctrl = new AbortController();
    setLoading(true);
    setError(null);
    api
      .get<T>(path, { signal: ctrl.signal })
      .then((d) => {
        setData(d);
        setAnswered(path);
        setLoading(false);
      })
      .catch((err: unknown) => {
        if (ctrl.signal.aborted) return;
        setError(err instanceof ApiError ? err : new ApiError(0, 'NETWORK', 'Сервер недоступен. Проверьте соединение.'));
        setAnswered(path);
        setLoading(false);
      });
    return () => ctrl.abort();
  }, [path, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, answered, reload };
}
