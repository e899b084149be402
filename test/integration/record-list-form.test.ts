/** Issue 21, follow-up on the real database (both engines), through the HTTP API: a record list that supplies an
 * input typed in the forms (talents-2021's `programmes`) says so in the preview — the input, how many organisations
 * have it typed and how many change; once the list is applied, the organisation's form neither requires nor asks the
 * inputs the list supplies: it shows the counted value «из списка …», and the form is submitted without them. The web
 * wizard applies the list as a job: a refusal fails the job and leaves the file to resolve and start again. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCampaignRow } from '../../src/services/collection/campaigns.ts';
import { appendValues } from '../../src/services/collection/submissions.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import type { Actor } from '../../src/services/errors.ts';
import { JobWorker } from '../../src/services/imports/jobs.ts';
import { multipart } from '../support/import-data.ts';
import { csvRows, seedCampaign } from './campaign-fixture.ts';
import { BACKENDS, Client, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

const SAMPLE = (name: string) => fileURLToPath(new URL(`../../library/synthetic/navigator-2021/${name}`, import.meta.url));
const innByName = new Map(readFileSync(SAMPLE('organisations-without-programmes.csv'), 'utf8').trim().split(/\r?\n/).slice(1).map((l) => l.split(',')).map((c) => [c[1] as string, c[2] as string]));
const PROGRAMMES = 'Количество программ ДО, размещённых (опубликованных) в ИС «Навигатор»';

describe.each(BACKENDS)('a record list over the forms on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let analyst: Client;
  let actor: Actor;
  const orgId = new Map<string, string>();

  const upload = async (campaignId: string, content: Buffer = readFileSync(SAMPLE('navigator.csv'))) => {
    const m = multipart('navigator.csv', content);
    const res = await analyst.request('POST', `/api/campaigns/${campaignId}/imports`, m.body, { headers: { 'content-type': m.contentType } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    const u = await database.db.selectFrom('users').select('id').where('login', '=', 'analyst').executeTakeFirstOrThrow();
    actor = { userId: u.id, login: 'analyst', ip: '127.0.0.1' };
    for (const o of await database.db.selectFrom('organisations').select(['id', 'short_name']).execute()) {
      orgId.set(o.short_name, o.id);
      const inn = innByName.get(o.short_name);
      if (inn) await database.db.updateTable('organisations').set({ inn }).where('id', '=', o.id).execute();
    }
    app = (await buildTestApp(database)).app;
    analyst = new Client(app, '10.21.0.2');
    expect((await analyst.login('analyst')).statusCode).toBe(200);
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('the preview warns that the list replaces the typed programmes: how many typed, how many change', async () => {
    const campaignId = await seedCampaign(database.db, actor, { title: 'Навигатор поверх введённых программ' });
    // Two organisations typed another count than the list gives (Петровское: 12 published programmes).
    const campaign = await findCampaignRow(database.db, campaignId);
    const typedOf = new Map(csvRows('organisations.csv').map((r) => [r.name ?? '', Number(r.programmes)]));
    await appendValues(database.db, actor, campaign, orgId.get('Петровское') ?? '', [{ input: 'programmes', value: 15, evidenceUrl: null }], 'form', null);
    await appendValues(database.db, actor, campaign, orgId.get('№1') ?? '', [{ input: 'programmes', value: (typedOf.get('№1') ?? 0) + 1, evidenceUrl: null }], 'form', null);
    const importId = await upload(campaignId);
    const k = await analyst.get(`/api/imports/${importId}/records`);
    expect(k.statusCode, k.body).toBe(200);
    expect(k.json()).toEqual({ dataset: { id: 'navigator', title: expect.any(String) }, list: null });

    const p = (await analyst.post(`/api/imports/${importId}/records/preview`, {})).json();
    expect(p.errorCount).toBe(0);
    expect(p.overrides).toHaveLength(1);
    const o = p.overrides[0];
    expect(o).toMatchObject({ input: 'programmes', title: PROGRAMMES, typed: typedOf.size, changed: 2 });
    expect(typedOf.size).toBe(51);
    expect(o.examples).toEqual(expect.arrayContaining([{ organisation: 'Петровское', typed: 15, counted: 12 }, { organisation: '№1', typed: (typedOf.get('№1') ?? 0) + 1, counted: typedOf.get('№1') }]));
    expect(o.message).toBe(`Список «${p.dataset.title}» заменит значения поля «${PROGRAMMES}», введённые в формах (заполнено у 51 организации): в результатах будут значения, посчитанные по списку; изменится у 2 организаций.`);
    // The records the filter leaves out, by status: 666 records, 588 published.
    expect(p.excluded.reduce((s: number, e: { rows: number }) => s + e.rows, 0)).toBe(666 - 588);
    expect(p.excluded.every((e: { text: string }) => /^«Статус программы» = «(Черновик|Архив|Снята с публикации)»$/.test(e.text))).toBe(true);

    // Nothing typed: no warning.
    const bare = await seedCampaign(database.db, actor, { title: 'Навигатор без введённых программ', scale: (r) => ({ students: Number(r.students) }) });
    const q = (await analyst.post(`/api/imports/${await upload(bare)}/records/preview`, {})).json();
    expect(q.overrides).toEqual([]);
  });

  it('with the list applied the form neither requires nor asks programmes: the count «из списка», submitted without it', async () => {
    const campaignId = await seedCampaign(database.db, actor, { title: 'Навигатор вместо поля формы', scale: (r) => ({ students: Number(r.students) }) });
    const org = orgId.get('Петровское') ?? '';
    const form = `/api/campaigns/${campaignId}/organisations/${org}`;
    const before = (await analyst.get(form)).json();
    expect(before.fields.find((f: { name: string }) => f.name === 'programmes').required).toBe(true);
    expect(before.findings.map((f: { id: string }) => f.id)).toContain('required:programmes');
    expect(before.listed).toEqual({});
    const requiredBefore = before.completeness.required as number;

    const importId = await upload(campaignId);
    const applied = await analyst.post(`/api/imports/${importId}/records/apply`, {});
    expect(applied.statusCode, applied.body).toBe(201);
    const k = (await analyst.get(`/api/imports/${importId}/records`)).json();
    expect(k.list).toMatchObject({ fileName: 'navigator.csv', records: 666, current: true });

    const after = (await analyst.get(form)).json();
    const supplied = k.list.inputs.map((i: { id: string }) => i.id) as string[];
    expect(supplied).toContain('programmes');
    expect(after.fields.filter((f: { name: string; required: boolean }) => supplied.includes(f.name) && f.required)).toEqual([]);
    expect(after.findings.filter((f: { kind: string; inputs: string[] }) => f.kind === 'required' && f.inputs.some((i) => supplied.includes(i)))).toEqual([]);
    expect(after.listed.programmes).toEqual({ list: k.list.title, fileName: 'navigator.csv', value: 12, explanation: expect.stringMatching(/^12 опубликованных программ из 14 строк; 2 не учтены/) });
    expect(Object.keys(after.listed).sort()).toEqual([...supplied].sort());
    const requiredInForm = (after.fields as { name: string; required: boolean }[]).filter((f) => f.required).length;
    expect(after.completeness.required).toBe(requiredInForm);
    expect(after.completeness.required).toBeLessThan(requiredBefore);

    // The campaign's table counts completeness without the listed inputs too.
    const detail = (await analyst.get(`/api/campaigns/${campaignId}`)).json();
    const row = detail.rows.find((r: { organisationId: string }) => r.organisationId === org);
    expect(row).toMatchObject({ required: requiredInForm });

    // The other required fields typed (the listed ones are not asked), the form is submitted.
    const fill = Object.fromEntries((after.fields as { name: string; type: string; required: boolean; min: number | null; values: string[] | null }[])
      .filter((f) => f.required && (after.values[f.name]?.value ?? null) === null)
      .map((f) => [f.name, { value: f.type === 'boolean' ? false : f.type === 'enum' ? (f.values?.[0] ?? null) : Math.max(f.min ?? 0, 1) }]));
    expect(Object.keys(fill).some((name) => supplied.includes(name))).toBe(false);
    const saved = await analyst.request('PUT', `${form}/values`, { values: fill, source: 'form' });
    expect(saved.statusCode, saved.body).toBe(200);
    const submitted = await analyst.post(`${form}/submit`, {});
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json().status).toBe('submitted');
  });

  it('applied as a job: an unresolved organisation fails it and changes nothing; resolved, the job writes the list', async () => {
    const worker = new JobWorker({ db: database.db, kind: database.kind });
    const campaignId = await seedCampaign(database.db, actor, { title: 'Навигатор заданием', scale: (r) => ({ students: Number(r.students) }) });
    const text = iconv.decode(readFileSync(SAMPLE('navigator.csv')), 'win1251');
    const importId = await upload(campaignId, iconv.encode(text.replaceAll(`;${innByName.get('№1')};`, ';9909999999;'), 'win1251'));
    const name = 'МБОУ СОШ №1 г. Ишимбая';
    const start = (body: Record<string, unknown>) => analyst.post(`/api/imports/${importId}/records/start`, body);
    const status = async () => (await database.db.selectFrom('imports').select('status').where('id', '=', importId).executeTakeFirstOrThrow()).status;
    const lists = async () => (await analyst.get(`/api/campaigns/${campaignId}/record-lists`)).json().items.length as number;

    const refused = await start({});
    expect(refused.statusCode, refused.body).toBe(202);
    expect(await status()).toBe('queued');
    expect((await start({})).statusCode).toBe(409);
    expect(await worker.runOnce()).toBe(true);
    const failed = (await analyst.get(`/api/jobs/${refused.json().job.id}`)).json();
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/^В списке \d+ ошиб(ка|ки|ок): ничего не изменено\. Строка \d+, столбец «Организация»: «МБОУ СОШ №1 г\. Ишимбая» — ИНН 9909999999 не найден/);
    expect(await status()).toBe('uploaded');
    expect(await lists()).toBe(0);

    const ok = await start({ confirmations: { [name]: orgId.get('№1') } });
    expect(ok.statusCode, ok.body).toBe(202);
    expect(await worker.runOnce()).toBe(true);
    const done = (await analyst.get(`/api/jobs/${ok.json().job.id}`)).json();
    expect(done.status, done.error).toBe('done');
    expect(done.result).toMatchObject({ records: 666, counted: 588, organisations: 51, skipped: 1, replaced: null });
    expect(await status()).toBe('applied');
    expect(await lists()).toBe(1);
    expect((await start({})).statusCode).toBe(409);
    const audit = await database.db.selectFrom('audit_log').select('action').where('action', 'in', ['campaign.records.apply.start', 'campaign.records.apply']).where((eb) => eb.or([eb('target_id', '=', importId), eb('target_id', '=', campaignId)])).execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['campaign.records.apply', 'campaign.records.apply.start', 'campaign.records.apply.start']);
  });
});
