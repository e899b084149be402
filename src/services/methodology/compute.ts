/** A data file + a methodology → the compute contract object (results, aggregates, discrepancies, lint).
 * Used by `msoko compute` and the web API. Errors are values naming the file, row and column. */
import path from 'node:path';
import type { ComputeOutput, Methodology } from '../../core/methodology/index.ts';
import type { NamedTable } from '../../core/methodology/index.ts';
import { MethodologySchema, compileMethodology, computeTables, lintMethodology } from '../../core/methodology/index.ts';
import { readDataFile, type Table } from '../imports/datafile.ts';
import { fisOkoTables } from './compute-fisoko.ts';
import type { DocError, LocatedLint } from './methodology-library.ts';
import { listLibrary, loadMethodology, methodologyHash } from './methodology-library.ts';

export { loadMethodology, listLibrary, parseMethodologyText, methodologyHash, formatLintReport } from './methodology-library.ts';
export type { ParsedMethodology, LibraryEntry, LocatedLint, DocError } from './methodology-library.ts';

export interface FileInfo { name: string; encoding?: string; delimiter?: string; sheet?: string }
export interface ComputeContract extends Omit<ComputeOutput, 'methodology' | 'lint'> {
  methodology: { id: string; version: string; title: string; hash: string };
  /** The first file (the table of organisations when there is one); `files` lists all of them. */
  file: FileInfo;
  files?: FileInfo[];
  lint: (ComputeOutput['lint'][number] & { line?: number | null; column?: number | null })[];
}
export interface ComputeError {
  kind: 'methodology' | 'file';
  file: string;
  line: number | null;
  column: string | null;
  message: string;
  /** The whole message in Russian: `organisations.csv, строка 5, столбец «students»: «abc» — не число`. */
  text: string;
  errors?: DocError[];
}
export type ComputeResult = { ok: true; output: ComputeContract } | { ok: false; error: ComputeError };

/** The library's earlier versions of the same methodology, newest first (for the diagnosis of a printed level). */
async function earlierVersions(m: Methodology): Promise<{ version: string; methodology: Methodology }[]> {
  const older = (await listLibrary()).filter((e) => e.id === m.id && e.version.localeCompare(m.version, 'en', { numeric: true }) < 0);
  older.sort((a, b) => b.version.localeCompare(a.version, 'en', { numeric: true }));
  const out: { version: string; methodology: Methodology }[] = [];
  for (const e of older) {
    const loaded = await loadMethodology(`${e.id}@${e.version}`);
    if (loaded.ok) out.push({ version: e.version, methodology: loaded.methodology });
  }
  return out;
}

export async function computeFromBuffer(args: {
  methodology: string | Methodology;
  buffer: Uint8Array;
  fileName: string;
  sheet?: string;
}): Promise<ComputeResult> {
  return computeFromBuffers({ methodology: args.methodology, files: [{ buffer: args.buffer, fileName: args.fileName, ...(args.sheet ? { sheet: args.sheet } : {}) }] });
}

/** Several data files, one computation: a table of organisations and record lists (docs/methodology.md,
 * «Списки записей»). One file behaves exactly as `computeFromBuffer` always did. */
export async function computeFromBuffers(args: {
  methodology: string | Methodology;
  files: { buffer: Uint8Array; fileName: string; sheet?: string }[];
}): Promise<ComputeResult> {
  let m: Methodology;
  let lint: LocatedLint[] | ComputeOutput['lint'];
  let hash: string;
  if (typeof args.methodology === 'string') {
    const loaded = await loadMethodology(args.methodology);
    if (!loaded.ok) {
      const first = loaded.errors[0];
      const text = `методика «${args.methodology}»: ${loaded.errors.map((e) => `${e.line !== null ? `строка ${e.line}: ` : ''}${e.message}`).join('; ')}`;
      return { ok: false, error: { kind: 'methodology', file: loaded.source, line: first?.line ?? null, column: null, message: first?.message ?? '', text, errors: loaded.errors } };
    }
    ({ methodology: m, lint, hash } = loaded);
  } else {
    // A document from elsewhere (the database, an upload) is validated again: the engine trusts only the schema.
    const parsed = MethodologySchema.safeParse(args.methodology);
    if (!parsed.success) {
      const text = `методика не соответствует схеме: ${parsed.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; ')}`;
      return { ok: false, error: { kind: 'methodology', file: String((args.methodology as { id?: unknown }).id ?? 'методика'), line: null, column: null, message: text, text } };
    }
    m = parsed.data;
    lint = lintMethodology(m);
    hash = methodologyHash(m);
  }
  const compiled = compileMethodology(m);
  if (!compiled.ok) {
    const text = `методика «${m.id}» содержит ошибки: ${compiled.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`;
    return { ok: false, error: { kind: 'methodology', file: m.id, line: null, column: null, message: text, text } };
  }
  compiled.compiled.earlier = await earlierVersions(m);
  const tables: NamedTable[] = [];
  const infos: FileInfo[] = [];
  for (const f of args.files) {
    const name = path.basename(f.fileName);
    let plain: Table | undefined;
    if (m.dimensions) {
      // A methodology with dimensions reads ФИС ОКО / ГИА reports as they are exported (every sheet of a workbook).
      const fis = await fisOkoTables(m, f.buffer, name, f.sheet);
      if (fis.ok) {
        for (const t of fis.tables) {
          tables.push(t.table);
          infos.push({ name, ...(t.sheet ? { sheet: t.sheet } : {}) });
        }
        continue;
      }
      if (fis.error) return { ok: false, error: fis.error };
      plain = fis.plain;
    }
    const read = plain ? { ok: true as const, table: plain } : await readDataFile(f.buffer, name, f.sheet);
    if (!read.ok) return { ok: false, error: { kind: 'file', file: name, line: null, column: null, message: read.message, text: `${name}: ${read.message}` } };
    const { header, rows, encoding, delimiter, sheet, headerLine } = read.table;
    tables.push({ file: name, header, rows, ...(headerLine ? { headerLine } : {}) });
    infos.push({ name, ...(encoding ? { encoding } : {}), ...(delimiter ? { delimiter } : {}), ...(sheet ? { sheet } : {}) });
  }
  const computed = computeTables(compiled.compiled, tables, lint);
  if (!computed.ok) {
    const e = computed.error;
    const where = [e.file, e.line !== null && e.column !== null ? `строка ${e.line}` : null, e.column !== null ? `столбец «${e.column}»` : null].filter(Boolean).join(', ');
    return { ok: false, error: { kind: 'file', file: e.file, line: e.line, column: e.column, message: e.message, text: `${where}: ${e.message}` } };
  }
  const out = computed.output;
  // The table of organisations names the computation; record lists follow it.
  const recordFiles = new Set((out.records ?? []).map((r) => r.file));
  const ordered = [...infos.filter((i) => !recordFiles.has(i.name)), ...infos.filter((i) => recordFiles.has(i.name))];
  return {
    ok: true,
    output: {
      ...out,
      methodology: { ...out.methodology, hash },
      file: ordered[0] as FileInfo,
      ...(infos.length > 1 ? { files: ordered } : {}),
    },
  };
}
