/** Issue 21, scale: a campaign's results without the records behind the counted inputs
 * (`computeCampaignResults(…, { countedRecords: false })`) are counted from the groups the database forms
 * (loadRecordGroups, record-groups.ts) instead of a record object per row. On both engines, on a generated Навигатор
 * list with every status, organisations with more than 12 published programmes of one focus (the sum's terms are not
 * listed) and with fewer, organisations without programmes: those results are exactly the default results — counted from the records — with the records taken out. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeCampaignResults, type CampaignResults } from '../../src/services/analysis/campaign-results.ts';
import { changeCampaignStatus, createCampaign } from '../../src/services/collection/campaigns.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import type { Actor } from '../../src/services/errors.ts';
import { uploadImport } from '../../src/services/imports/imports.ts';
import { applyRecordList, loadRecordGroups } from '../../src/services/imports/record-lists.ts';
import { FOCI, navigatorCsv, type NavigatorRow } from '../../scripts/synthetic-navigator.ts';
import { addOrganisations, innOf } from '../support/import-data.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from './helpers.ts';

const FIRST = 3001;
const ORGS = 24;
const STATUSES = ['Опубликована', 'Опубликована', 'Черновик', 'Опубликована', 'Архив', 'Снята с публикации', 'Опубликована'];

/** The results as JSON with the records of every counted input taken out (everything else in its place and order). */
function withoutRecords(r: CampaignResults): string {
  return JSON.stringify(r, (key, value: unknown) => (key === 'counted' && value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([input, d]) => [input, Object.fromEntries(Object.entries(d as object).filter(([k]) => k !== 'records'))])) : value));
}

describe.each(BACKENDS)('campaign results counted from groups of records on %s', (kind) => {
  let database: TestDatabase;
  let campaignId: string;
  let listId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const db = database.db;
    const { municipalityId } = await seedDemo(db);
    await addOrganisations(db, municipalityId, FIRST, ORGS);
    const u = await db.selectFrom('users').select('id').where('login', '=', 'analyst').executeTakeFirstOrThrow();
    const actor: Actor = { userId: u.id, login: 'analyst', ip: null };
    const ids = (await db.selectFrom('organisations').select('id').where('no', '>=', FIRST).orderBy('no').execute()).map((o) => o.id);
    const c = await createCampaign(db, actor, { title: 'Навигатор: группы', methodologyId: 'talents-2021', methodologyVersion: '2021.1', period: '2021', participants: { mode: 'list', organisationIds: ids }, opensOn: '2022-02-15', dueOn: '2022-06-01', closesOn: '2099-06-30' });
    await changeCampaignStatus(db, actor, c.id, 'open');
    campaignId = c.id;
    await db.insertInto('value_history').values(ids.map((id, i) => ({ campaign_id: c.id, organisation_id: id, input: 'students', value: JSON.stringify(200 + i * 13), evidence_url: null, source: 'import' as const, source_ref: 'test', actor_user_id: actor.userId, actor_login: actor.login }))).execute();
    // The last three organisations have no programmes; the first two have 100+ each (> 12 per focus); the rest a few.
    const list: NavigatorRow[] = [];
    for (let i = 0; i < 900; i++) {
      const org = i < 500 ? i % 2 : 2 + ((i * 7) % (ORGS - 5));
      list.push([String(500000 + i), `Программа ${i}`, FOCI[(i * 5) % FOCI.length] as string, `ОО-${FIRST + org}`, innOf(FIRST + org), STATUSES[(i * 3) % STATUSES.length] as string, (i * 11) % 40, 7, 15]);
    }
    const imp = await uploadImport(db, actor, c.id, { fileName: 'навигатор-группы.csv', buffer: navigatorCsv(list, 'Реестр программ — СИНТЕТИЧЕСКИЕ ДАННЫЕ') });
    listId = (await applyRecordList(db, actor, imp.id, {}, { kind: database.kind })).listId;
  }, 180_000);
  afterAll(async () => {
    await database?.dispose();
  });

  it('gives the default results without their records', async () => {
    const full = await computeCampaignResults(database.db, campaignId, { basis: 'all' });
    const figures = await computeCampaignResults(database.db, campaignId, { basis: 'all', countedRecords: false });
    expect(withoutRecords(figures)).toBe(withoutRecords(full));

    const t = figures.computed.find((c) => c.dataset.id === 'organisations');
    if (!t) throw new Error(`organisations not computed: ${figures.warnings.join(' ')}`);
    const counted = (org: string, input: string) => t.results.find((r) => r.organisation === org && r.details.counted?.[input])?.details.counted?.[input];
    // 250 rows, 4 of 7 statuses published; the others in order of their first row.
    expect(counted(`ОО-${FIRST}`, 'programmes')?.explanation).toBe('143 опубликованные программы из 250 строк; 107 не учтены: «Снята с публикации» — 36, «Архив» — 36, «Черновик» — 35');
    // More than 12 published programmes of a focus: the sum without its terms; a few: with them.
    expect(counted(`ОО-${FIRST}`, 'technical')?.explanation).toMatch(/^«Направленность» = «Техническая»: сумма «Количество обучающихся» по \d+ опубликованным программам: \d+ из \d+ строк/);
    expect(t.results.some((r) => / \+ \d+ = \d+ из /.test(r.details.counted?.arts?.explanation ?? ''))).toBe(true);
    // Without programmes: 0, and the list's summary.
    expect(counted(`ОО-${FIRST + ORGS - 1}`, 'programmes')?.value).toBe(0);
    expect(t.records?.[0]).toMatchObject({ rows: 900, organisations: ORGS - 3 });
    expect(Object.values(figures.computed).flatMap((c) => c.results).some((r) => Object.values(r.details.counted ?? {}).some((d) => 'records' in d))).toBe(false);
  });

  it('reads one group per organisation × status × focus, with the terms only where ≤ 12 values of a counted group', async () => {
    const ds = (await computeCampaignResults(database.db, campaignId, { basis: 'all', countedRecords: false })).methodology.record_datasets?.navigator;
    if (!ds) throw new Error('navigator');
    const groups = await loadRecordGroups(database.db, listId, ds);
    const all = [...groups.values()].flat();
    expect(all.reduce((s, g) => s + g.n, 0)).toBe(900);
    expect(groups.size).toBe(ORGS - 3);
    expect(all.every((g) => Object.keys(g.keys).sort().join() === 'focus,status')).toBe(true);
    const big = all.filter((g) => (g.numbers.students?.count ?? 0) > 12);
    expect(big.length).toBeGreaterThan(0);
    expect(big.every((g) => g.numbers.students?.terms === null)).toBe(true);
    // Terms only where the filters count the group (published programmes): the others are never listed.
    expect(all.filter((g) => g.keys.status !== 'Опубликована').every((g) => g.numbers.students?.terms === null)).toBe(true);
    const small = all.filter((g) => (g.numbers.students?.count ?? 0) <= 12 && g.keys.status === 'Опубликована');
    expect(small.length).toBeGreaterThan(0);
    for (const g of small) {
      const x = g.numbers.students;
      expect(x?.terms?.length).toBe(x?.count);
      expect((x?.terms ?? []).reduce((s, [, v]) => s + v, 0)).toBe(x?.sum);
    }
  });
});
