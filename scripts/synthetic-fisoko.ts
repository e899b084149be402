/** Writes the SYNTHETIC ФИС ОКО / ГИА reports of library/synthetic/fisoko-2025/ for the 29 schools of the demo
 * municipality (seed 004): `npx tsx scripts/synthetic-fisoko.ts`. Deterministic (a seeded generator, seed 2025): the
 * same files every run. Built in the layouts described in issue 22 («ФИС ОКО adapters»): ВПР «Статистика по отметкам»
 * and «Сравнение отметок с отметками по журналу» for Математика and Русский язык in grades 5 and 7 (the Русский язык
 * statistics as one workbook with two sheets), and a Windows-1251 CSV of ГИА-9 results with a header block and a totals
 * row. School names and ИНН are those of the synthetic navigator-2021 set; the ФИС ОКО logins (sch0212NN) are invented.
 * Two schools are made «non-objective» (NON_OBJECTIVE): a share of «5» far above the region's and many who «повысили». */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import type { Workbook, Worksheet } from 'exceljs';
import { fullName, parseSeedOrganisations, syntheticInn, type SeedOrg } from './synthetic-navigator.ts';
import { mulberry32 } from '../src/core/stats/cluster.ts';

export const SUBJECTS = ['Математика', 'Русский язык'] as const;
export const GRADES = [5, 7] as const;
export type Subject = (typeof SUBJECTS)[number];
const MAX_SCORE: Record<string, number> = { 'Математика 5': 20, 'Математика 7': 19, 'Русский язык 5': 45, 'Русский язык 7': 47 };
const DATES: Record<string, string> = { 'Математика 5': '17.04.2025', 'Математика 7': '22.04.2025', 'Русский язык 5': '15.04.2025', 'Русский язык 7': '24.04.2025' };
export const REGION = 'Республика Башкортостан';
export const MUNICIPALITY = 'Ишимбайский муниципальный район';
/** Seed 004 numbers of the schools made non-objective: №14 and Кулгунино. */
export const NON_OBJECTIVE = [8, 21] as const;
/** Schools that did not write a work (absent from the report, not zero): seed 004 number → «subject grade». */
export const ABSENT: Record<number, readonly string[]> = { 27: ['Математика 7', 'Русский язык 7'], 28: ['Русский язык 5'], 18: ['Математика 7'] };
export const SYNTHETIC_NOTE = 'СИНТЕТИЧЕСКИЕ ДАННЫЕ — не выгрузка ФИС ОКО (msoko, scripts/synthetic-fisoko.ts)';

export const login = (o: SeedOrg): string => `sch0212${String(o.no).padStart(2, '0')}`;


/** Integers summing to `n`, proportional to `weights` (largest remainder). */
export function apportion(n: number, weights: readonly number[]): number[] {
  const total = weights.reduce((s, w) => s + w, 0);
  const exact = weights.map((w) => (n * w) / total);
  const out = exact.map(Math.floor);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const left = n - out.reduce((s, x) => s + x, 0);
  for (let k = 0; k < left; k++) {
    const i = (order[k] as readonly [number, number])[1];
    out[i] = (out[i] as number) + 1;
  }
  return out;
}

const pct = (part: number, n: number) => Math.round((part / n) * 10000) / 100;

/** Normal CDF (Abramowitz–Stegun 7.1.26), for mark probabilities from a school's mean. */
function phi(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x / Math.SQRT2));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + y) / 2 : (1 - y) / 2;
}
function markWeights(mean: number, sd = 0.75): number[] {
  const c = [2.5, 3.5, 4.5].map((k) => phi((k - mean) / sd));
  return [c[0] as number, (c[1] as number) - (c[0] as number), (c[2] as number) - (c[1] as number), 1 - (c[2] as number)];
}

export interface Counts {
  marks: number[]; // pupils with 2, 3, 4, 5
  journal: number[]; // lowered, confirmed, raised
}
export interface SchoolResult extends Counts {
  org: SeedOrg;
}
export interface Work {
  subject: Subject;
  grade: number;
  key: string;
  schools: SchoolResult[];
  sample: Counts & { schools: number };
  region: Counts & { schools: number };
}

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);

/** The results of every work: schools from their size and a seeded «strength», the municipality their sum, the
 * region and the whole sample fixed large populations from the same generator. */
