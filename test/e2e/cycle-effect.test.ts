/** Browser journey over the whole management cycle (issue 7): from a campaign's results the analyst generates
 * addressed recommendations, takes a decision naming the indicator it should move, records the next year's campaign,
 * sees the effect (before/after) on the decision page and a complete cycle (9 of 9 stages). Collection itself is
 * covered by campaigns.test.ts: here the forms are filled through the same API the browser uses. Years 2024–2025 keep
 * clear of the demo's own campaigns. The real server (PGlite, demo data, the real clock) and chromium. */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startHarness, type Harness } from './harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

/** A JSON request from the page's session (cookie + CSRF), as the web app makes it. */
async function call<T = unknown>(page: Page, method: string, url: string, body?: unknown): Promise<T> {
  const r = await page.evaluate(
    async ({ method, url, body }) => {
      const csrf = ((await (await fetch('/api/auth/csrf')).json()) as { token: string }).token;
      const res = await fetch(url, { method, headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, ...(method === 'GET' ? {} : { body: JSON.stringify(body ?? {}) }) });
      return { status: res.status, text: await res.text() };
    },
    { method, url, body },
  );
  if (r.status >= 300) throw new Error(`${method} ${url}: ${r.status} ${r.text}`);
  return JSON.parse(r.text) as T;
}

/** A talents-2021 campaign over schools №1, №2, №4 with their students and programmes, submitted; closed when asked. */
async function campaign(page: Page, year: number, programmes: [number, number, number], close: boolean): Promise<string> {
  const orgs = (await call<{ items: { id: string; no: number }[] }>(page, 'GET', '/api/organisations')).items;
  const byNo = (no: number) => orgs.find((o) => o.no === no)!.id;
  const c = await call<{ id: string }>(page, 'POST', '/api/campaigns', {
    title: `Охват дополнительным образованием ${year}`, methodologyId: 'talents-2021', methodologyVersion: '2021.1', period: String(year),
    participants: { mode: 'list', organisationIds: [1, 2, 4].map(byNo) }, opensOn: `${year}-02-15`, dueOn: `${year}-06-01`, closesOn: '2030-06-30',
  });
  await call(page, 'POST', `/api/campaigns/${c.id}/open`);
  const students = [708, 1552, 132];
  for (const [i, no] of [1, 2, 4].entries()) {
    const url = `/api/campaigns/${c.id}/organisations/${byNo(no)}`;
    const values = { students: { value: students[i] }, programmes: { value: programmes[i] }, surveyed_students: { value: Math.round(students[i]! / 4) } };
    await call(page, 'PUT', `${url}/values`, { values, source: 'form' });
    await call(page, 'POST', `${url}/submit`, {});
  }
  if (close) await call(page, 'POST', `/api/campaigns/${c.id}/close`);
  return c.id;
}

