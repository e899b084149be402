import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loyaltyFromCounts, loyaltyFromScores } from '../methodology/index.ts';
import { roundHalfUp } from '../format.ts';
import { checkAnswers } from './answers.ts';
import { groupResult, planSuppression, scoresOf, type AnswerCounts } from './results.ts';
import { surveyCreateSchema, type Question } from './schema.ts';

const Q: Question[] = [
  { id: 'q1', position: 1, kind: 'scale', text: 'Удовлетворённость', options: [], required: true, loyalty: true },
  { id: 'q2', position: 2, kind: 'single', text: 'Стаж', options: ['a', 'b'], required: true, loyalty: false },
  { id: 'q3', position: 3, kind: 'multiple', text: 'Направленности', options: ['x', 'y', 'z'], required: false, loyalty: false },
  { id: 'q4', position: 4, kind: 'text', text: 'Пожелания', options: [], required: false, loyalty: false },
];

describe('checkAnswers', () => {
  it('turns valid answers into rows (multiple choice: one row per option, deduplicated, sorted)', () => {
    expect(checkAnswers(Q, { q1: 9, q2: 1, q3: [2, 0, 2], q4: '  больше секций  ' })).toEqual({
      ok: true,
      rows: [
        { questionId: 'q1', value: '9' },
        { questionId: 'q2', value: '1' },
        { questionId: 'q3', value: '0' },
        { questionId: 'q3', value: '2' },
        { questionId: 'q4', value: 'больше секций' },
      ],
    });
  });
  it('refuses out-of-range, missing required and unknown questions in Russian', () => {
    expect(checkAnswers(Q, { q1: 10.5, q2: 2, q3: [3], q9: 1 })).toEqual({
      ok: false,
      errors: [
        { path: 'answers.q9', message: 'Такого вопроса в анкете нет' },
        { path: 'answers.q1', message: 'Вопрос 1: оценка — целое число от 0 до 10' },
        { path: 'answers.q2', message: 'Вопрос 2: выберите один из вариантов' },
        { path: 'answers.q3', message: 'Вопрос 3: выберите варианты из списка' },
      ],
    });
    expect(checkAnswers(Q, { q2: 0 })).toEqual({ ok: false, errors: [{ path: 'answers.q1', message: 'Вопрос 1: ответ обязателен' }] });
  });
});

describe('groupResult through the methodology engine', () => {
  const counts = (scores: number[]): AnswerCounts => {
    const m = new Map<string, number>();
    for (const s of scores) m.set(String(s), (m.get(String(s)) ?? 0) + 1);
    return new Map([['q1', m]]);
  };
  it('loyalty from raw answers equals loyalty from the counts of promoters, neutrals and critics', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 5, maxLength: 300 }), (scores) => {
        const g = groupResult({ key: 'k', label: 'k', type: null, respondents: scores.length, children: null, childrenSource: null, childrenNote: null, counts: counts(scores) }, Q, 5);
        const l = g.questions[0]!.loyalty!;
        expect(scoresOf(counts(scores).get('q1')).sort()).toEqual([...scores].sort());
        expect(l.value).toBe(roundHalfUp(loyaltyFromScores(scores).value!, 1));
        expect(l.value).toBe(roundHalfUp(loyaltyFromCounts({ promoters: l.promoters, neutrals: l.neutrals, critics: l.critics, respondents: scores.length }).value!, 1));
      }),
    );
  });
  it('suppresses everything but the number of respondents below the minimum', () => {
    const g = groupResult({ key: 'k', label: 'k', type: 'school', respondents: 4, children: 40, childrenSource: 'survey', childrenNote: null, counts: counts([10, 10, 9, 0]) }, Q, 5);
    expect(g).toMatchObject({ suppressed: true, suppressionNote: 'недостаточно ответов (< 5)', respondents: 4, participation: { value: 10 } });
    expect(g.questions.every((q) => q.distribution === null && q.loyalty === null && q.options === null && q.answered === null)).toBe(true);
  });
  it('participation needs the number of children', () => {
    const g = groupResult({ key: 'k', label: 'k', type: null, respondents: 6, children: null, childrenSource: null, childrenNote: null, counts: counts([9, 9, 9, 9, 9, 9]) }, Q, 5);
    expect(g.participation.value).toBeNull();
    expect(g.participation.explanation).toMatch(/^нет данных/);
    expect(g.questions[0]!.loyalty!.value).toBe(100);
  });
});

