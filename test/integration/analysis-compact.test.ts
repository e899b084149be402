/** Issue 22, the analysis page at scale: above a number of per-dimension rows (`analysisInlineRows`,
 * MSOKO_ANALYSIS_INLINE_ROWS) `GET /api/campaigns/:id/analysis` carries compact views — the first row and the rows
 * with a sign of non-objectivity — instead of every school × subject × grade with its texts (hundreds of megabytes
 * for a year of ФИС ОКО reports). Here the same two campaigns (synthetic fisoko-2025 exports) are read by an app with
 * the default limit (whole views) and by one with a limit of 10 rows, on both engines: the compact answer keeps
 * exactly those rows of both views, says how many it left out, gives the same table of signs, and the rest of the
 * answer is the same — the current view's kept rows with the same texts, although the compact answer's campaign was
 * computed with texts for those rows only (`dimensionalTextsAbove`). */
import type { FastifyInstance } from 'fastify';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DimensionalView } from '../../src/core/analysis/index.ts';
import { objectivitySigns } from '../../src/core/analysis/index.ts';
import { campaignModel } from '../../src/services/analysis/campaign-analysis.ts';
import { keptOutcomes } from '../../src/services/analysis/kept-outcomes.ts';
import { findCampaignRow } from '../../src/services/collection/campaigns.ts';
import { appendValues } from '../../src/services/collection/submissions.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { fisokoCampaign } from '../support/fisoko-campaigns.ts';
import { BACKENDS, Client, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

describe.each(BACKENDS)('the analysis page of a large dimensional campaign on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let small: FastifyInstance;
  let currentId = '';
  let previousId = '';

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    app = (await buildTestApp(database)).app;
    small = (await buildTestApp(database, { analysisInlineRows: 10 })).app;
    const analyst = new Client(app, '10.22.7.1');
    expect((await analyst.login('analyst')).statusCode).toBe(200);
    previousId = await fisokoCampaign(database, analyst, 'ВПР 2024', '2023/2024');
    currentId = await fisokoCampaign(database, analyst, 'ВПР 2025', '2024/2025');
  }, 360_000);
  afterAll(async () => {
    await small?.close();
    await app?.close();
    await database?.dispose();
  });

  it('keeps the first row and the signs of both views, and nothing else changes', async () => {
    const read = async (a: FastifyInstance) => {
      const c = new Client(a, '10.22.7.2');
      expect((await c.login('analyst')).statusCode).toBe(200);
      const res = await c.get(`/api/campaigns/${currentId}/analysis?basis=all`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    const whole = await read(app);
    const compact = await read(small);
    const sign = (v: DimensionalView) => v.objectivity?.indicator.id as string;
    // The previous campaign's compact view comes without explanation texts (the page reads its values only).
    const blank = (rows: DimensionalView['rows']) => rows.map((r) => ({ ...r, cells: Object.fromEntries(Object.entries(r.cells).map(([k, x]) => [k, { ...x, explanation: '' }])) }));
    for (const [w, c, texts] of [[whole.model.dimensional, compact.model.dimensional, true], [whole.previousDimensional, compact.previousDimensional, false]] as [DimensionalView, DimensionalView, boolean][]) {
      expect(w.omittedRows).toBeUndefined();
      const kept = w.rows.filter((r, i) => i === 0 || r.cells[sign(w)]?.value === 1);
      expect(kept.length).toBeGreaterThan(1);
      expect(kept.length).toBeLessThan(w.rows.length);
      expect(c.rows).toEqual(texts ? kept : blank(kept));
      expect(c.omittedRows).toBe(w.rows.length - kept.length);
      expect(objectivitySigns(c)).toEqual(texts ? objectivitySigns(w) : objectivitySigns(w).map((x) => ({ ...x, explanation: '' })));
      expect([c.dimensions, c.indicators, c.aggregates, c.objectivity]).toEqual([w.dimensions, w.indicators, w.aggregates, w.objectivity]);
    }
    // Everything else of the answer is the same.
    const rest = (a: Record<string, unknown> & { model: Record<string, unknown> }) => ({ ...a, previousDimensional: null, model: { ...a.model, dimensional: null } });
    expect(rest(compact)).toEqual(rest(whole));
    expect(JSON.stringify(compact).length).toBeLessThan(JSON.stringify(whole).length / 4);
  });

  it('read for its municipal values only (an earlier campaign of the series), a ВПР campaign computes no per-dimension row', async () => {
    // direction-preparation 2021.2 has no criteria: its municipal values are of no per-dimension indicator.
    for (const id of [previousId, currentId]) {
      const whole = await campaignModel(database.db, id, { basis: 'all' });
      const part = await campaignModel(database.db, id, { basis: 'all', explain: false, municipalOnly: true });
      expect(whole.results.computed.some((t) => t.dimensions)).toBe(true);
      expect(part.results.computed.some((t) => t.dimensions)).toBe(false);
      expect(part.model.municipal.map((v) => [v.indicator.id, v.value])).toEqual(whole.model.municipal.map((v) => [v.indicator.id, v.value]));
      // The tables without dimensions are computed as usual.
      expect(part.results.computed.map((t) => t.dataset.id)).toEqual(whole.results.computed.filter((t) => !t.dimensions).map((t) => t.dataset.id));
    }
  });

  it('the protocol draft and the report\'s text blocks, computed as the compact page is, are those of the whole computation', async () => {
    const read = async (a: FastifyInstance) => {
      const c = new Client(a, '10.22.7.4');
      expect((await c.login('analyst')).statusCode).toBe(200);
      const protocol = await c.get(`/api/campaigns/${currentId}/protocol?basis=all&number=7`);
      expect(protocol.statusCode, protocol.body).toBe(200);
      const blocks = await c.get(`/api/campaigns/${currentId}/report-texts?basis=all`);
      expect(blocks.statusCode, blocks.body).toBe(200);
      return { xml: await (await JSZip.loadAsync(protocol.rawPayload)).file('word/document.xml')!.async('string'), blocks: blocks.json() };
    };
    const whole = await read(app);
    const compact = await read(small);
    expect(compact.xml).toBe(whole.xml);
    expect(compact.blocks).toEqual(whole.blocks);
    // Not vacuous: the signs of non-objectivity are among the conclusions.
    expect(whole.blocks.blocks.find((b: { id: string }) => b.id === 'conclusion.objectivity')?.text).toMatch(/«да» у \d+/);
  });

  it('opened again, the page reuses the kept computations; a changed value is seen by the next opening', async () => {
    const c = new Client(small, '10.22.7.3');
    expect((await c.login('analyst')).statusCode).toBe(200);
    const open = async () => {
      const res = await c.get(`/api/campaigns/${currentId}/analysis?basis=all`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    const kept = keptOutcomes(database.db);
    kept.clear();
    const first = await open();
    const counts = () => ({ hits: kept.hits, misses: kept.misses });
    let n = counts();
    expect(await open()).toEqual(first);
    // This campaign's computation and the previous one's, both kept.
    expect(counts()).toEqual({ hits: n.hits + 2, misses: n.misses });

    // A school's shares in Математика, 5 класс of this campaign: all «2» — nobody passed, the municipality's shares fall.
    const u = await database.db.selectFrom('users').select('id').where('login', '=', 'analyst').executeTakeFirstOrThrow();
    const actor = { userId: u.id, login: 'analyst', ip: '127.0.0.1' };
    const school = await database.db.selectFrom('organisations').select(['id', 'short_name']).where('fisoko_login', '=', 'sch021208').executeTakeFirstOrThrow();
    await appendValues(database.db, actor, await findCampaignRow(database.db, currentId), school.id,
      [100, 0, 0, 0].map((value, i) => ({ input: `vpr_share_${i + 2}`, value, dimensions: { subject: 'Математика', grade: '5' }, evidenceUrl: null })), 'form', null);
    n = counts();
    const changed = await open();
    // This campaign computed again, the previous one kept.
    expect(counts()).toEqual({ hits: n.hits + 1, misses: n.misses + 1 });
    expect(changed.model.aggregates).not.toEqual(first.model.aggregates);
    // The same as computed with nothing kept.
    kept.clear();
    expect(await open()).toEqual(changed);
  });
});
