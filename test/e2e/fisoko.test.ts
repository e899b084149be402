/** Issue 22 in the browser: on «Расчёт по файлу» the analyst uploads a year's ФИС ОКО exports (marks and the journal
 * comparison for Математика 5) to the preparation passport and sees one row per school × subject × grade with the
 * sign of non-objectivity, then opens how one figure was computed. */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startHarness, type Harness } from './harness.ts';

const sample = (name: string) => fileURLToPath(new URL(`../../library/synthetic/fisoko-2025/${name}`, import.meta.url));

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('ФИС ОКО на странице «Расчёт по файлу»', () => {
  it('две выгрузки — строки школа × предмет × класс, признак необъективности у СОШ №14, расчёт значения', async () => {
    const page = await h.newPage();
    await signIn(page, 'analyst');
    await page.goto('/compute');
    await page.getByRole('heading', { level: 1, name: 'Расчёт по файлу' }).waitFor();
    await page.getByLabel('Методика').selectOption('direction-preparation/2021.2');
    await page.getByLabel('Файл с данными').setInputFiles([sample('статистика-математика-5.xlsx'), sample('журнал-математика-5.xlsx')]);
    expect(await page.getByTestId('chosen-files').innerText()).toContain('Выбрано файлов: 2');
    await page.getByRole('button', { name: 'Рассчитать' }).click();
    const table = page.getByRole('table', { name: 'Результаты организаций' });
    await table.waitFor();
    const head = await table.locator('thead').innerText();
    expect(head).toContain('Предмет');
    expect(head).toContain('Класс');
    expect(head).toContain('Признак необъективности результатов ВПР (объективность)');
    const row = table.locator('tbody tr', { hasText: 'МБОУ СОШ №14 г. Ишимбая' });
    expect(await row.count()).toBe(1);
    const cells = await row.locator('td').allInnerTexts();
    expect(cells.slice(0, 2)).toEqual(['Математика', '5 класс']);
    expect(await page.getByText(/Файлы: «статистика-математика-5\.xlsx» \(лист «Лист1»\), «журнал-математика-5\.xlsx»/).count()).toBe(1);
    // The sign column: «да» (1) for №14; its explanation shows the comparison with the region.
    const indicators = await table.locator('thead tr').first().locator('th[scope=colgroup]').allInnerTexts();
    const signAt = indicators.findIndex((t) => t.includes('объективность'));
    const signCell = row.locator('td').nth(2 + signAt * 3);
    expect((await signCell.innerText()).trim()).toBe('да');
    await signCell.getByRole('button').click();
    const explanation = await page.getByTestId('explanation').innerText();
    expect(explanation).toMatch(/^\d+(,\d+)? − \d+(,\d+)? ≥ 15 и \d+(,\d+)? ≥ 15 → да/);
    expect(await page.getByRole('heading', { level: 3, name: /МБОУ СОШ №14 г\. Ишимбая, Математика, 5 класс — Признак необъективности/ }).count()).toBe(1);
  });
});
