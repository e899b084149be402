/** Browser journey of the analysis of a campaign: a talents-2021 campaign filled through the API with the seed-004
 * organisations (and the coverage table); the analyst opens the campaign, goes to the analysis, sees the results
 * table, levels, charts and the conclusions, downloads the DOCX (its text has the computed figures) and the PDF
 * (converted to an image with pdftoppm and checked not to be blank). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startHarness, type Harness } from './harness.ts';

const SEED = (name: string) => fileURLToPath(new URL(`../../../shared/fixtures/seed-004/${name}`, import.meta.url));
let h: Harness;
let dir: string;

/** A minimal API client over fetch: session and CSRF cookies, the CSRF header on writes. */
class Api {
  private cookies = new Map<string, string>();
  private csrf: string | null = null;
  constructor(private readonly base: string) {}
  async call(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (method !== 'GET') {
      if (!this.csrf) this.csrf = ((await (await this.call('GET', '/api/auth/csrf')).json()) as { token: string }).token;
      headers['x-csrf-token'] = this.csrf;
    }
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const res = await fetch(this.base + path, { method, headers, body: payload });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = (pair ?? '').indexOf('=');
      if (i > 0) this.cookies.set(pair!.slice(0, i), pair!.slice(i + 1));
      if (i > 0 && pair!.slice(0, i).endsWith('msoko_sid')) this.csrf = null; // CSRF tokens are bound to the session
    }
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res;
  }
}

/** Grey levels of a binary PGM (P5) image. */
function pgmPixels(buf: Buffer): Uint8Array {
  const header = buf.subarray(0, 64).toString('latin1');
  const m = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(header);
  if (!m) throw new Error('не PGM');
  const [, w, hgt] = m.map(Number) as [number, number, number];
  return new Uint8Array(buf.subarray(m[0].length, m[0].length + w * hgt));
}

beforeAll(async () => {
  h = await startHarness();
  dir = mkdtempSync(join(tmpdir(), 'msoko-e2e-analysis-'));
  const api = new Api(h.url);
  await api.call('POST', '/api/auth/login', { login: 'analyst', password: 'demo2022' });
  const c = (await (
    await api.call('POST', '/api/campaigns', {
      title: 'Охват дополнительным образованием 2021 (анализ, e2e)', methodologyId: 'talents-2021', methodologyVersion: '2021.1', period: '2021',
      participants: { mode: 'all' }, opensOn: '2022-02-15', dueOn: '2022-06-01', closesOn: '2099-06-30',
    })
  ).json()) as { id: string };
  await api.call('POST', `/api/campaigns/${c.id}/open`);
  const detail = (await (await api.call('GET', `/api/campaigns/${c.id}`)).json()) as { rows: { organisationId: string; shortName: string }[] };
  const ids = new Map(detail.rows.map((r) => [r.shortName, r.organisationId]));
  const [head, ...lines] = readFileSync(SEED('organisations.csv'), 'utf8').trim().split(/\r?\n/);
  const cols = (head ?? '').split(',');
  for (const line of lines) {
    const r = Object.fromEntries(line.split(',').map((v, i) => [cols[i], v]));
    await api.call('PUT', `/api/campaigns/${c.id}/organisations/${ids.get(r.name!)}/values`, {
      values: { students: { value: Number(r.students) }, programmes: { value: Number(r.programmes) } }, source: 'api',
    });
  }
  const form = new FormData();
  form.append('file', new Blob([readFileSync(SEED('coverage.csv'))], { type: 'text/csv' }), 'coverage.csv');
  await api.call('POST', `/api/campaigns/${c.id}/tables`, form);
}, 180_000);

afterAll(async () => {
  await h?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('анализ мониторинга в браузере', () => {
  it('аналитик открывает мониторинг, смотрит анализ, скачивает DOCX и PDF (PDF не пустой)', async () => {
    const page = await h.newPage();
    await signIn(page, 'analyst');
    await page.getByRole('navigation', { name: 'Основная навигация' }).getByRole('link', { name: 'Мониторинги' }).click();
    await page.getByRole('link', { name: 'Охват дополнительным образованием 2021 (анализ, e2e)' }).click();
    await page.getByRole('link', { name: 'Анализ и отчёты' }).click();
    await page.getByRole('heading', { level: 1, name: 'Анализ результатов' }).waitFor();
    // Nothing submitted yet: the default basis has no organisation (only the municipal table); the preliminary
    // basis shows every value entered.
    await expect.poll(() => page.getByTestId('included').innerText()).toContain('В расчёте 0 из 51 организаций');
    await page.getByLabel('Какие данные учитывать').selectOption('all');
    await expect.poll(() => page.getByTestId('results-table').locator('tbody tr').count()).toBe(51);
    expect(await page.getByTestId('included').innerText()).toContain('В расчёте 51 из 51 организаций');
    const municipal = await page.getByTestId('municipal-table').innerText();
    expect(municipal).toContain('5,6');
    expect(municipal).toContain('78,9\u00A0%');
    const pet = page.getByTestId('results-table').locator('tbody tr', { hasText: 'Петровское' });
    expect(await pet.innerText()).toContain('3,3');

    // Filter by type and sort by the indicator.
    await page.getByLabel('Тип организации').selectOption('supplementary');
    await expect.poll(() => page.getByTestId('results-table').locator('tbody tr').count()).toBe(4);
    await page.getByTestId('results-table').getByRole('button', { name: '2.1' }).click();
    const first = await page.getByTestId('results-table').locator('tbody tr').first().innerText();
    expect(first).toContain('ДДЮТ');

    expect(await page.getByTestId('distribution-diversity_index').innerText()).toContain('51 (100,0\u00A0%)');
    await expect.poll(() => page.locator('.chart svg').count()).toBeGreaterThanOrEqual(2);
    expect(await page.getByTestId('cluster-explanation').innerText()).toMatch(/силуэт/);
    expect(await page.getByTestId('conclusions').innerText()).toContain('78,9\u00A0%, что выше целевого показателя 75\u00A0%');

    const [docx] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Справка DOCX' }).click()]);
    const docxPath = join(dir, 'spravka.docx');
    await docx.saveAs(docxPath);
    const xml = (await (await JSZip.loadAsync(readFileSync(docxPath))).file('word/document.xml')?.async('string')) ?? '';
    expect(xml).toContain('78,9');
    expect(xml).toContain('АНАЛИТИЧЕСКАЯ СПРАВКА');

    const [pdf] = await Promise.all([page.waitForEvent('download', { timeout: 90_000 }), page.getByRole('link', { name: 'PDF', exact: true }).click()]);
    const pdfPath = join(dir, 'spravka.pdf');
    await pdf.saveAs(pdfPath);
    expect(readFileSync(pdfPath).subarray(0, 5).toString()).toBe('%PDF-');
    execFileSync('pdftoppm', ['-r', '40', '-gray', '-f', '1', '-l', '1', pdfPath, join(dir, 'page')]);
    // pdftoppm pads the page number to the width of the page count (page-1.pgm, page-01.pgm…).
    const pgm = readFileSync(join(dir, readdirSync(dir).find((f) => /^page-0*1\.pgm$/.test(f)) ?? 'page-1.pgm'));
    const px = pgmPixels(pgm);
    const mean = px.reduce((s, v) => s + v, 0) / px.length;
    const variance = px.reduce((s, v) => s + (v - mean) ** 2, 0) / px.length;
    const dark = px.filter((v) => v < 128).length / px.length;
    expect(variance).toBeGreaterThan(100);
    expect(dark).toBeGreaterThan(0.005);
  }, 180_000);
});
