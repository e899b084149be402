/** Browser journey of a monitoring campaign: the analyst creates and opens it, the representative of school №1
 * fills the form (autosave), is refused while an error rule fails, submits; the analyst returns it with a comment,
 * the representative fixes and resubmits, the analyst accepts; the value history and the overdue highlight show. */
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

const TITLE = 'Охват дополнительным образованием 2021/2022 (e2e)';

async function autosaved(page: Page, fill: () => Promise<void>): Promise<void> {
  const saved = page.waitForResponse((r) => r.url().endsWith('/values') && r.request().method() === 'PUT' && r.status() === 200);
  await fill();
  await saved;
  await page.getByText(/Черновик сохранён \d{2}:\d{2}/).waitFor();
}

describe('мониторинг в браузере', () => {
  it('аналитик создаёт мониторинг; ОО заполняет и отправляет; аналитик возвращает; ОО исправляет; аналитик принимает', async () => {
    const analyst = await h.newPage();
    await signIn(analyst, 'analyst');
    await analyst.getByRole('navigation', { name: 'Основная навигация' }).getByRole('link', { name: 'Мониторинги' }).click();
    await analyst.getByRole('heading', { level: 1, name: 'Мониторинги' }).waitFor();
    await analyst.getByRole('link', { name: 'Создать мониторинг' }).click();
    await analyst.getByRole('heading', { name: 'Создать мониторинг' }).waitFor();
    await analyst.getByLabel('Название').fill(TITLE);
    await analyst.getByLabel('Методика').selectOption(JSON.stringify(['talents-2021', '2021.1']));
    await analyst.getByLabel('Период').fill('2021/2022');
    await analyst.getByText('Период: 2021/2022 учебный год').waitFor();
    await analyst.getByLabel('Начало сбора').fill('15.02.2022');
    await analyst.getByLabel('Срок сдачи').fill('01.06.2022');
    await analyst.getByLabel('Окончание сбора').fill('30.06.2099');
    await analyst.getByRole('button', { name: 'Создать' }).click();
    await analyst.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    expect(await analyst.locator('dl').innerText()).toContain('Черновик');
    await analyst.getByRole('button', { name: 'Открыть сбор' }).click();
    await analyst.getByText('Идёт сбор').first().waitFor();
    await expect.poll(() => analyst.locator('table tbody tr').count()).toBe(51);
    const campaignUrl = new URL(analyst.url()).pathname;

    // The representative of school №1 sees the campaign and only their organisation.
    const rep = await h.newPage();
    await signIn(rep, 'oo1');
    await rep.getByRole('navigation', { name: 'Основная навигация' }).getByRole('link', { name: 'Мониторинги' }).click();
    await rep.getByRole('link', { name: TITLE }).click();
    await expect.poll(() => rep.locator('table tbody tr').count()).toBe(1);
    await rep.getByRole('link', { name: '№1', exact: true }).click();
    await rep.getByRole('heading', { level: 1, name: '№1: форма мониторинга' }).waitFor();
    const formUrl = new URL(rep.url()).pathname;

    const students = rep.getByRole('textbox', { name: 'Численность обучающихся' });
    const programmes = rep.getByRole('textbox', { name: 'Количество программ ДО' });
    const surveyed = rep.getByRole('textbox', { name: 'Количество обучающихся, принявших участие в анкетировании' });
    expect(await rep.getByText('Единица: чел.').first().isVisible()).toBe(true);
    await autosaved(rep, async () => {
      await students.fill('400');
      await programmes.fill('30');
      await surveyed.fill('500');
    });
    await rep.getByText('Ошибка: Количество обучающихся, принявших участие в анкетировании, не может превышать численность обучающихся').waitFor();
    await rep.getByRole('button', { name: 'Отправить на проверку' }).click();
    await rep.getByRole('alert').filter({ hasText: 'Отправка невозможна: исправьте ошибки (1)' }).waitFor();
    await autosaved(rep, () => surveyed.fill('120'));
    await rep.getByRole('button', { name: 'Отправить на проверку' }).click();
    await expect.poll(() => rep.getByTestId('submission-status').innerText()).toBe('Отправлена');
    expect(await students.isDisabled()).toBe(true);

    // The analyst returns it with a comment.
    await analyst.goto(formUrl);
    await expect.poll(() => analyst.getByTestId('submission-status').innerText()).toBe('Отправлена');
    await analyst.getByLabel('Комментарий проверяющего').fill('Уточните число программ по данным Навигатора');
    await analyst.getByRole('button', { name: 'Вернуть на доработку' }).click();
    await expect.poll(() => analyst.getByTestId('submission-status').innerText()).toBe('Возвращена на доработку');

    // The representative fixes and resubmits.
    await rep.reload();
    await rep.getByText('Форма возвращена на доработку: Уточните число программ по данным Навигатора').waitFor();
    await autosaved(rep, () => programmes.fill('31'));
    await rep.getByRole('button', { name: 'Отправить на проверку' }).click();
    await expect.poll(() => rep.getByTestId('submission-status').innerText()).toBe('Отправлена');

    // The analyst accepts and looks at the history of the corrected value.
    await analyst.reload();
    await analyst.getByRole('button', { name: 'Принять' }).click();
    await expect.poll(() => analyst.getByTestId('submission-status').innerText()).toBe('Принята');
    await analyst.getByRole('button', { name: /^История: Количество программ ДО/ }).click();
    const dialog = analyst.getByRole('dialog');
    await expect.poll(() => dialog.locator('tbody tr').count()).toBe(2);
    const rows = await dialog.locator('tbody tr').allInnerTexts();
    expect(rows[0]).toContain('31');
    expect(rows[0]).toContain('oo1');
    expect(rows[0]).toContain('форма');
    expect(rows[1]).toContain('30');
    await dialog.getByRole('button', { name: 'Закрыть' }).click();

    // The campaign table: №1 accepted, the others overdue (the due date 01.06.2022 has passed).
    await analyst.goto(campaignUrl);
    const row1 = analyst.locator('table tbody tr').filter({ has: analyst.getByRole('link', { name: '№1', exact: true }) });
    await expect.poll(() => row1.innerText()).toContain('Принята');
    expect(await row1.innerText()).toContain('100%');
    expect(await row1.getAttribute('class')).toBeNull();
    const row2 = analyst.locator('table tbody tr').filter({ has: analyst.getByRole('link', { name: '№2', exact: true }) });
    expect(await row2.getAttribute('class')).toBe('row-overdue');
    expect(await row2.innerText()).toContain('просрочено');
  });
});
