/** Fills a migrated database through the real services (over the HTTP app): the demo registry and users, a user
 * added by the administrator, a campaign with values, their history and workflow events, a survey with answers and
 * single-use codes, a road map with a completion, recommendations with status events and a decision — and the audit
 * rows all of that writes. Used by the backup and upgrade tests. */
import { expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { seedDemo } from '../../src/services/demo/demo.ts';
import type { DatabaseHandle } from '../../src/db/connection.ts';
import { Client } from './helpers.ts';

export interface Filled { campaignId: string; surveyId: string; org: Record<number, string> }

export async function fillThroughServices(database: DatabaseHandle, app: FastifyInstance): Promise<Filled> {
  await seedDemo(database.db);
  const org: Record<number, string> = {};
  for (const r of await database.db.selectFrom('organisations').select(['id', 'no']).execute()) org[r.no] = r.id;
  const admin = new Client(app, '10.40.0.1');
  const analyst = new Client(app, '10.40.0.2');
  const oo1 = new Client(app, '10.40.0.3');
  for (const [c, login] of [[admin, 'admin'], [analyst, 'analyst'], [oo1, 'oo1']] as const) expect((await c.login(login)).statusCode).toBe(200);
  const ok = async (p: Promise<{ statusCode: number; body: string }>) => {
    const r = await p;
    expect(r.statusCode, r.body).toBeLessThan(300);
    return JSON.parse(r.body || 'null');
  };

  await ok(admin.post('/api/organisations', { no: 99, shortName: 'ЦДТ «Радуга»', fullName: 'МБУ ДО «Центр детского творчества «Радуга»', type: 'supplementary', inn: '0261001234' }));

  const campaign = await ok(analyst.post('/api/campaigns', {
    title: 'Мониторинг охвата дополнительным образованием', methodologyId: 'talents-2021', methodologyVersion: '2021.1',
    period: '2021/2022', participants: { mode: 'all' }, opensOn: '2022-02-15', dueOn: '2022-06-01', closesOn: '2030-06-30',
  }));
  await ok(analyst.post(`/api/campaigns/${campaign.id}/open`));
  const form = `/api/campaigns/${campaign.id}/organisations/${org[1]}`;
  const values = (v: Record<string, number>) => ({ values: Object.fromEntries(Object.entries(v).map(([k, x]) => [k, { value: x }])), source: 'form' });
  await ok(oo1.request('PUT', `${form}/values`, values({ students: 812, programmes: 40, surveyed_students: 700 })));
  await ok(oo1.request('PUT', `${form}/values`, values({ programmes: 43 })));
  await ok(oo1.post(`${form}/submit`, {}));
  await ok(analyst.post(`${form}/return`, { comment: 'Уточните число программ по данным «Навигатора»' }));
  await ok(oo1.request('PUT', `${form}/values`, values({ programmes: 45 })));
  await ok(oo1.post(`${form}/submit`, {}));
  await ok(analyst.post(`${form}/accept`, {}));

  const survey = await ok(analyst.post('/api/surveys', {
    title: 'Удовлетворённость родителей', period: '2021/2022', audience: 'parents',
    participants: { mode: 'list', organisationIds: [org[1], org[2]] }, opensOn: '2020-01-01', closesOn: '2099-12-31',
    questions: [
      { kind: 'scale', text: 'Порекомендуете ли вы организацию?', loyalty: true },
      { kind: 'multiple', text: 'Какие направленности посещает ребёнок?', options: ['Техническая', 'Художественная', 'Спортивная'] },
      { kind: 'text', text: 'Что улучшить?', required: false },
    ],
  }));
  await ok(analyst.post(`/api/surveys/${survey.id}/open`));
  await ok(analyst.post(`/api/surveys/${survey.id}/codes`, { organisationId: org[2], count: 3 }));
  const links = await ok(analyst.get(`/api/surveys/${survey.id}/links`));
  const items = (links.items ?? links) as { organisationId: string; token: string }[];
  const token = items.find((l) => l.organisationId === org[1])?.token as string;
  const q = (await ok(new Client(app, '10.41.0.1').get(`/api/public/surveys/${token}`))).questions as { id: string }[];
  for (let i = 0; i < 6; i++) {
    await ok(new Client(app, `10.41.1.${i + 1}`).post(`/api/public/surveys/${token}/responses`, {
      answers: { [q[0]!.id]: 4 + i, [q[1]!.id]: i % 2 ? [0, 2] : [1], ...(i === 0 ? { [q[2]!.id]: 'Больше кружков "робототехники"; \\ и\nперевод строки' } : {}) },
    }));
  }

  await ok(analyst.post('/api/roadmaps/talents/2022/import'));
  const roadmap = await ok(analyst.get('/api/roadmaps/talents/2022'));
  const event = (roadmap.events as { id: string; occurrences: { due: string }[] }[]).find((e) => e.occurrences.length > 0)!;
  await ok(analyst.post(`/api/roadmaps/events/${event.id}/completions`, { occurrenceDue: event.occurrences[0]!.due, doneAt: event.occurrences[0]!.due, note: 'Выполнено' }));

  const recs = await ok(analyst.post('/api/recommendations', {
    direction: 'talents', addresseeKind: 'head', organisationIds: [org[1], org[47]], text: 'Обеспечить охват не менее 75 %', dueDate: '2022-12-01',
  }));
  await ok(oo1.post(`/api/recommendations/${recs.items[0].id}/status`, { status: 'done', reportText: 'Открыты 3 объединения' }));
  await ok(analyst.post('/api/decisions', {
    direction: 'talents', kind: 'order', number: '01-09/201', date: '2022-09-12', title: 'Об организации работы с одарёнными детьми',
    responsible: 'Начальник управления образования', recommendationIds: [recs.items[0].id], indicators: [{ methodology_id: 'talents-2021', indicator: 'coverage_share' }],
  }));
  return { campaignId: campaign.id, surveyId: survey.id, org };
}
