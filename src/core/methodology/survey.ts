/** Survey indicators: the loyalty index (NPS) from raw 0–10 answers or from counts of promoters (9–10),
 * neutrals (7–8) and critics (0–6). Pure; «нет данных» is null with a reason. */
import { formatNumber } from '../format.ts';

export interface LoyaltyCounts {
  promoters: number;
  neutrals: number | null;
  critics: number;
  respondents: number;
}
export interface LoyaltyResult {
  value: number | null;
  counts: LoyaltyCounts | null;
  promotersPct: number | null;
  criticsPct: number | null;
  reason?: string;
  /** A data problem worth telling (the groups do not add up to the respondents). */
  warning?: string;
  text: string;
}

/** Counts of the three groups from raw answers; answers outside 0–10 or not integers are an error value. */
export function countScores(scores: readonly number[]): { ok: true; counts: LoyaltyCounts } | { ok: false; error: string } {
  let promoters = 0;
  let neutrals = 0;
  let critics = 0;
  for (const s of scores) {
    if (!Number.isInteger(s) || s < 0 || s > 10) return { ok: false, error: `оценка ${formatNumber(s)} вне шкалы 0–10` };
    if (s >= 9) promoters++;
    else if (s >= 7) neutrals++;
    else critics++;
  }
  return { ok: true, counts: { promoters, neutrals, critics, respondents: scores.length } };
}

export function loyaltyFromCounts(input: {
  promoters: number | null;
  critics: number | null;
  neutrals?: number | null;
  respondents?: number | null;
}): LoyaltyResult {
  const { promoters, critics } = input;
  const neutrals = input.neutrals ?? null;
  if (promoters === null || critics === null)
    return { value: null, counts: null, promotersPct: null, criticsPct: null, reason: 'нет данных о сторонниках или критиках', text: 'нет данных о сторонниках или критиках' };
  const groups = promoters + critics + (neutrals ?? 0);
  const respondents = input.respondents ?? (neutrals === null ? null : groups);
  if (respondents === null)
    return { value: null, counts: null, promotersPct: null, criticsPct: null, reason: 'неизвестно число респондентов', text: 'неизвестно число респондентов (нет ни столбца респондентов, ни числа нейтралов)' };
  const counts = { promoters, neutrals, critics, respondents };
  if (respondents === 0)
    return { value: null, counts, promotersPct: null, criticsPct: null, reason: 'нет респондентов', text: 'респондентов 0 — деление на ноль' };
  const p = (promoters / respondents) * 100;
  const c = (critics / respondents) * 100;
  const warning =
    neutrals !== null && input.respondents !== undefined && input.respondents !== null && groups !== input.respondents
      ? `сторонники ${promoters} + нейтралы ${neutrals} + критики ${critics} = ${groups}, а респондентов ${input.respondents}`
      : undefined;
  const text = `сторонники ${formatNumber(promoters)} / ${formatNumber(respondents)} × 100 = ${formatNumber(p, 2)} % − критики ${formatNumber(critics)} / ${formatNumber(respondents)} × 100 = ${formatNumber(c, 2)} %`;
  return { value: p - c, counts, promotersPct: p, criticsPct: c, ...(warning ? { warning } : {}), text };
}

export function loyaltyFromScores(scores: readonly number[]): LoyaltyResult {
  const counted = countScores(scores);
  if (!counted.ok) return { value: null, counts: null, promotersPct: null, criticsPct: null, reason: counted.error, text: counted.error };
  const r = loyaltyFromCounts(counted.counts);
  return { ...r, text: `${scores.length} ответов: 9–10 баллов — ${counted.counts.promoters}, 7–8 — ${counted.counts.neutrals}, 0–6 — ${counted.counts.critics}; ${r.text}` };
}
