/** Issue 23: explanations may be computed lazily (when a figure is shown) instead of for every figure of every
 * computation. The lazy text must be exactly the eager one — checked on every result of the seed-004 campaign. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seedTable } from '../../../test/support/seed-004.ts';
import { parse } from 'yaml';
import { computeAggregate, type AggregateEntity } from './aggregate.ts';
import { compileMethodology, evaluateEntity, explainResult, type Compiled } from './evaluate.ts';
import { detectDataset, readEntities } from './records.ts';
import { computeTable } from './run.ts';
import { MethodologySchema, type DatasetDef } from './schema.ts';

const m = MethodologySchema.parse(parse(readFileSync(new URL('../../../library/talents-2021.yaml', import.meta.url), 'utf8')));
const compiled = (compileMethodology(m) as { ok: true; compiled: Compiled }).compiled;
const FILES = ['organisations.csv', 'satisfaction.csv', 'coverage.csv', 'focus.csv'];

describe('lazy explanations (seed 004)', () => {
  it('every result of every seed-004 table: the explanation computed when shown equals the eager one, and the figures without texts are the same', () => {
    let checked = 0;
    for (const name of FILES) {
      const { header, rows } = seedTable(name);
      const eager = computeTable(compiled, header, rows);
      if (!eager.ok) throw new Error(`${name}: ${eager.error.message}`);
      const detected = detectDataset(m, header);
      if (!detected.ok) throw new Error(detected.message);
      const ds = m.datasets?.[detected.id] as DatasetDef;
      const read = readEntities(m, ds, header, rows);
      if (!read.ok) throw new Error(read.error.message);
      const byKey = new Map(read.entities.map((e) => [e.key, e]));
      for (const r of eager.output.results) {
        const e = byKey.get(r.organisation);
        if (!e) throw new Error(`${name}: no entity ${r.organisation}`);
        const data = { key: e.key, values: e.values, scores: e.scores };
        const [plain] = evaluateEntity(compiled, [r.indicator], data, { explain: false });
        expect(plain).toMatchObject({ value: r.value, unrounded: r.details.unrounded, level: r.details.levelCode, levelName: r.level, points: r.points, band: r.details.band, reason: r.details.reason, suppressed: r.details.suppressed, explanation: '', substituted: '' });
        expect(explainResult(compiled, data, r.indicator)).toEqual({ substituted: r.details.substituted, explanation: r.explanation });
        checked++;
      }
      // Aggregates: the same figures with and without their texts.
      const results = new Map<string, AggregateEntity['results']>();
      for (const e of read.entities) {
        const rs: AggregateEntity['results'] = {};
        for (const r of evaluateEntity(compiled, ds.indicators, { key: e.key, values: e.values, scores: e.scores }, { explain: false })) rs[r.indicator] = r;
        results.set(e.key, rs);
      }
      const entities = read.entities.filter((e) => e.key !== ds.total_row).map((e) => ({ key: e.key, attributes: e.attributes, values: e.values, results: results.get(e.key) ?? {} }));
      for (const a of eager.output.aggregates) {
        const def = m.aggregates?.[a.aggregate];
        if (!def) continue;
        const plain = computeAggregate(m, a.aggregate, def, entities, { explain: false }).find((x) => x.id === a.id);
        expect(plain).toMatchObject({ value: a.value, unrounded: a.unrounded, count: a.count, points: a.points, levelName: a.level, explanation: '' });
      }
    }
    // 51 organisations' diversity index, 4 survey rows × 2 indicators, the coverage row, 3 focus rows × 3 indicators.
    expect(checked).toBe(69);
  });
});
