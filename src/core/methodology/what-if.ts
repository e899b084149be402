/** «Что если» (issue 15, item 3): the same data computed by two versions of a methodology — the one a campaign ran on
 * and a draft — compared: which organisations change value, level or points on which indicator, how each
 * organisation's sum of points moves, and how the municipal figures (aggregates) move. Pure. */
import { formatNumber } from '../format.ts';
import type { ComputeOutput, ResultRow, TotalRow } from './run.ts';

export interface Figure { value: number | null; level: string | null; points: number | null }

export interface ResultChange {
  organisation: string;
  dimensions?: Record<string, string | number>;
  indicator: string;
  code: string | null;
  title: string;
  before: Figure | null;
  after: Figure | null;
  /** What moved, in Russian: «уровень: средний → выше среднего; баллы: 1 → 2». */
  text: string;
}

export interface TotalChange { organisation: string; dimensions?: Record<string, string | number>; before: number | null; after: number | null; beforeLevel: string | null; afterLevel: string | null }
export interface AggregateChange { id: string; title: string; group: string | null; before: Figure | null; after: Figure | null; text: string }

export interface WhatIf {
  results: ResultChange[];
  totals: TotalChange[];
  aggregates: AggregateChange[];
  /** Organisations (× dimensions) compared, and how many change level, points or sum of points. */
  counts: { organisations: number; changedLevel: number; changedPoints: number; changedTotal: number };
}

const show = (n: number | null) => (n === null ? '—' : formatNumber(n));
const rowKey = (organisation: string, dimensions: Record<string, string | number> | undefined) => `${organisation}\u0000${dimensions ? JSON.stringify(dimensions) : ''}`;
const figure = (r: { value: number | null; level: string | null; points: number | null } | undefined): Figure | null =>
  r ? { value: r.value, level: r.level, points: r.points } : null;

/** «значение: 5,0 → 5,0; уровень: средний → выше среднего»; empty when nothing moved. */
export function describeChange(before: Figure | null, after: Figure | null): string {
  if (!before && after) return 'появляется в расчёте';
  if (before && !after) return 'выпадает из расчёта';
  if (!before || !after) return '';
  const parts: string[] = [];
  if (before.value !== after.value) parts.push(`значение: ${show(before.value)} → ${show(after.value)}`);
  if (before.level !== after.level) parts.push(`уровень: ${before.level ?? '—'} → ${after.level ?? '—'}`);
  if (before.points !== after.points) parts.push(`баллы: ${show(before.points)} → ${show(after.points)}`);
  return parts.join('; ');
}

/** Compares the outputs of the same tables under two versions (matched by dataset id). */
export function compareOutputs(before: readonly ComputeOutput[], after: readonly ComputeOutput[]): WhatIf {
  const results: ResultChange[] = [];
  const totals: TotalChange[] = [];
  const aggregates: AggregateChange[] = [];
  const entities = new Set<string>();
  const changedLevel = new Set<string>();
  const changedPoints = new Set<string>();
  const datasets = new Set([...before.map((o) => o.dataset.id), ...after.map((o) => o.dataset.id)]);
  for (const ds of datasets) {
    const b = before.find((o) => o.dataset.id === ds);
    const a = after.find((o) => o.dataset.id === ds);
    const byKey = (rows: readonly ResultRow[] | undefined) => new Map((rows ?? []).map((r) => [`${rowKey(r.organisation, r.dimensions)}\u0000${r.indicator}`, r]));
    const rb = byKey(b?.results);
    const ra = byKey(a?.results);
    for (const key of new Set([...rb.keys(), ...ra.keys()])) {
      const x = rb.get(key);
      const y = ra.get(key);
      const row = (y ?? x) as ResultRow;
      const ek = rowKey(row.organisation, row.dimensions);
      entities.add(ek);
      const text = describeChange(figure(x), figure(y));
      if (!text) continue;
      if (x?.level !== y?.level) changedLevel.add(ek);
      if (x?.points !== y?.points) changedPoints.add(ek);
      results.push({ organisation: row.organisation, ...(row.dimensions ? { dimensions: row.dimensions } : {}), indicator: row.indicator, code: row.code, title: row.title, before: figure(x), after: figure(y), text });
    }
    const tb = new Map((b?.totals ?? []).map((t) => [rowKey(t.organisation, t.dimensions), t]));
    const ta = new Map((a?.totals ?? []).map((t) => [rowKey(t.organisation, t.dimensions), t]));
    for (const key of new Set([...tb.keys(), ...ta.keys()])) {
      const x = tb.get(key);
      const y = ta.get(key);
      if (x?.points === y?.points && x?.level === y?.level) continue;
      const t = (y ?? x) as TotalRow;
      totals.push({ organisation: t.organisation, ...(t.dimensions ? { dimensions: t.dimensions } : {}), before: x?.points ?? null, after: y?.points ?? null, beforeLevel: x?.level ?? null, afterLevel: y?.level ?? null });
    }
    const ab = new Map((b?.aggregates ?? []).map((g) => [g.id, g]));
    const aa = new Map((a?.aggregates ?? []).map((g) => [g.id, g]));
    for (const id of new Set([...ab.keys(), ...aa.keys()])) {
      const x = ab.get(id);
      const y = aa.get(id);
      const text = describeChange(figure(x), figure(y));
      if (text) aggregates.push({ id, title: (y ?? x)?.title ?? id, group: (y ?? x)?.group ?? null, before: figure(x), after: figure(y), text });
    }
  }
  return { results, totals, aggregates, counts: { organisations: entities.size, changedLevel: changedLevel.size, changedPoints: changedPoints.size, changedTotal: totals.length } };
}
