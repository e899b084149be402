import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { Client, BACKENDS, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

interface Occ { start: string; due: string; label: string; status: string; completion: { doneAt: string; evidenceUrl: string | null } | null }
interface Ev { id: string; title: string; deadlineText: string; occurrences: Occ[]; unscheduled: string | null }

describe.each(BACKENDS)('management cycle API on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let analyst: Client;
  let orgId: (no: number) => Promise<string>;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    app = (await buildTestApp(database)).app;
    analyst = new Client(app, '10.7.0.1');
    expect((await analyst.login('analyst')).statusCode).toBe(200);
    orgId = async (no) => (await database.db.selectFrom('organisations').select('id').where('no', '=', no).executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('lists the seven road-map templates of seed 001', async () => {
    const res = await analyst.get('/api/roadmaps/templates');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { direction: string; events: number; unscheduled: number }[];
    expect(items.map((t) => t.direction)).toEqual(['preparation', 'talents', 'career', 'leaders', 'teachers', 'upbringing', 'preschool']);
    expect(items.find((t) => t.direction === 'talents')).toMatchObject({ events: 12, unscheduled: 4 });
  });

  it('imports a template for a year idempotently and audits each import', async () => {
    const first = await analyst.post('/api/roadmaps/talents/2022/import');
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ inserted: 12, existing: 0, total: 12 });
    const again = await analyst.post('/api/roadmaps/talents/2022/import');
    expect(again.json()).toEqual({ inserted: 0, existing: 12, total: 12 });
    const count = await database.db.selectFrom('roadmap_events').select((eb) => eb.fn.countAll<number>().as('n')).where('direction', '=', 'talents').where('year', '=', 2022).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(12);
    const audit = await database.db.selectFrom('audit_log').select(['action', 'target_id', 'actor_login']).where('action', '=', 'roadmap.import').execute();
    expect(audit).toEqual([
      { action: 'roadmap.import', target_id: 'talents/2022', actor_login: 'analyst' },
      { action: 'roadmap.import', target_id: 'talents/2022', actor_login: 'analyst' },
    ]);
    const wg = new Client(app, '10.7.0.9');
    await wg.login('wg');
    expect((await wg.post('/api/roadmaps/talents/2022/import')).statusCode).toBe(403);
  });

  it('derives occurrence statuses from the given day, never stored', async () => {
    const res = await analyst.get('/api/roadmaps/talents/2022?today=2022-07-10');
    expect(res.statusCode).toBe(200);
    const body = res.json() as { today: string; events: Ev[]; counts: Record<string, number> };
    expect(body.today).toBe('2022-07-10');
    const quarterly = body.events.find((e) => e.title.startsWith('Организация и проведение муниципального мониторинга достижений'))!;
    expect(quarterly.deadlineText).toBe('ежеквартально (до 15 числа месяца, следующего за отчетным периодом)');
    expect(quarterly.occurrences.map((o) => [o.due, o.status])).toEqual([
      ['2022-04-15', 'overdue'], ['2022-07-15', 'due_soon'], ['2022-10-15', 'planned'], ['2023-01-15', 'planned'],
    ]);
    const constant = body.events.find((e) => e.deadlineText === 'На постоянной основе (актуализация данных)')!;
    expect(constant.occurrences).toEqual([]);
    expect(constant.unscheduled).toMatch(/на постоянной основе/);
    // A later day, the same rows: statuses move with the day.
    const later = (await analyst.get('/api/roadmaps/talents/2022?today=2022-12-01')).json() as { events: Ev[] };
    expect(later.events.find((e) => e.id === quarterly.id)!.occurrences.map((o) => o.status)).toEqual(['overdue', 'overdue', 'overdue', 'planned']);
  });

  it('appends completions: the latest mark for an occurrence is in force, history is kept', async () => {
    const { events } = (await analyst.get('/api/roadmaps/talents/2022?today=2022-07-10')).json() as { events: Ev[] };
    const quarterly = events.find((e) => e.title.startsWith('Организация и проведение муниципального мониторинга достижений'))!;
    const url = `/api/roadmaps/events/${quarterly.id}/completions`;
    expect((await analyst.post(url, { occurrenceDue: '2022-04-15', doneAt: '2022-04-20', note: 'Отчёт сдан' })).statusCode).toBe(201);
    expect((await analyst.post(url, { occurrenceDue: '2022-04-15', doneAt: '2022-04-14', evidenceUrl: 'https://eduzaozersk.ru/otchet-q1.pdf' })).statusCode).toBe(201);
    const noEvidence = await analyst.post(url, { occurrenceDue: '2022-07-15', doneAt: '2022-07-01' });
    expect(noEvidence.statusCode).toBe(400);
    const wrongDue = await analyst.post(url, { occurrenceDue: '2022-05-15', doneAt: '2022-05-01', note: 'x' });
    expect(wrongDue.statusCode).toBe(400);
    expect(wrongDue.json().error.fields[0].message).toContain('нет срока 2022-05-15');
    const future = await analyst.post(url, { occurrenceDue: '2022-07-15', doneAt: '2999-01-01', note: 'x' });
    expect(future.json().error.fields[0]).toEqual({ path: 'doneAt', message: 'Дата выполнения не может быть в будущем' });
    const rows = await database.db.selectFrom('roadmap_completions').selectAll().where('event_id', '=', quarterly.id).orderBy('id').execute();
    expect(rows.map((r) => r.done_at)).toEqual(['2022-04-20', '2022-04-14']);
    const view = (await analyst.get('/api/roadmaps/talents/2022?today=2022-07-10')).json() as { events: Ev[] };
    const first = view.events.find((e) => e.id === quarterly.id)!.occurrences[0]!;
    expect(first.status).toBe('done');
    expect(first.completion).toMatchObject({ doneAt: '2022-04-14', evidenceUrl: 'https://eduzaozersk.ru/otchet-q1.pdf' });
  });

  it('exports the year as iCalendar: one VEVENT per occurrence on its due date', async () => {
    const res = await analyst.get('/api/roadmaps/talents/2022.ics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="roadmap-talents-2022.ics"');
    const body = res.body;
    // 12 monthly + 2×4 quarterly + January + December, May + October + III quarter; unscheduled events have none.
    expect(body.match(/BEGIN:VEVENT/g)).toHaveLength(12 + 8 + 1 + 2 + 1 + 1);
    expect(body).toContain('DTSTART;VALUE=DATE:20220415');
    expect(body).toContain('DTSTART;VALUE=DATE:20230115');
    expect(body).toContain('DTSTART;VALUE=DATE:20220930');
    expect(body.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
  });

  it('shows an organisation representative only their own recommendations (filtered and 403)', async () => {
    const [o1, o47] = [await orgId(1), await orgId(47)];
    const created = await analyst.post('/api/recommendations', {
      direction: 'talents', addresseeKind: 'head', organisationIds: [o1, o47],
      text: 'Обеспечить охват обучающихся дополнительным образованием не менее 75 %', dueDate: '2022-12-01',
    });
    expect(created.statusCode).toBe(201);
    const [r1, r47] = created.json().items as { id: string; organisationId: string; status: string }[];
    expect([r1!.organisationId, r47!.organisationId]).toEqual([o1, o47]);
    expect(r1!.status).toBe('issued');

    const rep = new Client(app, '10.7.0.2');
    await rep.login('oo1');
    const list = await rep.get('/api/recommendations');
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((r: { id: string }) => r.id)).toEqual([r1!.id]);
    const filteredOther = await rep.get(`/api/recommendations?organisationId=${o47}`);
    expect(filteredOther.json().items).toEqual([]);
    expect((await rep.get(`/api/recommendations/${r47!.id}`)).statusCode).toBe(403);
    expect((await rep.post(`/api/recommendations/${r47!.id}/status`, { status: 'done', reportText: 'x' })).statusCode).toBe(403);
    expect((await rep.post('/api/recommendations', { direction: 'talents', addresseeKind: 'head', text: 'x' })).statusCode).toBe(403);

    // The organisation reports; the analyst verifies.
    expect((await rep.post(`/api/recommendations/${r1!.id}/status`, { status: 'done' })).statusCode).toBe(400);
    const done = await rep.post(`/api/recommendations/${r1!.id}/status`, { status: 'done', reportText: 'Открыты 3 новых объединения', evidenceUrl: 'https://school1.example/prikaz.pdf' });
    expect(done.statusCode).toBe(200);
    expect(done.json().status).toBe('done');
    expect((await rep.post(`/api/recommendations/${r1!.id}/status`, { status: 'verified' })).statusCode).toBe(403);
    const verified = await analyst.post(`/api/recommendations/${r1!.id}/status`, { status: 'verified', comment: 'Подтверждено' });
    expect(verified.statusCode).toBe(200);
    expect(verified.json().events.map((e: { toStatus: string }) => e.toStatus)).toEqual(['issued', 'done', 'verified']);
    expect(verified.json().events[1]).toMatchObject({ reportText: 'Открыты 3 новых объединения', evidenceUrl: 'https://school1.example/prikaz.pdf', actorLogin: 'oo1' });
  });

  it('links decisions and recommendations, and completeness lists what is missing', async () => {
    const recs = (await analyst.get('/api/recommendations?direction=talents')).json().items as { id: string; organisationName: string }[];
    expect(recs).toHaveLength(2);
    const extra = await analyst.post('/api/recommendations', { direction: 'talents', addresseeKind: 'teachers', text: 'Пройти курсы по работе с одарёнными детьми', dueDate: '2022-11-01' });
    const extraId = (extra.json().items as { id: string }[])[0]!.id;

    let report = (await analyst.get('/api/cycle/talents/2022?today=2022-12-15')).json() as { gaps: string[]; stages: { code: string; state: string; missing: string[] }[] };
    expect(report.gaps).toContain('3 рекомендации без управленческого решения');
    expect(report.stages.find((s) => s.code === 'decisions')!.state).toBe('missing');

    const decision = await analyst.post('/api/decisions', {
      direction: 'talents', kind: 'order', number: '01-09/201', date: '2022-09-12', title: 'Об организации работы с одарёнными детьми',
      responsible: 'Начальник МКУ «Управление образования ЗАТО город Заозерск»', recommendationIds: [recs[0]!.id, recs[1]!.id],
      indicators: [{ methodology_id: 'talents-2021', indicator: 'coverage_share' }],
    });
    expect(decision.statusCode).toBe(201);
    const d = decision.json() as { id: string; recommendationIds: string[]; indicators: unknown[] };
    expect(d.recommendationIds.sort()).toEqual([recs[0]!.id, recs[1]!.id].sort());
    expect(d.indicators).toEqual([{ methodology_id: 'talents-2021', indicator: 'coverage_share' }]);
    const linked = (await analyst.get(`/api/recommendations/${recs[0]!.id}`)).json() as { decisionIds: string[] };
    expect(linked.decisionIds).toEqual([d.id]);

    report = (await analyst.get('/api/cycle/talents/2022?today=2022-12-15')).json();
    expect(report.gaps).toContain('1 рекомендация без управленческого решения');
    expect(report.gaps).toContain('решение от 12.09.2022 без оценки эффективности («Об организации работы с одарёнными детьми»)');
    expect(report.gaps.some((g) => g.startsWith('мероприятие дорожной карты просрочено: «Организация и проведение муниципального мониторинга достижений'))).toBe(true);
    expect(report.stages.find((s) => s.code === 'goals')!.state).toBe('ok');

    const evaluated = await analyst.patch(`/api/decisions/${d.id}`, { effectEvaluatedAt: '2022-12-10', effectNote: 'Охват вырос с 68 % до 77 %', recommendationIds: [recs[0]!.id, recs[1]!.id, extraId] });
    expect(evaluated.statusCode).toBe(200);
    report = (await analyst.get('/api/cycle/talents/2022?today=2022-12-15')).json();
    expect(report.gaps.filter((g) => g.includes('без управленческого решения') || g.includes('без оценки эффективности'))).toEqual([]);
    expect(report.stages.find((s) => s.code === 'effectiveness')!.state).toBe('ok');
  });
});
