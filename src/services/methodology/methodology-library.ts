/** Methodology documents: parse YAML with line numbers, validate with the zod schema (Russian messages naming the
 * YAML line), lint, hash (sha256 of canonical JSON), and the built-in library in `library/**` (by `id`). */
import { createHash } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument, isNode } from 'yaml';
import { z } from 'zod';
import type { LintItem, Methodology } from '../../core/methodology/index.ts';
import { MethodologySchema, lintMethodology } from '../../core/methodology/index.ts';

export const LIBRARY_DIR = fileURLToPath(new URL('../../../library/', import.meta.url));

export interface DocError { line: number | null; column: number | null; message: string }
export interface LocatedLint extends LintItem { line: number | null; column: number | null }
export type ParsedMethodology =
  | { ok: true; methodology: Methodology; lint: LocatedLint[]; hash: string; source: string }
  | { ok: false; errors: DocError[]; source: string };

/** sha256 of the canonical JSON of a methodology (keys sorted): equal documents, equal hash. */
export function methodologyHash(m: Methodology): string {
  return createHash('sha256').update(canonicalJson(m)).digest('hex');
}

export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}

function toPath(p: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of p.split('.')) {
    const m = /^([^[]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    out.push(m[1] as string);
    for (const idx of (m[2] ?? '').matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

/** Parsed documents by source name and text: the library is listed (and every document parsed and linted) on each
 * campaign, submission and methodology request, which cost ~20 ms a document. Parsing is pure, so equal text gives an
 * equal result; callers must not mutate it. */
const parseCache = new Map<string, ParsedMethodology>();

/** Parses and validates a methodology document; errors carry the YAML line and column. */
export function parseMethodologyText(text: string, sourceName = 'методика'): ParsedMethodology {
  const key = `${sourceName}\u0000${text}`;
  const hit = parseCache.get(key);
  if (hit) return hit;
  const parsed = parseMethodologyTextUncached(text, sourceName);
  if (parseCache.size >= 64) parseCache.clear();
  parseCache.set(key, parsed);
  return parsed;
}

function parseMethodologyTextUncached(text: string, sourceName: string): ParsedMethodology {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length)
    return {
      ok: false,
      source: sourceName,
      errors: doc.errors.map((e) => {
        const pos = lc.linePos(e.pos[0]);
        return { line: pos.line, column: pos.col, message: `ошибка YAML: ${e.message.split('\n')[0]}` };
      }),
    };
  const locate = (p: (string | number)[]): { line: number | null; column: number | null; blockOffset: number } => {
    for (let n = p.length; n >= 0; n--) {
      const node = doc.getIn(p.slice(0, n), true);
      if (isNode(node) && node.range) {
        const pos = lc.linePos(node.range[0]);
        const block = 'type' in node && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED');
        return { line: pos.line, column: pos.col, blockOffset: block ? 1 : 0 };
      }
    }
    return { line: null, column: null, blockOffset: 0 };
  };
  let data: unknown;
  try {
    // toJS resolves aliases: an unresolved one, or an alias bomb (more than 100 expansions), throws.
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    const msg = /resource exhaustion/.test((e as Error).message)
      ? 'слишком много ссылок-псевдонимов (*имя) — документ похож на «бомбу» из псевдонимов'
      : /Unresolved alias/.test((e as Error).message)
        ? `ссылка-псевдоним без якоря (${(e as Error).message.replace(/^.*: /, '*')}): якорь &имя должен стоять раньше`
        : (e as Error).message;
    return { ok: false, source: sourceName, errors: [{ line: null, column: null, message: `ошибка YAML: ${msg}` }] };
  }
  const parsed = MethodologySchema.safeParse(data, { error: z.locales.ru().localeError });
  if (!parsed.success)
    return {
      ok: false,
      source: sourceName,
      errors: parsed.error.issues.map((i) => {
        const p = i.path.filter((x): x is string | number => typeof x !== 'symbol');
        const loc = locate(p);
        const where = p.length ? `${p.join('.')}: ` : '';
        return { line: loc.line, column: loc.column, message: `${where}${i.message}` };
      }),
    };
  const m = parsed.data;
  const lint: LocatedLint[] = lintMethodology(m).map((item) => {
    const loc = locate(toPath(item.path));
    if (item.formulaLine !== undefined && loc.line !== null) {
      const line = loc.line + loc.blockOffset + item.formulaLine - 1;
      return { ...item, line, column: item.formulaLine === 1 && !loc.blockOffset ? (loc.column ?? 1) + (item.formulaColumn ?? 1) - 1 : (item.formulaColumn ?? null) };
    }
    return { ...item, line: loc.line, column: loc.column };
  });
  return { ok: true, methodology: m, lint, hash: methodologyHash(m), source: sourceName };
}

async function yamlFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await yamlFiles(full)));
    else if (/\.ya?ml$/i.test(e.name)) out.push(full);
  }
  return out;
}

/** Methodology documents of the library: YAML files whose top level has `indicators` (other YAML documents, such as
 * road maps in library/roadmaps, live beside them and are not methodologies). */
