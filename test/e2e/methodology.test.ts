/** Browser journey over methodologies: the analyst computes seed 004's diversity index from the transcribed file
 * and sees the figures, the explanation and the three discrepancies with the published report. */
import { readFileSync } from 'node:fs';
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

describe('методики в браузере', () => {
  it('аналитик загружает данные seed 004: Петровское 3,3, три расхождения, пояснение, итог 5,6', async () => {
    const page = await h.newPage();
    await signIn(page, 'analyst');
    expect(await page.locator('header').innerText()).toContain('Аналитик');

    await page.getByRole('link', { name: 'Методики' }).click();
    await page.getByRole('heading', { level: 1, name: 'Методики' }).waitFor();
    await expect.poll(() => page.locator('table tbody tr').count()).toBeGreaterThanOrEqual(1);

    await page.getByRole('navigation', { name: 'Основная навигация' }).getByRole('link', { name: 'Расчёт по файлу' }).click();
    await page.getByRole('heading', { level: 1, name: 'Расчёт по файлу' }).waitFor();
    await page.getByLabel('Методика').selectOption('talents-2021/2021.1');
    await page.getByLabel('Файл с данными').setInputFiles(SEED_004);
    await page.getByRole('button', { name: 'Рассчитать' }).click();

    const results = page.getByRole('table', { name: 'Результаты организаций' });
    await results.waitFor();
    const petrovskoe = results.getByRole('row', { name: /Петровское/ });
    expect(await petrovskoe.getByRole('button').innerText()).toBe('3,3');

    const discrepancies = page.getByRole('table', { name: 'Расхождения с опубликованными данными' });
    const rows = discrepancies.locator('tbody tr');
    expect(await rows.count()).toBe(3);
    const texts = await rows.allInnerTexts();
    const petr = texts.find((t) => t.includes('Петровское')) ?? '';
    expect(petr).toContain('3,7');
    expect(petr).toContain('3,3');
    expect(petr).toContain('значение');
    expect(texts.find((t) => t.includes('Канакаево'))).toContain('уровень');
    expect(texts.find((t) => t.includes('ДОУ №33'))).toContain('уровень');

    await petrovskoe.getByRole('button').click();
    const explanation = await page.getByTestId('explanation').innerText();
    expect(explanation).toMatch(/^12 \/ 359 × 100 = 3,34 → 3,3/);

    const totals = page.getByRole('table', { name: 'Итоги по муниципалитету' });
    const mean = totals.getByRole('row', { name: /среднее индексов организаций/ });
    expect(await mean.locator('td.num').innerText()).toBe('5,6');
  });
});

