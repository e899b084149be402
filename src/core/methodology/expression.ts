/** The safe formula language of methodologies: a hand-written tokenizer and a Pratt parser (no eval), an evaluator
 * over plain values where every failure is a defined «нет данных» (null) with a reason — never Infinity or NaN —
 * and a renderer that substitutes the inputs into the formula for explanations (`12 / 359 × 100`).
 *
 * Grammar: numbers (`3`, `2.5`), strings ('текст'), true/false, names, `+ - * /`, `< <= > >= == !=`,
 * `and or not`, parentheses and calls: if(c, a, b), min(…), max(…), sum(…), count(…), share(a, b), abs(x), round(x, d). */
import { formatNumber, roundHalfUp } from '../format.ts';

export type Value = number | boolean | string | null;
export interface Pos { line: number; column: number }
export type Expr =
  | { kind: 'num'; value: number; pos: Pos }
  | { kind: 'str'; value: string; pos: Pos }
  | { kind: 'bool'; value: boolean; pos: Pos }
  | { kind: 'name'; name: string; pos: Pos }
  | { kind: 'unary'; op: '-' | 'not'; arg: Expr; pos: Pos }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; pos: Pos }
  | { kind: 'call'; fn: string; args: Expr[]; pos: Pos };
export type BinaryOp = '+' | '-' | '*' | '/' | '<' | '<=' | '>' | '>=' | '==' | '!=' | 'and' | 'or';
export interface ExprError { message: string; line: number; column: number }
export type ParseResult = { ok: true; expr: Expr } | { ok: false; error: ExprError };

export const MAX_DEPTH = 40;
const FUNCTIONS: Record<string, { min: number; max: number }> = {
  if: { min: 3, max: 3 },
  min: { min: 1, max: Infinity },
  max: { min: 1, max: Infinity },
  sum: { min: 1, max: Infinity },
  count: { min: 1, max: Infinity },
  share: { min: 2, max: 2 },
  abs: { min: 1, max: 1 },
  round: { min: 2, max: 2 },
};

type Tok =
  | { t: 'num'; v: number; pos: Pos }
  | { t: 'str'; v: string; pos: Pos }
  | { t: 'id'; v: string; pos: Pos }
  | { t: 'op'; v: string; pos: Pos }
  | { t: 'eof'; pos: Pos };

class SyntaxErr extends Error {
  constructor(message: string, readonly pos: Pos) {
    super(message);
  }
}

function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  let line = 1;
  let col = 1;
  const adv = (n: number) => {
    for (let k = 0; k < n; k++) {
      if (src[i] === '\n') {
        line++;
        col = 1;
      } else col++;
      i++;
    }
  };
  while (i < src.length) {
    const c = src[i] as string;
    const pos = { line, column: col };
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      adv(1);
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') adv(1);
      continue;
    }
    const num = /^(\d+(\.\d+)?)/.exec(src.slice(i));
    if (num) {
      const text = num[1] as string;
      if (/^[A-Za-z_]/.test(src.slice(i + text.length))) throw new SyntaxErr(`неожиданный символ «${src[i + text.length]}» после числа`, { line, column: col + text.length });
      toks.push({ t: 'num', v: Number(text), pos });
      adv(text.length);
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) {
      toks.push({ t: 'id', v: id[0], pos });
      adv(id[0].length);
      continue;
    }
    if (c === "'" || c === '"') {
      const end = src.indexOf(c, i + 1);
      if (end < 0) throw new SyntaxErr('незакрытая строка', pos);
      toks.push({ t: 'str', v: src.slice(i + 1, end), pos });
      adv(end - i + 1);
      continue;
    }
    const two = src.slice(i, i + 2);
    if (['<=', '>=', '==', '!='].includes(two)) {
      toks.push({ t: 'op', v: two, pos });
      adv(2);
      continue;
    }
    if ('+-*/()<>,'.includes(c)) {
      toks.push({ t: 'op', v: c, pos });
      adv(1);
      continue;
    }
    if (c === '=') throw new SyntaxErr('«=» — используйте «==» для сравнения', pos);
    throw new SyntaxErr(`недопустимый символ «${c}»`, pos);
  }
  toks.push({ t: 'eof', pos: { line, column: col } });
  return toks;
}

const INFIX: Record<string, { bp: number; op: BinaryOp }> = {
  or: { bp: 1, op: 'or' },
  and: { bp: 2, op: 'and' },
  '<': { bp: 4, op: '<' }, '<=': { bp: 4, op: '<=' }, '>': { bp: 4, op: '>' }, '>=': { bp: 4, op: '>=' },
  '==': { bp: 4, op: '==' }, '!=': { bp: 4, op: '!=' },
  '+': { bp: 5, op: '+' }, '-': { bp: 5, op: '-' },
  '*': { bp: 6, op: '*' }, '/': { bp: 6, op: '/' },
};

