/** Accessibility (issue 26) in Chromium on the demo year: axe-core's WCAG 2.1 A/AA rules find nothing on the pages the
 * journeys visit, signed in and public (login, public campaign, a public survey, registry, a campaign, its analysis,
 * recommendations, road maps, a school's form). */
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
