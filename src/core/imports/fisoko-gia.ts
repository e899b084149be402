/** ГИА-9 / ГИА-11 results per organisation × subject: «Организация» (or «ОО»), optional «Логин ФИС ОКО» / «ИНН»,
 * «Предмет», «Кол-во участников», «Средний балл», «Не преодолели минимальный порог» (a count), optional «Экзамен» and
 * «Год»; an optional header block above (the exam kind and year), an optional totals row. Pure. */
import { joinHeaderRows } from '../methodology/record-dataset.ts';
import type { TableRow } from '../methodology/records.ts';
import { normaliseInn } from './match.ts';
import type { ErrorList} from './fisoko-common.ts';
import { cell, COUNT, isEmptyRow, norm, readNumberCell, rowText, splitLogin, TOTALS, yearIn } from './fisoko-common.ts';
import type { FisOkoSource, GiaExam, GiaReport } from './fisoko-types.ts';

type Key = 'organisation' | 'login' | 'inn' | 'subject' | 'participants' | 'meanScore' | 'failed' | 'exam' | 'year';

/** In this order: a header is given to the first key it fits («Кол-во участников, не преодолевших…» is `failed`). */
const COLUMNS: readonly (readonly [Key, RegExp])[] = [
  ['failed', /не преодолел|не набрал\S* минимальн|ниже минимальн|не сдал/],
  ['meanScore', /^средн\S* (?:\S+ )?балл/],
  ['participants', new RegExp(`^(?:${COUNT} ?)?(?:участников|сдававших|выпускников)`)],
  ['login', /логин/],
  ['inn', /^инн(?![а-я])/],
  ['subject', /^(?:учебный )?предмет/],
  ['organisation', /^(?:(?:наименование|название) ?)?(?:оо|образовательн\S* организаци\S*|организаци\S*|школа|оу)$|^наименование$/],
  ['exam', /^(?:экзамен|форма|форма (?:гиа|экзамена)|вид (?:гиа|экзамена)|гиа)$/],
  ['year', /^(?:учебный )?год$/],
];
const REQUIRED: readonly Key[] = ['organisation', 'subject', 'participants'];
const TITLES: Record<Key, string> = { organisation: '«Организация» (или «ОО»)', login: '«Логин ФИС ОКО»', inn: '«ИНН»', subject: '«Предмет»', participants: '«Кол-во участников»', meanScore: '«Средний балл»', failed: '«Не преодолели минимальный порог»', exam: '«Экзамен»', year: '«Год»' };

export const GIA_EXPECTED = `${REQUIRED.map((k) => TITLES[k]).join(', ')}, ${TITLES.meanScore}, ${TITLES.failed} (необязательны: ${TITLES.login}, ${TITLES.inn}, ${TITLES.exam}, ${TITLES.year})`;

export interface GiaHeader {
  at: number;
  dataFrom: number;
  columns: Partial<Record<Key, number>>;
  labels: string[];
}

function columnsOf(header: readonly string[]): Partial<Record<Key, number>> {
  const out: Partial<Record<Key, number>> = {};
  header.forEach((h, i) => {
    const n = norm(h);
    if (!n) return;
    const hit = COLUMNS.find(([, re]) => re.test(n));
    // A share of those who failed («…, %») is not the count.
    if (!hit || (hit[0] === 'failed' && /%/.test(n))) return;
    out[hit[0]] ??= i;
  });
  return out;
}

/** Whether the row at `i` (alone, or joined with the next one) is a ГИА table header; the missing columns otherwise. */
export function locateGia(grid: readonly TableRow[], i: number): { header: GiaHeader } | { missing: string[]; found: number } | null {
  const row = grid[i] as TableRow;
  const next = grid[i + 1];
  const candidates = [{ header: row.cells.map((c) => c.replace(/\s+/g, ' ').trim()), used: 1 }];
  if (next) candidates.push({ header: joinHeaderRows(row.cells.map((c) => c.replace(/\s+/g, ' ')), next.cells.map((c) => c.replace(/\s+/g, ' '))), used: 2 });
  const fits = candidates.map((c) => ({ ...c, columns: columnsOf(c.header) }));
  const complete = fits.filter((f) => REQUIRED.every((k) => f.columns[k] !== undefined));
  // The two-row header wins when it names more columns (e.g. «Не преодолели минимальный порог» over «чел.» / «%»).
  // So does a second row with nothing where the one-row header's organisation, subject and participants are: it is
  // the header's continuation, not a data row.
  const one = fits[0] as (typeof fits)[number];
  const continued = next !== undefined && !isEmptyRow(next) && REQUIRED.every((k) => one.columns[k] === undefined || cell(next, one.columns[k]) === '');
  const best = complete.sort((a, b) => Object.keys(b.columns).length - Object.keys(a.columns).length || (continued ? b.used - a.used : a.used - b.used))[0];
  if (best) return { header: { at: i, dataFrom: i + best.used, columns: best.columns, labels: best.header } };
  const found = REQUIRED.filter((k) => one.columns[k] !== undefined).length;
  return found >= 2 ? { missing: REQUIRED.filter((k) => one.columns[k] === undefined).map((k) => TITLES[k]), found } : null;
}

