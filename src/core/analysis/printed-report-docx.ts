/** Printed figures read from the report's own tables (issue 15, item 4): a DOCX справка/протокол has tables such as
 * seed 004's Table № 3 — a header of one or more rows (merged cells as Word stores them: a spanning cell's text, then
 * empty cells), a row per organisation (№, name, figures), and an «итого» row. Given the tables as text grids
 * (src/services/methodology/criteria-import-grid.ts reads them), this module describes each table (its header text per
 * column), guesses which column names the organisations and which column is which indicator's value or level (from
 * the body cells and the methodology's indicator titles), and turns a table and a mapping into figure rows with their
 * source cell (таблица N, строка R, столбец C) for printed-figure-rows.ts to resolve. A table captioned in the
 * document («Таблица № 3. Индекс многообразия …» in a paragraph above it, `tableCaption`) is named by its caption
 * («Таблица № 3, строка 28, столбец 5») when the captions are given, by its order («таблица 2») otherwise. Pure. */
import { OrgIndex, type OrgRef } from '../imports/match.ts';
import { normaliseLevelName, parsePrinted } from '../methodology/consistency.ts';
import { LEVEL_NAMES, type Methodology } from '../methodology/schema.ts';
import { matchFigureRows, type FigureRow, type FigureRowsResult, type FigureWhere } from './printed-figure-rows.ts';

export interface DocxColumnMapping {
  /** 1-based column of the table. */
  column: number;
  /** The indicator (id) the column prints. */
  target: string;
  field: 'value' | 'level';
  /** The municipal figure (an aggregate id) the «итого» row prints in this column; null — the row is skipped. */
  total: string | null;
}
export interface DocxMapping {
  /** 1-based table of the document. */
  table: number;
  /** 1-based column of organisation names. */
  organisationColumn: number;
  columns: DocxColumnMapping[];
}
export interface DocxTableInfo {
  no: number;
  /** The caption printed above the table («Таблица № 3. Индекс многообразия …»), null when it has none. */
  caption: string | null;
  /** How cell references name the table: the caption's «Таблица № 3», else «таблица 2». */
  name: string;
  rows: number;
  /** Rows of the header (before the first numbered row). */
  headerRows: number;
  /** Header text of each column (1-based `column`), spanning cells carried over their columns. */
  columns: { column: number; header: string }[];
  /** The first body rows as printed, to recognise the table. */
  sample: string[][];
}
/** One figure read: where it was (place), and the row for matchFigureRows. */
export interface DocxFigureRow extends FigureRow {
  place: string;
  /** The organisation or «итого» as printed. */
  rowText: string;
  /** 1-based row of the table and the columns the figure was read from. */
  tableRow: number;
  cells: { organisation: number; value: number | null; level: number | null };
}

const TOTAL = /^(итого|всего|итого по району|по району|итого:)$/i;
const EMPTY = /^[-–—]?$/;
const LEVELS = new Set(Object.values(LEVEL_NAMES));
const cellAt = (row: readonly string[], column: number) => (row[column - 1] ?? '').trim();
const isNumbered = (row: readonly string[]) => /^\d+\.?$/.test(cellAt(row, 1)) || (cellAt(row, 1) === '' && /^\d+\.?$/.test(cellAt(row, 2)));

/** A caption: «Таблица», «Табл.» and a number («Таблица № 3», «Табл. 2.1», «ТАБЛИЦА 4»). */
const CAPTION = /^(?:таблица|табл\.)\s*(?:№\s*)?\d+(?:\.\d+)*/i;
/** How many non-empty paragraphs above a table are looked at for its caption. */
export const CAPTION_REACH = 3;

/** The caption of a table among the non-empty paragraphs printed above it (in document order, the nearest last): the
 * nearest of the last `CAPTION_REACH` that starts with «Таблица»/«Табл.» and a number; null when none does. */
