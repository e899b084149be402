/** Issue 7, second part: evidence files (type by content, 10 MB, download only as an attachment, scoped to the
 * recommendation's organisation, audited) and hand edits of road-map events (history, remove and restore). */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMaintenance } from '../../src/services/admin/maintenance.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { BACKENDS, Client, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const EXE = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00'), Buffer.alloc(120, 0), Buffer.from('This program cannot be run in DOS mode.')]);

function multipart(fields: Record<string, string>, file: { name: string; content: Buffer }): { body: Buffer; headers: Record<string, string> } {
  const boundary = 'msoko-evidence-boundary';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/pdf\r\n\r\n`), file.content, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe.each(BACKENDS)('evidence files and road-map edits on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let analyst: Client;
  let oo1: Client;
  let dou34: Client;
  let rec1: string;
  let rec34: string;
  let fileId: string;
  const upload = (c: Client, url: string, file: { name: string; content: Buffer }, fields: Record<string, string> = {}) => {
    const m = multipart(fields, file);
    return c.request('POST', url, m.body, { headers: m.headers });
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    app = (await buildTestApp(database)).app;
    analyst = new Client(app, '10.9.0.1');
    oo1 = new Client(app, '10.9.0.2');
    dou34 = new Client(app, '10.9.0.3');
    for (const [c, l] of [[analyst, 'analyst'], [oo1, 'oo1'], [dou34, 'dou34']] as const) expect((await c.login(l)).statusCode).toBe(200);
    const orgOf = async (login: string) => (await database.db.selectFrom('users').select('organisation_id').where('login', '=', login).executeTakeFirstOrThrow()).organisation_id!;
    const res = await analyst.post('/api/recommendations', { direction: 'talents', addresseeKind: 'head', organisationIds: [await orgOf('oo1'), await orgOf('dou34')], text: 'Внедрить программы технической направленности' });
    [rec1, rec34] = res.json().items.map((r: { id: string }) => r.id);
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('an organisation uploads a PDF report to its recommendation; the type comes from the content', async () => {
    const res = await upload(oo1, `/api/recommendations/${rec1}/evidence`, { name: 'отчёт.pdf', content: PDF });
    expect(res.statusCode, res.body).toBe(201);
    const f = res.json();
    expect(f).toMatchObject({ ownerType: 'recommendation', ownerId: rec1, fileName: 'отчёт.pdf', kind: 'pdf', size: PDF.length, uploaderLogin: 'oo1' });
    expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
    fileId = f.id;
    expect((await oo1.get(`/api/recommendations/${rec1}/evidence`)).json().items.map((x: { id: string }) => x.id)).toEqual([fileId]);
    const audit = await database.db.selectFrom('audit_log').select(['actor_login', 'target_id', 'details']).where('action', '=', 'evidence.upload').execute();
    expect(audit).toEqual([{ actor_login: 'oo1', target_id: rec1, details: expect.objectContaining({ fileId, kind: 'pdf', size: PDF.length }) }]);
  });

  it('refuses an executable renamed .pdf and a file over 10 MB', async () => {
    const exe = await upload(oo1, `/api/recommendations/${rec1}/evidence`, { name: 'отчёт.pdf', content: EXE });
    expect(exe.statusCode).toBe(400);
    expect(exe.json().error.fields).toEqual([{ path: 'file', message: 'Это исполняемый файл (MZ). Допустимы файлы PDF, DOCX, XLSX, ODT, JPEG, PNG — тип определяется по содержимому, а не по имени' }]);
    const big = Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024, 0x20)]);
    const tooBig = await upload(oo1, `/api/recommendations/${rec1}/evidence`, { name: 'скан.pdf', content: big });
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().error.message).toBe('Файл больше 10 МБ');
    expect(await database.db.selectFrom('evidence_files').select('id').execute()).toHaveLength(1);
  });

  it('serves the file only as an attachment with nosniff; another organisation can neither download nor upload', async () => {
    const own = await oo1.get(`/api/evidence/${fileId}`);
    expect(own.statusCode).toBe(200);
    expect(own.headers['content-type']).toBe('application/octet-stream');
    expect(own.headers['content-disposition']).toBe(`attachment; filename="_____.pdf"; filename*=UTF-8''${encodeURIComponent('отчёт.pdf')}`);
    expect(own.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(own.rawPayload, PDF)).toBe(0);
    const other = await dou34.get(`/api/evidence/${fileId}`);
    expect(other.statusCode).toBe(403);
    expect((await dou34.get(`/api/recommendations/${rec1}/evidence`)).statusCode).toBe(403);
    expect((await upload(dou34, `/api/recommendations/${rec1}/evidence`, { name: 'x.pdf', content: PDF })).statusCode).toBe(403);
    expect((await upload(dou34, `/api/recommendations/${rec34}/evidence`, { name: 'x.pdf', content: PDF })).statusCode).toBe(201);
    expect((await analyst.get(`/api/evidence/${fileId}`)).statusCode).toBe(200);
    const downloads = await database.db.selectFrom('audit_log').select('actor_login').where('action', '=', 'evidence.download').orderBy('id').execute();
    expect(downloads.map((d) => d.actor_login)).toEqual(['oo1', 'analyst']);
  });

  it('removal (issue 24): the uploader or an analyst, never another; hidden and not downloadable; restorable for 30 days; audited', async () => {
    const up = await upload(oo1, `/api/recommendations/${rec1}/evidence`, { name: 'лишний.pdf', content: PDF });
    expect(up.statusCode).toBe(201);
    const id = up.json().id as string;
    // Another organisation cannot even see it; the recommendation is not theirs.
    expect((await dou34.request('DELETE', `/api/evidence/${id}`)).statusCode).toBe(403);
    const removed = await oo1.request('DELETE', `/api/evidence/${id}`);
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json().removed).toMatchObject({ login: 'oo1' });
    const until = Date.parse(removed.json().removed.restorableUntil) - Date.parse(removed.json().removed.at);
    expect(until).toBe(30 * 86_400_000);
    const list = (await oo1.get(`/api/recommendations/${rec1}/evidence`)).json().items as { id: string; removed: unknown }[];
    expect(list.map((f) => [f.id, f.removed !== null])).toEqual([[fileId, false], [id, true]]);
    expect((await oo1.get(`/api/evidence/${id}`)).statusCode).toBe(404);
    expect((await oo1.request('DELETE', `/api/evidence/${id}`)).json().error.code).toBe('EVIDENCE_REMOVED');
    // The analyst restores it (and could remove the organisation's file too).
    const restored = await analyst.post(`/api/evidence/${id}/restore`, {});
    expect(restored.statusCode, restored.body).toBe(200);
    expect(restored.json().removed).toBeNull();
    expect((await oo1.get(`/api/evidence/${id}`)).statusCode).toBe(200);
    expect((await analyst.request('DELETE', `/api/evidence/${id}`)).statusCode).toBe(200);
    // Past 30 days it is gone from the list and cannot be restored.
    await database.db.updateTable('evidence_files').set({ removed_at: new Date(Date.now() - 31 * 86_400_000) }).where('id', '=', id).execute();
    expect((await oo1.get(`/api/recommendations/${rec1}/evidence`)).json().items.map((f: { id: string }) => f.id)).toEqual([fileId]);
    const late = await oo1.post(`/api/evidence/${id}/restore`, {});
    expect(late.statusCode).toBe(409);
    expect(late.json().error.message).toBe('Файл удалён больше 30 дней назад и не восстанавливается');
    const audit = await database.db.selectFrom('audit_log').select(['action', 'actor_login']).where('action', 'in', ['evidence.remove', 'evidence.restore']).orderBy('id').execute();
    expect(audit).toEqual([
      { action: 'evidence.remove', actor_login: 'oo1' },
      { action: 'evidence.restore', actor_login: 'analyst' },
      { action: 'evidence.remove', actor_login: 'analyst' },
    ]);
    // Maintenance deletes it for good (past 30 days only: the first report stays), with one audit entry naming it.
    const pass = await runMaintenance(database.db);
    expect(pass['удалённые подтверждения']).toBe(1);
    expect(await database.db.selectFrom('evidence_files').select('id').where('id', '=', id).executeTakeFirst()).toBeUndefined();
    expect(await database.db.selectFrom('evidence_files').select('id').where('id', '=', fileId).executeTakeFirst()).toBeDefined();
    const purge = await database.db.selectFrom('audit_log').select(['actor_login', 'details']).where('action', '=', 'evidence.purge').execute();
    expect(purge.map((p) => [p.actor_login, (p.details as { files: { id: string }[] }).files.map((f) => f.id)])).toEqual([['system', [id]]]);
    expect((await runMaintenance(database.db))['удалённые подтверждения']).toBe(0);
  });

  it('road-map occurrences and decisions take evidence from the department only', async () => {
    expect((await analyst.post('/api/roadmaps/talents/2022/import')).statusCode).toBe(200);
    const rm = (await analyst.get('/api/roadmaps/talents/2022?today=2022-07-10')).json();
    const q = rm.events.find((e: { deadlineText: string }) => e.deadlineText.startsWith('ежеквартально'));
    const url = `/api/roadmaps/events/${q.id}/evidence`;
    const wrongDue = await upload(analyst, url, { name: 'справка.pdf', content: PDF }, { occurrenceDue: '2022-05-15' });
    expect(wrongDue.statusCode).toBe(400);
    expect(wrongDue.json().error.fields).toEqual([{ path: 'occurrenceDue', message: 'У мероприятия нет срока 2022-05-15 в 2022 году' }]);
    const ok = await upload(analyst, url, { name: 'справка.pdf', content: PDF }, { occurrenceDue: '2022-04-15' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ ownerType: 'roadmap_event', occurrenceDue: '2022-04-15' });
    expect((await oo1.get(`/api/evidence/${ok.json().id}`)).statusCode).toBe(403);
    expect((await upload(oo1, url, { name: 'x.pdf', content: PDF })).statusCode).toBe(403);
    const after = (await analyst.get('/api/roadmaps/talents/2022?today=2022-07-10')).json();
    expect(after.events.find((e: { id: string }) => e.id === q.id).files).toBe(1);
    const dec = await analyst.post('/api/decisions', { direction: 'talents', kind: 'order', date: '2022-09-12', title: 'Приказ', responsible: 'Иванова А. А.' });
    const doc = await upload(analyst, `/api/decisions/${dec.json().id}/evidence`, { name: 'приказ.pdf', content: PDF });
    expect(doc.statusCode).toBe(201);
    expect((await analyst.get(`/api/decisions/${dec.json().id}`)).json().files.map((f: { fileName: string }) => f.fileName)).toEqual(['приказ.pdf']);
  });

  it('edits road-map events by hand with history; removal hides the event and is undone by restore', async () => {
    const bad = await analyst.post('/api/roadmaps/talents/2023/events', { title: 'Семинар', deadlineText: 'когда-нибудь', executor: 'ИМЦ' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0]).toMatchObject({ path: 'deadlineText', message: expect.stringMatching(/^Не удалось распознать срок «когда-нибудь»/) });
    const created = await analyst.post('/api/roadmaps/talents/2023/events', { title: 'Семинар для руководителей', deadlineText: 'ежегодно март', executor: 'ИМЦ', expectedDocument: 'протокол' });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    expect((await analyst.patch(`/api/roadmaps/events/${id}`, { deadlineText: 'сентябрь-октябрь', executor: 'Управление образования' })).statusCode).toBe(200);
    let rm = (await analyst.get('/api/roadmaps/talents/2023?today=2023-01-10')).json();
    const ev = rm.events.find((e: { id: string }) => e.id === id);
    expect(ev).toMatchObject({ deadlineText: 'сентябрь-октябрь', executor: 'Управление образования', edited: true, fromTemplate: false });
    expect(ev.occurrences.map((o: { start: string; due: string }) => [o.start, o.due])).toEqual([['2023-09-01', '2023-10-31']]);
    expect((await analyst.request('DELETE', `/api/roadmaps/events/${id}`)).statusCode).toBe(200);
    rm = (await analyst.get('/api/roadmaps/talents/2023?today=2023-01-10')).json();
    expect(rm.events.map((e: { id: string }) => e.id)).not.toContain(id);
    expect(rm.removed).toEqual([{ id, title: 'Семинар для руководителей', removedAt: expect.any(String) }]);
    expect((await analyst.patch(`/api/roadmaps/events/${id}`, { title: 'x' })).statusCode).toBe(409);
    expect((await analyst.post(`/api/roadmaps/events/${id}/restore`)).statusCode).toBe(200);
    rm = (await analyst.get('/api/roadmaps/talents/2023?today=2023-01-10')).json();
    expect(rm.events.map((e: { id: string }) => e.id)).toContain(id);
    const h = (await analyst.get(`/api/roadmaps/events/${id}/history`)).json();
    expect(h.revisions.map((r: { action: string; actorLogin: string }) => [r.action, r.actorLogin])).toEqual([['create', 'analyst'], ['update', 'analyst'], ['remove', 'analyst'], ['restore', 'analyst']]);
    expect(h.revisions[1].before).toMatchObject({ deadlineText: 'ежегодно март', executor: 'ИМЦ' });
    expect(h.revisions[1].after).toMatchObject({ deadlineText: 'сентябрь-октябрь', executor: 'Управление образования' });
    await expect(database.db.deleteFrom('roadmap_event_revisions').execute()).rejects.toThrow(/только для добавления/);
    const wg = new Client(app, '10.9.0.9');
    await wg.login('wg');
    expect((await wg.patch(`/api/roadmaps/events/${id}`, { title: 'x' })).statusCode).toBe(403);
  });

  it('a passport is edited as a new immutable version and the cycle reads the newest', async () => {
    const p = (await analyst.get('/api/passports/preschool')).json();
    expect(p).toMatchObject({ id: 'direction-preschool', origin: 'library', expectedResult: null });
    const yaml = (p.yaml as string).replace(/^version: .*$/m, 'version: "2022.1"').replace(/^goal:/m, 'expected_result: Повышение качества дошкольного образования по итогам МКДО\ngoal:');
    const saved = await analyst.post('/api/passports/preschool', { yaml });
    expect(saved.statusCode, saved.body).toBe(201);
    expect(saved.json()).toMatchObject({ version: '2022.1', origin: 'uploaded', expectedResult: 'Повышение качества дошкольного образования по итогам МКДО' });
    expect(saved.json().versions.map((v: { version: string; source: string }) => [v.version, v.source])).toEqual([[p.version, 'library'], ['2022.1', 'uploaded']]);
    const goals = (await analyst.get('/api/cycle/preschool/2022')).json().stages.find((s: { code: string }) => s.code === 'goals');
    expect(goals.missing).toEqual([]);
    const wrong = await analyst.post('/api/passports/talents', { yaml });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.code).toBe('PASSPORT_MISMATCH');
  });
});