export async function methodologyFiles(dir: string = LIBRARY_DIR): Promise<string[]> {
  const out: string[] = [];
  for (const file of await yamlFiles(dir)) {
    const text = await readFile(file, 'utf8');
    if (/^indicators\s*:/m.test(text)) out.push(file);
  }
  return out;
}

export interface LibraryEntry {
  id: string;
  version: string;
  title: string;
  direction: string;
  path: string;
  hash: string;
  errors: number;
  warnings: number;
}

/** A parsed document of the library with its entry and text. */
export interface LibraryDocument {
  entry: LibraryEntry;
  text: string;
  parsed: Extract<ParsedMethodology, { ok: true }>;
}

async function readLibrary(dir: string): Promise<LibraryDocument[]> {
  const out: LibraryDocument[] = [];
  for (const file of await methodologyFiles(dir)) {
    const text = await readFile(file, 'utf8');
    const parsed = parseMethodologyText(text, path.relative(dir, file));
    if (!parsed.ok) continue;
    const m = parsed.methodology;
    const entry: LibraryEntry = {
      id: m.id, version: m.version, title: m.title, direction: m.direction, path: file, hash: parsed.hash,
      errors: parsed.lint.filter((l) => l.severity === 'error').length,
      warnings: parsed.lint.filter((l) => l.severity === 'warning').length,
    };
    out.push({ entry, text, parsed });
  }
  return out;
}

/** Every document of the built-in library that parses (with its lint counts). */
export async function listLibrary(dir: string = LIBRARY_DIR): Promise<LibraryEntry[]> {
  return (await readLibrary(dir)).map((d) => d.entry);
}

/** The built-in library read at most once per LIBRARY_TTL_MS. The library is part of the installation (files shipped
 * with the application), yet every form request looks its methodology up: reading and decoding every YAML file of
 * the library each time cost more than the rest of a form save (issue 8, docs/performance.md). An edited library file
 * is seen within the TTL. */
const LIBRARY_TTL_MS = 30_000;
let libraryCache: { until: number; docs: Promise<LibraryDocument[]> } | null = null;

export function cachedLibrary(): Promise<LibraryDocument[]> {
  if (libraryCache && libraryCache.until > Date.now()) return libraryCache.docs;
  const docs = readLibrary(LIBRARY_DIR);
  const entry = { until: Date.now() + LIBRARY_TTL_MS, docs };
  libraryCache = entry;
  docs.catch(() => {
    if (libraryCache === entry) libraryCache = null;
  });
  return docs;
}

/** A methodology by library id (`talents-2021`, or `talents-2021@2021.1` for one version) or by a path to a YAML file. */
export async function loadMethodology(idOrPath: string, dir: string = LIBRARY_DIR): Promise<ParsedMethodology> {
  const looksLikePath = /\.ya?ml$/i.test(idOrPath) || idOrPath.includes('/') || idOrPath.includes('\\');
  if (looksLikePath) {
    const isFile = await stat(idOrPath).then((s) => s.isFile(), () => false);
    if (!isFile) return { ok: false, source: idOrPath, errors: [{ line: null, column: null, message: `файл методики «${idOrPath}» не найден` }] };
    return parseMethodologyText(await readFile(idOrPath, 'utf8'), path.basename(idOrPath));
  }
  const [id, version] = idOrPath.split('@') as [string, string | undefined];
  const candidates = (await listLibrary(dir)).filter((e) => e.id === id && (version === undefined || e.version === version));
  if (!candidates.length) {
    const known = [...new Set((await listLibrary(dir)).map((e) => e.id))].sort();
    return {
      ok: false, source: idOrPath,
      errors: [{ line: null, column: null, message: `методика «${idOrPath}» не найдена ни в библиотеке, ни как файл. Есть: ${known.join(', ')}` }],
    };
  }
  const newest = candidates.sort((a, b) => b.version.localeCompare(a.version, 'en', { numeric: true }))[0] as LibraryEntry;
  return parseMethodologyText(await readFile(newest.path, 'utf8'), path.relative(dir, newest.path));
}

/** The lint report as Russian text lines. */
export function formatLintReport(p: ParsedMethodology): string {
  if (!p.ok) return [`${p.source}: методика не прочитана`, ...p.errors.map((e) => `  ${e.line !== null ? `строка ${e.line}${e.column !== null ? `, столбец ${e.column}` : ''}: ` : ''}${e.message}`)].join('\n');
  const m = p.methodology;
  const errors = p.lint.filter((l) => l.severity === 'error');
  const warnings = p.lint.filter((l) => l.severity === 'warning');
  const line = (l: LocatedLint) => `  ${l.severity === 'error' ? 'ошибка' : 'предупреждение'}${l.line !== null ? ` (строка ${l.line})` : ''}: ${l.message}`;
  return [
    `${p.source}: «${m.title}» (${m.id}, версия ${m.version})`,
    ...errors.map(line),
    ...warnings.map(line),
    `Итого: ошибок ${errors.length}, предупреждений ${warnings.length}.`,
  ].join('\n');
}