export function tableCaption(paragraphsBefore: readonly string[]): string | null {
  const near = paragraphsBefore.map((p) => p.replace(/\s+/g, ' ').trim()).filter(Boolean).slice(-CAPTION_REACH);
  for (let i = near.length - 1; i >= 0; i--) if (CAPTION.test(near[i]!)) return near[i]!;
  return null;
}

/** The name of table `no` (1-based) in cell references: its caption's «Таблица № 3» when it has one, else «таблица 2». */
export function tableName(no: number, captions?: readonly (string | null)[]): string {
  const caption = captions?.[no - 1];
  const label = caption ? CAPTION.exec(caption)?.[0] : undefined;
  return label ? label.replace(/№(?=\d)/, '№ ') : `таблица ${no}`;
}

export function headerRowsOf(rows: readonly (readonly string[])[]): number {
  const i = rows.findIndex(isNumbered);
  return i <= 0 ? 1 : i;
}

/** The header text of every column: the header rows' texts joined, a spanning cell's text carried over the empty
 * cells to its right when a lower header row divides them («Индекс многообразия программ ДО / Количество программ»). */
export function columnHeaders(rows: readonly (readonly string[])[], headerRows: number): string[] {
  const width = Math.max(0, ...rows.map((r) => r.length));
  const head = rows.slice(0, headerRows).map((r) => Array.from({ length: width }, (_, c) => (r[c] ?? '').trim()));
  for (let r = 0; r < head.length - 1; r++) {
    for (let c = 1; c < width; c++) {
      // Word keeps no trace of the span in the text: a lower header row with text under this column or the one to
      // its left shows the upper cell was divided (the last column of «Индекс многообразия» has no header of its own).
      const divided = head.slice(r + 1).some((lower) => lower[c] !== '' || lower[c - 1] !== '');
      if (head[r]![c] === '' && head[r]![c - 1] !== '' && divided) head[r]![c] = head[r]![c - 1]!;
    }
  }
  return Array.from({ length: width }, (_, c) => [...new Set(head.map((r) => r[c]!).filter(Boolean))].join(' / '));
}

/** Each table's header and first rows, with its caption (`captions`: per table, from `tableCaption`) and name. */
export function describeTables(tables: readonly (readonly (readonly string[])[])[], captions?: readonly (string | null)[]): DocxTableInfo[] {
  return tables.map((rows, i) => {
    const headerRows = headerRowsOf(rows);
    return {
      no: i + 1, caption: captions?.[i] ?? null, name: tableName(i + 1, captions), rows: rows.length, headerRows,
      columns: columnHeaders(rows, headerRows).map((header, c) => ({ column: c + 1, header })),
      sample: rows.slice(headerRows, headerRows + 3).map((r) => [...r]),
    };
  });
}

const stems = (s: string) => new Set(s.toLowerCase().replace(/ё/g, 'е').split(/[^a-zа-я0-9]+/).filter((w) => w.length >= 3).map((w) => w.slice(0, 5)));

/** How well a column header names an indicator: the share of the header's words found in the indicator's title. */
function titleScore(header: string, title: string): number {
  const h = stems(header);
  if (!h.size) return 0;
  const t = stems(title);
  return [...h].filter((w) => t.has(w)).length / h.size;
}

/** Guesses the mapping of a document: the table and column whose body cells name the most participants, numeric
 * columns to the indicator whose title their header matches best (more than half of the header's words), a column of
 * level names to the indicator of the nearest mapped column to its left; the «итого» row to the municipal figure
 * computed over that indicator. Null when no table names participants. */