function describe(t: Tok): string {
  if (t.t === 'eof') return 'конец формулы';
  if (t.t === 'str') return `строка '${t.v}'`;
  return `«${t.v}»`;
}

/** Parses a formula. Errors name the line and column inside the formula text (1-based). */
export function parseExpression(src: string): ParseResult {
  try {
    const toks = tokenize(src);
    let p = 0;
    const peek = () => toks[p] as Tok;
    const next = () => toks[p++] as Tok;
    const expectOp = (v: string) => {
      const t = next();
      if (t.t !== 'op' || t.v !== v) throw new SyntaxErr(`ожидалось «${v}», а встретилось ${describe(t)}`, t.pos);
    };
    const parse = (minBp: number, depth: number): Expr => {
      if (depth > MAX_DEPTH) throw new SyntaxErr(`слишком глубокая вложенность формулы (более ${MAX_DEPTH} уровней)`, peek().pos);
      const t = next();
      let left: Expr;
      if (t.t === 'num') left = { kind: 'num', value: t.v, pos: t.pos };
      else if (t.t === 'str') left = { kind: 'str', value: t.v, pos: t.pos };
      else if (t.t === 'id') {
        if (t.v === 'true' || t.v === 'false') left = { kind: 'bool', value: t.v === 'true', pos: t.pos };
        else if (t.v === 'not') left = { kind: 'unary', op: 'not', arg: parse(3, depth + 1), pos: t.pos };
        else if (t.v === 'and' || t.v === 'or') throw new SyntaxErr(`неожиданное ${describe(t)}`, t.pos);
        else if (peek().t === 'op' && (peek() as { v: string }).v === '(') {
          next();
          const spec = FUNCTIONS[t.v];
          if (!spec) throw new SyntaxErr(`неизвестная функция «${t.v}» (есть: ${Object.keys(FUNCTIONS).join(', ')})`, t.pos);
          const args: Expr[] = [];
          const close = peek();
          if (!(close.t === 'op' && close.v === ')')) {
            for (;;) {
              args.push(parse(0, depth + 1));
              const sep = next();
              if (sep.t === 'op' && sep.v === ')') break;
              if (!(sep.t === 'op' && sep.v === ',')) throw new SyntaxErr(`ожидалось «,» или «)», а встретилось ${describe(sep)}`, sep.pos);
            }
          } else next();
          if (args.length < spec.min || args.length > spec.max) {
            const want = spec.min === spec.max ? `${spec.min}` : `не меньше ${spec.min}`;
            throw new SyntaxErr(`функция «${t.v}» принимает ${want} аргумент(а), передано ${args.length}`, t.pos);
          }
          left = { kind: 'call', fn: t.v, args, pos: t.pos };
        } else left = { kind: 'name', name: t.v, pos: t.pos };
      } else if (t.t === 'op' && t.v === '(') {
        left = parse(0, depth + 1);
        expectOp(')');
      } else if (t.t === 'op' && t.v === '-') {
        left = { kind: 'unary', op: '-', arg: parse(7, depth + 1), pos: t.pos };
      } else if (t.t === 'op' && t.v === '+') {
        left = parse(7, depth + 1);
      } else throw new SyntaxErr(`неожиданное ${describe(t)}`, t.pos);

      for (;;) {
        const o = peek();
        const key = o.t === 'op' || o.t === 'id' ? o.v : '';
        const info = INFIX[key];
        if (!info || info.bp <= minBp) {
          if (o.t !== 'eof' && !(o.t === 'op' && (o.v === ')' || o.v === ',')) && !info)
            throw new SyntaxErr(`ожидался оператор, а встретилось ${describe(o)}`, o.pos);
          break;
        }
        next();
        const right = parse(info.bp, depth + 1);
        if (info.bp === 4 && left.kind === 'binary' && INFIX[left.op]?.bp === 4)
          throw new SyntaxErr('цепочка сравнений: используйте and', o.pos);
        left = { kind: 'binary', op: info.op, left, right, pos: o.pos };
      }
      return left;
    };
    const expr = parse(0, 0);
    const rest = peek();
    if (rest.t !== 'eof') throw new SyntaxErr(`лишнее ${describe(rest)}`, rest.pos);
    return { ok: true, expr };
  } catch (e) {
    if (e instanceof SyntaxErr) return { ok: false, error: { message: e.message, ...e.pos } };
    throw e;
  }
}

