/** Browser journeys over the management cycle: the analyst imports a road map from the seed-001 template, sees
 * overdue deadlines and marks one done; issues a recommendation that the school reports on and the analyst verifies.
 * The real server (PGlite, demo data, the real clock) and chromium. */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startHarness, type Harness } from './harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

describe('управленческий цикл в браузере', () => {
  it('аналитик импортирует дорожную карту 2022 года, видит просроченные сроки, отмечает выполнение, скачивает календарь', async () => {
    const page = await h.newPage();
    await signIn(page, 'analyst');
    await page.getByRole('navigation', { name: 'Основная навигация' }).getByRole('link', { name: 'Дорожные карты' }).click();
    await page.getByRole('heading', { level: 1, name: 'Дорожные карты' }).waitFor();
    await page.getByRole('tab', { name: 'Способности и таланты детей и молодежи' }).click();
    await page.getByRole('spinbutton', { name: 'Год' }).fill('2022');
    // The completeness panel below lists the same gap in lower case once it has loaded: take the table's notice.
    await page.locator('.alert-info', { hasText: 'Дорожная карта на 2022 год не загружена' }).waitFor();

    await page.getByRole('button', { name: 'Импортировать дорожную карту из шаблона' }).click();
    await page.getByText('Импортировано мероприятий: 12 из 12.').waitFor();
    const quarterly = page.locator('tbody tr', { hasText: 'Организация и проведение муниципального мониторинга достижений' });
    await quarterly.waitFor();
    expect(await quarterly.innerText()).toContain('ежеквартально (до 15 числа месяца, следующего за отчетным периодом)');
    // 2022 is in the past: every dated deadline of the year is overdue, shown in red.
    const overdue = quarterly.locator('.badge-overdue');
    expect(await overdue.count()).toBe(4);
    expect(await overdue.first().innerText()).toBe('просрочено');
    expect(await overdue.first().evaluate((el) => getComputedStyle(el).color)).toBe('rgb(179, 38, 30)');

    // Importing again adds nothing.
    await page.getByRole('button', { name: 'Импортировать дорожную карту из шаблона' }).click();
    await page.getByText('Все 12 мероприятий шаблона уже импортированы — ничего не добавлено.').waitFor();

    await quarterly.getByRole('button', { name: /Отметить выполнение/ }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Отметить выполнение' });
    await dialog.getByLabel('Ссылка на документ (подтверждение)').fill('https://eduzaozersk.ru/monitoring-q1-2022.pdf');
    await dialog.getByRole('button', { name: 'Сохранить' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => quarterly.locator('.badge-overdue').count()).toBe(3);
    expect(await quarterly.locator('.badge-done-late').innerText()).toBe('выполнено с опозданием');
    expect(await quarterly.getByRole('link', { name: 'документ' }).getAttribute('href')).toBe('https://eduzaozersk.ru/monitoring-q1-2022.pdf');

    const panel = page.locator('section.completeness');
    await panel.getByText(/мероприятие дорожной карты просрочено: «Организация и проведение муниципального мониторинга достижений/).first().waitFor();
    expect(await panel.innerText()).toContain('Корректировка дорожной карты');

    const ics = page.getByRole('link', { name: 'Скачать календарь (.ics)' });
    expect(await ics.getAttribute('href')).toBe('/api/roadmaps/talents/2022.ics');
    const body = await page.evaluate(async () => (await fetch('/api/roadmaps/talents/2022.ics')).text());
    expect(body.match(/BEGIN:VEVENT/g)).toHaveLength(25);
  });

  it('аналитик выдаёт рекомендацию школе №1, школа отчитывается, аналитик подтверждает; ДОУ её не видит', async () => {
    const analyst = await h.newPage();
    await signIn(analyst, 'analyst');
    await analyst.goto('/recommendations?direction=talents');
    await analyst.getByRole('heading', { level: 1, name: 'Рекомендации и решения' }).waitFor();
    await analyst.getByRole('button', { name: 'Выдать рекомендацию' }).click();
    const create = analyst.getByRole('dialog', { name: 'Выдать адресную рекомендацию' });
    await create.getByLabel('Адресат').selectOption('head');
    await create.getByLabel('Организации').locator('option', { hasText: '№1 — ' }).first().waitFor({ state: 'attached' });
    const value = await create.getByLabel('Организации').locator('option', { hasText: '№1 — ' }).first().getAttribute('value');
    await create.getByLabel('Организации').selectOption([value!]);
    await create.getByLabel('Текст рекомендации').fill('Довести охват дополнительным образованием до 75 %');
    await create.getByRole('button', { name: 'Сохранить' }).click();
    await analyst.getByText('Выдано рекомендаций: 1.').waitFor();
    expect(await analyst.locator('tbody tr', { hasText: 'Довести охват' }).innerText()).toContain('нет решения');

    const school = await h.newPage();
    await signIn(school, 'oo1');
    await school.getByRole('link', { name: 'Рекомендации' }).click();
    await school.getByRole('tab', { name: 'Способности и таланты детей и молодежи' }).click();
    const row = school.locator('tbody tr', { hasText: 'Довести охват' });
    await row.getByRole('button', { name: 'Отчитаться о выполнении' }).click();
    const report = school.getByRole('dialog', { name: 'Отчёт о выполнении рекомендации' });
    await report.getByLabel('Что сделано').fill('Открыто 3 новых объединения, охват 78 %');
    await report.getByLabel('Ссылка на подтверждающий документ').fill('https://school1.example/prikaz-15.pdf');
    await report.getByRole('button', { name: 'Подтвердить' }).click();
    await expect.poll(() => row.locator('.badge').innerText()).toBe('выполнена (отчёт ОО)');
    expect(await row.getByRole('button', { name: 'Подтвердить выполнение' }).count()).toBe(0);

    const preschool = await h.newPage();
    await signIn(preschool, 'dou34');
    await preschool.goto('/recommendations?direction=talents');
    await preschool.getByText('Рекомендаций по направлению нет').waitFor();

    await analyst.reload();
    const arow = analyst.locator('tbody tr', { hasText: 'Довести охват' });
    await arow.getByRole('button', { name: 'Подтвердить выполнение' }).click();
    await analyst.getByRole('dialog', { name: 'Подтвердить выполнение' }).getByRole('button', { name: 'Подтвердить' }).click();
    await expect.poll(() => arow.locator('.badge').innerText()).toBe('выполнение подтверждено');
  });

  it('аналитик предлагает рекомендации по правилам методики talents-2021 на данных seed 004 и выдаёт их', async () => {
    const page = await h.newPage();
    await signIn(page, 'analyst');
    await page.goto('/recommendations?direction=talents');
    await page.getByRole('button', { name: 'Предложить по правилам методики' }).click();
    const dialog = page.getByRole('dialog', { name: 'Предложить рекомендации по правилам методики' });
    await dialog.getByLabel('Методика').locator('option', { hasText: 'talents-2021' }).first().waitFor({ state: 'attached' });
    await dialog.getByLabel('Методика').selectOption('talents-2021@2021.1');
    await dialog.getByLabel('Файл данных (CSV или XLSX)').setInputFiles(fileURLToPath(new URL('../../../shared/fixtures/seed-004/organisations.csv', import.meta.url)));
    await dialog.getByRole('button', { name: 'Рассчитать и предложить' }).click();
    await dialog.getByText('Предложения (11)').waitFor();
    expect(await dialog.getByText(/основание: diversity_index_level/).count()).toBe(11);
    await dialog.getByRole('button', { name: 'Выдать выбранные (11)' }).click();
    await page.getByText('Выдано рекомендаций: 11.').waitFor();
    // The list reloads after the message appears; wait for it rather than read it once.
    await expect.poll(() => page.locator('tbody tr', { hasText: 'Разнообразить количество и качество программ' }).count()).toBe(11);
  });
});
