/** computeCampaignResults on the real database: a talents-2021 campaign whose values are appended from the seed-004
 * organisations file (as an import would) reproduces the golden facts; the basis (submitted / accepted / all) decides
 * which organisations count; an uploaded municipality table (coverage) joins the computation. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReportModel } from '../../src/services/analysis/report.ts';
import { computeCampaignResults, computeCampaignResultsMany, eachCampaignResults } from '../../src/services/analysis/campaign-results.ts';
import { uploadCampaignTable } from '../../src/services/analysis/campaign-inputs.ts';
import { findCampaignRow } from '../../src/services/collection/campaigns.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import type { Actor } from '../../src/services/errors.ts';
import { appendValues, changeSubmissionStatus } from '../../src/services/collection/submissions.ts';
import { SEED, seedCampaign } from './campaign-fixture.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from './helpers.ts';

describe.each(BACKENDS)('campaign results on %s', (kind) => {
  let database: TestDatabase;
  let actor: Actor;
  let campaignId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    const u = await database.db.selectFrom('users').select('id').where('login', '=', 'analyst').executeTakeFirstOrThrow();
    actor = { userId: u.id, login: 'analyst', ip: '127.0.0.1' };
    campaignId = await seedCampaign(database.db, actor);
  }, 120_000);
  afterAll(async () => {
    await database?.dispose();
  });

  it('basis «all»: the seed-004 organisation table reproduces the golden facts', async () => {
    const r = await computeCampaignResults(database.db, campaignId, { basis: 'all' });
    expect(r.basis).toBe('all');
    expect(r.methodology.id).toBe('talents-2021');
    expect(r.organisations).toHaveLength(51);
    expect(r.organisations.every((o) => o.included && o.submissionStatus === 'draft')).toBe(true);
    expect(r.computed.map((c) => c.dataset.id)).toEqual(['organisations']);
    expect(r.warnings).toEqual([]);
    const t = r.computed[0]!;
    expect(t.dataset.rows).toBe(51);
    const cell = (org: string) => t.results.find((x) => x.organisation === org && x.indicator === 'diversity_index');
    expect(cell('Петровское')?.value).toBe(3.3);
    expect(cell('Петровское')?.level).toBe('средний');
    expect(cell('Канакаево')?.value).toBe(5.2);
    expect(cell('Канакаево')?.level).toBe('выше среднего');
    expect(cell('ДОУ №33')?.value).toBe(7.6);
    expect(cell('ДОУ №33')?.level).toBe('высокий');
    const municipal = t.aggregates.find((a) => a.aggregate === 'municipal_diversity_index' && a.group === null);
    expect(municipal?.value).toBe(5.6);
    // Printed figures are not collected in a campaign: no discrepancies with them, only the computed values.
    expect(t.discrepancies).toEqual([]);
    const ids = new Map(r.organisations.map((o) => [o.name, o]));
    expect(ids.get('Петровское')).toMatchObject({ type: 'school', no: '26' });
    expect(ids.get('ДОУ №33')).toMatchObject({ type: 'preschool', no: '46' });

    const model = buildReportModel({ methodology: r.methodology, computed: r.computed, organisations: r.organisations });
    expect(model.municipal.find((x) => x.indicator.id === 'diversity_index')?.value).toBe(5.6);
    expect(model.conclusions.map((c) => c.text).join('\n')).toContain('5,6');
    const dist = model.distributions.find((d) => d.indicator.id === 'diversity_index');
    expect(dist?.byType.totals.total.count).toBe(51);
  });

  it('default basis counts submitted and accepted forms only; «accepted» only accepted ones', async () => {
    expect((await computeCampaignResults(database.db, campaignId)).computed).toEqual([]);
    const orgs = await database.db.selectFrom('organisations').select(['id', 'short_name']).where('short_name', 'in', ['№1', '№2']).orderBy('no').execute();
    const record = await findCampaignRow(database.db, campaignId);
    for (const [i, o] of orgs.entries()) {
      await appendValues(database.db, actor, record, o.id, [{ input: 'surveyed_students', value: 150 + i * 300, evidenceUrl: null }], 'form', null);
      await changeSubmissionStatus(database.db, actor, campaignId, o.id, 'submit', { comment: 'проверено' }, { scope: null });
    }
    await changeSubmissionStatus(database.db, actor, campaignId, orgs[0]!.id, 'accept', {}, { scope: null });

    const submitted = await computeCampaignResults(database.db, campaignId);
    expect(submitted.basis).toBe('submitted');
    expect(submitted.organisations.filter((o) => o.included).map((o) => o.name)).toEqual(['№1', '№2']);
    expect(submitted.computed.map((c) => c.dataset.id)).toEqual(['organisations', 'needs_survey']);
    const share = submitted.computed[1]!.results.map((x) => [x.organisation, x.value, x.points]);
    // 150 / 708 = 21,2 % → 2 points; 450 / 1552 = 29,0 % → 3 points.
    expect(share).toEqual([
      ['№1', 21.2, 2],
      ['№2', 29, 3],
    ]);

    const accepted = await computeCampaignResults(database.db, campaignId, { basis: 'accepted' });
    expect(accepted.organisations.filter((o) => o.included).map((o) => o.name)).toEqual(['№1']);
    expect(accepted.computed[0]!.results.map((x) => [x.organisation, x.value])).toEqual([['№1', 2.3]]);
    // The municipal index is now 2,3, but the methodology's printed 5,6 belongs to the 2021 report, not to this campaign.
    expect(accepted.computed[0]!.aggregates.find((a) => a.aggregate === 'municipal_diversity_index' && a.group === null)?.value).toBe(2.3);
    expect(accepted.computed[0]!.discrepancies).toEqual([]);

    // With «all», the 49 organisations that have no surveyed_students are named as left out of table 1.1.
    const all = await computeCampaignResults(database.db, campaignId, { basis: 'all' });
    expect(all.computed.find((c) => c.dataset.id === 'needs_survey')?.dataset.rows).toBe(2);
    expect(all.warnings).toEqual([]);
  });

  it('an uploaded municipality table (coverage.csv) is computed with the campaign: 78,9 % against the target 75 %', async () => {
    const info = await uploadCampaignTable(database.db, actor, campaignId, { name: 'coverage.csv', buffer: readFileSync(SEED('coverage.csv')) });
    expect(info).toMatchObject({ datasetId: 'coverage', rows: 1, fileName: 'coverage.csv' });
    await expect(uploadCampaignTable(database.db, actor, campaignId, { name: 'organisations.csv', buffer: readFileSync(SEED('organisations.csv')) })).rejects.toThrow(
      /организаций — они вводятся в формах организаций/,
    );
    const r = await computeCampaignResults(database.db, campaignId, { basis: 'all' });
    expect(r.sources.find((s) => s.datasetId === 'coverage')).toEqual({ datasetId: 'coverage', kind: 'table', ref: 'coverage.csv' });
    const cov = r.computed.find((c) => c.dataset.id === 'coverage');
    expect(cov?.results[0]?.value).toBe(78.9);
    const model = buildReportModel({ methodology: r.methodology, computed: r.computed, organisations: r.organisations });
    expect(model.conclusions.map((c) => c.text).join('\n')).toContain('78,9\u00A0%, что выше целевого показателя 75\u00A0%');
    const audit = await database.db.selectFrom('audit_log').select('action').where('action', '=', 'campaign.table.upload').execute();
    expect(audit).toHaveLength(1);
  });
  it('many campaigns at once (in batches): the same results as one by one, in the order asked; an unknown id is not found', { timeout: 60_000 }, async () => {
    const second = await seedCampaign(database.db, actor, { title: 'Мониторинг охвата (2022)', period: '2022' });
    const asked = [second, campaignId, second];
    const one: unknown[] = [];
    for (const id of asked) one.push(await computeCampaignResults(database.db, id, { basis: 'all' }));
    const many = await computeCampaignResultsMany(database.db, asked, { basis: 'all' });
    expect(many.map((r) => r.campaign.id)).toEqual(asked);
    expect(many).toEqual(one);
    const batched: unknown[] = [];
    for await (const r of eachCampaignResults(database.db, asked, { basis: 'all', batch: 2 })) batched.push(r);
    expect(batched).toEqual(one);
    // The uploaded coverage table belongs to the first campaign only.
    expect(many[1]?.sources.filter((x) => x.kind === 'table').map((x) => x.ref)).toEqual(['coverage.csv']);
    expect(many[0]?.sources.filter((x) => x.kind === 'table')).toEqual([]);
    expect(many[0]?.campaign.period).toBe('2022');
    await expect(computeCampaignResultsMany(database.db, [campaignId, '00000000-0000-4000-8000-000000000000'])).rejects.toMatchObject({ code: 'CAMPAIGN_NOT_FOUND' });
    await expect(computeCampaignResults(database.db, 'not-a-uuid')).rejects.toMatchObject({ code: 'CAMPAIGN_NOT_FOUND' });
  });
});
