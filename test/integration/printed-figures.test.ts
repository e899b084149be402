/** Printed figures one by one (issue 15, item 4) through the HTTP API on both engines: the analyst enters Петровское's
 * 3,7 with its place in the report, sees the disagreement in the analysis, corrects it to 3,3 (the old figure stays in
 * the history, the disagreement goes), an unreadable number and an unknown indicator are refused in Russian naming the
 * figure, a mistaken municipal figure is removed with a reason (kept in the history), the working group reads the list
 * but cannot remove, and every write is in the audit log. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/services/demo/demo.ts';
import type { Actor } from '../../src/services/errors.ts';
import { seedCampaign } from './campaign-fixture.ts';
import { BACKENDS, Client, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

interface Version { value: string | null; level: string | null; place: string | null; actorLogin: string; source: string; reason: string | null }
interface Entry { id: number; scope: string; label: string; target: string; targetTitle: string; value: string | null; level: string | null; place: string | null; removed: boolean; history: Version[] }
interface Listing { items: Entry[]; options: { organisations: { id: string; name: string }[]; groups: { key: string; name: string }[]; targets: { id: string; title: string; kind: string }[] } }
interface Analysis { printedReports: { report: { id: string }; agreed: number; disagreements: { label: string; field: string; printed: string; computed: string | null }[] }[] }
interface ErrorBody { error: { code: string; message: string; fields?: { path: string; message: string }[] } }

describe.each(BACKENDS)('printed figures one by one on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let analyst: Client;
  let wg: Client;
  let campaignId: string;
  let reportId: string;
  let petrovskoe: string;
  const base = () => `/api/campaigns/${campaignId}/printed-reports/${reportId}`;
  const list = async (c: Client = analyst) => (await c.get(`${base()}/figures`)).json<Listing>();
  const check = async () => (await wg.get(`/api/campaigns/${campaignId}/analysis?basis=all`)).json<Analysis>().printedReports.find((r) => r.report.id === reportId)!;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    const u = await database.db.selectFrom('users').select('id').where('login', '=', 'analyst').executeTakeFirstOrThrow();
    const actor: Actor = { userId: u.id, login: 'analyst', ip: '127.0.0.1' };
    campaignId = await seedCampaign(database.db, actor);
    app = (await buildTestApp(database)).app;
    analyst = new Client(app, '10.17.0.1');
    wg = new Client(app, '10.17.0.2');
    for (const [c, login] of [[analyst, 'analyst'], [wg, 'wg']] as const) expect((await c.login(login)).statusCode).toBe(200);
    const res = await analyst.post(`/api/campaigns/${campaignId}/printed-reports`, { title: 'Справка УО', date: '2022-07-15' });
    reportId = res.json<{ id: string }>().id;
  }, 600_000);
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('the form’s choices: participants, rows by type, indicators with codes and municipal figures', async () => {
    const { items, options } = await list();
    expect(items).toEqual([]);
    expect(options.organisations).toHaveLength(51);
    petrovskoe = options.organisations.find((o) => o.name === 'Петровское')!.id;
    expect(options.groups.map((g) => g.name)).toEqual(['Общеобразовательные организации', 'Дошкольные образовательные организации', 'Организации дополнительного образования', 'Итого']);
    expect(options.targets.find((t) => t.id === 'diversity_index')).toEqual({ id: 'diversity_index', title: expect.stringMatching(/^2\.1\. Индекс многообразия/), kind: 'indicator' });
    expect(options.targets.find((t) => t.id === 'municipal_diversity_index')?.kind).toBe('aggregate');
  });

  it('an unreadable number and an unknown indicator are refused in Russian, nothing saved', async () => {
    const bad = await analyst.post(`${base()}/figures`, { figures: [{ organisationId: petrovskoe, target: '2.1', value: '3,7а', place: 'Таблица № 3, строка 26' }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ErrorBody>().error.fields).toEqual([{ path: 'figures.0.value', message: 'показатель № 1: «3,7а» — не число (пишите, как напечатано: «5,6», «58,6 %», «86»)' }]);
    const unknown = await analyst.post(`${base()}/figures`, { figures: [{ organisationId: petrovskoe, target: '9.9', value: '3,7' }] });
    expect(unknown.json<ErrorBody>().error.fields).toEqual([{ path: 'figures.0.target', message: 'показатель № 1: показателя «9.9» нет в методике «Охват обучающихся дополнительным образованием на основе учета их потребностей (2021)»' }]);
    expect((await list()).items).toEqual([]);
  });

  it('entered with its place: the disagreement appears; corrected: it goes, the old figure stays in the history', async () => {
    const entered = await analyst.post(`${base()}/figures`, { figures: [{ organisationId: petrovskoe, target: '2.1', value: '3,7', level: 'средний', place: 'Таблица № 3, строка 26' }] });
    expect([entered.statusCode, entered.json()]).toEqual([201, { saved: 1 }]);
    let c = await check();
    expect(c.disagreements.map((d) => [d.label, d.field, d.printed, d.computed])).toEqual([['Петровское', 'value', '3,7', '3,3']]);
    expect(c.agreed).toBe(1);

    expect((await analyst.post(`${base()}/figures`, { figures: [{ organisationId: petrovskoe, target: 'diversity_index', value: '3,3', level: 'средний', place: 'Таблица № 3, строка 26 (исправлено)' }] })).statusCode).toBe(201);
    c = await check();
    expect([c.disagreements, c.agreed]).toEqual([[], 2]);
    const [e] = (await list(wg)).items;
    expect(e).toMatchObject({ scope: 'organisation', label: 'Петровское', target: 'diversity_index', value: '3,3', level: 'средний', place: 'Таблица № 3, строка 26 (исправлено)', removed: false });
    expect(e!.history.map((v) => [v.value, v.level, v.place, v.actorLogin, v.source])).toEqual([
      ['3,3', 'средний', 'Таблица № 3, строка 26 (исправлено)', 'analyst', 'entry'],
      ['3,7', 'средний', 'Таблица № 3, строка 26', 'analyst', 'entry'],
    ]);
  });

  it('a mistaken municipal figure is removed with a reason; the working group cannot remove; the audit has it', async () => {
    expect((await analyst.post(`${base()}/figures`, { figures: [{ target: 'municipal_diversity_index', value: '5,9', place: 'Таблица № 3, строка «итого»' }] })).statusCode).toBe(201);
    expect((await check()).disagreements.map((d) => [d.label, d.printed, d.computed])).toEqual([['Муниципалитет', '5,9', '5,6']]);
    const figure = (await list()).items.find((x) => x.target === 'municipal_diversity_index')!;
    expect((await wg.request('DELETE', `${base()}/figures/${figure.id}`, { reason: 'опечатка' })).statusCode).toBe(403);
    const noReason = await analyst.request('DELETE', `${base()}/figures/${figure.id}`, {});
    expect([noReason.statusCode, noReason.json<ErrorBody>().error.fields?.[0]?.path]).toEqual([400, 'reason']);
    const old = (await list()).items[0]!.history[1]!;
    expect((await analyst.request('DELETE', `${base()}/figures/999999999`, { reason: 'опечатка' })).statusCode).toBe(404);
    expect(old.value).toBe('3,7');

    const res = await analyst.request('DELETE', `${base()}/figures/${figure.id}`, { reason: 'внесено по ошибке: 5,9 — из другой справки' });
    expect([res.statusCode, res.json()]).toEqual([200, { ok: true }]);
    expect((await analyst.request('DELETE', `${base()}/figures/${figure.id}`, { reason: 'ещё раз' })).statusCode).toBe(409);
    expect((await check()).disagreements).toEqual([]);
    const removed = (await list()).items.find((x) => x.target === 'municipal_diversity_index')!;
    expect(removed).toMatchObject({ removed: true, value: null, level: null, place: 'Таблица № 3, строка «итого»' });
    expect(removed.history.map((v) => [v.value, v.source, v.reason])).toEqual([
      [null, 'removal', 'внесено по ошибке: 5,9 — из другой справки'],
      ['5,9', 'entry', null],
    ]);
    const figures = (await analyst.get(`/api/campaigns/${campaignId}/printed-reports`)).json<{ items: { id: string; figures: number }[] }>().items;
    expect(figures.find((r) => r.id === reportId)!.figures).toBe(1);
    const noPrevious = await analyst.request('DELETE', `${base()}/figures/${removed.id}`, { reason: 'снова', restore: true });
    expect(noPrevious.statusCode).toBe(409);
  });

  it('undo of a mistaken correction: «restore» puts the previous figure back in force; without a previous one it is refused', async () => {
    const current = (await list()).items.find((x) => x.label === 'Петровское')!;
    const res = await analyst.request('DELETE', `${base()}/figures/${current.id}`, { reason: 'исправление внесено не в тот отчёт', restore: true });
    expect([res.statusCode, res.json()]).toEqual([200, { ok: true }]);
    const back = (await list()).items.find((x) => x.label === 'Петровское')!;
    expect(back).toMatchObject({ value: '3,7', level: 'средний', removed: false });
    expect(back.history.map((v) => [v.value, v.source, v.reason])).toEqual([
      ['3,7', 'restore', 'исправление внесено не в тот отчёт'],
      ['3,3', 'entry', null],
      ['3,7', 'entry', null],
    ]);
    expect((await check()).disagreements.map((d) => [d.label, d.printed, d.computed])).toEqual([['Петровское', '3,7', '3,3']]);
    const municipal = await analyst.post(`${base()}/figures`, { figures: [{ target: 'municipal_diversity_index', value: '5,6' }] });
    expect(municipal.statusCode).toBe(201);
    const m = (await list()).items.find((x) => x.target === 'municipal_diversity_index')!;
    expect(m.history.map((v) => v.source)).toEqual(['entry', 'removal', 'entry']);
    const restored = await analyst.request('DELETE', `${base()}/figures/${m.id}`, { reason: '5,6 — не из этой справки', restore: true });
    expect(restored.statusCode).toBe(200);
    expect((await list()).items.find((x) => x.target === 'municipal_diversity_index')).toMatchObject({ value: '5,9', removed: false });

    const second = (await list()).options.organisations.find((o) => o.name === '№2')!.id;
    expect((await analyst.post(`${base()}/figures`, { figures: [{ organisationId: second, target: '2.1', level: 'низкий' }] })).statusCode).toBe(201);
    const single = (await list()).items.find((x) => x.label === '№2')!;
    const refused = await analyst.request('DELETE', `${base()}/figures/${single.id}`, { reason: 'ошибка', restore: true });
    expect([refused.statusCode, refused.json<ErrorBody>().error.message]).toEqual([400, 'Прежнего значения нет: значение можно только удалить']);
    expect((await list()).items.find((x) => x.label === '№2')).toMatchObject({ level: 'низкий', removed: false });
    const audit = await database.db.selectFrom('audit_log').select(['action', 'details']).where('action', '=', 'campaign.printed_report.figure_remove').orderBy('id').execute();
    const details = (d: unknown) => (typeof d === 'string' ? JSON.parse(d) : d) as Record<string, unknown>;
    expect(audit.map((a) => details(a.details))).toEqual([
      expect.objectContaining({ report: reportId, target: 'municipal_diversity_index', was: { value: '5,9', level: null }, reason: 'внесено по ошибке: 5,9 — из другой справки' }),
      expect.objectContaining({ target: 'diversity_index', was: { value: '3,3', level: 'средний' }, source: 'restore', restored: { value: '3,7', level: 'средний' } }),
      expect.objectContaining({ target: 'municipal_diversity_index', was: { value: '5,6', level: null }, source: 'restore', restored: { value: '5,9', level: null } }),
    ]);
  });
});
