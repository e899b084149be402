/** Municipal aggregates, each explicit about what it means: mean of the organisations' values, ratio of sums, median,
 * min, max, count or share by level — optionally grouped by an organisation attribute. */
import { formatNumber, roundHalfUp } from '../format.ts';
import type { Value } from './expression.ts';
import type { IndicatorResult } from './evaluate.ts';
import { valueChain } from './explain.ts';
import { bandContains, bandName, describeBand } from './scale.ts';
import type { AggregateDef, LevelCode, Methodology } from './schema.ts';
import { AGGREGATE_METHOD_NAMES, LEVEL_CODES, LEVEL_NAMES } from './schema.ts';

export interface AggregateEntity {
  key: string;
  attributes: Record<string, string>;
  values: Record<string, Value>;
  results: Record<string, IndicatorResult>;
}
export interface AggregateResult {
  id: string;
  aggregate: string;
  title: string;
  method: AggregateDef['method'];
  group: string | null;
  level: LevelCode | null;
  value: number | null;
  unrounded: number | null;
  count: number;
  levelName: string | null;
  points: number | null;
  explanation: string;
}

/** With `explain: false` (default true) the `explanation` texts are left empty and every figure is the same: for the
 * region's statistics, which store the figures only (issue 23). */
export function computeAggregate(m: Methodology, id: string, def: AggregateDef, entities: readonly AggregateEntity[], opts: { explain?: boolean } = {}): AggregateResult[] {
  const groups = new Map<string | null, AggregateEntity[]>();
  if (def.group_by) {
    for (const e of entities) {
      const g = e.attributes[def.group_by] ?? e.key;
      const list = groups.get(g) ?? [];
      list.push(e);
      groups.set(g, list);
    }
  } else groups.set(null, [...entities]);
  const out: AggregateResult[] = [];
  const explain = opts.explain !== false;
  for (const [group, list] of groups) out.push(...computeGroup(m, id, def, group, list, explain));
  return out;
}

