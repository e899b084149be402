/** Issue 25: the defects found by probing the running server, each kept out by a test on the real server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { BACKENDS, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

describe.each(BACKENDS)('hardening (issue 25) on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    app = (await buildTestApp(database)).app;
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('a bad percent-encoding in a documentation path is 404, not 500, without sign-in', async () => {
    for (const url of ['/docs/%25', '/docs/guide/%25E0%A4%A', '/docs/%E0%A4%A', '/docs/%']) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, url).toBeLessThan(500);
    }
    const res = await app.inject('/docs/%25');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
    expect((await app.inject('/docs/guide/index.md')).statusCode).toBe(200);
  });
});
