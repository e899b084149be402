/** Browser journey of issue 21 (step 4): a talents-2021 campaign with students only; the synthetic ИС «Навигатор» list
 * (XLSX with a header block and a merged two-row header) is imported into it — one organisation's ИНН differs from the
 * registry's, so it is listed for confirmation and picked — and the analyst opens the analysis, the drill-down of
 * Петровское's programme count: the 14 rows of the file behind «12 опубликованных программ», with their rows. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCampaign } from '../integration/campaign-fixture.ts';
import { applyRecordList, previewRecordList } from '../../src/services/imports/record-lists.ts';
import { uploadImport } from '../../src/services/imports/imports.ts';
import { signIn, startHarness, type Harness } from './harness.ts';

const SAMPLE = (name: string) => fileURLToPath(new URL(`../../library/synthetic/navigator-2021/${name}`, import.meta.url));
const innByName = new Map(readFileSync(SAMPLE('organisations-without-programmes.csv'), 'utf8').trim().split(/\r?\n/).slice(1).map((l) => l.split(',')).map((c) => [c[1] as string, c[2] as string]));

let h: Harness;
let campaignId = '';
const picked: { name: string; kind: string; lines: number }[] = [];

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
      campaignId = await seedCampaign(db, actor, { title: 'Навигатор в мониторинге (e2e)', scale: (r) => ({ students: Number(r.students) }) });
      const imp = await uploadImport(db, actor, campaignId, { fileName: 'navigator.xlsx', buffer: readFileSync(SAMPLE('navigator.xlsx')) });
      const preview = await previewRecordList(db, imp.id, {});
      for (const i of preview.issues) picked.push({ name: i.name, kind: i.kind, lines: i.lines.length });
      const first = orgs.find((o) => o.short_name === '№1')?.id ?? '';
      await applyRecordList(db, actor, imp.id, { confirmations: Object.fromEntries(preview.issues.map((i) => [i.name, first])) });
    },
  });
}, 240_000);
afterAll(async () => {
  await h?.close();
});

describe('record list in a campaign: the drill-down of a figure', () => {
  it('one unmatched organisation was listed and picked; Петровское\'s 12 programmes open with file and rows', async () => {
    expect(picked).toHaveLength(1);
    expect(picked[0]?.name).toBe('МБОУ СОШ №1 г. Ишимбая');
    const page = await h.newPage();
    await signIn(page, 'analyst');
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
  });
});
