/** The analysis of one work (subject × grade) from the server (`GET /api/campaigns/:id/analysis/work`, issue 22): the
 * ranking by each indicator, the signs of non-objectivity and the change against the previous campaign, computed from
 * that work's rows alone. The campaign and the basis are the analysis page's (its route and `?basis=`). `data` is only
 * ever the answer for the work asked (never the previous work's while the next one loads). */
import { useEffect, useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import type { WorkAnalysis } from '../../../../src/services/analysis/dimensional-work.ts';
import { ApiError, api, query } from '../../api.ts';

export interface WorkState {
  data: WorkAnalysis | null;
  error: ApiError | null;
  loading: boolean;
}

/** `dims`: a value per dimension, or null when the selection is not one work (a dimension open: «по всем предметам»);
 * `indicator`: the ranking shown (the server computes only it and the sign of non-objectivity). */
export function useWorkAnalysis(dims: Record<string, string> | null, indicator: string | null): WorkState {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const raw = params.get('basis');
  const basis = raw === 'accepted' || raw === 'all' ? raw : null;
  const path = dims && id ? `/api/campaigns/${encodeURIComponent(id)}/analysis/work${query({ basis, ...dims, indicator })}` : null;
  const [state, setState] = useState<{ path: string; data: WorkAnalysis | null; error: ApiError | null } | null>(null);
  useEffect(() => {
    if (path === null) return;
    const ctrl = new AbortController();
    api
      .get<WorkAnalysis>(path, { signal: ctrl.signal })
      .then((data) => setState({ path, data, error: null }))
      .catch((err: unknown) => {
        if (ctrl.signal.aborted) return;
        setState({ path, data: null, error: err instanceof ApiError ? err : new ApiError(0, 'NETWORK', 'Сервер недоступен. Проверьте соединение.') });
      });
    return () => ctrl.abort();
  }, [path]);
  const current = state && state.path === path ? state : null;
  return { data: current?.data ?? null, error: current?.error ?? null, loading: path !== null && !current };
}
