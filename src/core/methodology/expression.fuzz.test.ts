/** Fuzz tests of the formula language: random text, random token soup, deep nesting — parsing ends in an expression
 * or a Russian error with a position inside the text; generated well-formed formulas parse, evaluate to exactly what a
 * reference evaluator computes, and never yield NaN or ±Infinity. Bounded runs (well under a second each). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_DEPTH, evaluateExpression, parseExpression, renderExpression, type Value } from './expression.ts';

const CYRILLIC = /[А-Яа-яЁё]/;

function settledParse(src: string): void {
  const r = parseExpression(src);
  if (r.ok) return;
  expect(r.error.message).toMatch(CYRILLIC);
  const lines = src.split('\n');
  expect(r.error.line).toBeGreaterThanOrEqual(1);
  expect(r.error.line).toBeLessThanOrEqual(lines.length + 1);
  expect(r.error.column).toBeGreaterThanOrEqual(1);
}

function finiteOrOther(v: Value): void {
  if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
}

const TOKENS = ['1', '0', '2.5', '1e308', '-', '+', '*', '/', '(', ')', ',', '<', '<=', '>', '>=', '==', '!=', 'and', 'or', 'not',
  'true', 'false', '"текст"', "'x'", 'a', 'b', 'students', 'if', 'min', 'max', 'sum', 'count', 'share', 'abs', 'round', 'unknown_fn',
  '#', '%', '$', ' ', '\n', '.', '..', '1.2.3', '×', '"незакрытая'];

describe('formula language under fuzzing', () => {
  it('random text: an expression or a Russian error with a position, never a throw', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => settledParse(s)), { numRuns: 1000 });
  }, 60_000);

  it('token soup: parses or fails cleanly; what parses evaluates (any environment) to a finite value, null with a reason, or a boolean/string', () => {
    const env = fc.record({ a: fc.oneof(fc.double(), fc.constant(null), fc.boolean(), fc.string({ maxLength: 3 })), b: fc.oneof(fc.integer(), fc.constant(0)), students: fc.nat() });
    fc.assert(fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 30 }), env, (toks, e) => {
      const src = toks.join(' ');
      settledParse(src);
      const r = parseExpression(src);
      if (!r.ok) return;
      const v = evaluateExpression(r.expr, e as Record<string, Value>);
      finiteOrOther(v.value);
      if (v.value === null) expect(v.reason ?? '').toMatch(CYRILLIC);
      expect(typeof renderExpression(r.expr, e as Record<string, Value>)).toBe('string');
    }), { numRuns: 1000 });
  }, 60_000);

  it('deep nesting is refused by the depth limit, not by a stack overflow', () => {
    for (const depth of [MAX_DEPTH + 1, 1000, 20_000]) {
      for (const src of ['('.repeat(depth) + '1' + ')'.repeat(depth), '-'.repeat(depth) + '1', 'not '.repeat(depth) + 'true', 'abs('.repeat(depth) + '1' + ')'.repeat(depth)]) {
        const r = parseExpression(src);
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.error.message).toMatch(CYRILLIC);
      }
    }
    expect(parseExpression('('.repeat(MAX_DEPTH - 2) + '1' + ')'.repeat(MAX_DEPTH - 2)).ok).toBe(true);
  }, 60_000);

  it('generated arithmetic formulas evaluate exactly like a reference evaluator (null on division by zero or missing data)', () => {
    type Node = { n: number } | { v: 'a' | 'b' } | { op: '+' | '-' | '*' | '/'; l: Node; r: Node } | { neg: Node };
    const { node } = fc.letrec<{ node: Node }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.integer({ min: -1000, max: 1000 }).map((n) => ({ n: Math.abs(n) })),
        fc.constantFrom({ v: 'a' as const }, { v: 'b' as const }),
        fc.record({ op: fc.constantFrom('+' as const, '-' as const, '*' as const, '/' as const), l: tie('node'), r: tie('node') }),
        fc.record({ neg: tie('node') }),
      ),
    }));
    const show = (x: Node): string => ('n' in x ? String(x.n) : 'v' in x ? x.v : 'neg' in x ? `-(${show(x.neg)})` : `(${show(x.l)} ${x.op} ${show(x.r)})`);
    const ref = (x: Node, env: { a: number | null; b: number | null }): number | null => {
      if ('n' in x) return x.n;
      if ('v' in x) return env[x.v];
      if ('neg' in x) {
        const v = ref(x.neg, env);
        return v === null ? null : -v;
      }
      const l = ref(x.l, env);
      const r = ref(x.r, env);
      if (l === null || r === null) return null;
      const out = x.op === '+' ? l + r : x.op === '-' ? l - r : x.op === '*' ? l * r : r === 0 ? null : l / r;
      return out === null || Number.isFinite(out) ? out : null;
    };
    const env = fc.record({ a: fc.oneof(fc.integer({ min: -50, max: 50 }), fc.constant(null)), b: fc.integer({ min: -50, max: 50 }) });
    fc.assert(fc.property(node, env, (tree, e) => {
      const src = show(tree);
      const parsed = parseExpression(src);
      if (!parsed.ok) {
        // Only the depth limit may refuse a well-formed formula.
        expect(parsed.error.message).toMatch(/вложен|глубин/i);
        return;
      }
      const got = evaluateExpression(parsed.expr, e).value;
      const want = ref(tree, e);
      if (want === null || got === null) expect(got).toBe(want);
      else expect(got as number).toBeCloseTo(want, 6);
    }), { numRuns: 500 });
  }, 60_000);
});
