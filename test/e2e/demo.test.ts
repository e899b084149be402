/** The demo municipality as `npm start` shows it (issue 10), walked in Chromium as each role: every page checks the
 * demo facts it must show (seed 004's municipal diversity index 5,6, the loyalty index 89,7 for all types, the three
 * discrepancies with the printed report, a returned form, overdue forms and road-map events, the measured effect of
 * a decision, the recommendations without a decision). The same walk takes the screenshots of the user guide
 * (docs/guide/img): each is taken only after the page shows its expected text, so a broken page fails the test.
 * `npm run guide:screenshots` writes them; otherwise they are taken and checked (size) but not written. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { guideHref } from '../../web/src/guide.ts';
import { signIn, startHarness, type Harness } from './harness.ts';

const IMG_DIR = fileURLToPath(new URL('../../docs/guide/img/', import.meta.url));
const SEED_004 = fileURLToPath(new URL('../../library/demo/seed-004/organisations.csv', import.meta.url));
const WRITE = process.env.MSOKO_GUIDE_SHOTS === '1';
const CURRENT = /Мониторинг охвата дополнительным образованием, \d{4}\/\d{4} учебный год/;
const SEED004 = 'Мониторинг охвата дополнительным образованием, 2021';
const PREVIOUS = 'Мониторинг охвата дополнительным образованием, 2020 (синтетические данные демо)';

let h: Harness;

beforeAll(async () => {
  // Seeding the year takes ~15–30 s on an idle 2-core machine (8545 anonymous answers, 142 forms); generous for busy CI.
  h = await startHarness({ demoYear: true });
}, 600_000);

afterAll(async () => {
  await h?.close();
});

// Pages left open keep polling (notifications) and hold PGlite's single connection: close them after each test.
const opened: Page[] = [];
afterEach(async () => {
  for (const p of opened.splice(0)) await p.context().close().catch(() => undefined);
});

async function newPage(): Promise<Page> {
  const page = await h.newPage();
  opened.push(page);
  return page;
}

async function rolePage(login: string): Promise<Page> {
  const page = await newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, login);
  return page;
}

/** Waits for `expected` on the page, then takes the guide's screenshot `name` (docs/guide/img/<name>.png). */
async function shot(page: Page, name: string, expected: string | RegExp, opts: { scroll?: boolean } = {}): Promise<void> {
  const target = page.getByText(expected).first();
  await target.waitFor();
  if (opts.scroll) await target.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await page.evaluate(() => document.fonts.ready);
  const png = await page.screenshot({ type: 'png' });
  // A screenshot of a page full of text is about 200 KB at 1280 × 800 (the decision's page: 205 KB since the header has
  // «Версия для слабовидящих»); more than 256 KB means something else is on the page.
  expect(png.length, `снимок ${name}: ${png.length} байт`).toBeLessThan(256 * 1024);
  if (WRITE) {
    mkdirSync(IMG_DIR, { recursive: true });
    writeFileSync(`${IMG_DIR}${name}.png`, png);
  }
}

async function campaignHref(page: Page, title: string | RegExp): Promise<string> {
  await page.goto('/campaigns');
  const link = page.getByRole('link', { name: title });
  await link.first().waitFor();
  return (await link.first().getAttribute('href')) ?? '';
}

