/** Issue 22 on the command line: `msoko compute -m direction-preparation` over the synthetic ФИС ОКО exports
 * (library/synthetic/fisoko-2025) gives one result per school × subject × grade and indicator, with `dimensions`; the
 * two schools built non-objective are the only ones with the sign; bad files fail naming file, row and column. */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const sample = (name: string) => path.join(root, 'library/synthetic/fisoko-2025', name);
const ALL = ['статистика-математика-5.xlsx', 'статистика-математика-7.xlsx', 'статистика-русский-язык-5-7.xlsx', 'журнал-математика-5.xlsx', 'журнал-математика-7.xlsx', 'журнал-русский-язык-5.xlsx', 'журнал-русский-язык-7.xlsx', 'гиа-9-2025.csv'];

function msoko(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(root, 'bin/msoko.js'), ...args], { cwd: root, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

interface Result { organisation: string; dimensions: { subject: string; grade: number }; indicator: string; value: number | null; explanation: string }
interface Json { results: Result[]; dimensions: { id: string; title: string }[]; aggregates: { id: string; group: string | null; value: number | null }[]; files: { name: string; sheet?: string }[] }

let dir: string;
let out: Json;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'msoko-fisoko-'));
  const r = await msoko('compute', '-m', 'direction-preparation', ...ALL.flatMap((f) => ['-d', sample(f)]), '--format', 'json');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  out = JSON.parse(r.stdout) as Json;
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A school's row of a ФИС ОКО «Статистика по отметкам» sheet, read here with exceljs, independently of msoko's reader. */
async function marksRow(file: string, login: string): Promise<{ shares: number[]; region: number[] }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(sample(file));
  const ws = wb.worksheets[0] as ExcelJS.Worksheet;
  const rows: string[][] = [];
  ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
  const num = (s: string) => Number(s.replace(',', '.'));
  const school = rows.find((r) => (r[0] ?? '').startsWith(`(${login})`)) as string[];
  const region = rows[rows.findIndex((r) => r[0] === 'Вся выборка') + 1] as string[];
  return { shares: school.slice(3, 7).map(num), region: region.slice(3, 7).map(num) };
}

describe('msoko compute: ФИС ОКО по предметам и классам', () => {
  it('каждый лист каждого файла — таблица; измерения — Предмет и Класс', () => {
    expect(out.dimensions.map((d) => [d.id, d.title])).toEqual([['subject', 'Предмет'], ['grade', 'Класс']]);
    expect(out.files.filter((f) => f.name === 'статистика-русский-язык-5-7.xlsx').map((f) => f.sheet)).toEqual(['5 класс', '7 класс']);
  });

  it('одна строка результата на школу × предмет × класс, с названием школы и классом числом', () => {
    const rows = new Set(out.results.filter((r) => r.indicator === 'vpr_success_share').map((r) => `${r.organisation}|${r.dimensions.subject}|${r.dimensions.grade}`));
    const count = out.results.filter((r) => r.indicator === 'vpr_success_share').length;
    expect(rows.size).toBe(count);
    expect(out.results.every((r) => typeof r.dimensions.grade === 'number' && !r.organisation.startsWith('('))).toBe(true);
    // Васильевка did not write Математика 7 (README): no result there, not a zero.
    const vas = out.results.filter((r) => r.organisation.includes('Васильевка') && r.dimensions.subject === 'Математика');
    expect(vas.length).toBeGreaterThan(0);
    expect(vas.some((r) => r.dimensions.grade === 7)).toBe(false);
    // ГИА-9 rows carry only ГИА indicators.
    expect([...new Set(out.results.filter((r) => r.dimensions.grade === 9).map((r) => r.indicator))].sort()).toEqual(['gia_failed_share', 'gia_mean']);
  });

  it('доля «3»–«5» и разность с регионом — как по строке файла', async () => {
    const { shares, region } = await marksRow('статистика-математика-5.xlsx', 'sch021208');
    const r = (indicator: string) => out.results.find((x) => x.indicator === indicator && x.organisation === 'МБОУ СОШ №14 г. Ишимбая' && x.dimensions.subject === 'Математика' && x.dimensions.grade === 5)?.value;
    const success = (shares[1] as number) + (shares[2] as number) + (shares[3] as number);
    const regionSuccess = (region[1] as number) + (region[2] as number) + (region[3] as number);
    expect(r('vpr_success_share')).toBe(Math.round(success * 10) / 10);
    expect(r('vpr_share5_vs_region')).toBe(Math.round(((shares[3] as number) - (region[3] as number)) * 10) / 10);
    expect(r('vpr_success_vs_region')).toBeCloseTo(Math.round((success - regionSuccess) * 10) / 10, 6);
  });

  it('признак необъективности — ровно у двух школ, построенных такими, во всех четырёх работах', () => {
    const flagged = out.results.filter((r) => r.indicator === 'vpr_objectivity_sign' && r.value === 1).map((r) => `${r.organisation} | ${r.dimensions.subject} ${r.dimensions.grade}`).sort();
    expect(flagged).toEqual([
      'МБОУ СОШ №14 г. Ишимбая | Математика 5', 'МБОУ СОШ №14 г. Ишимбая | Математика 7', 'МБОУ СОШ №14 г. Ишимбая | Русский язык 5', 'МБОУ СОШ №14 г. Ишимбая | Русский язык 7',
      'МБОУ СОШ с. Кулгунино | Математика 5', 'МБОУ СОШ с. Кулгунино | Математика 7', 'МБОУ СОШ с. Кулгунино | Русский язык 5', 'МБОУ СОШ с. Кулгунино | Русский язык 7',
    ].sort());
    expect(out.aggregates.filter((a) => a.id.startsWith('vpr_success_by_subject.')).map((a) => a.group)).toEqual(['Математика', 'Русский язык']);
  });

  /** A «Статистика по отметкам» CSV with one school row (line 9), subject and the school's shares as given. */
  async function marksCsv(name: string, subject: string, schoolShares: string): Promise<string> {
    const file = path.join(dir, name);
    const all = '10,00;30,00;40,00;20,00';
    await writeFile(file, [
      'Всероссийские проверочные работы 2025 (5 класс)', `Предмет: ${subject}`, 'Статистика по отметкам',
      'Группы участников;Кол-во ОО;Кол-во участников;Распределение групп баллов в %;;;', ';;;2;3;4;5',
      `Вся выборка;100;5000;${all}`, `Республика Башкортостан;10;500;${all}`, `Ишимбайский муниципальный район;1;50;${all}`,
      `(sch021201) МБОУ СОШ №1 г. Ишимбая;;50;${schoolShares}`,
    ].join('\n'));
    return file;
  }

  it('предмет, которого нет в методике, — ошибка с файлом, строкой, столбцом и допустимыми значениями', async () => {
    const r = await msoko('compute', '-m', 'direction-preparation', '-d', await marksCsv('матем.csv', 'Матем.', '10,00;30,00;40,00;20,00'));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('матем.csv, строка 9, столбец «Предмет»: «Матем.» — нет такого значения измерения «Предмет» (допустимо: Русский язык, Математика');
    expect(r.stderr).toContain('добавьте синоним');
  });

  it('доли, не дающие 100 %, — ошибка со строкой файла', async () => {
    const r = await msoko('compute', '-m', 'direction-preparation', '-d', await marksCsv('сумма.csv', 'Математика', '10,00;30,00;40,00;25,00'));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/сумма\.csv.*строка 9/);
  });
});
