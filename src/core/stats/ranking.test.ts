import { describe, expect, it } from 'vitest';
import { averageRanks, competitionRanks, rankBy } from './ranking.ts';

describe('ranking', () => {
  const orgs = [
    { name: 'МБОУ СОШ № 3', value: 80 },
    { name: 'МБОУ СОШ № 1', value: 90 },
    { name: 'МБДОУ № 2', value: 80 },
    { name: 'МБУДО ЦДТ', value: null },
    { name: 'МБОУ СОШ № 10', value: 70 },
  ];

  it('competition ranking 1, 2, 2, 4 with ties listed by name, missing last', () => {
    const r = rankBy(orgs);
    expect(r.map((x) => [x.name, x.rank, x.averageRank, x.position])).toEqual([
      ['МБОУ СОШ № 1', 1, 1, 1],
      ['МБДОУ № 2', 2, 2.5, 2],
      ['МБОУ СОШ № 3', 2, 2.5, 3],
      ['МБОУ СОШ № 10', 4, 4, 4],
      ['МБУДО ЦДТ', null, null, 5],
    ]);
    expect(r.filter((x) => x.tied).map((x) => x.name)).toEqual(['МБДОУ № 2', 'МБОУ СОШ № 3']);
  });

  it('ascending order and ties after rounding', () => {
    const r = rankBy(
      [
        { name: 'Б', value: 5.04 },
        { name: 'А', value: 4.96 },
        { name: 'В', value: 3 },
      ],
      { order: 'asc', tieDigits: 1 },
    );
    expect(r.map((x) => [x.name, x.rank])).toEqual([
      ['В', 1],
      ['А', 2],
      ['Б', 2],
    ]);
  });

  it('average ranks match R rank(ties.method = "average")', () => {
    // R: rank(c(10, 20, 20, 5, 30, 20)) → 2 4 4 1 6 4
    expect(averageRanks([10, 20, 20, 5, 30, 20])).toEqual([2, 4, 4, 1, 6, 4]);
    expect(competitionRanks([10, 20, 20, 5, 30, 20])).toEqual([5, 2, 2, 6, 1, 2]);
    expect(competitionRanks([10, 20, 20, 5], 'asc')).toEqual([2, 3, 3, 1]);
  });
});
