/** Browser journey of issue 22, item 5: a campaign on direction-preparation 2021.2 over the demo schools; the analyst
 * opens «Импорт данных» → «Отчёты ФИС ОКО и ГИА», uploads the synthetic fisoko-2025 XLSX reports with Математика,
 * 7 класс as a copy whose header says «Предмет: Матем.», resolves the alias «Матем.» → «Математика» in the wizard,
 * applies, and on the analysis page sees the ranking for Математика, 5 класс — every school's success share equal to
 * the file's «3» + «4» + «5» (worked out here from the XLSX cells) with the municipality's and the region's rows — and
 * the signs of non-objectivity of the two synthetic «non-objective» schools (СОШ №14 and Кулгунино). Next year's
 * campaign takes the same «Матем.» file without asking and shows each school's change against last year. A school without a login in the registry (№1) is found by name
 * and its printed login saved on the registry from the wizard. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeCampaignStatus, createCampaign } from '../../src/services/collection/campaigns.ts';
import { startHarness, signIn, type Harness } from './harness.ts';

const DIR = fileURLToPath(new URL('../../library/synthetic/fisoko-2025/', import.meta.url));
const ORIGINALS = ['статистика-математика-5.xlsx', 'статистика-русский-язык-5-7.xlsx', 'журнал-математика-5.xlsx', 'журнал-математика-7.xlsx', 'журнал-русский-язык-5.xlsx', 'журнал-русский-язык-7.xlsx'];
const ALIASED = 'статистика-матем-7.xlsx';

/** The workbook of статистика-математика-7.xlsx with «Предмет: Математика» changed to «Предмет: Матем.». */
async function aliasedCopy(): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(readFileSync(`${DIR}статистика-математика-7.xlsx`) as unknown as ArrayBuffer);
  const cell = wb.worksheets[0]!.getCell('A3');
  expect(cell.value).toBe('Предмет: Математика');
  cell.value = 'Предмет: Матем.';
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Every school row of the file: login and the shares of «2»…«5»; and the region's and the municipality's rows. */
async function sharesOf(name: string): Promise<{ schools: { login: string; shares: number[] }[]; region: number[]; municipality: number[] }> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(readFileSync(`${DIR}${name}`) as unknown as ArrayBuffer);
  const out = { schools: [] as { login: string; shares: number[] }[], region: [] as number[], municipality: [] as number[] };
  wb.worksheets[0]!.eachRow((row) => {
    const label = String(row.getCell(1).value ?? '');
    const shares = [4, 5, 6, 7].map((c) => Number(row.getCell(c).value));
    const login = /^\((sch\d+)\)/.exec(label)?.[1];
    if (login) out.schools.push({ login, shares });
    else if (label === 'Республика Башкортостан') out.region = shares;
    else if (/муниципальный район$/.test(label)) out.municipality = shares;
  });
  return out;
}
const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
/** axe-core's WCAG 2.1 A/AA rules on the page as it is: the violations by rule and target. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async () => {
    type Result = { violations: { id: string; nodes: { target: string[] }[] }[] };
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<Result> } }).axe;
    const res = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return res.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`);
  });
}
const success = (s: readonly number[]) => Math.round(((s[1] ?? 0) + (s[2] ?? 0) + (s[3] ?? 0)) * 10 + 1e-6) / 10;
const percent = (v: number) => `${v.toFixed(1).replace('.', ',')}\u00A0%`;

let h: Harness;
let campaignId = '';
let nextYearId = '';
const shortByLogin = new Map<string, string>();

beforeAll(async () => {
  h = await startHarness({
    setup: async (db) => {
      const u = await db.selectFrom('users').select('id').where('login', '=', 'analyst').executeTakeFirstOrThrow();
      const actor = { userId: u.id, login: 'analyst', ip: '127.0.0.1' };
      for (const o of await db.selectFrom('organisations').select(['short_name', 'fisoko_login']).where('fisoko_login', 'is not', null).execute()) shortByLogin.set(o.fisoko_login as string, o.short_name);
      // №1 has no login in the registry yet: the reports find it by name, and the wizard offers to save its login.
      await db.updateTable('organisations').set({ fisoko_login: null }).where('fisoko_login', '=', 'sch021201').execute();
      const create = async (title: string, period: string) => {
        const c = await createCampaign(db, actor, { title, methodologyId: 'direction-preparation', methodologyVersion: '2021.2', period, participants: { mode: 'types', types: ['school'] }, opensOn: '2025-05-01', dueOn: '2025-06-30', closesOn: '2030-06-30' });
        await changeCampaignStatus(db, actor, c.id, 'open');
        return c.id;
      };
      campaignId = await create('ВПР 2025 (e2e)', '2024/2025');
      nextYearId = await create('ВПР 2026 (e2e)', '2025/2026');
    },
  });
}, 240_000);
afterAll(async () => {
  await h?.close();
});

describe('ФИС ОКО reports into a campaign through the browser', () => {
  it('upload with an alias, apply, the per-subject ranking and the signs of non-objectivity; next year no question', async () => {
    const copy = await aliasedCopy();
    // The page's CSP (script-src 'self') refuses axe-core's script tag: this context bypasses it.
    const context = await h.browser.newContext({ baseURL: h.url, locale: 'ru-RU', timezoneId: 'Asia/Yekaterinburg', bypassCSP: true });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    await signIn(page, 'analyst');
    await page.goto(`/campaigns/${campaignId}/imports`);
    await page.getByRole('heading', { name: 'Отчёты ФИС ОКО и ГИА' }).waitFor();
    await page.getByLabel('Файлы отчётов').setInputFiles([
      ...ORIGINALS.map((name) => ({ name, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: readFileSync(`${DIR}${name}`) })),
      { name: ALIASED, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: copy },
    ]);
    await page.getByRole('button', { name: 'Проверить отчёты ФИС ОКО' }).click();
    await page.getByRole('heading', { name: 'Импорт отчётов ФИС ОКО' }).waitFor();
    await page.getByText('Ошибок в файлах нет; осталось сопоставить школы или значения ниже.').waitFor();
    expect(await page.getByRole('button', { name: 'Применить отчёты' }).isDisabled()).toBe(true);
    const schools = page.getByTestId('fisoko-schools');
    expect(await schools.getByRole('row', { name: /^\(sch021201\) .* по наименованию/ }).count()).toBe(1);
    const offers = page.getByTestId('fisoko-login-offers');
    expect(await offers.locator('tbody tr').count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    expect(await page.getByLabel(`Сохранить логин sch021201 для «${shortByLogin.get('sch021201')}»`).isChecked()).toBe(true);
    await offers.getByRole('button', { name: 'Сохранить 1 логин в реестре' }).click();
    await page.getByText(`Логины ФИС ОКО сохранены в реестре: ${shortByLogin.get('sch021201')} — sch021201.`).waitFor();
    expect(await schools.getByRole('row', { name: /^\(sch021201\) .* по логину ФИС ОКО/ }).count()).toBe(1);
    expect(await page.getByTestId('fisoko-login-offers').count()).toBe(0);

    const alias = page.getByLabel('Значение для «Матем.» (Предмет)');
    expect(await alias.locator('option', { hasText: 'Математика (вероятно)' }).count()).toBe(1);
    await alias.selectOption('Математика');
    await page.getByRole('button', { name: 'Проверить' }).click();
    await page.getByText('Ошибок нет: можно применять', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Применить отчёты' }).click();
    await page.getByText('Отчёты применены: записано', { exact: false }).first().waitFor({ timeout: 60_000 });
    await page.getByRole('link', { name: 'Открыть анализ мониторинга' }).click();

    // The imported values are drafts of the schools' forms: the analyst looks at every entered value.
    await page.getByLabel('Какие данные учитывать').selectOption('all');
    const ranking = page.getByTestId('dimensional-ranking');
    await ranking.waitFor();
    await page.getByLabel('Предмет', { exact: true }).selectOption('Математика');
    await page.getByLabel('Класс', { exact: true }).selectOption({ label: '5 класс' });
    await page.getByLabel('Показатель рейтинга').selectOption({ label: 'Результативность ВПР по предмету в параллели (доля отметок «3» и выше)' });
    expect(await ranking.locator('caption').textContent()).toBe('Результативность ВПР по предмету в параллели (доля отметок «3» и выше) — Математика, 5 класс');

    const file = await sharesOf('статистика-математика-5.xlsx');
    const expected = file.schools.map((s) => ({ name: shortByLogin.get(s.login), value: success(s.shares) }));
    expect(expected.length).toBeGreaterThan(20);
    const shown = await ranking.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].slice(0, 3).map((td) => td.textContent ?? '')));
    expect(shown.map((r) => [r[1], r[2]])).toEqual(
      [...expected].sort((a, b) => b.value - a.value || String(a.name).localeCompare(String(b.name), 'ru', { sensitivity: 'base', numeric: true })).map((e) => [e.name, percent(e.value)]),
    );
    expect(shown[0]?.[0]).toMatch(/^1\*?$/);
    expect(await page.getByTestId('dimensional-comparison').textContent()).toBe(
      `Муниципалитет: ${percent(success(file.municipality))} (строка муниципалитета в отчёте) · Регион: ${percent(success(file.region))} (строка региона в отчёте)`,
    );

    expect(await axeViolations(page)).toEqual([]);
    if (process.env.SHOT) await page.screenshot({ path: process.env.SHOT, fullPage: true });

    // Математика, 7 класс came from the «Матем.» copy.
    await page.getByLabel('Класс', { exact: true }).selectOption({ label: '7 класс' });
    await ranking.locator('caption', { hasText: 'Математика, 7 класс' }).waitFor();
    expect(await ranking.locator('tbody tr').count()).toBe((await sharesOf('статистика-математика-7.xlsx')).schools.length);

    // The signs of non-objectivity: the two synthetic «non-objective» schools, in each of their four works.
    const signs = page.getByTestId('objectivity-signs');
    const rows = await signs.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent ?? '')));
    expect(new Set(rows.map((r) => r[0]))).toEqual(new Set([shortByLogin.get('sch021208'), shortByLogin.get('sch021221')]));
    expect(rows).toHaveLength(8);
    const math5 = file.schools.find((s) => s.login === 'sch021208')!;
    expect(rows).toContainEqual([shortByLogin.get('sch021208'), 'Математика', '5 класс', percent(math5.shares[3]!), percent(file.region[3]!), expect.stringMatching(/^\d+,\d\u00A0%$/)]);

    // Next year: the same spelling goes through without a question (the alias is saved for the methodology).
    await page.goto(`/campaigns/${nextYearId}/imports`);
    await page.getByLabel('Файлы отчётов').setInputFiles([{ name: ALIASED, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: copy }]);
    await page.getByRole('button', { name: 'Проверить отчёты ФИС ОКО' }).click();
    await page.getByText('Ошибок нет: можно применять', { exact: false }).waitFor();
    expect(await page.getByLabel('Значение для «Матем.» (Предмет)').count()).toBe(0);

    // Applied there, the ranking shows each school's change against last year's campaign: the same numbers, +0.
    await page.getByRole('button', { name: 'Применить отчёты' }).click();
    await page.getByRole('link', { name: 'Открыть анализ мониторинга' }).click({ timeout: 60_000 });
    await page.getByLabel('Какие данные учитывать').selectOption('all');
    await page.getByTestId('dimensional-ranking').waitFor();
    await page.getByLabel('Предмет', { exact: true }).selectOption('Математика');
    await page.getByLabel('Класс', { exact: true }).selectOption({ label: '7 класс' });
    const next = page.getByTestId('dimensional-ranking');
    expect(await next.locator('th').last().textContent()).toBe('Изменение (2024/2025 учебный год)');
    const changes = await next.locator('tbody tr td:last-child').allTextContents();
    expect(changes.length).toBe((await sharesOf('статистика-математика-7.xlsx')).schools.length);
    expect(changes.every((t) => /^0,0 \(было \d+,\d\u00A0%\)$/.test(t))).toBe(true);
    await context.close();
  });
});
