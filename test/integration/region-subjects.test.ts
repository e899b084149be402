/** The region's view per subject × grade (issue 22, src/services/region/region-dimensional.ts): a published
 * direction-preparation 2021.2 campaign over schools of two municipalities of a synthetic region, with ВПР values per
 * school × subject × grade; per municipality × subject × grade the success share by the methodology's aggregate
 * (Σ passed / Σ participants × 100), the mean quality share over the schools and the number of schools with the sign of
 * non-objectivity — every expected figure computed here from the numbers written, not by msoko. A changed value shows
 * at once (the statistics' stamp). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { SYSTEM_ACTOR } from '../../src/services/errors.ts';
import { generateRegion } from '../../src/services/region/region-generate.ts';
import { regionSubjectFigures, type RegionRef } from '../../src/services/region/region.ts';
import { BACKENDS, Client, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

const PERIOD = '2040/2041';
const SUCCESS = 'aggregate:vpr_success_by_subject';
const QUALITY = 'mean:vpr_quality_share';
const SIGNS = 'signs:vpr_objectivity_sign';
const REGION_SHARES = [10, 35, 40, 15];

/** One school's work: participants, shares «2»…«5», and «повысили» (null: no journal comparison in the file). */
interface Work { school: number; subject: string; grade: string; p: number; shares: number[]; raised: number | null }

