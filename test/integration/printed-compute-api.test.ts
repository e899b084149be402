/** «Расчёт по файлу» with a printed report (issue 15, item 4) over HTTP on both engines: POST
 * /api/methodologies/talents-2021/2021.1/compute with seed 004's organisations without their published columns and the
 * report's DOCX (SYNTHETIC, test/support/printed-report-docx.ts) in the field `printed` answers the three
 * discrepancies of the published: route and the printed summary; with the original file and a table that prints
 * Петровское 3,6 it names the difference; a PDF as the report is 400 under `printed`, nothing computed. */
import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { buildSeed004Report } from '../support/printed-report-docx.ts';
import { SEED } from './campaign-fixture.ts';
import { BACKENDS, Client, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

interface Discrepancy { organisation: string | null; indicator: string; field: string; published: number | string; computed: number | string | null }
interface Output { discrepancies: Discrepancy[]; printed?: { file: string; figures: number; agreed: number; conflicts: { message: string }[] } }
const key = (d: Discrepancy) => [d.organisation, d.indicator, d.field, d.published, d.computed];
const THREE = [
  ['Канакаево', 'diversity_index', 'level', 'средний', 'выше среднего'],
  ['Петровское', 'diversity_index', 'value', 3.7, 3.3],
  ['ДОУ №33', 'diversity_index', 'level', 'выше среднего', 'высокий'],
];

function form(parts: { field: string; name: string; content: Buffer }[]): { body: Buffer; contentType: string } {
  const boundary = `----msoko${Math.random().toString(16).slice(2)}`;
  const chunks = parts.flatMap((p) => [
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.field}"; filename="${p.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`, 'utf8'),
    p.content,
    Buffer.from('\r\n'),
  ]);
  return { body: Buffer.concat([...chunks, Buffer.from(`--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe.each(BACKENDS)('«Расчёт по файлу» with a printed report on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let analyst: Client;
  let original: Buffer;
  let bare: Buffer;
  const compute = (parts: { field: string; name: string; content: Buffer }[]) => {
    const m = form(parts);
    return analyst.request('POST', '/api/methodologies/talents-2021/2021.1/compute', m.body, { headers: { 'content-type': m.contentType } });
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    app = (await buildTestApp(database)).app;
    analyst = new Client(app, '10.19.0.1');
    expect((await analyst.login('analyst')).statusCode).toBe(200);
    original = await readFile(SEED('organisations.csv'));
    bare = Buffer.from(`${original.toString('utf8').trim().split(/\r?\n/).map((l) => l.split(',').slice(0, 5).join(',')).join('\n')}\n`);
  }, 600_000);
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('the report’s DOCX gives the three discrepancies of the published: route', async () => {
    const viaPublished = await compute([{ field: 'file', name: 'organisations.csv', content: original }]);
    expect(viaPublished.statusCode, viaPublished.body).toBe(200);
    expect(viaPublished.json<Output>().discrepancies.map(key)).toEqual(THREE);
    const res = await compute([{ field: 'file', name: 'данные.csv', content: bare }, { field: 'printed', name: 'справка.docx', content: await buildSeed004Report() }]);
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json<Output>();
    expect(out.discrepancies.map(key)).toEqual(THREE);
    expect(out.printed).toMatchObject({ file: 'справка.docx', figures: 52, agreed: 101, conflicts: [] });
  });

  it('with published columns and a table printing Петровское 3,6 the difference is named; a PDF is refused under «printed»', async () => {
    const table = Buffer.from('Организация,Показатель,Значение,Уровень\nПетровское,2.1,"3,6",средний\n');
    const res = await compute([{ field: 'file', name: 'organisations.csv', content: original }, { field: 'printed', name: 'отчёт.csv', content: table }]);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<Output>().printed!.conflicts.map((c) => c.message)).toEqual(['Петровское, 2.1: в файле отчёта «отчёт.csv» напечатано 3,6, а в опубликованных данных (published:) — 3,7']);
    const pdf = await compute([{ field: 'file', name: 'organisations.csv', content: original }, { field: 'printed', name: 'отчёт.pdf', content: Buffer.from('%PDF-1.4') }]);
    expect(pdf.statusCode).toBe(400);
    expect(pdf.json<{ error: { fields: { path: string; message: string }[] } }>().error.fields).toEqual([{ path: 'printed', message: 'Допустимы файлы CSV, XLSX и DOCX' }]);
  });
});
