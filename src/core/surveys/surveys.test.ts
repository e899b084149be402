import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loyaltyFromCounts, loyaltyFromScores } from '../methodology/index.ts';
import { roundHalfUp } from '../format.ts';
import { checkAnswers } from './answers.ts';
import { groupResult, scoresOf, type AnswerCounts } from './results.ts';
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