describe.each(BACKENDS)('region per subject × grade on %s', (kind) => {
  let database: TestDatabase;
  let region: RegionRef;
  let campaignId: string;
  const schools: { id: string; municipality: string; name: string }[] = [];
  const munNames = new Map<string, string>();

  // Municipality A: schools 0, 1; municipality B: schools 2, 3.
  const WORKS: Work[] = [
    { school: 0, subject: 'Математика', grade: '5', p: 20, shares: [10, 30, 40, 20], raised: 10 },
    { school: 1, subject: 'Математика', grade: '5', p: 40, shares: [0, 20, 30, 50], raised: 30 }, // 50 − 15 ≥ 15 and 30 ≥ 15: a sign
    { school: 0, subject: 'Русский язык', grade: '5', p: 20, shares: [20, 40, 30, 10], raised: 5 },
    { school: 2, subject: 'Математика', grade: '5', p: 10, shares: [20, 40, 30, 10], raised: 20 },
    { school: 3, subject: 'Математика', grade: '5', p: 30, shares: [0, 10, 50, 40], raised: 20 }, // 40 − 15 = 25 and 20: a sign
    { school: 2, subject: 'Математика', grade: '7', p: 20, shares: [5, 45, 35, 15], raised: null }, // no journal, but 15 − 15 < 15: «нет»
    { school: 3, subject: 'Математика', grade: '7', p: 20, shares: [0, 20, 30, 50], raised: null }, // no journal and 50 − 15 ≥ 15: no value
  ];

  async function write(works: readonly Work[]): Promise<void> {
    const rows = works.flatMap((w) => {
      const values: [string, number][] = [
        ['vpr_participants', w.p], ...w.shares.map((s, i): [string, number] => [`vpr_share_${i + 2}`, s]),
        ...REGION_SHARES.map((s, i): [string, number] => [`region_vpr_share_${i + 2}`, s]),
        ...(w.raised === null ? [] : ([['journal_participants', w.p], ['journal_lowered', 10], ['journal_confirmed', 90 - w.raised], ['journal_raised', w.raised]] as [string, number][])),
      ];
      return values.map(([input, v]) => ({ campaign_id: campaignId, organisation_id: schools[w.school]!.id, input, value: JSON.stringify(v), dimensions: { subject: w.subject, grade: w.grade }, source: 'import' as const }));
    });
    await database.db.insertInto('value_history').values(rows).execute();
  }

  /** Σ participants × success share / 100 over Σ participants, × 100, rounded to one digit (the aggregate's rule). */
  const success = (ws: readonly Work[]) => Math.round((ws.reduce((s, w) => s + (w.p * (w.shares[1]! + w.shares[2]! + w.shares[3]!)) / 100, 0) / ws.reduce((s, w) => s + w.p, 0)) * 1000) / 10;
  const quality = (ws: readonly Work[]) => ws.reduce((s, w) => s + w.shares[2]! + w.shares[3]!, 0) / ws.length;
  const signs = (ws: readonly Work[]) => ws.filter((w) => w.raised !== null && w.shares[3]! - REGION_SHARES[3]! >= 15 && w.raised >= 15).length;
  /** Schools where the sign has a value: with the journal, or without it when the share of «5» alone rules it out
   * (the formula's «and» is false whatever «повысили» is). */
  const rated = (ws: readonly Work[]) => ws.filter((w) => w.raised !== null || w.shares[3]! - REGION_SHARES[3]! < 15).length;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const db = database.db;
    await seedDemo(db);
    await generateRegion(db, SYSTEM_ACTOR, { municipalities: 2, organisations: 8, years: 1, seed: 22 });
    region = (await db.selectFrom('regions').select(['id', 'name', 'synthetic']).where('synthetic', '=', true).executeTakeFirstOrThrow()) as RegionRef;
    const muns = await db.selectFrom('municipalities').select(['id', 'name']).where('region_id', '=', region.id).orderBy('name').limit(2).execute();
    for (const mu of muns) {
      munNames.set(mu.id, mu.name);
      const two = await db.selectFrom('organisations').select(['id', 'short_name']).where('municipality_id', '=', mu.id).where('type', '=', 'school').orderBy('no').limit(2).execute();
      expect(two).toHaveLength(2);
      for (const o of two) schools.push({ id: o.id, municipality: mu.id, name: o.short_name });
    }
    const c = await db.insertInto('campaigns').values({
      title: 'ВПР по региону', methodology_id: 'direction-preparation', methodology_version: '2021.2', period_code: PERIOD, period_start: '2040-09-01',
      selection: JSON.stringify({ mode: 'list', organisationIds: schools.map((s) => s.id) }), opens_on: '2041-04-01', due_on: '2041-05-01', closes_on: '2041-06-01', status: 'published',
    }).returning('id').executeTakeFirstOrThrow();
    campaignId = c.id;
    await db.insertInto('campaign_organisations').values(schools.map((s) => ({ campaign_id: campaignId, organisation_id: s.id }))).execute();
    await write(WORKS);
  }, 240_000);
  afterAll(async () => {
    await database?.dispose();
  });

  it('over HTTP: the regional analyst gets the figures and sees the methodology marked per subject; a municipal analyst gets 403', async () => {
    const { app } = await buildTestApp(database);
    try {
      const regional = new Client(app, '10.22.9.1');
      expect((await regional.login('region')).statusCode).toBe(200);
      const overview = await regional.get('/api/region');
      expect(overview.statusCode, overview.body).toBe(200);
      expect(overview.json().methodologies.find((x: { id: string }) => x.id === 'direction-preparation')?.dimensional).toBe(true);
      const res = await regional.get(`/api/region/subjects?methodologyId=direction-preparation&period=${encodeURIComponent(PERIOD)}`);
      expect(res.statusCode, res.body).toBe(200);
      const a = [...munNames.values()][0];
      const row = res.json().rows.find((x: { municipality: string; dimensions: Record<string, string> }) => x.municipality === a && x.dimensions.subject === 'Русский язык');
      // A, Русский язык 5: one school, 20 · (40 + 30 + 10) % / 20 = 80 %, quality 30 + 10 = 40, no sign
      expect([row?.figures[SUCCESS]?.value, row?.figures[QUALITY]?.value, row?.figures[SIGNS]?.value]).toEqual([80, 40, 0]);
      const analyst = new Client(app, '10.22.9.2');
      expect((await analyst.login('analyst')).statusCode).toBe(200);
      expect((await analyst.get(`/api/region/subjects?methodologyId=direction-preparation&period=${encodeURIComponent(PERIOD)}`)).statusCode).toBe(403);
    } finally {
      await app.close();
    }
  });

  it('each municipality × subject × grade: success by Σ passed / Σ participants, mean quality, schools with the sign', async () => {
    const r = await regionSubjectFigures(database.db, region, { methodologyId: 'direction-preparation', period: PERIOD });
    expect(r.dimensions.map((d) => [d.id, d.values.map((v) => v.label)])).toEqual([['subject', ['Русский язык', 'Математика']], ['grade', ['5 класс', '7 класс']]]);
    expect(r.measures.map((x) => x.metric)).toEqual(expect.arrayContaining([SUCCESS, QUALITY, SIGNS]));
    // vpr_success_all computes the same as vpr_success_by_subject within one work: listed once
    expect(r.measures.filter((x) => x.metric.startsWith('aggregate:'))).toHaveLength(1);

    const expected = new Map<string, { success: number; quality: number; signs: number; schools: number; rated: number }>();
    for (const w of WORKS) {
      const mu = schools[w.school]!.municipality;
      const key = `${munNames.get(mu)}|${w.subject}|${w.grade}`;
      if (expected.has(key)) continue;
      const ws = WORKS.filter((x) => schools[x.school]!.municipality === mu && x.subject === w.subject && x.grade === w.grade);
      expected.set(key, { success: success(ws), quality: quality(ws), signs: signs(ws), schools: ws.length, rated: rated(ws) });
    }
    const got = new Map(r.rows.map((row) => [`${row.municipality}|${row.dimensions.subject}|${row.dimensions.grade}`, row]));
    expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [key, e] of expected) {
      const row = got.get(key)!;
      expect([row.figures[SUCCESS]?.value, row.figures[SUCCESS]?.count], key).toEqual([e.success, e.schools]);
      expect(row.figures[QUALITY]?.value, key).toBeCloseTo(e.quality, 9);
      expect([row.figures[SIGNS]?.value, row.figures[SIGNS]?.count], key).toEqual([e.signs, e.rated]);
    }
    // By hand: A, Математика 5: (20·90 % + 40·100 %) / 60 = 96,7 %, quality (60 + 80) / 2 = 70, one sign of two.
    const a = [...munNames.values()][0];
    expect(got.get(`${a}|Математика|5`)?.figures[SUCCESS]?.value).toBe(96.7);
    expect(got.get(`${a}|Математика|5`)?.figures[QUALITY]?.value).toBe(70);
    expect(got.get(`${a}|Математика|5`)?.figures[SIGNS]).toEqual({ value: 1, count: 2 });
    // Rows in the methodology's order of subjects, then grades.
    expect(r.rows.map((x) => `${x.dimensions.subject} ${x.dimensions.grade}`)).toEqual(['Русский язык 5', 'Математика 5', 'Математика 5', 'Математика 7']);
    // B, Математика 7: the sign is «нет» at school 2 and has no value at school 3 (no journal)
    const b = [...munNames.values()][1];
    expect(got.get(`${b}|Математика|7`)?.figures[SIGNS]).toEqual({ value: 0, count: 1 });
  });

  it('a changed value shows at once: the statistics are recomputed when a newer value is there', async () => {
    // School 2 (B, Математика 5) now raised 20 % of its pupils' marks with 45 % of «5»: B has two signs.
    await write([{ school: 2, subject: 'Математика', grade: '5', p: 10, shares: [0, 25, 30, 45], raised: 20 }]);
    const r = await regionSubjectFigures(database.db, region, { methodologyId: 'direction-preparation', period: PERIOD });
    const b = [...munNames.values()][1];
    const row = r.rows.find((x) => x.municipality === b && x.dimensions.subject === 'Математика' && x.dimensions.grade === '5')!;
    expect(row.figures[SIGNS]).toEqual({ value: 2, count: 2 });
    // (10·100 % + 30·100 %) / 40 = 100 %
    expect(row.figures[SUCCESS]?.value).toBe(100);
  });

  it('a per-dimension import row (value_rows, migration 0020) moves the stamp too: the statistics are recomputed from it', async () => {
    // School 3 (B, Математика 5), as a ФИС ОКО import writes it: one row per school × work with the inputs it changed.
    const before = await regionSubjectFigures(database.db, region, { methodologyId: 'direction-preparation', period: PERIOD });
    const b = [...munNames.values()][1];
    const at = (r: typeof before) => r.rows.find((x) => x.municipality === b && x.dimensions.subject === 'Математика' && x.dimensions.grade === '5')!;
    expect(at(before).figures[SIGNS]).toEqual({ value: 2, count: 2 });
    await database.db.insertInto('value_rows').values({
      campaign_id: campaignId, organisation_id: schools[3]!.id, dimensions: JSON.stringify({ subject: 'Математика', grade: '5' }),
      values: JSON.stringify({ vpr_share_2: 50, vpr_share_3: 30, vpr_share_4: 15, vpr_share_5: 5 }), source: 'import',
    } as never).execute();
    const after = at(await regionSubjectFigures(database.db, region, { methodologyId: 'direction-preparation', period: PERIOD }));
    // School 3 has 5 % of «5» now (5 − 15 < 15): no sign; success (10·100 % + 30·50 %) / 40 = 62,5 %
    expect(after.figures[SIGNS]).toEqual({ value: 1, count: 2 });
    expect(after.figures[SUCCESS]?.value).toBe(62.5);
  });
});
