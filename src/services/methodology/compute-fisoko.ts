/** ФИС ОКО / ГИА reports as tables of a dimensional methodology (issue 22): a file is read as ФИС ОКО reports (every
 * sheet); when it is not one but a plain table of the methodology (the same columns typed by hand), the caller reads it
 * as a table; otherwise the ФИС ОКО reader's errors are the answer, named by file, sheet, line and column. */
import { fisOkoErrorText, type FisOkoError } from '../../core/imports/fisoko.ts';
import { fisOkoTable } from '../../core/imports/fisoko-table.ts';
import type { Methodology, NamedTable } from '../../core/methodology/index.ts';
import { detectDataset } from '../../core/methodology/index.ts';
import { readDataFile, type Table } from '../imports/datafile.ts';
import { readFisOkoFile } from '../imports/fisoko-file.ts';

/** The shape of `ComputeError` (compute.ts) for a file. */
interface FileError { kind: 'file'; file: string; line: number | null; column: string | null; message: string; text: string }
/** The reports as tables; or not ФИС ОКО — with the plain table when the file is one the methodology knows (read once,
 * so the caller does not read it again); or the reader's errors. */
export type FisOkoTables =
  | { ok: true; tables: { table: NamedTable; sheet?: string }[] }
  | { ok: false; error: null; plain: Table }
  | { ok: false; error: FileError };

export async function fisOkoTables(m: Methodology, buffer: Uint8Array, name: string, sheet?: string): Promise<FisOkoTables> {
  const read = await readFisOkoFile(buffer, name);
  if (read.ok) {
    const tables: { table: NamedTable; sheet?: string }[] = [];
    for (const report of read.value) {
      const t = fisOkoTable(report);
      if (!t.ok) {
        const e = t.error;
        return { ok: false, error: { kind: 'file', file: name, line: e.line, column: e.column, message: e.message, text: `${e.file}: ${e.message}` } };
      }
      tables.push({ table: t.table, ...(report.sheet ? { sheet: report.sheet } : {}) });
    }
    return { ok: true, tables };
  }
  // Not a ФИС ОКО report: a plain table the methodology knows goes the usual way.
  const plain = await readDataFile(buffer, name, sheet);
  if (plain.ok && detectDataset(m, plain.table.header).ok) return { ok: false, error: null, plain: plain.table };
  const [first, ...more]: FisOkoError[] = read.errors;
  if (!first) return { ok: false, error: { kind: 'file', file: name, line: null, column: null, message: 'файл не распознан', text: `${name}: файл не распознан` } };
  const text = [fisOkoErrorText(first), ...more.slice(0, 9).map(fisOkoErrorText)].join('\n') + (more.length > 9 ? `\n… и ещё ${more.length - 9}` : '');
  return { ok: false, error: { kind: 'file', file: name, line: first.line, column: first.column, message: first.message, text } };
}
