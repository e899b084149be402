/** «Импорт таблицы критериев» (issue 15, item 1): a DOCX or XLSX criteria table → the parsed table (every band with its
 * source text and row), a draft methodology and its lint. Nothing is «ok» while a row cannot be read: the caller shows
 * the rows with their reasons, and the YAML draft is written only when every row was read. */
import path from 'node:path';
import { Document } from 'yaml';
import type { LintItem, Methodology } from '../../core/methodology/index.ts';
import { MethodologySchema, lintMethodology } from '../../core/methodology/index.ts';
import { readCriteriaTable } from '../../core/methodology/criteria-table.ts';
import type { CriteriaTable, TableProblem } from '../../core/methodology/criteria-table.ts';
import { draftFromTable, draftNames } from '../../core/methodology/criteria-table-draft.ts';
import type { DraftOptions } from '../../core/methodology/criteria-table-draft.ts';
import { readDocxGrid, readXlsxGrid } from './criteria-import-grid.ts';
import type { Grid } from './criteria-import-grid.ts';

export interface CriteriaImportOptions extends DraftOptions {
  id?: string;
  version?: string;
  title?: string;
  direction?: Methodology['direction'];
  /** DOCX: the table number (1-based); default the first table with a criteria header. */
  table?: number;
  /** XLSX: the sheet; default the first sheet with a criteria header. */
  sheet?: string;
}

export interface LocatedProblem extends TableProblem {
  /** «таблица 1, строка 7» / «лист «Лист1», строка 7». */
  where: string;
}

export interface CriteriaImport {
  ok: boolean;
  file: string;
  part: string;
  /** Row number of the grid → its place in the file («таблица 1, строка 7»), for the bands' `line`. */
  where: Record<number, string>;
  table: CriteriaTable | null;
  problems: LocatedProblem[];
  methodology: Methodology | null;
  lint: LintItem[];
  /** The YAML draft; only when every row was read. */
  yaml: string | null;
}

export type CriteriaImportResult = { ok: true; result: CriteriaImport } | { ok: false; error: string };

const DIRECTION_WORDS: [RegExp, Methodology['direction']][] = [
  [/дошкольн|ДОУ/i, 'preschool'],
  [/дополнительн\S* образован|талант|способност|одар[её]нн/i, 'talents'],
  [/профориентац|самоопредел/i, 'career'],
  [/руководител/i, 'leaders'],
  [/педагог/i, 'teachers'],
  [/воспитан/i, 'upbringing'],
  [/ВПР|ГИА|ЕГЭ|ОГЭ|подготовк|предметн/i, 'preparation'],
];

/** The direction the table's words name (the criteria and indicator titles), when none is given. */
export function guessDirection(table: CriteriaTable): Methodology['direction'] | null {
  const text = [...table.criteria.map((c) => c.title), ...table.indicators.map((i) => i.title)].join(' ');
  return DIRECTION_WORDS.find(([re]) => re.test(text))?.[1] ?? null;
}

export async function importCriteriaTable(buffer: Uint8Array, fileName: string, options: CriteriaImportOptions = {}): Promise<CriteriaImportResult> {
  const file = path.basename(fileName);
  const isDocx = /\.docx$/i.test(fileName);
  if (!isDocx && !/\.xlsx$/i.test(fileName)) return { ok: false, error: `«${file}»: нужен файл .docx или .xlsx` };
  const read = isDocx ? await readDocxGrid(buffer, options.table) : await readXlsxGrid(buffer, options.sheet);
  if (!read.ok) return { ok: false, error: `«${file}»: ${read.message}` };
  return { ok: true, result: importGrid(read.grid, file, options) };
}

/** The pure part after reading: the table, the draft, its lint and YAML. */
export function importGrid(grid: Grid, file: string, options: CriteriaImportOptions = {}): CriteriaImport {
  const read = readCriteriaTable(grid.rows);
  const problems = read.problems.map((p) => ({ ...p, where: grid.where[p.line] ?? `строка ${p.line}` }));
  const out: CriteriaImport = { ok: false, file, part: grid.part, where: grid.where, table: read.table, problems, methodology: null, lint: [], yaml: null };
  if (!read.table) return out;
  const fragment = draftFromTable(read.table, options);
  for (const ind of read.table.indicators) {
    const def = fragment.indicators[draftNames(ind.code).indicator];
    if (def) def.source = `${file}, ${grid.where[ind.line] ?? `строка ${ind.line}`}`;
  }
  const guessed = guessDirection(read.table);
  const direction = options.direction ?? guessed ?? 'preparation';
  const notes = [
    `Импортировано из «${file}» (${grid.part}) командой «msoko criteria import»: полосы прочитаны из текста таблицы, границы входят в полосу, если текст не говорит «более», «менее», «свыше».`,
    'Значение каждого показателя — вход с тем же номером (формула «xN_N»); замените формулу, если показатель вычисляется из других данных.',
  ];
  if (!options.direction) notes.push(guessed ? `Направление «${direction}» определено по словам таблицы — проверьте.` : `Направление не указано (--direction) и по таблице не определено: поставлено «${direction}».`);
  const draft = {
    id: options.id ?? 'criteria-import',
    version: options.version ?? '1',
    direction,
    title: options.title ?? `Методика по таблице критериев «${file}»`,
    source: `${file}, ${grid.part}`,
    notes,
    ...fragment,
  };
  const valid = MethodologySchema.safeParse(draft);
  if (!valid.success) {
    for (const issue of valid.error.issues)
      out.problems.push({ line: 0, where: issue.path.join('.'), text: '', reason: `черновик не соответствует формату методики: ${issue.message}` });
    return out;
  }
  out.methodology = valid.data;
  out.lint = lintMethodology(valid.data);
  out.ok = out.problems.length === 0;
  if (out.ok) out.yaml = toYaml(valid.data, file, grid.part);
  return out;
}

function toYaml(m: Methodology, file: string, part: string): string {
  const doc = new Document(m);
  doc.commentBefore = [
    ` Черновик методики: импортирован из таблицы критериев «${file}» (${part}) командой msoko criteria import.`,
    ' Проверьте полосы (label — текст таблицы), формулы показателей и замечания линтера: msoko lint <файл>.',
  ].join('\n');
  for (const name of Object.keys(m.scales ?? {})) {
    const bands = doc.getIn(['scales', name, 'bands'], true) as { items?: { flow?: boolean }[] } | undefined;
    for (const item of bands?.items ?? []) item.flow = true;
  }
  const criteria = doc.get('criteria', true) as { items?: { flow?: boolean }[] } | undefined;
  for (const item of criteria?.items ?? []) item.flow = true;
  return doc.toString({ lineWidth: 0 });
}

/** The import for people: each unreadable row with file, place, text and reason; then the lint. */
export function formatImportReport(r: CriteriaImport): string {
  const lines: string[] = [];
  for (const p of r.problems) lines.push(`ошибка: «${r.file}», ${p.where}${p.text ? `: «${p.text}»` : ''} — ${p.reason}`);
  if (r.table && r.ok) {
    const bands = r.table.indicators.reduce((s, i) => s + i.bands.length, 0);
    lines.push(`«${r.file}», ${r.part}: критериев ${r.table.criteria.length}, показателей ${r.table.indicators.length}, полос ${bands}${r.table.statedMax ? `, максимум ${String(r.table.statedMax.value).replace('.', ',')}` : ''}`);
  }
  for (const l of r.lint) lines.push(`${l.severity === 'error' ? 'ошибка' : 'предупреждение'}: ${l.path}: ${l.message}`);
  return lines.join('\n');
}
