/** Issue 21, scale: the groups of a record list are formed once, when the list is applied (migration 0021,
 * `campaign_record_groups`), and every recompute without the records (`computeCampaignResults(…, { countedRecords:
 * false })`) reads them. On both engines, on generated Навигатор lists: the stored groups equal the groups formed live
 * from the records; the results from them equal the results counted from the records (without `records`); a list
 * applied before the migration (no stored groups) is still counted, live; a second applied list supersedes it and the
 * results follow; the stored groups are append-only and only used for the definition they were formed with. */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordGroup } from '../../src/core/methodology/record-groups.ts';
import type { RecordDatasetDef } from '../../src/core/methodology/schema.ts';
import { computeCampaignResults, type CampaignResults } from '../../src/services/analysis/campaign-results.ts';
import { changeCampaignStatus, createCampaign } from '../../src/services/collection/campaigns.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import type { Actor } from '../../src/services/errors.ts';
import { uploadImport } from '../../src/services/imports/imports.ts';
import { groupsDefinitionHash, loadRecordGroups, recordGroupStats, storedRecordGroups } from '../../src/services/imports/record-groups.ts';
import { applyRecordList } from '../../src/services/imports/record-lists.ts';
import { FOCI, navigatorCsv, type NavigatorRow } from '../../scripts/synthetic-navigator.ts';
import { addOrganisations, innOf } from '../support/import-data.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from './helpers.ts';

const FIRST = 3101;
const ORGS = 20;
const STATUSES = ['Опубликована', 'Опубликована', 'Черновик', 'Опубликована', 'Архив', 'Снята с публикации', 'Опубликована'];

/** The results as JSON with the records of every counted input taken out (everything else in its place and order). */
function withoutRecords(r: CampaignResults): string {
  return JSON.stringify(r, (key, value: unknown) => (key === 'counted' && value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([input, d]) => [input, Object.fromEntries(Object.entries(d as object).filter(([k]) => k !== 'records'))])) : value));
}

/** Groups comparable whatever order the database listed them and their terms in. */
function canonical(groups: Map<string, RecordGroup[]> | null): unknown {
  if (!groups) return null;
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([org, gs]) => [org, gs.map((g) => ({ ...g, numbers: Object.fromEntries(Object.entries(g.numbers).map(([f, x]) => [f, { ...x, terms: x.terms ? [...x.terms].sort((p, q) => p[0] - q[0]) : null }])) })).sort((a, b) => a.first - b.first)]);
}

function navigator(rows: number, seed: number): Buffer {
  const list: NavigatorRow[] = [];
  for (let i = 0; i < rows; i++) {
    const org = i < rows / 2 ? i % 2 : 2 + ((i * seed) % (ORGS - 4));
    list.push([String(600000 + seed * 10000 + i), `Программа ${i}`, FOCI[(i * seed) % FOCI.length] as string, `ОО-${FIRST + org}`, innOf(FIRST + org), STATUSES[(i * 3 + seed) % STATUSES.length] as string, (i * 11 + seed) % 40, 7, 15]);
  }
  return navigatorCsv(list, 'Реестр программ — СИНТЕТИЧЕСКИЕ ДАННЫЕ');
}

