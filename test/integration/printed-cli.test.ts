/** `msoko compute … --printed FILE` (issue 15, item 4): the figures of a printed report given as a file are compared
 * with the computation as `published:` figures are. Over seed 004's organisations.csv without its published columns,
 * the protocol's figures given as a CSV table (the format the campaign's printed-report import reads) or as the
 * report's DOCX (a SYNTHETIC справка in seed 004's layout, test/support/printed-report-docx.ts) give the same three
 * discrepancies as the `published:` route over the original file; given both, a figure that differs between them is
 * named; a bad printed file exits with 2 and names the cell. */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSeed004Report, seed004Rows } from '../support/printed-report-docx.ts';
import { SEED } from './campaign-fixture.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

function msoko(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(root, 'bin/msoko.js'), ...args], { cwd: root, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

interface Discrepancy { organisation: string | null; indicator: string; field: string; published: number | string; computed: number | string | null; message: string }
interface Json { discrepancies: Discrepancy[]; printed?: { file: string; figures: number; agreed: number; problems: string[]; conflicts: { label: string; field: string; printed: string; published: string; message: string }[] } }
const key = (d: Discrepancy) => [d.organisation, d.indicator, d.field, d.published, d.computed];

let dir: string;
const file = (name: string) => path.join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'msoko-printed-cli-'));
  // The data without what the report printed.
  const lines = (await readFile(SEED('organisations.csv'), 'utf8')).trim().split(/\r?\n/).map((l) => l.split(',').slice(0, 5).join(','));
  await writeFile(file('данные.csv'), `${lines.join('\n')}\n`);
  const table = seed004Rows().map((r) => `"${r.name}",2.1,"${r.index}",${r.level}`);
  await writeFile(file('протокол.csv'), `Организация,Показатель,Значение,Уровень\n${table.join('\n')}\nМуниципалитет,municipal_diversity_index,"5,6",\n`);
  await writeFile(file('справка.docx'), await buildSeed004Report());
  await writeFile(file('иначе.csv'), `Организация,Показатель,Значение,Уровень\nПетровское,2.1,"3,6",средний\n№1,2.1,"2,3",ниже среднего\nМуниципалитет,municipal_diversity_index,"5,7",\n`);
  await writeFile(file('ошибка.csv'), `Организация,Показатель,Значение,Уровень\nПетровское,2.1,"3,7 б",средний\n`);
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('msoko compute --printed', () => {
  it('the protocol as a CSV table or as the report’s DOCX gives the same discrepancies as published: for seed 004', async () => {
    const viaPublished = await msoko('compute', '-m', 'talents-2021', '-d', SEED('organisations.csv'), '--format', 'json');
    expect(viaPublished.code, viaPublished.stderr).toBe(0);
    const expected = JSON.parse(viaPublished.stdout) as Json;
    expect(expected.discrepancies.map(key)).toEqual([
      ['Канакаево', 'diversity_index', 'level', 'средний', 'выше среднего'],
      ['Петровское', 'diversity_index', 'value', 3.7, 3.3],
      ['ДОУ №33', 'diversity_index', 'level', 'выше среднего', 'высокий'],
    ]);
    const bare = JSON.parse((await msoko('compute', '-m', 'talents-2021', '-d', file('данные.csv'), '--format', 'json')).stdout) as Json;
    expect(bare.discrepancies).toEqual([]);

    for (const printed of ['протокол.csv', 'справка.docx']) {
      const r = await msoko('compute', '-m', 'talents-2021', '-d', file('данные.csv'), '--printed', file(printed), '--format', 'json');
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as Json;
      expect(out.discrepancies.map(key)).toEqual(expected.discrepancies.map(key));
      expect(out.discrepancies[1]!.message).toMatch(new RegExp(`^«${printed.replace('.', '\\.')}»: Петровское, 2\\.1\\. .*: в отчёте напечатано 3,7, вычислено 3,3`));
      expect(out.printed).toMatchObject({ file: printed, problems: [], conflicts: [] });
      // 51 values and levels and 5,6 (the DOCX's «итого» row also prints the municipal level).
      expect([out.printed!.figures, out.printed!.agreed]).toEqual(printed.endsWith('.csv') ? [52, 51 * 2 - 3 + 1] : [52, 51 * 2 - 3 + 2]);
    }

    const text = await msoko('compute', '-m', 'talents-2021', '-d', file('данные.csv'), '--printed', file('справка.docx'));
    expect(text.stdout).toContain('Расхождения с опубликованными данными (3):');
    expect(text.stdout).toContain('Опубликованный отчёт «справка.docx»: значений 52, совпадают с расчётом 101, расходятся 3 (расхождения — в списке выше).');
  });

  it('given both, the figures that differ between the printed file and published: are named; the same figure is not listed twice', async () => {
    const r = await msoko('compute', '-m', 'talents-2021', '-d', SEED('organisations.csv'), '--printed', file('иначе.csv'), '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Json;
    expect(out.printed!.conflicts.map((c) => [c.label, c.field, c.printed, c.published])).toEqual([
      ['Петровское', 'value', '3,6', '3,7'],
      ['Муниципалитет', 'value', '5,7', '5,6'],
    ]);
    expect(out.printed!.conflicts[0]!.message).toBe('Петровское, 2.1: в файле отчёта «иначе.csv» напечатано 3,6, а в опубликованных данных (published:) — 3,7');
    expect(out.discrepancies.map(key)).toEqual([
      ['Канакаево', 'diversity_index', 'level', 'средний', 'выше среднего'],
      ['Петровское', 'diversity_index', 'value', 3.7, 3.3],
      ['ДОУ №33', 'diversity_index', 'level', 'выше среднего', 'высокий'],
      ['Петровское', 'diversity_index', 'value', 3.6, 3.3],
      [null, 'municipal_diversity_index', 'aggregate', 5.7, 5.6],
    ]);
    const same = JSON.parse((await msoko('compute', '-m', 'talents-2021', '-d', SEED('organisations.csv'), '--printed', file('протокол.csv'), '--format', 'json')).stdout) as Json;
    expect(same.discrepancies.map(key)).toEqual(expected3());
    expect(same.printed!.conflicts).toEqual([]);
  });

  it('a bad printed file exits with 2 naming the cell; a missing one too', async () => {
    const bad = await msoko('compute', '-m', 'talents-2021', '-d', file('данные.csv'), '--printed', file('ошибка.csv'));
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toBe('ошибка.csv: строка 2, столбец «Значение»: «3,7 б» — не число (пишите, как напечатано: «5,6», «58,6 %», «86»)\n');
    const missing = await msoko('compute', '-m', 'talents-2021', '-d', file('данные.csv'), '--printed', file('нет.csv'));
    expect(missing).toMatchObject({ code: 2, stderr: `файл отчёта «${file('нет.csv')}» не найден или не читается\n` });
  });
});

function expected3(): unknown[] {
  return [
    ['Канакаево', 'diversity_index', 'level', 'средний', 'выше среднего'],
    ['Петровское', 'diversity_index', 'value', 3.7, 3.3],
    ['ДОУ №33', 'diversity_index', 'level', 'выше среднего', 'высокий'],
  ];
}
