/** Issue 18, first part: department requisites (validated, with history, audited), the register of outgoing numbers
 * (per kind and year, taken once even when issued concurrently), templates (built-in; uploaded DOCX checked for
 * unknown placeholders) and the information letter of a campaign, stored and downloaded byte-identical. */
import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import { Document, Packer, Paragraph } from 'docx';
import PizZip from 'pizzip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentDate } from '../../src/core/documents/register.ts';
import { municipalToday } from '../../src/services/admin/settings.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { issueLetter } from '../../src/services/documents/letter.ts';
import { SYSTEM_ACTOR } from '../../src/services/errors.ts';
import { BACKENDS, Client, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

const REQUISITES = {
  name: 'Управление образования',
  parentName: 'Администрация городского округа – город Волжский Волгоградской области',
  address: 'Набережная ул., д. 10, г. Волжский, Волгоградская область, 404100',
  phone: '(8-8443) 27-54-22',
  email: 'edu_vlz@volganet.ru',
  okpo: '50478741',
  ogrn: '1023402003074',
  inn: '3435110501',
  kpp: '343501001',
  headPosition: 'Начальник управления',
  headName: 'А.Н. Резников',
  executorName: 'А.Ю. Майборода',
  executorPhone: '8(8443) 41-20-92',
  numbering: { letter: '21/{n}', order: '01-09/{n}' },
};

function multipart(file: { name: string; content: Buffer }): { body: Buffer; headers: Record<string, string> } {
  const boundary = 'msoko-template-boundary';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    file.content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const docxOf = (...lines: string[]) => Packer.toBuffer(new Document({ sections: [{ children: lines.map((t) => new Paragraph(t)) }] }));

/** The text of word/document.xml, one line per paragraph. */
function docxText(content: Buffer): string {
  const xml = new PizZip(content).file('word/document.xml')?.asText() ?? '';
  return xml.replace(/<w:br\/>/g, '\n').replace(/<\/w:p>/g, '\n').replace(/<[^>]+>/g, '').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

describe.each(BACKENDS)('documents on the department letterhead on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let analyst: Client;
  let wg: Client;
  let campaignId: string;
  const upload = (c: Client, url: string, file: { name: string; content: Buffer }) => {
    const m = multipart(file);
    return c.request('POST', url, m.body, { headers: m.headers });
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    app = (await buildTestApp(database)).app;
    analyst = new Client(app, '10.18.0.1');
    wg = new Client(app, '10.18.0.2');
    expect((await analyst.login('analyst')).statusCode).toBe(200);
    expect((await wg.login('wg')).statusCode).toBe(200);
    const c = await analyst.post('/api/campaigns', {
      title: 'Мониторинг выявления и поддержки талантов', methodologyId: 'talents-2021', methodologyVersion: '2021.1', period: '2022',
      participants: { mode: 'all' }, opensOn: '2023-02-15', dueOn: '2023-06-01', closesOn: '2023-06-30',
    });
    expect(c.statusCode, c.body).toBe(201);
    campaignId = c.json().id;
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('refuses the letter without requisites, naming the missing ones; nothing is issued', async () => {
    const res = await analyst.post(`/api/campaigns/${campaignId}/documents/letter`, {});
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('REQUISITES_MISSING');
    expect(res.json().error.message).toBe('Письмо не выпущено: заполните реквизиты управления на странице «Документы» — «Наименование управления», «Адрес», «Телефон», «Электронная почта», «Должность руководителя», «Руководитель (фамилия, инициалы)»');
    const { headName: _omitted, ...partial } = REQUISITES;
    expect((await analyst.request('PUT', '/api/settings/requisites', partial)).statusCode).toBe(200);
    const again = await analyst.post(`/api/campaigns/${campaignId}/documents/letter`, {});
    expect(again.statusCode).toBe(400);
    expect(again.json().error.message).toBe('Письмо не выпущено: заполните реквизиты управления на странице «Документы» — «Руководитель (фамилия, инициалы)»');
    expect(again.json().error.fields).toEqual([{ path: 'requisites.headName', message: 'Не заполнено: Руководитель (фамилия, инициалы)' }]);
    expect(await database.db.selectFrom('documents').select('id').execute()).toEqual([]);
    expect(await database.db.selectFrom('document_counters').select('last_number').execute()).toEqual([]);
  });

  it('validates requisites with control digits and keeps their history, audited', async () => {
    const bad = await analyst.request('PUT', '/api/settings/requisites', { ...REQUISITES, inn: '3435110500', ogrn: '1023402003075', kpp: '3435', numbering: { letter: '21/455' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toEqual(expect.arrayContaining([
      { path: 'inn', message: 'ИНН организации — 10 цифр с верным контрольным числом' },
      { path: 'ogrn', message: 'ОГРН — 13 цифр с верным контрольным числом' },
      { path: 'kpp', message: 'КПП — 9 символов: 4 цифры, 2 цифры или заглавные латинские буквы, 3 цифры' },
      { path: 'numbering.letter', message: 'В шаблоне номера должен быть порядковый номер {n}' },
    ]));
    const ok = await analyst.request('PUT', '/api/settings/requisites', REQUISITES);
    expect(ok.statusCode, ok.body).toBe(200);
    const view = (await analyst.get('/api/settings/requisites')).json();
    expect(view.requisites).toEqual({ ...REQUISITES });
    expect(view.history).toHaveLength(2);
    expect(view.savedBy).toBe('analyst');
    const audit = await database.db.selectFrom('audit_log').select(['details']).where('action', '=', 'document.requisites.update').orderBy('id').execute();
    expect(audit.map((a) => (a.details as { changed: string[] }).changed)).toEqual([
      ['name', 'parentName', 'address', 'phone', 'email', 'okpo', 'ogrn', 'inn', 'kpp', 'headPosition', 'executorName', 'executorPhone', 'numbering'],
      ['headName'],
    ]);
    expect((await wg.get('/api/settings/requisites')).statusCode).toBe(403);
  });

  it('issues two letters with consecutive numbers; the DOCX carries the requisites, number, date and title', async () => {
    const draft = (await analyst.get(`/api/campaigns/${campaignId}/documents/letter`)).json();
    expect(draft.missingRequisites).toEqual([]);
    expect(draft.title).toBe('О проведении мониторинга «Мониторинг выявления и поддержки талантов»');
    expect(draft.paragraphs).toContain('Сроки проведения мониторинга: с 15 февраля по 01 июня 2023 года.');
    expect(draft.paragraphs).toContain('Оценка производится за 2022 год.');
    const first = await analyst.post(`/api/campaigns/${campaignId}/documents/letter`, {});
    expect(first.statusCode, first.body).toBe(201);
    const edited = { addressee: 'Руководителям образовательных учреждений', title: 'О проведении мониторинга талантов', paragraphs: ['Первый абзац письма.', 'Второй абзац письма.'] };
    const second = await analyst.post(`/api/campaigns/${campaignId}/documents/letter`, edited);
    expect(second.statusCode, second.body).toBe(201);
    const today = await municipalToday(database.db);
    expect(first.json()).toMatchObject({ kind: 'letter', number: '21/1', date: today, campaignId, issuedBy: 'analyst', customTemplate: false });
    expect(second.json()).toMatchObject({ number: '21/2', title: edited.title });

    const file = await analyst.get(second.json().url);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const text = docxText(file.rawPayload);
    for (const part of [REQUISITES.parentName, REQUISITES.name, REQUISITES.address, 'ОКПО 50478741', 'ОГРН 1023402003074', 'ИНН/КПП 3435110501/343501001', 'E-mail: edu_vlz@volganet.ru',
      `${documentDate(today)} № 21/2`, edited.addressee, edited.title, 'Первый абзац письма.', 'Второй абзац письма.', REQUISITES.headPosition, REQUISITES.headName, REQUISITES.executorName]) {
      expect(text).toContain(part);
    }
    expect(text).not.toMatch(/[{}]/);
    const firstText = docxText((await analyst.get(first.json().url)).rawPayload);
    expect(firstText).toContain(draft.paragraphs[0]);
    expect(firstText).toContain('Сроки проведения мониторинга: с 15 февраля по 01 июня 2023 года.');

    const stored = await database.db.selectFrom('documents').select(['sha256', 'size', 'fields']).where('id', '=', second.json().id).executeTakeFirstOrThrow();
    expect(file.rawPayload.length).toBe(stored.size);
    expect(second.json().sha256).toBe(stored.sha256);
    expect(stored.fields).toMatchObject({ ...edited, source: { requisitesVersion: expect.any(Number), methodology: 'talents-2021@2021.1' } });
    const again = await analyst.get(second.json().url);
    expect(Buffer.compare(again.rawPayload, file.rawPayload)).toBe(0);
    expect(again.headers['content-disposition']).toContain(encodeURIComponent(`Письмо 21-2 от ${documentDate(today)}.docx`));

    const listed = (await analyst.get(`/api/campaigns/${campaignId}/documents`)).json().items.map((d: { number: string }) => d.number);
    expect(listed).toEqual(['21/2', '21/1']);
    expect((await analyst.get('/api/documents?kind=letter')).json().items).toHaveLength(2);
    const audit = await database.db.selectFrom('audit_log').select(['action']).where('action', 'in', ['document.issue', 'document.download']).execute();
    expect(audit.filter((a) => a.action === 'document.issue')).toHaveLength(2);
    expect(audit.filter((a) => a.action === 'document.download')).toHaveLength(3);
  });

  it('gives distinct numbers to concurrent issuing and restarts numbering in a new year', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => analyst.post(`/api/campaigns/${campaignId}/documents/letter`, {})));
    expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201]);
    expect(results.map((r) => r.json().number).sort()).toEqual(['21/3', '21/4', '21/5', '21/6', '21/7']);
    const municipalityId = (await database.db.selectFrom('users').select('municipality_id').where('login', '=', 'analyst').executeTakeFirstOrThrow()).municipality_id!;
    const next = await issueLetter(database.db, SYSTEM_ACTOR, { municipalityId, campaignId, today: '2099-01-09' }, {});
    expect(next).toMatchObject({ number: '21/1', date: '2099-01-09' });
    expect(await database.db.selectFrom('documents').select('id').execute()).toHaveLength(8);
  });

  it('uses an uploaded template; refuses one with an unknown placeholder naming it, and a file that is not DOCX', async () => {
    const good = await docxOf('БЛАНК {department.name} ИНН {department.inn}', '№ {number} от {date}', '{addressee}', '{title}', '{#paragraphs}', '{text}', '{/paragraphs}', '{department.headName}');
    const up = await upload(analyst, '/api/documents/templates/letter', { name: 'бланк.docx', content: good });
    expect(up.statusCode, up.body).toBe(201);
    expect(up.json()).toMatchObject({ kind: 'letter', custom: true, fileName: 'бланк.docx' });
    const issued = await analyst.post(`/api/campaigns/${campaignId}/documents/letter`, { paragraphs: ['Текст на своём бланке.'] });
    expect(issued.statusCode, issued.body).toBe(201);
    expect(issued.json()).toMatchObject({ number: '21/8', customTemplate: true });
    const text = docxText((await analyst.get(issued.json().url)).rawPayload);
    expect(text).toContain('БЛАНК Управление образования ИНН 3435110501');
    expect(text).toContain(`№ 21/8 от ${documentDate(issued.json().date)}`);
    expect(text).toContain('Текст на своём бланке.');

    const typo = await upload(analyst, '/api/documents/templates/letter', { name: 'опечатка.docx', content: await docxOf('{department.nmae}', '{number}') });
    expect(typo.statusCode).toBe(400);
    expect(typo.json().error).toMatchObject({ code: 'TEMPLATE_UNKNOWN_TAG', message: expect.stringContaining('Неизвестная подстановка в шаблоне: «{department.nmae}»') });
    const unclosed = await upload(analyst, '/api/documents/templates/letter', { name: 'скобка.docx', content: await docxOf('{number') });
    expect(unclosed.json().error.message).toBe('Шаблон не разобран: не закрыта фигурная скобка у подстановки «{number»');
    const notDocx = await upload(analyst, '/api/documents/templates/order_approval', { name: 'приказ.docx', content: Buffer.from('просто текст') });
    expect(notDocx.statusCode).toBe(400);
    expect(notDocx.json().error.message).toBe('Файл не является документом DOCX (ожидается документ Word .docx)');
    const big = await upload(analyst, '/api/documents/templates/letter', { name: 'большой.docx', content: Buffer.alloc(2 * 1024 * 1024 + 1, 0x41) });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.message).toBe('Шаблон больше 2 МБ');
    const templates = (await analyst.get('/api/documents/templates')).json().items;
    expect(templates.find((t: { kind: string }) => t.kind === 'letter')).toMatchObject({ kind: 'letter', kindLabel: 'Информационное письмо о мониторинге', custom: true, builtIn: true, fileName: 'бланк.docx', uploaderLogin: 'analyst' });
    expect(await database.db.selectFrom('document_templates').select('file_name').execute()).toEqual([{ file_name: 'бланк.docx' }]);
    const inForce = await analyst.get('/api/documents/templates/letter/file');
    expect(inForce.statusCode).toBe(200);
    expect(Buffer.compare(inForce.rawPayload, good)).toBe(0);
  });

  it('goes back to the built-in template, keeping the upload in the history; the next letter is on the built-in бланк', async () => {
    const reset = await analyst.request('DELETE', '/api/documents/templates/letter');
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.json()).toMatchObject({ kind: 'letter', custom: false, builtIn: true, fileName: 'letter.docx', uploaderLogin: 'analyst' });
    const again = await analyst.request('DELETE', '/api/documents/templates/letter');
    expect(again.json()).toMatchObject({ custom: false });
    const rows = await database.db.selectFrom('document_templates').select(['file_name', 'size']).orderBy('at').execute();
    expect(rows).toEqual([{ file_name: 'бланк.docx', size: expect.any(Number) }, { file_name: '', size: 0 }]);
    const builtIn = await analyst.get('/api/documents/templates/letter/file');
    expect(Buffer.compare(builtIn.rawPayload, readFileSync(new URL('../../library/templates/letter.docx', import.meta.url)))).toBe(0);
    const issued = await analyst.post(`/api/campaigns/${campaignId}/documents/letter`, { paragraphs: ['Снова на встроенном бланке.'] });
    expect(issued.statusCode, issued.body).toBe(201);
    expect(issued.json()).toMatchObject({ customTemplate: false });
    const text = docxText((await analyst.get(issued.json().url)).rawPayload);
    expect(text).toContain('на № ____________ от ____________');
    expect(text).toContain('Снова на встроенном бланке.');
    expect(text).not.toContain('БЛАНК');
    const audit = await database.db.selectFrom('audit_log').select(['action']).where('action', 'like', 'document.template.%').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['document.template.upload', 'document.template.download', 'document.template.reset', 'document.template.download']);
    expect((await wg.request('DELETE', '/api/documents/templates/letter')).statusCode).toBe(403);
  });
});
