/** Survey results of one group (an organisation, a type, all): respondents, participation share against the number
 * of children, distributions, and the loyalty index — both computed by the methodology engine from a methodology
 * document built here (share(respondents, children); loyalty from the raw 0–10 answers with min_respondents), so
 * the figures and their explanations are the engine's, never a second implementation. Pure. */
import { compileMethodology, countScores, evaluateEntity, type Compiled, type Methodology } from '../methodology/index.ts';
import type { OrganisationType } from '../registry/schema.ts';
import { secondarySuppressionNote, suppressionNote, type GroupResult, type Question } from './schema.ts';

/** The document the engine evaluates for every group; `min` is the survey's minimum number of respondents. */
export function surveyMethodology(min: number): Methodology {
  return {
    id: 'survey-results',
    version: '1',
    direction: 'talents',
    title: 'Результаты анонимного опроса',
    inputs: {
      children: { type: 'integer', min: 0, title: 'Количество детей', required: false },
      respondents: { type: 'integer', min: 0, title: 'Количество респондентов' },
      score: { type: 'score', title: 'Оценка удовлетворённости 0–10' },
    },
    indicators: {
      participation_share: {
        title: 'Доля принявших участие в опросе от количества детей',
        unit: '%',
        kind: 'share',
        formula: 'share(respondents, children)',
        round: 1,
      },
      loyalty_index: {
        title: 'Индекс лояльности получателей образовательных услуг',
        kind: 'index',
        loyalty: { scores: 'score' },
        round: 1,
        min: -100,
        max: 100,
        min_respondents: { input: 'respondents', min },
      },
    },
  };
}

const compiledByMin = new Map<number, Compiled>();
function compiled(min: number): Compiled {
  let c = compiledByMin.get(min);
  if (!c) {
    const r = compileMethodology(surveyMethodology(min));
    if (!r.ok) throw new Error(`survey-results: ${r.errors.map((e) => e.message).join('; ')}`);
    c = r.compiled;
    compiledByMin.set(min, c);
  }
  return c;
}

/** Answer counts of a group: question id → stored value → count. */
export type AnswerCounts = Map<string, Map<string, number>>;

export interface GroupInput {
  key: string;
  label: string;
  type: OrganisationType | null;
  respondents: number;
  children: number | null;
  childrenSource: GroupResult['childrenSource'];
  childrenNote: string | null;
  counts: AnswerCounts;
  /** Free-text answers to show (survey total for analysts), else undefined. */
  texts?: Map<string, string[]>;
  /** Hidden although it has enough answers, so that no difference reveals a smaller group (`planSuppression`). */
  secondary?: boolean;
}

export type Suppression = 'primary' | 'secondary';

export interface SuppressionPlan {
  organisations: Map<string, Suppression>;
  types: Map<OrganisationType, Suppression>;
  total: Suppression | null;
}

/** Which groups to hide so that no group below `min` answers can be recovered by subtraction (issue 25).
 * Primary: every organisation, type and the total with fewer than `min` respondents. Secondary: what is shown
 * reveals, by difference, (a) for each shown type, the sum of its hidden organisations, and (b) for a shown total,
 * the sum of the hidden organisations of hidden types; each such residual must be 0 or at least `min`, so more
 * groups are hidden, smallest first (ties by key), until it is. Respondent counts themselves stay public. */