function computeGroup(m: Methodology, id: string, def: AggregateDef, group: string | null, list: AggregateEntity[], explain: boolean): AggregateResult[] {
  const gid = group === null ? id : `${id}.${group}`;
  // A dimension is named by its title («Предмет = Математика»), an attribute by its name.
  const by = def.group_by ? (m.dimensions?.[def.group_by]?.title ?? def.group_by) : '';
  const where = group === null ? '' : ` (${by} = ${group})`;
  const base = { aggregate: id, title: def.title, method: def.method, group, level: null, levelName: null, points: null };
  const digits = def.round;
  const useRounded = def.values !== 'unrounded';
  const valuesOf = () =>
    list
      .map((e) => ({ e, r: def.of ? e.results[def.of] : undefined }))
      .filter((x): x is { e: AggregateEntity; r: IndicatorResult } => x.r !== undefined && x.r.value !== null)
      .map((x) => ({ key: x.e.key, v: (useRounded ? x.r.value : x.r.unrounded) as number, level: x.r.level }));
  // `text` is a function: the explanation is built only when asked for.
  const finish = (raw: number | null, count: number, text: () => string): AggregateResult => {
    if (raw === null) return { ...base, id: gid, value: null, unrounded: null, count, explanation: explain ? `${AGGREGATE_METHOD_NAMES[def.method]}${where}: ${text()} — нет данных` : '' };
    const value = digits === undefined ? raw : roundHalfUp(raw, digits);
    let explanation = explain ? `${AGGREGATE_METHOD_NAMES[def.method]}${where}: ${text()} ${valueChain(raw, digits)}` : '';
    const r: AggregateResult = { ...base, id: gid, value, unrounded: raw, count, explanation };
    const scale = def.scale ? m.scales?.[def.scale] : undefined;
    if (scale && scale.bounds !== 'unspecified') {
      const b = scale.bands.find((x) => bandContains(x, value));
      if (b) {
        r.level = b.level ?? null;
        r.levelName = bandName(b);
        r.points = b.points ?? null;
        if (explain) explanation += ` → ${r.levelName ? `«${r.levelName}» ` : ''}(${describeBand(b, digits)})`;
      } else if (explain) explanation += ' → не попадает ни в одну полосу';
    }
    r.explanation = explanation;
    return r;
  };
  const what = def.of ? `«${m.indicators[def.of]?.title ?? def.of}»${useRounded ? '' : ' (неокруглённые)'}` : '';
  switch (def.method) {
    case 'mean_of_orgs': {
      const vs = valuesOf();
      if (!vs.length) return [finish(null, 0, () => what)];
      const sum = vs.reduce((s, x) => s + x.v, 0);
      return [finish(sum / vs.length, vs.length, () => `сумма ${what} по ${vs.length} организациям ${formatNumber(sum)} / ${vs.length}`)];
    }
    case 'median': {
      const vs = valuesOf().map((x) => x.v).sort((a, b) => a - b);
      if (!vs.length) return [finish(null, 0, () => what)];
      const mid = Math.floor(vs.length / 2);
      const med = vs.length % 2 ? (vs[mid] as number) : ((vs[mid - 1] as number) + (vs[mid] as number)) / 2;
      return [finish(med, vs.length, () => `${what} по ${vs.length} организациям`)];
    }
    case 'min':
    case 'max': {
      const vs = valuesOf();
      if (!vs.length) return [finish(null, 0, () => what)];
      const pick = vs.reduce((a, b) => (def.method === 'min' ? (b.v < a.v ? b : a) : b.v > a.v ? b : a));
      return [finish(pick.v, vs.length, () => `${what} — ${pick.key}`)];
    }
    case 'ratio_of_sums': {
      const num = def.numerator as string;
      const den = def.denominator as string;
      const mult = def.multiplier ?? 1;
      const valueOf = (e: AggregateEntity, n: string): number | null => {
        const r = e.results[n];
        const v = r ? r.value : e.values[n];
        return typeof v === 'number' ? v : null;
      };
      // One pass, no pair per entity (a campaign's per-dimension table has one entity per school × work).
      let sn = 0;
      let sd = 0;
      let count = 0;
      for (const e of list) {
        const a = valueOf(e, num);
        const b = valueOf(e, den);
        if (a === null || b === null) continue;
        sn += a;
        sd += b;
        count++;
      }
      const text = () => `Σ ${num} ${formatNumber(sn)} / Σ ${den} ${formatNumber(sd)}${mult !== 1 ? ` × ${formatNumber(mult)}` : ''}`;
      if (sd === 0) return [{ ...finish(null, count, text), explanation: explain ? `${AGGREGATE_METHOD_NAMES[def.method]}${where}: ${text()} — нет данных (деление на ноль)` : '' }];
      return [finish((sn / sd) * mult, count, text)];
    }
    case 'count_by_level':
    case 'share_by_level': {
      const vs = valuesOf();
      return LEVEL_CODES.map((level) => {
        const n = vs.filter((x) => x.level === level).length;
        const name = LEVEL_NAMES[level];
        if (def.method === 'count_by_level')
          return { ...base, id: `${gid}.${level}`, level, levelName: name, value: n, unrounded: n, count: vs.length, explanation: explain ? `${AGGREGATE_METHOD_NAMES[def.method]}${where}: «${name}» — ${n} из ${vs.length}` : '' };
        if (vs.length === 0)
          return { ...base, id: `${gid}.${level}`, level, levelName: name, value: null, unrounded: null, count: 0, explanation: explain ? `${AGGREGATE_METHOD_NAMES[def.method]}${where}: «${name}» — нет организаций` : '' };
        const raw = (n / vs.length) * 100;
        const value = digits === undefined ? raw : roundHalfUp(raw, digits);
        return { ...base, id: `${gid}.${level}`, level, levelName: name, value, unrounded: raw, count: vs.length, explanation: explain ? `${AGGREGATE_METHOD_NAMES[def.method]}${where}: «${name}» — ${n} / ${vs.length} × 100 ${valueChain(raw, digits)} %` : '' };
      });
    }
  }
}
