/** Printed reports through the HTTP API (issue 15, item 4) on both engines: the analyst attaches «Протокол № 6» to a
 * talents-2021 campaign filled from seed 004, a table with bad rows is refused with 400 naming row and column and
 * saves nothing, the protocol's table and the municipal 5,6 are taken, GET /api/campaigns/:id/analysis lists the three
 * per-organisation disagreements (so do the справка and the protocol draft), the working group reads but does not
 * write, a school representative gets 403, and the report is removed with a reason — every write in the audit log. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/services/demo/demo.ts';
import type { Actor } from '../../src/services/errors.ts';
import { multipart } from '../support/import-data.ts';
import { readDocx } from './document-files.ts';
import { csvRows, seedCampaign } from './campaign-fixture.ts';
import { BACKENDS, Client, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

interface Disagreement { label: string; field: string; printed: string; computed: string | null; explanation: string }
interface Analysis {
  printedReports: { report: { id: string; title: string }; agreed: number; disagreements: Disagreement[]; problems: unknown[] }[];
  model: { discrepancies: { organisation: string | null; field: string; published: unknown; computed: unknown; explanation: string }[] };
}
interface ErrorBody { error: { code: string; message: string; fields?: { path: string; message: string }[] } }

const HEADER = 'Организация,Показатель,Значение,Уровень';

describe.each(BACKENDS)('printed reports API on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let analyst: Client;
  let wg: Client;
  let school: Client;
  let campaignId: string;
  let reportId: string;
  const base = () => `/api/campaigns/${campaignId}/printed-reports`;

  const upload = (client: Client, url: string, name: string, lines: string[]) => {
    const m = multipart(name, Buffer.from(`${lines.join('\n')}\n`, 'utf8'));
    return client.request('POST', url, m.body, { headers: { 'content-type': m.contentType } });
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    const u = await database.db.selectFrom('users').select('id').where('login', '=', 'analyst').executeTakeFirstOrThrow();
    const actor: Actor = { userId: u.id, login: 'analyst', ip: '127.0.0.1' };
    campaignId = await seedCampaign(database.db, actor);
    app = (await buildTestApp(database)).app;
    analyst = new Client(app, '10.16.0.1');
    wg = new Client(app, '10.16.0.2');
    school = new Client(app, '10.16.0.3');
    for (const [c, login] of [[analyst, 'analyst'], [wg, 'wg'], [school, 'oo1']] as const) expect((await c.login(login)).statusCode).toBe(200);
  }, 600_000);
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('the analyst attaches a report; a wrong date is 400 in Russian; the working group reads, does not write', async () => {
    const bad = await analyst.post(base(), { title: 'Протокол № 6', date: '30.06.2022' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ErrorBody>().error.fields).toEqual([{ path: 'date', message: 'Дата в формате ГГГГ-ММ-ДД' }]);

    const res = await analyst.post(base(), { title: 'Протокол № 6', date: '2022-06-30', source: 'архив УО' });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json<{ id: string; title: string; date: string; source: string; actorLogin: string; figures: number }>();
    expect(created).toMatchObject({ title: 'Протокол № 6', date: '2022-06-30', source: 'архив УО', actorLogin: 'analyst', figures: 0 });
    reportId = created.id;

    const list = await wg.get(base());
    expect(list.statusCode).toBe(200);
    expect(list.json<{ items: { id: string; title: string; figures: number }[] }>().items.map((r) => [r.id, r.title, r.figures])).toEqual([[reportId, 'Протокол № 6', 0]]);
    expect((await wg.post(base(), { title: 'Ещё', date: '2022-07-01' })).statusCode).toBe(403);
  });

  it('a school representative gets 403 on every route', async () => {
    expect((await school.get(base())).statusCode).toBe(403);
    expect((await school.post(base(), { title: 'Свой отчёт', date: '2022-06-30' })).statusCode).toBe(403);
    expect((await school.post(`${base()}/${reportId}/figures`, { figures: [{ target: 'municipal_diversity_index', value: '9,9' }] })).statusCode).toBe(403);
    expect((await upload(school, `${base()}/${reportId}/import`, 'протокол.csv', [HEADER, 'Петровское,2.1,"9,9",высокий'])).statusCode).toBe(403);
    expect((await school.request('DELETE', `${base()}/${reportId}`, { reason: 'не нравится' })).statusCode).toBe(403);
    expect((await school.get(`/api/campaigns/${campaignId}/analysis`)).statusCode).toBe(403);
  });

  it('a table with bad rows is 400 naming row and column, and nothing is saved; a PDF is 400 by type', async () => {
    const res = await upload(analyst, `${base()}/${reportId}/import`, 'протокол.csv', [HEADER, 'Петровское,2.1,"3,7",средний', 'Нет такой школы,2.1,"1,0",', 'Канакаево,9.9,"5,2",средний']);
    expect(res.statusCode).toBe(400);
    const err = res.json<ErrorBody>().error;
    expect(err.code).toBe('FIGURES_INVALID');
    expect(err.message).toMatch(/^протокол\.csv: ничего не сохранено — строка 3, столбец «Организация»: «Нет такой школы» — .*; строка 4, столбец «Показатель»: показателя «9\.9» нет в методике/);
    expect(err.fields?.length).toBe(2);
    const pdf = await upload(analyst, `${base()}/${reportId}/import`, 'протокол.pdf', ['%PDF-1.4']);
    expect([pdf.statusCode, pdf.json<ErrorBody>().error.message]).toEqual([400, 'Допустимы файлы CSV и XLSX']);
    expect((await analyst.get(base())).json<{ items: { figures: number }[] }>().items[0]!.figures).toBe(0);
    const audit = await database.db.selectFrom('audit_log').select('action').where('action', '=', 'campaign.printed_report.figures').execute();
    expect(audit).toEqual([]);
  });

  it('the protocol’s table and 5,6 are taken; the analysis shows Петровское 3,7 vs 3,3, Канакаево and ДОУ №33 by level', async () => {
    const rows = csvRows('organisations.csv').map((r) => `"${r.name}",2.1,"${r.published_index!.replace('.', ',')}",${r.published_level}`);
    const res = await upload(analyst, `${base()}/${reportId}/import`, 'протокол.csv', [HEADER, ...rows]);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ saved: 51, fileName: 'протокол.csv' });
    const entered = await analyst.post(`${base()}/${reportId}/figures`, { figures: [{ target: 'municipal_diversity_index', value: '5,6' }] });
    expect([entered.statusCode, entered.json()]).toEqual([201, { saved: 1 }]);
    const wrong = await analyst.post(`${base()}/${reportId}/figures`, { figures: [{ target: 'nothing_like_it', value: '1' }] });
    expect(wrong.statusCode).toBe(400);

    const a = (await wg.get(`/api/campaigns/${campaignId}/analysis?basis=all`)).json<Analysis>();
    expect(a.printedReports).toHaveLength(1);
    const check = a.printedReports[0]!;
    expect([check.report.id, check.agreed, check.problems]).toEqual([reportId, 51 * 2 - 3 + 1, []]);
    expect(check.disagreements.map((d) => [d.label, d.field, d.printed, d.computed])).toEqual([
      ['Канакаево', 'level', 'средний', 'выше среднего'],
      ['Петровское', 'value', '3,7', '3,3'],
      ['ДОУ №33', 'level', 'выше среднего', 'высокий'],
    ]);
    expect(check.disagreements[1]!.explanation).toBe('в отчёте напечатано 3,7, вычислено 3,3; точное значение 3,343, с точностью напечатанного (1 зн. после запятой) — 3,3');
    const fromReport = a.model.discrepancies.filter((d) => d.explanation.startsWith('«Протокол № 6»: '));
    expect(fromReport.map((d) => [d.organisation, d.field, d.published, d.computed])).toEqual([
      ['Канакаево', 'level', 'средний', 'выше среднего'],
      ['Петровское', 'value', 3.7, 3.3],
      ['ДОУ №33', 'level', 'выше среднего', 'высокий'],
    ]);
  });

  it('the справка (DOCX) lists the report’s disagreements under its title; the protocol draft counts them with their likely causes', async () => {
    const report = await wg.get(`/api/campaigns/${campaignId}/report?format=docx&basis=all`);
    expect(report.statusCode).toBe(200);
    const docx = readDocx(report.rawPayload);
    const table = docx.rows.filter((r) => r.cells[6]?.startsWith('«Протокол № 6»: '));
    expect(table.map((r) => r.cells.slice(1, 6))).toEqual([
      ['Канакаево', expect.stringMatching(/^2\.1\. /), 'уровень', 'средний', 'выше среднего'],
      ['Петровское', expect.stringMatching(/^2\.1\. /), 'значение', '3,7', '3,3'],
      ['ДОУ №33', expect.stringMatching(/^2\.1\. /), 'уровень', 'выше среднего', 'высокий'],
    ]);
    expect(docx.text).toContain('выявлено 3 расхождения с опубликованными данными');
    const protocol = await wg.get(`/api/campaigns/${campaignId}/protocol?basis=all`);
    expect(protocol.statusCode).toBe(200);
    const lines = readDocx(protocol.rawPayload).text.split('\n');
    expect(lines).toContain('— При пересчёте выявлено 3 расхождения с опубликованными данными; в справке приведены вычисленные значения.');
    expect(lines.find((l) => l.startsWith('— Петровское, 2.1. '))).toMatch(/: напечатано 3,7 — так получается, если взять значение другой организации — «Кинзебулатово»: 3,704 → 3,7\.$/);
    expect(lines).toContain('2. Учесть 3 расхождения с ранее опубликованными данными: внести исправления в опубликованные материалы.');
  });

  it('removal needs a reason; the report leaves the list and the analysis; every write is in the audit log', async () => {
    const noReason = await analyst.request('DELETE', `${base()}/${reportId}`, {});
    expect([noReason.statusCode, noReason.json<ErrorBody>().error.fields?.[0]?.path]).toEqual([400, 'reason']);
    expect((await analyst.request('DELETE', `${base()}/00000000-0000-4000-8000-000000000000`, { reason: 'ошибка' })).statusCode).toBe(404);
    const res = await analyst.request('DELETE', `${base()}/${reportId}`, { reason: 'прикреплён к другому мониторингу' });
    expect([res.statusCode, res.json()]).toEqual([200, { ok: true }]);
    expect((await analyst.get(base())).json()).toEqual({ items: [] });
    expect((await analyst.get(`/api/campaigns/${campaignId}/analysis?basis=all`)).json<Analysis>().printedReports).toEqual([]);
    expect((await analyst.post(`${base()}/${reportId}/figures`, { figures: [{ target: 'municipal_diversity_index', value: '5,6' }] })).statusCode).toBe(404);

    const audit = await database.db.selectFrom('audit_log').select(['action', 'actor_login', 'details']).where('action', 'like', 'campaign.printed_report.%').orderBy('id').execute();
    expect(audit.map((r) => [r.action, r.actor_login])).toEqual([
      ['campaign.printed_report.create', 'analyst'],
      ['campaign.printed_report.figures', 'analyst'],
      ['campaign.printed_report.figures', 'analyst'],
      ['campaign.printed_report.remove', 'analyst'],
    ]);
    const details = (d: unknown) => (typeof d === 'string' ? JSON.parse(d) : d) as Record<string, unknown>;
    expect(details(audit[1]!.details)).toMatchObject({ report: reportId, figures: 51, source: 'import', file: 'протокол.csv' });
    expect(details(audit[3]!.details)).toMatchObject({ report: reportId, reason: 'прикреплён к другому мониторингу' });
  });
});
