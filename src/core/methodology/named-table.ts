/** A table as the engine receives it (header + rows of text cells, named by its file) and the failure of a computation
 * over several tables. */
import type { RecordCellError } from './record-dataset.ts';
import type { TableRow } from './records.ts';

export interface NamedTable {
  file: string;
  header: string[];
  rows: TableRow[];
  /** Line of `header` in the file (1 for CSV; an XLSX sheet may start lower). */
  headerLine?: number;
}
export interface TablesFailure {
  ok: false;
  error: RecordCellError & { file: string };
  /** Every bad cell of a record list (the first one is `error`). */
  errors?: (RecordCellError & { file: string })[];
}