/** ОГЭ / ГВЭ-9 / ГИА-9 → ГИА-9; ЕГЭ / ГВЭ-11 / ГИА-11 → ГИА-11. */
export function examOf(text: string): GiaExam | null {
  const t = norm(text).replace(/\s+/g, '');
  if (/огэ|гиа-?9(?!\d)|гвэ-?9(?!\d)|9классов|9-?хкласс|9кл/.test(t)) return 'ГИА-9';
  if (/егэ|гиа-?11|гвэ-?11|11классов|11-?хкласс|11кл/.test(t)) return 'ГИА-11';
  return null;
}

export function readGia(grid: readonly TableRow[], h: GiaHeader, source: FisOkoSource, errors: ErrorList): GiaReport {
  const col = h.columns;
  const label = (k: Key) => h.labels[col[k] as number] || TITLES[k].replace(/[«»]/g, '');
  const block = grid.slice(0, h.at).map(rowText).filter(Boolean);
  let exam: GiaExam | null = block.map(examOf).find((e) => e !== null) ?? null;
  let year: number | null = block.map(yearIn).find((y) => y !== null) ?? null;
  const report: GiaReport = { kind: 'gia', file: source.file, ...(source.sheet === undefined ? {} : { sheet: source.sheet }), exam: null, year: null, rows: [], skipped: [] };
  const exams = new Map<GiaExam, number>();
  const years = new Map<number, number>();
  for (const row of grid.slice(h.dataFrom)) {
    if (isEmptyRow(row)) continue;
    const first = row.cells.map((c) => c.trim()).filter(Boolean).slice(0, 2);
    if (first.some((c) => TOTALS.test(norm(c)))) {
      report.skipped.push({ line: row.line, reason: 'итоговая строка' });
      continue;
    }
    const orgText = cell(row, col.organisation as number);
    const subject = cell(row, col.subject as number).replace(/\s+/g, ' ');
    if (norm(orgText) === norm(h.labels[col.organisation as number] ?? '')) continue; // a header row repeated
    const before = errors.size;
    if (!orgText) errors.add(row.line, label('organisation'), 'не указана организация');
    if (!subject) errors.add(row.line, label('subject'), 'не указан предмет');
    const participants = readNumberCell(errors, row, col.participants as number, label('participants'), 'число участников', { required: true, integer: true });
    const meanScore = col.meanScore === undefined ? null : readNumberCell(errors, row, col.meanScore, label('meanScore'), 'средний балл', { required: false, max: 100 });
    const failed = col.failed === undefined ? null : readNumberCell(errors, row, col.failed, label('failed'), 'число не преодолевших минимальный порог', { required: false, integer: true });
    let inn: string | null = null;
    if (col.inn !== undefined && cell(row, col.inn)) {
      inn = normaliseInn(cell(row, col.inn));
      if (inn === null) errors.add(row.line, label('inn'), `ИНН не прочитан: «${cell(row, col.inn)}» (ожидалось 10 или 12 цифр)`);
    }
    if (col.exam !== undefined && cell(row, col.exam)) {
      const e = examOf(cell(row, col.exam));
      if (e === null) errors.add(row.line, label('exam'), `экзамен не распознан: «${cell(row, col.exam)}» (ожидалось ГИА-9, ГИА-11, ОГЭ или ЕГЭ)`);
      else exams.set(e, exams.get(e) ?? row.line);
    }
    if (col.year !== undefined && cell(row, col.year)) {
      const y = yearIn(cell(row, col.year));
      if (y === null) errors.add(row.line, label('year'), `год не прочитан: «${cell(row, col.year)}»`);
      else years.set(y, years.get(y) ?? row.line);
    }
    if (typeof participants === 'number' && typeof failed === 'number' && failed > participants) {
      errors.add(row.line, label('failed'), `не преодолевших минимальный порог (${failed}) больше, чем участников (${participants})`);
    }
    if (errors.size > before || typeof participants !== 'number' || meanScore === undefined || failed === undefined) continue;
    if (participants === 0) {
      report.skipped.push({ line: row.line, reason: `«${orgText}», ${subject}: нет участников` });
      continue;
    }
    const named = splitLogin(orgText);
    const login = col.login !== undefined ? cell(row, col.login) || named.login : named.login;
    report.rows.push({ line: row.line, organisation: named.name, login, inn, subject, participants, meanScore, failed });
  }
  if (exams.size > 1) errors.add([...exams.values()][1] as number, label('exam'), `в одной таблице разные экзамены: ${[...exams.keys()].join(' и ')}`);
  if (years.size > 1) errors.add([...years.values()][1] as number, label('year'), `в одной таблице разные годы: ${[...years.keys()].join(' и ')}`);
  exam = [...exams.keys()][0] ?? exam;
  year = [...years.keys()][0] ?? year;
  return { ...report, exam, year };
}
