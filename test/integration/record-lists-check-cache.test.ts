/** Issue 21, apply: the apply reuses the preview's check of the whole list when nothing it depends on changed, and
 * checks again when something did — here a participant's ИНН changed between the preview and the apply: the apply
 * then finds the organisation's records unmatched and writes nothing; previewed again with the ИНН restored, the list
 * applies with every record. On both engines. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeCampaignStatus, createCampaign } from '../../src/services/collection/campaigns.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import type { Actor } from '../../src/services/errors.ts';
import { uploadImport } from '../../src/services/imports/imports.ts';
import { applyRecordList, previewRecordList } from '../../src/services/imports/record-lists.ts';
import { FOCI, navigatorCsv, type NavigatorRow } from '../../scripts/synthetic-navigator.ts';
import { addOrganisations, innOf } from '../support/import-data.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from './helpers.ts';

const FIRST = 4001;
const ORGS = 6;

describe.each(BACKENDS)('the apply of a record list after its preview on %s', (kind) => {
  let database: TestDatabase;
  let actor: Actor;
  let campaignId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const db = database.db;
    const { municipalityId } = await seedDemo(db);
    await addOrganisations(db, municipalityId, FIRST, ORGS);
    const u = await db.selectFrom('users').select('id').where('login', '=', 'analyst').executeTakeFirstOrThrow();
    actor = { userId: u.id, login: 'analyst', ip: null };
    const ids = (await db.selectFrom('organisations').select('id').where('no', '>=', FIRST).orderBy('no').execute()).map((o) => o.id);
    const c = await createCampaign(db, actor, { title: 'Навигатор: проверка перед применением', methodologyId: 'talents-2021', methodologyVersion: '2021.1', period: '2021', participants: { mode: 'list', organisationIds: ids }, opensOn: '2022-02-15', dueOn: '2022-06-01', closesOn: '2099-06-30' });
    await changeCampaignStatus(db, actor, c.id, 'open');
    campaignId = c.id;
  }, 180_000);
  afterAll(async () => {
    await database?.dispose();
  });

  it('checks again when the participants changed after the preview, and applies the unchanged list as previewed', async () => {
    const db = database.db;
    const list: NavigatorRow[] = Array.from({ length: 60 }, (_, i) => [String(700000 + i), `Программа ${i}`, FOCI[i % FOCI.length] as string, `ОО-${FIRST + (i % ORGS)}`, innOf(FIRST + (i % ORGS)), i % 4 === 3 ? 'Архив' : 'Опубликована', 10 + i, 7, 15]);
    const imp = await uploadImport(db, actor, campaignId, { fileName: 'навигатор-проверка.csv', buffer: navigatorCsv(list, 'СИНТЕТИЧЕСКИЕ ДАННЫЕ') });
    const preview = await previewRecordList(db, imp.id, {});
    expect(preview.errorCount).toBe(0);
    expect(preview.records).toBe(60);

    // The first organisation's ИНН changes after the preview: its 10 records no longer match a participant.
    await db.updateTable('organisations').set({ inn: '7799999999' }).where('no', '=', FIRST).execute();
    await expect(applyRecordList(db, actor, imp.id, {}, { kind: database.kind })).rejects.toMatchObject({ code: 'RECORDS_INVALID' });
    expect((await db.selectFrom('campaign_record_lists').select('id').where('campaign_id', '=', campaignId).execute()).length).toBe(0);

    await db.updateTable('organisations').set({ inn: innOf(FIRST) }).where('no', '=', FIRST).execute();
    expect((await previewRecordList(db, imp.id, {})).errorCount).toBe(0);
    const applied = await applyRecordList(db, actor, imp.id, {}, { kind: database.kind });
    expect(applied).toMatchObject({ records: 60, counted: 45, organisations: ORGS });
    expect(Number((await db.selectFrom('campaign_records').select((e) => e.fn.countAll().as('n')).where('list_id', '=', applied.listId).executeTakeFirstOrThrow()).n)).toBe(60);
  });
});
