/** Issue 18: letters sent as notifications. Issuing the information letter of a monitoring notifies the
 * representatives of every participating organisation — in the app, with a link that downloads the issued letter for
 * that organisation's users only, and by e-mail (a real SMTP server on loopback) with the DOCX attached; a letter with
 * addressed recommendations goes to its own organisation only. The sender sees how many were notified. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentDate } from '../../src/core/documents/register.ts';
import { municipalToday } from '../../src/services/admin/settings.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { createMailer, deliverPendingEmails, type Mailer } from '../../src/services/notifications/mail.ts';
import { BACKENDS, Client, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';
import { startTestSmtp, type TestSmtp } from './smtp.ts';

const REQUISITES = {
  name: 'Управление образования', parentName: 'Администрация городского округа', address: 'Набережная ул., д. 10', phone: '27-54-22', email: 'edu@example.ru',
  inn: '3435110501', kpp: '343501001', ogrn: '1023402003074', okpo: '50478741', headPosition: 'Начальник управления', headName: 'Т.Н. Лёгкая',
  numbering: { letter: '21/{n}' },
};
const TITLE = 'Мониторинг выявления и поддержки талантов';

interface Notification { kind: string; title: string; body: string; documentUrl: string | null }

/** The attachment of a raw MIME message: its file name and decoded bytes. */
function attachmentOf(raw: string): { fileName: string; content: Buffer } | null {
  const part = raw.split(/\r?\n--/).find((p) => /Content-Disposition:\s*attachment/i.test(p));
  if (!part) return null;
  const split = part.search(/\r?\n\r?\n/);
  const head = part.slice(0, split).replace(/\r?\n[ \t]+/g, ' ');
  // RFC 2231: filename*0*=utf-8''%D0…; filename*1*=…, joined in order.
  const pieces = [...head.matchAll(/filename\*(\d*)\*?=([^;\r\n]+)/gi)].sort((a, b) => Number(a[1] || 0) - Number(b[1] || 0)).map((m) => m[2]!.trim().replace(/"/g, ''));
  const fileName = pieces.length ? decodeURIComponent(pieces.join('').replace(/^utf-8''/i, '')) : (/filename="([^"]*)"/i.exec(head)?.[1] ?? '');
  return { fileName, content: Buffer.from(part.slice(split).replace(/\s+/g, ''), 'base64') };
}

describe.each(BACKENDS)('letters sent as notifications on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let analyst: Client;
  let school: Client;
  let preschool: Client;
  let campaignId: string;
  let today: string;
  let smtp: TestSmtp;
  let mailer: Mailer;
  let org1: { id: string; short_name: string };
  let org47: { id: string; short_name: string };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    app = (await buildTestApp(database)).app;
    analyst = new Client(app, '10.18.3.1');
    school = new Client(app, '10.18.3.2');
    preschool = new Client(app, '10.18.3.3');
    for (const [c, login] of [[analyst, 'analyst'], [school, 'oo1'], [preschool, 'dou34']] as const) expect((await c.login(login)).statusCode).toBe(200);
    await database.db.updateTable('users').set({ email: 'school1@example.ru' }).where('login', '=', 'oo1').execute();
    const c = await analyst.post('/api/campaigns', {
      title: TITLE, methodologyId: 'talents-2021', methodologyVersion: '2021.1', period: '2022',
      participants: { mode: 'all' }, opensOn: '2023-02-15', dueOn: '2023-06-01', closesOn: '2023-06-30',
    });
    expect(c.statusCode, c.body).toBe(201);
    campaignId = c.json().id;
    org1 = await database.db.selectFrom('organisations').select(['id', 'short_name']).where('no', '=', 1).executeTakeFirstOrThrow();
    org47 = await database.db.selectFrom('organisations').select(['id', 'short_name']).where('no', '=', 47).executeTakeFirstOrThrow();
    expect((await analyst.request('PUT', '/api/settings/requisites', REQUISITES)).statusCode).toBe(200);
    today = await municipalToday(database.db);
    smtp = await startTestSmtp();
    mailer = await createMailer({ url: smtp.url, from: 'МСОКО <msoko@example.ru>', publicUrl: 'https://msoko.example.ru' });
  }, 600_000);
  afterAll(async () => {
    mailer?.close();
    await smtp?.close();
    await app?.close();
    await database?.dispose();
  });

  it('notifies every participating organisation\'s representatives of the information letter; a school downloads it, e-mail carries it attached', async () => {
    const participants = await database.db.selectFrom('campaign_organisations').select('organisation_id').where('campaign_id', '=', campaignId).execute();
    const reps = await database.db.selectFrom('users').select(['login', 'organisation_id']).where('role', '=', 'org_rep').where('disabled', '=', false)
      .where('organisation_id', 'in', participants.map((p) => p.organisation_id)).execute();
    expect(reps.map((r) => r.login).sort()).toEqual(['dou34', 'oo1']);
    const res = await analyst.post(`/api/campaigns/${campaignId}/documents/letter`, {});
    expect(res.statusCode, res.body).toBe(201);
    const letter = res.json();
    expect(letter.number).toBe('21/1');
    expect(letter.notified).toMatchObject({ organisations: 2, users: 2, emails: 1 });
    expect(letter.notified.withoutUsers).toHaveLength(participants.length - 2);

    const list = (await school.get('/api/notifications')).json() as { items: Notification[]; unread: number };
    const n = list.items.find((x) => x.kind === 'document');
    expect(n).toMatchObject({ title: `Письмо № 21/1 от ${documentDate(today)}: О проведении мониторинга «${TITLE}»`, documentUrl: `/api/received-documents/${letter.id}/file` });
    expect(n!.body).toContain('Управление образования направило письмо');
    const mine = await school.get(n!.documentUrl!);
    expect(mine.statusCode).toBe(200);
    const original = await analyst.get(letter.url);
    expect(Buffer.compare(mine.rawPayload, original.rawPayload)).toBe(0);
    expect(mine.headers['content-disposition']).toContain(encodeURIComponent(`Письмо 21-1 от ${documentDate(today)}.docx`));
    expect((await preschool.get(n!.documentUrl!)).statusCode).toBe(200);
    // Only organisations' users, and only through a notification.
    expect((await analyst.get(n!.documentUrl!)).statusCode).toBe(403);
    expect((await school.get(letter.url)).statusCode).toBe(403);

    const sent = await deliverPendingEmails(database.db, mailer, { publicUrl: 'https://msoko.example.ru' });
    expect(sent).toEqual({ sent: 1, failed: 0 });
    const mail = smtp.received.find((m) => m.to.includes('school1@example.ru'));
    expect(mail?.subject).toBe(n!.title);
    const attached = attachmentOf(mail!.raw);
    expect(attached?.fileName).toBe(`Письмо 21-1 от ${documentDate(today)}.docx`);
    expect(Buffer.compare(attached!.content, original.rawPayload)).toBe(0);
    const audit = await database.db.selectFrom('audit_log').select('details').where('action', '=', 'document.send').execute();
    expect(audit.map((a) => a.details)).toEqual([expect.objectContaining({ number: '21/1', organisations: 2, users: 2 })]);
  });

  it('sends a letter with recommendations to its own organisation only; another organisation\'s user cannot download it', async () => {
    const create = (body: object) => analyst.post('/api/recommendations', { direction: 'talents', campaignId, ...body });
    expect((await create({ addresseeKind: 'head', organisationIds: [org1.id], text: 'Провести анкетирование обучающихся', dueDate: '2023-09-01' })).statusCode).toBe(201);
    expect((await create({ addresseeKind: 'head', organisationIds: [org47.id], text: 'Расширить перечень программ', dueDate: '2023-10-01' })).statusCode).toBe(201);
    const res = await analyst.post(`/api/campaigns/${campaignId}/documents/recommendation-letters`, {});
    expect(res.statusCode, res.body).toBe(201);
    const letters = res.json().items as { id: string; number: string; title: string; notified: { organisations: number; users: number } }[];
    expect(letters.map((l) => l.notified)).toEqual([expect.objectContaining({ organisations: 1, users: 1 }), expect.objectContaining({ organisations: 1, users: 1 })]);
    const toSchool = letters.find((l) => l.title.endsWith(org1.short_name))!;
    const toPreschool = letters.find((l) => l.title.endsWith(org47.short_name))!;

    const schoolDocs = ((await school.get('/api/notifications')).json().items as Notification[]).filter((x) => x.kind === 'document').map((x) => x.documentUrl);
    expect(schoolDocs).toContain(`/api/received-documents/${toSchool.id}/file`);
    expect(schoolDocs).not.toContain(`/api/received-documents/${toPreschool.id}/file`);
    expect((await school.get(`/api/received-documents/${toSchool.id}/file`)).statusCode).toBe(200);
    const foreign = await school.get(`/api/received-documents/${toPreschool.id}/file`);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.message).toBe('Документ не найден');
    expect((await preschool.get(`/api/received-documents/${toPreschool.id}/file`)).statusCode).toBe(200);
    expect((await school.get('/api/received-documents/not-a-uuid/file')).statusCode).toBe(404);
  });
});
