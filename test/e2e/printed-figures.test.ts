/** Browser journey: printed figures one by one (issue 15, item 4) on the demo year. The analyst opens «Протокол № 6 …»
 * of the 2021 campaign, corrects Петровское's printed 3,7 to 3,3 (the disagreement disappears, the history keeps 3,7),
 * is refused an unreadable number in Russian, enters №1's 2,6 with its place in the report (a new disagreement appears),
 * and undoes it with a reason (the previous 2,3 is back, the disagreement disappears; the history keeps 2,6). */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSeed004Report } from '../support/printed-report-docx.ts';
import { signIn, startHarness, type Harness } from './harness.ts';

const SEED004 = /^Мониторинг охвата дополнительным образованием, 2021$/;
const PROTOCOL = 'Протокол № 6 заседания рабочей группы от 30.06.2022';

let h: Harness;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'msoko-printed-figures-e2e-'));
  await writeFile(path.join(dir, 'справка.docx'), await buildSeed004Report());
  // Seed 004's organisations without the columns the report printed.
  const seed = (await readFile(fileURLToPath(new URL('../../../shared/fixtures/seed-004/organisations.csv', import.meta.url)), 'utf8')).trim().split(/\r?\n/);
  await writeFile(path.join(dir, 'данные.csv'), `${seed.map((l) => l.split(',').slice(0, 5).join(',')).join('\n')}\n`);
  h = await startHarness({ demoYear: true });
});

afterAll(async () => {
  await h?.close();
  await rm(dir, { recursive: true, force: true });
});

async function disagreementLabels(page: Page, title = PROTOCOL): Promise<string[]> {
  const table = page.getByRole('article', { name: title }).getByTestId('printed-disagreements');
  await table.waitFor();
  return table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => `${(r.children[0] as HTMLElement).innerText.trim()} ${(r.children[2] as HTMLElement).innerText.trim()}`));
}

/** Waits until the disagreements' «row printed» pairs equal the expected ones (the analysis reloads after a change). */
async function expectDisagreements(page: Page, expected: string[], title = PROTOCOL): Promise<void> {
  await expect.poll(() => disagreementLabels(page, title), { timeout: 15_000 }).toEqual(expected);
}

async function openAnalysis(page: Page): Promise<void> {
  await page.goto('/campaigns');
  const link = page.getByRole('link', { name: SEED004 }).first();
  await link.waitFor();
  await page.goto(`${await link.getAttribute('href')}/analysis`);
}

