/** Browser journey of an anonymous survey: the analyst creates and opens it and takes an organisation's link from
 * the print sheet; a parent answers on a phone-sized touch screen without an account; the analyst sees the answer
 * counted (suppressed below the minimum); after closing, the link says the survey is over. Real server, chromium. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startHarness, type Harness } from './harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

describe('анонимный опрос в браузере', () => {
  it('аналитик создаёт опрос, родитель отвечает с телефона по ссылке, аналитик видит учтённый ответ', async () => {
    const page = await h.newPage();
    await signIn(page, 'analyst');
    await page.getByRole('navigation', { name: 'Основная навигация' }).getByRole('link', { name: 'Опросы' }).click();
    await page.getByRole('heading', { level: 1, name: 'Опросы' }).waitFor();
    await page.getByRole('link', { name: 'Создать опрос' }).click();
    await page.getByRole('heading', { name: 'Создать опрос' }).waitFor();

    await page.getByLabel('Название').fill('Удовлетворённость дополнительным образованием 2022');
    await page.getByLabel('Период').fill('2021/2022');
    await page.getByLabel('По типу организации').check();
    await page.getByLabel('УДО').check();
    await page.getByLabel('Начало опроса').fill('01.01.2020');
    await page.getByLabel('Окончание опроса').fill('31.12.2099');
    await page.getByRole('button', { name: 'Добавить вопрос' }).click();
    await page.getByLabel('Вопрос 2: текст').fill('Сколько лет ребёнок занимается?');
    await page.getByLabel('Вопрос 2: варианты ответа').fill('Меньше года\n1–2 года\nБольше 2 лет');
    await page.getByRole('button', { name: 'Создать опрос' }).click();

    await page.getByRole('heading', { level: 1, name: 'Удовлетворённость дополнительным образованием 2022' }).waitFor();
    await page.getByRole('button', { name: 'Открыть опрос' }).click();
    await page.getByRole('button', { name: 'Завершить опрос' }).waitFor();
    const surveyUrl = page.url();

    await page.getByRole('link', { name: 'Ссылки и QR-коды для печати' }).click();
    await page.getByRole('heading', { name: /ссылки и QR-коды/ }).waitFor();
    await expect.poll(() => page.locator('.print-card').count()).toBe(4);
    expect(await page.locator('.print-card svg').count()).toBe(4);
    const card = page.locator('.print-card').first();
    const orgName = (await card.getByRole('heading').innerText()).trim();
    const link = await card.locator('.url a').getAttribute('href');
    expect(link).toMatch(/\/s\/[A-Za-z0-9_-]{22}$/);
    const path = new URL(link ?? '').pathname;

    // The parent: a phone, touch, no account.
    const phone = await h.browser.newContext({ baseURL: h.url, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'ru-RU', deviceScaleFactor: 2 });
    try {
      const p = await phone.newPage();
      await p.goto(path);
      await p.getByRole('heading', { level: 1, name: 'Удовлетворённость дополнительным образованием 2022' }).waitFor();
      expect(await p.locator('.org').innerText()).toContain(orgName);
      // One column, nothing wider than the screen, large tap targets.
      const wide = await p.evaluate(() =>
        [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > 390.5).map((e) => `${e.tagName}.${e.className}`).slice(0, 5),
      );
      expect(wide).toEqual([]);
      expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      const box = await p.locator('.scale .tap').first().boundingBox();
      expect(box?.height).toBeGreaterThanOrEqual(44);
      expect(box?.width).toBeGreaterThanOrEqual(44);
      // Options are one line each: a small radio and the label text beside it.
      const option = await p.locator('label.tap', { hasText: '1–2 года' }).boundingBox();
      expect(option?.height).toBeGreaterThanOrEqual(44);
      expect(option?.height).toBeLessThan(80);
      const radio = await p.locator('label.tap', { hasText: '1–2 года' }).locator('input').boundingBox();
      expect(radio?.width).toBeLessThan(40);

      // Sending without answers shows what is missing.
      await p.getByRole('button', { name: 'Отправить ответ' }).tap();
      await p.getByText('Ответьте на вопрос 1').waitFor();

      await p.locator('.scale .tap', { hasText: /^9$/ }).tap();
      await p.locator('label.tap', { hasText: '1–2 года' }).tap();
      expect(await p.getByLabel('9 из 10').isChecked()).toBe(true);
      await p.getByRole('button', { name: 'Отправить ответ' }).tap();
      await p.getByRole('heading', { name: 'Спасибо!' }).waitFor();
      expect(await p.getByRole('status').innerText()).toContain('Ваш ответ принят');

      // The analyst sees the answer counted; one answer is below the minimum, so the organisation's figures are hidden.
      await page.goto(surveyUrl);
      const row = page.locator('table', { has: page.getByText('По организациям') }).locator('tbody tr', { hasText: orgName });
      await row.waitFor();
      const cells = await row.locator('td').allInnerTexts();
      // Организация | Детей | Ответов | Доля участия | (suppressed)
      expect(cells[0]).toContain(orgName);
      expect(cells[2]).toBe('1');
      expect(cells[4]).toBe('недостаточно ответов (< 5)');
      expect(await page.locator('dl').innerText()).toMatch(/Ответов\s+1/);

      // Closed: the same link says so in Russian.
      await page.getByRole('button', { name: 'Завершить опрос' }).click();
      await page.getByText('Опрос завершён', { exact: true }).waitFor();
      await p.goto(path);
      await p.getByText('Опрос завершён. Спасибо за интерес — ответы больше не принимаются.').waitFor();
      expect(await p.getByRole('button', { name: 'Отправить ответ' }).count()).toBe(0);
    } finally {
      await phone.close();
    }
  });
});
