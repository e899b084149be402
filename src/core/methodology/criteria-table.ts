/** A criteria table («Таблица № 1. Перечень критериев и показателей») read from a grid of text cells. Pure: the file
 * readers (src/services/methodology/criteria-import.ts) turn DOCX/XLSX into rows; this finds the header and its columns
 * by meaning (№, критерий/показатель, целевой показатель, индикатор/условие, баллы), section rows with their maxima,
 * indicator rows with code and title, band rows, merged cells (a value repeated over the merge, or empty cells after
 * it) and the stated maximum. Every band keeps its source text and line; a row that cannot be read is a problem with
 * its text and a Russian reason, and the table is not «ok» while there is one. */
import { parseBandText } from './band-text.ts';
import type { BandText } from './band-text.ts';

export interface GridRow {
  /** Where the row is in the source: the row number of the table (DOCX) or of the sheet (XLSX). */
  line: number;
  cells: string[];
}

export type TableColumn = 'number' | 'criterion' | 'target' | 'band' | 'points';
export const COLUMN_NAMES: Record<TableColumn, string> = {
  number: '№',
  criterion: 'критерий / показатель',
  target: 'целевой показатель',
  band: 'индикатор / условие',
  points: 'баллы',
};

export interface TableProblem {
  line: number;
  text: string;
  reason: string;
}
export interface TableBand {
  line: number;
  text: string;
  points: number;
  bounds: BandText;
}
export interface TableIndicator {
  code: string;
  title: string;
  line: number;
  criterion: string;
  target?: number;
  targetText?: string;
  bands: TableBand[];
}
export interface TableCriterion {
  id: string;
  title: string;
  line: number;
  /** The maximum printed in the section row («(max 3 балла)»). */
  max?: number;
}
export interface CriteriaTable {
  header: { line: number; columns: Partial<Record<TableColumn, number>> };
  criteria: TableCriterion[];
  indicators: TableIndicator[];
  /** «Максимальное количество баллов – 15». */
  statedMax?: { value: number; line: number; text: string };
}
export interface CriteriaTableResult {
  ok: boolean;
  table: CriteriaTable | null;
  problems: TableProblem[];
}

const clean = (s: string) => s.replace(/[\u00a0\u202f\s]+/g, ' ').trim();
const NUMBER = /^-?\d+(?:[.,]\d+)?$/;
const toNumber = (s: string) => Number(s.replace(',', '.'));
const isDash = (s: string) => /^[-–—‒−]*$/.test(s);

function classify(text: string): TableColumn | null {
  const t = text.toLowerCase();
  if (/балл/.test(t)) return 'points';
  if (/целев/.test(t)) return 'target';
  if (/индикатор|услови|значени|диапазон|градаци|шкал/.test(t)) return 'band';
  if (/критери|показател|наименовани/.test(t)) return 'criterion';
  if (/^№|п\s*\/\s*п|^номер/.test(t)) return 'number';
  return null;
}

/** The header row: the first row naming a criterion, a band and a points column (the first cell of each meaning). */
export function findHeader(rows: GridRow[]): { index: number; columns: Partial<Record<TableColumn, number>> } | null {
  for (const [index, row] of rows.entries()) {
    const columns: Partial<Record<TableColumn, number>> = {};
    row.cells.forEach((c, i) => {
      const kind = classify(clean(c));
      if (kind && columns[kind] === undefined) columns[kind] = i;
    });
    if (columns.criterion !== undefined && columns.band !== undefined && columns.points !== undefined) return { index, columns };
  }
  return null;
}

const MAX_IN_TITLE = /\s*\(?\s*(?:max|макс\.?|максимум|максимально|не более)\s*[-–—:]?\s*(\d+(?:[.,]\d+)?)\s*балл\S*\s*\)?\s*/i;

function parsePoints(text: string): number | null {
  const t = text.replace(/\s*балл\S*$/i, '').trim();
  return NUMBER.test(t) ? toNumber(t) : null;
}

