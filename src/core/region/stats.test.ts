import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileMethodology, MethodologySchema, type Compiled } from '../methodology/index.ts';
import { campaignStats, levelIndicators, metricsOf } from './stats.ts';

const m = MethodologySchema.parse(parse(readFileSync(new URL('../../../library/talents-2021.yaml', import.meta.url), 'utf8')));
const compiled = (compileMethodology(m) as { ok: true; compiled: Compiled }).compiled;
// Seed 004, Таблица № 3: the 51 organisations' students and programmes (the golden data).
const rows = readFileSync(new URL('../../../library/synthetic/seed-004-organisations.csv', import.meta.url), 'utf8').trim().split('\n').slice(1).map((l, i) => {
  const [type, students, programmes] = l.split(',');
  return { id: `org${i + 1}`, type: type as string, values: { students: Number(students), programmes: Number(programmes) } };
});

describe('per-municipality campaign statistics', () => {
  it('reproduces seed 004: municipal index 5,6 (mean of rounded indices) and 2,1 as ratio of sums', () => {
    const stats = campaignStats(compiled, rows.map((r) => ({ ...r, municipalityId: 'A' })));
    const get = (metric: string) => stats.find((s) => s.metric === metric);
    expect(get('aggregate:municipal_diversity_index')).toMatchObject({ value: 5.6, count: 51 });
    expect(get('aggregate:diversity_ratio_of_sums')).toMatchObject({ value: 2.1, count: 51 });
    const levels = stats.filter((s) => s.metric.startsWith('level:diversity_index:'));
    expect(levels.map((s) => s.metric.split(':')[2])).toEqual(['high', 'above_average', 'average', 'below_average', 'low']);
    expect(levels.reduce((s, x) => s + (x.value ?? 0), 0)).toBe(51);
    expect(get('mean:needs_survey_share')).toMatchObject({ value: null, count: 0 });
  });

  it('keeps municipalities apart: each gets its own figures from its own organisations', () => {
    const split = rows.map((r, i) => ({ ...r, municipalityId: i < 29 ? 'schools' : 'others' }));
    const stats = campaignStats(compiled, split);
    const schools = stats.find((s) => s.municipalityId === 'schools' && s.metric === 'mean:diversity_index');
    const all = campaignStats(compiled, rows.slice(0, 29).map((r) => ({ ...r, municipalityId: 'x' }))).find((s) => s.metric === 'mean:diversity_index');
    expect(schools?.count).toBe(29);
    expect(schools?.value).toBeCloseTo(all?.value as number, 12);
    expect(new Set(stats.map((s) => s.municipalityId))).toEqual(new Set(['schools', 'others']));
  });

  it('offers the aggregates and indicator means as comparison metrics, and levels only where a scale has them', () => {
    expect(metricsOf(m).map((x) => x.metric)).toEqual([
      'aggregate:municipal_diversity_index', 'aggregate:diversity_ratio_of_sums', 'aggregate:diversity_median', 'mean:diversity_index', 'mean:needs_survey_share',
    ]);
    expect(levelIndicators(m)).toEqual(['diversity_index']);
  });
});
