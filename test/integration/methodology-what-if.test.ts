/** «Что если» on the demo's seed-004 campaign (issue 15, item 3): talents-2021 with «средний» widened to 5,5 (and
 * «выше среднего» from 5,6) computed over the 2021 campaign's accepted data beside its own computation. The schools
 * that move are exactly those whose index (programmes / students × 100, round half up to 0,1) lies in 5,1–5,5,
 * computed here from seed 004's file; nothing is saved; the campaign must be of the same methodology. */
import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { SEED004_CAMPAIGN_TITLE } from '../../src/services/demo/demo-campaigns.ts';
import { Client, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

const SEED004 = new URL('../../../shared/fixtures/seed-004/organisations.csv', import.meta.url);
const BANDS = (bands: unknown[]) => ({
  methodologyId: 'talents-2021', methodologyVersion: '2021.1', version: '2021.9',
  edits: [{ path: ['scales', 'diversity_levels', 'bands'], value: bands }],
});
const WIDER = [
  { level: 'high', from: 7.6, nominal_to: 10, points: 3, label: 'от 7,6 до 10' },
  { level: 'above_average', from: 5.6, to: 7.5, points: 2, label: 'от 5,6 до 7,5' },
  { level: 'average', from: 2.6, to: 5.5, points: 1, label: 'от 2,6 до 5,5' },
  { level: 'below_average', from: 1.6, to: 2.5, points: 0.5, label: 'от 1,6 до 2,5' },
  { level: 'low', from: 0, to: 1.5, points: 0, label: 'от 0 до 1,5' },
];

describe('POST /api/campaigns/:id/what-if', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let analyst: Client;
  let campaignId: string;
  let other: string;

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    await seedDemo(database.db, { year: true, today: '2026-12-07' });
    app = (await buildTestApp(database)).app;
    analyst = new Client(app, '10.17.0.1');
    expect((await analyst.login('analyst')).statusCode).toBe(200);
    campaignId = (await database.db.selectFrom('campaigns').select('id').where('title', '=', SEED004_CAMPAIGN_TITLE).executeTakeFirstOrThrow()).id;
    const res = await analyst.post('/api/campaigns', {
      title: 'Другая методика', methodologyId: 'direction-talents', methodologyVersion: '2021.1', period: '2021/2022', participants: { mode: 'all' },
      opensOn: '2022-02-15', dueOn: '2022-06-01', closesOn: '2030-06-30',
    });
    expect(res.statusCode, res.body).toBe(201);
    other = res.json().id as string;
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('the schools with an index of 5,1–5,5 go from «выше среднего» (2) to «средний» (1); the rest stay', async () => {
    const rows = (await readFile(SEED004, 'utf8')).trim().split('\n').slice(1).map((l) => l.split(','));
    const index = (students: number, programmes: number) => Math.floor((programmes / students) * 1000 + 0.5 + 1e-9) / 10;
    const expected = rows.filter((c) => { const v = index(Number(c[3]), Number(c[4])); return v >= 5.1 && v <= 5.5; }).map((c) => c[1]).sort();
    expect(expected.length).toBeGreaterThan(0);
    const history = async () => Number((await sql<{ n: number }>`select count(*)::int as n from methodology_versions`.execute(database.db)).rows[0]?.n);
    const before = await history();

    const res = await analyst.post(`/api/campaigns/${campaignId}/what-if`, BANDS(WIDER));
    expect(res.statusCode, res.body).toBe(200);
    const w = res.json();
    expect(w.campaign).toMatchObject({ id: campaignId, title: SEED004_CAMPAIGN_TITLE, methodologyVersion: '2021.1' });
    expect(w.draft).toEqual({ id: 'talents-2021', version: '2021.9' });
    const moved = w.results.filter((r: { indicator: string }) => r.indicator === 'diversity_index');
    expect(moved.map((r: { organisation: string }) => r.organisation).sort()).toEqual(expected);
    for (const r of moved) expect(r).toMatchObject({ before: { level: 'выше среднего', points: 2 }, after: { level: 'средний', points: 1 }, text: 'уровень: выше среднего → средний; баллы: 2 → 1' });
    expect(w.counts.changedLevel).toBe(expected.length);
    // Sums of points need every criterion of a row; the organisations table carries only criterion 2: no sums here.
    expect(w.totals).toEqual([]);
    // Municipal figures: Table № 4's counts by level move by the same schools.
    const share = w.aggregates.find((a: { id: string }) => a.id === 'diversity_levels_share.average');
    expect(share.after.value).toBeGreaterThan(share.before.value);
    // Nothing was saved.
    expect(await history()).toBe(before);
  });

  it('the same bands: nothing moves; a draft with errors and a campaign of another methodology are refused', async () => {
    const same = (await analyst.post(`/api/campaigns/${campaignId}/what-if`, { ...BANDS([]), edits: [] })).json();
    expect(same.results).toEqual([]);
    expect(same.counts.organisations).toBeGreaterThanOrEqual(51);
    const gap = WIDER.map((b) => (b.level === 'average' ? { ...b, to: 5.0 } : b));
    const bad = await analyst.post(`/api/campaigns/${campaignId}/what-if`, { ...BANDS(gap), edits: [{ path: ['indicators', 'diversity_index', 'formula'], value: 'programmes / nobody' }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/^Черновик содержит ошибки — исправьте их до расчёта: /);
    const foreign = await analyst.post(`/api/campaigns/${other}/what-if`, BANDS(WIDER));
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().error.message).toContain('сравнивать можно только версии одной методики');
  });
});