/** Names a formula refers to, in order of first appearance. */
export function referencedNames(expr: Expr): string[] {
  const out: string[] = [];
  const walk = (e: Expr): void => {
    if (e.kind === 'name') {
      if (!out.includes(e.name)) out.push(e.name);
    } else if (e.kind === 'unary') walk(e.arg);
    else if (e.kind === 'binary') {
      walk(e.left);
      walk(e.right);
    } else if (e.kind === 'call') e.args.forEach(walk);
  };
  walk(expr);
  return out;
}

/** Names not in `known`, with the position of their first use (one error naming all of them). */
export function checkNames(expr: Expr, known: ReadonlySet<string>): ExprError | null {
  const unknown = referencedNames(expr).filter((n) => !known.has(n));
  if (unknown.length === 0) return null;
  let pos: Pos = { line: 1, column: 1 };
  const find = (e: Expr): boolean => {
    if (e.kind === 'name' && e.name === unknown[0]) {
      pos = e.pos;
      return true;
    }
    if (e.kind === 'unary') return find(e.arg);
    if (e.kind === 'binary') return find(e.left) || find(e.right);
    if (e.kind === 'call') return e.args.some(find);
    return false;
  };
  find(expr);
  return { message: `неизвестные имена: ${unknown.join(', ')}`, ...pos };
}

/** A formula as the methodology editor checks it while typing: the parse error, or the unknown names, or null. */
export function checkFormula(src: string, known: ReadonlySet<string>): ExprError | null {
  const parsed = parseExpression(src);
  return parsed.ok ? checkNames(parsed.expr, known) : parsed.error;
}

export interface Evaluated { value: Value; reason?: string }
const none = (reason: string): Evaluated => ({ value: null, reason });

function toNumber(v: Value): number | null | 'string' {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') return 'string';
  return v;
}

/** Evaluates over an environment of plain values. Pure; never returns NaN or ±Infinity. */
export function evaluateExpression(expr: Expr, env: Readonly<Record<string, Value>>): Evaluated {
  switch (expr.kind) {
    case 'num':
    case 'str':
    case 'bool':
      return { value: expr.value };
    case 'name': {
      const v = env[expr.name];
      if (v === undefined || v === null) return none(`нет данных: ${expr.name}`);
      // A value from outside (a table, an API caller) may be NaN or ±Infinity: never let it through as a number.
      if (typeof v === 'number' && !Number.isFinite(v)) return none(`значение ${expr.name} не является конечным числом`);
      return { value: v };
    }
    case 'unary': {
      const a = evaluateExpression(expr.arg, env);
      if (a.value === null) return a;
      if (expr.op === 'not') return { value: !truthy(a.value) };
      const n = toNumber(a.value);
      return typeof n === 'number' ? { value: -n } : none('строка в арифметике');
    }
    case 'binary':
      return evalBinary(expr.op, expr.left, expr.right, env);
    case 'call':
      return evalCall(expr.fn, expr.args, env);
  }
}

function truthy(v: Value): boolean {
  return v === true || (typeof v === 'number' && v !== 0) || (typeof v === 'string' && v !== '');
}

function finite(n: number, what: string): Evaluated {
  return Number.isFinite(n) ? { value: n } : none(`${what}: результат вне диапазона чисел`);
}

function evalBinary(op: BinaryOp, l: Expr, r: Expr, env: Readonly<Record<string, Value>>): Evaluated {
  const a = evaluateExpression(l, env);
  if (op === 'and' || op === 'or') {
    if (a.value === null) return a;
    if (op === 'and' && !truthy(a.value)) return { value: false };
    if (op === 'or' && truthy(a.value)) return { value: true };
    const b = evaluateExpression(r, env);
    return b.value === null ? b : { value: truthy(b.value) };
  }
  const b = evaluateExpression(r, env);
  if (a.value === null) return a;
  if (b.value === null) return b;
  if (op === '==' || op === '!=') {
    const eq = typeof a.value === 'string' || typeof b.value === 'string' ? a.value === b.value : toNumber(a.value) === toNumber(b.value);
    return { value: op === '==' ? eq : !eq };
  }
  const x = toNumber(a.value);
  const y = toNumber(b.value);
  if (x === 'string' || y === 'string' || x === null || y === null) return none('строка в арифметике');
  switch (op) {
    case '+': return finite(x + y, 'сложение');
    case '-': return finite(x - y, 'вычитание');
    case '*': return finite(x * y, 'умножение');
    case '/': return y === 0 ? none('деление на ноль') : finite(x / y, 'деление');
    case '<': return { value: x < y };
    case '<=': return { value: x <= y };
    case '>': return { value: x > y };
    case '>=': return { value: x >= y };
  }
}

