/** Fuzz tests of the methodology loader (YAML → schema → compile → compute): random YAML, a billion-laughs alias
 * bomb, and library/talents-2021.yaml mutated line by line. Every document ends in a methodology (which then
 * computes the 51 organisations of seed 004 or refuses the data with a message) or in Russian errors naming a line —
 * never a throw. The unmutated document computes the seed-004 diversity index of organisation №4 (6,8). */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileMethodology, computeTable } from '../../core/methodology/index.ts';
import { readCsv } from '../imports/datafile.ts';
import { parseMethodologyText } from './methodology-library.ts';

const YAML_TEXT = readFileSync(new URL('../../../library/talents-2021.yaml', import.meta.url), 'utf8');
const DATA = readCsv(readFileSync(new URL('../../../library/demo/organisations.csv', import.meta.url)));
const CYRILLIC = /[А-Яа-яЁё]/;

function loadAndRun(text: string): 'computed' | 'refused-data' | 'refused-doc' {
  const parsed = parseMethodologyText(text, 'fuzz');
  if (!parsed.ok) {
    expect(parsed.errors.length).toBeGreaterThan(0);
    for (const e of parsed.errors) {
      expect(typeof e.message).toBe('string');
      expect(e.line === null || (Number.isInteger(e.line) && e.line >= 1)).toBe(true);
    }
    return 'refused-doc';
  }
  const compiled = compileMethodology(parsed.methodology);
  if (!compiled.ok) {
    for (const e of compiled.errors) expect(e.message).toMatch(CYRILLIC);
    return 'refused-doc';
  }
  if (!DATA.ok) throw new Error(DATA.message);
  const out = computeTable(compiled.compiled, DATA.table.header, DATA.table.rows);
  if (!out.ok) {
    expect(out.error.message).toMatch(CYRILLIC);
    return 'refused-data';
  }
  for (const r of out.output.results) if (r.value !== null) expect(Number.isFinite(r.value)).toBe(true);
  return 'computed';
}

describe('methodology loader under fuzzing', () => {
  it('the real document computes the seed-004 figures', { timeout: 60_000 }, () => {
    expect(loadAndRun(YAML_TEXT)).toBe('computed');
    const parsed = parseMethodologyText(YAML_TEXT, 'talents');
    if (!parsed.ok || !DATA.ok) throw new Error('unreachable');
    const compiled = compileMethodology(parsed.methodology);
    if (!compiled.ok) throw new Error('unreachable');
    const out = computeTable(compiled.compiled, DATA.table.header, DATA.table.rows);
    if (!out.ok) throw new Error(out.error.message);
    const no4 = out.output.results.find((r) => r.organisation === '№4' && r.indicator === 'diversity_index');
    expect(no4?.value).toBe(6.8);
  });

  it('random YAML-ish text: a methodology or errors, never a throw', () => {
    const unit = fc.constantFrom('a', ':', ' ', '\n', '- ', '{', '}', '[', ']', '"', "'", '&x', '*x', '!!str', '#', 'id', 'inputs', '1', 'я', '\t', '? ', '|', '>');
    fc.assert(fc.property(fc.string({ unit, maxLength: 200 }), (t) => { loadAndRun(t); }), { numRuns: 400 });
  }, 60_000);

  it('an alias bomb (billion laughs) is refused with a message', { timeout: 60_000 }, () => {
    const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i < 10; i++) lines.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`);
    lines.push('id: *a9');
    const parsed = parseMethodologyText(lines.join('\n'), 'bomb');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors[0]?.message).toMatch(/^ошибка YAML: /);
  });

  it('mutated talents-2021.yaml (lines deleted, duplicated, swapped, characters and numbers changed, cut): never a throw', () => {
    const lines = YAML_TEXT.split('\n');
    const mutation = fc.oneof(
      fc.record({ k: fc.constant('del' as const), at: fc.nat() }),
      fc.record({ k: fc.constant('dup' as const), at: fc.nat() }),
      fc.record({ k: fc.constant('swap' as const), at: fc.nat(), to: fc.nat() }),
      fc.record({ k: fc.constant('char' as const), at: fc.nat(), col: fc.nat(), ch: fc.constantFrom(' ', ':', '-', '0', '9', 'x', '"', '[', '*', '&', '.', '\t') }),
      fc.record({ k: fc.constant('num' as const), at: fc.nat(), n: fc.oneof(fc.integer({ min: -5, max: 200 }), fc.constant(1e308), fc.constant(0)) }),
      fc.record({ k: fc.constant('cut' as const), at: fc.nat() }),
    );
    const seen = new Set<string>();
    fc.assert(fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) => {
      let ls = [...lines];
      for (const m of ms) {
        const i = m.at % ls.length;
        if (m.k === 'del' && ls.length > 1) ls.splice(i, 1);
        else if (m.k === 'dup') ls.splice(i, 0, ls[i] ?? '');
        else if (m.k === 'swap') {
          const j = m.to % ls.length;
          [ls[i], ls[j]] = [ls[j] ?? '', ls[i] ?? ''];
        } else if (m.k === 'char') {
          const l = ls[i] ?? '';
          const c = l.length ? m.col % l.length : 0;
          ls[i] = l.slice(0, c) + m.ch + l.slice(c + 1);
        } else if (m.k === 'num') ls[i] = (ls[i] ?? '').replace(/\d+(\.\d+)?/, String(m.n));
        else if (m.k === 'cut') ls = ls.slice(0, Math.max(1, i));
      }
      seen.add(loadAndRun(ls.join('\n')));
    }), { numRuns: 120 });
    // The mutations reach every outcome: still valid, refused documents, refused data.
    expect(seen.has('refused-doc')).toBe(true);
    expect(seen.has('computed')).toBe(true);
  }, 120_000);
});
