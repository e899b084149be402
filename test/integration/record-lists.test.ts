/** Issue 21, step 4: the ИС «Навигатор» programme list imported into a talents-2021 campaign on the real database (both
 * engines), through the HTTP API: the (synthetic) list gives the same diversity indices as seed 004's golden table;
 * an organisation whose ИНН is not a participant's is picked or skipped; a status outside the declared values is a
 * per-cell error offering an alias, saved in a mapping and reused; one bad row among 20 000 changes nothing; the
 * drill-down lists the records behind a figure with file and row; only analysts and administrators import. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import iconv from 'iconv-lite';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeCampaignResults, type CampaignResults } from '../../src/services/analysis/campaign-results.ts';
import { createUser } from '../../src/services/admin/users.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { SYSTEM_ACTOR, type Actor } from '../../src/services/errors.ts';
import { multipart } from '../support/import-data.ts';
import { seedCampaign } from './campaign-fixture.ts';
import { BACKENDS, Client, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

const SAMPLE = (name: string) => fileURLToPath(new URL(`../../library/synthetic/navigator-2021/${name}`, import.meta.url));
const navigatorText = iconv.decode(readFileSync(SAMPLE('navigator.csv')), 'win1251');
const cp1251 = (text: string) => iconv.encode(text, 'win1251');
/** Synthetic ИНН of the seed-004 organisations (organisations-without-programmes.csv: no, name, inn, …). */
const innByName = new Map(readFileSync(SAMPLE('organisations-without-programmes.csv'), 'utf8').trim().split(/\r?\n/).slice(1).map((l) => l.split(',')).map((c) => [c[1] as string, c[2] as string]));

const diversity = (r: CampaignResults) =>
  r.computed.find((c) => c.dataset.id === 'organisations')?.results.filter((x) => x.indicator === 'diversity_index').map((x) => [x.organisation, x.value, x.level, x.points]) ?? [];

