/** The report as print HTML (the blocks of document.ts, charts as inline PNG data URIs) and as an A4 PDF printed by
 * Debian Chromium through playwright-core. A missing or failing Chromium is an error value, never a crash or a hang.
 * Issued documents (DOCX) become PDF through LibreOffice (`soffice --headless --convert-to pdf`), one conversion at a
 * time, with a time limit; a missing LibreOffice is an error value naming the Debian package. */
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { AnalysisModel } from '../core/analysis/index.ts';
import type { Chart } from './charts.ts';
import type { Block, Cell } from './document.ts';
import { reportBlocks } from './document.ts';

export const CHROMIUM_MISSING = 'Для PDF нужен Chromium: установите пакет chromium (apt-get install chromium)';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function cellHtml(x: Cell, tag: 'td' | 'th'): string {
  const style = [x.align && x.align !== 'left' ? `text-align:${x.align}` : '', x.bold && tag === 'td' ? 'font-weight:bold' : ''].filter(Boolean).join(';');
  return `<${tag}${x.colSpan ? ` colspan="${x.colSpan}"` : ''}${x.rowSpan ? ` rowspan="${x.rowSpan}"` : ''}${style ? ` style="${style}"` : ''}>${esc(x.text).replace(/\n/g, '<br>')}</${tag}>`;
}

