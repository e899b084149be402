/** Browser journey of issue 21: a talents-2021 campaign with students only; the analyst uploads the synthetic ИС
 * «Навигатор» list (XLSX with a header block and a merged two-row header) on «Импорт данных», gets the record-list
 * wizard — rows read, records counted and left out by status, organisations — resolves the one organisation whose ИНН
 * differs from the registry's (picks it), applies, and opens the analysis: the drill-down of Петровское's programme
 * count, the 14 rows of the file behind «12 опубликованных программ», with their rows. The school's form then shows the
 * count «из списка» instead of asking it. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCampaign } from '../integration/campaign-fixture.ts';
import { signIn, startHarness, type Harness } from './harness.ts';

const SAMPLE = (name: string) => fileURLToPath(new URL(`../../library/synthetic/navigator-2021/${name}`, import.meta.url));
const innByName = new Map(readFileSync(SAMPLE('organisations-without-programmes.csv'), 'utf8').trim().split(/\r?\n/).slice(1).map((l) => l.split(',')).map((c) => [c[1] as string, c[2] as string]));
/** Rows of №1 in the list (its ИНН column), counted independently of the reader. */
const rowsOfFirst = readFileSync(SAMPLE('navigator.csv'), 'latin1').split(/\r?\n/).filter((l) => l.includes(`;${innByName.get('№1')};`)).length;

let h: Harness;
let campaignId = '';
let petrovskoe = '';
let first = '';

beforeAll(async () => {
  h = await startHarness({
    setup: async (db) => {
      const u = await db.selectFrom('users').select('id').where('login', '=', 'analyst').executeTakeFirstOrThrow();
      const actor = { userId: u.id, login: 'analyst', ip: '127.0.0.1' };
      const orgs = await db.selectFrom('organisations').select(['id', 'short_name']).execute();
      // The registry has the list's ИНН, except №1 (its ИНН in the list is not a participant's).
      for (const o of orgs) {
        const inn = o.short_name === '№1' ? '9909999990' : innByName.get(o.short_name);
        if (inn) await db.updateTable('organisations').set({ inn }).where('id', '=', o.id).execute();
      }
      petrovskoe = orgs.find((o) => o.short_name === 'Петровское')?.id ?? '';
      first = orgs.find((o) => o.short_name === '№1')?.id ?? '';
      campaignId = await seedCampaign(db, actor, { title: 'Навигатор в мониторинге (e2e)', scale: (r) => ({ students: Number(r.students) }) });
    },
  });
}, 240_000);
afterAll(async () => {
  await h?.close();
});

describe('record list in a campaign through the browser', () => {
  it('upload, preview, pick the unmatched organisation, apply; the drill-down of Петровское\'s 12 programmes; the form shows the count', async () => {
    expect(rowsOfFirst).toBeGreaterThan(0);
    const page = await h.newPage();
    await signIn(page, 'analyst');
    await page.goto(`/campaigns/${campaignId}/imports`);
    await page.getByLabel('Файл данных').setInputFiles(SAMPLE('navigator.xlsx'));
    await page.getByRole('button', { name: 'Загрузить' }).click();
    await page.getByRole('heading', { name: 'Импорт списка: navigator.xlsx' }).waitFor();

    // The preview: one organisation to resolve, every one of its rows an error; nothing can be applied yet.
    const summary = page.getByTestId('record-summary');
    await summary.waitFor();
    const cell = async (name: string) => (await summary.getByRole('row', { name }).locator('td').textContent())?.trim();
    expect(await cell('Строк данных в файле')).toBe('666');
    expect(await cell('Записей будет загружено')).toBe(String(666 - rowsOfFirst));
    expect(await page.getByText(`Ошибок в списке: ${rowsOfFirst}.`, { exact: false }).count()).toBe(1);
    const apply = page.getByRole('button', { name: 'Применить список' });
    expect(await apply.isDisabled()).toBe(true);
    const pick = page.getByLabel('Организация для «МБОУ СОШ №1 г. Ишимбая»');
    await pick.selectOption(first);
    expect(await pick.locator('option:checked').textContent()).toMatch(/№1/);
    await page.getByRole('button', { name: 'Проверить' }).click();
    await page.getByText('Ошибок нет: можно применять.').waitFor();
    expect(await page.getByRole('status').filter({ hasText: 'Проверено: ошибок нет, к загрузке 666 записей.' }).count()).toBe(1);
    expect(await cell('Записей будет загружено')).toBe('666');
    expect(await cell('Из них учитываются')).toBe('588');
    expect(await cell('Не учитываются')).toBe('78');
    expect(await cell('Организаций')).toBe('51');
    expect(await summary.getByRole('row', { name: /«Статус программы» = «Черновик»/ }).count()).toBe(1);
    expect(await page.getByTestId('record-override').count()).toBe(0); // programmes were not typed in this campaign

    await apply.click();
    const done = page.getByText('666 записей из 666 строк. Действует: ', { exact: false });
    await done.waitFor();
    expect(await done.textContent()).toMatch(/^Список применён \d{2}\.\d{2}\.\d{4}.*, analyst: 666 записей из 666 строк\. Действует: «Количество программ ДО/);
    expect(await page.getByRole('button', { name: 'Применить список' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Открыть анализ мониторинга' }).click();

    await page.goto(`/campaigns/${campaignId}/analysis?basis=all`);
    await page.getByTestId('results-table').waitFor();
    await page.getByRole('button', { name: 'Записи списка: Петровское' }).click();
    const dialog = page.getByTestId('records-dialog');
    await dialog.getByText('12 опубликованных программ из 14 строк', { exact: false }).waitFor();
    expect(await dialog.getByText(/Файл «navigator\.xlsx», лист «/).count()).toBe(1);
    const rows = dialog.locator('tbody tr');
    expect(await rows.count()).toBe(14);
    const counted = await rows.evaluateAll((trs) => trs.filter((tr) => tr.children[1]?.textContent === 'да').length);
    expect(counted).toBe(12);
    const lines = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.children[0]?.textContent)));
    expect(lines.every((l) => l > 4)).toBe(true); // below the header block and the two-row header
    expect(await dialog.textContent()).toMatch(/нет: «Статус программы» = «(Черновик|Архив|Снята с публикации)»/);
    // Another figure of the same list: enrolments of the technical focus, only the records of that focus.
    await dialog.getByLabel('Значение').selectOption({ label: 'Техническая направленность' });
    await dialog.getByText('«Направленность» = «Техническая»', { exact: false }).first().waitFor();
    const focus = await dialog.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.textContent ?? ''));
    expect(focus.length).toBeGreaterThan(0);
    expect(focus.every((t) => t.includes('Техническая'))).toBe(true);
    await dialog.getByRole('button', { name: 'Закрыть' }).click();
    await page.getByTestId('records-dialog').waitFor({ state: 'detached' });

    // The form of Петровское: the programme count is not asked, it is shown from the list.
    await page.goto(`/campaigns/${campaignId}/organisations/${petrovskoe}`);
    const listed = page.getByLabel('Количество программ ДО, размещённых (опубликованных) в ИС «Навигатор»');
    await listed.waitFor();
    expect(await listed.inputValue()).toBe('12');
    expect(await listed.getAttribute('readonly')).not.toBeNull();
    expect(await page.getByText(/из списка «.+» \(файл «navigator\.xlsx»\): заполнять не нужно/).count()).toBeGreaterThan(0);
  });
});
