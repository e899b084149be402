/** Browser journey of an import: the analyst uploads a CSV to an open campaign, maps a column the system did not
 * recognise, sees the per-cell error in the preview (nothing can be applied), uploads the fixed file, applies it with
 * the progress bar, and finds the values in the campaign's table and in the organisation's form with their source. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { signIn, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const HEADER = 'ИНН;Наименование;Численность обучающихся;Программы';
const BAD = `${HEADER}\r\n0261000001;№1;708;16\r\n0261000002;№2;15x2;20\r\n`;
const GOOD = `${HEADER}\r\n0261000001;№1;708;16\r\n0261000002;№2;1552;20\r\n`;

/** Creates and opens a campaign through the API from the signed-in page (the campaign UI has its own e2e test). */
async function openCampaign(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const { token } = (await (await fetch('/api/auth/csrf')).json()) as { token: string };
    const headers = { 'content-type': 'application/json', 'x-csrf-token': token };
    const body = { title: 'Импорт из Навигатора (e2e)', methodologyId: 'talents-2021', methodologyVersion: '2021.1', period: '2021/2022', participants: { mode: 'all' }, opensOn: '2022-02-15', dueOn: '2022-06-01', closesOn: '2099-06-30' };
    const c = (await (await fetch('/api/campaigns', { method: 'POST', headers, body: JSON.stringify(body) })).json()) as { id: string };
    await fetch(`/api/campaigns/${c.id}/open`, { method: 'POST', headers, body: '{}' });
    return c.id;
  });
}

async function upload(page: Page, campaignId: string, name: string, text: string): Promise<void> {
  await page.goto(`/campaigns/${campaignId}`);
  // The machine may be busy: the campaign page loads its table first.
  await page.getByRole('link', { name: 'Импорт из файла' }).waitFor({ timeout: 60_000 });
  await page.getByRole('link', { name: 'Импорт из файла' }).click();
  await page.getByRole('heading', { level: 1, name: 'Импорт данных из файла' }).waitFor();
  await page.getByLabel('Файл данных').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });
  await page.getByRole('button', { name: 'Загрузить' }).click();
  await page.getByRole('heading', { level: 1, name: `Импорт: ${name}` }).waitFor();
  await page.getByRole('heading', { name: 'Предпросмотр' }).waitFor();
}

describe('импорт в браузере', () => {
  it('аналитик загружает CSV, сопоставляет столбцы, видит ошибку в ячейке, исправляет файл и применяет с индикатором хода', async () => {
    const page = await h.newPage();
    await signIn(page, 'analyst');
    const campaignId = await openCampaign(page);

    await upload(page, campaignId, 'навигатор.csv', BAD);
    // Suggested: the organisation by ИНН and the students column by its title; «Программы» is mapped by hand.
    await expect.poll(() => page.getByLabel('Как найти организацию').inputValue()).toBe('inn');
    await expect.poll(() => page.getByLabel('Поле для столбца «Численность обучающихся»').inputValue()).toBe('students');
    await page.getByLabel('Поле для столбца «Программы»').selectOption('programmes');
    await page.getByRole('button', { name: 'Проверить' }).click();
    const bad = page.locator('.import-preview td.cell-error');
    await bad.waitFor();
    expect(await bad.count()).toBe(1);
    expect(await bad.innerText()).toContain('«15x2» — не число');
    await page.getByText('Строка 3, столбец «Численность обучающихся»: «15x2» — не число').waitFor();
    expect(await page.getByRole('button', { name: 'Применить импорт' }).isDisabled()).toBe(true);

    await upload(page, campaignId, 'навигатор-исправленный.csv', GOOD);
    await page.getByLabel('Поле для столбца «Программы»').selectOption('programmes');
    await page.getByRole('button', { name: 'Проверить' }).click();
    await page.getByText('Ошибок нет: можно применять (2 строки).').waitFor();
    await page.getByLabel('Сохранить сопоставление под названием (необязательно)').fill('Навигатор (e2e)');
    await page.getByRole('button', { name: 'Применить импорт' }).click();
    await page.locator('.job-progress progress').waitFor();
    await page.getByText('Импорт применён: записано значений — 4 по 2 организациям').waitFor();

    await page.getByRole('link', { name: 'Перейти к мониторингу' }).click();
    const row1 = page.locator('table tbody tr', { has: page.getByRole('link', { name: '№1', exact: true }) });
    await expect.poll(() => row1.innerText()).toContain('66%');
    await row1.getByRole('link', { name: '№1', exact: true }).click();
    await expect.poll(() => page.getByRole('textbox', { name: 'Численность обучающихся' }).inputValue()).toBe('708');

    // Next time the saved mapping is offered.
    await upload(page, campaignId, 'ещё.csv', GOOD);
    await page.getByLabel('Сохранённое сопоставление').selectOption({ label: 'Навигатор (e2e)' });
    await expect.poll(() => page.getByLabel('Поле для столбца «Программы»').inputValue()).toBe('programmes');
  });
});
