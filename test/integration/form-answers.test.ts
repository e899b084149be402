/** Issue 8 (load): a form write answers with the form built from what the write itself read and wrote, not by reading
 * the form again. Every answer must equal a fresh GET of the form — values with provenance, findings against the
 * previous campaign, completeness, status, comments and workflow events — through every step of the workflow. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { BACKENDS, Client, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

describe.each(BACKENDS)('form writes answer with the current form on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let analyst: Client;
  let oo1: Client;
  let orgId: string;

  const campaign = async (period: string) => {
    const res = await analyst.post('/api/campaigns', {
      title: `Мониторинг ${period}`, methodologyId: 'talents-2021', methodologyVersion: '2021.1', period,
      participants: { mode: 'all' }, opensOn: '2020-02-15', dueOn: '2022-06-01', closesOn: '2030-06-30',
    });
    expect(res.statusCode).toBe(201);
    const id = res.json<{ id: string }>().id;
    expect((await analyst.post(`/api/campaigns/${id}/open`, {})).statusCode).toBe(200);
    return id;
  };
  const values = (v: Record<string, number>) => ({ source: 'form', values: Object.fromEntries(Object.entries(v).map(([k, x]) => [k, { value: x }])) });

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    app = (await buildTestApp(database)).app;
    orgId = (await database.db.selectFrom('organisations').select('id').where('no', '=', 1).executeTakeFirstOrThrow()).id;
    analyst = new Client(app, '10.8.0.1');
    oo1 = new Client(app, '10.8.0.2');
    expect((await analyst.login('analyst')).statusCode).toBe(200);
    expect((await oo1.login('oo1')).statusCode).toBe(200);
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('saves, an unchanged save, submit, return, fix and accept each answer exactly what a fresh read shows', async () => {
    // A previous campaign of the same methodology, accepted: the change rule compares with it.
    const before = await campaign('2020/2021');
    const prevForm = `/api/campaigns/${before}/organisations/${orgId}`;
    expect((await oo1.request('PUT', `${prevForm}/values`, values({ students: 400, programmes: 10, surveyed_students: 100 }))).statusCode).toBe(200);
    expect((await oo1.post(`${prevForm}/submit`, { comment: 'Проверено' })).statusCode).toBe(200);
    expect((await analyst.post(`${prevForm}/accept`, {})).statusCode).toBe(200);

    const current = await campaign('2021/2022');
    const form = `/api/campaigns/${current}/organisations/${orgId}`;
    const same = async (res: { statusCode: number; json: <T>() => T }, who: Client = oo1) => {
      expect(res.statusCode).toBe(200);
      const fresh = await who.get(form);
      expect(fresh.statusCode).toBe(200);
      expect(res.json()).toEqual(fresh.json());
      return res.json<{ status: string; events: unknown[]; findings: { id: string }[]; values: Record<string, { value: unknown }>; previousCampaign: { id: string } | null }>();
    };

    const first = await same(await oo1.request('PUT', `${form}/values`, values({ students: 900 })));
    expect(first.status).toBe('draft');
    expect(first.events).toHaveLength(1);
    expect(first.previousCampaign?.id).toBe(before);
    expect(first.findings.map((f) => f.id)).toContain('change_vs_previous:students');

    const second = await same(await oo1.request('PUT', `${form}/values`, values({ programmes: 12, surveyed_students: 300 })));
    expect(Object.keys(second.values).sort()).toEqual(['programmes', 'students', 'surveyed_students']);
    const unchanged = await same(await oo1.request('PUT', `${form}/values`, values({ programmes: 12 })));
    expect(unchanged.values).toEqual(second.values);

    const submitted = await same(await oo1.post(`${form}/submit`, { comment: 'Число обучающихся выросло после слияния' }));
    expect(submitted.status).toBe('submitted');
    expect(submitted.events).toHaveLength(2);
    expect((await oo1.request('PUT', `${form}/values`, values({ programmes: 13 }))).statusCode).toBe(409);

    const returned = await same(await analyst.post(`${form}/return`, { comment: 'Уточните число программ' }), analyst);
    expect(returned.status).toBe('returned');
    await same(await oo1.request('PUT', `${form}/values`, values({ programmes: 14 })));
    await same(await oo1.post(`${form}/submit`, { comment: 'Уточнено' }));
    const accepted = await same(await analyst.post(`${form}/accept`, { comment: 'Принято' }), analyst);
    expect(accepted.status).toBe('accepted');
    expect(accepted.events).toHaveLength(5);

    const history = await oo1.get(`${form}/history`);
    expect(history.json<{ items: unknown[] }>().items).toHaveLength(4);
  });
});