describe('управленческий цикл: от результатов мониторинга до оценки эффективности', () => {
  it('рекомендации по результатам, решение, следующий мониторинг, эффект и полный цикл', async () => {
    const page = await h.newPage();
    await signIn(page, 'analyst');
    // Seed 004 rows: №1 2,3 (ниже среднего), №2 1,3 (низкий), №4 6,8 (выше среднего).
    await campaign(page, 2024, [16, 20, 9], true);

    await page.goto('/recommendations?direction=talents');
    await page.getByRole('heading', { level: 1, name: 'Рекомендации и решения' }).waitFor();
    await page.getByRole('button', { name: 'Предложить по результатам мониторинга' }).click();
    const propose = page.getByRole('dialog', { name: 'Предложить рекомендации по результатам мониторинга' });
    await propose.getByLabel('Мониторинг').selectOption({ label: 'Охват дополнительным образованием 2024 (2024 год)' });
    await propose.getByText('Правило diversity_low — показатель «Индекс многообразия программ дополнительного образования детей (в расчете на 100 человек)»').waitFor();
    const offered = await propose.locator('label.checkbox strong').allInnerTexts();
    expect(offered).toEqual(['№1', '№2']);
    await propose.getByLabel('Текст рекомендации (diversity_low)').fill('Разнообразить программы дополнительного образования с учётом запросов родителей и обучающихся.');
    await propose.getByLabel('Срок выполнения (diversity_low)').fill('2024-12-20');
    await propose.getByRole('button', { name: 'Выдать выбранные (2)' }).click();
    await page.getByText('Выдано рекомендаций: 2.').waitFor();
    const rows = page.locator('tbody tr', { hasText: 'Разнообразить программы дополнительного образования с учётом запросов' });
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.first().innerText()).toContain('по мониторингу «Охват дополнительным образованием 2024»');

    await page.getByRole('button', { name: 'Принять управленческое решение' }).click();
    const decision = page.getByRole('dialog', { name: 'Управленческое решение' });
    await decision.getByLabel('Дата').fill('2024-09-12');
    await decision.getByLabel('Название (о чём решение)').fill('О развитии программ дополнительного образования в школах №1 и №2');
    await decision.getByLabel('Ответственный').fill('Иванова А. А., начальник отдела');
    const indicators = decision.getByLabel('Показатели, на которые должно повлиять решение');
    expect(await indicators.inputValue()).toBe('talents-2021: diversity_index');
    await indicators.fill('talents-2021: diversity_index: 2,6');
    // Suggested from the recommendations' campaign (the list of campaigns loads after the dialog opens).
    await expect.poll(() => decision.getByLabel('Мониторинг, по результатам которого принято решение').locator('option:checked').innerText()).toBe('Охват дополнительным образованием 2024 (2024 год)');
    await decision.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByText('Решение сохранено.').waitFor();

    await page.getByRole('link', { name: 'О развитии программ дополнительного образования в школах №1 и №2' }).click();
    await page.getByRole('heading', { level: 1, name: 'О развитии программ дополнительного образования в школах №1 и №2' }).waitFor();
    await page.getByText('нет данных следующего мониторинга').first().waitFor();
    expect(await page.getByText('Основание: результаты мониторинга «Охват дополнительным образованием 2024» (2024).').count()).toBe(1);

    // The next year: №1 added programmes (708 / 25 → 3,5), №2 did not.
    await campaign(page, 2025, [25, 20, 9], true);
    await page.reload();
    await page.getByText(/^Эффект измерен:/).waitFor();
    const effect = page.locator('table.effect-table tbody tr');
    expect(await effect.allInnerTexts()).toEqual([
      '№1\t2,3\t3,5\t+1,2\tрост\tдостигнута',
      '№2\t1,3\t1,3\t±0\tбез изменений\tне достигнута',
      expect.stringMatching(/^В целом \(.+\)\t3,5\t3,9\t\+0,4\tрост\tдостигнута$/),
    ]);

    // Close the rest of the cycle: the schools report, the department verifies, the road map gets an event of its own
    // (added by hand and done) and a decision correcting it.
    const recs = (await call<{ items: { id: string; status: string }[] }>(page, 'GET', '/api/recommendations?direction=talents')).items;
    for (const r of recs) {
      await call(page, 'POST', `/api/recommendations/${r.id}/status`, { status: 'done', reportText: 'Открыты две программы технической направленности' });
      await call(page, 'POST', `/api/recommendations/${r.id}/status`, { status: 'verified' });
    }
    await page.goto('/roadmaps?direction=talents&year=2024');
    await page.getByRole('heading', { level: 1, name: 'Дорожные карты' }).waitFor();
    await page.getByRole('button', { name: 'Добавить мероприятие' }).click();
    const add = page.getByRole('dialog', { name: 'Добавить мероприятие' });
    await add.getByLabel('Мероприятие').fill('Семинар для заместителей руководителей по программам технической направленности');
    await add.getByLabel('Срок').fill('до 30.06.2024');
    await add.getByLabel('Ответственный исполнитель').fill('Управление образования');
    await add.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByText('Мероприятие добавлено.').waitFor();
    const seminar = page.locator('tbody tr', { hasText: 'Семинар для заместителей руководителей' });
    await seminar.getByRole('button', { name: /Отметить выполнение/ }).click();
    const mark = page.getByRole('dialog', { name: 'Отметить выполнение' });
    await mark.getByLabel('Дата выполнения').fill('2024-06-20');
    await mark.getByLabel('Примечание').fill('Протокол семинара № 3');
    await mark.getByRole('button', { name: 'Сохранить' }).click();
    await mark.waitFor({ state: 'detached' });
    // Removing an event by mistake is undone at once; its wording changes keep a history.
    await seminar.getByRole('button', { name: /^Удалить/ }).click();
    await page.getByText(/^Мероприятие «Семинар для заместителей руководителей.*» удалено\./).waitFor();
    await expect.poll(() => seminar.count()).toBe(0);
    await page.getByRole('button', { name: 'Отменить удаление' }).click();
    await page.getByText('Мероприятие восстановлено.').waitFor();
    await seminar.getByRole('button', { name: /^Изменить/ }).click();
    const edit = page.getByRole('dialog', { name: 'Изменить мероприятие' });
    await edit.getByLabel('Ожидаемый результат (документ)').fill('протокол семинара');
    await edit.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByText('Мероприятие изменено.').waitFor();
    // The message comes before the list reloads: wait for the row rather than read it once.
    await expect.poll(() => seminar.innerText()).toContain('протокол семинара');
    await seminar.getByRole('button', { name: 'История правок' }).click();
    const history = page.getByRole('dialog', { name: 'История мероприятия' });
    await expect.poll(() => history.locator('li > strong').allInnerTexts()).toEqual(['добавлено', 'удалено', 'восстановлено', 'изменено']);
    await history.getByRole('button', { name: 'Закрыть' }).click();
    await call(page, 'POST', '/api/decisions', {
      direction: 'talents', kind: 'roadmap_change', date: '2024-10-01', title: 'О корректировке дорожной карты на 2025 год', responsible: 'Иванова А. А.',
    }).then((d) => call(page, 'PATCH', `/api/decisions/${(d as { id: string }).id}`, { effectEvaluatedAt: '2025-06-30', effectNote: 'Мероприятия включены в план 2025 года' }));

    await page.reload();
    const panel = page.locator('section.completeness');
    await panel.getByText('Этапов с подтверждением: 9 из 9.').waitFor();
    expect(await panel.innerText()).toContain('эффективность оценена для 2 решений (до/после по показателям: 1)');
    expect(await panel.locator('.missing-list').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Ежегодный доклад за 2024 год (DOCX)' }).getAttribute('href')).toBe('/api/yearly-report/2024.docx');
  });
});
