/** Browser journey of issue 18: the analyst opens «Документы», fills «Реквизиты управления» (a wrong ИНН is refused
 * under its field), uploads the department's own letter template (a template with a placeholder typo is refused
 * naming it), then on a campaign's page prepares the information letter, edits its title, issues it with register
 * number 21/1 and downloads the DOCX — on the own бланк, with the requisites, number and title; sees the
 * participating organisations notified, and the school's representative downloads the letter from the notification;
 * issues the monitoring's справка on its template; goes back to the
 * built-in template, and issues the order approving a direction's passport and road map (01-09/1). */
import { Document, Packer, Paragraph } from 'docx';
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
  it('requisites and an own template on «Документы», then the campaign letter issued on it and downloaded', async () => {
    const page = await h.newPage();
    await signIn(page, 'analyst');
    await page.getByRole('link', { name: 'Документы', exact: true }).click();
    await page.getByRole('heading', { name: 'Документы', level: 1 }).waitFor();
    const fill = async (label: string, value: string) => page.getByLabel(label, { exact: true }).fill(value);
    await fill('Наименование управления', 'Управление образования');
    await fill('Адрес', 'Набережная ул., д. 10');
    await fill('Телефон', '27-54-22');
    await fill('Электронная почта', 'edu@example.ru');
    await fill('ИНН', '3435110500');
    await fill('Должность руководителя', 'Начальник управления');
    await fill('Руководитель (фамилия, инициалы)', 'А.Н. Резников');
    await fill('Шаблон номера: письмо', '21/{n}');
    await fill('Шаблон номера: приказ', '01-09/{n}');
    await page.getByRole('button', { name: 'Сохранить реквизиты' }).click();
    await page.getByText('ИНН организации — 10 цифр с верным контрольным числом').waitFor();
    await fill('ИНН', '3435110501');
    await page.getByRole('button', { name: 'Сохранить реквизиты' }).click();
    await page.getByRole('status').filter({ hasText: 'Реквизиты сохранены.' }).waitFor();

    const docx = async (...lines: string[]) => Buffer.from(await Packer.toBuffer(new Document({ sections: [{ children: lines.map((t) => new Paragraph(t)) }] })));
    const templateInput = page.getByLabel('Свой шаблон «Информационное письмо о мониторинге» (.docx, до 2 МБ)');
    const templates = page.getByRole('table', { name: 'Шаблоны документов' });
    const letterRow = templates.getByRole('row', { name: /^Информационное письмо/ });
    await templateInput.setInputFiles({ name: 'опечатка.docx', mimeType: 'application/octet-stream', buffer: await docx('{department.nmae}', '{number}') });
    await letterRow.getByRole('button', { name: 'Загрузить шаблон' }).click();
    await letterRow.getByRole('alert').filter({ hasText: 'Неизвестная подстановка в шаблоне: «{department.nmae}»' }).waitFor();
    await templateInput.setInputFiles({ name: 'письмо.txt', mimeType: 'text/plain', buffer: Buffer.from('не документ') });
    await letterRow.getByRole('button', { name: 'Загрузить шаблон' }).click();
    await letterRow.getByRole('alert').filter({ hasText: 'Шаблон загружается файлом .docx' }).waitFor();
    const own = await docx('БЛАНК {department.name}', '№ {number} от {date}', '{title}', '{#paragraphs}', '{text}', '{/paragraphs}', '{department.headName}');
    await templateInput.setInputFiles({ name: 'бланк.docx', mimeType: 'application/octet-stream', buffer: own });
    await letterRow.getByRole('button', { name: 'Загрузить шаблон' }).click();
    await page.getByRole('status').filter({ hasText: 'Информационное письмо о мониторинге: загружен свой шаблон «бланк.docx».' }).waitFor();
    await letterRow.getByText('свой: «бланк.docx»').waitFor();

    await page.goto(`/campaigns/${campaignId}`);
    await page.getByRole('heading', { name: 'Документы' }).waitFor();
    await page.getByRole('button', { name: 'Подготовить информационное письмо' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Заголовок').fill('О проведении мониторинга талантов');
    expect(await dialog.getByLabel('Текст письма').inputValue()).toContain('Сроки проведения мониторинга: с 15 февраля по 01 июня 2022 года.');
    await dialog.getByRole('button', { name: 'Выпустить с номером' }).click();
    await page.getByRole('status').filter({ hasText: 'Выпущен документ «Информационное письмо о мониторинге» № 21/1' }).waitFor();
    // The register's table is reloaded after the status appears: wait for its row, then count it.
    await page.getByRole('row', { name: /21\/1/ }).first().waitFor();
    expect(await page.getByRole('row', { name: /21\/1/ }).count()).toBe(1);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Скачать DOCX' }).first().click()]);
    const path = await download.path();
    const { readFileSync } = await import('node:fs');
    const xml = new PizZip(readFileSync(path)).file('word/document.xml')?.asText() ?? '';
    const text = xml.replace(/<[^>]+>/g, '');
    for (const part of ['БЛАНК Управление образования', '№ 21/1 от', 'О проведении мониторинга талантов', 'А.Н. Резников']) expect(text).toContain(part);

    // The letter went to the participating organisations' representatives (школа №1 and ДОУ №34 have one each): the
    // analyst sees how many were told; the school's representative sees the notification and downloads the letter.
    await page.getByRole('status').filter({ hasText: 'Уведомлены организации: 2 (пользователей: 2' }).waitFor();
    const school = await h.newPage();
    await signIn(school, 'oo1');
    await school.goto('/notifications');
    const note = school.getByTestId('notification').filter({ hasText: 'Письмо № 21/1 от' });
    await note.getByRole('heading', { name: /О проведении мониторинга талантов/ }).waitFor();
    await note.getByText('Документ управления образования', { exact: false }).waitFor();
    const [received] = await Promise.all([school.waitForEvent('download'), note.getByRole('link', { name: 'Скачать письмо (DOCX)' }).click()]);
    expect(received.suggestedFilename()).toMatch(/^Письмо 21-1 от \d{2}\.\d{2}\.\d{4}\.docx$/);
    expect(Buffer.compare(readFileSync(await received.path()), readFileSync(path))).toBe(0);

    // The справка of the monitoring on the built-in template: its own register, number 1.
    await page.getByRole('button', { name: 'Выпустить справку на бланке' }).click();
    await page.getByRole('status').filter({ hasText: 'Выпущен документ «Аналитическая справка по итогам мониторинга» № 1 от' }).waitFor();
    await page.getByRole('table').getByRole('row', { name: /Аналитическая справка по итогам мониторинга 1 / }).waitFor();

    // The register on «Документы» lists the letter; going back to the built-in template.
    await page.goto('/documents');
    await page.getByRole('table', { name: 'Журнал исходящих документов' }).getByRole('row', { name: /21\/1/ }).waitFor();
    await letterRow.getByRole('button', { name: 'Вернуться к встроенному' }).click();
    await page.getByRole('status').filter({ hasText: 'Информационное письмо о мониторинге: действует встроенный шаблон.' }).waitFor();
    await letterRow.getByRole('cell', { name: 'встроенный', exact: true }).waitFor();

    // The order approving one direction's passport and road map, issued from «Документы» and listed in the register.
    for (const box of await page.getByRole('checkbox').all()) await box.uncheck();
    await page.getByRole('checkbox', { name: 'Способности и таланты детей и молодежи' }).check();
    await page.getByRole('button', { name: 'Подготовить приказ об утверждении' }).click();
    const order = page.getByRole('dialog');
    await order.getByText(/Приложение № 1: Способности и таланты детей и молодежи — паспорт/).waitFor();
    expect(await order.getByLabel('Пункты приказа').inputValue()).toContain('1.1. Паспорт и план мероприятий («дорожную карту») по направлению «Способности и таланты детей и молодежи» (приложение № 1).');
    await order.getByRole('button', { name: 'Выпустить с номером' }).click();
    await page.getByRole('status').filter({ hasText: 'Приказ выпущен: № 01-09/1' }).waitFor();
    await page.getByRole('table', { name: 'Журнал исходящих документов' }).getByRole('row', { name: /Приказ об утверждении паспортов и дорожных карт 01-09\/1/ }).waitFor();
  });
});
