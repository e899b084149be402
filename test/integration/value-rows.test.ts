/** Per-dimension import values as one row per school × work (issue 22, migration 0020): a ФИС ОКО import writes
 * `value_rows` (a row per organisation × subject × grade, not per value), a re-import writes nothing, an import that is
 * refused stays invisible, a form edit after the imports wins for that input only, the history of a value shows the
 * import and the edit, and the merged read (`currentDimensionalInputs`, `jsonb_merge` in id order) equals the plain
 * `distinct on` over `value_history_visible` at every step. A backup restored into an empty database keeps «latest =
 * highest id» across both tables (the shared sequence is moved past both). On both engines. */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FisOkoReport } from '../../src/core/imports/fisoko.ts';
import { backupToBuffer, restoreBackup } from '../../src/services/admin/backup.ts';
import { currentDimensionalInputs } from '../../src/services/analysis/campaign-dimensional.ts';
import { changeCampaignStatus, createCampaign } from '../../src/services/collection/campaigns.ts';
import { saveValues, valueHistory } from '../../src/services/collection/submissions.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import type { Actor } from '../../src/services/errors.ts';
import '../../src/services/imports/import-apply.ts';
import { readFisOkoFile } from '../../src/services/imports/fisoko-file.ts';
import { previewFisOkoImport, startFisOkoApply, uploadFisOkoImport } from '../../src/services/imports/fisoko-import.ts';
import { JobWorker } from '../../src/services/imports/jobs.ts';
import type { Database } from '../../src/db/schema.ts';
import type { Kysely } from 'kysely';
import { BACKENDS, openTestDatabase, type TestDatabase } from './helpers.ts';

const DIR = fileURLToPath(new URL('../../library/synthetic/fisoko-2025/', import.meta.url));
const file = (name: string) => readFileSync(`${DIR}${name}`);
const MATH5 = { subject: 'Математика', grade: '5' };
const access = { scope: null };

/** The current inputs per organisation × dimension values read the plain way: the latest visible row per input. */
async function plainCurrent(db: Kysely<Database>, campaignId: string) {
  const rows = await sql<{ organisation_id: string; input: string; dimensions: Record<string, string>; value: unknown }>`
    select distinct on (organisation_id, input, dimensions) organisation_id, input, dimensions, value from value_history_visible
    where campaign_id = ${campaignId}::uuid and dimensions is not null order by organisation_id, input, dimensions, id desc`.execute(db);
  const out = new Map<string, Record<string, unknown>>();
  for (const r of rows.rows) {
    const key = `${r.organisation_id}|${r.dimensions.subject}|${r.dimensions.grade}`;
    out.set(key, { ...(out.get(key) ?? {}), [r.input]: r.value ?? null });
  }
  return out;
}

async function merged(db: Kysely<Database>, campaignId: string) {
  const rows = await currentDimensionalInputs(db, campaignId);
  return new Map(rows.map((r) => [`${r.organisationId}|${r.dimensions.subject}|${r.dimensions.grade}`, r.values as Record<string, unknown>]));
}

