/** `msoko criteria import`: seed 004's Table № 1 rebuilt as a Word table (vertical merges of №, criterion and target
 * over the band rows, horizontal merges of the section and maximum rows) and as an Excel sheet with merged ranges,
 * imported through the real command line; the scales must equal library/talents-2021.yaml's, and the lint must name
 * the gaps the published table has (1.1 and 3.1: 9,1–9,9 and 19,1–19,9). */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Band, Methodology } from '../../src/core/methodology/index.ts';
import { Document, Packer, Paragraph } from 'docx';
import { buildDocx, buildXlsx } from '../support/criteria-table1.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

function msoko(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(root, 'bin/msoko.js'), ...args], { cwd: root, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

/** The library's bands by indicator code, without the printed labels (the reconstruction prints 2.1's levels with bounds). */
function libraryBands(m: Methodology): Record<string, { bounds?: string; bands: Band[] }> {
  const out: Record<string, { bounds?: string; bands: Band[] }> = {};
  for (const ind of Object.values(m.indicators)) {
    if (!ind.code || !ind.scale) continue;
    const s = m.scales?.[ind.scale];
    if (s) out[ind.code] = { ...(s.bounds ? { bounds: s.bounds } : {}), bands: s.bands.map(({ label: _label, ...b }) => b) };
  }
  return out;
}

let dir: string;
let library: Methodology;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'msoko-criteria-'));
  await writeFile(path.join(dir, 'table1.docx'), await buildDocx());
  await writeFile(path.join(dir, 'table1.xlsx'), await buildXlsx());
  await writeFile(path.join(dir, 'bad.docx'), await buildDocx('примерно 80'));
  library = parse(await readFile(path.join(root, 'library/talents-2021.yaml'), 'utf8')) as Methodology;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('msoko criteria import', () => {
  for (const file of ['table1.docx', 'table1.xlsx']) {
    it(`${file} → YAML: шкалы как в library/talents-2021.yaml, линтер называет пропуски 9,1–9,9 и 19,1–19,9`, async () => {
      const out = path.join(dir, `${file}.yaml`);
      const r = await msoko('criteria', 'import', path.join(dir, file), '--out', out, '--id', 'talents-imported', '--version', '2021.1',
        '--title', 'Охват дополнительным образованием (импорт)', '--direction', 'talents', '--capped', '1.1,2.2,3.1', '--open-top', '2.1');
      expect(r.stderr).not.toMatch(/^ошибка/m);
      expect(r.code).toBe(0);
      const text = await readFile(out, 'utf8');
      expect(text).toMatch(new RegExp(`^# Черновик методики: импортирован из таблицы критериев «${file.replace('.', '\\.')}»`));
      const m = parse(text) as Methodology;
      expect(m).toMatchObject({ id: 'talents-imported', version: '2021.1', direction: 'talents', title: 'Охват дополнительным образованием (импорт)' });
      expect(libraryBands(m)).toEqual(libraryBands(library));
      expect(Object.values(m.indicators).map((i) => i.code)).toEqual(['1.1', '2.1', '2.2', '3.1', '3.2']);
      expect(m.criteria?.map((c) => [c.id, c.max, c.indicators.length])).toEqual([['1', 3, 1], ['2', 6, 2], ['3', 6, 2]]);
      expect(m.total).toEqual({ max: 15 });
      expect(m.indicators.i2_2?.target).toBe(75);
      expect(m.indicators.i2_2?.source).toBe(file.endsWith('.docx') ? 'table1.docx, таблица 1, строка 13' : 'table1.xlsx, лист «Критерии», строка 14');
      expect(m.scales?.s1_1?.bands[0]?.label).toBe('более 25%');

      const lint = await msoko('lint', out);
      expect(lint.code).toBe(0);
      for (const code of ['1.1', '3.1']) {
        expect(lint.stdout).toMatch(new RegExp(`показатель ${code.replace('.', '\\.')} .*значения 9,1–9,9 \\(например, 9,5\\)`));
        expect(lint.stdout).toMatch(new RegExp(`показатель ${code.replace('.', '\\.')} .*значения 19,1–19,9 \\(например, 19,5\\)`));
      }
      expect(lint.stdout).toMatch(/показатель 2\.1 .*в документе указан диапазон до 10,0, но верхняя граница открыта/);
      expect(lint.stdout).toMatch(/показатель 3\.2 .*границы полос не указаны в источнике/);
      expect(lint.stdout).not.toMatch(/больше 100 %|итоговый максимум|критерий \d: максимум/);
    });
  }

  it('--format json: каждая полоса с текстом и местом в файле; без --capped доля 2.2 выше 100 % ни в одной полосе', async () => {
    const r = await msoko('criteria', 'import', path.join(dir, 'table1.docx'), '--format', 'json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as {
      ok: boolean; part: string; statedMax: { value: number; where: string };
      indicators: { code: string; where: string; bands: { text: string; points: number; where: string; bounds: Record<string, unknown> }[] }[];
      lint: { severity: string; message: string }[]; methodology: Methodology;
    };
    expect(j.ok).toBe(true);
    expect(j.part).toBe('таблица 1 из 2');
    expect(j.statedMax).toMatchObject({ value: 15, where: 'таблица 1, строка 27' });
    const i22 = j.indicators.find((i) => i.code === '2.2');
    expect(i22?.where).toBe('таблица 1, строка 13');
    expect(i22?.bands[1]).toEqual({ line: 14, where: 'таблица 1, строка 14', text: 'от 76,0% до 87,9%', points: 2, bounds: { from: 76, to: 87.9, percent: true } });
    expect(j.indicators.find((i) => i.code === '2.1')?.bands[3]).toMatchObject({ text: 'ниже среднего (от 1,6 до 2,5)', points: 0.5, bounds: { level: 'below_average', from: 1.6, to: 2.5 } });
    const above100 = j.lint.filter((l) => l.message.includes('значения больше 100 % не попадают'));
    expect(above100.map((l) => l.message.slice(0, 14))).toEqual(['показатель 2.2']);
    expect(j.methodology.direction).toBe('talents');
    expect(j.methodology.indicators.i2_1?.max).toBeUndefined();
    expect(j.methodology.scales?.s2_1?.bands[0]).toMatchObject({ from: 7.6, to: 10 });
  });

  it('нечитаемая строка: код 1, файл, таблица и строка названы, черновик не записан', async () => {
    const out = path.join(dir, 'bad.yaml');
    const r = await msoko('criteria', 'import', path.join(dir, 'bad.docx'), '--out', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ошибка: «bad.docx», таблица 1, строка 14: «примерно 80» — показатель 2.2: «примерно 80» не распознано');
    expect(r.stderr).toContain('черновик не записан');
    await expect(stat(out)).rejects.toThrow();
  });

  it('не DOCX/XLSX и документ без таблицы критериев: код 2', async () => {
    const txt = path.join(dir, 'table.txt');
    await writeFile(txt, 'от 20% до 25%');
    expect(await msoko('criteria', 'import', txt)).toMatchObject({ code: 2, stderr: '«table.txt»: нужен файл .docx или .xlsx\n' });
    const empty = path.join(dir, 'empty.docx');
    await writeFile(empty, await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('Текст без таблиц')] }] })));
    expect(await msoko('criteria', 'import', empty)).toMatchObject({ code: 2, stderr: '«empty.docx»: в документе нет таблиц\n' });
  });
});
