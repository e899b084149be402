/** The real command line: `node bin/msoko.js compute … --format json`, bad files (exit code 2), cp1251 with «;». */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`../../../shared/fixtures/seed-004/${name}`, import.meta.url));

function msoko(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(root, 'bin/msoko.js'), ...args], { cwd: root, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

interface Json {
  methodology: { id: string; version: string };
  results: { organisation: string; indicator: string; value: number | null; level: string | null; points: number | null; explanation: string }[];
  aggregates: { id: string; value: number | null; explanation: string }[];
  discrepancies: { organisation: string | null; indicator: string; field: string; published: unknown; computed: unknown }[];
  lint: { severity: string; message: string }[];
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'msoko-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('msoko compute', () => {
  it('--format json на organisations.csv', async () => {
    const r = await msoko('compute', '--methodology', 'talents-2021', '--data', fixture('organisations.csv'), '--format', 'json');
    expect(r.code).toBe(0);
    const o = JSON.parse(r.stdout) as Json;
    expect(o.methodology).toMatchObject({ id: 'talents-2021', version: '2021.1' });
    expect(o.results).toHaveLength(51);
    expect(o.results.find((x) => x.organisation === 'Петровское')).toMatchObject({ value: 3.3, level: 'средний', points: 1 });
    expect(o.discrepancies.map((d) => `${d.organisation}:${d.field}`).sort()).toEqual(['ДОУ №33:level', 'Канакаево:level', 'Петровское:value']);
    expect(o.aggregates.find((a) => a.id === 'municipal_diversity_index')?.value).toBe(5.6);
    expect(o.aggregates.find((a) => a.id === 'diversity_ratio_of_sums')?.value).not.toBe(5.6);
    expect(o.lint.some((l) => l.message.includes('19,1–19,9'))).toBe(true);
  });

  it('--format json на satisfaction.csv: расхождения индексов лояльности', async () => {
    const r = await msoko('compute', '-m', 'talents-2021', '-d', fixture('satisfaction.csv'), '--format', 'json');
    expect(r.code).toBe(0);
    const o = JSON.parse(r.stdout) as Json;
    const loyalty = o.discrepancies.filter((d) => d.indicator === 'loyalty_index');
    expect(loyalty.map((d) => [d.published, d.computed])).toEqual([[86, 87.9], [80, 85.2], [92, 96], [86, 89.7]]);
  });

  it('cp1251 и «;» дают те же результаты', async () => {
    const text = (await readFile(fixture('organisations.csv'), 'utf8')).replace(/,/g, ';').replace(/(\d)\.(\d)/g, '$1,$2');
    const file = path.join(dir, 'organisations-1251.csv');
    await writeFile(file, iconv.encode(text, 'win1251'));
    const r = await msoko('compute', '-m', 'talents-2021', '-d', file, '--format', 'json');
    expect(r.code).toBe(0);
    const o = JSON.parse(r.stdout) as Json;
    expect(o.results).toHaveLength(51);
    expect(o.results.find((x) => x.organisation === 'Петровское')?.value).toBe(3.3);
    expect(o.results.find((x) => x.organisation === 'ДОУ №33')).toMatchObject({ value: 7.6, level: 'высокий' });
    expect(o.discrepancies).toHaveLength(3);
  });

  it('текст в числовом столбце: код 2, файл, строка и столбец', async () => {
    const lines = (await readFile(fixture('organisations.csv'), 'utf8')).split('\n');
    lines[4] = lines[4]?.replace(',132,', ',abc,') ?? '';
    const file = path.join(dir, 'organisations-bad.csv');
    await writeFile(file, lines.join('\n'));
    const r = await msoko('compute', '-m', 'talents-2021', '-d', file, '--format', 'json');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('organisations-bad.csv, строка 5, столбец «students»: «abc» — не число');
  });

  it('неизвестный тип организации и нет столбца: код 2', async () => {
    const text = (await readFile(fixture('organisations.csv'), 'utf8')).replace('3,№3,school', '3,№3,gymnasium');
    const file = path.join(dir, 'organisations-type.csv');
    await writeFile(file, text);
    const r = await msoko('compute', '-m', 'talents-2021', '-d', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('строка 4, столбец «type»: «gymnasium» — неизвестное значение');
    const noCol = path.join(dir, 'no-column.csv');
    await writeFile(noCol, 'no,name,type,programmes\n1,№1,school,16\n');
    const r2 = await msoko('compute', '-m', 'talents-2021', '-d', noCol);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('столбец «students»');
  });

  it('неизвестная методика: код 2', async () => {
    const r = await msoko('compute', '-m', 'no-such-methodology', '-d', fixture('organisations.csv'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('методика «no-such-methodology» не найдена');
  });

  it('--format table и --format xlsx', async () => {
    const t = await msoko('compute', '-m', 'talents-2021', '-d', fixture('coverage.csv'));
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/municipality\s+2\.2\s+78,9\s+—\s+2/);
    const out = path.join(dir, 'result.xlsx');
    const x = await msoko('compute', '-m', 'talents-2021', '-d', fixture('organisations.csv'), '--format', 'xlsx', '--out', out);
    expect(x.code).toBe(0);
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const ws = wb.getWorksheet('Результаты');
    expect(ws?.rowCount).toBe(52);
    expect(ws?.getRow(27).getCell(1).value).toBe('Петровское');
    expect(ws?.getRow(27).getCell(4).value).toBe(3.3);
    const noOut = await msoko('compute', '-m', 'talents-2021', '-d', fixture('organisations.csv'), '--format', 'xlsx');
    expect(noOut.code).toBe(2);
  });

  it('xlsx на входе (первый лист и --sheet)', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Пусто').addRow(['ничего']);
    const ws = wb.addWorksheet('Данные');
    const lines = (await readFile(fixture('organisations.csv'), 'utf8')).trim().split('\n').map((l) => l.split(','));
    lines.forEach((cells, i) => ws.addRow(i === 0 ? cells : cells.map((c, j) => (j === 3 || j === 4 ? Number(c) : c))));
    const file = path.join(dir, 'orgs.xlsx');
    await wb.xlsx.writeFile(file);
    const r = await msoko('compute', '-m', 'talents-2021', '-d', file, '--sheet', 'Данные', '--format', 'json');
    expect(r.code).toBe(0);
    const o = JSON.parse(r.stdout) as Json;
    expect(o.results.find((x) => x.organisation === 'Петровское')?.value).toBe(3.3);
    const first = await msoko('compute', '-m', 'talents-2021', '-d', file);
    expect(first.code).toBe(2);
  });
});

describe('msoko lint', () => {
  it('talents-2021: только предупреждения (пропуски 1.1 и 3.1, диапазон 2.1), код 0', async () => {
    const r = await msoko('lint', 'talents-2021');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/показатель 1\.1 .*19,1–19,9/);
    expect(r.stdout).toMatch(/показатель 3\.1 .*19,1–19,9/);
    expect(r.stdout).toMatch(/показатель 2\.1 .*до 10,0, но верхняя граница открыта/);
    expect(r.stdout).toContain('Итого: ошибок 0');
  });
  it('методика с ошибками: код 1, строка YAML', async () => {
    const file = path.join(dir, 'broken.yaml');
    await writeFile(file, [
      'id: broken', 'version: "1"', 'direction: talents', 'title: Сломанная', 'inputs:', '  a: { type: integer, title: A }',
      'indicators:', '  x:', '    title: X', '    formula: a / b', 'scales:', '  s:', '    bands:',
      '      - { from: 0, to: 10, points: 0 }', '      - { from: 10, to: 20, points: 1 }',
    ].join('\n'));
    const r = await msoko('lint', file);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('ошибка (строка 10): строка 1, столбец 5 формулы: неизвестные имена: b');
  });
});
