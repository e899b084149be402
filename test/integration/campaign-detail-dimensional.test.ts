/** The campaign page's list for a campaign with per-dimension values (issue 22, migration 0020): the whole list reads
 * the merged current values (`dimensionalSummaryOfCampaign`: `value_rows` and the forms' rows without unnesting), an
 * organisation's own page reads every value with its provenance through `value_history_visible`; both must give the
 * same completeness and the same last change for every school — after an import's rows, a form edit over them, a
 * value cleared, and an import that never became visible. */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeCampaignStatus, createCampaign, getCampaignDetail } from '../../src/services/collection/campaigns.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import type { Actor } from '../../src/services/errors.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from './helpers.ts';

const MATH5 = { subject: 'Математика', grade: '5' };
const RUS7 = { subject: 'Русский язык', grade: '7' };
const TODAY = '2025-04-01';

describe.each(BACKENDS)('campaign list with per-dimension values on %s', (kind) => {
  let database: TestDatabase;
  let actor: Actor;
  let campaignId: string;
  const orgs: string[] = [];

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const db = database.db;
    await seedDemo(db);
    const u = await db.selectFrom('users').select('id').where('login', '=', 'analyst').executeTakeFirstOrThrow();
    actor = { userId: u.id, login: 'analyst', ip: '127.0.0.1' };
    for (const o of await db.selectFrom('organisations').select('id').where('no', 'in', [1, 2, 3]).orderBy('no').execute()) orgs.push(o.id);
    const c = await createCampaign(db, actor, {
      title: 'ВПР (список мониторинга)', methodologyId: 'direction-preparation', methodologyVersion: '2021.2', period: '2025',
      participants: { mode: 'list', organisationIds: orgs }, opensOn: '2025-03-01', dueOn: '2025-06-01', closesOn: '2030-06-30',
    });
    campaignId = c.id;
    await changeCampaignStatus(db, actor, campaignId, 'open');
  }, 180_000);
  afterAll(async () => {
    await database?.dispose();
  });

  const row = (org: string, dimensions: object, values: object, importJob: string | null = null) =>
    database.db.insertInto('value_rows').values({ campaign_id: campaignId, organisation_id: org, dimensions: JSON.stringify(dimensions), values: JSON.stringify(values), source: 'import', import_job_id: importJob } as never).execute();
  const cell = (org: string, dimensions: object, input: string, value: unknown) =>
    database.db.insertInto('value_history').values({ campaign_id: campaignId, organisation_id: org, input, value: JSON.stringify(value), dimensions, source: 'form' } as never).execute();

  /** Each school's row of the whole list beside its row on its own page. */
  async function bothWays() {
    const list = await getCampaignDetail(database.db, campaignId, { today: TODAY });
    const own = await Promise.all(orgs.map(async (o) => (await getCampaignDetail(database.db, campaignId, { today: TODAY, organisationId: o })).rows[0]));
    return orgs.map((o, i) => {
      const fromList = list.rows.find((r) => r.organisationId === o);
      const pick = (r: typeof fromList) => (r ? { filled: r.filled, required: r.required, percent: r.percent, updatedAt: r.updatedAt } : null);
      return { list: pick(fromList), own: pick(own[i]) };
    });
  }

  it('an import row, a form edit over it and a cleared value: the whole list and each own page agree', async () => {
    await row(orgs[0]!, MATH5, { vpr_participants: 20, vpr_share_2: 10, vpr_share_3: 30, vpr_share_4: 40, vpr_share_5: 20, region_vpr_share_5: 11 });
    await row(orgs[1]!, RUS7, { vpr_participants: 15, vpr_share_2: 0, vpr_share_3: 40 });
    await cell(orgs[1]!, RUS7, 'vpr_share_4', 35);
    await cell(orgs[0]!, MATH5, 'vpr_share_5', null); // cleared in the form after the import
    const rows = await bothWays();
    for (const r of rows) expect(r.list).toEqual(r.own);
    // The cleared cell counts as empty; the third school has nothing.
    expect(rows[0]!.list!.filled).toBeLessThan(rows[0]!.list!.required);
    expect(rows[1]!.list!.updatedAt).not.toBeNull();
    const before = rows.map((r) => r.list);

    // An import that never became visible (its job's import is not applied) changes nothing in either view.
    const job = await sql<{ id: string }>`insert into jobs (kind, payload, status) values ('import.apply', '{}'::jsonb, 'failed') returning id`.execute(database.db);
    await row(orgs[2]!, MATH5, { vpr_participants: 30, vpr_share_2: 5 }, job.rows[0]!.id);
    const after = await bothWays();
    for (const r of after) expect(r.list).toEqual(r.own);
    expect(after.map((r) => r.list)).toEqual(before);
    expect(after[2]!.list!.filled).toBe(before[2]!.filled);
  });
});