export function planSuppression(members: readonly { key: string; type: OrganisationType; respondents: number }[], min: number): SuppressionPlan {
  const organisations = new Map<string, Suppression>();
  const types = new Map<OrganisationType, Suppression>();
  const byType = new Map<OrganisationType, { key: string; respondents: number }[]>();
  for (const m of members) {
    if (m.respondents < min) organisations.set(m.key, 'primary');
    byType.set(m.type, [...(byType.get(m.type) ?? []), m]);
  }
  const sum = (xs: readonly { respondents: number }[]) => xs.reduce((n, x) => n + x.respondents, 0);
  const hiddenSum = (xs: readonly { key: string; respondents: number }[]) => sum(xs.filter((x) => organisations.has(x.key)));
  const smallestShown = (xs: readonly { key: string; respondents: number }[]) =>
    [...xs].filter((x) => !organisations.has(x.key) && x.respondents > 0).sort((a, b) => a.respondents - b.respondents || a.key.localeCompare(b.key))[0];
  for (const [t, xs] of byType) if (sum(xs) < min) types.set(t, 'primary');
  // (a) inside every shown type.
  for (const [t, xs] of byType) {
    if (types.has(t)) continue;
    let r = hiddenSum(xs);
    while (r > 0 && r < min) {
      const next = smallestShown(xs);
      if (!next) break; // cannot happen: a shown type has at least `min` answers
      organisations.set(next.key, 'secondary');
      r += next.respondents;
    }
  }
  const total = sum(members) < min ? 'primary' : null;
  // (b) across types, under a shown total.
  if (!total) {
    const rest = () => [...byType].filter(([t]) => types.has(t)).reduce((n, [, xs]) => n + hiddenSum(xs), 0);
    let r = rest();
    while (r > 0 && r < min) {
      const next = [...byType]
        .filter(([t, xs]) => !types.has(t) && sum(xs) > 0)
        .sort(([ta, a], [tb, b]) => sum(a) - sum(b) || ta.localeCompare(tb))[0];
      if (!next) break;
      const [t, xs] = next;
      types.set(t, 'secondary');
      r = rest();
      while (r > 0 && r < min) {
        const org = smallestShown(xs);
        if (!org) break;
        organisations.set(org.key, 'secondary');
        r += org.respondents;
      }
    }
  }
  return { organisations, types, total };
}

/** Adds `b` into `a` (for per-type and total groups). */
export function addCounts(a: AnswerCounts, b: AnswerCounts): AnswerCounts {
  for (const [q, m] of b) {
    const into = a.get(q) ?? new Map<string, number>();
    for (const [v, n] of m) into.set(v, (into.get(v) ?? 0) + n);
    a.set(q, into);
  }
  return a;
}

/** The raw 0–10 answers of a question from its counts (what the engine's loyalty-from-scores takes). */
export function scoresOf(counts: Map<string, number> | undefined): number[] {
  const out: number[] = [];
  if (!counts) return out;
  for (let s = 0; s <= 10; s++) {
    const n = counts.get(String(s)) ?? 0;
    for (let i = 0; i < n; i++) out.push(s);
  }
  return out;
}

export function groupResult(g: GroupInput, questions: readonly Question[], min: number): GroupResult {
  const loyaltyQ = questions.find((q) => q.loyalty);
  const scores = scoresOf(loyaltyQ ? g.counts.get(loyaltyQ.id) : undefined);
  const [share, loyalty] = evaluateEntity(compiled(min), ['participation_share', 'loyalty_index'], {
    key: g.key,
    values: { children: g.children, respondents: g.respondents },
    scores: { score: scores },
  });
  const suppressed = g.respondents < min || g.secondary === true;
  const participation = share
    ? { value: share.value, explanation: share.value === null ? `нет данных: ${share.reason ?? 'неизвестно количество детей'}` : share.explanation }
    : { value: null, explanation: 'нет данных' };
  return {
    key: g.key,
    label: g.label,
    type: g.type,
    respondents: g.respondents,
    children: g.children,
    childrenSource: g.childrenSource,
    childrenNote: g.childrenNote,
    participation,
    suppressed,
    suppressionNote: !suppressed ? null : g.respondents < min ? suppressionNote(min) : secondarySuppressionNote(min),
    questions: questions.map((q) => {
      const c = g.counts.get(q.id) ?? new Map<string, number>();
      const answered = q.kind === 'multiple' ? null : [...c.values()].reduce((s, n) => s + n, 0);
      const base = { questionId: q.id, kind: q.kind, text: q.text, answered: suppressed ? null : answered, distribution: null, options: null, loyalty: null, texts: null };
      if (suppressed) return base;
      if (q.kind === 'scale') {
        const distribution = Array.from({ length: 11 }, (_, s) => c.get(String(s)) ?? 0);
        let lr: GroupResult['questions'][number]['loyalty'] = null;
        if (q.loyalty && loyalty) {
          const counted = countScores(scores);
          const k = counted.ok ? counted.counts : { promoters: 0, neutrals: 0, critics: 0 };
          lr = { value: loyalty.value, promoters: k.promoters, neutrals: k.neutrals ?? 0, critics: k.critics, explanation: loyalty.explanation || loyalty.reason || '' };
        }
        return { ...base, distribution, loyalty: lr };
      }
      if (q.kind === 'single' || q.kind === 'multiple') {
        return { ...base, answered: q.kind === 'multiple' ? null : answered, options: q.options.map((label, i) => ({ label, count: c.get(String(i)) ?? 0 })) };
      }
      return { ...base, texts: g.texts?.get(q.id) ?? null };
    }),
  };
}
