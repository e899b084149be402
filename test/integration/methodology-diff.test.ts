/** «Сравнение с другой версией» through the API (issue 15, item 2): a new version of talents-2021 with the «средний»
 * band widened to 5,5 and «выше среднего» starting at 5,6 is compared with the library's 2021.1 in words; an unknown
 * version is 404, and the comparison is read-only for the working group. */
import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { Client, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

const LIBRARY = new URL('../../library/talents-2021.yaml', import.meta.url);

describe('GET /api/methodologies/:id/:version/diff', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let analyst: Client;

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    await seedDemo(database.db);
    app = (await buildTestApp(database)).app;
    analyst = new Client(app, '10.16.0.1');
    expect((await analyst.login('analyst')).statusCode).toBe(200);
    const yaml = (await readFile(LIBRARY, 'utf8'))
      .replace(/^version: .*$/m, 'version: "2022.1"')
      .replace('{ level: above_average, from: 5.1, to: 7.5,', '{ level: above_average, from: 5.6, to: 7.5,')
      .replace('{ level: average, from: 2.6, to: 5.0,', '{ level: average, from: 2.6, to: 5.5,');
    const saved = await analyst.post('/api/methodologies', { yaml });
    expect(saved.statusCode, saved.body).toBe(201);
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('names the two bands that moved, in the indicator\'s rounding', async () => {
    const res = await analyst.get('/api/methodologies/talents-2021/2022.1/diff?fromId=talents-2021&fromVersion=2021.1');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      from: { id: 'talents-2021', version: '2021.1', title: expect.any(String) },
      to: { id: 'talents-2021', version: '2022.1', title: expect.any(String) },
      changes: [
        { path: 'scales.diversity_levels.bands[1]', text: 'показатель 2.1: полоса «выше среднего»: было 5,1–7,5, стало 5,6–7,5' },
        { path: 'scales.diversity_levels.bands[2]', text: 'показатель 2.1: полоса «средний»: было 2,6–5,0, стало 2,6–5,5' },
      ],
    });
    const back = (await analyst.get('/api/methodologies/talents-2021/2021.1/diff?fromId=talents-2021&fromVersion=2022.1')).json();
    expect(back.changes[1].text).toBe('показатель 2.1: полоса «средний»: было 2,6–5,5, стало 2,6–5,0');
  });

  it('an unknown version is 404; the working group may compare; a school may not', async () => {
    expect((await analyst.get('/api/methodologies/talents-2021/2022.1/diff?fromId=talents-2021&fromVersion=1999.1')).statusCode).toBe(404);
    expect((await analyst.get('/api/methodologies/talents-2021/2022.1/diff')).statusCode).toBe(400);
    const wg = new Client(app, '10.16.0.2');
    expect((await wg.login('wg')).statusCode).toBe(200);
    expect((await wg.get('/api/methodologies/talents-2021/2022.1/diff?fromId=talents-2021&fromVersion=2021.1')).statusCode).toBe(200);
    const school = new Client(app, '10.16.0.3');
    expect((await school.login('oo1')).statusCode).toBe(200);
    expect((await school.get('/api/methodologies/talents-2021/2022.1/diff?fromId=talents-2021&fromVersion=2021.1')).statusCode).toBe(403);
  });
});
