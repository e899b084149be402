/** Issue 22, the recompute without the text tables, on the real database (both engines): the synthetic fisoko-2025
 * exports imported into a campaign on direction-preparation 2021.2 (value_rows), then form values over them
 * (value_history: a share changed, a comparison share cleared, a work with only some of its inputs, a ГИА row without
 * its optional inputs); the campaign's per-dimension values read as the recompute reads them are computed both ways —
 * straight into the engine's entities (`dimensionalEntities`, what the recompute takes) and through the text tables
 * `msoko compute` reads — and the outputs (results with explanations and comparison inputs, aggregates, totals,
 * warnings) are the same JSON; the recompute's own dimensional output is that one too. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileMethodology, lintMethodology } from '../../src/core/methodology/index.ts';
import { dimensionalEntities } from '../../src/core/methodology/dimensional-entities.ts';
import { computeCampaignResults } from '../../src/services/analysis/campaign-results.ts';
import { computeDimensional, currentDimensionalRows, dimensionalDatasets, dimensionalRows } from '../../src/services/analysis/campaign-dimensional.ts';
import { changeCampaignStatus, createCampaign, findCampaignRow } from '../../src/services/collection/campaigns.ts';
import { appendValues } from '../../src/services/collection/submissions.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import type { Actor } from '../../src/services/errors.ts';
import { parse } from 'yaml';
import { MethodologySchema } from '../../src/core/methodology/schema.ts';
import { importFisoko } from '../support/fisoko-campaigns.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from './helpers.ts';


describe.each(BACKENDS)('per-dimension recompute without the text tables on %s', (kind) => {
  let database: TestDatabase;
  let actor: Actor;
  let campaignId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    const u = await database.db.selectFrom('users').select('id').where('login', '=', 'analyst').executeTakeFirstOrThrow();
    actor = { userId: u.id, login: 'analyst', ip: '127.0.0.1' };
    const c = await createCampaign(database.db, actor, {
      title: 'ВПР и ГИА 2025', methodologyId: 'direction-preparation', methodologyVersion: '2021.2', period: '2024/2025', participants: { mode: 'types', types: ['school'] },
      opensOn: '2025-05-01', dueOn: '2025-06-30', closesOn: '2030-06-30',
    });
    campaignId = c.id;
    await changeCampaignStatus(database.db, actor, campaignId, 'open');
  }, 180_000);
  afterAll(async () => {
    await database?.dispose();
  });

  it('imported and form values: the same output both ways, and the recompute gives it', async () => {
    await importFisoko(database, actor, campaignId);

    const orgs = await database.db.selectFrom('organisations').select(['id', 'short_name as name', 'fisoko_login']).where('type', '=', 'school').orderBy('no').execute();
    const byLogin = new Map(orgs.map((o) => [o.fisoko_login, o.id]));
    const campaign = await findCampaignRow(database.db, campaignId);
    const MATH5 = { subject: 'Математика', grade: '5' };
    const form = (login: string, entries: { input: string; value: number | null; dimensions: Record<string, string> }[]) =>
      appendValues(database.db, actor, campaign, byLogin.get(login) ?? '', entries.map((e) => ({ ...e, evidenceUrl: null })), 'form', null);
    await form('sch021208', [{ input: 'journal_raised', value: 15, dimensions: MATH5 }, { input: 'region_vpr_share_5', value: null, dimensions: MATH5 }]);
    await form('sch021227', [{ input: 'vpr_share_5', value: 12.5, dimensions: { subject: 'История', grade: '8' } }]);
    await form('sch021214', [{ input: 'gia_participants', value: 31, dimensions: { subject: 'Физика', grade: '9' } }]);

    const m = MethodologySchema.parse(parse(readFileSync(new URL('../../library/directions/preparation-2021.2.yaml', import.meta.url), 'utf8')));
    const compiled = compileMethodology(m);
    if (!compiled.ok) throw new Error('methodology does not compile');
    const lint = lintMethodology(m);
    const rowsOf = await currentDimensionalRows(database.db, campaignId);
    const tables = dimensionalDatasets(m).flatMap(([id, ds]) => {
      const { rows } = dimensionalRows(m, id, ds, orgs, rowsOf);
      return rows.length ? [{ id, ds, file: ds.title, rows }] : [];
    });
    expect(tables.map((t) => t.id)).toEqual(['vpr_marks', 'vpr_journal', 'gia_results']);
    expect(dimensionalEntities(compiled.compiled, tables)).not.toBeNull(); // the direct path is taken

    const direct = computeDimensional(m, compiled.compiled, lint, orgs, rowsOf);
    const text = computeDimensional(m, compiled.compiled, lint, orgs, rowsOf, { text: true });
    expect(JSON.stringify(direct)).toBe(JSON.stringify(text));
    expect(direct.warnings).toEqual([expect.stringContaining('не вошли строки с незаполненными обязательными значениями (1)')]);
    const results = direct.output?.results ?? [];
    expect(results.length).toBeGreaterThan(500);
    const at = (login: string, subject: string, grade: number, indicator: string) => {
      const name = orgs.find((o) => o.fisoko_login === login)?.name;
      return results.find((r) => r.organisation === name && r.dimensions?.subject === subject && r.dimensions.grade === grade && r.indicator === indicator);
    };
    // The form's values took over: «повысили» 15 for №14's Математика 5, the region's «5» cleared (no sign then).
    expect(at('sch021208', 'Математика', 5, 'journal_raised_share')?.value).toBe(15);
    expect(at('sch021208', 'Математика', 5, 'vpr_objectivity_sign')?.value).toBeNull();
    expect(at('sch021214', 'Физика', 9, 'gia_failed_share')?.details.reason).toBe('нет данных: gia_failed');

    const r = await computeCampaignResults(database.db, campaignId, { basis: 'all' });
    const dims = r.computed.find((c) => c.results.some((x) => x.dimensions));
    expect(JSON.stringify(dims?.results)).toBe(JSON.stringify(text.output?.results));
    expect(JSON.stringify(dims?.aggregates)).toBe(JSON.stringify(text.output?.aggregates));
  });
});
