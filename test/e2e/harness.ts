/** E2E harness: the real app (PGlite in a fresh temp dir, demo mode) and Debian chromium via playwright-core. */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Harness {
  url: string;
  browser: Browser;
  /** A fresh browser context (own cookies) with one page. */
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** `demoYear`: seed the whole demo year (campaigns, survey, recommendations, road maps) as `npm start` does.
 * `setup`: more data written into the app's database before the browser starts (e.g. a generated region). */
/** `analysisInlineRows`: the app's limit of per-dimension rows in the analysis page's answer (compact views above it). */
export async function startHarness(opts: { demoYear?: boolean; setup?: (db: Kysely<Database>) => Promise<void>; analysisInlineRows?: number } = {}): Promise<Harness> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(
      `Браузер Chromium не найден (${executablePath}). Установите его: apt-get install chromium ` +
        '(или укажите путь в переменной CHROMIUM_PATH). Браузерные тесты без него не запускаются.',
    );
  }
  await ensureWebBuilt();

  const dataDir = mkdtempSync(join(tmpdir(), 'msoko-e2e-'));
  // No background maintenance pass: its first run, 1 s after start, raced the journeys that run the reminder pass
  // themselves (the notifications test saw its reminders already created).
  process.env.MSOKO_MAINTENANCE_INTERVAL_MINUTES = '0';
  const { startApp } = await import('../../src/http/app.ts');
  const app = await startApp({ dataDir, port: 0, host: '127.0.0.1', demo: true, demoYear: opts.demoYear ?? false, logLevel: 'warn', ...(opts.analysisInlineRows !== undefined ? { analysisInlineRows: opts.analysisInlineRows } : {}) });
  if (opts.setup) await opts.setup(app.db);
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  } catch (err) {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const contexts: BrowserContext[] = [];

  return {
    url: app.url.replace(/\/$/, ''),
    browser,
    async newPage() {
      const context = await browser.newContext({ baseURL: app.url, locale: 'ru-RU', timezoneId: 'Asia/Yekaterinburg' });
      context.setDefaultTimeout(15_000);
      contexts.push(context);
      return context.newPage();
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Builds web/dist when it is missing or older than a source file (`npm run test:e2e` builds it anyway). */
async function ensureWebBuilt(): Promise<void> {
  const index = join(projectRoot, 'web/dist/index.html');
  const builtAt = existsSync(index) ? statSync(index).mtimeMs : 0;
  if (builtAt > 0 && newestMtime(join(projectRoot, 'web/src')) <= builtAt) return;
  const { build } = await import('vite');
  await build({ configFile: join(projectRoot, 'web/vite.config.ts'), logLevel: 'warn' });
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

export const DEMO_PASSWORD = 'demo2022';

/** Signs in through the login form and waits until the login page is gone. */
export async function signIn(page: Page, login: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Логин').fill(login);
  await page.getByLabel('Пароль').fill(password);
  await page.getByRole('button', { name: 'Войти' }).click();
  await page.getByRole('button', { name: 'Выйти' }).waitFor();
}

/** Text of every cell of column `column` (0-based) of the first table's body rows. */
export async function columnTexts(page: Page, column: number): Promise<string[]> {
  return page.locator('table tbody tr').evaluateAll(
    (rows, col) => rows.map((r) => (r.children[col] as HTMLElement | undefined)?.innerText.trim() ?? ''),
    column,
  );
}

/** A valid 10-digit ИНН of a legal entity (checksum digit computed) from a 9-digit stem. */
export function innFor(stem: string): string {
  const w = [2, 4, 10, 3, 5, 9, 4, 6, 8];
  const sum = w.reduce((s, k, i) => s + k * Number(stem[i]), 0);
  return stem + String((sum % 11) % 10);
}
