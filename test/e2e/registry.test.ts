/** Browser journeys over the registry: the administrator's work, an organisation's representative's limits,
 * and a failed sign-in. The real server (PGlite, demo data) and chromium. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnTexts, innFor, signIn, startHarness, type Harness } from './harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

describe('реестр организаций в браузере', () => {
  it('администратор входит, видит 51 организацию, добавляет новую, находит её в реестре и в журнале аудита, выходит', async () => {
    const page = await h.newPage();
    await signIn(page, 'admin');
    // The start page is «Что требует внимания» (issue 24); the registry is one click away.
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Что требует внимания');
    await page.getByRole('navigation', { name: 'Основная навигация' }).getByRole('link', { name: 'Реестр организаций' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Реестр организаций');
    await expect.poll(() => page.locator('table tbody tr').count()).toBe(51);
    expect(await page.getByText('Найдено организаций: 51').isVisible()).toBe(true);
    const names = await columnTexts(page, 1);
    expect(names).toContain('№1');
    expect(names).toContain('ДОУ №34');
    expect(await page.locator('header').innerText()).toContain('Администратор');

    await page.getByRole('link', { name: 'Добавить организацию' }).click();
    await page.getByRole('heading', { name: 'Добавить организацию' }).waitFor();

    // Errors are shown under the fields before anything is sent.
    await page.getByLabel('ИНН').fill('123');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.locator('.field-error').first().waitFor();
    expect(await page.locator('.field-error').count()).toBeGreaterThanOrEqual(2);

    const shortName = 'СОШ №99 (тест)';
    await page.getByLabel('Краткое наименование').fill(shortName);
    await page.getByLabel('Полное наименование').fill('Муниципальное бюджетное общеобразовательное учреждение СОШ №99 (тест)');
    await page.getByLabel('Тип').selectOption('school');
    await page.getByLabel('ИНН').fill(innFor('026100990'));
    await page.getByLabel('Дата открытия').fill('01.09.2022');
    await page.getByLabel('Центр «Точка роста»').check();
    await page.getByRole('button', { name: 'Сохранить' }).click();

    await page.getByRole('heading', { level: 1, name: shortName }).waitFor();
    expect(await page.locator('dl').innerText()).toContain('01.09.2022');

    await page.getByRole('navigation', { name: 'Основная навигация' }).getByRole('link', { name: 'Реестр организаций' }).click();
    await expect.poll(() => page.locator('table tbody tr').count()).toBe(52);
    expect(await columnTexts(page, 1)).toContain(shortName);

    await page.getByRole('link', { name: 'Журнал аудита' }).click();
    await page.getByRole('heading', { name: 'Журнал аудита' }).waitFor();
    const creation = page.locator('table tbody tr', { hasText: 'Добавление организации' });
    await creation.first().waitFor();
    const row = await creation.first().innerText();
    expect(row).toContain('admin');
    expect(row).toMatch(/\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}/);

    await page.getByRole('button', { name: 'Выйти' }).click();
    await page.getByRole('heading', { name: 'Вход в систему' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
  });

  it('представитель ОО видит только свою организацию; чужую страницу отклоняет сервер', async () => {
    const admin = await h.newPage();
    await signIn(admin, 'admin');
    const other = await admin.evaluate(async () => {
      const r = await fetch('/api/organisations?status=all');
      const body = (await r.json()) as { items: { id: string; shortName: string }[] };
      return body.items.find((o) => o.shortName === '№2');
    });
    expect(other?.shortName).toBe('№2');

    const page = await h.newPage();
    await signIn(page, 'oo1');
    expect(await page.locator('header').innerText()).toContain('Представитель ОО');
    await page.getByRole('navigation', { name: 'Основная навигация' }).getByRole('link', { name: 'Моя организация' }).click();
    await expect.poll(() => page.locator('table tbody tr').count()).toBe(1);
    expect(await columnTexts(page, 1)).toEqual(['№1']);
    const nav = await page.getByRole('navigation', { name: 'Основная навигация' }).innerText();
    expect(nav).not.toContain('Журнал аудита');

    await page.goto(`/organisations/${other!.id}`);
    await page.getByRole('heading', { name: 'Доступ запрещён' }).waitFor();
    expect(await page.getByRole('alert').innerText()).not.toBe('');

    const status = await page.evaluate(async (id) => (await fetch(`/api/organisations/${id}`)).status, other!.id);
    expect(status).toBe(403);

    await page.goto('/audit');
    await page.getByRole('heading', { name: 'Доступ запрещён' }).waitFor();
  });

  it('администратор изменяет, закрывает (ошибка даты от сервера под полем) и снова открывает организацию', async () => {
    const page = await h.newPage();
    await signIn(page, 'admin');
    const created = await page.evaluate(async (inn) => {
      const { token } = (await (await fetch('/api/auth/csrf')).json()) as { token: string };
      const r = await fetch('/api/organisations', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': token },
        body: JSON.stringify({ shortName: 'ДОУ №77 (тест)', fullName: 'МАДОУ детский сад №77 (тест)', type: 'preschool', inn, openedAt: '2022-09-01' }),
      });
      return (await r.json()) as { id: string };
    }, innFor('026100770'));

    await page.goto(`/organisations/${created.id}`);
    await page.getByRole('heading', { level: 1, name: 'ДОУ №77 (тест)' }).waitFor();
    await page.getByRole('link', { name: 'Изменить' }).click();
    await page.getByLabel('Краткое наименование').fill('ДОУ №77 «Солнышко» (тест)');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByRole('heading', { level: 1, name: 'ДОУ №77 «Солнышко» (тест)' }).waitFor();

    await page.getByRole('button', { name: 'Закрыть' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Дата закрытия').fill('01.01.2020');
    await dialog.getByLabel('Причина закрытия').fill('Реорганизация путём присоединения');
    await dialog.getByRole('button', { name: 'Закрыть организацию' }).click();
    await dialog.getByRole('button', { name: 'Подтвердить закрытие' }).click();
    await dialog.locator('.field-error').waitFor();
    expect(await dialog.locator('.field-invalid').innerText()).toContain('Дата закрытия раньше даты открытия');

    await dialog.getByLabel('Дата закрытия').fill('30.06.2023');
    await dialog.getByRole('button', { name: 'Закрыть организацию' }).click();
    expect(await dialog.innerText()).toContain('с 30.06.2023');
    await dialog.getByRole('button', { name: 'Подтвердить закрытие' }).click();
    await page.getByRole('status').filter({ hasText: 'Организация закрыта.' }).waitFor();
    const card = await page.locator('dl').innerText();
    expect(card).toContain('Закрыта');
    expect(card).toContain('30.06.2023');
    expect(card).toContain('Реорганизация путём присоединения');

    await page.getByRole('navigation', { name: 'Основная навигация' }).getByRole('link', { name: 'Реестр организаций' }).click();
    await page.getByLabel('Статус').selectOption('closed');
    await expect.poll(() => columnTexts(page, 1)).toContain('ДОУ №77 «Солнышко» (тест)');
    await page.getByRole('link', { name: 'ДОУ №77 «Солнышко» (тест)' }).click();

    await page.getByRole('button', { name: 'Открыть снова' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Открыть снова' }).click();
    await page.getByRole('status').filter({ hasText: 'Организация снова открыта.' }).waitFor();
    await expect.poll(() => page.locator('dl .badge').innerText()).toBe('Действует');
  });

  it('неверный пароль: «Неверный логин или пароль»', async () => {
    const page = await h.newPage();
    await page.goto('/');
    await page.getByRole('heading', { name: 'Вход в систему' }).waitFor();
    await page.getByLabel('Логин').fill('admin');
    await page.getByLabel('Пароль').fill('не-тот-пароль');
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').innerText()).toBe('Неверный логин или пароль');
    expect(new URL(page.url()).pathname).toBe('/login');
  });
});
