/** Issue 21 on the command line: `msoko compute` with a table of organisations and the (synthetic) ИС «Навигатор»
 * programme list gives seed 004's golden figures; the list as XLSX with a header block reads the same; bad lists
 * fail with the file, row and column. */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`../../../shared/fixtures/seed-004/${name}`, import.meta.url));
const sample = (name: string) => path.join(root, 'library/synthetic/navigator-2021', name);

function msoko(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(root, 'bin/msoko.js'), ...args], { cwd: root, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

interface Result {
  organisation: string; indicator: string; value: number | null; level: string | null; points: number | null; explanation: string;
  details: { inputs: Record<string, unknown>; counted?: Record<string, { value: number; explanation: string; file: string; records: { line: number; label: string | null }[] }> };
}
interface Json {
  results: Result[];
  aggregates: { id: string; value: number | null }[];
  discrepancies: { organisation: string | null; field: string }[];
  records?: { file: string; headerLine: number; rows: number; counted: number; skipped: { line: number; reason: string }[]; organisations: number }[];
  files?: { name: string; encoding?: string }[];
}

let dir: string;
let golden: Json;
let seedProgrammes: Map<string, number>;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'msoko-records-'));
  const g = await msoko('compute', '-m', 'talents-2021', '-d', fixture('organisations.csv'), '--format', 'json');
  golden = JSON.parse(g.stdout) as Json;
  const lines = (await readFile(fixture('organisations.csv'), 'utf8')).trim().split('\n').slice(1);
  seedProgrammes = new Map(lines.map((l) => l.split(',')).map((c) => [c[1] as string, Number(c[4])]));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const diversity = (o: Json) => o.results.filter((r) => r.indicator === 'diversity_index').map((r) => [r.organisation, r.value, r.level, r.points]);

