/** The direct path from typed per-dimension values to the engine's entities (`dimensionalEntities`) gives exactly what
 * the text tables gave (`computeDimensional(…, { text: true })`: values written as cells, read back by
 * `mergeDimensionalTables`): on randomized campaigns of direction-preparation 2021.2 — several subjects and grades,
 * works missing, partial rows, nulls of optional inputs, values on the edges of the scale and of the sign's thresholds,
 * numbers as strings with a comma or spaces, −0, every input type of the dimensional datasets — the full JSON of the
 * outputs (results with explanations, aggregates, totals, warnings) is the same; where the text would not be read
 * (a value out of range, an exponent, two schools of one name) the direct path declines and the outcome is still the
 * text path's. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { DimensionalRow } from '../rules/dimensional.ts';
import { computeDimensional, dimensionalDatasets, dimensionalRows } from '../../services/analysis/campaign-dimensional.ts';
import { cellText, dimensionalEntities, typedCell, type TypedTable } from './dimensional-entities.ts';
import { compileMethodology, type Compiled } from './evaluate.ts';
import { lintMethodology } from './lint.ts';
import { parseCell } from './records.ts';
import { MethodologySchema, type InputDef } from './schema.ts';
import { mulberry32 } from '../stats/cluster.ts';

const m = MethodologySchema.parse(parse(readFileSync(new URL('../../../library/directions/preparation-2021.2.yaml', import.meta.url), 'utf8')));
const compiledOk = compileMethodology(m);
if (!compiledOk.ok) throw new Error('methodology does not compile');
const compiled: Compiled = compiledOk.compiled;
const lint = lintMethodology(m);

const SUBJECTS = ['Математика', 'Русский язык', 'История', 'Физика', 'Биология'];
const GRADES = ['4', '5', '7', '8', '11'];

/** A random campaign: organisations (a few without any work) and their rows per subject × grade. */
function campaign(seed: number, opts: { bad?: boolean } = {}) {
  const rnd = mulberry32(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const share = (): unknown => {
    const r = rnd();
    if (r < 0.08) return pick([0, 100, 15, 50, -0]);
    if (r < 0.12) return pick(['45,5', ' 12 ', '0', '100', '33.33']);
    return Math.round(rnd() * 10000) / 100;
  };
  const count = (): unknown => (rnd() < 0.05 ? pick([0, '17', 1]) : 1 + Math.floor(rnd() * 300));
  const orgs = Array.from({ length: 40 }, (_, i) => ({ id: `org-${i}`, name: `МБОУ СОШ № ${i + 1}${rnd() < 0.1 ? ' ' : ''}` }));
  const rowsOf = new Map<string, DimensionalRow[]>();
  for (const o of orgs) {
    if (rnd() < 0.1) continue;
    const rows: DimensionalRow[] = [];
    for (const subject of SUBJECTS)
      for (const grade of GRADES) {
        if (rnd() < 0.5) continue;
        const values: Record<string, unknown> = {};
        const marks = rnd() < 0.85, journal = rnd() < 0.7, gia = rnd() < 0.25;
        if (marks) {
          values.vpr_participants = count();
          // Shares near the sign's threshold: «5» 15 p.p. above the region's, exactly or nearly.
          const five = share();
          values.vpr_share_5 = five;
          for (const k of ['2', '3', '4']) values[`vpr_share_${k}`] = share();
          for (const where of ['region', 'municipality'])
            for (const k of ['2', '3', '4', '5']) values[`${where}_vpr_share_${k}`] = rnd() < 0.15 ? null : k === '5' && typeof five === 'number' && rnd() < 0.3 ? Math.max(0, five - 15) : share();
          if (rnd() < 0.08) delete values[pick(['vpr_share_2', 'vpr_share_3', 'vpr_participants'])]; // a partial row
        }
        if (journal) {
          values.journal_participants = count();
          for (const k of ['lowered', 'confirmed', 'raised']) values[`journal_${k}`] = rnd() < 0.2 ? pick([15, 14.99, 15.01]) : share();
          for (const where of ['region', 'municipality']) for (const k of ['lowered', 'confirmed', 'raised']) values[`${where}_journal_${k}`] = rnd() < 0.15 ? null : share();
          if (rnd() < 0.05) values.journal_raised = null; // a partial row
        }
        if (gia) {
          values.gia_participants = count();
          values.gia_mean_score = rnd() < 0.2 ? null : Math.round(rnd() * 1000) / 10;
          values.gia_failed = rnd() < 0.2 ? null : Math.floor(rnd() * 5);
        }
        if (opts.bad && rnd() < 0.02) values.vpr_share_4 = pick([101, 1e-7, -3, 'нет']);
        const grade5 = rnd() < 0.1 ? `${grade} класс` : grade;
        rows.push({ dimensions: { subject: rnd() < 0.05 && subject === 'Русский язык' ? 'Русский' : subject, grade: grade5 }, values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: (v ?? null) as DimensionalRow['values'][string]['value'], evidenceUrl: null }])) });
      }
    rowsOf.set(o.id, rows);
  }
  return { orgs, rowsOf };
}

