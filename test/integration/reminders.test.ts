/** Reminders on the real database: the pass before, on and after the due date (submitted forms get nothing),
 * idempotence (a second run and two concurrent runs add nothing twice), the «returned» notification, e-mail through a
 * REAL local SMTP server (recipient, Russian subject, link) with a failure that is retried by the next pass, the
 * notification routes (own only), the settings (municipality name, time zone, lead time) and a campaign's lead time. */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { calendarDateIn } from '../../src/core/calendar/timezone.ts';
import { openDatabase } from '../../src/db/connection.ts';
import { changeCampaignStatus, createCampaign } from '../../src/services/collection/campaigns.ts';
import { SYSTEM_ACTOR } from '../../src/services/errors.ts';
import { runMaintenance } from '../../src/services/admin/maintenance.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { createMailer, type Mailer } from '../../src/services/notifications/mail.ts';
import { runReminders } from '../../src/services/notifications/reminders.ts';
import { BACKENDS, Client, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';
import { startTestSmtp, type TestSmtp } from './smtp.ts';

const PUBLIC_URL = 'https://msoko.ishimbay.example';
const TITLE = 'Охват дополнительным образованием 2021/2022';

describe.each(BACKENDS)('reminders on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let admin: Client;
  let analyst: Client;
  let oo1: Client;
  let dou34: Client;
  let smtp: TestSmtp;
  let mailer: Mailer;
  const org: Record<number, string> = {};
  let campaignId: string;
  const run = (today: string, m: Mailer | null = mailer) => runReminders(database.db, today, { mailer: m, publicUrl: PUBLIC_URL });
  const formUrl = (no: number) => `/api/campaigns/${campaignId}/organisations/${org[no]}`;
  const values = (v: Record<string, number>) => ({ values: Object.fromEntries(Object.entries(v).map(([k, x]) => [k, { value: x }])), source: 'form' });
  const count = async (where: { kind?: string } = {}) => {
    let q = database.db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n'));
    if (where.kind) q = q.where('kind', '=', where.kind as 'due_soon');
    return Number((await q.executeTakeFirstOrThrow()).n);
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    app = (await buildTestApp(database)).app;
    for (const r of await database.db.selectFrom('organisations').select(['id', 'no']).execute()) org[r.no] = r.id;
    admin = new Client(app, '10.11.0.1');
    analyst = new Client(app, '10.11.0.2');
    oo1 = new Client(app, '10.11.0.3');
    dou34 = new Client(app, '10.11.0.4');
    for (const [c, login] of [[admin, 'admin'], [analyst, 'analyst'], [oo1, 'oo1'], [dou34, 'dou34']] as const) expect((await c.login(login)).statusCode).toBe(200);
    smtp = await startTestSmtp();
    mailer = await createMailer({ url: smtp.url, from: 'МСОКО <msoko@ishimbay.example>', publicUrl: PUBLIC_URL });

    const created = await analyst.post('/api/campaigns', {
      title: TITLE, methodologyId: 'talents-2021', methodologyVersion: '2021.1', period: '2021/2022',
      participants: { mode: 'all' }, opensOn: '2022-02-15', dueOn: '2022-06-01', closesOn: '2030-06-30',
    });
    expect(created.statusCode).toBe(201);
    campaignId = created.json().id;
    expect((await analyst.post(`/api/campaigns/${campaignId}/open`)).statusCode).toBe(200);
  });
  afterAll(async () => {
    mailer?.close();
    await smtp?.close();
    await app?.close();
    await database?.dispose();
  });

  it('the administrator sets e-mail addresses (checked, audited); others may not', async () => {
    const id = async (login: string) => (await database.db.selectFrom('users').select('id').where('login', '=', login).executeTakeFirstOrThrow()).id;
    const bad = await admin.request('PUT', `/api/users/${await id('oo1')}/email`, { email: 'не адрес' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toEqual([{ path: 'email', message: 'Неверный адрес электронной почты' }]);
    expect((await oo1.request('PUT', `/api/users/${await id('oo1')}/email`, { email: 'x@example.ru' })).statusCode).toBe(403);
    const ok = await admin.request('PUT', `/api/users/${await id('oo1')}/email`, { email: 'oo1@school1.example' });
    expect(ok.json()).toMatchObject({ login: 'oo1', email: 'oo1@school1.example' });
    expect((await admin.request('PUT', `/api/users/${await id('analyst')}/email`, { email: 'analyst@uo.example' })).statusCode).toBe(200);
    const audit = await database.db.selectFrom('audit_log').select(['actor_login', 'details']).where('action', '=', 'user.email').orderBy('id').execute();
    expect(audit.map((a) => [a.actor_login, (a.details as { after: string }).after])).toEqual([['admin', 'oo1@school1.example'], ['admin', 'analyst@uo.example']]);
  });

  it('is silent four days before the due date; three days before reminds both representatives and e-mails the one with an address', async () => {
    expect(await run('2022-05-28')).toEqual({ today: '2022-05-28', created: { due_soon: 0, overdue: 0, overdue_summary: 0 }, emails: { sent: 0, failed: 0 } });
    const r = await run('2022-05-29');
    expect(r.created).toEqual({ due_soon: 2, overdue: 0, overdue_summary: 0 });
    expect(r.emails).toEqual({ sent: 1, failed: 0 });
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.to).toEqual(['oo1@school1.example']);
    expect(mail.from).toBe('msoko@ishimbay.example');
    expect(mail.subject).toBe(`Срок сдачи формы 01.06.2022: «${TITLE}»`);
    expect(mail.text).toContain(`Форма организации №1 в мониторинге «${TITLE}» ещё не отправлена на проверку. Срок сдачи — 01.06.2022 (через 3 дня).`);
    expect(mail.text).toContain(`Открыть в МСОКО: ${PUBLIC_URL}/campaigns/${campaignId}/organisations/${org[1]}`);
    const list = (await oo1.get('/api/notifications')).json();
    expect(list.unread).toBe(1);
    expect(list.items[0]).toMatchObject({ kind: 'due_soon', link: `/campaigns/${campaignId}/organisations/${org[1]}`, readAt: null });
    expect((await dou34.get('/api/notifications/unread-count')).json()).toEqual({ unread: 1 });
    const audit = await database.db.selectFrom('audit_log').select(['actor_login', 'target_id', 'details']).where('action', '=', 'reminders.create').execute();
    expect(audit).toEqual([{ actor_login: 'system', target_id: campaignId, details: { today: '2022-05-29', due_soon: 2, overdue: 0, overdue_summary: 0 } }]);
  });

  it('is idempotent: the same day again, the rest of the window and two concurrent passes add nothing and send nothing', async () => {
    expect((await run('2022-05-29')).created).toEqual({ due_soon: 0, overdue: 0, overdue_summary: 0 });
    const [a, b] = await Promise.all([run('2022-05-31'), run('2022-05-31')]);
    expect(a.created.due_soon + b.created.due_soon).toBe(0);
    expect((await run('2022-06-01')).emails).toEqual({ sent: 0, failed: 0 });
    expect(await count()).toBe(2);
    expect(smtp.received).toHaveLength(1);
  });

  it('after the due date: overdue to organisations that have not sent, none to a submitted one, one summary to the analyst — once, even from two concurrent passes', async () => {
    expect((await dou34.request('PUT', `${formUrl(47)}/values`, values({ students: 0, programmes: 0, surveyed_students: 0 }))).statusCode).toBe(200);
    expect((await dou34.post(`${formUrl(47)}/submit`, { comment: 'Группа дополнительного образования не работала' })).json().status).toBe('submitted');
    const [a, b] = await Promise.all([run('2022-06-02'), run('2022-06-02')]);
    expect({ overdue: a.created.overdue + b.created.overdue, summary: a.created.overdue_summary + b.created.overdue_summary }).toEqual({ overdue: 1, summary: 1 });
    expect(a.emails.sent + b.emails.sent).toBe(2);
    expect((await run('2022-06-10')).created).toEqual({ due_soon: 0, overdue: 0, overdue_summary: 0 });
    expect((await dou34.get('/api/notifications')).json().items.map((n: { kind: string }) => n.kind)).toEqual(['due_soon']);

    const overdue = smtp.received.find((m) => m.subject === `Форма не сдана в срок: «${TITLE}»`);
    expect(overdue?.to).toEqual(['oo1@school1.example']);
    expect(overdue?.text).toContain('истёк 01.06.2022 (просрочка 1 день)');
    const summary = smtp.received.find((m) => m.to[0] === 'analyst@uo.example');
    expect(summary?.subject).toBe(`Не сдали форму в срок: 50 организаций — «${TITLE}»`);
    const names = (await database.db.selectFrom('organisations').select('short_name').where('no', '<>', 47).orderBy('no').limit(10).execute()).map((o) => o.short_name);
    expect(names.slice(0, 5)).toEqual(['№1', '№2', '№3', '№4', '№5']);
    expect(summary?.text).toContain(`Срок сдачи 01.06.2022 истёк. Не отправили форму: ${names.join(', ')} и ещё 40.`);
    expect(summary?.text).toContain(`${PUBLIC_URL}/campaigns/${campaignId}`);
    expect(smtp.received).toHaveLength(3);
  });

  it('a returned form notifies the representative at once; an SMTP failure is logged and kept, the next pass delivers', async () => {
    await oo1.request('PUT', `${formUrl(1)}/values`, values({ students: 400, programmes: 30, surveyed_students: 120 }));
    expect((await oo1.post(`${formUrl(1)}/submit`, {})).json().status).toBe('submitted');
    expect((await analyst.post(`${formUrl(1)}/return`, { comment: 'Уточните число программ по данным Навигатора' })).statusCode).toBe(200);
    const list = (await oo1.get('/api/notifications?unread=1')).json();
    expect(list.items[0]).toMatchObject({
      kind: 'returned',
      title: `Форма возвращена на доработку: «${TITLE}»`,
      body: 'Проверяющий вернул форму организации №1 на доработку. Комментарий: «Уточните число программ по данным Навигатора».',
      link: `/campaigns/${campaignId}/organisations/${org[1]}`,
    });

    const refusing = await startTestSmtp({ reject: true });
    const badMailer = await createMailer({ url: refusing.url, from: 'msoko@ishimbay.example', publicUrl: PUBLIC_URL });
    const warnings: string[] = [];
    try {
      const failed = await runReminders(database.db, '2022-06-10', { mailer: badMailer, publicUrl: PUBLIC_URL, log: (_l, m) => warnings.push(m) });
      expect(failed.emails).toEqual({ sent: 0, failed: 1 });
    } finally {
      badMailer.close();
      await refusing.close();
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Письмо уведомления \d+ на oo1@school1\.example не отправлено \(попытка 1\): .*550/);
    const row = await database.db.selectFrom('notifications').select(['email_status', 'email_attempts', 'email_error', 'read_at']).where('kind', '=', 'returned').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ email_status: 'pending', email_attempts: 1, read_at: null });
    expect(row.email_error).toContain('550');

    const retried = await run('2022-06-10');
    expect(retried.emails).toEqual({ sent: 1, failed: 0 });
    const mail = smtp.received.at(-1)!;
    expect(mail.to).toEqual(['oo1@school1.example']);
    expect(mail.subject).toBe(`Форма возвращена на доработку: «${TITLE}»`);
    expect(mail.text).toContain('Комментарий: «Уточните число программ по данным Навигатора».');
    expect((await database.db.selectFrom('notifications').select('email_status').where('kind', '=', 'returned').executeTakeFirstOrThrow()).email_status).toBe('sent');
  });

  it('marks read: one (own only — another user gets 404), then all', async () => {
    const mine = (await oo1.get('/api/notifications')).json();
    expect(mine.unread).toBe(3);
    const first = mine.items[0].id as number;
    expect((await dou34.post(`/api/notifications/${first}/read`)).statusCode).toBe(404);
    expect((await oo1.post('/api/notifications/abc/read')).statusCode).toBe(400);
    const read = await oo1.post(`/api/notifications/${first}/read`);
    expect(read.json().readAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect((await oo1.get('/api/notifications/unread-count')).json()).toEqual({ unread: 2 });
    expect((await oo1.post('/api/notifications/read-all')).json()).toEqual({ marked: 2 });
    expect((await oo1.get('/api/notifications')).json().unread).toBe(0);
    expect((await dou34.get('/api/notifications/unread-count')).json()).toEqual({ unread: 1 });
  });

  it('settings: the municipality name and today in its time zone; the administrator changes zone and lead time', async () => {
    const s = (await oo1.get('/api/settings')).json();
    expect(s).toMatchObject({ municipality: { name: 'Ишимбайский район (демо)' }, timeZone: 'Asia/Yekaterinburg', remindDaysBefore: 3, emailEnabled: false });
    expect(s.today).toBe(calendarDateIn(new Date(), 'Asia/Yekaterinburg'));
    expect((await oo1.get(`/api/campaigns/${campaignId}`)).json().today).toBe(s.today);
    const bad = await admin.patch('/api/settings', { timeZone: 'Mars/Olympus', remindDaysBefore: 99 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toEqual([
      { path: 'timeZone', message: 'Неизвестный часовой пояс (нужно имя из базы IANA, например Asia/Yekaterinburg)' },
      { path: 'remindDaysBefore', message: 'Не больше 60 дней' },
    ]);
    expect((await analyst.patch('/api/settings', { remindDaysBefore: 5 })).statusCode).toBe(403);
    expect((await admin.patch('/api/settings', {})).json()).toMatchObject({ timeZone: 'Asia/Yekaterinburg', remindDaysBefore: 3 });
    const changed = (await admin.patch('/api/settings', { timeZone: 'Europe/Moscow', remindDaysBefore: 5 })).json();
    expect(changed).toMatchObject({ timeZone: 'Europe/Moscow', remindDaysBefore: 5, today: calendarDateIn(new Date(), 'Europe/Moscow') });
    expect((await database.db.selectFrom('audit_log').select('details').where('action', '=', 'settings.update').executeTakeFirstOrThrow()).details).toEqual({
      before: { timeZone: 'Asia/Yekaterinburg', remindDaysBefore: 3 },
      after: { timeZone: 'Europe/Moscow', remindDaysBefore: 5 },
    });
    expect((await admin.patch('/api/settings', { timeZone: 'Asia/Yekaterinburg', remindDaysBefore: 3 })).statusCode).toBe(200);
  });

  it('a campaign may set its own lead time (7 days) over the municipality’s 3', async () => {
    const c = await analyst.post('/api/campaigns', {
      title: 'Второй мониторинг', methodologyId: 'talents-2021', methodologyVersion: '2021.1', period: '2022',
      participants: { mode: 'list', organisationIds: [org[1], org[47]] }, opensOn: '2022-08-01', dueOn: '2022-09-10', closesOn: '2022-09-30',
    });
    expect(c.statusCode).toBe(201);
    const id = c.json().id as string;
    expect((await analyst.post(`/api/campaigns/${id}/open`)).statusCode).toBe(200);
    expect((await run('2022-09-03', null)).created.due_soon).toBe(0);
    expect((await oo1.request('PUT', `/api/campaigns/${id}/reminders`, { daysBefore: 7 })).statusCode).toBe(403);
    expect((await analyst.request('PUT', `/api/campaigns/${id}/reminders`, { daysBefore: 61 })).statusCode).toBe(400);
    expect((await analyst.request('PUT', `/api/campaigns/${id}/reminders`, { daysBefore: 7 })).json()).toEqual({ daysBefore: 7 });
    expect((await run('2022-09-02', null)).created.due_soon).toBe(0);
    // The server's periodic maintenance runs the same pass; 19:30 UTC on 2 September is already 3 September in
    // Yekaterinburg (UTC+5), the municipality's zone, so the 7-day window has begun.
    expect(await runMaintenance(database.db, { now: new Date('2022-09-02T19:30:00Z') })).toMatchObject({ 'напоминания': 2 });
    const note = (await dou34.get('/api/notifications')).json().items[0];
    expect(note.body).toContain('Срок сдачи — 10.09.2022 (через 7 дней).');
  });
});

describe('msoko remind (CLI)', () => {
  const BIN = fileURLToPath(new URL('../../bin/msoko.js', import.meta.url));
  let dataDir: string;
  const msoko = (args: string[], env: Record<string, string> = {}) =>
    promisify(execFile)(process.execPath, [BIN, ...args], { env: { ...process.env, MSOKO_DATA_DIR: dataDir, DATABASE_URL: '', MSOKO_SMTP_URL: '', ...env }, timeout: 120_000 }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'msoko-remind-'));
    cpSync(inject('pgliteTemplate'), dataDir, { recursive: true });
    const h = await openDatabase({ dataDir });
    await seedDemo(h.db);
    const c = await createCampaign(h.db, SYSTEM_ACTOR, {
      title: 'Мониторинг (CLI)', methodologyId: 'talents-2021', methodologyVersion: '2021.1', period: '2021/2022',
      participants: { mode: 'all' }, opensOn: '2022-02-15', dueOn: '2022-06-01', closesOn: '2022-06-30',
    });
    await changeCampaignStatus(h.db, SYSTEM_ACTOR, c.id, 'open');
    await h.close();
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('runs the pass once for the given day, a second run adds nothing; a bad date is refused; user email sets an address', { timeout: 240_000 }, async () => {
    const bad = await msoko(['remind', '--today', '02.06.2022']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Ошибка: дата «02.06.2022» должна быть в формате ГГГГ-ММ-ДД, например 2022-06-02');
    const email = await msoko(['user', 'email', '--login', 'OO1', '--email', 'oo1@school1.example']);
    expect(email.stdout).toContain('Пользователь oo1: адрес oo1@school1.example.');
    const first = await msoko(['remind', '--today', '2022-06-02']);
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('Напоминания за 2022-06-02: создано 3 (скоро срок — 0, просрочка — 2, сводки аналитикам — 1).');
    expect(first.stdout).toContain('Письма: отправлено 0, не отправлено 0 (MSOKO_SMTP_URL не задан — только уведомления в системе).');
    const second = await msoko(['remind', '--today', '2022-06-02']);
    expect(second.stdout).toContain('Напоминания за 2022-06-02: создано 0 (скоро срок — 0, просрочка — 0, сводки аналитикам — 0).');
    const h = await openDatabase({ dataDir });
    try {
      const rows = await h.db.selectFrom('notifications as n').innerJoin('users as u', 'u.id', 'n.user_id').select(['u.login', 'n.kind', 'n.email_status']).orderBy('u.login').execute();
      expect(rows).toEqual([
        { login: 'analyst', kind: 'overdue_summary', email_status: 'none' },
        { login: 'dou34', kind: 'overdue', email_status: 'none' },
        { login: 'oo1', kind: 'overdue', email_status: 'pending' },
      ]);
    } finally {
      await h.close();
    }
  });
});
