/** Issue 16 in the browser: on «Расчёт по файлу» every discrepancy of seed 004 shows how it may have been obtained. */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startHarness, type Harness } from './harness.ts';

const SEED_004 = fileURLToPath(new URL('../../../shared/fixtures/seed-004/organisations.csv', import.meta.url));

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('диагноз расхождений на странице «Расчёт по файлу»', () => {
  it('Петровское — значение Кинзебулатово; ДОУ №33 — граница «от 7,6» прочитана как «свыше 7,6»', async () => {
    const page = await h.newPage();
    await signIn(page, 'analyst');
    await page.goto('/compute');
    await page.getByRole('heading', { level: 1, name: 'Расчёт по файлу' }).waitFor();
    await page.getByLabel('Методика').selectOption('talents-2021/2021.1');
    await page.getByLabel('Файл с данными').setInputFiles(SEED_004);
    await page.getByRole('button', { name: 'Рассчитать' }).click();
    const table = page.getByRole('table', { name: 'Расхождения с опубликованными данными' });
    await table.waitFor();
    expect(await table.locator('thead').innerText()).toContain('Как могло получиться');
    const texts = await table.locator('tbody tr').allInnerTexts();
    expect(texts.find((t) => t.includes('Петровское'))).toContain('так получается, если взять значение другой организации — «Кинзебулатово»: 3,704 → 3,7');
    expect(texts.find((t) => t.includes('ДОУ №33'))).toContain('прочитать нижнюю границу «от 7,6» уровня «высокий» как «свыше 7,6»');
    expect(texts.find((t) => t.includes('Канакаево'))).toContain('(ещё объяснений: 1)');
  });
});
