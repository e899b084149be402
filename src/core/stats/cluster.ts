/** k-means clustering of organisations on standardised indicators, with k chosen by the silhouette.
 *
 * - Each indicator is turned into z-scores (sample sd); a constant indicator contributes 0 everywhere.
 *   Organisations with any missing indicator are left out and listed in `excluded`.
 * - Seeding is k-means++ driven by a seeded PRNG (mulberry32), `restarts` runs per k, the run with the
 *   least inertia (within-cluster sum of squared distances) is kept: same input + seed → same result.
 * - k runs over 2..min(maxK, n − 1, number of distinct organisations) (maxK = 6); the k with the greatest mean silhouette wins (ties → smaller k).
 * - Clusters are numbered by the mean of their centroid z-scores, highest first; members in Russian alphabetical order.
 *   Centroids are reported in original units (mean of the members' raw values). */

import { formatNumber, plural } from '../format.ts';
import { isPresent, type MaybeNumber } from './descriptive.ts';
import { err, ok, type Result } from './result.ts';

export interface ClusterItem {
  name: string;
  /** One value per indicator, in the order of `indicators`. */
  values: readonly MaybeNumber[];
}

export interface ClusterOptions {
  /** PRNG seed (any 32-bit integer). Default 1. */
  seed?: number;
  /** k-means++ restarts per k. Default 10. */
  restarts?: number;
  /** Largest k tried. Default 6. */
  maxK?: number;
  /** Fixed k instead of choosing by silhouette. */
  k?: number;
}

export interface Cluster {
  /** 1-based number in display order. */
  number: number;
  members: string[];
  /** Centroid per indicator in original units. */
  centroid: number[];
  /** Centroid per indicator in z-scores. */
  centroidZ: number[];
}

export interface ClusterResult {
  k: number;
  clusters: Cluster[];
  /** Mean silhouette for the chosen k. */
  silhouette: number;
  /** Mean silhouette of every k tried. */
  tried: { k: number; silhouette: number; inertia: number }[];
  inertia: number;
  /** Names left out because of a missing value. */
  excluded: string[];
  /** E.g. «Выбрано 3 кластера: средний силуэт 0,62 — наибольший среди k = 2…6». */
  explanation: string;
}

/** Deterministic 32-bit PRNG in [0, 1) (mulberry32). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Column-wise z-scores with the sample standard deviation; sd = 0 gives zeros. */
export function standardise(rows: readonly (readonly number[])[]): number[][] {
  const n = rows.length;
  const d = rows[0]?.length ?? 0;
  const means: number[] = [];
  const sds: number[] = [];
  for (let j = 0; j < d; j++) {
    const col = rows.map((r) => r[j] as number);
    const m = col.reduce((s, x) => s + x, 0) / n;
    const v = n > 1 ? col.reduce((s, x) => s + (x - m) ** 2, 0) / (n - 1) : 0;
    means.push(m);
    sds.push(Math.sqrt(v));
  }
  return rows.map((r) => r.map((x, j) => (sds[j]! > 1e-12 ? (x - means[j]!) / sds[j]! : 0)));
}

function dist2(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return s;
}

export interface KMeansRun {
  labels: number[];
  inertia: number;
}

function kmeansPlusPlus(points: readonly number[][], k: number, rand: () => number): number[][] {
  const centres: number[][] = [[...points[Math.floor(rand() * points.length)]!]];
  while (centres.length < k) {
    const d = points.map((p) => Math.min(...centres.map((c) => dist2(p, c))));
    const total = d.reduce((s, x) => s + x, 0);
    let idx = 0;
    if (total > 0) {
      let r = rand() * total;
      idx = d.findIndex((x) => (r -= x) < 0);
      if (idx < 0) idx = d.length - 1;
    } else {
      idx = Math.floor(rand() * points.length);
    }
    centres.push([...points[idx]!]);
  }
  return centres;
}

function lloyd(points: readonly number[][], k: number, rand: () => number): KMeansRun {
  const dim = points[0]!.length;
  let centres = kmeansPlusPlus(points, k, rand);
  let labels = new Array<number>(points.length).fill(-1);
  for (let iter = 0; iter < 300; iter++) {
    const next = points.map((p) => {
      let best = 0;
      for (let c = 1; c < k; c++) if (dist2(p, centres[c]!) < dist2(p, centres[best]!)) best = c;
      return best;
    });
    // An empty cluster takes the point farthest from its centre among clusters that can spare one.
    for (let c = 0; c < k; c++) {
      if (next.includes(c)) continue;
      const sizes = new Array<number>(k).fill(0);
      for (const l of next) sizes[l]! += 1;
      let far = -1;
      points.forEach((p, i) => {
        if (sizes[next[i]!]! < 2) return;
        if (far < 0 || dist2(p, centres[next[i]!]!) > dist2(points[far]!, centres[next[far]!]!)) far = i;
      });
      if (far >= 0) next[far] = c;
    }
    const changed = next.some((l, i) => l !== labels[i]);
    labels = next;
    centres = centres.map((old, c) => {
      const mem = points.filter((_, i) => labels[i] === c);
      return mem.length === 0 ? old : Array.from({ length: dim }, (_, j) => mem.reduce((s, p) => s + p[j]!, 0) / mem.length);
    });
    if (!changed) break;
  }
  const inertia = points.reduce((s, p, i) => s + dist2(p, centres[labels[i]!]!), 0);
  return { labels, inertia };
}

