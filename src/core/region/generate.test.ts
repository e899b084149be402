import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MethodologySchema, type Methodology } from '../methodology/schema.ts';
import { median } from '../stats/descriptive.ts';
import { generateMunicipality, municipalitySizes, planMethodology, streamSeed, typeShares, type RegionSpec, type SampleOrganisation } from './generate.ts';

const sample: SampleOrganisation[] = readFileSync(new URL('../../../library/synthetic/seed-004-organisations.csv', import.meta.url), 'utf8')
  .trim().split('\n').slice(1).map((l) => {
    const [type, students, programmes] = l.split(',');
    return { type: type as SampleOrganisation['type'], students: Number(students), programmes: Number(programmes) };
  });
const load = (file: string): Methodology => MethodologySchema.parse(parse(readFileSync(new URL(`../../../library/${file}`, import.meta.url), 'utf8')));
const talents = load('talents-2021.yaml');
const leaders = load('directions/leaders.yaml');
const plans = [planMethodology(talents, ['school', 'preschool', 'supplementary']), planMethodology(leaders, ['school', 'preschool', 'supplementary'])];
const spec: RegionSpec = { municipalities: 40, organisations: 3000, years: 5, seed: 42, lastYear: 2021 };

describe('synthetic region generator', () => {
  it('reads the seed 004 sample: 29 schools, 18 preschools, 4 supplementary centres', () => {
    expect(sample).toHaveLength(51);
    const shares = typeShares(sample);
    expect(shares.school).toBeCloseTo(29 / 51, 10);
    expect(shares.preschool).toBeCloseTo(18 / 51, 10);
    expect(shares.supplementary).toBeCloseTo(4 / 51, 10);
  });

  it('splits the organisations over the municipalities exactly, at least 3 each, deterministically', () => {
    const sizes = municipalitySizes(spec);
    expect(sizes).toHaveLength(40);
    expect(sizes.reduce((s, x) => s + x, 0)).toBe(3000);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(3);
    expect(Math.max(...sizes)).toBeGreaterThan(Math.min(...sizes));
    expect(municipalitySizes(spec)).toEqual(sizes);
    expect(municipalitySizes({ ...spec, seed: 43 })).not.toEqual(sizes);
    expect(() => municipalitySizes({ ...spec, organisations: 100 })).toThrow(RangeError);
  });

  it('gives the same municipality for the same seed and index, another for another seed', () => {
    const sizes = municipalitySizes(spec);
    const a = generateMunicipality(spec, sizes, 3, sample, plans);
    const b = generateMunicipality(spec, sizes, 3, sample, plans);
    expect(b).toEqual(a);
    const other = generateMunicipality({ ...spec, seed: 43 }, municipalitySizes({ ...spec, seed: 43 }), 3, sample, plans);
    expect(other.campaigns[0]?.values).not.toEqual(a.campaigns[0]?.values);
    expect(streamSeed(1, 'x')).toBe(streamSeed(1, 'x'));
    expect(a.name).toContain('синтетические данные');
    expect(a.organisations.every((o) => o.fullName.includes('синтетические данные'))).toBe(true);
  });

  it('follows seed 004: type proportions and the medians of enrolment and programmes per type', () => {
    const sizes = municipalitySizes(spec);
    const all = sizes.flatMap((_, i) => generateMunicipality(spec, sizes, i, sample, plans).organisations);
    expect(all).toHaveLength(3000);
    const share = (t: string) => all.filter((o) => o.type === t).length / all.length;
    expect(Math.abs(share('school') - 29 / 51)).toBeLessThan(0.03);
    expect(Math.abs(share('preschool') - 18 / 51)).toBeLessThan(0.03);
    expect(Math.abs(share('supplementary') - 4 / 51)).toBeLessThan(0.02);
    for (const t of ['school', 'preschool'] as const) {
      const seedStudents = median(sample.filter((s) => s.type === t).map((s) => s.students)) as number;
      const seedProgrammes = median(sample.filter((s) => s.type === t).map((s) => s.programmes)) as number;
      const last = all.filter((o) => o.type === t);
      expect(Math.abs((median(last.map((o) => o.students[4] as number)) as number) / seedStudents - 1)).toBeLessThan(0.15);
      expect(Math.abs((median(last.map((o) => o.programmes[4] as number)) as number) / seedProgrammes - 1)).toBeLessThan(0.25);
    }
  });

  it('writes one campaign per methodology and year, with consistent shares and corrected values in history', () => {
    const sizes = municipalitySizes(spec);
    const m = generateMunicipality(spec, sizes, 0, sample, plans);
    expect(m.campaigns.map((c) => `${c.methodologyId} ${c.period}`)).toEqual(
      [2017, 2018, 2019, 2020, 2021].flatMap((y) => [`talents-2021 ${y}/${y + 1}`, `direction-leaders ${y}/${y + 1}`]),
    );
    const t = m.campaigns.find((c) => c.methodologyId === 'talents-2021' && c.year === 2021)!;
    expect(new Set(t.values.map((v) => v.input))).toEqual(new Set(['students', 'programmes', 'surveyed_students']));
    const byOrg = new Map<number, Record<string, number>>();
    for (const v of t.values) byOrg.set(v.organisation, { ...byOrg.get(v.organisation), [v.input]: v.value as number });
    for (const [k, v] of byOrg) {
      expect(v.students).toBe(m.organisations[k]!.students[4]);
      expect(v.surveyed_students).toBeLessThanOrEqual(v.students as number);
    }
    const l = m.campaigns.find((c) => c.methodologyId === 'direction-leaders')!;
    const leaderRows = new Map<number, Record<string, number | boolean>>();
    for (const v of l.values) leaderRows.set(v.organisation, { ...leaderRows.get(v.organisation), [v.input]: v.value });
    for (const v of leaderRows.values()) {
      expect(v.teachers_category as number).toBeLessThanOrEqual(v.teachers as number);
      expect(v.teacher_positions_qualified as number).toBeLessThanOrEqual(v.teacher_positions as number);
      expect(Object.keys(v).sort()).toEqual(Object.keys(leaders.datasets?.organisations?.columns ?? {}).sort());
    }
    const all = m.campaigns.flatMap((c) => c.values);
    const corrected = all.filter((v) => v.earlier !== null).length / all.length;
    expect(corrected).toBeGreaterThan(0.05);
    expect(corrected).toBeLessThan(0.15);
    expect(m.surveyScores).toHaveLength(m.organisations.length);
    expect(m.surveyScores.flat().every((s) => Number.isInteger(s) && s >= 0 && s <= 10)).toBe(true);
  });
});