/** Reads the rows of one table. */
export function readCriteriaTable(rows: GridRow[]): CriteriaTableResult {
  const problems: TableProblem[] = [];
  const header = findHeader(rows);
  if (!header)
    return {
      ok: false,
      table: null,
      problems: [{ line: rows[0]?.line ?? 0, text: '', reason: 'не найдена строка заголовка таблицы критериев: нужны столбцы «критерий / показатель», «индикатор / условие» и «баллы»' }],
    };
  const cols = header.columns;
  const table: CriteriaTable = { header: { line: rows[header.index]?.line ?? 0, columns: cols }, criteria: [], indicators: [] };
  let criterion: TableCriterion | null = null;
  let indicator: TableIndicator | null = null;
  let indicatorText = '';
  const problem = (line: number, text: string, reason: string) => problems.push({ line, text, reason });

  for (const row of rows.slice(header.index + 1)) {
    const cells = row.cells.map(clean);
    const get = (c: TableColumn) => (cols[c] === undefined ? '' : (cells[cols[c] as number] ?? ''));
    const distinct = [...new Set(cells.filter((c) => c !== ''))];
    if (!distinct.length) continue;
    const rowText = distinct.join(' | ');
    // The column-numbering row under a header: 1 | 2 | 3 | 4 | 5.
    if (distinct.length >= 3 && distinct.every((c, i) => c === String(i + 1))) continue;
    const num = get('number');
    const crit = get('criterion');
    const band = get('band');
    const points = get('points');

    if (/максимальн\S*\s+(?:количеств\S*\s+)?балл|^(?:итого|всего)(?![а-я])/i.test(distinct[0] ?? '')) {
      const fromPoints = parsePoints(points);
      const numbers = rowText.match(/\d+(?:[.,]\d+)?/g) ?? [];
      const value = fromPoints ?? (numbers.length ? toNumber(numbers[numbers.length - 1] as string) : null);
      if (value === null) problem(row.line, rowText, 'в строке максимума не указано число баллов');
      else table.statedMax = { value, line: row.line, text: rowText };
      continue;
    }

    const section = sectionOf(num, crit, band, points, distinct);
    if (section) {
      const m = MAX_IN_TITLE.exec(section.title);
      const title = section.title.replace(MAX_IN_TITLE, ' ').replace(/[\s:;.]+$/, '').trim();
      if (table.criteria.some((c) => c.id === section.id)) problem(row.line, rowText, `раздел ${section.id} встречается второй раз`);
      criterion = { id: section.id, title, line: row.line, ...(m ? { max: toNumber(m[1] as string) } : {}) };
      table.criteria.push(criterion);
      indicator = null;
      indicatorText = '';
      continue;
    }

    const numCode = /^(\d+(?:\.\d+)+)\.?$/.exec(num)?.[1];
    const startsNew: boolean = (crit !== '' && crit !== indicatorText) || (numCode !== undefined && numCode !== indicator?.code);
    if (startsNew) {
      const m = /^(\d+(?:\.\d+)+)\.?\s+(\S[\s\S]*)$/.exec(crit);
      const code: string = numCode ?? m?.[1] ?? `${criterion?.id ?? table.criteria.length + 1}.${table.indicators.filter((i) => i.criterion === criterion?.id).length + 1}`;
      const title = (m && (numCode === undefined || numCode === m[1]) ? m[2] : crit) as string;
      if (!title) {
        problem(row.line, rowText, `показатель ${code}: нет названия в столбце «${COLUMN_NAMES.criterion}»`);
        continue;
      }
      if (!criterion) {
        const id = code.split('.')[0] as string;
        criterion = { id, title: `Критерий ${id}`, line: row.line };
        table.criteria.push(criterion);
      }
      if (table.indicators.some((i) => i.code === code)) problem(row.line, rowText, `показатель ${code} встречается второй раз`);
      indicator = { code, title, line: row.line, criterion: criterion.id, bands: [] };
      indicatorText = crit;
      table.indicators.push(indicator);
      const target = get('target');
      if (target && !isDash(target)) {
        const t = /^(\d+(?:[.,]\d+)?)\s*%?$/.exec(target.replace(/^(?:не менее|не ниже|≥)\s*/i, ''));
        if (t) {
          indicator.target = toNumber(t[1] as string);
          indicator.targetText = target;
        } else problem(row.line, target, `целевой показатель «${target}» не распознан: ожидается число («75%»)`);
      }
    }

    if (band === '' && points === '') continue;
    // An indicator row merged across the band and points columns carries no band.
    if (startsNew && band === crit && (points === '' || points === crit)) continue;
    if (!indicator) {
      problem(row.line, rowText, 'условие и баллы вне показателя: выше нет строки с показателем');
      continue;
    }
    if (band === '') {
      problem(row.line, rowText, `показатель ${indicator.code}: баллы «${points}» без условия в столбце «${COLUMN_NAMES.band}»`);
      continue;
    }
    const parsed = parseBandText(band);
    if (!parsed.ok) {
      problem(row.line, band, `показатель ${indicator.code}: ${parsed.reason}`);
      continue;
    }
    const p = parsePoints(points);
    if (p === null) {
      problem(row.line, band, points ? `показатель ${indicator.code}: баллы «${points}» — не число` : `показатель ${indicator.code}: для условия «${band}» не указаны баллы`);
      continue;
    }
    indicator.bands.push({ line: row.line, text: band, points: p, bounds: parsed.band });
  }

  for (const ind of table.indicators) checkIndicator(ind, problem);
  for (const c of table.criteria)
    if (!table.indicators.some((i) => i.criterion === c.id)) problem(c.line, c.title, `раздел ${c.id}: нет ни одного показателя`);
  return { ok: problems.length === 0, table, problems };
}

