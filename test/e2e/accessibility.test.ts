/** Accessibility (issue 26) in Chromium on the demo year: axe-core's WCAG 2.1 A/AA rules find nothing on the pages the
 * journeys visit, signed in and public (login, public campaign, a public survey, registry, a campaign, its analysis,
 * recommendations, road maps, a school's form). */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { changeSurveyStatus, createSurvey } from '../../src/services/surveys/surveys.ts';
import { signIn, startHarness, type Harness } from './harness.ts';

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const WCAG21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const CURRENT = /Мониторинг охвата дополнительным образованием, \d{4}\/\d{4} учебный год/;
const SEED004 = 'Мониторинг охвата дополнительным образованием, 2021';
const SURVEY_TITLE = 'Доступность: опрос родителей (e2e)';

let h: Harness;
let surveyPath = '';
/** Ids for the route-title check: seed 004's and the current campaign, an organisation, a decision, an import, the
 * survey made below, the methodology of seed 004. */
const ids = { c21: '', current: '', org: '', decision: '', importId: '', survey: '', methodology: '', version: '' };

beforeAll(async () => {
  h = await startHarness({
    demoYear: true,
    // An open survey with every kind of question, for its public page.
    setup: async (db) => {
      const u = await db.selectFrom('users').select('id').where('login', '=', 'analyst').executeTakeFirstOrThrow();
      const actor = { userId: u.id, login: 'analyst', ip: '127.0.0.1' };
      const survey = await createSurvey(db, actor, {
        title: SURVEY_TITLE,
        period: '2021/2022',
        audience: 'parents',
        participants: { mode: 'types', types: ['supplementary'] },
        opensOn: '2020-01-01',
        closesOn: '2099-12-31',
        questions: [
          { kind: 'scale', text: 'Насколько вы удовлетворены занятиями ребёнка?', required: true, loyalty: true },
          { kind: 'single', text: 'Сколько лет ребёнок занимается?', options: ['Меньше года', '1–2 года', 'Больше 2 лет'] },
          { kind: 'multiple', text: 'Чем занимается ребёнок?', options: ['Спорт', 'Музыка', 'Техника'], required: false },
          { kind: 'text', text: 'Что улучшить?', required: false },
        ],
      });
      await changeSurveyStatus(db, actor, survey.id, 'open');
      const link = await db.selectFrom('survey_links').select('token').where('survey_id', '=', survey.id).executeTakeFirstOrThrow();
      surveyPath = `/s/${link.token}`;
      const c21 = await db.selectFrom('campaigns').select(['id', 'methodology_id', 'methodology_version']).where('title', '=', SEED004).executeTakeFirstOrThrow();
      const current = await db.selectFrom('campaigns').select('id').where('title', 'like', 'Мониторинг охвата дополнительным образованием, %/% учебный год').executeTakeFirstOrThrow();
      const org = await db.selectFrom('organisations').select('id').where('short_name', '=', '№1').executeTakeFirstOrThrow();
      const decision = await db.selectFrom('decisions').select('id').executeTakeFirstOrThrow();
      const anImport = await db.selectFrom('imports').select('id').executeTakeFirst();
      Object.assign(ids, {
        c21: c21.id,
        current: current.id,
        org: org.id,
        decision: decision.id,
        importId: anImport?.id ?? '00000000-0000-4000-8000-000000000000',
        survey: survey.id,
        methodology: c21.methodology_id,
        version: c21.methodology_version,
      });
    },
  });
}, 600_000);

afterAll(async () => {
  await h?.close();
});

// Pages left open keep polling (notifications) and hold PGlite's single connection: close them after each test.
const opened: Page[] = [];
afterEach(async () => {
  for (const p of opened.splice(0)) await p.context().close().catch(() => undefined);
});

/** A fresh context as the harness makes them, but with the page's CSP bypassed: the CSP (script-src 'self') refuses
 * axe-core's script tag. */
async function newPage(width = 1280, height = 800): Promise<Page> {
  const context = await h.browser.newContext({ baseURL: h.url, locale: 'ru-RU', timezoneId: 'Asia/Yekaterinburg', viewport: { width, height }, bypassCSP: true });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  opened.push(page);
  return page;
}

async function rolePage(login: string): Promise<Page> {
  const page = await newPage();
  await signIn(page, login);
  return page;
}

async function campaignHref(page: Page, title: string | RegExp): Promise<string> {
  await page.goto('/campaigns');
  const link = page.getByRole('link', { name: title }).first();
  await link.waitFor();
  return (await link.getAttribute('href')) ?? '';
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary: string }[];
}

/** Runs axe-core's WCAG 2.1 A/AA rules on the page as it is: the violations (one line each: rule, help, targets) and
 * the rules that passed. */
async function axeRun(page: Page): Promise<{ violations: string[]; passed: string[] }> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_PATH });
  const r = await page.evaluate(async (tags) => {
    type Result = { violations: AxeViolation[]; passes: { id: string }[] };
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<Result> } }).axe;
    const res = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return {
      violations: res.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) })),
      passed: res.passes.map((p) => p.id),
    };
  }, WCAG21_AA);
  return {
    violations: r.violations.map(
      (v) => `${v.id} (${v.impact ?? '?'}): ${v.help} — ${v.nodes.map((n) => `${n.target.join(' ')} [${n.failureSummary.replace(/\s+/g, ' ')}]`).join('; ')}`,
    ),
    passed: r.passed,
  };
}

/** No violations, and the rules `mustPass` did run and pass (so the check is not vacuous). With a modal dialog open
 * axe checks the dialog only, without the page-level rules (language, title). */
async function expectAccessible(page: Page, name: string, mustPass = ['html-has-lang', 'document-title', 'color-contrast']): Promise<void> {
  const { violations, passed } = await axeRun(page);
  expect(violations, `axe WCAG 2.1 A/AA, ${name}:\n${violations.join('\n')}`).toEqual([]);
  expect(passed, name).toEqual(expect.arrayContaining(mustPass));
}