describe.each(BACKENDS)('value rows of per-dimension imports on %s', (kind) => {
  let database: TestDatabase;
  let restored: TestDatabase | undefined;
  let worker: JobWorker;
  let actor: Actor;
  let campaignId: string;
  const orgByLogin = new Map<string, string>();

  const count = async (table: 'value_rows' | 'value_history', db: Kysely<Database> = database.db) =>
    Number((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where campaign_id = ${campaignId}::uuid`.execute(db)).rows[0]?.n);
  const importFiles = async (names: string[]) => {
    const imp = await uploadFisOkoImport(database.db, actor, campaignId, names.map((n) => ({ fileName: n, buffer: file(n) })));
    const p = await previewFisOkoImport(database.db, imp.id, {});
    expect(p.ok, JSON.stringify(p.errors)).toBe(true);
    const { job } = await startFisOkoApply(database.db, actor, imp.id, {});
    return { importId: imp.id, jobId: job.id };
  };
  const runJob = async (jobId: string) => {
    expect(await worker.runOnce()).toBe(true);
    return database.db.selectFrom('jobs').select(['status', 'result', 'error']).where('id', '=', jobId).executeTakeFirstOrThrow();
  };
  const reportsOf = async (name: string): Promise<FisOkoReport[]> => {
    const r = await readFisOkoFile(file(name), name);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r.value;
  };
  const schoolsOf = async (name: string) => (await reportsOf(name)).flatMap((x) => (x.kind === 'vpr_marks' ? x.schools : []));
  const journalOf = async (name: string) => (await reportsOf(name)).flatMap((x) => (x.kind === 'vpr_journal' ? x.schools : []));
  const expectMergedEqualsPlain = async () => {
    const plain = await plainCurrent(database.db, campaignId);
    expect(await merged(database.db, campaignId)).toEqual(plain);
    return plain;
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    for (const o of await database.db.selectFrom('organisations').select(['id', 'fisoko_login']).where('fisoko_login', 'is not', null).execute()) orgByLogin.set(o.fisoko_login as string, o.id);
    const u = await database.db.selectFrom('users').select('id').where('login', '=', 'analyst').executeTakeFirstOrThrow();
    actor = { userId: u.id, login: 'analyst', ip: null };
    const c = await createCampaign(database.db, actor, {
      title: 'ВПР 2025', methodologyId: 'direction-preparation', methodologyVersion: '2021.2', period: '2024/2025', participants: { mode: 'types', types: ['school'] },
      opensOn: '2025-05-01', dueOn: '2025-06-30', closesOn: '2030-06-30',
    });
    campaignId = c.id;
    await changeCampaignStatus(database.db, actor, campaignId, 'open');
    worker = new JobWorker({ db: database.db, kind: database.kind });
  }, 180_000);
  afterAll(async () => {
    await restored?.dispose();
    await database?.dispose();
  });

  it('an import writes one value_rows row per school × work holding its inputs, nothing into value_history; a re-import writes nothing', async () => {
    const marks = await schoolsOf('статистика-математика-5.xlsx');
    expect(marks.length).toBeGreaterThan(20);
    const a = await importFiles(['статистика-математика-5.xlsx']);
    const done = await runJob(a.jobId);
    expect(done.status, String(done.error)).toBe('done');
    expect(await count('value_rows')).toBe(marks.length);
    expect(await count('value_history')).toBe(0);
    const keys = await sql<{ n: number; rows: number }>`select sum((select count(*) from jsonb_object_keys("values")))::int as n, count(*)::int as rows from value_rows where import_job_id = ${a.jobId}::uuid`.execute(database.db);
    // Every school row carries its own shares and the region's and municipality's comparison shares.
    expect((done.result as { values: number }).values).toBe(keys.rows[0]?.n);
    expect(keys.rows[0]?.n).toBe(marks.length * 13);
    const plain = await expectMergedEqualsPlain();
    // Append-only, like value_history (migration 0005's guard).
    for (const q of [sql`update value_rows set source_ref = 'x'`, sql`delete from value_rows`, sql`truncate value_rows`])
      await expect(q.execute(database.db)).rejects.toThrow('Таблица value_rows только для добавления записей: изменение и удаление запрещены');
    expect(await count('value_rows')).toBe(marks.length);
    const s = marks[0]!;
    expect(plain.get(`${orgByLogin.get(s.login as string)}|Математика|5`)).toMatchObject({ vpr_participants: s.participants, vpr_share_5: s.shares[5] });

    // The journal of the same work: other inputs of the same school × work, a row each again.
    const journal = await journalOf('журнал-математика-5.xlsx');
    const b = await importFiles(['журнал-математика-5.xlsx']);
    expect((await runJob(b.jobId)).status).toBe('done');
    expect(await count('value_rows')).toBe(marks.length + journal.length);
    const both = await expectMergedEqualsPlain();
    expect(both.get(`${orgByLogin.get(s.login as string)}|Математика|5`)).toMatchObject({ vpr_share_5: s.shares[5], journal_raised: journal.find((x) => x.login === s.login)?.raised });

    const again = await importFiles(['статистика-математика-5.xlsx', 'журнал-математика-5.xlsx']);
    const r = await runJob(again.jobId);
    expect(r.status).toBe('done');
    const stored = await sql<{ n: number }>`select sum((select count(*) from jsonb_object_keys("values")))::int as n from value_rows where campaign_id = ${campaignId}::uuid`.execute(database.db);
    expect(stored.rows[0]?.n).toBe(marks.length * 13 + journal.length * 10);
    expect(r.result).toMatchObject({ values: 0, unchanged: stored.rows[0]?.n });
    expect(await count('value_rows')).toBe(marks.length + journal.length);
  }, 120_000);

  it('an import refused at the end stays invisible: its rows are in the log, no reader sees them', async () => {
    const before = await plainCurrent(database.db, campaignId);
    const rows = await count('value_rows');
    const c = await importFiles(['статистика-математика-7.xlsx']);
    // The campaign is closed while the file is being written (a trigger of this test closes it once the import's
    // rows are in; ALWAYS, so it fires under PGlite's session_replication_role = replica too): refused at the end.
    await sql`create function close_campaign_once() returns trigger language plpgsql as $$
      begin update campaigns set status = 'closed' where id = ${sql.lit(campaignId)}::uuid; return null; end $$`.execute(database.db);
    await sql`create trigger close_campaign_once after insert on value_rows for each statement execute function close_campaign_once()`.execute(database.db);
    await sql`alter table value_rows enable always trigger close_campaign_once`.execute(database.db);
    const failed = await runJob(c.jobId);
    await sql`drop trigger close_campaign_once on value_rows`.execute(database.db);
    await sql`drop function close_campaign_once()`.execute(database.db);
    await database.db.updateTable('campaigns').set({ status: 'open' }).where('id', '=', campaignId).execute();
    expect(failed.status).toBe('failed');
    expect(failed.error).toBe('Мониторинг закрыт во время импорта: ничего не изменено');
    expect(await count('value_rows')).toBeGreaterThan(rows);
    expect(await expectMergedEqualsPlain()).toEqual(before);
    expect([...before.keys()].some((k) => k.endsWith('|Математика|7'))).toBe(false);
  }, 120_000);

  it('a value saved for a school of the file while the import writes makes it refuse, naming the school', async () => {
    const s = (await schoolsOf('статистика-математика-7.xlsx'))[0]!;
    const org = orgByLogin.get(s.login as string) as string;
    const name = (await database.db.selectFrom('organisations').select('short_name').where('id', '=', org).executeTakeFirstOrThrow()).short_name;
    const c = await importFiles(['статистика-математика-7.xlsx']);
    // A form saved between the import's chunks (this test's trigger writes it right after the import's rows; ALWAYS,
    // so it fires under PGlite's session_replication_role = replica too): its id lies among the import's.
    await sql`create function save_form_once() returns trigger language plpgsql as $$
      begin
        insert into value_history (campaign_id, organisation_id, input, value, dimensions, source, actor_login)
        values (${sql.lit(campaignId)}::uuid, ${sql.lit(org)}::uuid, 'vpr_participants', '7'::jsonb, '{"subject": "Математика", "grade": "7"}'::jsonb, 'form', 'oo');
        return null;
      end $$`.execute(database.db);
    await sql`create trigger save_form_once after insert on value_rows for each statement execute function save_form_once()`.execute(database.db);
    await sql`alter table value_rows enable always trigger save_form_once`.execute(database.db);
    const failed = await runJob(c.jobId);
    await sql`drop trigger save_form_once on value_rows`.execute(database.db);
    await sql`drop function save_form_once()`.execute(database.db);
    expect(failed.status).toBe('failed');
    expect(failed.error).toBe(`Во время импорта изменены данные организаций: ${name}. Ничего не изменено: примените файл снова.`);
    const plain = await expectMergedEqualsPlain();
    expect(plain.get(`${org}|Математика|7`)).toEqual({ vpr_participants: 7 });
  }, 120_000);

  it('a form edit after the imports wins for that input only; a cleared cell reads null; the history shows import and edit', async () => {
    const s = (await schoolsOf('статистика-математика-5.xlsx'))[0]!;
    const org = orgByLogin.get(s.login as string) as string;
    const written = await saveValues(database.db, actor, campaignId, org, { values: {}, dimensional: [{ input: 'vpr_share_5', dimensions: MATH5, value: 99 }, { input: 'journal_raised', dimensions: MATH5, value: null }] }, { ...access, source: 'form' });
    expect(written.sort()).toEqual(['journal_raised', 'vpr_share_5']);
    const plain = await expectMergedEqualsPlain();
    const row = plain.get(`${org}|Математика|5`);
    expect(row).toMatchObject({ vpr_share_5: 99, journal_raised: null, vpr_share_4: s.shares[4], region_vpr_share_5: expect.any(Number) });
    const history = await valueHistory(database.db, campaignId, org, 'vpr_share_5', access, JSON.stringify(MATH5));
    expect(history.map((h) => [h.value, h.source])).toEqual([[99, 'form'], [s.shares[5], 'import']]);
    expect(history[0]!.id).toBeGreaterThan(history[1]!.id);

    // The files again: only that school's two edited inputs differ, one in each report, so a row of one input each.
    const rows = await count('value_rows');
    const again = await importFiles(['статистика-математика-5.xlsx', 'журнал-математика-5.xlsx']);
    const r = await runJob(again.jobId);
    expect(r.result).toMatchObject({ values: 2, organisations: 1 });
    expect(await count('value_rows')).toBe(rows + 2);
    const journal = (await journalOf('журнал-математика-5.xlsx')).find((x) => x.login === s.login)!;
    const last = await sql<{ v: Record<string, unknown> }>`select "values" as v from value_rows where import_job_id = ${again.jobId}::uuid order by id`.execute(database.db);
    expect(last.rows.map((x) => x.v)).toEqual([{ vpr_share_5: s.shares[5] }, { journal_raised: journal.raised }]);
    expect((await expectMergedEqualsPlain()).get(`${org}|Математика|5`)).toMatchObject({ vpr_share_5: s.shares[5] });
  }, 120_000);

  it('a restored backup keeps «latest = highest id» across value_history and value_rows', async () => {
    const maxRows = Number((await sql<{ m: string }>`select max(id)::text as m from value_rows`.execute(database.db)).rows[0]?.m);
    const maxHistory = Number((await sql<{ m: string }>`select max(id)::text as m from value_history`.execute(database.db)).rows[0]?.m);
    expect(maxRows).toBeGreaterThan(maxHistory); // the last write was an import
    const { buffer } = await backupToBuffer(database.db, kind, actor);
    restored = await openTestDatabase(kind);
    await restoreBackup(restored.db, Readable.from([buffer]), { actor });
    const db = restored.db;
    expect(await count('value_rows', db)).toBe(await count('value_rows'));
    expect(await merged(db, campaignId)).toEqual(await plainCurrent(database.db, campaignId));

    const s = (await schoolsOf('статистика-математика-5.xlsx'))[0]!;
    const org = orgByLogin.get(s.login as string) as string;
    await saveValues(db, actor, campaignId, org, { values: {}, dimensional: [{ input: 'vpr_share_5', dimensions: MATH5, value: 42 }] }, { ...access, source: 'form' });
    const id = Number((await sql<{ m: string }>`select max(id)::text as m from value_history`.execute(db)).rows[0]?.m);
    expect(id).toBeGreaterThan(maxRows);
    expect((await merged(db, campaignId)).get(`${org}|Математика|5`)).toMatchObject({ vpr_share_5: 42 });
    expect((await plainCurrent(db, campaignId)).get(`${org}|Математика|5`)).toMatchObject({ vpr_share_5: 42 });
  }, 180_000);
});