describe.each(BACKENDS)('record lists in a campaign on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let analyst: Client;
  let actor: Actor;
  let golden: CampaignResults;
  const orgId = new Map<string, string>();

  /** A talents-2021 campaign with students only: programmes and focus come from the list. */
  const studentsOnly = (title: string) => seedCampaign(database.db, actor, { title, scale: (r) => ({ students: Number(r.students) }) });
  const upload = async (campaignId: string, name: string, content: Buffer) => {
    const m = multipart(name, content);
    const res = await analyst.request('POST', `/api/campaigns/${campaignId}/imports`, m.body, { headers: { 'content-type': m.contentType } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  const recordCount = async (campaignId: string) =>
    Number((await sql<{ n: number }>`select count(*)::int as n from campaign_records r join campaign_record_lists l on l.id = r.list_id where l.campaign_id = ${campaignId}`.execute(database.db)).rows[0]?.n);

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    const u = await database.db.selectFrom('users').select('id').where('login', '=', 'analyst').executeTakeFirstOrThrow();
    actor = { userId: u.id, login: 'analyst', ip: '127.0.0.1' };
    // The registry gets the synthetic ИНН the list names (the demo registry has its own).
    for (const o of await database.db.selectFrom('organisations').select(['id', 'short_name']).execute()) {
      orgId.set(o.short_name, o.id);
      const inn = innByName.get(o.short_name);
      if (inn) await database.db.updateTable('organisations').set({ inn }).where('id', '=', o.id).execute();
    }
    golden = await computeCampaignResults(database.db, await seedCampaign(database.db, actor, { title: 'Эталон seed 004' }), { basis: 'all' });
    app = (await buildTestApp(database)).app;
    analyst = new Client(app, '10.21.0.1');
    expect((await analyst.login('analyst')).statusCode).toBe(200);
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('the synthetic Навигатор list gives seed 004\'s 51 diversity indices; the drill-down shows the 12 programmes of Петровское', async () => {
    const campaignId = await studentsOnly('Навигатор: сверка с эталоном');
    const before = await computeCampaignResults(database.db, campaignId, { basis: 'all' });
    expect(diversity(before)).toEqual([]); // without programmes the table cannot be computed
    const importId = await upload(campaignId, 'navigator.csv', readFileSync(SAMPLE('navigator.csv')));
    const preview = await analyst.post(`/api/imports/${importId}/records/preview`, {});
    expect(preview.statusCode, preview.body).toBe(200);
    const p = preview.json();
    expect(p).toMatchObject({ dataset: { id: 'navigator' }, headerLine: 3, totalRows: 666, records: 666, counted: 588, organisations: 51, errorCount: 0, issues: [] });
    expect(p.skipped).toEqual([{ line: 670, reason: 'итоговая строка' }]);
    expect(await recordCount(campaignId)).toBe(0); // preview writes nothing

    const applied = await analyst.post(`/api/imports/${importId}/records/apply`, {});
    expect(applied.statusCode, applied.body).toBe(201);
    expect(applied.json()).toMatchObject({ dataset: 'navigator', fileName: 'navigator.csv', records: 666, counted: 588, organisations: 51, skipped: 1, replaced: null });
    expect(await recordCount(campaignId)).toBe(666);
    expect((await analyst.post(`/api/imports/${importId}/records/apply`, {})).statusCode).toBe(409);

    const r = await computeCampaignResults(database.db, campaignId, { basis: 'all' });
    expect(diversity(r)).toHaveLength(51);
    expect(diversity(r)).toEqual(diversity(golden));
    const t = r.computed.find((c) => c.dataset.id === 'organisations')!;
    expect(t.aggregates.find((a) => a.aggregate === 'municipal_diversity_index' && a.group === null)?.value).toBe(5.6);
    const petrovskoe = t.results.find((x) => x.organisation === 'Петровское' && x.indicator === 'diversity_index')!;
    expect(petrovskoe.value).toBe(3.3);
    expect(petrovskoe.explanation).toMatch(/^12 \/ 359 × 100 = 3,34 → 3,3 → «средний» .* — 12 опубликованных программ из 14 строк; 2 не учтены: /);
    expect(t.records).toEqual([expect.objectContaining({ file: 'navigator.csv', dataset: 'navigator', rows: 666, counted: 588, organisations: 51 })]);
    // Enrolments by focus from the list: the same municipal technical share as seed 004's focus table (353+14+… / all).
    const focus = readFileSync(fileURLToPath(new URL('../../library/demo/seed-004/focus.csv', import.meta.url)), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').slice(1).map(Number));
    const technical = focus.reduce((s, c) => s + (c[0] ?? 0), 0);
    const all = focus.reduce((s, c) => s + c.reduce((a, b) => a + b, 0), 0);
    const enrolments = t.results.filter((x) => x.indicator === 'enrolments_total').reduce((s, x) => s + (x.value ?? 0), 0);
    expect(enrolments).toBe(all);
    const technicalSum = t.results.filter((x) => x.indicator === 'technical_share').reduce((s, x) => s + Number((x.details as { inputs: Record<string, number> }).inputs.technical ?? 0), 0);
    expect(technicalSum).toBe(technical);

    const drill = await analyst.get(`/api/campaigns/${campaignId}/records/${orgId.get('Петровское')}/programmes`);
    expect(drill.statusCode, drill.body).toBe(200);
    const d = drill.json();
    expect(d).toMatchObject({ organisation: { name: 'Петровское' }, input: 'programmes', value: 12, list: { fileName: 'navigator.csv', sheet: null } });
    expect(d.explanation).toMatch(/^12 опубликованных программ из 14 строк; 2 не учтены/);
    expect(d.records).toHaveLength(14);
    expect(d.records.filter((x: { counted: boolean }) => x.counted)).toHaveLength(12);
    const lines = navigatorText.split(/\r?\n/);
    for (const rec of d.records as { line: number; label: string; counted: boolean; fields: Record<string, unknown>; excludedBy: string | null }[]) {
      const cells = (lines[rec.line - 1] ?? '').split(';');
      expect(rec.label).toBe(cells[1]);
      expect(cells[4]).toBe(innByName.get('Петровское'));
      expect(rec.fields['Статус программы']).toBe(cells[5]);
      expect(rec.counted).toBe(cells[5] === 'Опубликована');
      expect(rec.excludedBy).toBe(rec.counted ? null : `«Статус программы» = «${cells[5]}»`);
    }
    // A grouped input: only the records of its focus.
    const tech = (await analyst.get(`/api/campaigns/${campaignId}/records/${orgId.get('Петровское')}/technical`)).json();
    expect(tech.records.every((x: { fields: Record<string, unknown> }) => x.fields['Направленность'] === 'Техническая')).toBe(true);
    expect(tech.value).toBe(tech.records.filter((x: { counted: boolean }) => x.counted).reduce((s: number, x: { fields: Record<string, number> }) => s + (x.fields['Количество обучающихся'] ?? 0), 0));
    expect((await analyst.get(`/api/campaigns/${campaignId}/records/${orgId.get('Петровское')}/students`)).statusCode).toBe(404);

    const audit = await database.db.selectFrom('audit_log').select(['action', 'details']).where('action', '=', 'campaign.records.apply').where('target_id', '=', campaignId).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.details).toMatchObject({ importId, records: 666, counted: 588, organisations: 51 });
  });

  it('an organisation whose ИНН is not a participant\'s: listed per row, nothing applied until picked or skipped', async () => {
    const name = 'МБОУ СОШ №1 г. Ишимбая';
    const changed = cp1251(navigatorText.replaceAll(`;${innByName.get('№1')};`, ';9909999999;'));
    const rows1 = navigatorText.split(/\r?\n/).map((l, i) => [l, i + 1] as const).filter(([l]) => l.includes(`;${innByName.get('№1')};`)).map(([, n]) => n);

    const picked = await studentsOnly('Навигатор: выбор организации');
    const id1 = await upload(picked, 'navigator.csv', changed);
    const p = (await analyst.post(`/api/imports/${id1}/records/preview`, {})).json();
    expect(p.errorCount).toBe(rows1.length);
    expect(p.issues).toHaveLength(1);
    expect(p.issues[0]).toMatchObject({ name, lines: rows1 });
    expect(p.errors[0].text).toBe(`Строка ${rows1[0]}, столбец «Организация»: «${name}» — ИНН 9909999999 не найден среди участников мониторинга: ${p.issues[0].kind === 'unmatched' ? 'выберите организацию или пропустите её записи' : 'подтвердите организацию, выберите другую или пропустите её записи'}`);
    const refused = await analyst.post(`/api/imports/${id1}/records/apply`, {});
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('RECORDS_INVALID');
    expect(await recordCount(picked)).toBe(0);
    const ok = await analyst.post(`/api/imports/${id1}/records/apply`, { confirmations: { [name]: orgId.get('№1') } });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(diversity(await computeCampaignResults(database.db, picked, { basis: 'all' }))).toEqual(diversity(golden));

    const skipped = await studentsOnly('Навигатор: пропуск организации');
    const id2 = await upload(skipped, 'navigator.csv', changed);
    const s = (await analyst.post(`/api/imports/${id2}/records/preview`, { confirmations: { [name]: null } })).json();
    expect(s.errorCount).toBe(0);
    expect(s.records).toBe(666 - rows1.length);
    expect(s.skipped.filter((x: { reason: string }) => x.reason.includes(name)).map((x: { line: number }) => x.line)).toEqual(rows1);
    expect((await analyst.post(`/api/imports/${id2}/records/apply`, { confirmations: { [name]: null } })).statusCode).toBe(201);
    const r = diversity(await computeCampaignResults(database.db, skipped, { basis: 'all' }));
    // №1 has no records: no programmes, diversity 0; every other organisation as in seed 004.
    expect(r.find((x) => x[0] === '№1')?.[1]).toBe(0);
    expect(r.filter((x) => x[0] !== '№1')).toEqual(diversity(golden).filter((x) => x[0] !== '№1'));
  });

  it('a status outside the declared values: a per-cell error offering an alias; the alias saved in a mapping goes through next time', async () => {
    const lines = navigatorText.split(/\r?\n/);
    const published = lines.map((l, i) => [l, i + 1] as const).filter(([l]) => l.split(';')[5] === 'Опубликована').slice(0, 3).map(([, n]) => n);
    const text = lines.map((l, i) => (published.includes(i + 1) ? l.replace(';Опубликована;', ';Опубл.;') : l)).join('\r\n');
    const campaignId = await studentsOnly('Навигатор: синонимы');
    const id = await upload(campaignId, 'navigator-2022.csv', cp1251(text));
    const p = (await analyst.post(`/api/imports/${id}/records/preview`, {})).json();
    const allowed = ['Опубликована', 'Черновик', 'Архив', 'Снята с публикации'];
    expect(p.errorCount).toBe(3);
    expect(p.errors.map((e: { line: number }) => e.line)).toEqual(published);
    expect(p.errors[0]).toEqual({
      line: published[0], column: 'Статус программы', message: `«Опубл.» — недопустимое значение (допустимо: ${allowed.join(', ')})`,
      text: `Строка ${published[0]}, столбец «Статус программы»: «Опубл.» — недопустимое значение (допустимо: ${allowed.join(', ')})`,
      alias: { field: 'status', value: 'Опубл.', allowed },
    });
    expect(p.aliasOffers).toEqual([{ field: 'status', column: 'Статус программы', value: 'Опубл.', allowed, rows: 3 }]);
    expect((await analyst.post(`/api/imports/${id}/records/preview`, { aliases: { status: { 'Опубл.': 'Опубликовано' } } })).statusCode).toBe(400);
    const applied = await analyst.post(`/api/imports/${id}/records/apply`, { aliases: { status: { 'Опубл.': 'Опубликована' } }, saveMappingAs: 'Навигатор: статусы' });
    expect(applied.statusCode, applied.body).toBe(201);
    expect(applied.json().counted).toBe(588);
    const mappings = (await analyst.get('/api/import-mappings?methodologyId=talents-2021')).json().items;
    expect(mappings.find((m: { name: string }) => m.name === 'Навигатор: статусы')?.aliases).toEqual({ status: { 'Опубл.': 'Опубликована' } });
    expect(diversity(await computeCampaignResults(database.db, campaignId, { basis: 'all' }))).toEqual(diversity(golden));

    // Next year's campaign: the same file goes through with the saved mapping.
    const next = await studentsOnly('Навигатор: следующий год');
    const id2 = await upload(next, 'navigator-2023.csv', cp1251(text));
    expect((await analyst.post(`/api/imports/${id2}/records/preview`, {})).json().errorCount).toBe(3);
    const withMapping = (await analyst.post(`/api/imports/${id2}/records/preview`, { mapping: 'Навигатор: статусы' })).json();
    expect(withMapping.errorCount).toBe(0);
    expect(withMapping.counted).toBe(588);
  });

  it('one bad row among 20 000 changes nothing; a good list replaces the previous one, which stays in history', async () => {
    const campaignId = await studentsOnly('Навигатор: 20 000 строк');
    const first = await upload(campaignId, 'navigator.csv', readFileSync(SAMPLE('navigator.csv')));
    expect((await analyst.post(`/api/imports/${first}/records/apply`, {})).statusCode).toBe(201);
    const names = [...innByName.keys()];
    const head = 'ID программы;Наименование программы;Направленность;Организация;ИНН организации;Статус программы;Количество обучающихся;Возраст с;Возраст по';
    const body = Array.from({ length: 20_000 }, (_, i) => {
      const n = names[i % names.length] as string;
      return `${i + 1};Программа ${i + 1};Художественная;${n};${innByName.get(n)};Опубликована;${i === 15_000 ? '12a' : 3};7;12`;
    });
    const big = await upload(campaignId, 'navigator-big.csv', Buffer.from([head, ...body].join('\n'), 'utf8'));
    const p = (await analyst.post(`/api/imports/${big}/records/preview`, {})).json();
    expect(p.totalRows).toBe(20_000);
    expect(p.errorCount).toBe(1);
    expect(p.errors[0].text).toBe('Строка 15002, столбец «Количество обучающихся»: «12a» — не число');
    const refused = await analyst.post(`/api/imports/${big}/records/apply`, {});
    expect(refused.statusCode).toBe(400);
    expect(await recordCount(campaignId)).toBe(666);
    expect(diversity(await computeCampaignResults(database.db, campaignId, { basis: 'all' }))).toEqual(diversity(golden));

    const good = await upload(campaignId, 'navigator-big-fixed.csv', Buffer.from([head, ...body.map((l) => l.replace(';12a;', ';3;'))].join('\n'), 'utf8'));
    const applied = await analyst.post(`/api/imports/${good}/records/apply`, {});
    expect(applied.statusCode, applied.body).toBe(201);
    expect(applied.json()).toMatchObject({ records: 20_000, counted: 20_000, organisations: 51 });
    expect(await recordCount(campaignId)).toBe(20_666);
    const r = await computeCampaignResults(database.db, campaignId, { basis: 'all' });
    const t = r.computed.find((c) => c.dataset.id === 'organisations')!;
    const programmesOf = (org: string) => (t.results.find((x) => x.organisation === org && x.indicator === 'diversity_index')?.details as { inputs: Record<string, number> }).inputs.programmes;
    // 20 000 records over 51 organisations in turn: the first 8 (20 000 mod 51 = 8) get 393, the others 392.
    expect(programmesOf(names[0] as string)).toBe(393);
    expect(programmesOf(names[50] as string)).toBe(392);
    expect(applied.json().replaced).not.toBeNull();
    const lists = (await analyst.get(`/api/campaigns/${campaignId}/record-lists`)).json().items as { fileName: string; records: number; current: boolean; inputs: { id: string }[] }[];
    expect(lists.map((l) => [l.fileName, l.records, l.current])).toEqual([['navigator-big-fixed.csv', 20_000, true], ['navigator.csv', 666, false]]);
    expect(lists[0]?.inputs.map((i) => i.id)).toEqual(['programmes', 'technical', 'tourism', 'sport', 'arts', 'natural_science', 'social_humanitarian']);
  }, 120_000);

  it('only analysts and administrators of the municipality import; the drill-down also for the working group', async () => {
    const campaignId = await studentsOnly('Навигатор: права');
    const id = await upload(campaignId, 'navigator.csv', readFileSync(SAMPLE('navigator.csv')));
    for (const login of ['oo1', 'wg']) {
      const c = new Client(app, `10.21.1.${login.length}`);
      expect((await c.login(login)).statusCode).toBe(200);
      expect((await c.post(`/api/imports/${id}/records/preview`, {})).statusCode).toBe(403);
      expect((await c.post(`/api/imports/${id}/records/apply`, {})).statusCode).toBe(403);
      expect((await c.get(`/api/campaigns/${campaignId}/records/${orgId.get('Петровское')}/programmes`)).statusCode).toBe(login === 'wg' ? 200 : 403);
      expect((await c.get(`/api/campaigns/${campaignId}/record-lists`)).statusCode).toBe(login === 'wg' ? 200 : 403);
    }
    // An analyst of another municipality: the campaign and the import are not theirs — 404, as for a missing one.
    const other = await database.db.insertInto('municipalities').values({ name: 'Соседний район', created_at: new Date() }).returning('id').executeTakeFirstOrThrow();
    await createUser(database.db, SYSTEM_ACTOR, { login: 'analyst-other', fullName: 'Аналитик соседнего района', role: 'analyst', password: 'demo2022' }, other.id);
    const foreign = new Client(app, '10.21.3.1');
    expect((await foreign.login('analyst-other')).statusCode).toBe(200);
    expect((await foreign.post(`/api/imports/${id}/records/preview`, {})).statusCode).toBe(404);
    expect((await foreign.post(`/api/imports/${id}/records/apply`, {})).statusCode).toBe(404);
    expect((await foreign.get(`/api/campaigns/${campaignId}/records/${orgId.get('Петровское')}/programmes`)).statusCode).toBe(404);
    expect((await foreign.get(`/api/campaigns/${campaignId}/record-lists`)).statusCode).toBe(404);
    expect(await recordCount(campaignId)).toBe(0);
    const admin = new Client(app, '10.21.2.1');
    expect((await admin.login('admin')).statusCode).toBe(200);
    expect((await admin.post(`/api/imports/${id}/records/apply`, {})).statusCode).toBe(201);
    expect(await recordCount(campaignId)).toBe(666);
  });
});
