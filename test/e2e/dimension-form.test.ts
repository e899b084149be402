/** Browser journey of a per-subject form (issue 22): in a campaign on `direction-preparation` 2021.2 the
 * representative of school №1 adds «Математика, 5 класс» to the ВПР table, types the participants and the shares of
 * marks into cells labelled by subject, grade and column (a wrong cell is named), autosaves, sees the row's history
 * and submits; the values are stored per subject × grade and the campaign's results have the school's success share
 * for that subject and grade. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Page } from 'playwright-core';
import type { Database } from '../../src/db/schema.ts';
import { computeCampaignResults } from '../../src/services/analysis/campaign-results.ts';
import { changeCampaignStatus, createCampaign } from '../../src/services/collection/campaigns.ts';
import { signIn, startHarness, type Harness } from './harness.ts';

let h: Harness;
let db: Kysely<Database>;
let campaignId = '';
let orgId = '';

beforeAll(async () => {
  h = await startHarness({
    setup: async (d) => {
      db = d;
      const u = await d.selectFrom('users').select('id').where('login', '=', 'analyst').executeTakeFirstOrThrow();
      const actor = { userId: u.id, login: 'analyst', ip: '127.0.0.1' };
      const orgs = await d.selectFrom('organisations').select(['id', 'no']).where('no', 'in', [1, 2]).execute();
      orgId = orgs.find((o) => o.no === 1)?.id ?? '';
      const c = await createCampaign(d, actor, {
        title: 'ВПР по предметам 2025 (e2e)',
        methodologyId: 'direction-preparation',
        methodologyVersion: '2021.2',
        period: '2025',
        participants: { mode: 'list', organisationIds: orgs.map((o) => o.id) },
        opensOn: '2025-03-01',
        dueOn: '2099-06-01',
        closesOn: '2099-06-30',
      });
      campaignId = c.id;
      await changeCampaignStatus(d, actor, c.id, 'open');
    },
  });
});

afterAll(async () => {
  await h?.close();
});

async function autosaved(page: Page, fill: () => Promise<void>): Promise<void> {
  const saved = page.waitForResponse((r) => r.url().endsWith('/values') && r.request().method() === 'PUT' && r.status() === 200);
  await fill();
  await saved;
  await page.getByText(/Черновик сохранён \d{2}:\d{2}/).waitFor();
}

describe('форма по предметам и классам в браузере', () => {
  it('ОО добавляет «Математика, 5 класс», заполняет ячейки таблицы ВПР и отправляет форму', async () => {
    const rep = await h.newPage();
    await signIn(rep, 'oo1');
    await rep.goto(`/campaigns/${campaignId}/organisations/${orgId}`);
    await rep.getByRole('heading', { level: 1, name: '№1: форма мониторинга' }).waitFor();

    const marks = rep.getByRole('region', { name: 'ВПР — статистика по отметкам (ФИС ОКО)' });
    await marks.getByText('Нет строк: добавьте предмет и класс, по которым есть результаты').waitFor();
    // Adding without a grade is refused; with both, the row appears.
    await marks.getByLabel('Предмет').selectOption({ label: 'Математика' });
    await marks.getByRole('button', { name: 'Добавить предмет и класс' }).click();
    await marks.getByRole('alert').getByText('Выберите: класс').waitFor();
    await marks.getByLabel('Класс').selectOption({ label: '5 класс' });
    await marks.getByRole('button', { name: 'Добавить предмет и класс' }).click();
    await marks.getByRole('rowheader', { name: 'Математика' }).waitFor();

    const cell = (column: string) => marks.getByRole('textbox', { name: `Математика, 5 класс — ${column}`, exact: true });
    await cell('ВПР: участников').fill('пять');
    await marks.getByText('Введите целое число').waitFor();
    await autosaved(rep, async () => {
      await cell('ВПР: участников').fill('50');
      await cell('ВПР: «2», %').fill('10');
      await cell('ВПР: «3», %').fill('30');
      await cell('ВПР: «4», %').fill('40');
      await cell('ВПР: «5», %').fill('20');
      await rep.getByLabel('На сайте ОО размещены утверждённый план мероприятий по управлению качеством образования и отчёты о его реализации *').selectOption({ label: 'нет' });
      await rep.getByLabel('В ОО выявлены признаки необъективности/неэффективности при ВПР *').selectOption({ label: 'нет' });
    });
    expect(await marks.getByText('Введите целое число').count()).toBe(0);
    // A second value of one cell: the row's history lists both.
    await autosaved(rep, () => cell('ВПР: «5», %').fill('20,5'));
    await autosaved(rep, () => cell('ВПР: «4», %').fill('39,5'));
    await marks.getByRole('button', { name: 'История: Математика, 5 класс' }).click();
    const dialog = rep.getByRole('dialog', { name: /История значений: ВПР — статистика по отметкам \(ФИС ОКО\), Математика, 5 класс/ });
    await dialog.waitFor();
    await expect.poll(() => dialog.locator('tbody tr').count()).toBe(7);
    expect(await dialog.locator('tbody tr').first().innerText()).toContain('39,5');
    await dialog.getByRole('button', { name: 'Закрыть' }).first().click();

    await rep.getByText('Заполнено').waitFor();
    expect(await rep.locator('dl').innerText()).toContain('100% обязательных полей (7 из 7)');
    await rep.getByRole('button', { name: 'Отправить на проверку' }).click();
    await expect.poll(() => rep.getByTestId('submission-status').innerText()).toBe('Отправлена');
    // After the submit the table is read-only and shows the stored values.
    await expect.poll(() => cell('ВПР: «5», %').inputValue()).toBe('20,5');
    expect(await cell('ВПР: «5», %').isDisabled()).toBe(true);

    const stored = await db
      .selectFrom('value_history')
      .select(['input', 'dimensions', 'value'])
      .where('campaign_id', '=', campaignId)
      .where('dimensions', 'is not', null)
      .orderBy('id')
      .execute();
    expect(stored.map((r) => r.input)).toEqual(['vpr_participants', 'vpr_share_2', 'vpr_share_3', 'vpr_share_4', 'vpr_share_5', 'vpr_share_5', 'vpr_share_4']);
    expect(stored.every((r) => JSON.stringify(r.dimensions) === JSON.stringify({ grade: '5', subject: 'Математика' }))).toBe(true);
    const r = await computeCampaignResults(db, campaignId);
    const success = r.computed.flatMap((c) => c.results).find((x) => x.organisation === '№1' && x.indicator === 'vpr_success_share');
    expect(success).toMatchObject({ dimensions: { subject: 'Математика', grade: 5 }, value: 30 + 39.5 + 20.5 });
  });
});
