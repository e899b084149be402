/** Issue 18: the справка and the protocol of a monitoring issued on the department's template — msoko's body (headings,
 * tables with repeated header rows, charts) put in at `{@body}`, the requisites, register number and date filled;
 * numbered in the registers of справки and протоколы, stored with the data version, listed on the campaign and in the
 * register, downloaded byte-identical. A template without `{@body}`, with `{body}`, with an unknown placeholder or not
 * a DOCX is refused naming it. */
import type { FastifyInstance } from 'fastify';
import { AlignmentType, Document, Packer, Paragraph } from 'docx';
import PizZip from 'pizzip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentDate } from '../../src/core/documents/register.ts';
import { municipalToday } from '../../src/services/admin/settings.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { multipart, readDocx } from './document-files.ts';
import { BACKENDS, Client, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

const REQUISITES = {
  name: 'Управление образования', parentName: 'Администрация городского округа', address: 'Набережная ул., д. 10', phone: '27-54-22', email: 'edu@example.ru',
  inn: '3435110501', kpp: '343501001', ogrn: '1023402003074', okpo: '50478741', headPosition: 'Начальник управления', headName: 'Т.Н. Лёгкая',
  numbering: { reference: 'СП-{n}', protocol: '{n}' },
};

const p = (t: string) => new Paragraph({ text: t, alignment: AlignmentType.LEFT });
const docx = (...lines: string[]) => Packer.toBuffer(new Document({ sections: [{ properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 1000, bottom: 1000, left: 1600, right: 800 } } }, children: lines.map(p) }] }));

/** The sections of a DOCX: orientation of each (`w:sectPr` in document order). */
const sections = (content: Buffer) => [...(new PizZip(content).file('word/document.xml')?.asText() ?? '').matchAll(/<w:sectPr\b[\s\S]*?<\/w:sectPr>/g)].map((m) => (/w:orient="landscape"/.test(m[0]) ? 'landscape' : 'portrait'));

