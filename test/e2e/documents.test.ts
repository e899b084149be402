/** Browser journey of issue 18 (first part): the administrator fills «Реквизиты управления» on the settings page (a
 * wrong ИНН is refused under its field), then on a campaign's page prepares the information letter, edits its title,
 * issues it with register number 21/1 and downloads the DOCX, which carries the requisites, number and title. */
import PizZip from 'pizzip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCampaign } from '../integration/campaign-fixture.ts';
import { signIn, startHarness, type Harness } from './harness.ts';

let h: Harness;
let campaignId = '';

beforeAll(async () => {
  h = await startHarness({
    setup: async (db) => {
      const u = await db.selectFrom('users').select('id').where('login', '=', 'analyst').executeTakeFirstOrThrow();
      campaignId = await seedCampaign(db, { userId: u.id, login: 'analyst', ip: '127.0.0.1' }, { title: 'Таланты (e2e документов)' });
    },
  });
}, 240_000);
afterAll(async () => {
  await h?.close();
});

describe('documents on the department letterhead through the browser', () => {
  it('requisites on the settings page, then the campaign letter issued and downloaded', async () => {
    const page = await h.newPage();
    await signIn(page, 'admin');
    await page.goto('/settings');
    const fill = async (label: string, value: string) => page.getByLabel(label, { exact: true }).fill(value);
    await fill('Наименование управления', 'Управление образования');
    await fill('Адрес', 'Набережная ул., д. 10');
    await fill('Телефон', '27-54-22');
    await fill('Электронная почта', 'edu@example.ru');
    await fill('ИНН', '3435110500');
    await fill('Должность руководителя', 'Начальник управления');
    await fill('Руководитель (фамилия, инициалы)', 'А.Н. Резников');
    await fill('Шаблон номера: письмо', '21/{n}');
    await page.getByRole('button', { name: 'Сохранить реквизиты' }).click();
    await page.getByText('ИНН организации — 10 цифр с верным контрольным числом').waitFor();
    await fill('ИНН', '3435110501');
    await page.getByRole('button', { name: 'Сохранить реквизиты' }).click();
    await page.getByRole('status').filter({ hasText: 'Реквизиты сохранены.' }).waitFor();

    await page.goto(`/campaigns/${campaignId}`);
    await page.getByRole('heading', { name: 'Документы' }).waitFor();
    await page.getByRole('button', { name: 'Подготовить информационное письмо' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Заголовок').fill('О проведении мониторинга талантов');
    expect(await dialog.getByLabel('Текст письма').inputValue()).toContain('Сроки проведения мониторинга: с 15 февраля по 01 июня 2022 года.');
    await dialog.getByRole('button', { name: 'Выпустить с номером' }).click();
    await page.getByRole('status').filter({ hasText: 'Письмо выпущено: № 21/1' }).waitFor();
    // The register's table is reloaded after the status appears: wait for its row, then count it.
    await page.getByRole('row', { name: /21\/1/ }).first().waitFor();
    expect(await page.getByRole('row', { name: /21\/1/ }).count()).toBe(1);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Скачать DOCX' }).first().click()]);
    const path = await download.path();
    const { readFileSync } = await import('node:fs');
    const xml = new PizZip(readFileSync(path)).file('word/document.xml')?.asText() ?? '';
    const text = xml.replace(/<[^>]+>/g, '');
    for (const part of ['Управление образования', 'ИНН 3435110501', '№ 21/1', 'О проведении мониторинга талантов', 'А.Н. Резников']) expect(text).toContain(part);
  });
});
