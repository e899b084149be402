/** Issue 22, the analysis page of a large campaign: an open selection («по всем предметам» in a grade, a subject over
 * every grade, every work) ranked by the server (`GET /api/campaigns/:id/analysis/work` without a dimension,
 * src/services/analysis/dimensional-selection.ts) equals what the page ranks from the whole views — `rankDimensional`
 * and `dimensionalDynamics` over `model.dimensional` and `previousDimensional` of the full analysis — for every open
 * selection and every aggregate offered for it, on two campaigns of the synthetic fisoko-2025 exports, on both
 * engines. A wrong aggregate is a Russian 404, no aggregate the work's 400 for the dimension left out; a selection with every dimension is the work's answer. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DimensionalView, DimensionSelection } from '../../src/core/analysis/index.ts';
import { dimensionalDynamics, rankableMeasures, rankDimensional } from '../../src/core/analysis/index.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import type { WorkAnalysis } from '../../src/services/analysis/dimensional-work.ts';
import { fisokoCampaign } from '../support/fisoko-campaigns.ts';
import { BACKENDS, Client, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

const query = (sel: DimensionSelection, indicator?: string) =>
  new URLSearchParams({ basis: 'all', ...Object.fromEntries(Object.entries(sel).filter((e): e is [string, string] => e[1] !== null)), ...(indicator ? { indicator } : {}) }).toString();

describe.each(BACKENDS)('an open selection ranked on the server on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let analyst: Client;
  let currentId = '';
  let previousId = '';

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    app = (await buildTestApp(database)).app;
    analyst = new Client(app, '10.22.8.1');
    expect((await analyst.login('analyst')).statusCode).toBe(200);
    previousId = await fisokoCampaign(database, analyst, 'ВПР 2024', '2023/2024');
    currentId = await fisokoCampaign(database, analyst, 'ВПР 2025', '2024/2025');
  }, 360_000);
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('every open selection × aggregate: the ranking and the change equal the whole views’', async () => {
    const res = await analyst.get(`/api/campaigns/${currentId}/analysis?basis=all`);
    expect(res.statusCode, res.body).toBe(200);
    const view = res.json().model.dimensional as DimensionalView;
    const prev = res.json().previousDimensional as DimensionalView;
    const selections: DimensionSelection[] = [{ subject: null, grade: null }];
    for (const d of view.dimensions) for (const v of d.values) selections.push({ subject: null, grade: null, [d.id]: v.value });
    let ranked = 0;
    for (const sel of selections) {
      for (const measure of rankableMeasures(view, sel)) {
        const r = await analyst.get(`/api/campaigns/${currentId}/analysis/work?${query(sel, measure.id)}`);
        expect(r.statusCode, r.body).toBe(200);
        const w = r.json() as WorkAnalysis;
        const want = rankDimensional(view, sel, measure.id);
        expect(w.rankings.map((x) => x.ranking), JSON.stringify(sel)).toEqual(want ? [want] : []);
        expect(w.rankings[0]?.dynamics ?? null).toEqual(dimensionalDynamics(view, prev, sel, measure.id));
        expect(w.previous?.campaign.id).toBe(previousId);
        expect(w.previous?.rankings).toEqual([rankDimensional(prev, sel, measure.id)].filter((x) => x !== null));
        if (want?.entries.some((e) => e.value !== null)) ranked++;
      }
    }
    // With values: every work, Русский язык and Математика over every grade, «по всем предметам» in 5 and 7 классы
    // (9 класс has ГИА only: ranked without values, as the whole view ranks it).
    expect(ranked).toBe(5);
  });

  it('names a missing or wrong aggregate in Russian; every dimension given is one work', async () => {
    // Without an aggregate, a dimension left out is missing from one work.
    for (const q of ['grade=5', 'grade=5&indicator=vpr_success_share']) {
      const missing = await analyst.get(`/api/campaigns/${currentId}/analysis/work?basis=all&${q}`);
      expect(missing.statusCode).toBe(400);
      expect(missing.json().error.message).toBe('Не указано измерение «Предмет» (subject).');
    }
    // An aggregate grouped by the open dimension (one subject over every grade) does not rank «по всем предметам».
    const wrong = await analyst.get(`/api/campaigns/${currentId}/analysis/work?basis=all&grade=5&indicator=vpr_success_by_subject`);
    expect(wrong.statusCode).toBe(404);
    expect(wrong.json().error.message).toMatch(/^Показатель «vpr_success_by_subject» не ранжирует такой выбор: доступны vpr_success_all \(«.+»\)\.$/);
    const one = await analyst.get(`/api/campaigns/${currentId}/analysis/work?basis=all&subject=Математика&grade=5&indicator=vpr_success_share`);
    expect(one.statusCode).toBe(200);
    expect((one.json() as WorkAnalysis).rankings.map((x) => x.ranking.entries.length)[0]).toBeGreaterThan(20);
  });
});