describe('msoko compute: таблица организаций + список программ «Навигатора»', () => {
  it('те же 51 индекс многообразия, что в эталоне seed 004; программы посчитаны по списку', async () => {
    const r = await msoko('compute', '-m', 'talents-2021', '-d', sample('organisations-without-programmes.csv'), '-d', sample('navigator.csv'), '--format', 'json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const o = JSON.parse(r.stdout) as Json;
    expect(diversity(o)).toHaveLength(51);
    expect(diversity(o)).toEqual(diversity(golden));
    expect(o.discrepancies.map((d) => `${d.organisation}:${d.field}`).sort()).toEqual(['ДОУ №33:level', 'Канакаево:level', 'Петровское:value']);
    expect(o.aggregates.find((a) => a.id === 'municipal_diversity_index')?.value).toBe(5.6);
    expect(o.aggregates.find((a) => a.id === 'diversity_ratio_of_sums')?.value).toBe(golden.aggregates.find((a) => a.id === 'diversity_ratio_of_sums')?.value);
    for (const x of o.results.filter((y) => y.indicator === 'diversity_index')) expect(x.details.inputs.programmes).toBe(seedProgrammes.get(x.organisation));
    const p = o.results.find((x) => x.organisation === 'Петровское' && x.indicator === 'diversity_index') as Result;
    expect(p.details.inputs).toEqual({ programmes: 12, students: 359 });
    expect(p.details.counted?.programmes?.value).toBe(12);
    expect(p.details.counted?.programmes?.explanation).toMatch(/^12 опубликованных программ из 14 строк; 2 не учтены: /);
    expect(p.details.counted?.programmes?.records).toHaveLength(12);
    expect(p.details.counted?.programmes?.file).toBe('navigator.csv');
    expect(p.explanation).toMatch(/ → «средний» .* — 12 опубликованных программ из 14 строк; 2 не учтены: /);
    expect(o.records).toEqual([{
      file: 'navigator.csv', dataset: 'navigator', title: expect.any(String), headerLine: 3, rows: 666, counted: 588,
      skipped: [{ line: 670, reason: 'итоговая строка' }], excluded: expect.any(Array), organisations: 51,
    }]);
    expect(o.files?.map((f) => [f.name, f.encoding])).toEqual([['organisations-without-programmes.csv', 'utf-8'], ['navigator.csv', 'windows-1251']]);
  });

  it('зачисления по направленностям: те же доли по району, что по focus.csv', async () => {
    const f = JSON.parse((await msoko('compute', '-m', 'talents-2021', '-d', fixture('focus.csv'), '--format', 'json')).stdout) as Json;
    const r = JSON.parse((await msoko('compute', '-m', 'talents-2021', '-d', sample('organisations-without-programmes.csv'), '-d', sample('navigator.csv'), '--format', 'json')).stdout) as Json;
    for (const id of ['technical_share_total', 'social_humanitarian_share_total']) {
      expect(r.aggregates.find((a) => a.id === id)?.value).toBe(f.aggregates.find((a) => a.id === id)?.value);
      expect(r.aggregates.find((a) => a.id === id)?.value).not.toBeNull();
    }
  });

  it('XLSX с блоком заголовка, объединёнными ячейками шапки и строкой «Итого» — те же результаты', async () => {
    const r = await msoko('compute', '-m', 'talents-2021', '-d', sample('organisations-without-programmes.csv'), '-d', sample('navigator.xlsx'), '--format', 'json');
    expect(r.code).toBe(0);
    const o = JSON.parse(r.stdout) as Json;
    expect(diversity(o)).toEqual(diversity(golden));
    expect(o.records?.[0]).toMatchObject({ file: 'navigator.xlsx', headerLine: 4, rows: 666, counted: 588, skipped: [{ line: 672, reason: 'итоговая строка' }] });
  });

  it('статус вне списка: код 2, файл, строка, столбец и допустимые значения', async () => {
    const text = iconv.decode(await readFile(sample('navigator.csv')), 'win1251').split('\r\n');
    text[39] = (text[39] as string).replace(';Опубликована;', ';Опубликовано;');
    const file = path.join(dir, 'navigator-bad.csv');
    await writeFile(file, iconv.encode(text.join('\r\n'), 'win1251'));
    const r = await msoko('compute', '-m', 'talents-2021', '-d', sample('organisations-without-programmes.csv'), '-d', file, '--format', 'json');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('navigator-bad.csv, строка 40, столбец «Статус программы»: «Опубликовано» — недопустимое значение (допустимо: Опубликована, Черновик, Архив, Снята с публикации)');
  });

  it('нет столбца в списке и ненайденная организация: код 2 с объяснением', async () => {
    const text = iconv.decode(await readFile(sample('navigator.csv')), 'win1251');
    const noStatus = path.join(dir, 'navigator-no-status.csv');
    await writeFile(noStatus, iconv.encode(text.replace(';Статус программы;', ';Статус;'), 'win1251'));
    const r = await msoko('compute', '-m', 'talents-2021', '-d', sample('organisations-without-programmes.csv'), '-d', noStatus);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('navigator-no-status.csv, строка 3, столбец «Статус программы»: не найдена строка заголовка');
    const orgs = (await readFile(sample('organisations-without-programmes.csv'), 'utf8')).split('\n').filter((l) => !l.startsWith('26,')).join('\n');
    const fewer = path.join(dir, 'organisations-50.csv');
    await writeFile(fewer, orgs);
    const r2 = await msoko('compute', '-m', 'talents-2021', '-d', fewer, '-d', sample('navigator.csv'));
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/navigator\.csv, строка \d+, столбец «ИНН организации»: «\d{10}» — организация с таким ИНН не найдена в файле organisations-50\.csv \(и ещё 13 строк/);
    const alone = await msoko('compute', '-m', 'talents-2021', '-d', sample('organisations-without-programmes.csv'));
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('нет столбца «programmes»');
    expect(alone.stderr).toContain('указать вторым файлом список «Программы ДО в ИС «Навигатор»');
  });
});
