/** Report rendering: the seed-004 report (51 organisations, 4 tables) and a synthetic 3 000-organisation one,
 * each as DOCX, XLSX and PDF (targets: < 2 s and < 15 s per document). Model building is timed separately. */
import { readFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { ReportModel } from '../src/services/analysis/report.ts';
import { computeReportFromFiles, renderReport } from '../src/services/analysis/report.ts';
import { closePdfBrowser } from '../src/reports/pdf.ts';
import { CHROMIUM_ARGS, reportHtml } from '../src/reports/pdf.ts';
import { campaignModel } from '../src/services/analysis/campaign-analysis.ts';
import { setupCampaigns } from './campaign-setup.ts';
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

  // The same documents from a campaign in the database (issue 6): computeCampaignResults → buildReportModel → render.
  const setup = await time(() => setupCampaigns(3000));
  const bench = setup.value;
  try {
    const fromCampaign = (id: string) => async () => (await campaignModel(bench.handle.db, id, { basis: 'accepted', date: '2022-06-30' })).model;
    await renderReport(await fromCampaign(bench.seedCampaign)(), 'pdf', { reuseBrowser: true });
    rows.push(...(await row('мониторинг в БД, 51 организация', fromCampaign(bench.seedCampaign), 2000)));
    rows.push(...(await row('мониторинг в БД, 3 000 организаций', fromCampaign(bench.bigCampaign), 15000)));
  } finally {
    await closePdfBrowser();
    await bench.close();
  }
  rows.push(...(await pdfBreakdown(warm)));
  return {
    head: ['отчёт', 'что', 'мс', 'размер / замечание'],
    rows,
    notes: [
      `Средняя нагрузка машины за 1 мин в конце замера: ${loadavg()[0]!.toFixed(1)} при ${cpus().length} ядрах — при нагрузке выше числа ядер времена завышены.`,
      `Подготовка базы для мониторингов (PGlite, миграции, демо, 3 000 организаций): ${(setup.ms / 1000).toFixed(1)} с — не входит в замеры.`,
      'Разбивка PDF из CLI (seed 004, один экспорт с запуском браузера): где уходит время.','Диаграммы рисуются один раз на модель (входят во время DOCX, PDF их переиспользует). Первый экспорт процесса дороже на загрузку модулей (exceljs ≈ 1 с).', '«с запуском Chromium» — экспорт из CLI (браузер запускается и закрывается, ~4–5 с на этой машине); «Chromium уже запущен» — сервер с reuseBrowser.'],
  };
}

/** Where a one-off PDF export (the CLI path) spends its time, step by step, on the seed-004 model. */
async function pdfBreakdown(model: ReportModel): Promise<(string | number)[][]> {
  const { renderCharts } = await import('../src/reports/charts.ts');
  const { chromium } = await import('playwright-core');
  const charts = await time(() => renderCharts(model));
  const html = await time(async () => reportHtml(model, charts.value.charts));
  const launch = await time(() => chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true }));
  const browser = launch.value;
  try {
    const page = await time(() => browser.newPage());
    const content = await time(() => page.value.setContent(html.value, { waitUntil: 'load' }));
    const pdf = await time(() => page.value.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true }));
    const close = await time(() => browser.close());
    const label = 'разбивка PDF (seed 004)';
    return [
      [label, 'диаграммы SVG → PNG (resvg)', charts.ms.toFixed(0), `${charts.value.charts.length} шт.`],
      [label, 'HTML справки', html.ms.toFixed(0), `${(html.value.length / 1024).toFixed(0)} КБ`],
      [label, 'запуск Chromium', launch.ms.toFixed(0), ''],
      [label, 'новая страница', page.ms.toFixed(0), ''],
      [label, 'загрузка HTML', content.ms.toFixed(0), ''],
      [label, 'печать PDF', pdf.ms.toFixed(0), `${(pdf.value.length / 1024).toFixed(0)} КБ`],
      [label, 'закрытие Chromium', close.ms.toFixed(0), ''],
    ];
  } finally {
    await browser.close().catch(() => undefined);
  }
}