describe('surveyCreateSchema', () => {
  const base = { title: 'Опрос', period: '2022', audience: 'parents', participants: { mode: 'all' }, opensOn: '2022-01-01', closesOn: '2022-02-01' };
  it('defaults the minimum to 5 and allows one loyalty question only, a required 0–10 one', () => {
    const ok = surveyCreateSchema.parse({ ...base, questions: [{ kind: 'scale', text: 'Оценка', loyalty: true }] });
    expect(ok.minRespondents).toBe(5);
    const bad = surveyCreateSchema.safeParse({ ...base, questions: [{ kind: 'single', text: 'В', options: ['a', 'b'], loyalty: true }, { kind: 'scale', text: 'О', loyalty: true, required: false }] });
    expect(bad.success).toBe(false);
    const messages = bad.error?.issues.map((i) => i.message) ?? [];
    expect(messages).toEqual(
      expect.arrayContaining(['Индекс лояльности считается только по вопросу со шкалой 0–10', 'Вопрос для индекса лояльности должен быть обязательным', 'Индекс лояльности считается только по одному вопросу']),
    );
  });
});

describe('planSuppression (issue 25: no group below the minimum recoverable by subtraction)', () => {
  type M = { key: string; type: 'school' | 'preschool' | 'supplementary'; respondents: number };
  /** What the shown figures reveal by difference: per shown type, the hidden organisations' sum; under a shown
   * total, the hidden organisations of hidden types. Each must be 0 or at least `min`. */
  function residuals(members: M[], min: number): number[] {
    const plan = planSuppression(members, min);
    const types = [...new Set(members.map((m) => m.type))];
    const hidden = (t: string) => members.filter((m) => m.type === t && plan.organisations.has(m.key)).reduce((n, m) => n + m.respondents, 0);
    const out = types.filter((t) => !plan.types.has(t)).map(hidden);
    if (!plan.total) out.push(types.filter((t) => plan.types.has(t)).reduce((n, t) => n + hidden(t), 0));
    return out;
  }

  it('hides the other school when one school of the type is below the minimum (type minus school gave it away)', () => {
    const members: M[] = [
      { key: 'a', type: 'school', respondents: 6 },
      { key: 'b', type: 'school', respondents: 2 },
      { key: 'c', type: 'preschool', respondents: 5 },
      { key: 'd', type: 'supplementary', respondents: 0 },
    ];
    const plan = planSuppression(members, 5);
    expect(Object.fromEntries(plan.organisations)).toEqual({ a: 'secondary', b: 'primary', d: 'primary' });
    expect(Object.fromEntries(plan.types)).toEqual({ supplementary: 'primary' });
    expect(plan.total).toBeNull();
  });

  it('hides the smallest other type (and enough of its organisations) when a hidden type would be total minus the rest', () => {
    const members: M[] = [
      { key: 'a', type: 'school', respondents: 6 },
      { key: 'b', type: 'school', respondents: 7 },
      { key: 'c', type: 'preschool', respondents: 5 },
      { key: 'e', type: 'preschool', respondents: 9 },
      { key: 'd', type: 'supplementary', respondents: 3 },
    ];
    const plan = planSuppression(members, 5);
    expect(Object.fromEntries(plan.types)).toEqual({ supplementary: 'primary', school: 'secondary' });
    expect(Object.fromEntries(plan.organisations)).toEqual({ d: 'primary', a: 'secondary' });
    expect(residuals(members, 5)).toEqual([0, 9]);
  });

  it('nothing extra is hidden when every group reaches the minimum or has no answers', () => {
    const plan = planSuppression([{ key: 'a', type: 'school', respondents: 5 }, { key: 'b', type: 'school', respondents: 0 }, { key: 'c', type: 'preschool', respondents: 12 }], 5);
    expect(Object.fromEntries(plan.organisations)).toEqual({ b: 'primary' });
    expect(plan.types.size).toBe(0);
  });

  it('property: every residual the shown figures reveal is 0 or at least the minimum', () => {
    const member = fc.record({ type: fc.constantFrom('school' as const, 'preschool' as const, 'supplementary' as const), respondents: fc.nat({ max: 12 }) });
    fc.assert(
      fc.property(fc.array(member, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 10 }), (raw, min) => {
        const members = raw.map((m, i) => ({ ...m, key: `o${i}` }));
        for (const r of residuals(members, min)) expect(r === 0 || r >= min, `${r} < ${min}`).toBe(true);
        // Primary suppression is never undone.
        const plan = planSuppression(members, min);
        for (const m of members) if (m.respondents < min) expect(plan.organisations.get(m.key)).toBe('primary');
      }),
      { numRuns: 500 },
    );
  });
});
