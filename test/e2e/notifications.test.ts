/** Browser journey of a reminder: the analyst creates and opens a campaign due in two days and runs the reminder
 * pass; the representative of school №1 sees the count on the bell, opens the notification and lands on the form;
 * the bell goes down; «Отметить все прочитанными» clears it. The header shows the municipality from the server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { addDays } from '../../src/core/calendar/dates.ts';
import { signIn, startHarness, type Harness } from './harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

const TITLE = 'Охват дополнительным образованием (напоминания, e2e)';

/** A JSON write through the page's own session (cookies of its context) with the CSRF token. */
async function apiPost(page: Page, url: string, body: unknown): Promise<Record<string, unknown>> {
  const { token } = (await (await page.request.get('/api/auth/csrf')).json()) as { token: string };
  const res = await page.request.post(url, { data: body, headers: { 'x-csrf-token': token } });
  expect(res.status(), await res.text()).toBeLessThan(300);
  return (await res.json()) as Record<string, unknown>;
}

async function unread(page: Page): Promise<number> {
  return ((await (await page.request.get('/api/notifications/unread-count')).json()) as { unread: number }).unread;
}

describe('напоминания в браузере', () => {
  it('представитель школы видит число на колокольчике, открывает уведомление и попадает в форму', async () => {
    const analyst = await h.newPage();
    await signIn(analyst, 'analyst');
    await expect.poll(() => analyst.getByTestId('municipality-name').innerText()).toBe('Ишимбайский район (демо)');
    const settings = (await (await analyst.request.get('/api/settings')).json()) as { today: string; timeZone: string };
    expect(settings.timeZone).toBe('Asia/Yekaterinburg');
    const today = settings.today;
    const campaign = await apiPost(analyst, '/api/campaigns', {
      title: TITLE, methodologyId: 'talents-2021', methodologyVersion: '2021.1', period: '2021/2022', participants: { mode: 'all' },
      opensOn: addDays(today, -10), dueOn: addDays(today, 2), closesOn: addDays(today, 30),
    });
    const campaignId = String(campaign.id);
    await apiPost(analyst, `/api/campaigns/${campaignId}/open`, {});

    const rep = await h.newPage();
    await signIn(rep, 'oo1');
    const before = await unread(rep);
    const run = await apiPost(analyst, '/api/reminders/run', {});
    expect(run.created).toMatchObject({ due_soon: 2 });
    const after = await unread(rep);
    expect(after).toBe(before + 1);

    // The bell refreshes on navigation.
    await rep.getByRole('navigation', { name: 'Основная навигация' }).getByRole('link', { name: 'Мониторинги' }).click();
    await expect.poll(() => rep.getByTestId('notification-count').innerText()).toBe(String(after));
    await rep.getByTestId('notification-bell').click();
    await rep.getByRole('heading', { level: 1, name: 'Уведомления' }).waitFor();
    const item = rep.getByTestId('notification').filter({ hasText: TITLE });
    await expect.poll(() => item.count()).toBe(1);
    expect(await item.innerText()).toContain(`Форма организации №1 в мониторинге «${TITLE}» ещё не отправлена на проверку.`);
    expect(await item.innerText()).toContain('(через 2 дня)');
    await item.getByRole('link', { name: new RegExp(`Срок сдачи формы .*«${TITLE.replace(/[()]/g, '\\$&')}»`) }).click();

    await rep.getByRole('heading', { level: 1, name: '№1: форма мониторинга' }).waitFor();
    expect(new URL(rep.url()).pathname).toMatch(new RegExp(`^/campaigns/${campaignId}/organisations/[0-9a-f-]{36}$`));
    await expect.poll(() => unread(rep)).toBe(after - 1);
    if (after - 1 === 0) await expect.poll(() => rep.getByTestId('notification-count').count()).toBe(0);
    else await expect.poll(() => rep.getByTestId('notification-count').innerText()).toBe(String(after - 1));

    // A second pass the same day adds nothing; «mark all read» clears the bell.
    expect((await apiPost(analyst, '/api/reminders/run', {})).created).toEqual({ due_soon: 0, overdue: 0, overdue_summary: 0 });
    await rep.getByTestId('notification-bell').click();
    await rep.getByRole('heading', { level: 1, name: 'Уведомления' }).waitFor();
    if (after - 1 > 0) {
      await rep.getByRole('button', { name: 'Отметить все прочитанными' }).click();
    }
    await rep.getByText('Непрочитанных нет').waitFor();
    await expect.poll(() => rep.getByTestId('notification-count').count()).toBe(0);
    await expect.poll(() => unread(rep)).toBe(0);
  });

  it('администратор видит часовой пояс муниципалитета и задаёт адрес почты представителю', async () => {
    const admin = await h.newPage();
    await signIn(admin, 'admin');
    await admin.getByRole('navigation', { name: 'Основная навигация' }).getByRole('link', { name: 'Настройки напоминаний' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Настройки напоминаний' }).waitFor();
    await expect.poll(() => admin.getByLabel('Часовой пояс').inputValue()).toBe('Asia/Yekaterinburg');
    expect(await admin.getByLabel('Напоминать за, дней до срока сдачи').inputValue()).toBe('3');
    await admin.getByLabel('Логин').fill('oo1');
    await admin.getByLabel('Адрес (пустой — убрать)').fill('не адрес');
    await admin.getByRole('button', { name: 'Сохранить адрес' }).click();
    await admin.getByText('Неверный адрес электронной почты').waitFor();
    await admin.getByLabel('Адрес (пустой — убрать)').fill('director@school1.example');
    await admin.getByRole('button', { name: 'Сохранить адрес' }).click();
    await admin.getByText('Пользователь oo1: адрес director@school1.example').waitFor();
  });
});