describe('значения опубликованного отчёта по одному', () => {
  it('аналитик исправляет значение Петровского, вносит 2,6 для №1 с местом в отчёте и отменяет его с причиной', async () => {
    const page = await h.newPage();
    await signIn(page, 'analyst');
    await page.goto('/campaigns');
    const link = page.getByRole('link', { name: SEED004 }).first();
    await link.waitFor();
    await page.goto(`${await link.getAttribute('href')}/analysis`);
    const card = page.getByRole('article', { name: PROTOCOL });
    await card.waitFor();
    const loyalty = ['Общеобразовательные организации 86', 'Дошкольные образовательные организации 80', 'Организации дополнительного образования 92', 'Итого 86'];
    await expectDisagreements(page, ['Канакаево средний', 'Петровское 3,7', 'ДОУ №33 выше среднего', ...loyalty]);

    await card.getByText('Значения отчёта по одному: внести, исправить, удалить').click();
    const figures = card.getByTestId('printed-figures');
    await figures.waitFor();
    expect(await figures.locator('tbody tr').count()).toBe(56);

    // Correct Петровское: 3,7 → 3,3.
    await card.getByRole('button', { name: /^Исправить: Петровское, 2\.1\. / }).click();
    const fix = card.getByRole('form', { name: /^Исправить значение отчёта/ });
    expect(await fix.getByLabel('Значение, как напечатано').inputValue()).toBe('3,7');
    await fix.getByLabel('Значение, как напечатано').fill('3,3');
    await fix.getByLabel('Место в отчёте').fill('Таблица № 3, строка 26');
    await fix.getByRole('button', { name: 'Сохранить исправление' }).click();
    await card.getByRole('status').filter({ hasText: 'Значение исправлено; прежнее осталось в истории.' }).waitFor();
    await expectDisagreements(page, ['Канакаево средний', 'ДОУ №33 выше среднего', ...loyalty]);
    const petrovskoe = figures.locator('tbody tr').filter({ has: page.getByRole('cell', { name: 'Петровское', exact: true }) });
    await expect.poll(() => petrovskoe.locator('td').nth(2).innerText()).toBe('3,3, «средний»');
    expect(await petrovskoe.locator('td').nth(3).innerText()).toBe('Таблица № 3, строка 26');
    const history = await petrovskoe.locator('td').nth(4).locator('li').allInnerTexts();
    expect(history.map((l) => l.replace(/^\d\d\.\d\d\.\d{4},? \d\d:\d\d(:\d\d)?, /, ''))).toEqual(['analyst: внесено 3,3, «средний»', 'analyst: внесено 3,7, «средний»']);

    // A figure over №1's: an unreadable number is refused, then 2,6 with its place — a new disagreement.
    const add = card.getByRole('form', { name: /^Внести значение отчёта/ });
    await add.getByLabel('Строка отчёта').selectOption({ label: '№1' });
    const diversity = (await add.getByLabel('Показатель').locator('option').allInnerTexts()).find((t) => t.startsWith('2.1. '))!;
    await add.getByLabel('Показатель').selectOption({ label: diversity });
    await add.getByLabel('Значение, как напечатано').fill('2,6 балла');
    await add.getByRole('button', { name: 'Внести значение' }).click();
    await add.getByText('«2,6 балла» — не число (пишите, как напечатано: «5,6», «58,6 %», «86»)').waitFor();
    await add.getByLabel('Значение, как напечатано').fill('2,6');
    await add.getByLabel('Уровень, как напечатан').fill('ниже среднего');
    await add.getByLabel('Место в отчёте').fill('Таблица № 3, строка 1');
    await add.getByRole('button', { name: 'Внести значение' }).click();
    await expectDisagreements(page, ['Канакаево средний', 'ДОУ №33 выше среднего', ...loyalty, '№1 2,6']);

    // Undo with a reason: the previous 2,3 is back in force, the disagreement goes, the history keeps 2,6.
    const first = figures.locator('tbody tr').filter({ has: page.getByRole('cell', { name: '№1', exact: true }) });
    await expect.poll(() => first.locator('td').nth(2).innerText()).toBe('2,6, «ниже среднего»');
    await first.getByRole('button', { name: /^Удалить: №1, 2\.1\. / }).click();
    await first.getByRole('button', { name: 'Удалить значение' }).click();
    await first.getByText('Укажите причину').waitFor();
    expect(await first.getByLabel('Вернуть прежнее значение: 2,3, «ниже среднего»').isChecked()).toBe(true);
    await first.getByLabel('Причина удаления').fill('внесено по ошибке');
    await first.getByRole('button', { name: 'Удалить значение' }).click();
    await expectDisagreements(page, ['Канакаево средний', 'ДОУ №33 выше среднего', ...loyalty]);
    await expect.poll(() => first.locator('td').nth(2).innerText()).toBe('2,3, «ниже среднего»');
    const undone = await first.locator('td').nth(4).locator('li').allInnerTexts();
    expect(undone.map((l) => l.replace(/^\d\d\.\d\d\.\d{4},? \d\d:\d\d(:\d\d)?, /, ''))).toEqual([
      'analyst: возвращено прежнее 2,3, «ниже среднего» — причина: внесено по ошибке',
      'analyst: внесено 2,6, «ниже среднего»',
      'analyst: внесено 2,3, «ниже среднего»',
    ]);
  });

  it('значения из таблиц DOCX самого отчёта: предложенное сопоставление, ячейки, «Внести» — расхождения протокола', async () => {
    const page = await h.newPage();
    await signIn(page, 'analyst');
    await openAnalysis(page);
    const title = 'Справка по таблице № 3';
    await page.getByLabel('Название отчёта').fill(title);
    await page.getByLabel('Дата отчёта').fill('30.06.2022');
    await page.getByRole('button', { name: 'Прикрепить' }).click();
    const card = page.getByRole('article', { name: title });
    await card.getByText('Значения отчёта ещё не внесены.').waitFor();
    await card.getByLabel('Прочитать значения из таблиц самого отчёта (DOCX)').setInputFiles(path.join(dir, 'справка.docx'));
    const wizard = card.getByTestId('printed-docx');
    const figures = wizard.getByTestId('printed-docx-figures');
    await figures.waitFor();
    expect(await wizard.getByLabel('Таблица документа').locator('option:checked').innerText()).toMatch(/^Таблица 2: № п\/п; Наименование ОУ; Численность детей в ОУ \(54 строк\)$/);
    expect(await wizard.getByLabel('Столбец с названиями организаций').locator('option:checked').innerText()).toBe('2. Наименование ОУ');
    expect(await wizard.getByLabel(/^Столбец 5: /).locator('option:checked').innerText()).toMatch(/^2\.1\. Индекс многообразия .* — значение$/);
    expect(await wizard.getByLabel(/^Столбец 6: /).locator('option:checked').innerText()).toMatch(/^2\.1\. Индекс многообразия .* — уровень$/);
    expect(await wizard.getByLabel(/^Столбец 3: /).locator('option:checked').innerText()).toBe('не вносить');
    expect(await figures.locator('tbody tr').count()).toBe(52);
    const petrovskoe = figures.locator('tbody tr').filter({ has: page.getByRole('cell', { name: 'Петровское', exact: true }) });
    expect((await petrovskoe.locator('td').allInnerTexts()).slice(2)).toEqual(['3,7', 'средний', expect.stringMatching(/^таблица 2, строка 28, столбец 5 /)]);

    await wizard.getByRole('button', { name: 'Внести 52 значения' }).click();
    await card.getByRole('status').filter({ hasText: 'Из файла «справка.docx» внесены 52 значения.' }).waitFor();
    await expectDisagreements(page, ['Канакаево средний', 'Петровское 3,7', 'ДОУ №33 выше среднего'], title);
  });

  it('«Расчёт по файлу» с DOCX отчёта: три расхождения протокола без опубликованных столбцов в данных', async () => {
    const page = await h.newPage();
    await signIn(page, 'analyst');
    await page.goto('/compute');
    await page.getByLabel('Методика').selectOption('talents-2021/2021.1');
    await page.getByLabel('Файл с данными').setInputFiles(path.join(dir, 'данные.csv'));
    await page.getByLabel('Опубликованный отчёт (необязательно)').setInputFiles(path.join(dir, 'справка.docx'));
    await page.getByRole('button', { name: 'Рассчитать' }).click();
    const summary = page.getByTestId('compute-printed');
    await summary.waitFor();
    expect(await summary.getByRole('heading').innerText()).toBe('Опубликованный отчёт «справка.docx»');
    expect(await summary.locator('p').first().innerText()).toBe('Значений: 52, совпадают с расчётом: 101, расходятся: 3 (в списке расхождений ниже).');
  });
});