export function works(orgs: readonly SeedOrg[], seed = 2025): Work[] {
  const random = mulberry32(seed);
  const schools = orgs.filter((o) => o.type === 'school');
  const strength = new Map(schools.map((o) => [o.no, (random() - 0.5) * 0.8] as const));
  const out: Work[] = [];
  for (const subject of SUBJECTS) {
    for (const grade of GRADES) {
      const key = `${subject} ${grade}`;
      const base = subject === 'Математика' ? 3.55 - (grade - 5) * 0.08 : 3.5 - (grade - 5) * 0.05;
      const results: SchoolResult[] = [];
      for (const o of schools) {
        const noise = (random() - 0.5) * 0.4;
        const attendance = 0.86 + random() * 0.1;
        if (ABSENT[o.no]?.includes(key)) continue;
        const n = Math.max(1, Math.round((o.students / 11) * attendance));
        const inflated = (NON_OBJECTIVE as readonly number[]).includes(o.no);
        const mean = base + (strength.get(o.no) as number) + noise + (inflated ? 1.05 : 0);
        const raised = inflated ? 0.3 + random() * 0.1 : 0.03 + random() * 0.06;
        const lowered = inflated ? 0.02 + random() * 0.03 : 0.12 + random() * 0.12;
        results.push({ org: o, marks: apportion(n, markWeights(mean)), journal: apportion(n, [lowered, 1 - lowered - raised, raised]) });
      }
      const big = (participants: number, schoolsCount: number, mean: number): Work['region'] => ({
        schools: schoolsCount,
        marks: apportion(participants, markWeights(mean, 0.8)),
        journal: apportion(participants, [0.17 + random() * 0.03, 0.76, 0.05 + random() * 0.02]),
      });
      const regionN = Math.round(47000 - grade * 400 + random() * 2000);
      out.push({ subject, grade, key, schools: results, region: big(regionN, 1410 + Math.round(random() * 40), base + 0.02), sample: big(Math.round(regionN * 29.5), 35100 + Math.round(random() * 900), base) });
    }
  }
  return out;
}

const municipality = (w: Work): Counts & { schools: number } => ({
  schools: w.schools.length,
  marks: [0, 1, 2, 3].map((i) => sum(w.schools.map((s) => s.marks[i] as number))),
  journal: [0, 1, 2].map((i) => sum(w.schools.map((s) => s.journal[i] as number))),
});

function headerBlock(ws: Worksheet, w: Work, title: string, width: number): void {
  const lines = [`Всероссийские проверочные работы 2025 (${w.grade} класс)`, `Дата: ${DATES[w.key]}`, `Предмет: ${w.subject}`, title, `Максимальный первичный балл: ${MAX_SCORE[w.key]}`, SYNTHETIC_NOTE];
  lines.forEach((text, i) => {
    ws.getCell(i + 1, 1).value = text;
    ws.mergeCells(i + 1, 1, i + 1, width);
  });
}

const groups = (w: Work): [string, Counts & { schools: number | null }][] => [
  ['Вся выборка', w.sample],
  [REGION, w.region],
  [MUNICIPALITY, municipality(w)],
  ...w.schools.map((s): [string, Counts & { schools: null }] => [`(${login(s.org)}) ${fullName(s.org)}`, { ...s, schools: null }]),
];

/** «Статистика по отметкам»: header block, two-row header with merged cells, comparison rows, schools. */
export function marksSheet(wb: Workbook, w: Work, name: string): void {
  const ws = wb.addWorksheet(name);
  headerBlock(ws, w, 'Статистика по отметкам', 7);
  ['Группы участников', 'Кол-во ОО', 'Кол-во участников', 'Распределение групп баллов в %'].forEach((h, i) => {
    ws.getCell(8, i + 1).value = h;
  });
  for (let c = 1; c <= 3; c++) ws.mergeCells(8, c, 9, c);
  ws.mergeCells(8, 4, 8, 7);
  [2, 3, 4, 5].forEach((m, i) => {
    ws.getCell(9, 4 + i).value = m;
  });
  groups(w).forEach(([label, c], i) => {
    const n = sum(c.marks);
    ws.getRow(10 + i).values = [label, c.schools ?? '', n, ...c.marks.map((x) => pct(x, n))];
    for (let k = 4; k <= 7; k++) ws.getCell(10 + i, k).numFmt = '0.00';
  });
  ws.getColumn(1).width = 60;
}

const JOURNAL_ROWS = ['Понизили (Отм. < Отм. по журналу) %', 'Подтвердили (Отм. = Отм. по журналу) %', 'Повысили (Отм. > Отм. по журналу) %'];

/** «Сравнение отметок с отметками по журналу»: per group a title row (merged over the table) and four rows. */
export function journalSheet(wb: Workbook, w: Work, name: string): void {
  const ws = wb.addWorksheet(name);
  headerBlock(ws, w, 'Сравнение отметок с отметками по журналу', 3);
  ws.getRow(8).values = ['Группы участников', 'Кол-во участников', '%'];
  let r = 9;
  for (const [label, c] of groups(w)) {
    ws.getCell(r, 1).value = label;
    ws.mergeCells(r, 1, r, 3);
    r++;
    const n = sum(c.journal);
    c.journal.forEach((x, i) => {
      ws.getRow(r++).values = [JOURNAL_ROWS[i] as string, x, pct(x, n)];
      ws.getCell(r - 1, 3).numFmt = '0.00';
    });
    ws.getRow(r++).values = ['Всего', n, 100];
  }
  ws.getColumn(1).width = 60;
}

