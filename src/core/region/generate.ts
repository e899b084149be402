/** A deterministic synthetic region (issue 9) for benchmarks and demos: municipalities of varying size, organisations
 * whose types follow seed 004's proportions and whose enrolments and programme counts are drawn from seed 004's own
 * organisations (an observed row of the same type, scaled by log-normal noise), and the values every computable
 * methodology asks of an organisation, year by year with a municipal trend. Pure: the same spec and sample give the
 * same region; each municipality depends only on (seed, its index), so municipalities can be generated one by one. */
import type { OrganisationType } from '../registry/schema.ts';
import type { Methodology } from '../methodology/schema.ts';
import { mulberry32 } from '../stats/cluster.ts';

export interface SampleOrganisation {
  type: OrganisationType;
  students: number;
  programmes: number;
}

export interface RegionSpec {
  municipalities: number;
  organisations: number;
  years: number;
  seed: number;
  /** First calendar year of the last academic year generated (2021 → `2021/2022`). */
  lastYear: number;
}

export type GeneratedValue = number | boolean;

export interface GeneratedOrganisation {
  no: number;
  shortName: string;
  fullName: string;
  type: OrganisationType;
  growthPoint: boolean;
  /** Enrolment and programme count per generated year (index 0 = the first year). */
  students: number[];
  programmes: number[];
}

export interface ValueRow {
  organisation: number;
  input: string;
  value: GeneratedValue;
  evidenceUrl: string | null;
  /** An earlier value that was corrected (history row before the final one), or null. */
  earlier: GeneratedValue | null;
}

export interface CampaignPlan {
  methodologyId: string;
  /** Academic year `2019/2020`. */
  period: string;
  year: number;
  organisations: number[];
  values: ValueRow[];
}

export interface GeneratedMunicipality {
  index: number;
  name: string;
  organisations: GeneratedOrganisation[];
  campaigns: CampaignPlan[];
  /** 0–10 satisfaction scores of parents per organisation, latest year only. */
  surveyScores: number[][];
}

/** What a methodology asks of one organisation: its organisation-level inputs and which share() pairs bind them. */
export interface InputPlan {
  name: string;
  type: 'integer' | 'number' | 'percent' | 'boolean';
  evidence: boolean;
  /** For a numerator of `share(a, b)`: the denominator b. */
  denominator: string | null;
}

export interface MethodologyPlan {
  id: string;
  types: readonly OrganisationType[];
  inputs: InputPlan[];
}

export const SYNTHETIC_MARK = 'синтетические данные';
const TYPES: readonly OrganisationType[] = ['school', 'preschool', 'supplementary'];

