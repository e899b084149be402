import { describe, expect, it } from 'vitest';
import { MethodologySchema, type ResultRow, type TotalRow } from '../methodology/index.ts';
import { lintRecommendationRules, proposeRecommendations } from './recommendation-rules.ts';

const methodology = MethodologySchema.parse({
  id: 'demo', version: '1', direction: 'talents', title: 'Демо',
  inputs: { a: { type: 'number', title: 'A' } },
  indicators: { share: { title: 'Доля', formula: 'a', scale: 'none', scale_note: 'без шкалы' } },
  recommendation_rules: [
    { id: 'low', when: 'share < 75 and share_level == "low"', addressee: 'head', text: 'Повысить долю' },
    { id: 'low', when: 'total_points >', addressee: 'teachers', text: 'x' },
    { id: 'other', when: 'coverage > 1', addressee: 'parents', text: 'y' },
  ],
});

const row = (organisation: string, value: number | null, levelCode: string | null): ResultRow => ({
  organisation, indicator: 'share', code: null, title: 'Доля', value, level: null, points: null, explanation: '',
  details: { line: 1, unrounded: value, round: null, levelCode, band: null, formula: 'a', substituted: '', inputs: [], suppressed: false, reason: null },
} as unknown as ResultRow);

describe('recommendation rules', () => {
  it('lint: duplicate id, a condition that does not parse, unknown names', () => {
    const items = lintRecommendationRules(methodology);
    expect(items.map((i) => i.path)).toEqual(['recommendation_rules[1].id', 'recommendation_rules[1].when', 'recommendation_rules[2].when']);
    expect(items[0]!.message).toBe('правило рекомендации «low» повторяется');
    expect(items[2]!.message).toContain('неизвестные имена: coverage');
  });

  it('proposes where the condition holds, skips (with the reason) where data is missing', () => {
    const rules = [methodology.recommendation_rules![0]!];
    const totals: TotalRow[] = [];
    const out = proposeRecommendations(rules, { results: [row('A', 60, 'low'), row('B', 90, 'high'), row('C', null, null)], totals });
    expect(out.proposals).toEqual([
      { organisation: 'A', rule: 'low', addressee: 'head', text: 'Повысить долю', dueDays: null, because: 'share < 75 and share_level == "low" при share = 60, share_level = low' },
    ]);
    expect(out.skipped).toEqual([{ organisation: 'C', rule: 'low', reason: 'нет данных: share' }]);
  });
});
