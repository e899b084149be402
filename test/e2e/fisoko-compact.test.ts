/** Browser journey of issue 22 at scale: the analysis page of a ВПР campaign too large for whole per-dimension views.
 * The app here answers compact views above 10 rows (`analysisInlineRows`; the default is 6 000 — a year of ФИС ОКО
 * reports is up to 144 000), so the synthetic fisoko-2025 exports of the demo schools, imported into two campaigns,
 * are «large». The analyst sees the note that every choice is ranked on the server, the ranking of a work, the ranking
 * «по всем предметам» (an open selection, computed on the server from the rows of its works) with the change against
 * last year, and the whole table of signs of non-objectivity — each equal to what the page showed from whole views
 * (worked out here by the page's pure functions over the whole answer of the service). */
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fisokoUploads } from '../support/fisoko-campaigns.ts';
import type { DimensionalView } from '../../src/core/analysis/index.ts';
import { dimensionalDynamics, objectivitySigns, rankDimensional } from '../../src/core/analysis/index.ts';
import { formatNumber } from '../../src/core/format.ts';
import type { Database } from '../../src/db/schema.ts';
import { getCampaignAnalysis } from '../../src/services/analysis/campaign-analysis.ts';
import { changeCampaignStatus, createCampaign } from '../../src/services/collection/campaigns.ts';
import { previewFisOkoImport, startFisOkoApply, uploadFisOkoImport } from '../../src/services/imports/fisoko-import.ts';
import { startHarness, signIn, type Harness } from './harness.ts';

const percent = (v: number | null) => (v === null ? '—' : `${formatNumber(v, 1)}\u00A0%`);

let h: Harness;
let db: Kysely<Database>;
let currentId = '';

beforeAll(async () => {
  h = await startHarness({
    analysisInlineRows: 10,
    setup: async (d) => {
      db = d;
      const u = await db.selectFrom('users').select('id').where('login', '=', 'analyst').executeTakeFirstOrThrow();
      const actor = { userId: u.id, login: 'analyst', ip: '127.0.0.1' };
      const campaign = async (title: string, period: string) => {
        const c = await createCampaign(db, actor, { title, methodologyId: 'direction-preparation', methodologyVersion: '2021.2', period, participants: { mode: 'types', types: ['school'] }, opensOn: '2025-05-01', dueOn: '2025-06-30', closesOn: '2030-06-30' });
        await changeCampaignStatus(db, actor, c.id, 'open');
        const imp = await uploadFisOkoImport(db, actor, c.id, fisokoUploads());
        const p = await previewFisOkoImport(db, imp.id, {});
        if (!p.ok) throw new Error('предпросмотр с ошибками');
        const { job } = await startFisOkoApply(db, actor, imp.id, {});
        // The app's own job worker applies it.
        for (let waited = 0; ; waited += 100) {
          const { status, error } = await db.selectFrom('jobs').select(['status', 'error']).where('id', '=', job.id).executeTakeFirstOrThrow();
          if (status === 'done') break;
          if (status === 'failed' || waited > 120_000) throw new Error(`импорт не применён: ${status} ${error ?? ''}`);
          await new Promise((r) => setTimeout(r, 100));
        }
        return c.id;
      };
      await campaign('ВПР 2024 (e2e, крупный)', '2023/2024');
      currentId = await campaign('ВПР 2025 (e2e, крупный)', '2024/2025');
    },
  });
}, 300_000);
afterAll(async () => {
  await h?.close();
});

describe('the analysis page of a large ВПР campaign', () => {
  it('ranks a work and «по всем предметам» on the server and lists every sign, as whole views would', async () => {
    // What the page showed from whole views: the service's answer without a row limit, through the page's functions.
    const whole = await getCampaignAnalysis(db, currentId, { basis: 'all', inlineRows: Number.MAX_SAFE_INTEGER });
    const view = whole.model.dimensional as DimensionalView;
    const prev = whole.previousDimensional as DimensionalView;
    expect(view.rows.length).toBeGreaterThan(10);

    const page = await h.newPage();
    await signIn(page, 'analyst');
    await page.goto(`/campaigns/${currentId}/analysis`);
    await page.getByLabel('Какие данные учитывать').selectOption('all');
    const note = page.getByTestId('dimensional-compact');
    await note.waitFor();
    expect(await note.textContent()).toBe(`Строк по предметам и классам: ${formatNumber(view.rows.length, 0)} — рейтинг каждого выбора вычисляется на сервере по строкам этого выбора.`);

    // One work, by the success share.
    const ranking = page.getByTestId('dimensional-ranking');
    await page.getByLabel('Предмет', { exact: true }).selectOption('Математика');
    await page.getByLabel('Класс', { exact: true }).selectOption({ label: '5 класс' });
    await page.getByLabel('Показатель рейтинга').selectOption('vpr_success_share');
    await ranking.locator('caption', { hasText: 'Математика, 5 класс' }).waitFor();
    const rowsOf = () => ranking.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent ?? '')));
    const work = rankDimensional(view, { subject: 'Математика', grade: '5' }, 'vpr_success_share')!;
    expect((await rowsOf()).map((r) => [r[1], r[2]])).toEqual(work.entries.map((e) => [e.name, percent(e.value)]));

    // «По всем предметам» in 5 класс: the methodology's aggregate per school, with the change against last year.
    await page.getByLabel('Предмет', { exact: true }).selectOption({ label: 'по всем предметам' });
    await ranking.locator('caption', { hasText: 'предмет: все, 5 класс' }).waitFor();
    const sel = { subject: null, grade: '5' };
    const open = rankDimensional(view, sel, 'vpr_success_all')!;
    const dyn = dimensionalDynamics(view, prev, sel, 'vpr_success_all')!;
    expect(open.entries.length).toBeGreaterThan(20);
    const shown = await rowsOf();
    expect(shown.map((r) => [r[1], r[2]])).toEqual(open.entries.map((e) => [e.name, percent(e.value)]));
    const before = new Map(dyn.rows.map((x) => [x.name, x]));
    expect(shown.map((r) => r[5])).toEqual(open.entries.map((e) => {
      const x = before.get(e.name);
      return !x || x.previous === null || x.change === null ? 'нет данных' : `${x.change > 0 ? '+' : ''}${formatNumber(x.change, 1)} (было ${percent(x.previous)})`;
    }));
    expect(await page.getByTestId('dimensional-comparison').textContent()).toContain(`Муниципалитет: ${percent(open.municipality?.value ?? null)} (по организациям мониторинга)`);

    // Every sign of non-objectivity, in the order of the whole view.
    const signs = await page.getByTestId('objectivity-signs').locator('tbody tr td:first-child').allTextContents();
    expect(signs).toEqual(objectivitySigns(view).map((s) => s.organisation));
    expect(signs.length).toBe(8);
  });
});