describe('axe-core: WCAG 2.1 A/AA на страницах', () => {
  it('вход', async () => {
    const page = await newPage();
    await page.goto('/login');
    await page.getByText('dou34', { exact: true }).first().waitFor();
    await expectAccessible(page, 'страница входа');
    // The check catches what it should: white on the page grey (the old `.btn-light` on a light page) is reported.
    await page.evaluate(() => {
      const a = document.createElement('a');
      a.href = '/public/campaigns';
      a.textContent = 'Публичная страница';
      a.style.color = '#fff';
      document.querySelector('main')?.append(a);
    });
    const { violations } = await axeRun(page);
    expect(violations.map((v) => v.split(' ')[0])).toEqual(['color-contrast']);
  });

  it('публичная страница мониторинга и их список', async () => {
    const page = await newPage();
    await page.goto('/public/campaigns');
    await page.getByRole('link', { name: SEED004 }).waitFor();
    await expectAccessible(page, 'список опубликованных мониторингов');
    await page.getByRole('link', { name: SEED004 }).click();
    await page.getByRole('heading', { level: 1, name: SEED004 }).waitFor();
    await page.locator('.chart svg').first().waitFor();
    await expectAccessible(page, 'публичная страница мониторинга');
  });

  it('публичная анкета опроса', async () => {
    const page = await newPage();
    await page.goto(surveyPath);
    await page.getByRole('heading', { level: 1, name: SURVEY_TITLE }).waitFor();
    await expectAccessible(page, 'анкета');
    // With the errors of an empty answer shown.
    await page.getByRole('button', { name: 'Отправить ответ' }).click();
    await page.getByText('Ответьте на вопрос 1').waitFor();
    await expectAccessible(page, 'анкета с ошибками');
  });

  it('аналитик: реестр, мониторинг, анализ, рекомендации, дорожные карты', async () => {
    const page = await rolePage('analyst');
    await page.goto('/organisations');
    await page.getByText('Найдено организаций: 51').waitFor();
    await expectAccessible(page, 'реестр');

    await page.goto(await campaignHref(page, CURRENT));
    await expect.poll(() => page.locator('table tbody tr').count()).toBe(51);
    await expectAccessible(page, 'мониторинг');

    await page.goto(`${await campaignHref(page, SEED004)}/analysis`);
    await page.getByRole('heading', { level: 1, name: 'Анализ результатов' }).waitFor();
    await page.locator('table').first().getByText('5,6', { exact: true }).waitFor();
    await page.getByText(/Динамика: 2020 год → 2021 год/).waitFor();
    await expectAccessible(page, 'анализ');

    await page.goto('/recommendations?direction=talents');
    await page.getByRole('table', { name: 'Адресные рекомендации' }).waitFor();
    await expectAccessible(page, 'рекомендации');

    await page.goto('/roadmaps?direction=talents');
    await page.getByText(/Статусы — на \d{2}\.\d{2}\.\d{4}/).waitFor();
    await expectAccessible(page, 'дорожные карты');
  });

  it('представитель школы: форма мониторинга и диалог «История»', async () => {
    const page = await rolePage('oo1');
    await page.goto(await campaignHref(page, CURRENT));
    await page.getByRole('link', { name: '№1', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: '№1: форма мониторинга' }).waitFor();
    await expectAccessible(page, 'форма школы');
    await page.getByRole('button', { name: /^История: / }).first().click();
    await page.getByRole('dialog').getByRole('table').waitFor();
    await expectAccessible(page, 'диалог «История»', ['color-contrast', 'button-name', 'th-has-data-cells']);
  });
});

/** A page of `width` × `height` (signed in as `login`) and `visit(name)`, which opens a page of the checks by its name
 * and waits until it shows its data. */
async function openPages(login: string | null, width: number, height = 800): Promise<{ page: Page; visit(name: string): Promise<void> }> {
  const page = await newPage(width, height);
  if (login) await signIn(page, login);
  const visit = async (name: string) => {
    switch (name) {
      case 'вход':
        await page.goto('/login');
        await page.getByRole('heading', { level: 1, name: 'Вход в систему' }).waitFor();
        break;
      case 'публичная страница мониторинга':
        await page.goto('/public/campaigns');
        await page.getByRole('link', { name: SEED004 }).click();
        await page.getByRole('heading', { level: 1, name: SEED004 }).waitFor();
        await page.locator('.chart svg').first().waitFor();
        break;
      case 'анкета':
        await page.goto(surveyPath);
        await page.getByRole('heading', { level: 1, name: SURVEY_TITLE }).waitFor();
        break;
      case 'реестр':
        await page.goto('/organisations');
        await page.getByText('Найдено организаций: 51').waitFor();
        break;
      case 'мониторинг':
        await page.goto(await campaignHref(page, CURRENT));
        await expect.poll(() => page.locator('table tbody tr').count()).toBe(51);
        break;
      case 'анализ':
        await page.goto(`${await campaignHref(page, SEED004)}/analysis`);
        await page.locator('table').first().getByText('5,6', { exact: true }).waitFor();
        await page.getByText(/Динамика: 2020 год → 2021 год/).waitFor();
        break;
      case 'рекомендации':
        await page.goto('/recommendations?direction=talents');
        await page.getByRole('table', { name: 'Адресные рекомендации' }).waitFor();
        break;
      case 'дорожные карты':
        await page.goto('/roadmaps?direction=talents');
        await page.getByText(/Статусы — на \d{2}\.\d{2}\.\d{4}/).waitFor();
        break;
      case 'форма школы':
        await page.goto(await campaignHref(page, CURRENT));
        await page.getByRole('link', { name: '№1', exact: true }).click();
        await page.getByRole('heading', { level: 1, name: '№1: форма мониторинга' }).waitFor();
        break;
      default:
        throw new Error(`unknown page ${name}`);
    }
  };
  return { page, visit };
}

/** How far the page scrolls sideways, and the elements sticking out of the viewport (but inside a table's scroll box
 * or a chart's SVG, which clip them). */
async function overflow(page: Page): Promise<{ scroll: number; wide: string[] }> {
  return page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll('body *')]
      .filter((e) => !e.closest('.table-wrap, svg') && e.getBoundingClientRect().right > vw + 0.5 && getComputedStyle(e).visibility !== 'hidden')
      .map((e) => `${e.tagName.toLowerCase()}.${String(e.className)} (${Math.round(e.getBoundingClientRect().right)})`)
      .slice(0, 5);
    return { scroll: document.documentElement.scrollWidth - vw, wide };
  });
}