export function blocksToHtml(blocks: readonly Block[], charts: readonly Chart[], title: string): string {
  const byId = new Map(charts.map((x) => [x.id, x]));
  const body: string[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case 'title':
        body.push(`<header>${b.lines.map((l, i) => `<p class="${i === 1 ? 'doc-title' : 'doc-line'}">${esc(l)}</p>`).join('')}</header>`);
        break;
      case 'heading':
        body.push(`<h${b.level + 1}>${esc(b.text)}</h${b.level + 1}>`);
        break;
      case 'paragraph':
        body.push(`<p${b.id ? ` data-block="${esc(b.id)}"` : ''}>${esc(b.text)}</p>`);
        break;
      case 'list': {
        const tag = b.numbered ? 'ol' : 'ul';
        body.push(`<${tag}${b.small ? ' class="small"' : ''}>${b.items.map((i) => `<li${i.id ? ` data-block="${esc(i.id)}"` : ''}>${esc(i.text)}</li>`).join('')}</${tag}>`);
        break;
      }
      case 'table': {
        const total = b.widths.reduce((s, w) => s + w, 0) || 1;
        const cols = `<colgroup>${b.widths.map((w) => `<col style="width:${((w / total) * 100).toFixed(1)}%">`).join('')}</colgroup>`;
        body.push(
          `<p class="caption">${esc(b.caption)}</p><table class="${b.small ? 'small' : ''}">${cols}<thead>${b.head.map((r) => `<tr>${r.map((c) => cellHtml(c, 'th')).join('')}</tr>`).join('')}</thead><tbody>${b.body
            .map((r) => `<tr>${r.map((c) => cellHtml(c, 'td')).join('')}</tr>`)
            .join('')}</tbody></table>`,
        );
        break;
      }
      case 'chart': {
        const ch = byId.get(b.chartId);
        if (ch) body.push(`<figure><img src="data:image/png;base64,${ch.png.toString('base64')}" style="width:${Math.min(100, (ch.width / 680) * 100).toFixed(0)}%" alt="${esc(ch.title)}"><figcaption>${esc(b.caption)}</figcaption></figure>`);
        break;
      }
    }
  }
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>${esc(title)}</title><style>
@page { size: A4; margin: 20mm 15mm 20mm 25mm; }
body { font-family: 'Times New Roman', 'Liberation Serif', 'DejaVu Serif', serif; font-size: 13pt; line-height: 1.3; color: #000; }
header { text-align: center; margin-bottom: 18pt; }
header p { margin: 2pt 0; text-indent: 0; text-align: center; }
.doc-title { font-size: 16pt; font-weight: bold; margin-top: 8pt !important; }
h2 { font-size: 14pt; margin: 14pt 0 6pt; break-after: avoid; }
h3 { font-size: 13pt; margin: 10pt 0 6pt; break-after: avoid; }
p { margin: 0 0 6pt; text-align: justify; text-indent: 1.25cm; }
ol, ul { margin: 0 0 6pt; padding-left: 1.2cm; text-align: justify; }
li { margin-bottom: 3pt; }
ul.small { font-size: 10.5pt; }
.caption { text-align: right; font-style: italic; font-size: 11pt; text-indent: 0; margin: 8pt 0 3pt; break-after: avoid; }
table { border-collapse: collapse; width: 100%; font-size: 10.5pt; margin-bottom: 8pt; table-layout: fixed; }
table.small { font-size: 9pt; }
th, td { border: 0.75pt solid #000; padding: 1.5pt 3pt; vertical-align: top; overflow-wrap: anywhere; }
th { font-weight: bold; text-align: center; background: #f2f2f2; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
figure { margin: 8pt 0; text-align: center; break-inside: avoid; }
figure img { max-width: 100%; }
figcaption { font-style: italic; font-size: 11pt; }
</style></head><body>${body.join('\n')}</body></html>`;
}

export function reportHtml(model: AnalysisModel, charts: readonly Chart[], options: { overrides?: Record<string, string>; warnings?: readonly string[] } = {}): string {
  return blocksToHtml(reportBlocks(model, options.overrides ?? {}, options.warnings ?? []), charts, `Аналитическая справка: ${model.meta.title}`);
}

export type PdfResult = { ok: true; buffer: Buffer } | { ok: false; error: string };

/** The kept browser with one page; exports through it run one at a time (`queue`). */
let shared: { path: string; browser: Promise<Browser>; page: Promise<Page> | null; queue: Promise<unknown> } | null = null;

/** Closes the browser kept by `reuseBrowser: true` (a server calls it on shutdown, a CLI never needs it). */
export async function closePdfBrowser(): Promise<void> {
  const s = shared;
  shared = null;
  if (s) await (await s.browser.catch(() => null))?.close().catch(() => undefined);
}

/** Prints HTML to an A4 PDF with Chromium. Every step has a time limit. The browser is closed after the export, or,
 * with `reuseBrowser`, kept for the next export (a Chromium start costs seconds) until `closePdfBrowser()`. */
export async function htmlToPdf(html: string, options: { chromiumPath?: string; timeoutMs?: number; reuseBrowser?: boolean } = {}): Promise<PdfResult> {
  const executablePath = options.chromiumPath ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) return { ok: false, error: CHROMIUM_MISSING };
  const timeout = options.timeoutMs ?? 60_000;
  const { chromium } = await import('playwright-core');
  let browser: Browser | null = null;
  let timer: NodeJS.Timeout | undefined;
  const reuse = options.reuseBrowser === true;
  let release: () => void = () => undefined;
  const work = (async (): Promise<PdfResult> => {
    let page: Page;
    if (reuse) {
      if (!shared || shared.path !== executablePath) {
        await closePdfBrowser();
        shared = { path: executablePath, browser: chromium.launch({ executablePath, args: CHROMIUM_ARGS, timeout, headless: true }), page: null, queue: Promise.resolve() };
      }
      const s = shared;
      const turn = s.queue;
      let done: () => void = () => undefined;
      s.queue = new Promise<void>((resolve) => (done = resolve));
      await turn;
      release = done;
      const b = await s.browser.catch((e: unknown) => {
        if (shared === s) shared = null;
        throw e;
      });
      if (!b.isConnected()) {
        shared = null;
        throw new Error('Chromium отключился, повторите экспорт');
      }
      s.page ??= b.newPage();
      page = await s.page.catch((e: unknown) => {
        s.page = null;
        throw e;
      });
      if (page.isClosed()) {
        s.page = b.newPage();
        page = await s.page;
      }
    } else {
      browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, timeout, headless: true });
      page = await browser.newPage();
    }
    page.setDefaultTimeout(timeout);
    try {
      await page.setContent(html, { waitUntil: 'load', timeout });
      const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true, displayHeaderFooter: true, headerTemplate: '<span></span>', footerTemplate: '<div style="font-size:9pt;width:100%;text-align:center;font-family:serif"><span class="pageNumber"></span></div>', margin: { top: '20mm', bottom: '20mm', left: '25mm', right: '15mm' } });
      return { ok: true, buffer: Buffer.from(pdf) };
    } finally {
      release();
    }
  })();
  const limit = new Promise<PdfResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, error: `Chromium не успел сформировать PDF за ${Math.round(timeout / 1000)} с` }), timeout + 5_000);
  });
  try {
    return await Promise.race([work, limit]);
  } catch (e) {
    const message = (e as Error).message ?? String(e);
    return { ok: false, error: /Executable doesn't exist|ENOENT|spawn/i.test(message) ? CHROMIUM_MISSING : `Chromium не смог сформировать PDF: ${message.split('\n')[0]}` };
  } finally {
    if (timer) clearTimeout(timer);
    const close = async () => {
      const b = browser as { close: () => Promise<void> } | null;
      if (b) await b.close().catch(() => undefined);
    };
    // After a time-out the launch may still finish later: close the browser then too.
    void work.then(close, close);
    void work.then(release, release);
    await close();
  }
}

export async function renderPdfReport(
  model: AnalysisModel,
  charts: readonly Chart[],
  options: { overrides?: Record<string, string>; warnings?: readonly string[]; chromiumPath?: string; timeoutMs?: number; reuseBrowser?: boolean } = {},
): Promise<PdfResult> {
  return htmlToPdf(reportHtml(model, charts, options), {
    ...(options.chromiumPath ? { chromiumPath: options.chromiumPath } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.reuseBrowser ? { reuseBrowser: true } : {}),
  });
}

export const SOFFICE_MISSING =
  'Для PDF нужен LibreOffice: установите пакет Debian libreoffice-writer-nogui (apt-get install --no-install-recommends libreoffice-writer-nogui) или укажите путь к soffice в SOFFICE_PATH';

/** `SOFFICE_PATH`, else `soffice` on PATH; null when neither is there. Looked up on every call: installing
 * LibreOffice while the server runs makes PDF available without a restart. */
export function findSoffice(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.SOFFICE_PATH) return existsSync(env.SOFFICE_PATH) ? env.SOFFICE_PATH : null;
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, 'soffice');
    if (dir && existsSync(p)) return p;
  }
  return null;
}

/** Conversions run one after another: soffice processes sharing a profile would collide, and each takes a core. */
let sofficeQueue: Promise<unknown> = Promise.resolve();

/** DOCX → PDF through LibreOffice in a temporary directory (removed afterwards), with the process group killed after
 * `timeoutMs` (default 60 s). The profile (`-env:UserInstallation`) is kept per server process: a fresh one costs
 * seconds on every start. */
export function docxToPdf(docx: Uint8Array, options: { sofficePath?: string; timeoutMs?: number } = {}): Promise<PdfResult> {
  const soffice = options.sofficePath ?? findSoffice();
  if (!soffice || !existsSync(soffice)) return Promise.resolve({ ok: false, error: SOFFICE_MISSING });
  const run = sofficeQueue.then(() => convertWithSoffice(soffice, docx, options.timeoutMs ?? 60_000));
  sofficeQueue = run.catch(() => undefined);
  return run;
}

let profileDir: string | null = null;

/** The LibreOffice profile of this process, removed when the process exits. */
function sofficeProfile(): string {
  if (!profileDir) {
    const dir = path.join(tmpdir(), `msoko-soffice-profile-${process.pid}`);
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    profileDir = dir;
  }
  return profileDir;
}

async function convertWithSoffice(soffice: string, docx: Uint8Array, timeoutMs: number): Promise<PdfResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'msoko-pdf-'));
  const profile = sofficeProfile();
  try {
    const input = path.join(dir, 'document.docx');
    await writeFile(input, docx);
    const args = [`-env:UserInstallation=file://${profile}`, '--headless', '--norestore', '--nologo', '--convert-to', 'pdf', '--outdir', dir, input];
    const outcome = await new Promise<{ code: number | null; timedOut: boolean; stderr: string }>((resolve) => {
      const child = spawn(soffice, args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      let timedOut = false;
      child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()).length > 4000 && (stderr = stderr.slice(-4000)));
      const timer = setTimeout(() => {
        timedOut = true;
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      }, timeoutMs);
      child.on('error', (e) => {
        clearTimeout(timer);
        resolve({ code: -1, timedOut, stderr: e.message });
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, timedOut, stderr });
      });
    });
    if (outcome.timedOut) return { ok: false, error: `LibreOffice не успел сформировать PDF за ${Math.round(timeoutMs / 1000)} с` };
    const pdf = await readFile(path.join(dir, 'document.pdf')).catch(() => null);
    if (outcome.code !== 0 || !pdf) return { ok: false, error: `LibreOffice не смог сформировать PDF${outcome.stderr.trim() ? `: ${outcome.stderr.trim().split('\n')[0]}` : ''}` };
    return { ok: true, buffer: pdf };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