export function guessMapping(tables: readonly (readonly (readonly string[])[])[], m: Methodology, orgs: readonly OrgRef[], table?: number): DocxMapping | null {
  const index = new OrgIndex(orgs);
  let best: { table: number; column: number; hits: number } | null = null;
  tables.forEach((rows, t) => {
    if (table !== undefined && t + 1 !== table) return;
    const body = rows.slice(headerRowsOf(rows));
    const width = Math.max(0, ...rows.map((r) => r.length));
    for (let c = 1; c <= width; c++) {
      const hits = body.filter((r) => cellAt(r, c) !== '' && index.match('name', cellAt(r, c)).kind === 'ok').length;
      if (hits > 0 && (!best || hits > best.hits)) best = { table: t + 1, column: c, hits };
    }
  });
  if (!best) return null;
  const found = best as { table: number; column: number };
  const rows = tables[found.table - 1]!;
  const headerRows = headerRowsOf(rows);
  const headers = columnHeaders(rows, headerRows);
  const body = rows.slice(headerRows).filter((r) => !TOTAL.test(cellAt(r, found.column)) && cellAt(r, found.column) !== '');
  const share = (c: number, test: (s: string) => boolean) => {
    const cells = body.map((r) => cellAt(r, c)).filter((s) => !EMPTY.test(s));
    return cells.length ? cells.filter(test).length / cells.length : 0;
  };
  const indicators = Object.entries(m.indicators);
  const numeric: { column: number; target: string; score: number }[] = [];
  const levelColumns: number[] = [];
  for (let c = 1; c <= headers.length; c++) {
    if (c === found.column) continue;
    if (share(c, (s) => LEVELS.has(normaliseLevelName(s))) >= 0.8) levelColumns.push(c);
    else if (share(c, (s) => parsePrinted(s) !== null) >= 0.8) {
      const scored = indicators.map(([id, d]) => ({ id, score: titleScore(headers[c - 1] ?? '', `${d.code ?? ''} ${d.title}`) })).sort((a, b) => b.score - a.score)[0];
      if (scored && scored.score > 0.5) numeric.push({ column: c, target: scored.id, score: scored.score });
    }
  }
  // One column per indicator: the best-scoring, the rightmost on a tie (a count column before the index shares words).
  const chosen = new Map<string, { column: number; score: number }>();
  for (const n of numeric) {
    const had = chosen.get(n.target);
    if (!had || n.score >= had.score) chosen.set(n.target, n);
  }
  const totalOf = (target: string) => {
    const aggs = Object.entries(m.aggregates ?? {}).filter(([, a]) => a.of === target && !a.group_by && !a.method.endsWith('_by_level'));
    return (aggs.find(([, a]) => a.method === 'mean_of_orgs') ?? aggs[0])?.[0] ?? null;
  };
  const columns: DocxColumnMapping[] = [...chosen.entries()].map(([target, n]) => ({ column: n.column, target, field: 'value' as const, total: totalOf(target) }));
  for (const c of levelColumns) {
    const left = columns.filter((x) => x.field === 'value' && x.column < c).sort((a, b) => b.column - a.column)[0];
    if (left) columns.push({ column: c, target: left.target, field: 'level', total: left.total });
  }
  columns.sort((a, b) => a.column - b.column);
  return { table: found.table, organisationColumn: found.column, columns };
}

/** The figure rows of a table under a mapping: per body row and indicator, its value and level cells with the place
 * they were printed (the table named by its caption when `captions` gives one); empty cells («», «-») print nothing;
 * an «итого» row gives the mapped municipal figures. */