/** Best-of-`restarts` k-means run for a fixed k. */
export function kmeans(points: readonly number[][], k: number, seed = 1, restarts = 10): KMeansRun {
  const rand = mulberry32(seed);
  let best: KMeansRun | null = null;
  for (let r = 0; r < restarts; r++) {
    const run = lloyd(points, k, rand);
    if (best === null || run.inertia < best.inertia - 1e-12) best = run;
  }
  return best!;
}

/** Mean silhouette (Euclidean); a point alone in its cluster scores 0 (Rousseeuw's convention). */
export function silhouette(points: readonly number[][], labels: readonly number[]): number {
  const k = Math.max(...labels) + 1;
  const scores = points.map((p, i) => {
    const sums = new Array<number>(k).fill(0);
    const counts = new Array<number>(k).fill(0);
    points.forEach((q, j) => {
      if (j === i) return;
      sums[labels[j]!]! += Math.sqrt(dist2(p, q));
      counts[labels[j]!]! += 1;
    });
    const own = labels[i]!;
    if (counts[own] === 0) return 0;
    const a = sums[own]! / counts[own]!;
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && counts[c]! > 0) b = Math.min(b, sums[c]! / counts[c]!);
    const m = Math.max(a, b);
    return m === 0 ? 0 : (b - a) / m;
  });
  return scores.reduce((s, x) => s + x, 0) / scores.length;
}

const collator = new Intl.Collator('ru', { sensitivity: 'base', numeric: true });
const CLUSTER_FORMS = ['кластер', 'кластера', 'кластеров'] as const;

/** Clusters organisations; see the module comment. Error values for too few organisations or bad input. */
export function clusterOrganisations(items: readonly ClusterItem[], options: ClusterOptions = {}): Result<ClusterResult> {
  const seed = options.seed ?? 1;
  const restarts = Math.max(1, options.restarts ?? 10);
  const maxK = options.maxK ?? 6;
  const dims = new Set(items.map((i) => i.values.length));
  if (dims.size > 1) return err('У организаций разное число показателей — кластеризация невозможна.');
  if ((items[0]?.values.length ?? 0) === 0) return err('Не выбрано ни одного показателя для кластеризации.');
  const complete = items.filter((i) => i.values.every(isPresent));
  const excluded = items.filter((i) => !i.values.every(isPresent)).map((i) => i.name).sort(collator.compare);
  const n = complete.length;
  if (n < 3) return err(`Для кластеризации нужно не менее 3 организаций с полными данными, а есть ${n}.`);
  const raw = complete.map((i) => i.values as number[]);
  const z = standardise(raw);
  const distinct = new Set(z.map((r) => JSON.stringify(r))).size;
  if (distinct < 2) return err('Все организации имеют одинаковые значения показателей — выделить кластеры нельзя.');
  // k cannot exceed the number of distinct points (duplicates always share a cluster).
  const hi = Math.min(maxK, n - 1, distinct);
  let ks: number[];
  if (options.k !== undefined) {
    if (!Number.isInteger(options.k) || options.k < 2 || options.k > Math.min(n - 1, distinct)) {
      return err(`Число кластеров должно быть от 2 до ${Math.min(n - 1, distinct)}, а задано ${options.k}.`);
    }
    ks = [options.k];
  } else {
    if (hi < 2) return err('Слишком мало организаций для выбора числа кластеров.');
    ks = Array.from({ length: hi - 1 }, (_, i) => i + 2);
  }
  const tried = ks.map((k) => {
    const run = kmeans(z, k, seed, restarts);
    return { k, run, silhouette: silhouette(z, run.labels), inertia: run.inertia };
  });
  let best = tried[0]!;
  for (const t of tried) if (t.silhouette > best.silhouette + 1e-12) best = t;

  const dim = raw[0]!.length;
  const groups = Array.from({ length: best.k }, (_, c) => complete.map((_, i) => i).filter((i) => best.run.labels[i] === c)).filter(
    (g) => g.length > 0,
  );
  const meanOf = (rows: readonly number[][], idx: readonly number[]): number[] =>
    Array.from({ length: dim }, (_, j) => idx.reduce((s, i) => s + rows[i]![j]!, 0) / idx.length);
  const clusters = groups
    .map((idx) => ({
      members: idx.map((i) => complete[i]!.name).sort(collator.compare),
      centroid: meanOf(raw, idx),
      centroidZ: meanOf(z, idx),
    }))
    .sort((a, b) => avg(b.centroidZ) - avg(a.centroidZ) || collator.compare(a.members[0] ?? '', b.members[0] ?? ''))
    .map((c, i) => ({ number: i + 1, ...c }));

  const range = ks.length === 1 ? `k = ${ks[0]}` : `k = ${ks[0]}…${ks[ks.length - 1]}`;
  const sil = formatNumber(best.silhouette, 2);
  const explanation =
    options.k !== undefined
      ? `Задано ${best.k} ${plural(best.k, CLUSTER_FORMS)}: средний силуэт ${sil}`
      : `Выбрано ${best.k} ${plural(best.k, CLUSTER_FORMS)}: средний силуэт ${sil} — наибольший среди ${range}`;
  return ok({
    k: best.k,
    clusters,
    silhouette: best.silhouette,
    tried: tried.map((t) => ({ k: t.k, silhouette: t.silhouette, inertia: t.inertia })),
    inertia: best.inertia,
    excluded,
    explanation,
  });
}

function avg(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}
