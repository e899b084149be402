/** «Импорт таблицы критериев» through the HTTP API (issue 15, item 1, in the web app): seed 004's Table № 1 as a Word
 * table is read into bands with their source text and bounds, the lint names the gaps of the published table, the draft
 * saves as a new methodology version; options and files are validated in Russian, and only the analyst and the
 * administrator may read tables (nothing is written until the version is saved). */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { buildDocx, buildXlsx } from '../support/criteria-table1.ts';
import { multipart } from '../support/import-data.ts';
import { Client, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

interface Band { text: string; points: number; where: string; bounds: { from?: number; to?: number; level?: string } }
interface ImportAnswer {
  ok: boolean;
  file: string;
  part: string;
  problems: { where: string; text: string; reason: string }[];
  statedMax: { value: number; where: string } | null;
  indicators: { code: string; title: string; where: string; bands: Band[] }[];
  lint: { severity: string; path: string; message: string }[];
  methodology: { id: string; version: string; direction: string } | null;
  yaml: string | null;
}

describe('POST /api/methodologies/criteria-import', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let analyst: Client;

  const send = (client: Client, name: string, content: Buffer, fields: Record<string, string> = {}) => {
    const m = multipart(name, content, 'file', fields);
    return client.request('POST', '/api/methodologies/criteria-import', m.body, { headers: { 'content-type': m.contentType } });
  };

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    await seedDemo(database.db);
    app = (await buildTestApp(database)).app;
    analyst = new Client(app, '10.15.0.1');
    expect((await analyst.login('analyst')).statusCode).toBe(200);
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('DOCX: bands with source text, bounds and place; the lint names 9,1–9,9 and 19,1–19,9; the draft saves as a version', async () => {
    const res = await send(analyst, 'Таблица 1.docx', await buildDocx(), { id: 'talents-web', version: '2022.1', direction: 'talents', title: 'Охват ДО (из Word)' });
    expect(res.statusCode, res.body).toBe(200);
    const a = res.json<ImportAnswer>();
    expect(a).toMatchObject({ ok: true, file: 'Таблица 1.docx', part: 'таблица 1 из 2', problems: [] });
    expect(a.statedMax).toMatchObject({ value: 15, where: 'таблица 1, строка 27' });
    expect(a.indicators.map((i) => i.code)).toEqual(['1.1', '2.1', '2.2', '3.1', '3.2']);
    const b21 = a.indicators.find((i) => i.code === '2.1')?.bands[1];
    expect(b21).toMatchObject({ text: 'выше среднего (от 5,1 до 7,5)', points: 2, bounds: { level: 'above_average', from: 5.1, to: 7.5 } });
    expect(b21?.where).toMatch(/^таблица 1, строка \d+$/);
    const gaps = a.lint.filter((l) => /значения 9,1–9,9/.test(l.message)).map((l) => l.path);
    expect(gaps.length).toBeGreaterThanOrEqual(2);
    expect(a.methodology).toMatchObject({ id: 'talents-web', version: '2022.1', direction: 'talents' });
    expect(a.yaml).toMatch(/^# Черновик методики: импортирован из таблицы критериев «Таблица 1\.docx»/);

    const saved = await analyst.post('/api/methodologies', { yaml: a.yaml });
    expect(saved.statusCode, saved.body).toBe(201);
    expect(saved.json()).toMatchObject({ id: 'talents-web', version: '2022.1', source: 'uploaded' });
    const again = await analyst.post('/api/methodologies', { yaml: a.yaml });
    expect(again.statusCode).toBe(409);
  });

  it('XLSX with merged ranges: the same five indicators, the sheet found by its header', async () => {
    const a = (await send(analyst, 'table1.xlsx', await buildXlsx(), { round: '1', capped: 'all' })).json<ImportAnswer>();
    expect(a.ok).toBe(true);
    expect(a.part).toBe('лист «Критерии»');
    expect(a.indicators.find((i) => i.code === '2.2')?.bands.map((b) => [b.bounds.from, b.bounds.to, b.points])).toEqual([[88, 100, 3], [76, 87.9, 2], [75, 75.9, 1], [0, 74.9, 0]]);
  });

  it('an unreadable band: the row with its text and reason, no draft', async () => {
    const a = (await send(analyst, 'bad.docx', await buildDocx('примерно 80'))).json<ImportAnswer>();
    expect(a.ok).toBe(false);
    expect(a.yaml).toBeNull();
    expect(a.problems).toEqual([expect.objectContaining({ where: 'таблица 1, строка 14', text: 'примерно 80' })]);
    expect(a.problems[0]?.reason).toContain('«примерно 80» не распознано');
  });

  it('refuses in Russian: not DOCX/XLSX, bad options; a school representative is not let in', async () => {
    const txt = await send(analyst, 'table.txt', Buffer.from('от 20% до 25%'));
    expect(txt.statusCode).toBe(400);
    expect(txt.json().error.message).toBe('Нужен файл .docx или .xlsx');
    const round = await send(analyst, 't.docx', await buildDocx(), { round: '9', id: 'Bad Id' });
    expect(round.statusCode).toBe(400);
    expect(round.json().error.message).toContain('знаков после запятой — целое от 0 до 6');
    expect(round.json().error.message).toContain('id: строчные латинские буквы');
    const school = new Client(app, '10.15.0.2');
    expect((await school.login('oo1')).statusCode).toBe(200);
    expect((await send(school, 't.docx', await buildDocx())).statusCode).toBe(403);
  });
});