export function figureRowsOf(tables: readonly (readonly (readonly string[])[])[], mapping: DocxMapping, captions?: readonly (string | null)[]): { ok: true; rows: DocxFigureRow[]; headers: string[] } | { ok: false; message: string } {
  const rows = tables[mapping.table - 1];
  if (!rows) return { ok: false, message: `в документе ${tables.length} табл., таблицы ${mapping.table} нет` };
  const headerRows = headerRowsOf(rows);
  const headers = columnHeaders(rows, headerRows);
  const width = headers.length;
  for (const c of [mapping.organisationColumn, ...mapping.columns.map((x) => x.column)]) {
    if (!Number.isInteger(c) || c < 1 || c > width) return { ok: false, message: `в таблице ${mapping.table} ${width} столбц., столбца ${c} нет` };
  }
  const byTarget = new Map<string, { value?: DocxColumnMapping; level?: DocxColumnMapping }>();
  for (const col of mapping.columns) {
    const slot = byTarget.get(col.target) ?? {};
    if (slot[col.field]) return { ok: false, message: `у показателя «${col.target}» два столбца ${col.field === 'value' ? 'значения' : 'уровня'}: ${slot[col.field]!.column} и ${col.column}` };
    slot[col.field] = col;
    byTarget.set(col.target, slot);
  }
  const colName = (c: number) => `столбец ${c}${headers[c - 1] ? ` «${headers[c - 1]}»` : ''}`;
  const out: DocxFigureRow[] = [];
  rows.forEach((row, i) => {
    if (i < headerRows) return;
    const name = cellAt(row, mapping.organisationColumn);
    if (name === '') return;
    const total = TOTAL.test(name.replace(/\s+/g, ' '));
    for (const [target, cols] of byTarget) {
      const totalTarget = total ? (cols.value?.total ?? cols.level?.total ?? null) : null;
      if (total && !totalTarget) continue;
      const text = (c: DocxColumnMapping | undefined) => (c && !EMPTY.test(cellAt(row, c.column)) ? cellAt(row, c.column) : null);
      const value = text(cols.value);
      const level = text(cols.level);
      if (value === null && level === null) continue;
      const printedIn = [cols.value && value !== null ? cols.value.column : null, cols.level && level !== null ? cols.level.column : null].filter((c): c is number => c !== null);
      out.push({
        line: out.length + 1, rowText: name, tableRow: i + 1,
        cells: { organisation: mapping.organisationColumn, value: cols.value?.column ?? null, level: cols.level?.column ?? null }, organisation: total ? null : { text: name }, group: null, target: total ? totalTarget! : target, value, level,
        place: `${tableName(mapping.table, captions)}, строка ${i + 1}, ${printedIn.map(colName).join(' и ')}`,
      });
    }
  });
  return { ok: true, rows: out, headers };
}

export interface DocxFigures {
  mapping: DocxMapping | null;
  rows: DocxFigureRow[];
  result: FigureRowsResult;
}

/** The figures of a document's tables: under the given mapping, or the guessed one (in `table` when given); each
 * problem named by its cell («таблица 3, строка 28, столбец 2 «Наименование ОУ»: «Сайраново» — …»; «Таблица № 3, …»
 * when `captions` gives the table's caption). */
export function docxFigures(tables: readonly (readonly (readonly string[])[])[], m: Methodology, orgs: readonly OrgRef[], mapping: DocxMapping | null, table?: number, captions?: readonly (string | null)[]): DocxFigures {
  const used = mapping ?? guessMapping(tables, m, orgs, table);
  if (!used) {
    const where = table === undefined ? `ни в одной из ${tables.length} таблиц документа` : `в таблице ${table}`;
    return { mapping: null, rows: [], result: { ok: false, errors: [{ path: 'mapping', message: `${where} нет столбца с названиями организаций — участников мониторинга` }] } };
  }
  const read = figureRowsOf(tables, used, captions);
  if (!read.ok) return { mapping: used, rows: [], result: { ok: false, errors: [{ path: 'mapping', message: read.message }] } };
  if (!used.columns.length) return { mapping: used, rows: [], result: { ok: false, errors: [{ path: 'mapping', message: 'не выбран ни один столбец с показателем' }] } };
  if (!read.rows.length) return { mapping: used, rows: [], result: { ok: false, errors: [{ path: 'mapping', message: `в таблице ${used.table} нет строк с напечатанными значениями` }] } };
  const where: FigureWhere = (line, k) => {
    const r = read.rows[line - 1]!;
    const c = k === 'organisation' ? r.cells.organisation : k === 'level' ? (r.cells.level ?? r.cells.value!) : (r.cells.value ?? r.cells.level!);
    const header = read.headers[c - 1];
    return { path: `docx.${used.table}.${r.tableRow}.${c}`, prefix: `${tableName(used.table, captions)}, строка ${r.tableRow}, столбец ${c}${header ? ` «${header}»` : ''}` };
  };
  return { mapping: used, rows: read.rows, result: matchFigureRows(m, orgs, read.rows, where) };
}
