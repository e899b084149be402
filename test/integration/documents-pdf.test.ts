/** Issue 18: issued documents as PDF. LibreOffice converts the stored DOCX on download (`soffice --headless
 * --convert-to pdf`, one at a time); poppler-utils read the PDF back (pages, text). Where LibreOffice is missing the
 * conversion tests are skipped with a message naming the Debian package, and the endpoint answers 409 saying which
 * package to install (checked everywhere, with SOFFICE_PATH pointing nowhere). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentDate } from '../../src/core/documents/register.ts';
import { SOFFICE_MISSING, findSoffice } from '../../src/reports/pdf.ts';
import { municipalToday } from '../../src/services/admin/settings.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { Client, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

const REQUISITES = {
  name: 'Управление образования', parentName: 'Администрация городского округа', address: 'Набережная ул., д. 10', phone: '27-54-22', email: 'edu@example.ru',
  inn: '3435110501', kpp: '343501001', ogrn: '1023402003074', okpo: '50478741', headPosition: 'Начальник управления', headName: 'Т.Н. Лёгкая',
  numbering: { letter: '21/{n}' },
};
const soffice = findSoffice();
if (!soffice) process.stderr.write(`LibreOffice не найден: проверка PDF выпущенных документов пропущена. ${SOFFICE_MISSING}\n`);

describe('issued documents as PDF', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let analyst: Client;
  let school: Client;
  let letter: { id: string; number: string; url: string; pdfUrl: string };
  let dir: string;
  let today: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'msoko-pdf-test-'));
    database = await openTestDatabase('pglite');
    await seedDemo(database.db);
    app = (await buildTestApp(database)).app;
    analyst = new Client(app, '10.18.4.1');
    school = new Client(app, '10.18.4.2');
    expect((await analyst.login('analyst')).statusCode).toBe(200);
    expect((await school.login('oo1')).statusCode).toBe(200);
    const c = await analyst.post('/api/campaigns', {
      title: 'Мониторинг выявления и поддержки талантов', methodologyId: 'talents-2021', methodologyVersion: '2021.1', period: '2022',
      participants: { mode: 'all' }, opensOn: '2023-02-15', dueOn: '2023-06-01', closesOn: '2023-06-30',
    });
    expect(c.statusCode, c.body).toBe(201);
    expect((await analyst.request('PUT', '/api/settings/requisites', REQUISITES)).statusCode).toBe(200);
    const issued = await analyst.post(`/api/campaigns/${c.json().id}/documents/letter`, {});
    expect(issued.statusCode, issued.body).toBe(201);
    letter = issued.json();
    today = await municipalToday(database.db);
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('converts the issued letter: one A4 page with the requisites, number, date and title; the school gets its own letter as PDF too', { timeout: 180_000 }, async (ctx) => {
    if (!soffice) ctx.skip(SOFFICE_MISSING);
    expect(letter.pdfUrl).toBe(`/api/documents/${letter.id}/pdf`);
    const started = Date.now();
    const res = await analyst.get(letter.pdfUrl);
    const ms = Date.now() - started;
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain(encodeURIComponent(`Письмо 21-1 от ${documentDate(today)}.pdf`));
    expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const file = path.join(dir, 'letter.pdf');
    writeFileSync(file, res.rawPayload);
    const info = execFileSync('pdfinfo', [file]).toString();
    expect(Number(/^Pages:\s+(\d+)/m.exec(info)?.[1])).toBe(1);
    expect(/^Page size:\s+([\d.]+) x ([\d.]+) pts/m.exec(info)?.slice(1, 3).map((x) => Math.round(Number(x)))).toEqual([595, 842]);
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString().replace(/\s+/g, ' ');
    for (const part of ['УПРАВЛЕНИЕ ОБРАЗОВАНИЯ', 'Набережная ул., д. 10', `${documentDate(today)} № 21/1`, 'О проведении мониторинга «Мониторинг выявления и поддержки талантов»', 'Т.Н. Лёгкая']) {
      expect(text).toContain(part);
    }
    process.stdout.write(`PDF письма: ${res.rawPayload.length} байт за ${ms} мс\n`);

    const notes = (await school.get('/api/notifications')).json().items as { documentUrl: string | null }[];
    const mine = notes.find((n) => n.documentUrl === `/api/received-documents/${letter.id}/file`);
    expect(mine).toBeDefined();
    const received = await school.get(`/api/received-documents/${letter.id}/pdf`);
    expect(received.statusCode).toBe(200);
    expect(received.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect((await school.get(letter.pdfUrl)).statusCode).toBe(403);
    const audit = await database.db.selectFrom('audit_log').select('details').where('action', '=', 'document.download').execute();
    expect(audit.map((a) => (a.details as { format?: string }).format).filter(Boolean)).toEqual(['pdf', 'pdf']);
  });

  it('without LibreOffice answers 409 naming the Debian package; the lists say so', async () => {
    const before = process.env.SOFFICE_PATH;
    process.env.SOFFICE_PATH = path.join(dir, 'нет-soffice');
    try {
      const res = await analyst.get(letter.pdfUrl);
      expect(res.statusCode).toBe(409);
      expect(res.json().error).toMatchObject({ code: 'PDF_UNAVAILABLE', message: SOFFICE_MISSING });
      expect(SOFFICE_MISSING).toContain('libreoffice-writer-nogui');
      expect((await analyst.get('/api/documents')).json().pdfUnavailable).toBe(SOFFICE_MISSING);
    } finally {
      if (before === undefined) delete process.env.SOFFICE_PATH;
      else process.env.SOFFICE_PATH = before;
    }
    expect((await analyst.get('/api/documents')).json().pdfUnavailable).toBe(soffice ? null : SOFFICE_MISSING);
  });
});
