/** Issue 22, the analysis of one work: what it reads (src/services/analysis/work-read.ts) is what the whole campaign's
 * reading gives for that work, on both engines — `workParticipants` the organisations `campaignParticipants` includes
 * (every campaign of the demo year, every basis, with and without a municipality), in the same order; `workRows` the
 * rows `currentDimensionalRows` gives for the work: every input (the indicators' own, the comparison rows'
 * `region_`/`municipality_` and those no indicator reads), an import's rows overridden by later form rows per input
 * (a value, a value cleared to null), an import's row later than a form's row, a work of form rows only, and the
 * dimension values as the database gives them back. A reader that left out an input, or folded in another order,
 * fails here. */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentDimensionalRows } from '../../src/services/analysis/campaign-dimensional.ts';
import { campaignParticipants, type ResultsBasis } from '../../src/services/analysis/campaign-results.ts';
import { participantsDigest, participantsDigestSql, selectionWorks, workParticipants, workRows, worksRows } from '../../src/services/analysis/work-read.ts';
import { changeCampaignStatus, createCampaign, findCampaignRow } from '../../src/services/collection/campaigns.ts';
import { appendValues } from '../../src/services/collection/submissions.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import type { Actor } from '../../src/services/errors.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from './helpers.ts';

const MATH5 = { subject: 'Математика', grade: '5' };
const RUS7 = { subject: 'Русский язык', grade: '7' };
const HIST8 = { subject: 'История', grade: '8' };

/** An import's values of one school's work: every input of both ВПР tables, distinct per school. */
const imported = (k: number) => ({
  vpr_participants: 20 + k, vpr_share_2: 10, vpr_share_3: 30 + (k % 5), vpr_share_4: 35, vpr_share_5: 25 - (k % 5),
  region_vpr_share_2: 12.5, region_vpr_share_3: 33.1, region_vpr_share_4: 34.4, region_vpr_share_5: 20,
  municipality_vpr_share_2: 11, municipality_vpr_share_3: 32, municipality_vpr_share_4: 35, municipality_vpr_share_5: 22,
  journal_participants: 20 + k, journal_lowered: 5, journal_confirmed: 80 - k, journal_raised: 15 + k,
  region_journal_lowered: 6, region_journal_confirmed: 81, region_journal_raised: 13, municipality_journal_lowered: 7, municipality_journal_confirmed: 79, municipality_journal_raised: 14,
});