describe('версии методик в браузере', () => {
  const LIBRARY_YAML = fileURLToPath(new URL('../../library/talents-2021.yaml', import.meta.url));

  it('аналитик видит таблицу критериев, проверяет и сохраняет новую версию; повтор той же версии отклоняется', async () => {
    const yaml = readFileSync(LIBRARY_YAML, 'utf8').replace(/^version: .*$/m, 'version: "2021.2"');
    const page = await h.newPage();
    await signIn(page, 'analyst');
    await page.goto('/methodologies');
    await page.locator('table tbody tr', { hasText: 'talents-2021' }).getByRole('link').click();
    const criteria = page.getByRole('table', { name: 'Критерии и баллы' });
    await criteria.waitFor();
    expect(await criteria.locator('tfoot').innerText()).toContain('15');
    const diversity = await criteria.getByRole('row', { name: /2\.1/ }).innerText();
    expect(diversity).toContain('Индекс многообразия');
    expect(diversity).toContain('→ 3 балла');

    await page.goto('/methodologies');
    await page.getByRole('link', { name: 'Загрузить новую версию' }).click();
    await page.getByLabel('Текст методики (YAML)').fill('id: broken\nversion: [');
    await page.getByRole('button', { name: 'Проверить' }).click();
    expect(await page.getByRole('alert').innerText()).toContain('строка');
    expect(await page.getByRole('button', { name: 'Сохранить версию' }).isDisabled()).toBe(true);

    await page.getByLabel('Текст методики (YAML)').fill(yaml);
    await page.getByRole('button', { name: 'Проверить' }).click();
    await page.getByText('ошибок нет', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Сохранить версию' }).click();
    await page.getByRole('table', { name: 'Критерии и баллы' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/methodologies/talents-2021/2021.2');
    expect(await page.locator('dl').innerText()).toContain('Загружена пользователем');

    await page.goto('/methodologies');
    const versions = page.locator('table tbody tr', { hasText: 'talents-2021' });
    await expect.poll(() => versions.count()).toBe(2);
    expect((await versions.allInnerTexts()).map((t) => t.split('\t')[1])).toEqual(['2021.1', '2021.2']);

    await page.getByRole('link', { name: 'Загрузить новую версию' }).click();
    await page.getByLabel('Текст методики (YAML)').fill(yaml);
    await page.getByRole('button', { name: 'Проверить' }).click();
    await page.getByText('Версия уже существует — версии неизменяемы', { exact: false }).waitFor();
    expect(await page.getByRole('button', { name: 'Сохранить версию' }).isDisabled()).toBe(true);

    // The server refuses by itself, not only the disabled button.
    const refused = await page.evaluate(async (text) => {
      const { token } = (await (await fetch('/api/auth/csrf')).json()) as { token: string };
      const r = await fetch('/api/methodologies', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': token },
        body: JSON.stringify({ yaml: text }),
      });
      return { status: r.status, body: (await r.json()) as { error: { message: string } } };
    }, yaml);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe('Версия уже существует — версии неизменяемы');
  });

  it('член рабочей группы только читает методики', async () => {
    const page = await h.newPage();
    await signIn(page, 'wg');
    await page.getByRole('link', { name: 'Методики' }).click();
    await page.getByRole('heading', { level: 1, name: 'Методики' }).waitFor();
    await expect.poll(() => page.locator('table tbody tr').count()).toBeGreaterThanOrEqual(1);
    expect(await page.getByRole('link', { name: 'Загрузить новую версию' }).count()).toBe(0);
    expect(await page.getByRole('navigation', { name: 'Основная навигация' }).innerText()).not.toContain('Расчёт по файлу');
    await page.goto('/methodologies/new');
    await page.getByRole('heading', { name: 'Доступ запрещён' }).waitFor();
    const status = await page.evaluate(async () => {
      const { token } = (await (await fetch('/api/auth/csrf')).json()) as { token: string };
      const r = await fetch('/api/methodologies/lint', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': token },
        body: JSON.stringify({ yaml: 'id: x' }),
      });
      return r.status;
    });
    expect(status).toBe(403);
  });

  it('редактор: код показателя меняется, повтор кода назван по-русски, изменение названо словами', async () => {
    const page = await h.newPage();
    await signIn(page, 'analyst');
    await page.goto(`${h.url}/methodologies/talents-2021/2021.1/edit`);
    const coverage = page.locator('details', { has: page.locator('summary', { hasText: /^2\.2 / }) });
    await coverage.locator('summary').click();
    const code = coverage.getByLabel('Код (номер в документе)');
    expect(await code.inputValue()).toBe('2.2');
    await code.fill('2.1');
    await coverage.getByText(/^Код «2\.1» уже у показателя «Индекс многообразия программ/).waitFor();
    await code.fill('2.3');
    expect(await coverage.getByText(/^Код «2\.\d» уже у показателя/).count()).toBe(0);
    await page.getByRole('button', { name: 'Проверить' }).click();
    const changes = page.getByRole('list', { name: 'Изменения новой версии' });
    await changes.waitFor();
    expect(await changes.getByRole('listitem').allInnerTexts()).toEqual(['показатель 2.3, номер: было 2.2, стало 2.3']);
  });
});