async function book(fill: (wb: Workbook) => void): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.created = wb.modified = new Date('2025-05-31T00:00:00Z');
  wb.creator = 'msoko scripts/synthetic-fisoko.ts (синтетические данные)';
  fill(wb);
  return fixZipDates(Buffer.from(await wb.xlsx.writeBuffer()));
}

/** The zip writer stamps every entry with the current time: set them all to 31.05.2025 00:00 so that a rerun gives
 * the same bytes (the DOS date and time of the central directory and of each local header). */
export function fixZipDates(zip: Buffer): Buffer {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) return zip;
  const date = ((2025 - 1980) << 9) | (5 << 5) | 31;
  let p = zip.readUInt32LE(end + 16);
  for (let k = 0; k < zip.readUInt16LE(end + 10); k++) {
    const local = zip.readUInt32LE(p + 42);
    zip.writeUInt16LE(0, p + 12);
    zip.writeUInt16LE(date, p + 14);
    zip.writeUInt16LE(0, local + 10);
    zip.writeUInt16LE(date, local + 12);
    p += 46 + zip.readUInt16LE(p + 28) + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return zip;
}

export interface GiaLine {
  org: SeedOrg;
  subject: Subject;
  participants: number;
  mean: number;
  failed: number;
}

/** ГИА-9 (ОГЭ) per school × subject; the smallest school has no 9th grade this year (absent). Mean primary scores
 * (Математика of 31, Русский язык of 33); the non-objective schools are no better than the others here. */
export function giaLines(orgs: readonly SeedOrg[], seed = 9): GiaLine[] {
  const random = mulberry32(seed);
  const out: GiaLine[] = [];
  for (const o of orgs.filter((x) => x.type === 'school' && x.students >= 40)) {
    const participants = Math.max(2, Math.round((o.students / 11) * (0.9 + random() * 0.08)));
    for (const subject of SUBJECTS) {
      const mean = subject === 'Математика' ? 13.5 + random() * 5 : 24 + random() * 5;
      const failed = Math.min(participants, Math.round(participants * (subject === 'Математика' ? 0.06 : 0.02) * random() * 2));
      out.push({ org: o, subject, participants, mean: Math.round(mean * 100) / 100, failed });
    }
  }
  return out;
}

export function giaCsv(lines: readonly GiaLine[]): Buffer {
  const cell = (v: string | number) => {
    const t = typeof v === 'number' ? String(v).replace('.', ',') : v;
    return /[;"\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
  };
  const rows: (string | number)[][] = [
    ['Результаты ГИА-9 (ОГЭ) 2025 года по общеобразовательным организациям', '', '', '', '', '', ''],
    [`Ишимбайский район (условный); ${SYNTHETIC_NOTE}`, '', '', '', '', '', ''],
    ['', '', '', '', '', '', ''],
    ['ОО', 'Логин ФИС ОКО', 'ИНН', 'Предмет', 'Кол-во участников', 'Средний балл', 'Не преодолели минимальный порог'],
    ...lines.map((l) => [fullName(l.org), login(l.org), syntheticInn(l.org.no), l.subject, l.participants, l.mean, l.failed]),
    ['Итого', '', '', '', sum(lines.map((l) => l.participants)), '', sum(lines.map((l) => l.failed))],
  ];
  return iconv.encode(`${rows.map((r) => r.map(cell).join(';')).join('\r\n')}\r\n`, 'win1251');
}

/** File name → contents. */
export async function syntheticFiles(orgs: readonly SeedOrg[]): Promise<Map<string, Buffer>> {
  const all = works(orgs);
  const at = (subject: Subject, grade: number) => all.find((w) => w.subject === subject && w.grade === grade) as Work;
  const files = new Map<string, Buffer>();
  for (const grade of GRADES) {
    files.set(`статистика-математика-${grade}.xlsx`, await book((wb) => marksSheet(wb, at('Математика', grade), 'Лист1')));
    for (const subject of SUBJECTS) {
      const slug = subject === 'Математика' ? 'математика' : 'русский-язык';
      files.set(`журнал-${slug}-${grade}.xlsx`, await book((wb) => journalSheet(wb, at(subject, grade), 'Лист1')));
    }
  }
  files.set('статистика-русский-язык-5-7.xlsx', await book((wb) => GRADES.forEach((g) => marksSheet(wb, at('Русский язык', g), `${g} класс`))));
  files.set('гиа-9-2025.csv', giaCsv(giaLines(orgs)));
  return files;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const at = (p: string) => fileURLToPath(new URL(`../library/${p}`, import.meta.url));
  const orgs = parseSeedOrganisations(await readFile(at('demo/seed-004/organisations.csv'), 'utf8'));
  await mkdir(at('synthetic/fisoko-2025'), { recursive: true });
  const files = await syntheticFiles(orgs);
  for (const [name, data] of files) await writeFile(at(`synthetic/fisoko-2025/${name}`), data);
  process.stdout.write(`записано файлов: ${files.size} (${[...files.keys()].join(', ')})\n`);
}
