import { describe, expect, it } from 'vitest';
import type { DimensionalView } from '../../core/analysis/index.ts';
import type { Methodology } from '../../core/methodology/index.ts';
import { WorkViews } from './work-views.ts';

/** A view of `rows` rows with `cells` indicators each (what the budget counts: a row's cells plus one). */
function view(rows: number, cells = 1, tag = 'a'): DimensionalView {
  return {
    methodology: {} as Methodology,
    dimensions: [{ id: 'subject', title: 'Предмет', values: [{ value: 'Математика', label: 'Математика' }] }],
    indicators: [],
    aggregates: [],
    rows: Array.from({ length: rows }, (_, i) => ({
      organisation: `${tag}${i}`,
      dimensions: { subject: 'Математика' },
      cells: Object.fromEntries(Array.from({ length: cells }, (_, k) => [`i${k}`, { value: i, level: null, levelCode: null, explanation: '' }])),
      inputs: { x: i },
    })),
    objectivity: null,
  };
}

describe('kept views of works', () => {
  it('gives a kept view back only under the same stamp, and counts hits and misses', () => {
    const kept = new WorkViews(100);
    const v = view(3);
    expect(kept.get('w', 's1')).toBeNull();
    kept.put('w', 's1', v);
    expect(kept.get('w', 's1')).toBe(v);
    expect(kept.get('w', 's2')).toBeNull();
    expect(kept.get('other', 's1')).toBeNull();
    expect([kept.hits, kept.misses]).toEqual([1, 3]);
    // A newer computation under a new stamp replaces the old one.
    const w = view(2, 1, 'b');
    kept.put('w', 's2', w);
    expect(kept.get('w', 's2')).toBe(w);
    expect(kept.get('w', 's1')).toBeNull();
  });

  it('keeps views within the budget of cells, the least recently used leaving first; a view over the budget is not kept', () => {
    const kept = new WorkViews(20); // rows × (cells + 1)
    kept.put('a', 's', view(4)); // 8
    kept.put('b', 's', view(4)); // 16
    expect(kept.size).toEqual({ views: 2, cells: 16 });
    expect(kept.get('a', 's')).not.toBeNull(); // a is now the most recently used
    kept.put('c', 's', view(3)); // 22 > 20: b leaves
    expect(kept.get('b', 's')).toBeNull();
    expect(kept.get('a', 's')).not.toBeNull();
    expect(kept.get('c', 's')).not.toBeNull();
    kept.put('big', 's', view(7, 2)); // 21 cells: never kept, nothing evicted for it
    expect(kept.get('big', 's')).toBeNull();
    expect(kept.get('a', 's')).not.toBeNull();
    expect(kept.get('c', 's')).not.toBeNull();
    kept.clear();
    expect(kept.get('a', 's')).toBeNull();
    expect(kept.size).toEqual({ views: 0, cells: 0 });
    // A budget of 0 (MSOKO_WORK_VIEW_CELLS=0) keeps nothing.
    const none = new WorkViews(0);
    none.put('a', 's', view(1));
    expect(none.get('a', 's')).toBeNull();
    expect(none.size).toEqual({ views: 0, cells: 0 });
  });

  it('freezes what a caller reads of a kept view: changing it throws instead of changing the next answer', () => {
    const kept = new WorkViews(100);
    const v = kept.put('w', 's', view(2));
    const row = v.rows[0]!;
    expect(() => {
      row.cells.i0!.value = 99;
    }).toThrow(TypeError);
    expect(() => v.rows.push(row)).toThrow(TypeError);
    expect(() => {
      row.inputs.x = 5;
    }).toThrow(TypeError);
    expect(() => {
      row.dimensions.subject = 'Физика';
    }).toThrow(TypeError);
    expect(kept.get('w', 's')?.rows[0]?.cells.i0?.value).toBe(0);
  });
});
