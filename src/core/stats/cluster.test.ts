import { describe, expect, it } from 'vitest';
import { clusterOrganisations, kmeans, mulberry32, silhouette, standardise } from './cluster.ts';

/** Three well separated groups in two indicators (e.g. share % and index), 5 organisations each. */
function threeGroups(): { name: string; values: number[] }[] {
  const rand = mulberry32(42);
  const centres: [string, number, number][] = [
    ['А', 90, 8],
    ['Б', 60, 4],
    ['В', 30, 1],
  ];
  return centres.flatMap(([g, x, y]) =>
    Array.from({ length: 5 }, (_, i) => ({ name: `${g}${i + 1}`, values: [x + (rand() - 0.5) * 4, y + (rand() - 0.5) * 0.4] })),
  );
}

describe('k-means with silhouette choice', () => {
  it('recovers three clearly separated groups and explains the choice', () => {
    const r = clusterOrganisations(threeGroups(), { seed: 7 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.k).toBe(3);
    expect(r.value.clusters.map((c) => c.members)).toEqual([
      ['А1', 'А2', 'А3', 'А4', 'А5'],
      ['Б1', 'Б2', 'Б3', 'Б4', 'Б5'],
      ['В1', 'В2', 'В3', 'В4', 'В5'],
    ]);
    expect(r.value.clusters[0]!.centroid[0]).toBeCloseTo(90, 0);
    expect(r.value.clusters[2]!.centroid[1]).toBeCloseTo(1, 0);
    expect(r.value.tried.map((t) => t.k)).toEqual([2, 3, 4, 5, 6]);
    expect(r.value.silhouette).toBeGreaterThan(0.8);
    expect(r.value.explanation).toMatch(/^Выбрано 3 кластера: средний силуэт 0,\d\d — наибольший среди k = 2…6$/);
  });

  it('is deterministic for the same seed and insensitive to the seed on clear data', () => {
    const a = clusterOrganisations(threeGroups(), { seed: 1 });
    const b = clusterOrganisations(threeGroups(), { seed: 1 });
    const c = clusterOrganisations(threeGroups(), { seed: 99 });
    expect(a).toEqual(b);
    expect(a.ok && c.ok && a.value.clusters.map((x) => x.members)).toEqual(c.ok && c.value.clusters.map((x) => x.members));
  });

  it('limits k to n − 1, honours a fixed k, and excludes incomplete organisations', () => {
    const items = [
      { name: 'a', values: [1, 1] },
      { name: 'b', values: [1.1, 1] },
      { name: 'c', values: [9, 9] },
      { name: 'd', values: [9, null] },
    ];
    const r = clusterOrganisations(items);
    expect(r.ok && r.value.tried.map((t) => t.k)).toEqual([2]);
    expect(r.ok && r.value.excluded).toEqual(['d']);
    expect(r.ok && r.value.explanation).toMatch(/^Выбрано 2 кластера: средний силуэт 0,\d\d — наибольший среди k = 2$/);
    const f = clusterOrganisations(threeGroups(), { k: 2 });
    expect(f.ok && f.value.k).toBe(2);
    expect(f.ok && f.value.explanation).toMatch(/^Задано 2 кластера: средний силуэт/);
    expect(clusterOrganisations(threeGroups(), { k: 15 })).toMatchObject({ ok: false });
  });

  it('returns Russian error values for too little data', () => {
    expect(clusterOrganisations([{ name: 'a', values: [1] }, { name: 'b', values: [2] }])).toEqual({
      ok: false,
      error: 'Для кластеризации нужно не менее 3 организаций с полными данными, а есть 2.',
    });
    expect(clusterOrganisations([{ name: 'a', values: [1] }, { name: 'b', values: [2, 3] }])).toMatchObject({ ok: false });
  });

  it('standardises columns to mean 0, sd 1 and constant columns to 0', () => {
    const z = standardise([
      [1, 5],
      [2, 5],
      [3, 5],
    ]);
    expect(z.map((r) => r[0])).toEqual([-1, 0, 1]);
    expect(z.map((r) => r[1])).toEqual([0, 0, 0]);
  });

  it('silhouette of a textbook 1-D split', () => {
    // Points 0, 1 | 10, 11: a = 1, b = 10 (resp. 10, 9…) → s = 0.9, 0.9, 0.9, 0.9 … computed exactly below.
    const pts = [[0], [1], [10], [11]];
    const s = silhouette(pts, [0, 0, 1, 1]);
    const expected = ((1 - 1 / 10.5) + (1 - 1 / 9.5) + (1 - 1 / 9.5) + (1 - 1 / 10.5)) / 4;
    expect(s).toBeCloseTo(expected, 12);
    expect(kmeans(pts, 2, 3, 5).inertia).toBeCloseTo(1, 12);
  });
});

describe('degenerate inputs', () => {
  it('identical organisations are an error; duplicates limit k', () => {
    expect(clusterOrganisations(['a', 'b', 'c', 'd'].map((name) => ({ name, values: [5, 5] })))).toEqual({
      ok: false,
      error: 'Все организации имеют одинаковые значения показателей — выделить кластеры нельзя.',
    });
    const dup = [
      { name: 'a', values: [1] },
      { name: 'b', values: [1] },
      { name: 'c', values: [1] },
      { name: 'd', values: [9] },
      { name: 'e', values: [9] },
    ];
    const r = clusterOrganisations(dup);
    expect(r.ok && r.value.tried.map((t) => t.k)).toEqual([2]);
    expect(r.ok && r.value.clusters.map((c) => c.members)).toEqual([['d', 'e'], ['a', 'b', 'c']]);
    expect(r.ok && r.value.silhouette).toBe(1);
  });
});