describe.each(BACKENDS)('the reads of one work on %s', (kind) => {
  let database: TestDatabase;
  let campaignId = '';

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db, { year: true });
    const db = database.db;
    const u = await db.selectFrom('users').select('id').where('login', '=', 'analyst').executeTakeFirstOrThrow();
    const actor: Actor = { userId: u.id, login: 'analyst', ip: '127.0.0.1' };
    const c = await createCampaign(db, actor, { title: 'ВПР (чтение работы)', methodologyId: 'direction-preparation', methodologyVersion: '2021.2', period: '2030/2031', participants: { mode: 'types', types: ['school'] }, opensOn: '2031-04-01', dueOn: '2031-06-30', closesOn: '2099-06-30' });
    await changeCampaignStatus(db, actor, c.id, 'open');
    campaignId = c.id;
    const schools = (await db.selectFrom('campaign_organisations').select('organisation_id').where('campaign_id', '=', c.id).orderBy('organisation_id').execute()).map((r) => r.organisation_id);
    expect(schools.length).toBeGreaterThanOrEqual(4);
    const [a, b, d, e] = schools as [string, string, string, string];
    const row = await findCampaignRow(db, c.id);
    const form = (org: string, entries: { input: string; value: number | null; dimensions: Record<string, string> }[]) => appendValues(db, actor, row, org, entries.map((x) => ({ ...x, evidenceUrl: null })), 'form', null);
    const importRow = (org: string, dims: Record<string, string>, values: Record<string, number>) =>
      sql`insert into value_rows (campaign_id, organisation_id, dimensions, "values", source, source_ref, actor_user_id, actor_login)
        values (${c.id}::uuid, ${org}::uuid, ${JSON.stringify(dims)}::jsonb, ${JSON.stringify(values)}::jsonb, 'import', 'тест', ${u.id}::uuid, 'analyst')`.execute(db);
    for (const [k, org] of schools.entries()) {
      await importRow(org, MATH5, imported(k));
      if (k % 2 === 0) await importRow(org, RUS7, imported(k + 7));
    }
    // Form rows over the import: a share changed, a comparison input cleared, an input no indicator reads changed.
    await form(a, [{ input: 'vpr_share_3', value: 12, dimensions: MATH5 }, { input: 'region_vpr_share_5', value: null, dimensions: MATH5 }, { input: 'municipality_journal_lowered', value: 9, dimensions: MATH5 }]);
    // A form row, then a later import row of the same work: the import's values win where it has them.
    await form(b, [{ input: 'journal_raised', value: 40, dimensions: RUS7 }, { input: 'vpr_share_5', value: 1, dimensions: MATH5 }]);
    await importRow(b, MATH5, { ...imported(50), vpr_share_5: 44 });
    // A work of form rows only.
    await form(d, [{ input: 'vpr_share_5', value: 12.5, dimensions: HIST8 }, { input: 'journal_raised', value: 16, dimensions: HIST8 }]);
    await form(e, [{ input: 'vpr_share_5', value: 30, dimensions: HIST8 }]);
  }, 240_000);
  afterAll(async () => {
    await database?.dispose();
  });

  it('the participants on each basis are those campaignParticipants includes, in its order, and their digest the same in SQL', async () => {
    const db = database.db;
    const campaigns = (await db.selectFrom('campaigns').select('id').execute()).map((r) => r.id);
    const municipalities = (await db.selectFrom('municipalities').select('id').execute()).map((r) => r.id);
    expect(campaigns.length).toBeGreaterThan(2);
    let differ = 0;
    let compared = 0;
    for (const id of campaigns) {
      for (const municipality of [null, ...municipalities]) {
        const sizes: number[] = [];
        for (const basis of ['all', 'submitted', 'accepted'] as ResultsBasis[]) {
          const expected = ((await campaignParticipants(db, [id], basis, municipality)).get(id) ?? []).filter((o) => o.included).map((o) => ({ id: o.id, name: o.name }));
          expect(await workParticipants(db, id, basis, municipality), `${id} ${basis} ${municipality}`).toEqual(expected);
          // The kept views' stamp (work-views.ts): the database's digest of the list is the one computed from it.
          const { digest } = await participantsDigestSql(db, id, basis, municipality).executeTakeFirstOrThrow();
          expect(digest, `${id} ${basis} ${municipality}`).toBe(participantsDigest(expected));
          sizes.push(expected.length);
          compared += expected.length;
        }
        if (new Set(sizes).size > 1) differ++;
      }
    }
    // The demo year has drafts, submissions and accepted ones: the bases differ somewhere.
    expect(compared).toBeGreaterThan(0);
    expect(differ).toBeGreaterThan(0);
  });

  it('the rows of each work are those currentDimensionalRows gives for it, every input included', async () => {
    const db = database.db;
    for (const dims of [MATH5, RUS7, HIST8, { subject: 'Физика', grade: '11' }]) {
      const work = JSON.stringify(dims);
      const expected = await currentDimensionalRows(db, campaignId, [work]);
      const got = await workRows(db, campaignId, dims);
      expect([...got.keys()].sort(), work).toEqual([...expected.keys()].sort());
      for (const [org, rows] of expected) {
        expect(got.get(org), `${work} ${org}`).toEqual(rows);
        // The dimension values in the same order of keys (they are printed as given).
        expect(JSON.stringify(got.get(org)?.[0]?.dimensions)).toBe(JSON.stringify(rows[0]?.dimensions));
      }
    }
    // The cases above are there: a cleared comparison input, an input no indicator reads, the later import's value.
    const math = await workRows(db, campaignId, MATH5);
    const all = [...math.values()].map((r) => r[0]?.values ?? {});
    expect(all.some((v) => v.region_vpr_share_5 !== undefined && v.region_vpr_share_5.value === null)).toBe(true);
    expect(all.some((v) => v.municipality_journal_lowered?.value === 9)).toBe(true);
    expect(all.some((v) => v.vpr_share_5?.value === 44)).toBe(true);
    expect(all.every((v) => Object.keys(v).length >= 23)).toBe(true);
    expect((await workRows(db, campaignId, HIST8)).size).toBe(2);
  });

  it('the rows of several works (an open selection) are those currentDimensionalRows gives for them, in its order', async () => {
    const db = database.db;
    const every = await selectionWorks(db, campaignId, { subject: null, grade: null });
    expect(every.map((w) => JSON.parse(w))).toEqual(expect.arrayContaining([MATH5, RUS7, HIST8]));
    // Exactly the works a plain walk over both logs finds (the skip scan reads one index entry per work).
    const walked = await sql<{ d: string }>`select distinct dimensions::text as d from value_rows where campaign_id = ${campaignId}::uuid and dimensions is not null
      union select distinct dimensions::text from value_history where campaign_id = ${campaignId}::uuid and dimensions is not null`.execute(db);
    expect(every.map((w) => JSON.stringify(JSON.parse(w))).sort()).toEqual(walked.rows.map((r) => JSON.stringify(JSON.parse(r.d))).sort());
    expect(every.length).toBeGreaterThanOrEqual(3);
    const grade5 = await selectionWorks(db, campaignId, { subject: null, grade: '5' });
    expect(grade5.length).toBeGreaterThan(0);
    expect(grade5.every((w) => JSON.parse(w).grade === '5')).toBe(true);
    for (const works of [every, grade5, [JSON.stringify(MATH5), JSON.stringify(HIST8)]]) {
      const expected = await currentDimensionalRows(db, campaignId, works);
      const got = await worksRows(db, campaignId, works);
      expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [org, rows] of expected) expect(JSON.stringify(got.get(org)), org).toBe(JSON.stringify(rows));
    }
    expect((await worksRows(db, campaignId, [])).size).toBe(0);
  });
});