describe.each(BACKENDS)('record list groups stored when applied on %s', (kind) => {
  let database: TestDatabase;
  let actor: Actor;
  let campaignId: string;
  let firstList: string;
  let ds: RecordDatasetDef;

  const figures = () => computeCampaignResults(database.db, campaignId, { basis: 'all', countedRecords: false });
  const full = () => computeCampaignResults(database.db, campaignId, { basis: 'all' });
  const counted = (r: CampaignResults, org: string, input: string) => r.computed.find((c) => c.dataset.id === 'organisations')?.results.find((x) => x.organisation === org && x.details.counted?.[input])?.details.counted?.[input];

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const db = database.db;
    const { municipalityId } = await seedDemo(db);
    await addOrganisations(db, municipalityId, FIRST, ORGS);
    const u = await db.selectFrom('users').select('id').where('login', '=', 'analyst').executeTakeFirstOrThrow();
    actor = { userId: u.id, login: 'analyst', ip: null };
    const ids = (await db.selectFrom('organisations').select('id').where('no', '>=', FIRST).orderBy('no').execute()).map((o) => o.id);
    const c = await createCampaign(db, actor, { title: 'Навигатор: сохранённые группы', methodologyId: 'talents-2021', methodologyVersion: '2021.1', period: '2021', participants: { mode: 'list', organisationIds: ids }, opensOn: '2022-02-15', dueOn: '2022-06-01', closesOn: '2099-06-30' });
    await changeCampaignStatus(db, actor, c.id, 'open');
    campaignId = c.id;
    await db.insertInto('value_history').values(ids.map((id, i) => ({ campaign_id: c.id, organisation_id: id, input: 'students', value: JSON.stringify(200 + i * 13), evidence_url: null, source: 'import' as const, source_ref: 'test', actor_user_id: actor.userId, actor_login: actor.login }))).execute();
    const imp = await uploadImport(db, actor, c.id, { fileName: 'навигатор-1.csv', buffer: navigator(700, 7) });
    firstList = (await applyRecordList(db, actor, imp.id, {}, { kind: database.kind })).listId;
    const navigatorDs = (await figures()).methodology.record_datasets?.navigator;
    if (!navigatorDs) throw new Error('navigator');
    ds = navigatorDs;
  }, 180_000);
  afterAll(async () => {
    await database?.dispose();
  });

  it('stores the groups of the applied list: the groups formed live from its records', async () => {
    const rows = await database.db.selectFrom('campaign_record_groups').select(['list_id', 'definition_hash']).execute();
    expect(rows).toEqual([{ list_id: firstList, definition_hash: groupsDefinitionHash(ds) }]);
    const stored = await storedRecordGroups(database.db, firstList, ds);
    expect(stored).not.toBeNull();
    expect([...(stored?.values() ?? [])].flat().reduce((s, g) => s + g.n, 0)).toBe(700);
    expect(canonical(stored)).toEqual(canonical(await loadRecordGroups(database.db, firstList, ds)));
    // Another definition (a filter changed): the stored groups are not for it.
    const other: RecordDatasetDef = { ...ds, filters: [{ field: 'status', in: ['Опубликована', 'Черновик'] }] };
    expect(groupsDefinitionHash(other)).not.toBe(groupsDefinitionHash(ds));
    expect(await storedRecordGroups(database.db, firstList, other)).toBeNull();
  });

  it('counts the figures from the stored groups: the records\' results without the records', async () => {
    const before = { ...recordGroupStats };
    const r = await figures();
    expect(recordGroupStats.stored - before.stored).toBe(1);
    expect(recordGroupStats.live - before.live).toBe(0);
    expect(withoutRecords(r)).toBe(withoutRecords(await full()));
    expect(counted(r, `ОО-${FIRST}`, 'programmes')?.value).toBeGreaterThan(12);
  });

  it('keeps the stored groups append-only', async () => {
    await expect(sql`update campaign_record_groups set definition_hash = 'x' where list_id = ${firstList}`.execute(database.db)).rejects.toThrow();
    await expect(sql`delete from campaign_record_groups where list_id = ${firstList}`.execute(database.db)).rejects.toThrow();
    expect(await storedRecordGroups(database.db, firstList, ds)).not.toBeNull();
  });

  it('counts a list applied before the groups were stored live, with the same figures', async () => {
    const fromStored = await figures();
    // The same records as a list written before migration 0021: a list row and its records, no groups.
    const db = database.db;
    const old = await sql<{ id: string }>`
      insert into campaign_record_lists (campaign_id, dataset_id, import_id, file_name, sheet, header_line, rows_total, records, settings, skipped, actor_user_id, actor_login, at)
      select campaign_id, dataset_id, import_id, file_name, sheet, header_line, rows_total, records, settings, skipped, actor_user_id, actor_login, now()
      from campaign_record_lists where id = ${firstList} returning id`.execute(db);
    const oldId = old.rows[0]?.id as string;
    await sql`insert into campaign_records (list_id, organisation_id, line, label, fields) select ${oldId}::uuid, organisation_id, line, label, fields from campaign_records where list_id = ${firstList} order by id`.execute(db);
    expect(await storedRecordGroups(db, oldId, ds)).toBeNull();
    const before = { ...recordGroupStats };
    const r = await figures();
    expect(recordGroupStats.live - before.live).toBe(1);
    expect(recordGroupStats.stored - before.stored).toBe(0);
    expect(withoutRecords(r)).toBe(withoutRecords(await full()));
    expect(JSON.stringify(r.computed)).toBe(JSON.stringify(fromStored.computed));
  });

  it('follows a second applied list, counted from its stored groups', async () => {
    const db = database.db;
    const previous = await figures();
    const imp = await uploadImport(db, actor, campaignId, { fileName: 'навигатор-2.csv', buffer: navigator(300, 11) });
    const second = await applyRecordList(db, actor, imp.id, {}, { kind: database.kind });
    expect(second.replaced).not.toBeNull();
    expect(await storedRecordGroups(db, second.listId, ds)).not.toBeNull();
    const before = { ...recordGroupStats };
    const r = await figures();
    expect(recordGroupStats.stored - before.stored).toBe(1);
    expect(recordGroupStats.live - before.live).toBe(0);
    expect(withoutRecords(r)).toBe(withoutRecords(await full()));
    // The second list's published programmes of the first organisation, counted independently from its records.
    const published = await sql<{ n: number }>`select count(*)::int as n from campaign_records r join organisations o on o.id = r.organisation_id where r.list_id = ${second.listId} and o.no = ${FIRST} and r.fields->>'status' = 'Опубликована'`.execute(db);
    const n = published.rows[0]?.n as number;
    expect(n).toBeGreaterThan(0);
    expect(counted(r, `ОО-${FIRST}`, 'programmes')?.value).toBe(n);
    expect(counted(r, `ОО-${FIRST}`, 'programmes')?.value).not.toBe(counted(previous, `ОО-${FIRST}`, 'programmes')?.value);
    expect(r.computed.find((c) => c.dataset.id === 'organisations')?.records?.[0]).toMatchObject({ rows: 300 });
  });
});
