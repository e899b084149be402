/** Browser journey of a regional campaign (issue 9): on a generated region of three municipalities the regional
 * analyst sees the region's name in the header, creates a campaign over two municipalities in the «Регион» page's
 * dialog, sees its participation per municipality and opens the collection; an analyst of a participating municipality sees
 * the campaign page without the status buttons. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRegion } from '../../src/services/region/region-generate.ts';
import { SYSTEM_ACTOR } from '../../src/services/errors.ts';
import { createUser } from '../../src/services/admin/users.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { signIn, startHarness, type Harness } from './harness.ts';

let h: Harness;
let names: string[] = [];
let regionName = '';
let database: Kysely<Database>;

beforeAll(async () => {
  h = await startHarness({
    setup: async (db) => {
      await generateRegion(db, SYSTEM_ACTOR, { municipalities: 3, organisations: 15, years: 1, seed: 5 });
      names = (await db.selectFrom('municipalities').select('name').where('synthetic', '=', true).orderBy('name').execute()).map((m) => m.name);
      regionName = (await db.selectFrom('regions').select('name').executeTakeFirstOrThrow()).name;
      const first = await db.selectFrom('municipalities').select('id').where('name', '=', names[0]!).executeTakeFirstOrThrow();
      await createUser(db, SYSTEM_ACTOR, { login: 'analyst-e2e', fullName: 'Аналитик муниципалитета', role: 'analyst', password: 'demo2022' }, first.id);
      database = db;
    },
  });
});

afterAll(async () => {
  await h?.close();
});

const TITLE = 'Региональный мониторинг охвата (e2e)';

describe('региональный мониторинг в браузере', () => {
  it('региональный аналитик создаёт мониторинг по двум муниципалитетам, видит участие и открывает сбор', async () => {
    const page = await h.newPage();
    await signIn(page, 'region');
    await expect.poll(() => page.getByTestId('municipality-name').innerText()).toBe(regionName);
    await page.getByRole('heading', { level: 2, name: 'Региональные мониторинги' }).waitFor();
    await page.getByRole('button', { name: 'Новый региональный мониторинг' }).click();
    const dialog = page.getByRole('dialog', { name: 'Новый региональный мониторинг' });
    await dialog.getByRole('button', { name: 'Создать' }).click();
    await dialog.getByText('Выберите хотя бы один муниципалитет').waitFor();

    await dialog.getByLabel('Название').fill(TITLE);
    await dialog.getByLabel('Методика').selectOption(JSON.stringify(['talents-2021', '2021.1']));
    await dialog.getByLabel('Период').fill('2023/2024');
    await dialog.getByLabel(names[0]!).check();
    await dialog.getByLabel(names[1]!).check();
    await dialog.getByLabel('Начало сбора').fill('15.02.2024');
    await dialog.getByLabel('Срок сдачи').fill('01.06.2024');
    await dialog.getByLabel('Окончание сбора').fill('30.06.2099');
    await dialog.getByRole('button', { name: 'Создать' }).click();
    await dialog.waitFor({ state: 'detached' });

    const row = page.getByTestId('regional-campaigns').locator('tbody tr', { hasText: TITLE });
    await expect.poll(() => row.innerText()).toContain('Черновик');
    expect(await row.innerText()).toContain(`${names[0]}, ${names[1]}`);
    const progress = page.getByTestId('regional-progress');
    await expect.poll(() => progress.locator('tbody tr').allInnerTexts()).toEqual([
      expect.stringContaining(names[0]!), expect.stringContaining(names[1]!), expect.stringContaining('Всего'),
    ]);

    await row.getByRole('button', { name: 'Открыть сбор' }).click();
    await expect.poll(() => row.innerText()).toContain('Идёт сбор');
    // Due 01.06.2024 has passed: every form of the open campaign is overdue.
    const total = progress.locator('tbody tr', { hasText: 'Всего' });
    await expect.poll(async () => {
      const cells = await total.locator('td').allInnerTexts();
      return cells[cells.length - 1] === cells[1];
    }).toBe(true);
  });

  it('аналитик участвующего муниципалитета не видит кнопок статуса регионального мониторинга', async () => {
    const id = (await database.selectFrom('campaigns').select('id').where('title', '=', TITLE).executeTakeFirstOrThrow()).id;
    const page = await h.newPage();
    await signIn(page, 'analyst-e2e');
    await page.goto(`/campaigns/${id}`);
    await expect.poll(() => page.getByTestId('regional-note').innerText()).toBe('Региональный мониторинг: статус меняет региональный аналитик');
    await expect.poll(() => page.getByText('Идёт сбор').count()).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: 'Закрыть сбор' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Опубликовать' }).count()).toBe(0);
  });
});
