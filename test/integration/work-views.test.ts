/** Issue 22, the analysis of one work answered from a kept view (src/services/analysis/work-views.ts): a repeated
 * request is answered without computing again, and every change the view depends on — a form's value in the work, an
 * applied import of the work, a school renamed in the registry — is seen by the next request, whose answer equals the
 * one computed with nothing kept; a change in another work keeps the view. On both engines. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCampaignRow } from '../../src/services/collection/campaigns.ts';
import { appendValues } from '../../src/services/collection/submissions.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import type { Actor } from '../../src/services/errors.ts';
import type { WorkAnalysis } from '../../src/services/analysis/dimensional-work.ts';
import { workViews } from '../../src/services/analysis/work-views.ts';
import { JobWorker } from '../../src/services/imports/jobs.ts';
import { fisokoCampaign, fisokoFile, multipartFiles } from '../support/fisoko-campaigns.ts';
import { BACKENDS, Client, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

const MATH5 = { subject: 'Математика', grade: '5' };
const MATH7 = { subject: 'Математика', grade: '7' };

describe.each(BACKENDS)('kept views of works on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let analyst: Client;
  let actor: Actor;
  let campaignId = '';
  let school = { id: '', name: '' };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    app = (await buildTestApp(database)).app;
    analyst = new Client(app, '10.22.7.1');
    expect((await analyst.login('analyst')).statusCode).toBe(200);
    const u = await database.db.selectFrom('users').select('id').where('login', '=', 'analyst').executeTakeFirstOrThrow();
    actor = { userId: u.id, login: 'analyst', ip: '127.0.0.1' };
    const o = await database.db.selectFrom('organisations').select(['id', 'short_name']).where('fisoko_login', '=', 'sch021208').executeTakeFirstOrThrow();
    school = { id: o.id, name: o.short_name };
    campaignId = await fisokoCampaign(database, analyst, 'ВПР 2025', '2024/2025');
  }, 360_000);
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  const work = async (dims: Record<string, string>): Promise<WorkAnalysis> => {
    const res = await analyst.get(`/api/campaigns/${campaignId}/analysis/work?${new URLSearchParams({ basis: 'all', indicator: 'vpr_success_share', ...dims })}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as WorkAnalysis;
  };
  /** The answer computed with nothing kept. */
  const fresh = async (dims: Record<string, string>): Promise<WorkAnalysis> => {
    workViews(database.db).clear();
    return work(dims);
  };
  const counts = () => ({ hits: workViews(database.db).hits, misses: workViews(database.db).misses });
  const valueOf = (a: WorkAnalysis, name: string) => a.rankings[0]?.ranking.entries.find((e) => e.name === name)?.value;

  it('a repeated request is answered from the kept view, equal to the first; each change is seen by the next request', async () => {
    const first = await fresh(MATH5);
    expect(first.rankings[0]?.ranking.entries.length).toBeGreaterThan(10);
    const before = valueOf(first, school.name);
    expect(typeof before).toBe('number');
    await work(MATH7);

    let c = counts();
    expect(await work(MATH5)).toEqual(first);
    expect(counts()).toEqual({ hits: c.hits + 1, misses: c.misses });

    // A form's value in the work: the next answer is computed again and shows it (shares 2–5 of 20/30/30/20 → 80 %).
    await appendValues(database.db, actor, await findCampaignRow(database.db, campaignId), school.id,
      [20, 30, 30, 20].map((value, i) => ({ input: `vpr_share_${i + 2}`, value, dimensions: MATH5, evidenceUrl: null })), 'form', null);
    c = counts();
    const edited = await work(MATH5);
    expect(counts().misses).toBe(c.misses + 1);
    expect(valueOf(edited, school.name)).toBe(80);
    expect(before).not.toBe(80);
    expect(edited).toEqual(await fresh(MATH5));

    // Another work is not touched by the change: its view is kept.
    await work(MATH7);
    c = counts();
    await work(MATH7);
    expect(counts()).toEqual({ hits: c.hits + 1, misses: c.misses });
    await work(MATH5);
    await appendValues(database.db, actor, await findCampaignRow(database.db, campaignId), school.id,
      [{ input: 'vpr_share_5', value: 25, dimensions: MATH5, evidenceUrl: null }, { input: 'vpr_share_2', value: 15, dimensions: MATH5, evidenceUrl: null }], 'form', null);
    c = counts();
    await work(MATH7);
    expect(counts()).toEqual({ hits: c.hits + 1, misses: c.misses });

    // The school renamed in the registry: the organisations on the basis changed, so the view is computed again.
    await work(MATH5);
    await database.db.updateTable('organisations').set({ short_name: `${school.name} (переименована)` }).where('id', '=', school.id).execute();
    c = counts();
    const renamed = await work(MATH5);
    expect(counts().misses).toBe(c.misses + 1);
    expect(valueOf(renamed, `${school.name} (переименована)`)).toBe(85);
    expect(valueOf(renamed, school.name)).toBeUndefined();
    expect(renamed).toEqual(await fresh(MATH5));
    await database.db.updateTable('organisations').set({ short_name: school.name }).where('id', '=', school.id).execute();
  });

  it('an applied import of the work is seen by the next request (its rows count once applied)', async () => {
    const kept = await work(MATH5);
    expect(valueOf(kept, school.name)).toBe(85);
    // The export of the work again: its shares replace the form's for every school of the file.
    const m = multipartFiles([{ name: 'статистика-математика-5.xlsx', content: fisokoFile('статистика-математика-5.xlsx') }]);
    const up = await analyst.request('POST', `/api/campaigns/${campaignId}/imports/fisoko`, m.body, { headers: { 'content-type': m.contentType } });
    expect(up.statusCode, up.body).toBe(201);
    // Uploaded, not applied: nothing of it counts, the view is kept.
    let c = counts();
    expect(await work(MATH5)).toEqual(kept);
    expect(counts()).toEqual({ hits: c.hits + 1, misses: c.misses });
    expect((await analyst.post(`/api/imports/${up.json().id}/fisoko/apply`, {})).statusCode).toBe(202);
    expect(await new JobWorker({ db: database.db, kind: database.kind }).runOnce()).toBe(true);
    c = counts();
    const applied = await work(MATH5);
    expect(counts().misses).toBe(c.misses + 1);
    expect(valueOf(applied, school.name)).not.toBe(85);
    expect(applied).toEqual(await fresh(MATH5));
  });
});