describe('перекомпоновка при увеличении 400 % (WCAG 1.4.10)', () => {
  // 640 px: 200 % of 1280; 360 and 320 px: 400 %.
  for (const width of [640, 360, 320]) {
    it(`ширина ${width} px: страницы не прокручиваются вбок, шапка переносится`, async () => {
      const anon = await openPages(null, width);
      for (const name of ['вход', 'публичная страница мониторинга', 'анкета']) {
        await anon.visit(name);
        const o = await overflow(anon.page);
        expect(o, `${name}, ${width} px`).toEqual({ scroll: 0, wide: [] });
      }
      const analyst = await openPages('analyst', width);
      for (const name of ['реестр', 'мониторинг', 'анализ', 'рекомендации', 'дорожные карты']) {
        await analyst.visit(name);
        expect(await overflow(analyst.page), `${name}, ${width} px`).toEqual({ scroll: 0, wide: [] });
      }
      const school = await openPages('oo1', width);
      await school.visit('форма школы');
      expect(await overflow(school.page), `форма школы, ${width} px`).toEqual({ scroll: 0, wide: [] });
      // The header: the user's box below «МСОКО», not over it; the municipality's name shown whole.
      const header = await school.page.evaluate(() => {
        const box = (s: string) => document.querySelector(s)?.getBoundingClientRect();
        const brand = box('.brand-name');
        const user = box('.user-box');
        const sub = document.querySelector<HTMLElement>('.brand-sub');
        return {
          overlap: !!brand && !!user && brand.bottom > user.top && brand.top < user.bottom && brand.right > user.left && brand.left < user.right,
          userRight: user ? Math.round(user.right) : -1,
          subClipped: sub ? sub.scrollWidth > sub.clientWidth : true,
          subText: sub?.innerText.trim() ?? '',
        };
      });
      expect(header.overlap).toBe(false);
      expect(header.userRight).toBeLessThanOrEqual(width);
      expect(header.subClipped).toBe(false);
      expect(header.subText.length).toBeGreaterThan(5);
    });
  }

  it('320 px: подписи графиков анализа и публичной страницы целиком внутри графика и не наезжают друг на друга', async () => {
    /** Per chart: its texts that stick out of its SVG, and the pairs of texts that overlap. */
    const chartTexts = (page: Page) =>
      page.locator('.chart svg').evaluateAll((svgs) =>
        svgs.map((svg) => {
          const box = svg.getBoundingClientRect();
          const texts = [...svg.querySelectorAll('text')]
            .filter((t) => (t.textContent ?? '').trim() && getComputedStyle(t).display !== 'none' && Number(t.getAttribute('opacity') ?? 1) > 0)
            .map((t) => ({ text: (t.textContent ?? '').trim(), r: t.getBoundingClientRect() }));
          const outside = texts.filter(({ r }) => r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1).map((t) => t.text);
          const overlapping: string[] = [];
          texts.forEach((a, i) =>
            texts.slice(i + 1).forEach((b) => {
              const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
              const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
              if (w > 1 && h > 1) overlapping.push(`${a.text} × ${b.text}`);
            }),
          );
          return { label: svg.closest('.chart')?.getAttribute('aria-label') ?? '', texts: texts.map((t) => t.text), outside, overlapping };
        }),
      );
    const analyst = await openPages('analyst', 320);
    await analyst.visit('анализ');
    await expect.poll(() => analyst.page.locator('.chart svg').count()).toBeGreaterThanOrEqual(4);
    await expect.poll(() => analyst.page.locator('.chart svg').evaluateAll((svgs) => svgs.every((svg) => svg.querySelector('text')))).toBe(true);
    const charts = await chartTexts(analyst.page);
    for (const c of charts) expect({ label: c.label, outside: c.outside, overlapping: c.overlapping }).toEqual({ label: c.label, outside: [], overlapping: [] });
    // Every category of the distribution chart is labelled, and its table is still beside it.
    const distribution = charts.find((c) => c.label.startsWith('Распределение организаций по уровням'));
    expect(distribution?.texts).toEqual(expect.arrayContaining(['ОО', 'ДОУ', 'УДО', 'Всего', 'высокий', 'низкий']));
    expect(await analyst.page.locator('.card', { has: analyst.page.locator('.chart') }).locator('table[data-testid^="distribution-"]').count()).toBeGreaterThan(0);

    const anon = await openPages(null, 320);
    await anon.visit('публичная страница мониторинга');
    await expect.poll(() => anon.page.locator('.chart svg').evaluateAll((svgs) => svgs.length > 0 && svgs.every((svg) => svg.querySelector('text')))).toBe(true);
    for (const c of await chartTexts(anon.page)) expect({ label: c.label, outside: c.outside, overlapping: c.overlapping }).toEqual({ label: c.label, outside: [], overlapping: [] });
  });

  it('1440 px: публичная страница мониторинга не шире окна, длинные заголовки таблиц переносятся', async () => {
    const anon = await openPages(null, 1440);
    await anon.visit('публичная страница мониторинга');
    expect(await overflow(anon.page)).toEqual({ scroll: 0, wide: [] });
    // Every table is in a named, focusable scroll box.
    const boxes = await anon.page.locator('main table').evaluateAll((ts) => ts.map((t) => t.parentElement?.matches('.table-wrap[role=region][tabindex="0"][aria-label]') ?? false));
    expect(boxes.length).toBeGreaterThan(2);
    expect(boxes.every(Boolean)).toBe(true);
  });
});