function typedTables(orgs: readonly { id: string; name: string }[], rowsOf: ReadonlyMap<string, readonly DimensionalRow[]>): TypedTable[] {
  return dimensionalDatasets(m).flatMap(([id, ds]) => {
    const { rows } = dimensionalRows(m, id, ds, orgs, rowsOf);
    return rows.length ? [{ id, ds, file: `формы: ${ds.title}`, rows }] : [];
  });
}

describe('per-dimension values into the engine without the text tables', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('random campaign %i: the same output as through the text tables', (seed) => {
    const { orgs, rowsOf } = campaign(seed);
    expect(dimensionalEntities(compiled, typedTables(orgs, rowsOf))).not.toBeNull(); // the direct path is taken
    const direct = computeDimensional(m, compiled, lint, orgs, rowsOf);
    const text = computeDimensional(m, compiled, lint, orgs, rowsOf, { text: true });
    expect(direct.output?.results.length).toBeGreaterThan(100);
    expect(direct.warnings.some((w) => w.includes('не вошли строки'))).toBe(true);
    expect(JSON.stringify(direct)).toBe(JSON.stringify(text));
  });

  it('declines where the text would not be read, and the outcome is the text path’s (the same warning)', () => {
    for (const seed of [11, 12, 13]) {
      const { orgs, rowsOf } = campaign(seed, { bad: true });
      expect(dimensionalEntities(compiled, typedTables(orgs, rowsOf))).toBeNull();
      const direct = computeDimensional(m, compiled, lint, orgs, rowsOf);
      expect(direct.output).toBeNull();
      expect(direct.warnings.at(-1)).toMatch(/таблица не вычислена\.$/);
      expect(JSON.stringify(direct)).toBe(JSON.stringify(computeDimensional(m, compiled, lint, orgs, rowsOf, { text: true })));
    }
    // Two schools of one short name: the text path's «уже встречалось».
    const { orgs, rowsOf } = campaign(21);
    const twins = orgs.map((o, i) => (i === 1 ? { ...o, name: (orgs[0] as { name: string }).name } : o));
    rowsOf.set('org-0', rowsOf.get('org-1') ?? []);
    expect(dimensionalEntities(compiled, typedTables(twins, rowsOf))).toBeNull();
    const direct = computeDimensional(m, compiled, lint, twins, rowsOf);
    expect(direct.warnings.at(-1)).toContain('уже встречалось');
    expect(JSON.stringify(direct)).toBe(JSON.stringify(computeDimensional(m, compiled, lint, twins, rowsOf, { text: true })));
  });

  it('reads each typed value as parseCell reads its text', () => {
    const defs: InputDef[] = [
      { type: 'integer', title: 'i', min: 0 } as InputDef,
      { type: 'number', title: 'n', required: false } as InputDef,
      { type: 'percent', title: 'p' } as InputDef,
      { type: 'percent', title: 'p2', min: -10, max: 200 } as InputDef,
      { type: 'score', title: 's' } as InputDef,
      { type: 'boolean', title: 'b' } as InputDef,
      { type: 'enum', title: 'e', values: ['а', 'б'] } as InputDef,
      { type: 'date', title: 'd', required: false } as InputDef,
    ];
    const values: unknown[] = [0, -0, 1, -1, 7.5, 100, 100.01, 150, 1e-6, 1e-7, 9.99e20, 1e21, 12345678.9, 0.1 + 0.2, '78,9', ' 5 ', '5%', true, false, 'да', 'нет', 'а', ' б ', 'в', '', null, undefined, '30.06.2022', '2022-06-30'];
    for (const def of defs)
      for (const v of values) expect({ def: def.title, v, got: typedCell(v, def) }).toEqual({ def: def.title, v, got: parseCell(cellText(v), def) });
  });
});