function evalCall(fn: string, args: Expr[], env: Readonly<Record<string, Value>>): Evaluated {
  if (fn === 'if') {
    const c = evaluateExpression(args[0] as Expr, env);
    if (c.value === null) return c;
    return evaluateExpression((truthy(c.value) ? args[1] : args[2]) as Expr, env);
  }
  const vals = args.map((a) => evaluateExpression(a, env));
  const nums: number[] = [];
  for (const v of vals) {
    if (v.value === null) continue;
    const n = toNumber(v.value);
    if (n === 'string' || n === null) return none('строка в арифметике');
    nums.push(n);
  }
  switch (fn) {
    case 'count':
      return { value: vals.filter((v) => v.value !== null && truthy(v.value)).length };
    case 'sum':
      return nums.length ? finite(nums.reduce((s, n) => s + n, 0), 'сумма') : none('нет данных для суммы');
    case 'min':
      return nums.length ? { value: Math.min(...nums) } : none('нет данных для минимума');
    case 'max':
      return nums.length ? { value: Math.max(...nums) } : none('нет данных для максимума');
  }
  const missing = vals.find((v) => v.value === null);
  if (missing) return missing;
  const [x, y] = nums as [number, number];
  switch (fn) {
    case 'share':
      return y === 0 ? none('деление на ноль') : finite((x / y) * 100, 'доля');
    case 'abs':
      return { value: Math.abs(x) };
    case 'round':
      return Number.isInteger(y) && y >= 0 && y <= 10 ? { value: roundHalfUp(x, y) } : none('round: число знаков 0–10');
  }
  return none(`неизвестная функция ${fn}`);
}

const PREC: Record<BinaryOp, number> = { or: 1, and: 2, '<': 4, '<=': 4, '>': 4, '>=': 4, '==': 4, '!=': 4, '+': 5, '-': 5, '*': 6, '/': 6 };
const SHOW: Record<BinaryOp, string> = { or: 'или', and: 'и', '<': '<', '<=': '≤', '>': '>', '>=': '≥', '==': '=', '!=': '≠', '+': '+', '-': '−', '*': '×', '/': '/' };

export function showValue(v: Value): string {
  if (v === null) return 'нет данных';
  if (typeof v === 'boolean') return v ? 'да' : 'нет';
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v < 10000 ? String(v) : shownNumber(v);
  return `«${v}»`;
}

/** `formatNumber(v)`, remembered: the shares of a recompute repeat (45,6 % in thousands of rows), and the text of a
 * number never changes. Bounded: emptied when it holds 65 536 numbers. */
const shownNumbers = new Map<number, string>();
function shownNumber(v: number): string {
  let text = shownNumbers.get(v);
  if (text === undefined) {
    if (shownNumbers.size >= 65_536) shownNumbers.clear();
    shownNumbers.set(v, (text = formatNumber(v)));
  }
  return text;
}

/** The formula with the environment's values substituted (`12 / 359 × 100`); `share(a, b)` is shown as `a / b × 100`.
 * With `substitute: false` the names are kept (`programmes / students × 100`). */
export function renderExpression(expr: Expr, env: Readonly<Record<string, Value>> | null): string {
  return render(expr, env, 0, false);
}

// A module-level function rather than a closure: this runs for every organisation × indicator, and a closure made on
// each call also costs the name-keeping helper of the TypeScript loader.
function render(e: Expr, env: Readonly<Record<string, Value>> | null, ctx: number, rightSide: boolean): string {
  switch (e.kind) {
    case 'num': return showValue(e.value);
    case 'str': return `«${e.value}»`;
    case 'bool': return e.value ? 'да' : 'нет';
    case 'name': return env ? showValue(env[e.name] ?? null) : e.name;
    case 'unary': return e.op === '-' ? `−${render(e.arg, env, 7, false)}` : `не ${render(e.arg, env, 3, false)}`;
    case 'binary': {
      const p = PREC[e.op];
      const s = `${render(e.left, env, p, false)} ${SHOW[e.op]} ${render(e.right, env, p, true)}`;
      return p < ctx || (p === ctx && rightSide) ? `(${s})` : s;
    }
    case 'call': {
      if (e.fn === 'share') {
        const s = `${render(e.args[0] as Expr, env, 6, false)} / ${render(e.args[1] as Expr, env, 6, true)} × 100`;
        return 6 < ctx || (ctx === 6 && rightSide) ? `(${s})` : s;
      }
      if (e.fn === 'if') return `если(${e.args.map((a) => render(a, env, 0, false)).join('; ')})`;
      return `${e.fn}(${e.args.map((a) => render(a, env, 0, false)).join('; ')})`;
    }
  }
}