describe('фокус, объявления, заголовки страниц, вкладки', () => {
  it('Escape закрывает «Историю» и возвращает фокус на кнопку; заголовок и фокус при переходе по меню', async () => {
    const page = await rolePage('oo1');
    expect(await page.title()).toBe('Что требует внимания — МСОКО');
    await page.goto(await campaignHref(page, CURRENT));
    await expect.poll(() => page.title()).toMatch(/^Мониторинг охвата дополнительным образованием, \d{4}\/\d{4} учебный год — МСОКО$/);
    await page.getByRole('link', { name: '№1', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: '№1: форма мониторинга' }).waitFor();
    await expect.poll(() => page.title()).toMatch(/^№1: форма мониторинга — Мониторинг охвата дополнительным образованием, \d{4}\/\d{4} учебный год — МСОКО$/);
    // The link that was clicked left the page: focus went to the new page's heading.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('№1: форма мониторинга');

    const history = page.getByRole('button', { name: /^История: / }).first();
    const name = await history.getAttribute('aria-label');
    await history.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').getByRole('table').waitFor();
    expect(await page.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(true);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(name);

    // The navigation: the title changes and focus goes to the heading.
    await page.getByRole('navigation', { name: 'Основная навигация' }).getByRole('link', { name: 'Дорожные карты' }).click();
    await page.getByRole('heading', { level: 1, name: 'Дорожные карты' }).waitFor();
    expect(await page.title()).toBe('Дорожные карты — МСОКО');
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    await page.getByRole('navigation', { name: 'Основная навигация' }).getByRole('link', { name: 'Рекомендации' }).click();
    await expect.poll(() => page.title()).toBe('Рекомендации и решения — МСОКО');
  });

  it('заголовки страниц: вход, реестр, анализ, публичные страницы', async () => {
    const page = await newPage();
    await page.goto('/login');
    expect(await page.title()).toBe('Вход в систему — МСОКО');
    await page.goto('/public/campaigns');
    expect(await page.title()).toBe('Результаты мониторингов — МСОКО');
    await page.getByRole('link', { name: SEED004 }).click();
    await page.getByRole('heading', { level: 1, name: SEED004 }).waitFor();
    await expect.poll(() => page.title()).toBe(`${SEED004} — результаты мониторинга — МСОКО`);
    await page.goto(surveyPath);
    await page.getByRole('heading', { level: 1, name: SURVEY_TITLE }).waitFor();
    await expect.poll(() => page.title()).toBe(`${SURVEY_TITLE} — анонимный опрос — МСОКО`);
    await signIn(page, 'analyst');
    await page.goto('/organisations');
    expect(await page.title()).toBe('Реестр организаций — МСОКО');
    await page.goto(`${await campaignHref(page, SEED004)}/analysis`);
    // The route's title at once, then the campaign's own once its analysis has loaded.
    await page.getByRole('heading', { level: 1, name: 'Анализ результатов' }).waitFor();
    await expect.poll(() => page.title()).toBe(`${SEED004} — анализ — МСОКО`);
    await page.goto('/no-such-page');
    expect(await page.title()).toBe('Страница не найдена — МСОКО');
  });

  it('каждый маршрут приложения (web/src/App.tsx) — свой заголовок; страницы мониторинга — по его названию', async () => {
    type Login = 'anon' | 'analyst' | 'admin' | 'region';
    // Route (as App.tsx writes it) → a URL of it, who opens it, and its title.
    const samples: Record<string, [url: string, login: Login, title: string | RegExp]> = {
      '': ['/', 'analyst', 'Что требует внимания — МСОКО'],
      login: ['/login', 'anon', 'Вход в систему — МСОКО'],
      's/:token': [surveyPath, 'anon', `${SURVEY_TITLE} — анонимный опрос — МСОКО`],
      'public/campaigns': ['/public/campaigns', 'anon', 'Результаты мониторингов — МСОКО'],
      'public/campaigns/:id': [`/public/campaigns/${ids.c21}`, 'anon', `${SEED004} — результаты мониторинга — МСОКО`],
      organisations: ['/organisations', 'analyst', 'Реестр организаций — МСОКО'],
      'organisations/new': ['/organisations/new', 'admin', 'Новая организация — МСОКО'],
      'organisations/:id': [`/organisations/${ids.org}`, 'analyst', 'Организация — МСОКО'],
      'organisations/:id/edit': [`/organisations/${ids.org}/edit`, 'admin', 'Изменение организации — МСОКО'],
      audit: ['/audit', 'admin', 'Журнал аудита — МСОКО'],
      backup: ['/backup', 'admin', 'Резервные копии — МСОКО'],
      methodologies: ['/methodologies', 'analyst', 'Методики — МСОКО'],
      'methodologies/new': ['/methodologies/new', 'analyst', 'Загрузка методики — МСОКО'],
      'methodologies/criteria-import': ['/methodologies/criteria-import', 'analyst', 'Импорт таблицы критериев — МСОКО'],
      'methodologies/:id/:version/edit': [`/methodologies/${ids.methodology}/${ids.version}/edit`, 'analyst', 'Новая версия методики — МСОКО'],
      'methodologies/:id/:version': [`/methodologies/${ids.methodology}/${ids.version}`, 'analyst', 'Методика — МСОКО'],
      compute: ['/compute', 'analyst', 'Расчёт по файлу — МСОКО'],
      campaigns: ['/campaigns', 'analyst', 'Мониторинги — МСОКО'],
      'campaigns/new': ['/campaigns/new', 'analyst', 'Новый мониторинг — МСОКО'],
      'campaigns/:id': [`/campaigns/${ids.c21}`, 'analyst', `${SEED004} — МСОКО`],
      'campaigns/:id/organisations/:orgId': [`/campaigns/${ids.current}/organisations/${ids.org}`, 'analyst', /^№1: форма мониторинга — Мониторинг охвата дополнительным образованием, \d{4}\/\d{4} учебный год — МСОКО$/],
      'campaigns/:id/imports': [`/campaigns/${ids.c21}/imports`, 'analyst', `${SEED004} — импорт данных — МСОКО`],
      'imports/:id': [`/imports/${ids.importId}`, 'analyst', 'Загрузка файла — МСОКО'],
      'campaigns/:id/analysis': [`/campaigns/${ids.c21}/analysis`, 'analyst', `${SEED004} — анализ — МСОКО`],
      'campaigns/:id/report': [`/campaigns/${ids.c21}/report`, 'analyst', `${SEED004} — справка: тексты, цели и таблицы — МСОКО`],
      notifications: ['/notifications', 'analyst', 'Уведомления — МСОКО'],
      settings: ['/settings', 'admin', 'Настройки напоминаний — МСОКО'],
      documents: ['/documents', 'analyst', 'Документы — МСОКО'],
      roadmaps: ['/roadmaps', 'analyst', 'Дорожные карты — МСОКО'],
      recommendations: ['/recommendations', 'analyst', 'Рекомендации и решения — МСОКО'],
      'decisions/:id': [`/decisions/${ids.decision}`, 'analyst', 'Управленческое решение — МСОКО'],
      surveys: ['/surveys', 'analyst', 'Опросы — МСОКО'],
      'surveys/new': ['/surveys/new', 'analyst', 'Новый опрос — МСОКО'],
      'surveys/:id': [`/surveys/${ids.survey}`, 'analyst', 'Опрос — МСОКО'],
      'surveys/:id/print': [`/surveys/${ids.survey}/print`, 'analyst', 'Ссылки и QR-коды опроса — МСОКО'],
      region: ['/region', 'region', 'Регион — МСОКО'],
      '*': ['/no-such-page', 'analyst', 'Страница не найдена — МСОКО'],
    };
    // Every route of the app, read from its source (the index route has no path): none without a sample here.
    const source = readFileSync(new URL('../../web/src/App.tsx', import.meta.url), 'utf8');
    const routes = ['', ...[...source.matchAll(/<Route\s+path="([^"]+)"/g)].map((m) => m[1]!.replace(/^\//, ''))];
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.filter((r) => !(r in samples)), 'a route of App.tsx without a sample here: add its URL, who opens it and its title (pageTitle.ts)').toEqual([]);

    const pages = new Map<Login, Page>();
    const pageOf = async (login: Login) => {
      let p = pages.get(login);
      if (!p) {
        p = await newPage();
        if (login !== 'anon') await signIn(p, login);
        pages.set(login, p);
      }
      return p;
    };
    const seen: string[] = [];
    for (const route of routes) {
      const [url, login, title] = samples[route]!;
      const page = await pageOf(login);
      await page.goto(url);
      await page.locator('h1').first().waitFor();
      if (typeof title === 'string') await expect.poll(() => page.title(), { message: `${route}: ${url}` }).toBe(title);
      else await expect.poll(() => page.title(), { message: `${route}: ${url}` }).toMatch(title);
      seen.push(await page.title());
    }
    // Each its own: no two routes share a title.
    expect(seen.filter((t, i) => seen.indexOf(t) !== i)).toEqual([]);
  });

  it('вкладки направлений: стрелки, Home, End; панель вкладки связана с вкладкой', async () => {
    const page = await rolePage('analyst');
    await page.goto('/roadmaps?direction=talents');
    await page.getByText(/Статусы — на \d{2}\.\d{2}\.\d{4}/).waitFor();
    const tabs = page.getByRole('tablist', { name: 'Направления' }).getByRole('tab');
    const names = await tabs.allInnerTexts();
    expect(names).toHaveLength(7);
    const selected = page.getByRole('tab', { selected: true });
    const start = names.indexOf(await selected.innerText());
    expect(start).toBeGreaterThanOrEqual(0);
    // Only the selected tab is in the Tab order.
    expect(await tabs.evaluateAll((ts) => ts.map((t) => t.getAttribute('tabindex')))).toEqual(names.map((_, i) => (i === start ? '0' : '-1')));
    const panel = page.getByRole('tabpanel');
    const check = async (i: number) => {
      await expect.poll(() => selected.innerText()).toBe(names[i]);
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(names[i]);
      const tabId = await selected.getAttribute('id');
      expect(await panel.getAttribute('aria-labelledby')).toBe(tabId);
      expect(await selected.getAttribute('aria-controls')).toBe(await panel.getAttribute('id'));
    };
    await selected.focus();
    await page.keyboard.press('ArrowRight');
    await check((start + 1) % 7);
    await expect.poll(() => new URL(page.url()).searchParams.get('direction')).not.toBe('talents');
    await page.keyboard.press('End');
    await check(6);
    await page.keyboard.press('ArrowRight');
    await check(0);
    await page.keyboard.press('ArrowLeft');
    await check(6);
    await page.keyboard.press('Home');
    await check(0);
    // The panel holds the direction's road map.
    await panel.getByText(/Статусы — на \d{2}\.\d{2}\.\d{4}/).waitFor();
  });

  it('«Отправить на проверку»: фокус на новом статусе, статус «Отправлена» объявлен', async () => {
    const page = await rolePage('oo1');
    await page.goto(await campaignHref(page, CURRENT));
    await page.getByRole('link', { name: '№1', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: '№1: форма мониторинга' }).waitFor();
    expect(await page.getByTestId('submission-announcement').innerText()).toBe('');
    await page.getByLabel('Комментарий к отправке').fill('Численность исправлена по отчёту ОО-1');
    await page.getByRole('button', { name: 'Отправить на проверку' }).click();
    await expect.poll(() => page.getByTestId('submission-status').innerText()).toBe('Отправлена');
    expect(await page.getByRole('button', { name: 'Отправить на проверку' }).count()).toBe(0);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('submission-status');
    const live = page.getByTestId('submission-announcement');
    expect(await live.getAttribute('role')).toBe('status');
    expect(await live.getAttribute('aria-live')).toBe('polite');
    expect(await live.innerText()).toBe('Статус формы: Отправлена');
  });
});

/** What a screenshot of the page shows, decoded by the browser (not read from the page's CSS): the most common colour
 * (the page's background) and its share of the pixels, and the colour farthest from it in luminance (the core of the
 * text), each as [r, g, b]. */
async function screenshotColours(page: Page): Promise<{ background: number[]; share: number; text: number[] }> {
  const png = await page.screenshot({ type: 'png' });
  return page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const bmp = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = document.createElement('canvas');
    canvas.width = bmp.width;
    canvas.height = bmp.height;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(bmp, 0, 0);
    const d = ctx.getImageData(0, 0, bmp.width, bmp.height).data;
    const counts = new Map<number, number>();
    for (let i = 0; i < d.length; i += 4) {
      const key = (d[i]! << 16) | (d[i + 1]! << 8) | d[i + 2]!;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    let bg = 0;
    let most = 0;
    for (const [k, n] of counts) if (n > most) [bg, most] = [k, n];
    const rgb = (k: number) => [(k >> 16) & 255, (k >> 8) & 255, k & 255];
    const lum = (k: number) => rgb(k).reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i]!, 0);
    let text = bg;
    for (const k of counts.keys()) if (Math.abs(lum(k) - lum(bg)) > Math.abs(lum(text) - lum(bg))) text = k;
    return { background: rgb(bg), share: most / (d.length / 4), text: rgb(text) };
  }, png.toString('base64'));
}

