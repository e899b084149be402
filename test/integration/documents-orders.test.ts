/** Issue 18, orders: the order approving the directions' passports and road maps (appendices from the passports in
 * force and the plans of events of the year) and the order on a monitoring's results with its addressed
 * recommendations — numbered in the orders' register (`01-09/{n}`), stored, downloaded byte-identical, listed on the
 * campaign and in the register; rendered on the built-in templates and on the department's own, read back from the DOCX
 * (placeholders filled, requisites present, tables with header rows that repeat on every page). */
import type { FastifyInstance } from 'fastify';
import { AlignmentType, Document, Packer, Paragraph, Table, TableCell, TableRow } from 'docx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentDate } from '../../src/core/documents/register.ts';
import { municipalToday } from '../../src/services/admin/settings.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { multipart, readDocx } from './document-files.ts';
import { BACKENDS, Client, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

const REQUISITES = {
  name: 'Управление образования', parentName: 'Администрация городского округа', address: 'Набережная ул., д. 10', phone: '27-54-22', email: 'edu@example.ru',
  inn: '3435110501', kpp: '343501001', ogrn: '1023402003074', okpo: '50478741', headPosition: 'Начальник управления', headName: 'Т.Н. Лёгкая',
  numbering: { letter: '21/{n}', order: '01-09/{n}' },
};

/** A table whose first row is a header repeated on every page, with a loop in its body row. */
const table = (headers: string[], body: string[]) => new Table({
  rows: [
    new TableRow({ tableHeader: true, children: headers.map((h) => new TableCell({ children: [new Paragraph(h)] })) }),
    new TableRow({ children: body.map((b) => new TableCell({ children: [new Paragraph(b)] })) }),
  ],
});
const docx = (children: (Paragraph | Table)[]) => Packer.toBuffer(new Document({ sections: [{ children }] }));
const p = (t: string) => new Paragraph({ text: t, alignment: AlignmentType.LEFT });

describe.each(BACKENDS)('orders on the department letterhead on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let analyst: Client;
  let campaignId: string;
  let orgs: { id: string; short_name: string; full_name: string }[];
  let today: string;
  const upload = (url: string, file: { name: string; content: Buffer }) => {
    const m = multipart(file);
    return analyst.request('POST', url, m.body, { headers: m.headers });
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    app = (await buildTestApp(database)).app;
    analyst = new Client(app, '10.18.1.1');
    expect((await analyst.login('analyst')).statusCode).toBe(200);
    const c = await analyst.post('/api/campaigns', {
      title: 'Мониторинг выявления и поддержки талантов', methodologyId: 'talents-2021', methodologyVersion: '2021.1', period: '2022',
      participants: { mode: 'all' }, opensOn: '2023-02-15', dueOn: '2023-06-01', closesOn: '2023-06-30',
    });
    expect(c.statusCode, c.body).toBe(201);
    campaignId = c.json().id;
    orgs = await database.db.selectFrom('organisations').select(['id', 'short_name', 'full_name']).orderBy('no').limit(2).execute();
    today = await municipalToday(database.db);
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('refuses an order without requisites; drafts the approval order from the passports and road maps', async () => {
    const refused = await analyst.post('/api/documents/orders/approval', {});
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toMatch(/^Приказ не выпущен: заполните реквизиты управления на странице «Документы» — «Наименование управления»/);
    expect(await database.db.selectFrom('document_counters').select('last_number').execute()).toEqual([]);
    expect((await analyst.request('PUT', '/api/settings/requisites', REQUISITES)).statusCode).toBe(200);

    const draft = (await analyst.get('/api/documents/orders/approval?year=2022&directions=talents,career')).json();
    expect(draft.missingRequisites).toEqual([]);
    expect(draft.title).toBe('Об утверждении паспортов и планов мероприятий («дорожных карт») развития механизмов управления качеством образования');
    expect(draft.paragraphs.slice(0, 3)).toEqual([
      '1. Утвердить прилагаемые:',
      '1.1. Паспорт и план мероприятий («дорожную карту») по направлению «Способности и таланты детей и молодежи» (приложение № 1).',
      '1.2. Паспорт и план мероприятий («дорожную карту») по направлению «Самоопределение и профориентация» (приложение № 2).',
    ]);
    expect(draft.directions).toEqual([
      expect.objectContaining({ direction: 'talents', passport: expect.objectContaining({ id: 'direction-talents' }), roadmap: expect.objectContaining({ from: 'library', events: 12 }) }),
      expect.objectContaining({ direction: 'career', roadmap: expect.objectContaining({ from: 'library', events: 5 }) }),
    ]);
    expect((await analyst.get('/api/documents/orders/approval?directions=nothing')).statusCode).toBe(400);
  });

  it('issues the approval order on the built-in template: number 01-09/1, appendices with passports and plans, repeated header rows', async () => {
    const imported = await analyst.post('/api/roadmaps/talents/2022/import', {});
    expect(imported.statusCode, imported.body).toBeLessThan(300);
    const res = await analyst.post('/api/documents/orders/approval', { year: 2022, directions: ['talents', 'career'] });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'order', templateKind: 'order_approval', kindLabel: 'Приказ об утверждении паспортов и дорожных карт', number: '01-09/1', date: today, campaignId: null, customTemplate: false });
    const file = await analyst.get(res.json().url);
    expect(file.headers['content-disposition']).toContain(encodeURIComponent(`Приказ 01-09-1 от ${documentDate(today)}.docx`));
    const { text, rows } = readDocx(file.rawPayload);
    for (const part of [REQUISITES.parentName, REQUISITES.name, 'П Р И К А З', `${documentDate(today)}`, '№ 01-09/1', 'ПРИКАЗЫВАЮ:', '1. Утвердить прилагаемые:', 'Т.Н. Лёгкая',
      'Приложение № 1', 'Приложение № 2', `к приказу от ${documentDate(today)} № 01-09/1`, '4. Контроль за исполнением приказа оставляю за собой.']) {
      expect(text).toContain(part);
    }
    expect(text).not.toMatch(/[{}]/);
    // Passport of talents: goal, expected result and indicators with their targets.
    expect(rows.find((r) => r.cells[0] === '1. Цель')?.cells[1]).toMatch(/^Формирование муниципальной системы выявления, поддержки и развития способностей и талантов/);
    expect(rows.find((r) => r.cells[0] === '3. Показатели для оценки')?.cells[1]).toContain('1.2. Охват обучающихся 1–11 классов мероприятиями по выявлению и сопровождению одарённых детей (целевое значение: не менее 40 %)');
    // Plans: a header row repeated on every page, section rows, events as printed in seed 001.
    const planHeaders = rows.filter((r) => r.header && r.cells[0] === '№ п/п');
    expect(planHeaders).toHaveLength(2);
    expect(planHeaders[0]?.cells).toEqual(['№ п/п', 'Наименование мероприятия', 'Сроки', 'Ответственный исполнитель', 'Ожидаемый результат']);
    expect(rows.filter((r) => r.header && r.cells[0] === 'Раздел паспорта')).toHaveLength(2);
    expect(rows.some((r) => r.cells[1]?.startsWith('II Мероприятия по аналитическому и организационно-методическому сопровождению'))).toBe(true);
    expect(rows.find((r) => r.cells[1]?.startsWith('Установочное совещание с руководителями'))?.cells.slice(2, 4)).toEqual(['Октябрь 2021', 'МКУ «Управление образования ЗАТО город Заозерск»']);
    const events = rows.filter((r) => !r.header && r.cells.length === 5);
    expect(events).toHaveLength(12 + 5);
    const stored = await database.db.selectFrom('documents').select(['fields', 'size']).where('id', '=', res.json().id).executeTakeFirstOrThrow();
    expect(stored.size).toBe(file.rawPayload.length);
    expect(stored.fields).toMatchObject({ templateKind: 'order_approval', year: 2022, source: { directions: [{ direction: 'talents', roadmap: 'year', events: 12 }, { direction: 'career', roadmap: 'library', events: 5 }] } });
    const again = await analyst.get(res.json().url);
    expect(Buffer.compare(again.rawPayload, file.rawPayload)).toBe(0);
  });

  it('renders the approval order with the department\'s own template; refuses a template with another kind\'s placeholder', async () => {
    const wrong = await upload('/api/documents/templates/order_approval', { name: 'приказ.docx', content: await docx([p('{title}'), table(['№', 'Рекомендация'], ['{#recommendations}{no}', '{text}{/recommendations}'])]) });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.message).toContain('Неизвестные подстановки в шаблоне: «{recommendations}», «{no}», «{text}»');
    const own = await docx([
      p('СВОЙ БЛАНК {department.name}, ИНН {department.inn}'), p('ПРИКАЗ № {number} от {date}'), p('{title}'), p('{preamble}'),
      p('{#paragraphs}'), p('{text}'), p('{/paragraphs}'),
      p('{#appendices}'), p('Приложение {appendixNo} к приказу № {number}'), p('{roadmapTitle}'),
      table(['№', 'Мероприятие', 'Срок'], ['{#rows}{#event}{no}', '{name}', '{deadline}{/event}{/rows}']),
      p('{/appendices}'),
    ]);
    expect((await upload('/api/documents/templates/order_approval', { name: 'приказ.docx', content: own })).statusCode).toBe(201);
    const res = await analyst.post('/api/documents/orders/approval', { year: 2022, directions: ['career'], title: 'Об утверждении дорожной карты профориентации', preamble: 'В целях развития профориентации,' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ number: '01-09/2', customTemplate: true, title: 'Об утверждении дорожной карты профориентации' });
    const { text, rows } = readDocx((await analyst.get(res.json().url)).rawPayload);
    for (const part of ['СВОЙ БЛАНК Управление образования, ИНН 3435110501', `ПРИКАЗ № 01-09/2 от ${documentDate(today)}`, 'Об утверждении дорожной карты профориентации', 'В целях развития профориентации,',
      'Приложение 1 к приказу № 01-09/2', '1.1. Паспорт и план мероприятий («дорожную карту») по направлению «Самоопределение и профориентация» (приложение № 1).']) {
      expect(text).toContain(part);
    }
    expect(text).not.toMatch(/[{}]/);
    expect(rows[0]).toEqual({ header: true, cells: ['№', 'Мероприятие', 'Срок'] });
    expect(rows).toHaveLength(1 + 5);
    expect(rows.filter((r) => r.header)).toHaveLength(1);
  });

  it('issues the order on the monitoring\'s results with its recommendations and responsible persons, listed on the campaign', async () => {
    const none = await analyst.post(`/api/campaigns/${campaignId}/documents/results-order`, {});
    expect(none.statusCode).toBe(400);
    expect(none.json().error.code).toBe('NO_RECOMMENDATIONS');
    const [a, b] = orgs as [typeof orgs[0], typeof orgs[0]];
    const create = (body: object) => analyst.post('/api/recommendations', { direction: 'talents', campaignId, ...body });
    expect((await create({ addresseeKind: 'head', organisationIds: [a.id], text: 'Провести анкетирование обучающихся', dueDate: '2023-09-01', indicator: 'needs_survey_share' })).statusCode).toBe(201);
    expect((await create({ addresseeKind: 'teachers', organisationIds: [b.id], text: 'Расширить перечень программ', dueDate: '2023-10-01', indicator: 'diversity_index' })).statusCode).toBe(201);
    expect((await create({ addresseeKind: 'organisation', organisationIds: [], text: 'Провести семинар для руководителей' })).statusCode).toBe(201);
    const draft = (await analyst.get(`/api/campaigns/${campaignId}/documents/results-order`)).json();
    expect(draft).toMatchObject({ title: 'Об итогах мониторинга «Мониторинг выявления и поддержки талантов»', recommendations: 3 });
    expect(draft.preamble).toContain('за 2022 год');

    const res = await analyst.post(`/api/campaigns/${campaignId}/documents/results-order`, {});
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ number: '01-09/3', templateKind: 'order_results', campaignId });
    const { text, rows } = readDocx((await analyst.get(res.json().url)).rawPayload);
    for (const part of ['П Р И К А З', '№ 01-09/3', 'Об итогах мониторинга «Мониторинг выявления и поддержки талантов»', '2. Утвердить адресные рекомендации по результатам мониторинга (приложение № 1).',
      `к приказу от ${documentDate(today)} № 01-09/3`, 'Адресные рекомендации по результатам мониторинга «Мониторинг выявления и поддержки талантов»']) {
      expect(text).toContain(part);
    }
    expect(rows.filter((r) => r.header)).toEqual([{ header: true, cells: ['№ п/п', 'Организация', 'Рекомендация', 'Показатель', 'Срок', 'Ответственный'] }]);
    const body = rows.filter((r) => !r.header && r.cells.length === 6).map((r) => r.cells);
    expect(body).toEqual(expect.arrayContaining([
      expect.arrayContaining([a.short_name, 'Провести анкетирование обучающихся', 'Доля обучающихся, принявших участие в анкетировании для выявления потребностей в дополнительном образовании', '01.09.2023', `Руководитель ${a.short_name}`]),
      expect.arrayContaining([b.short_name, 'Расширить перечень программ', '01.10.2023', `Руководитель ${b.short_name}; исполнители: педагогические работники`]),
      ['3', 'муниципальный уровень', 'Провести семинар для руководителей', '—', '—', 'Управление образования'],
    ]));
    expect(body).toHaveLength(3);
    const listed = (await analyst.get(`/api/campaigns/${campaignId}/documents`)).json().items;
    expect(listed.map((d: { number: string; kindLabel: string }) => [d.number, d.kindLabel])).toEqual([['01-09/3', 'Приказ по итогам мониторинга']]);
    expect((await analyst.get('/api/documents?kind=order')).json().items.map((d: { number: string }) => d.number)).toEqual(['01-09/3', '01-09/2', '01-09/1']);
  });

  it('sends each organisation\'s head a letter with only its own recommendations, numbered in the letters\' register', async () => {
    const [a, b] = orgs as [typeof orgs[0], typeof orgs[0]];
    const draft = (await analyst.get(`/api/campaigns/${campaignId}/documents/recommendation-letters`)).json();
    expect(draft.organisations.map((o: { id: string; recommendations: number }) => [o.id, o.recommendations]).sort()).toEqual([[a.id, 1], [b.id, 1]].sort());
    expect(draft.municipalLevel).toBe(1);
    const res = await analyst.post(`/api/campaigns/${campaignId}/documents/recommendation-letters`, {});
    expect(res.statusCode, res.body).toBe(201);
    const letters = res.json().items as { number: string; url: string; templateKind: string; title: string }[];
    expect(letters.map((l) => l.number).sort()).toEqual(['21/1', '21/2']);
    expect(letters.every((l) => l.templateKind === 'recommendations_letter')).toBe(true);
    const ofA = letters.find((l) => l.title.endsWith(a.short_name))!;
    const { text, rows } = readDocx((await analyst.get(ofA.url)).rawPayload);
    for (const part of [`Руководителю\n${a.full_name}`, `№ ${ofA.number}`, 'Об адресных рекомендациях по результатам мониторинга «Мониторинг выявления и поддержки талантов»', 'ИНН/КПП 3435110501/343501001', 'Т.Н. Лёгкая']) {
      expect(text).toContain(part);
    }
    expect(rows.filter((r) => r.header)).toEqual([{ header: true, cells: ['№ п/п', 'Рекомендация', 'Показатель', 'Срок'] }]);
    expect(rows.filter((r) => !r.header && r.cells.length === 4).map((r) => r.cells)).toEqual([
      ['1', 'Провести анкетирование обучающихся', 'Доля обучающихся, принявших участие в анкетировании для выявления потребностей в дополнительном образовании', '01.09.2023'],
    ]);
    expect(text).not.toContain('Расширить перечень программ');
    expect(text).not.toContain('Провести семинар для руководителей');

    const one = await analyst.post(`/api/campaigns/${campaignId}/documents/recommendation-letters`, { organisationIds: [b.id] });
    expect(one.json().items.map((l: { number: string }) => l.number)).toEqual(['21/3']);
    const ofB = readDocx((await analyst.get(one.json().items[0].url)).rawPayload);
    expect(ofB.text).toContain('Расширить перечень программ');
    expect(ofB.text).not.toContain('Провести анкетирование обучающихся');
    const none = await analyst.post(`/api/campaigns/${campaignId}/documents/recommendation-letters`, { organisationIds: [(await database.db.selectFrom('organisations').select('id').orderBy('no', 'desc').executeTakeFirstOrThrow()).id] });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.message).toBe('Письма не выпущены: у выбранной организации нет адресных рекомендаций по этому мониторингу');
    const listed = (await analyst.get(`/api/campaigns/${campaignId}/documents`)).json().items.map((d: { number: string }) => d.number);
    expect(listed.sort()).toEqual(['01-09/3', '21/1', '21/2', '21/3']);
  });
});
