/** The analysis of one work (subject × grade) from the server (`GET /api/campaigns/:id/analysis/work`, issue 22): the
 * ranking by each indicator, the signs of non-objectivity and the change against the previous campaign, computed from
 * that work's rows alone. The campaign and the basis are the analysis page's (its route and `?basis=`). `data` is only
 * ever the answer for the work asked (never the previous work's while the next one loads). */
import { useParams, useSearchParams } from 'react-router';
import type { WorkAnalysis } from '../../../../src/services/analysis/dimensional-work.ts';
import { query, type ApiError } from '../../api.ts';
import { useFetch } from '../../useFetch.ts';

export interface WorkState {
  data: WorkAnalysis | null;
  error: ApiError | null;
  loading: boolean;
}

/** `dims`: a value per dimension, or null when the selection is not asked from the server; with a dimension left out
 * (an open selection of a compact view: «по всем предметам») `indicator` is the aggregate ranked, computed from the
 * rows of the selection's works (dimensional-selection.ts); `indicator`: the ranking shown (the server computes only
 * it and the sign of non-objectivity). */
export function useWorkAnalysis(dims: Record<string, string> | null, indicator: string | null): WorkState {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const raw = params.get('basis');
  const basis = raw === 'accepted' || raw === 'all' ? raw : null;
  const path = dims && id ? `/api/campaigns/${encodeURIComponent(id)}/analysis/work${query({ basis, ...dims, indicator })}` : null;
  const fetched = useFetch<WorkAnalysis>(path);
  const current = path !== null && fetched.answered === path;
  return { data: current ? fetched.data : null, error: current ? fetched.error : null, loading: path !== null && !current };
}
