import { describe, expect, it } from 'vitest';
import { academicYearOf, apportion, currentCampaignDates, currentCampaignState, interleave, loyaltyScores, splitLoyalty, syntheticPreviousYear } from './plan.ts';

describe('demo plan', () => {
  it('apportions a total exactly by weights', () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(apportion(2651, [708, 1552, 854]).reduce((a, b) => a + b, 0)).toBe(2651);
    expect(apportion(5, [0, 0])).toEqual([0, 0]);
  });

  it('splits the printed counts of a type over organisations so every category sums to the printed figure', () => {
    const school = { promoters: 3848, neutrals: 224, critics: 143 };
    const weights = [708, 1552, 854, 132, 120, 15];
    const parts = splitLoyalty(school, weights);
    const sum = (k: keyof typeof school) => parts.reduce((n, p) => n + p[k], 0);
    expect([sum('promoters'), sum('neutrals'), sum('critics')]).toEqual([3848, 224, 143]);
    expect(parts.every((p) => p.promoters >= 0 && p.neutrals >= 0 && p.critics >= 0)).toBe(true);
  });

  it('turns counts into scores of the right categories, interleaved so any prefix keeps the proportions', () => {
    const scores = loyaltyScores({ promoters: 6, neutrals: 2, critics: 2 });
    expect(scores.filter((s) => s >= 9)).toHaveLength(6);
    expect(scores.filter((s) => s === 7 || s === 8)).toHaveLength(2);
    expect(scores.filter((s) => s <= 6)).toHaveLength(2);
    const mixed = interleave(scores);
    expect([...mixed].sort()).toEqual([...scores].sort());
    expect(mixed.slice(0, 5).filter((s) => s >= 9)).toHaveLength(3);
  });

  it('anchors the current year at the seeding day', () => {
    expect(academicYearOf('2026-11-24')).toEqual({ start: 2026, code: '2026/2027' });
    expect(academicYearOf('2027-03-01')).toEqual({ start: 2026, code: '2026/2027' });
    expect(currentCampaignDates('2026-11-24')).toEqual({ opensOn: '2026-10-27', dueOn: '2026-11-21', closesOn: '2026-12-15' });
    expect([1, 47, 26, 5, 3].map(currentCampaignState)).toEqual(['returned', 'draft', 'returned', 'not_started', 'submitted']);
  });

  it('makes the synthetic previous year with fewer programmes, never none', () => {
    expect(syntheticPreviousYear({ students: 100, programmes: 10, surveyedStudents: 20 }, 2)).toEqual({ students: 102, programmes: 9, surveyedStudents: 13 });
    expect(syntheticPreviousYear({ students: 15, programmes: 1, surveyedStudents: 1 }, 5).programmes).toBe(1);
  });
});