describe('демо-муниципалитет глазами ролей', () => {
  it('вход: демо-пользователи всех ролей перечислены на странице входа', async () => {
    const page = await newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto('/login');
    for (const login of ['admin', 'analyst', 'wg', 'oo1', 'dou34']) await page.getByText(login, { exact: true }).first().waitFor();
    await shot(page, 'login', 'dou34');
  });

  it('администратор: реестр 51 организации, журнал аудита демо-действий, справка', async () => {
    const page = await rolePage('admin');
    await page.goto('/organisations');
    await page.getByText('Найдено организаций: 51').waitFor();
    await shot(page, 'admin-registry', 'Кинзебулатово');
    await page.goto('/audit');
    await page.getByRole('heading', { level: 1, name: 'Журнал аудита' }).waitFor();
    await shot(page, 'admin-audit', /analyst|admin/);
    // «Справка» leads to the guide page of the role, rendered by the server.
    const help = page.getByRole('link', { name: 'Справка' });
    expect(await help.getAttribute('href')).toBe('/docs/guide/admin.md#журнал-аудита');
    const guide = await newPage();
    await guide.goto('/docs/guide/admin.md');
    await guide.locator('#журнал-аудита').waitFor();
    expect(await guide.locator('img').count()).toBeGreaterThan(0);
    // Every page's «Справка» link of every role leads to an existing section of the served guide.
    const paths = ['/', '/organisations', '/campaigns', '/campaigns/x/organisations/y', '/campaigns/x/analysis', '/surveys', '/roadmaps', '/recommendations', '/methodologies', '/audit', '/backup'];
    const broken: string[] = [];
    for (const role of ['admin', 'analyst', 'working_group', 'org_rep'] as const) {
      for (const p of paths) {
        const [file, hash] = guideHref(p, role).split('#') as [string, string | undefined];
        const res = await fetch(`${h.url}${encodeURI(file)}`);
        const html = await res.text();
        if (res.status !== 200 || (hash && !html.includes(`id="${hash}"`))) broken.push(`${role} ${p} → ${file}#${hash ?? ''}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('аналитик: три мониторинга, текущий с возвращёнными и просроченными формами', async () => {
    const page = await rolePage('analyst');
    await page.goto('/campaigns');
    for (const t of [SEED004, PREVIOUS]) await page.getByRole('link', { name: t, exact: true }).waitFor();
    await page.getByRole('link', { name: CURRENT }).waitFor();
    expect(await page.locator('table tbody').innerText()).toMatch(/Опубликован[\s\S]*Опубликован/);
    await shot(page, 'analyst-campaigns', 'Идёт сбор');

    await page.goto(await campaignHref(page, CURRENT));
    const rows = page.locator('table tbody tr');
    await expect.poll(() => rows.count()).toBe(51);
    const texts = await rows.allInnerTexts();
    expect(texts.find((t) => t.startsWith('1\t'))).toContain('Возвращена на доработку');
    expect(texts.filter((t) => t.includes('просрочено')).length).toBeGreaterThan(5);
    expect(texts.filter((t) => t.includes('Принята')).length).toBeGreaterThan(10);
    expect(texts.filter((t) => t.includes('Отправлена')).length).toBeGreaterThan(3);
    await shot(page, 'analyst-campaign-current', 'просрочено');
  });

  it('аналитик: анализ 2021 — индекс многообразия 5,6, индекс лояльности 89,7, охват 78,9 %, динамика к 2020', async () => {
    const page = await rolePage('analyst');
    await page.goto(`${await campaignHref(page, SEED004)}/analysis`);
    await page.getByRole('heading', { level: 1, name: 'Анализ результатов' }).waitFor();
    const municipal = page.locator('table').first();
    await municipal.getByText('5,6', { exact: true }).waitFor();
    const text = await municipal.innerText();
    expect(text).toMatch(/Индекс многообразия[\s\S]*5,6\s+выше среднего/);
    expect(text).toMatch(/Индекс лояльности[\s\S]*89,7/);
    expect(text).toMatch(/78,9\s%/);
    await shot(page, 'analyst-analysis', '89,7');
    await page.getByText(/Динамика: 2020 год → 2021 год/).waitFor();
  });

  it('аналитик: опрос родителей — 8545 ответов, индекс лояльности по типам 87,9 / 85,2 / 96,0 и 89,7 в целом', async () => {
    const page = await rolePage('analyst');
    await page.goto('/surveys');
    await page.getByRole('link', { name: /Онлайн-опрос родителей/ }).click();
    await page.getByText('8\u202F545').first().waitFor();
    // The survey's details (with the same count) show before its results have loaded: wait for the results too.
    await expect.poll(() => page.locator('main').innerText(), { timeout: 30_000 }).not.toContain('Загрузка…');
    const body = await page.locator('main').innerText();
    for (const v of ['87,9', '85,2', '96,0', '89,7']) expect(body).toContain(v);
    await shot(page, 'analyst-survey', '89,7');
  });

  it('аналитик: расчёт по файлу протокола — три расхождения с напечатанным отчётом', async () => {
    const page = await rolePage('analyst');
    await page.goto('/compute');
    await page.getByLabel('Методика').selectOption('talents-2021/2021.1');
    await page.getByLabel('Файл с данными').setInputFiles(SEED_004);
    await page.getByRole('button', { name: 'Рассчитать' }).click();
    const discrepancies = page.getByRole('table', { name: 'Расхождения с опубликованными данными' });
    await discrepancies.waitFor();
    const rows = await discrepancies.locator('tbody tr').allInnerTexts();
    expect(rows).toHaveLength(3);
    for (const name of ['Петровское', 'Канакаево', 'ДОУ №33']) expect(rows.some((r) => r.includes(name))).toBe(true);
    await discrepancies.scrollIntoViewIfNeeded();
    await shot(page, 'analyst-discrepancies', 'Петровское');
  });

  it('аналитик: рекомендации протокола, решения и измеренный эффект; разрыв цикла — рекомендации без решения', async () => {
    const page = await rolePage('analyst');
    await page.goto('/recommendations?direction=talents');
    await page.getByText('Внедрить в образовательный процесс программы технической направленности.').first().waitFor();
    const recs = page.getByRole('table', { name: 'Адресные рекомендации' });
    for (const org of ['ДОУ №34', 'ДОУ №28', 'ДОУ №27', 'Кинзебулатово', 'Кулгунино', 'СЮТ', 'ДЭБЦ', 'Инсайт']) {
      expect(await recs.locator('tbody tr', { hasText: org }).count(), org).toBeGreaterThan(0);
    }
    expect(await recs.getByText('нет решения').count()).toBeGreaterThanOrEqual(4);
    await shot(page, 'analyst-recommendations', 'нет решения');

    await page.getByRole('link', { name: /Приказ МКУ УО «О размещении/ }).first().click();
    await page.getByText(/Эффект измерен/).waitFor();
    expect(await page.locator('main').innerText()).toMatch(/4,7\s+5,6\s+\+0,9/);
    await shot(page, 'analyst-decision-effect', 'Эффект измерен');
  });

  it('аналитик: дорожная карта «Таланты» текущего года — выполненные с документом и просроченные мероприятия', async () => {
    const page = await rolePage('analyst');
    await page.goto('/roadmaps?direction=talents');
    const summary = page.getByText(/Статусы — на \d{2}\.\d{2}\.\d{4}: просрочено \d+/);
    await summary.waitFor();
    expect(await summary.innerText()).toMatch(/выполнено \d+/);
    await page.getByRole('link', { name: 'документ' }).first().waitFor();
    await shot(page, 'analyst-roadmap', 'просрочено');
  });

  it('представитель школы №1: форма текущего мониторинга возвращена с комментарием', async () => {
    const page = await rolePage('oo1');
    await page.goto('/campaigns');
    await page.getByRole('link', { name: CURRENT }).click();
    await expect.poll(() => page.locator('table tbody tr').count()).toBe(1);
    await page.getByRole('link', { name: '№1', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: '№1: форма мониторинга' }).waitFor();
    await page.getByText(/Форма возвращена на доработку: Численность обучающихся расходится с отчётом ОО-1/).waitFor();
    await shot(page, 'orgrep-returned-form', 'Возвращена на доработку');
  });

  it('представитель ДОУ №34: адресная рекомендация протокола о программах технической направленности', async () => {
    const page = await rolePage('dou34');
    await page.goto('/recommendations?direction=talents');
    await page.getByText('Внедрить в образовательный процесс программы технической направленности.').waitFor();
    const rows = page.getByRole('table', { name: 'Адресные рекомендации' }).locator('tbody tr');
    expect(await rows.count()).toBe(1);
    await shot(page, 'orgrep-recommendations', 'выдана');
  });

  it('член рабочей группы: результаты 2021 и полнота цикла управления с разрывами', async () => {
    const page = await rolePage('wg');
    await page.goto(`${await campaignHref(page, SEED004)}/analysis`);
    await page.locator('table').first().getByText('5,6', { exact: true }).waitFor();
    await shot(page, 'wg-analysis', '5,6');
    await page.goto('/roadmaps?direction=talents');
    await page.getByText(/рекомендаци\S* без управленческого решения/).first().waitFor();
    await shot(page, 'wg-cycle', /без управленческого решения/, { scroll: true });
  });
});
