/** Report rendering: the seed-004 report (51 organisations, 4 tables) and a synthetic 3 000-organisation one,
 * each as DOCX, XLSX and PDF (targets: < 2 s and < 15 s per document). Model building is timed separately. */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { ReportModel } from '../src/services/report.ts';
import { computeReportFromFiles, renderReport } from '../src/services/report.ts';
import { closePdfBrowser } from '../src/reports/pdf.ts';
import type { BenchTable } from './run.ts';

export const title = 'Аналитическая справка: seed 004 (51 организация) и 3 000 организаций — DOCX, XLSX, PDF';

const seed = (n: string) => fileURLToPath(new URL(`../../shared/fixtures/seed-004/${n}`, import.meta.url));

function lcg(s0: number): () => number {
  let s = s0 >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function syntheticOrganisations(n: number): Buffer {
  const rnd = lcg(42);
  const types = ['school', 'preschool', 'supplementary'];
  const lines = ['no,name,type,students,programmes'];
  for (let i = 1; i <= n; i++) {
    const type = types[i % 10 === 0 ? 2 : i % 3 === 0 ? 1 : 0]!;
    const students = 20 + Math.floor(rnd() * 1500);
    const programmes = Math.floor(rnd() * students * 0.12);
    lines.push(`${i},Организация ${i},${type},${students},${programmes}`);
  }
  return Buffer.from(lines.join('\n'));
}

async function time<T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await f();
  return { ms: performance.now() - t, value };
}

async function row(label: string, build: () => Promise<ReportModel>, target: number): Promise<(string | number)[][]> {
  const built = await time(build);
  const out: (string | number)[][] = [[label, 'модель (расчёт + анализ)', built.ms.toFixed(0), '']];
  for (const [format, reuse] of [['docx', false], ['xlsx', false], ['pdf', false], ['pdf', true]] as const) {
    const r = await time(() => renderReport(built.value, format, { reuseBrowser: reuse, timeoutMs: 120_000 }));
    const size = r.value.ok ? `${(r.value.buffer.length / 1024).toFixed(0)} КБ` : r.value.error;
    out.push([label, `${format.toUpperCase()}${format === 'pdf' ? (reuse ? ' (Chromium уже запущен)' : ' (с запуском Chromium)') : ''}`, r.ms.toFixed(0), `${size}${r.ms > target ? ` — дольше цели ${target / 1000} с` : ''}`]);
  }
  return out;
}

export async function run(): Promise<BenchTable> {
  const seedFiles = await Promise.all(['organisations.csv', 'satisfaction.csv', 'coverage.csv', 'focus.csv'].map(async (name) => ({ name, buffer: await readFile(seed(name)) })));
  const build = (files: { name: string; buffer: Uint8Array }[]) => async () => {
    const r = await computeReportFromFiles({ methodology: 'talents-2021', files });
    if (!r.ok) throw new Error(r.error.text);
    return r.model;
  };
  // Warm-up: module loading and fonts are not what a second export costs; the kept browser is started here.
  const warm = await build(seedFiles)();
  await renderReport(warm, 'docx');
  await renderReport(warm, 'xlsx');
  await renderReport(warm, 'pdf', { reuseBrowser: true });
  const rows = [
    ...(await row('seed 004', build(seedFiles), 2000)),
    ...(await row('3 000 организаций', build([{ name: 'organisations.csv', buffer: syntheticOrganisations(3000) }, ...seedFiles.slice(1)]), 15000)),
  ];
  await closePdfBrowser();
  return {
    head: ['отчёт', 'что', 'мс', 'размер / замечание'],
    rows,
    notes: ['Диаграммы рисуются один раз на модель (входят во время DOCX, PDF их переиспользует). Первый экспорт процесса дороже на загрузку модулей (exceljs ≈ 1 с).', '«с запуском Chromium» — экспорт из CLI (браузер запускается и закрывается, ~4–5 с на этой машине); «Chromium уже запущен» — сервер с reuseBrowser.'],
  };
}
