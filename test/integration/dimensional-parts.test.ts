/** Issue 22, the recompute of a campaign work by work (dimensional-by-work.ts, campaign-dimensional.ts), on the real
 * database (both engines): the synthetic fisoko-2025 exports imported into a ВПР campaign; its results computed with
 * the parts of earlier computations kept (`keptParts`) must equal, byte for byte, the results computed with nothing
 * kept — after nothing changed (every part used again), after a school's value changed in one work (that work
 * evaluated again, no other), and after a row that takes the largest table over the limit of texts (every part, kept
 * with all its texts, evaluated again); and a computation with nothing kept lets other work run between its works. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { MethodologySchema } from '../../src/core/methodology/schema.ts';
import { computeCampaignResults, type ResultsOptions } from '../../src/services/analysis/campaign-results.ts';
import { currentDimensionalRows, dimensionalDatasets, dimensionalRows } from '../../src/services/analysis/campaign-dimensional.ts';
import { workKey } from '../../src/services/analysis/dimensional-by-work.ts';
import { keptOutcomes, keptParts, workRowStamps } from '../../src/services/analysis/kept-outcomes.ts';
import { changeCampaignStatus, createCampaign, findCampaignRow } from '../../src/services/collection/campaigns.ts';
import { appendValues } from '../../src/services/collection/submissions.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import type { Actor } from '../../src/services/errors.ts';
import { turnCounter } from '../support/event-loop.ts';
import { importFisoko } from '../support/fisoko-campaigns.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from './helpers.ts';

describe.each(BACKENDS)('per-dimension recompute from kept work parts on %s', (kind) => {
  let database: TestDatabase;
  let actor: Actor;
  let campaignId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    const u = await database.db.selectFrom('users').select('id').where('login', '=', 'analyst').executeTakeFirstOrThrow();
    actor = { userId: u.id, login: 'analyst', ip: '127.0.0.1' };
    const c = await createCampaign(database.db, actor, {
      title: 'ВПР 2025', methodologyId: 'direction-preparation', methodologyVersion: '2021.2', period: '2024/2025', participants: { mode: 'types', types: ['school'] },
      opensOn: '2025-05-01', dueOn: '2025-06-30', closesOn: '2030-06-30',
    });
    campaignId = c.id;
    await changeCampaignStatus(database.db, actor, campaignId, 'open');
    await importFisoko(database, actor, campaignId);
  }, 180_000);
  afterAll(async () => {
    await database?.dispose();
  });

  const results = async (opts: ResultsOptions = {}) => JSON.stringify(await computeCampaignResults(database.db, campaignId, { basis: 'all', ...opts }));
  const nothingKept = async (opts: ResultsOptions = {}) => {
    keptParts(database.db).clear();
    keptOutcomes(database.db).clear();
    return results(opts);
  };
  const counts = () => ({ hits: keptParts(database.db).hits, misses: keptParts(database.db).misses });
  const form = async (login: string, entries: { input: string; value: number; dimensions: Record<string, string> }[]) => {
    const school = await database.db.selectFrom('organisations').select('id').where('fisoko_login', '=', login).executeTakeFirstOrThrow();
    await appendValues(database.db, actor, await findCampaignRow(database.db, campaignId), school.id, entries.map((e) => ({ ...e, evidenceUrl: null })), 'form', null);
  };

  it('unchanged works come from their kept parts; a value changed in one work evaluates that work only', async () => {
    const first = await nothingKept();
    const works = (await workRowStamps(database.db, campaignId)).length;
    expect(works).toBeGreaterThan(4); // Математика 5 and 7, Русский язык 5 and 7, the ГИА subjects
    let n = counts();
    expect(await results()).toBe(first);
    expect(counts()).toEqual({ hits: n.hits + works, misses: n.misses });

    // №14's shares in Математика, 5 класс: all «2».
    await form('sch021208', [100, 0, 0, 0].map((value, i) => ({ input: `vpr_share_${i + 2}`, value, dimensions: { subject: 'Математика', grade: '5' } })));
    n = counts();
    const changed = await results();
    expect(counts()).toEqual({ hits: n.hits + works - 1, misses: n.misses + 1 });
    expect(changed).not.toBe(first);
    const parsed = JSON.parse(changed) as { computed: { results: { organisation: string; dimensions?: Record<string, unknown>; indicator: string; value: number | null }[] }[] };
    const success = parsed.computed.flatMap((t) => t.results).filter((r) => r.indicator === 'vpr_success_share' && r.dimensions?.subject === 'Математика' && r.dimensions.grade === 5);
    expect(success.filter((r) => r.value === 0)).toHaveLength(1);
    expect(await nothingKept()).toBe(changed);
  });

  it('a computation with nothing kept lets the event loop run between its works (other requests are not held for all of it)', async () => {
    keptParts(database.db).clear();
    keptOutcomes(database.db).clear();
    const works = (await workRowStamps(database.db, campaignId)).length;
    const turns = turnCounter();
    const computed = await results();
    // A turn after each work's read, survey and evaluation at least (the reads are awaits of their own).
    expect(turns.stop()).toBeGreaterThanOrEqual(3 * works);
    expect(await nothingKept()).toBe(computed);
  });

  it('a row that takes the largest table over the limit of texts: the kept parts, evaluated with every text, are evaluated again', async () => {
    const m = MethodologySchema.parse(parse(readFileSync(new URL('../../library/directions/preparation-2021.2.yaml', import.meta.url), 'utf8')));
    const orgs = await database.db.selectFrom('organisations').select(['id', 'short_name as name']).where('type', '=', 'school').orderBy('no').execute();
    const rowsOf = await currentDimensionalRows(database.db, campaignId);
    // The largest table (rows), a row of it to copy, and a work nobody has a row in (История, 8 класс).
    const tables = dimensionalDatasets(m).map(([id, ds]) => ({ id, ds, rows: dimensionalRows(m, id, ds, orgs, rowsOf).rows }));
    const largest = tables.reduce((a, b) => (b.rows.length > a.rows.length ? b : a));
    const sample = largest.rows[0];
    const school = orgs[0];
    if (!sample || !school) throw new Error('no rows');
    const dimensions = { subject: 'История', grade: '8' };
    expect([...rowsOf.values()].flat().filter((r) => workKey(m, r.dimensions) === workKey(m, dimensions))).toEqual([]);
    // Texts for every row up to the largest table's rows; one more row and only the compact view's rows have them.
    const opts: ResultsOptions = { dimensionalTextsAbove: largest.rows.length };
    type Parsed = { computed: { results: { explanation: string }[] }[] };
    const texted = (json: string) => (JSON.parse(json) as Parsed).computed.flatMap((t) => t.results).filter((r) => r.explanation !== '').length;
    const before = await nothingKept(opts);
    const all = (JSON.parse(before) as Parsed).computed.flatMap((t) => t.results).length;
    expect(texted(before)).toBe(all);
    const required = Object.keys(largest.ds.columns).filter((input) => m.inputs[input]?.required !== false && m.inputs[input]?.type !== 'score');
    const entries = required.map((input) => ({ input, value: sample.values[input]?.value as number, dimensions }));
    await appendValues(database.db, actor, await findCampaignRow(database.db, campaignId), school.id, entries.map((e) => ({ ...e, evidenceUrl: null })), 'form', null);
    const after = await results(opts);
    // Not vacuous: over the limit, most rows have no texts now — the kept parts were not used as they were.
    expect(texted(after)).toBeLessThan(all / 2);
    expect(await nothingKept(opts)).toBe(after);
  });
});