describe.each(BACKENDS)('справка and protocol on the department\'s template on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let analyst: Client;
  let campaignId: string;
  let today: string;
  let campaignTitle: string;
  const upload = (kindOf: string, file: { name: string; content: Buffer }) => {
    const m = multipart(file);
    return analyst.request('POST', `/api/documents/templates/${kindOf}`, m.body, { headers: m.headers });
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    // The demo year's 2021 monitoring of seed 004: a справка with wide tables (landscape pages) and charts.
    campaignId = (await seedDemo(database.db, { year: true })).year!.campaigns.seed004.id;
    campaignTitle = (await database.db.selectFrom('campaigns').select('title').where('id', '=', campaignId).executeTakeFirstOrThrow()).title;
    app = (await buildTestApp(database)).app;
    analyst = new Client(app, '10.18.2.1');
    expect((await analyst.login('analyst')).statusCode).toBe(200);
    today = await municipalToday(database.db);
  }, 600_000);
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('refuses the справка without requisites, and templates without {@body}, with {body}, with an unknown placeholder or not DOCX', async () => {
    const refused = await analyst.post(`/api/campaigns/${campaignId}/documents/reference`, {});
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toMatch(/^Справка не выпущена: заполните реквизиты управления на странице «Документы» — «Наименование управления»/);
    expect(await database.db.selectFrom('document_counters').select('last_number').execute()).toEqual([]);
    expect((await analyst.request('PUT', '/api/settings/requisites', REQUISITES)).statusCode).toBe(200);

    const noBody = await upload('reference', { name: 'справка.docx', content: await docx('{department.name}', '{number}') });
    expect(noBody.statusCode).toBe(400);
    expect(noBody.json().error).toMatchObject({ code: 'TEMPLATE_NO_BODY', message: 'В шаблоне вида «Аналитическая справка по итогам мониторинга» нет подстановки «{@body}»: поставьте её отдельным абзацем там, где должен стоять текст документа' });
    const plain = await upload('protocol', { name: 'протокол.docx', content: await docx('{body}') });
    expect(plain.json().error.message).toBe('Текст документа вставляется подстановкой «{@body}» (с @, отдельным абзацем), а не «{body}»');
    const typo = await upload('reference', { name: 'справка.docx', content: await docx('{department.nmae}', '{@body}') });
    expect(typo.json().error).toMatchObject({ code: 'TEMPLATE_UNKNOWN_TAG', message: expect.stringContaining('Неизвестная подстановка в шаблоне: «{department.nmae}»') });
    const other = await upload('protocol', { name: 'протокол.docx', content: await docx('{preamble}', '{@body}') });
    expect(other.json().error.message).toContain('«{preamble}»');
    const notDocx = await upload('reference', { name: 'справка.docx', content: Buffer.from('не документ') });
    expect(notDocx.json().error.message).toBe('Файл не является документом DOCX (ожидается документ Word .docx)');
    expect(await database.db.selectFrom('document_templates').select('id').execute()).toEqual([]);
  });

  it('issues the справка on the department\'s template: its header, number and date, the requisites, the body\'s tables with repeated header rows', async () => {
    const own = await docx('ШАПКА УПРАВЛЕНИЯ {department.name}, ИНН {department.inn}, {department.address}', 'Справка № {number} от {date}', '{@body}', 'Подписал: {department.headPosition} {department.headName}');
    const up = await upload('reference', { name: 'бланк справки.docx', content: own });
    expect(up.statusCode, up.body).toBe(201);
    expect(up.json()).toMatchObject({ kind: 'reference', custom: true, builtIn: true });

    const res = await analyst.post(`/api/campaigns/${campaignId}/documents/reference`, {});
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'reference', kindLabel: 'Аналитическая справка по итогам мониторинга', templateKind: 'reference', number: 'СП-1', date: today, campaignId, customTemplate: true, issuedBy: 'analyst' });
    const file = await analyst.get(res.json().url);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toContain(encodeURIComponent(`Справка СП-1 от ${documentDate(today)}.docx`));
    const { text, rows, xml } = readDocx(file.rawPayload);
    for (const part of ['ШАПКА УПРАВЛЕНИЯ Управление образования, ИНН 3435110501, Набережная ул., д. 10', `Справка № СП-1 от ${documentDate(today)}`, 'Подписал: Начальник управления Т.Н. Лёгкая',
      'АНАЛИТИЧЕСКАЯ СПРАВКА', campaignTitle]) {
      expect(text).toContain(part);
    }
    expect(text).not.toMatch(/\{[@#/]?[a-z.]+\}/i);
    // The body sits between the template's header and signature.
    expect(text.indexOf('АНАЛИТИЧЕСКАЯ СПРАВКА')).toBeGreaterThan(text.indexOf('Справка № СП-1'));
    expect(text.indexOf('АНАЛИТИЧЕСКАЯ СПРАВКА')).toBeLessThan(text.indexOf('Подписал:'));
    // Tables of the справка: header rows repeated on every page, rows that never split.
    const headers = rows.filter((r) => r.header);
    expect(headers.length).toBeGreaterThan(3);
    expect(rows.filter((r) => !r.header).length).toBeGreaterThan(30);
    expect((xml.match(/<w:cantSplit\/>/g) ?? []).length).toBe(rows.length);
    // Charts came along with their parts; sections take the template's page (A4, its margins), wide tables landscape.
    const zip = new PizZip(file.rawPayload);
    const media = Object.keys(zip.files).filter((f) => f.startsWith('word/media/msoko-body-'));
    expect(media.length).toBeGreaterThan(0);
    const rels = zip.file('word/_rels/document.xml.rels')!.asText();
    for (const m of media) expect(rels).toContain(`Target="${m.replace('word/', '')}"`);
    for (const id of [...xml.matchAll(/r:embed="([^"]+)"/g)].map((m) => m[1])) expect(rels).toContain(`Id="${id}"`);
    expect(xml).toMatch(/w:left="1600"/);
    const orientations = sections(file.rawPayload);
    expect(orientations[orientations.length - 1]).toBe('portrait');
    expect(orientations).toContain('landscape');
    expect((xml.match(/<w:titlePg\/>/g) ?? []).length).toBeLessThanOrEqual(1);

    const stored = await database.db.selectFrom('documents').select(['fields', 'size', 'sha256']).where('id', '=', res.json().id).executeTakeFirstOrThrow();
    expect(stored.size).toBe(file.rawPayload.length);
    expect(stored.fields).toMatchObject({ templateKind: 'reference', basis: 'submitted', source: { methodology: 'talents-2021@2021.1', organisations: expect.any(Number), resultsHash: expect.stringMatching(/^[0-9a-f]{64}$/), methodologyHash: expect.any(String) } });
    const again = await analyst.get(res.json().url);
    expect(Buffer.compare(again.rawPayload, file.rawPayload)).toBe(0);
  });

  it('issues the protocol on the built-in template with the register\'s number; both are listed on the campaign and in the register', async () => {
    const res = await analyst.post(`/api/campaigns/${campaignId}/documents/protocol`, { basis: 'all' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'protocol', kindLabel: 'Протокол заседания рабочей группы', number: '1', customTemplate: false });
    const { text } = readDocx((await analyst.get(res.json().url)).rawPayload);
    for (const part of [REQUISITES.name, 'ПРОТОКОЛ № 1', 'заседания рабочей группы', 'Повестка заседания:', 'РЕШИЛИ:', 'Председатель рабочей группы']) expect(text).toContain(part);
    expect(text).not.toMatch(/\{[@#/]?[a-z.]+\}/i);
    const second = await analyst.post(`/api/campaigns/${campaignId}/documents/protocol`, {});
    expect(second.json().number).toBe('2');
    const listed = (await analyst.get(`/api/campaigns/${campaignId}/documents`)).json().items.map((d: { number: string; kind: string }) => `${d.kind} ${d.number}`);
    expect(listed).toEqual(['protocol 2', 'protocol 1', 'reference СП-1']);
    expect((await analyst.get('/api/documents?kind=reference')).json().items.map((d: { number: string }) => d.number)).toEqual(['СП-1']);
    const stored = await database.db.selectFrom('documents').select('fields').where('id', '=', res.json().id).executeTakeFirstOrThrow();
    expect(stored.fields).toMatchObject({ templateKind: 'protocol', basis: 'all' });
    const audit = await database.db.selectFrom('audit_log').select('details').where('action', '=', 'document.issue').execute();
    expect(audit.map((a) => (a.details as { templateKind: string }).templateKind).sort()).toEqual(['protocol', 'protocol', 'reference']);
  });
});
