/** Imports write in short transactions but stay all-or-nothing (migration 0013): while an import is `writing`, its
 * rows are in the log but no reader sees them; a form saved for one of its organisations meanwhile makes the import
 * refuse (nothing visible changes, the organisation is named), and applying the file again then succeeds whole. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { changeCampaignStatus, createCampaign, currentValuesOfCampaign } from '../../src/services/collection/campaigns.ts';
import { SYSTEM_ACTOR } from '../../src/services/errors.ts';
import '../../src/services/imports/import-apply.ts';
import { startImportApply, uploadImport } from '../../src/services/imports/imports.ts';
import { JobWorker } from '../../src/services/imports/jobs.ts';
import { getOrCreateMunicipality } from '../../src/services/registry/registry.ts';
import { saveValues, valueHistory } from '../../src/services/collection/submissions.ts';
import { addOrganisations, csvOf, rowsFor } from '../support/import-data.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from './helpers.ts';

const N = 20_000;
const SETTINGS = {
  columns: { 'Численность обучающихся': 'students', 'Количество программ ДО': 'programmes', 'Анкетировано обучающихся': 'surveyed_students' },
  match: { mode: 'inn', column: 'ИНН' },
};
const actor = { userId: null, login: 'analyst', ip: null };

describe.each(BACKENDS)('import visibility on %s', (kind) => {
  let database: TestDatabase;
  let campaignId: string;
  const org: Record<number, string> = {};

  const tableCount = async () => Number((await database.db.selectFrom('value_history').select(sql<number>`count(*)::int`.as('n')).where('campaign_id', '=', campaignId).executeTakeFirstOrThrow()).n);
  const visibleCount = async () => Number((await database.db.selectFrom('value_history_visible').select(sql<number>`count(*)::int`.as('n')).where('campaign_id', '=', campaignId).executeTakeFirstOrThrow()).n);
  const importStatus = async (id: string) => (await database.db.selectFrom('imports').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const muni = await getOrCreateMunicipality(database.db, 'Проверка видимости импорта');
    await addOrganisations(database.db, muni, 5001, N);
    for (const r of await database.db.selectFrom('organisations').select(['id', 'no']).execute()) org[r.no] = r.id;
    const c = await createCampaign(database.db, SYSTEM_ACTOR, {
      title: 'Охват ДО', methodologyId: 'talents-2021', methodologyVersion: '2021.1', period: '2021/2022',
      participants: { mode: 'all' }, opensOn: '2022-02-15', dueOn: '2022-06-01', closesOn: '2030-06-30',
    });
    await changeCampaignStatus(database.db, SYSTEM_ACTOR, c.id, 'open');
    campaignId = c.id;
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it('a form saved while the file is being written: the import refuses, names the organisation, and nobody ever saw a part of it', async () => {
    const worker = new JobWorker({ db: database.db, kind: database.kind });
    const up = await uploadImport(database.db, actor, campaignId, { fileName: 'навигатор.csv', buffer: csvOf(rowsFor(5001, N)) });
    await startImportApply(database.db, actor, up.id, SETTINGS);
    const running = worker.runOnce();
    // Wait for the writing phase, then read and save between its chunks.
    const seen: number[] = [];
    await expect.poll(async () => importStatus(up.id), { timeout: 60_000, interval: 5 }).toBe('writing');
    await expect.poll(async () => tableCount(), { timeout: 60_000, interval: 5 }).toBeGreaterThan(0);
    seen.push(await visibleCount());
    expect((await currentValuesOfCampaign(database.db, campaignId, org[5001])).get(org[5001] as string)).toBeUndefined();
    await saveValues(database.db, actor, campaignId, org[5001] as string, { values: { students: { value: 7 } } }, { scope: null, source: 'form' });
    seen.push(await visibleCount());
    expect(await running).toBe(true);

    const job = await database.db.selectFrom('jobs').select(['status', 'error']).where('kind', '=', 'import.apply').orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    expect(job.status).toBe('failed');
    expect(job.error).toBe('Во время импорта изменены данные организаций: ОО-5001. Ничего не изменено: примените файл снова.');
    expect(await importStatus(up.id)).toBe('failed');
    // Part or all of the file is in the append-only log, but only the form's value is visible, before and after.
    expect(seen).toEqual([0, 1]);
    expect(await tableCount()).toBeGreaterThan(1);
    expect(await visibleCount()).toBe(1);
    const history = await valueHistory(database.db, campaignId, org[5001] as string, 'students', { scope: null });
    expect(history.map((h) => [h.value, h.source])).toEqual([[7, 'form']]);
    const submissions = await database.db.selectFrom('submissions').select('organisation_id').where('campaign_id', '=', campaignId).execute();
    expect(submissions.map((s) => s.organisation_id)).toEqual([org[5001]]);

    // Applied again: everything becomes visible at once; the file's students value replaces the form's 7.
    await startImportApply(database.db, actor, up.id, SETTINGS);
    expect(await worker.runOnce()).toBe(true);
    expect(await importStatus(up.id)).toBe('applied');
    expect(await visibleCount()).toBe(1 + 3 * N);
    const current = (await currentValuesOfCampaign(database.db, campaignId)).get(org[5001] as string);
    expect(current?.students?.value).toBe(100 + (5001 % 900));
    expect(current?.students?.source).toBe('import');
    const after = await valueHistory(database.db, campaignId, org[5001] as string, 'students', { scope: null });
    expect(after.map((h) => h.source).sort()).toEqual(['form', 'import']);
    expect(await database.db.selectFrom('submissions').select(sql<number>`count(*)::int`.as('n')).where('campaign_id', '=', campaignId).executeTakeFirstOrThrow()).toEqual({ n: N });
    const events = await database.db.selectFrom('submission_events as e').innerJoin('submissions as s', 's.id', 'e.submission_id').select(sql<number>`count(*)::int`.as('n')).where('s.campaign_id', '=', campaignId).executeTakeFirstOrThrow();
    expect(events.n).toBe(N);
  }, 180_000);
});