/** WCAG contrast ratio of two `rgb(…)` colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((v) => {
      const x = Number(v) / 255;
      return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p) as [number, number];
  return (x + 0.05) / (y + 0.05);
}

describe('узкий экран, кольцо фокуса, анкета с клавиатуры', () => {
  it('360 px: меню за кнопкой «Меню», закрывается при переходе, фокус на заголовке страницы', async () => {
    const page = await newPage(360, 800);
    await signIn(page, 'analyst');
    const nav = page.getByRole('navigation', { name: 'Основная навигация' });
    const menu = page.getByRole('button', { name: 'Меню' });
    expect(await nav.isVisible()).toBe(false);
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    await menu.focus();
    await page.keyboard.press('Enter');
    await nav.waitFor();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    expect(await menu.getAttribute('aria-controls')).toBe(await nav.getAttribute('id'));
    await nav.getByRole('link', { name: 'Дорожные карты' }).click();
    await page.getByRole('heading', { level: 1, name: 'Дорожные карты' }).waitFor();
    await nav.waitFor({ state: 'hidden' });
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    // Charts resize on a ResizeObserver after the viewport changes: wait for the layout to settle.
    await expect.poll(() => overflow(page)).toEqual({ scroll: 0, wide: [] });
    // Wide again: the navigation is always shown, the button is not.
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(await nav.isVisible()).toBe(true);
    expect(await menu.isVisible()).toBe(false);
  });

  it('кольцо фокуса: не меньше 3:1 к белой карточке, серой странице и тёмной шапке', async () => {
    const page = await rolePage('analyst');
    await page.goto('/organisations');
    await page.getByText('Найдено организаций: 51').waitFor();
    const ring = async (locator: ReturnType<Page['locator']>, ground: string) => {
      await locator.focus();
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Tab');
      return locator.evaluate((e, sel) => {
        const cs = getComputedStyle(e);
        let g: Element | null = e.closest(sel);
        let bg = g ? getComputedStyle(g).backgroundColor : '';
        while (g && bg === 'rgba(0, 0, 0, 0)') {
          g = g.parentElement;
          bg = g ? getComputedStyle(g).backgroundColor : 'rgb(255, 255, 255)';
        }
        return { style: cs.outlineStyle, width: parseFloat(cs.outlineWidth), color: cs.outlineColor, ground: bg, focused: document.activeElement === e };
      }, ground);
    };
    const checks = [
      { what: 'ссылка в таблице (белая карточка)', el: page.locator('main table tbody a').first(), ground: '.table-wrap' },
      { what: 'ссылка меню (белая панель)', el: page.getByRole('navigation', { name: 'Основная навигация' }).getByRole('link', { name: 'Мониторинги' }), ground: '.app-nav' },
      { what: 'поле поиска на сером фоне', el: page.locator('main input').first(), ground: 'main' },
      { what: 'кнопка «Выйти» в шапке', el: page.getByRole('button', { name: 'Выйти' }), ground: '.app-header' },
    ];
    for (const c of checks) {
      const r = await ring(c.el, c.ground);
      expect(r.focused, c.what).toBe(true);
      expect(r.style, c.what).toBe('solid');
      expect(r.width, c.what).toBeGreaterThanOrEqual(2);
      expect(contrast(r.color, r.ground), `${c.what}: ${r.color} на ${r.ground}`).toBeGreaterThanOrEqual(3);
    }
  });

  it('настройки системы: повышенный контраст (prefers-contrast) и принудительные цвета (forced-colors)', async () => {
    const page = await rolePage('analyst');
    await page.goto('/organisations');
    await page.getByText('Найдено организаций: 51').waitFor();
    const muted = () => page.locator('.breadcrumbs, .muted').first().evaluate((e) => getComputedStyle(e).color);
    const usual = await muted();
    await page.emulateMedia({ contrast: 'more' });
    await expect.poll(muted).toBe('rgb(31, 41, 51)');
    expect(usual).not.toBe('rgb(31, 41, 51)');
    await page.emulateMedia({ contrast: 'no-preference', forcedColors: 'active' });
    const input = page.locator('main input').first();
    await input.focus();
    const ring = await input.evaluate((e) => ({ style: getComputedStyle(e).outlineStyle, width: parseFloat(getComputedStyle(e).outlineWidth) }));
    expect(ring).toEqual({ style: 'solid', width: 3 });
    expect(await page.locator('.app-nav a.active').evaluate((e) => getComputedStyle(e).borderLeftWidth)).toBe('4px');
  });

  it('анкета без мыши: Tab, стрелки и пробел, отправка Enter', async () => {
    const page = await newPage(390, 844);
    await page.goto(surveyPath);
    await page.getByRole('heading', { level: 1, name: SURVEY_TITLE }).waitFor();
    const focused = () => page.evaluate(() => {
      const a = document.activeElement as HTMLInputElement | null;
      return a ? `${a.tagName.toLowerCase()}:${a.type ?? ''}:${a.getAttribute('aria-label') ?? a.closest('label')?.textContent?.trim() ?? a.textContent?.trim() ?? ''}` : '';
    });
    // Tab from the page start: the low-vision toggle first, then the scale.
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('button:button:Версия для слабовидящих');
    await page.keyboard.press('Tab');
    expect(await focused()).toMatch(/^input:radio:/);
    // The scale: arrows move along it (and choose); 9 of 10.
    await page.keyboard.press('ArrowRight');
    for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowRight');
    expect(await focused()).toBe('input:radio:9 из 10');
    expect(await page.getByRole('radio', { name: '9 из 10' }).isChecked()).toBe(true);
    // The next question: one option.
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe('input:radio:1–2 года');
    // Several options: Tab to each, Space to tick.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('input:checkbox:Музыка');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focused()).toMatch(/^textarea:/);
    await page.keyboard.type('Больше кружков робототехники');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('button:submit:Отправить ответ');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Спасибо!' }).waitFor();
    expect(await page.getByRole('status').innerText()).toContain('Ваш ответ принят');
  });
});

describe('версия для слабовидящих (ГОСТ Р 52872-2019) на публичных страницах', () => {
  const style = (page: Page, selector: string) =>
    page.locator(selector).first().evaluate((e) => {
      const cs = getComputedStyle(e);
      return { fontSize: parseFloat(cs.fontSize), color: cs.color, background: cs.backgroundColor, letterSpacing: cs.letterSpacing };
    });

  it('включается с клавиатуры: крупный шрифт, схемы цветов, изображения, интервал; запоминается; axe без нарушений', async () => {
    const page = await newPage();
    await page.goto('/public/campaigns');
    await page.getByRole('link', { name: SEED004 }).click();
    await page.getByRole('heading', { level: 1, name: SEED004 }).waitFor();
    await page.locator('.chart svg').first().waitFor();
    const before = await style(page, 'h1');
    const bodyBefore = await style(page, 'main p:not(.brand-name)');
    const rootBefore = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    expect(await page.evaluate(() => document.body.className)).toBe('');

    const toggle = page.getByRole('button', { name: 'Версия для слабовидящих' });
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('true');
    expect(await page.evaluate(() => [...document.body.classList].sort())).toEqual(['low-vision', 'lv-scheme-bw', 'lv-size-150']);
    // ×1,5 and black on white.
    const big = await style(page, 'main p:not(.brand-name)');
    expect(big.fontSize).toBeCloseTo(bodyBefore.fontSize * 1.5, 0);
    expect((await style(page, 'h1')).fontSize).toBeGreaterThan(before.fontSize * 1.4);
    expect(await style(page, 'body')).toMatchObject({ color: 'rgb(0, 0, 0)', background: 'rgb(255, 255, 255)' });
    expect(await style(page, 'main table th')).toMatchObject({ color: 'rgb(0, 0, 0)', background: 'rgb(255, 255, 255)' });
    await expectAccessible(page, 'версия для слабовидящих, чёрным по белому');

    // The settings are radio buttons and check boxes, reached with Tab and chosen with the keyboard.
    const settings = page.getByRole('group', { name: 'Настройки версии для слабовидящих' });
    await settings.getByRole('radio', { name: '×2' }).focus();
    await page.keyboard.press('Space');
    await settings.getByRole('radio', { name: 'Белым по чёрному' }).check();
    await expect.poll(() => page.evaluate(() => document.body.classList.contains('lv-scheme-wb'))).toBe(true);
    expect((await style(page, 'main p:not(.brand-name)')).fontSize).toBeCloseTo(bodyBefore.fontSize * 2, 0);
    expect(await style(page, 'body')).toMatchObject({ color: 'rgb(255, 255, 255)', background: 'rgb(0, 0, 0)' });
    expect(await style(page, 'main table td')).toMatchObject({ color: 'rgb(255, 255, 255)', background: 'rgb(0, 0, 0)' });
    await expectAccessible(page, 'версия для слабовидящих, белым по чёрному, ×2');
    // ×2 on a phone-sized window still reflows.
    await page.setViewportSize({ width: 360, height: 800 });
    // Charts resize on a ResizeObserver after the viewport changes: wait for the layout to settle.
    await expect.poll(() => overflow(page)).toEqual({ scroll: 0, wide: [] });
    await page.setViewportSize({ width: 1280, height: 800 });

    await settings.getByRole('radio', { name: 'Тёмно-синим по голубому' }).check();
    await expect.poll(() => style(page, 'body')).toMatchObject({ color: 'rgb(6, 52, 98)', background: 'rgb(157, 209, 255)' });
    await settings.getByRole('checkbox', { name: 'Увеличенный интервал между буквами' }).check();
    expect(parseFloat((await style(page, 'main p:not(.brand-name)')).letterSpacing)).toBeGreaterThan(0);
    // Images off: each chart gives way to its name and a pointer to the table with its figures.
    await settings.getByRole('checkbox', { name: 'Показывать изображения' }).uncheck();
    await expect.poll(() => page.locator('.chart svg').first().isVisible()).toBe(false);
    const replaced = await page.locator('.chart').first().evaluate((e) => getComputedStyle(e, '::before').content);
    expect(replaced).toMatch(/^"График «Распределение по уровням: .+» скрыт: значения — в таблице выше\."$/);
    await expectAccessible(page, 'версия для слабовидящих, тёмно-синим по голубому, без изображений');

    // Remembered in this browser: after a reload, and on the survey page.
    await settings.getByRole('checkbox', { name: 'Показывать изображения' }).check();
    await settings.getByRole('radio', { name: 'Белым по чёрному' }).check();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: SEED004 }).waitFor();
    expect(await page.evaluate(() => [...document.body.classList].sort())).toEqual(['low-vision', 'lv-scheme-wb', 'lv-size-200', 'lv-spacing-wide']);
    expect(await page.getByRole('button', { name: 'Версия для слабовидящих' }).getAttribute('aria-pressed')).toBe('true');
    await page.goto(surveyPath);
    await page.getByRole('heading', { level: 1, name: SURVEY_TITLE }).waitFor();
    expect(await page.evaluate(() => document.body.classList.contains('lv-scheme-wb'))).toBe(true);
    expect(await style(page, '.survey-q')).toMatchObject({ color: 'rgb(255, 255, 255)', background: 'rgb(0, 0, 0)' });
    await expectAccessible(page, 'анкета, версия для слабовидящих');
    // The screenshot at ×2 in white on black: the root font is twice the usual, and the pixels are black with white
    // text (the usual survey is dark text on a light page).
    expect(await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize))).toBeCloseTo(rootBefore * 2, 1);
    const shot = await screenshotColours(page);
    expect(Math.max(...shot.background), `фон ${shot.background.join(',')}`).toBeLessThanOrEqual(20);
    expect(shot.share).toBeGreaterThan(0.5);
    expect(Math.min(...shot.text), `текст ${shot.text.join(',')}`).toBeGreaterThanOrEqual(235);

    // Off again: the usual look; the signed-in pages never get the classes.
    await page.getByRole('button', { name: 'Версия для слабовидящих' }).click();
    await expect.poll(() => page.evaluate(() => document.body.className)).toBe('');
    expect(await style(page, 'h1')).not.toMatchObject({ color: 'rgb(255, 255, 255)' });
    await page.reload();
    await page.getByRole('heading', { level: 1, name: SURVEY_TITLE }).waitFor();
    expect(await page.getByRole('button', { name: 'Версия для слабовидящих' }).getAttribute('aria-pressed')).toBe('false');
    expect(await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize))).toBeCloseTo(rootBefore, 1);
    expect(Math.min(...(await screenshotColours(page)).background)).toBeGreaterThanOrEqual(200);
  });
});

describe('версия для слабовидящих на страницах после входа и на странице входа', () => {
  const looks = (page: Page) =>
    page.evaluate(() => {
      const cs = (s: string) => {
        const e = document.querySelector(s);
        return e ? { color: getComputedStyle(e).color, background: getComputedStyle(e).backgroundColor } : null;
      };
      return { root: parseFloat(getComputedStyle(document.documentElement).fontSize), body: cs('body'), header: cs('.app-header'), nav: cs('.app-nav a'), h1: cs('main h1') };
    });

  it('кнопка в шапке открывает те же настройки: ×2, белым по чёрному, запоминается для всех страниц; принудительные цвета системы', async () => {
    const page = await rolePage('analyst');
    await page.goto('/organisations');
    await page.getByText('Найдено организаций: 51').waitFor();
    const usual = await looks(page);
    expect(await page.evaluate(() => document.body.className)).toBe('');
    const header = page.locator('header.app-header');
    const toggle = header.getByRole('button', { name: 'Версия для слабовидящих' });
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    expect(await page.getByRole('group', { name: 'Настройки версии для слабовидящих' }).count()).toBe(0);

    // From the keyboard: Tab reaches the button in the header, Enter turns the version on and shows its settings.
    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('true');
    const settings = header.getByRole('group', { name: 'Настройки версии для слабовидящих' });
    expect(await toggle.getAttribute('aria-controls')).toBe(await settings.getAttribute('id'));
    await settings.getByRole('radio', { name: '×2' }).check();
    await settings.getByRole('radio', { name: 'Белым по чёрному' }).check();
    expect(await page.evaluate(() => [...document.body.classList].sort())).toEqual(['low-vision', 'lv-scheme-wb', 'lv-size-200']);
    const big = await looks(page);
    expect(big.root).toBeCloseTo(usual.root * 2, 1);
    const whiteOnBlack = { color: 'rgb(255, 255, 255)', background: 'rgb(0, 0, 0)' };
    expect(big).toMatchObject({ body: whiteOnBlack, header: whiteOnBlack, h1: whiteOnBlack, nav: whiteOnBlack });
    expect(usual.header?.background).not.toBe('rgb(0, 0, 0)');
    await expectAccessible(page, 'реестр, версия для слабовидящих, белым по чёрному, ×2');
    const shot = await screenshotColours(page);
    expect(Math.max(...shot.background), `фон ${shot.background.join(',')}`).toBeLessThanOrEqual(20);
    expect(Math.min(...shot.text), `текст ${shot.text.join(',')}`).toBeGreaterThanOrEqual(235);
    // ×2 at 640 px (×2 of a 320 px screen's content): still no sideways scroll; the menu is behind «Меню».
    await page.setViewportSize({ width: 640, height: 800 });
    // Charts resize on a ResizeObserver after the viewport changes: wait for the layout to settle.
    await expect.poll(() => overflow(page)).toEqual({ scroll: 0, wide: [] });
    await page.setViewportSize({ width: 1280, height: 800 });

    // Another page of the menu keeps it; so does a reload, the analysis page and the public pages (one setting).
    await page.getByRole('navigation', { name: 'Основная навигация' }).getByRole('link', { name: 'Мониторинги' }).click();
    await page.getByRole('heading', { level: 1, name: 'Мониторинги' }).waitFor();
    expect(await page.evaluate(() => document.body.classList.contains('lv-scheme-wb'))).toBe(true);
    await page.goto(`${await campaignHref(page, SEED004)}/analysis`);
    await page.locator('table').first().getByText('5,6', { exact: true }).waitFor();
    expect(await page.evaluate(() => [...document.body.classList].sort())).toEqual(['low-vision', 'lv-scheme-wb', 'lv-size-200']);
    expect((await looks(page)).root).toBeCloseTo(usual.root * 2, 1);
    await page.goto('/public/campaigns');
    await page.getByRole('link', { name: SEED004 }).waitFor();
    expect(await page.evaluate(() => [...document.body.classList].sort())).toEqual(['low-vision', 'lv-scheme-wb', 'lv-size-200']);
    expect(await page.getByRole('button', { name: 'Версия для слабовидящих' }).getAttribute('aria-pressed')).toBe('true');

    // The system's forced colours win over the schemes: the settings say so instead of offering them; sizes stay.
    await page.goto('/organisations');
    await page.getByText('Найдено организаций: 51').waitFor();
    await page.emulateMedia({ forcedColors: 'active' });
    await settings.getByTestId('lv-forced-colors').waitFor();
    expect(await settings.getByRole('radio', { name: 'Белым по чёрному' }).count()).toBe(0);
    expect(await settings.getByRole('radio', { name: '×2' }).isChecked()).toBe(true);
    await page.emulateMedia({ forcedColors: 'none' });
    await settings.getByRole('radio', { name: 'Белым по чёрному' }).waitFor();
    expect(await settings.getByTestId('lv-forced-colors').count()).toBe(0);

    // Signed out: the login page has the same button, on.
    await page.getByRole('button', { name: 'Выйти' }).click();
    await page.getByRole('heading', { level: 1, name: 'Вход в систему' }).waitFor();
    const loginToggle = page.locator('header').getByRole('button', { name: 'Версия для слабовидящих' });
    expect(await loginToggle.getAttribute('aria-pressed')).toBe('true');
    expect(await page.evaluate(() => document.body.classList.contains('lv-size-200'))).toBe(true);
    await expectAccessible(page, 'вход, версия для слабовидящих');
    // Off: the usual look again.
    await loginToggle.click();
    await expect.poll(() => page.evaluate(() => document.body.className)).toBe('');
    expect(await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize))).toBeCloseTo(usual.root, 1);
  });
});