/** FNV-1a of the parts: the seed of one independent random stream. */
export function streamSeed(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join('\u0001')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function normal(rnd: () => number): number {
  const u = Math.max(rnd(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
}
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** Type proportions of the sample (seed 004: 29 schools, 18 preschools, 4 supplementary of 51). */
export function typeShares(sample: readonly SampleOrganisation[]): Record<OrganisationType, number> {
  const out: Record<OrganisationType, number> = { school: 0, preschool: 0, supplementary: 0 };
  for (const s of sample) out[s.type] += 1 / sample.length;
  return out;
}

/** Municipality sizes: log-normal weights, at least 3 organisations each, summing exactly to the total. */
export function municipalitySizes(spec: RegionSpec): number[] {
  const n = spec.municipalities;
  if (!Number.isInteger(n) || n < 1) throw new RangeError('municipalities must be a positive integer');
  if (spec.organisations < 3 * n) throw new RangeError('at least 3 organisations per municipality');
  const rnd = mulberry32(streamSeed(spec.seed, 'sizes'));
  const weights = Array.from({ length: n }, () => Math.exp(0.6 * normal(rnd)));
  const total = weights.reduce((s, w) => s + w, 0);
  const spare = spec.organisations - 3 * n;
  const raw = weights.map((w) => (w / total) * spare);
  const sizes = raw.map((x) => 3 + Math.floor(x));
  let left = spec.organisations - sizes.reduce((s, x) => s + x, 0);
  const order = raw.map((x, i) => ({ i, frac: x - Math.floor(x) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % n, left--) sizes[order[k]!.i]! += 1;
  return sizes;
}

/** Organisation-level inputs of a methodology (columns of its `unit: organisation` datasets). */
export function planMethodology(m: Methodology, types: readonly OrganisationType[]): MethodologyPlan {
  const names = new Set<string>();
  for (const ds of Object.values(m.datasets ?? {})) if (ds.unit === 'organisation' && !ds.responses) for (const input of Object.keys(ds.columns)) names.add(input);
  const denominators = new Map<string, string>();
  for (const ind of Object.values(m.indicators)) {
    for (const match of (ind.formula ?? '').matchAll(/share\(\s*([A-Za-z_]\w*)\s*,\s*([A-Za-z_]\w*)\s*\)/g)) denominators.set(match[1]!, match[2]!);
  }
  const inputs: InputPlan[] = [];
  for (const name of names) {
    const def = m.inputs[name];
    if (!def || !['integer', 'number', 'percent', 'boolean'].includes(def.type)) continue;
    inputs.push({ name, type: def.type as InputPlan['type'], evidence: def.evidence !== undefined, denominator: denominators.get(name) ?? null });
  }
  // Denominators first, so numerators can be drawn below them.
  inputs.sort((a, b) => Number(a.denominator !== null) - Number(b.denominator !== null));
  return { id: m.id, types, inputs };
}

interface MunicipalTrend {
  programmeGrowth: number;
  shareLevel: number;
  shareTrend: number;
  yesShare: number;
  promoterShare: number;
}

function baseCount(name: string, students: number): number {
  if (/teacher/.test(name)) return Math.max(2, Math.round(students / 12));
  if (name === 'students' || name === 'students_1_11') return students;
  if (name === 'children_5_17') return Math.round(students * 1.1);
  return Math.max(1, Math.round(students * 0.1));
}

function valuesFor(plan: MethodologyPlan, org: GeneratedOrganisation, t: number, trend: MunicipalTrend, rnd: () => number): Map<string, GeneratedValue> {
  const out = new Map<string, GeneratedValue>();
  const students = org.students[t] ?? 0;
  const level = clamp(trend.shareLevel + trend.shareTrend * t, 0.05, 0.97);
  for (const input of plan.inputs) {
    let v: GeneratedValue;
    if (input.name === 'programmes') v = org.programmes[t] ?? 0;
    else if (input.type === 'boolean') v = rnd() < clamp(trend.yesShare + 0.02 * t, 0, 1);
    else if (input.type === 'percent') v = Math.round(clamp(level + 0.12 * normal(rnd), 0, 1) * 1000) / 10;
    else if (input.type === 'number') v = Math.round((50 + 10 * normal(rnd)) * 10) / 10;
    else if (input.denominator) {
      const den = out.get(input.denominator);
      const base = typeof den === 'number' ? den : baseCount(input.denominator, students);
      const share = input.name === 'surveyed_students' ? clamp(0.2 + 0.08 * normal(rnd), 0, 1) : clamp(level + 0.12 * normal(rnd), 0, 1);
      v = Math.round(base * share);
    } else if (/_last_year$/.test(input.name)) {
      const now = out.get(input.name.replace(/_last_year$/, ''));
      v = Math.max(0, Math.round((typeof now === 'number' ? now : 5) * (1 - trend.shareTrend + 0.1 * normal(rnd))));
    } else if (/^(students|students_1_11|children_5_17|teachers|teacher_positions|gia11_takers|students_to_test|grade9_graduates)$/.test(input.name)) {
      v = baseCount(input.name, students);
    } else v = Math.max(0, Math.round(Math.exp(1 + 0.8 * normal(rnd)) - 1));
    out.set(input.name, v);
  }
  // `_last_year` inputs come before their pair in column order sometimes: recompute them once every base exists.
  for (const input of plan.inputs) {
    if (!/_last_year$/.test(input.name)) continue;
    const now = out.get(input.name.replace(/_last_year$/, ''));
    if (typeof now === 'number') out.set(input.name, Math.max(0, Math.round(now * (1 - trend.shareTrend + 0.1 * normal(rnd)))));
  }
  return out;
}

function earlierValue(v: GeneratedValue, rnd: () => number): GeneratedValue {
  if (typeof v === 'boolean') return !v;
  return Math.max(0, Math.round(v * (0.7 + 0.25 * rnd())) + (v === 0 ? 1 : 0));
}

/** One municipality of the synthetic region. `sizes` from `municipalitySizes(spec)`. */
export function generateMunicipality(spec: RegionSpec, sizes: readonly number[], index: number, sample: readonly SampleOrganisation[], plans: readonly MethodologyPlan[]): GeneratedMunicipality {
  const rnd = mulberry32(streamSeed(spec.seed, 'municipality', index));
  const shares = typeShares(sample);
  const byType = new Map(TYPES.map((t) => [t, sample.filter((s) => s.type === t)]));
  const trend: MunicipalTrend = {
    programmeGrowth: 0.04 + 0.05 * normal(rnd),
    shareLevel: 0.35 + 0.5 * rnd(),
    shareTrend: 0.02 + 0.02 * normal(rnd),
    yesShare: 0.5 + 0.45 * rnd(),
    promoterShare: 0.55 + 0.35 * rnd(),
  };
  const label = String(index + 1).padStart(2, '0');
  const organisations: GeneratedOrganisation[] = [];
  const size = sizes[index] ?? 0;
  const counters: Record<OrganisationType, number> = { school: 0, preschool: 0, supplementary: 0 };
  for (let k = 0; k < size; k++) {
    const u = rnd();
    const type: OrganisationType = u < shares.school ? 'school' : u < shares.school + shares.preschool ? 'preschool' : 'supplementary';
    const pool = byType.get(type)?.length ? (byType.get(type) as SampleOrganisation[]) : sample;
    const base = pool[Math.floor(rnd() * pool.length)] as SampleOrganisation;
    const students0 = Math.max(5, Math.round(base.students * Math.exp(0.25 * normal(rnd))));
    const programmes0 = Math.max(0, Math.round(base.programmes * Math.exp(0.3 * normal(rnd))));
    const students: number[] = [];
    const programmes: number[] = [];
    for (let t = 0; t < spec.years; t++) {
      const back = spec.years - 1 - t;
      students.push(Math.max(5, Math.round(students0 * (1 + 0.03 * normal(rnd)))));
      programmes.push(Math.max(0, Math.round(programmes0 / Math.pow(1 + trend.programmeGrowth, back) + 0.5 * normal(rnd))));
    }
    counters[type] += 1;
    const n = counters[type];
    const shortName = type === 'school' ? `СОШ №${n}` : type === 'preschool' ? `ДОУ №${n}` : `ЦДО №${n}`;
    const kind = type === 'school' ? 'МБОУ СОШ' : type === 'preschool' ? 'МАДОУ детский сад' : 'МБУ ДО центр';
    organisations.push({
      no: k + 1,
      shortName,
      fullName: `${kind} №${n} муниципалитета С-${label} (${SYNTHETIC_MARK})`,
      type,
      growthPoint: type === 'school' && rnd() < 0.15,
      students,
      programmes,
    });
  }
  const campaigns: CampaignPlan[] = [];
  for (let t = 0; t < spec.years; t++) {
    const year = spec.lastYear - (spec.years - 1 - t);
    for (const plan of plans) {
      const r = mulberry32(streamSeed(spec.seed, 'values', index, plan.id, year));
      const members = organisations.map((o, i) => ({ o, i })).filter((x) => plan.types.includes(x.o.type));
      const values: ValueRow[] = [];
      for (const { o, i } of members) {
        for (const [input, value] of valuesFor(plan, o, t, trend, r)) {
          const def = plan.inputs.find((p) => p.name === input);
          const evidenceUrl = def?.evidence && value === true ? `https://synthetic.invalid/${label}/${o.no}/${input}` : null;
          values.push({ organisation: i, input, value, evidenceUrl, earlier: r() < 0.1 ? earlierValue(value, r) : null });
        }
      }
      campaigns.push({ methodologyId: plan.id, period: `${year}/${year + 1}`, year, organisations: members.map((x) => x.i), values });
    }
  }
  const sr = mulberry32(streamSeed(spec.seed, 'survey', index));
  const surveyScores = organisations.map((o) => {
    const n = Math.min(60, 3 + Math.round((o.students[spec.years - 1] ?? 0) * 0.05));
    return Array.from({ length: n }, () => {
      const u = sr();
      if (u < trend.promoterShare) return 9 + Math.floor(sr() * 2);
      if (u < trend.promoterShare + (1 - trend.promoterShare) / 2) return 7 + Math.floor(sr() * 2);
      return Math.floor(sr() * 7);
    });
  });
  return { index, name: `Муниципалитет С-${label} (${SYNTHETIC_MARK})`, organisations, campaigns, surveyScores };
}