/** A section row: «1.» with the criterion's title, merged over the remaining columns (repeated or empty). */
function sectionOf(num: string, crit: string, band: string, points: string, distinct: string[]): { id: string; title: string } | null {
  const merged = (s: string) => s === '' || s === crit;
  const n = /^(\d+)\.?$/.exec(num);
  if (n && crit && merged(band) && merged(points)) return { id: n[1] as string, title: crit };
  if (distinct.length === 1) {
    const m = /^(\d+)\.?\s+(\D[\s\S]*)$/.exec(distinct[0] as string);
    if (m) return { id: m[1] as string, title: m[2] as string };
  }
  return null;
}

function checkIndicator(ind: TableIndicator, problem: (line: number, text: string, reason: string) => void): void {
  const label = `показатель ${ind.code}`;
  if (!ind.bands.length) {
    problem(ind.line, ind.title, `${label}: нет ни одной полосы (условие и баллы)`);
    return;
  }
  const yesNo = ind.bands.filter((b) => b.bounds.answer);
  if (yesNo.length && yesNo.length < ind.bands.length)
    for (const b of ind.bands.filter((x) => !x.bounds.answer))
      problem(b.line, b.text, `${label}: условие да/нет («${yesNo[0]?.text}») смешано с числовым условием`);
  for (const answer of ['yes', 'no'] as const) {
    const same = yesNo.filter((b) => b.bounds.answer === answer);
    for (const b of same.slice(1)) problem(b.line, b.text, `${label}: ответ «${answer === 'yes' ? 'да' : 'нет'}» уже указан в строке ${same[0]?.line}`);
  }
  const bounded = (b: TableBand) => b.bounds.from !== undefined || b.bounds.to !== undefined;
  const levelOnly = ind.bands.filter((b) => !b.bounds.answer && !bounded(b));
  if (levelOnly.length && levelOnly.length < ind.bands.length - yesNo.length)
    for (const b of levelOnly) problem(b.line, b.text, `${label}: уровень «${b.text}» без границ, а у других полос показателя границы есть`);
}
