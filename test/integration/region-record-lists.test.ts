/** The region's statistics count record lists as the campaign does (issue 21 in the region, src/services/region/
 * region-record-lists.ts), on both engines: a talents-2021 campaign of the demo municipality whose forms have students
 * and a typed «1 программа» everywhere gets the synthetic Навигатор list; published, the region's ranking by
 * programmes per 100 pupils equals the ratio counted in this test from the file's «Опубликована» rows and the seed's
 * pupils, and the region's mean index and level counts equal the campaign's own results. A second list (one school's
 * programmes withdrawn) moves the statistics' stamp, and the next read of the region shows the new figures. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeCampaignResults } from '../../src/services/analysis/campaign-results.ts';
import { changeCampaignStatus } from '../../src/services/collection/campaigns.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { seedDemoRegion } from '../../src/services/demo/demo-region.ts';
import type { Actor } from '../../src/services/errors.ts';
import { uploadImport } from '../../src/services/imports/imports.ts';
import { applyRecordList } from '../../src/services/imports/record-lists.ts';
import { ensureCampaignStats, regionDistribution, regionRanking, type RegionRef } from '../../src/services/region/region.ts';
import { csvRows, seedCampaign } from './campaign-fixture.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from './helpers.ts';

const SAMPLE = (name: string) => fileURLToPath(new URL(`../../library/synthetic/navigator-2021/${name}`, import.meta.url));
/** Synthetic ИНН of the seed-004 organisations (organisations-without-programmes.csv: no, name, inn, …). */
const innByName = new Map(readFileSync(SAMPLE('organisations-without-programmes.csv'), 'utf8').trim().split(/\r?\n/).slice(1).map((l) => l.split(',')).map((c) => [c[1] as string, c[2] as string]));
const navigatorText = iconv.decode(readFileSync(SAMPLE('navigator.csv')), 'win1251');
const PERIOD = '2029';
const RATIO = 'aggregate:diversity_ratio_of_sums';

/** Published programmes per ИНН, counted from the CSV text (header row found by its «ИНН организации» cell). */
function publishedByInn(text: string): Map<string, number> {
  const lines = text.split(/\r?\n/).map((l) => l.split(';'));
  const h = lines.findIndex((c) => c.includes('ИНН организации'));
  const inn = lines[h]!.indexOf('ИНН организации');
  const status = lines[h]!.indexOf('Статус программы');
  const out = new Map<string, number>();
  for (const c of lines.slice(h + 1)) if (c[status] === 'Опубликована') out.set(c[inn]!, (out.get(c[inn]!) ?? 0) + 1);
  return out;
}

/** Programmes per 100 pupils over the 51 organisations, one decimal, half up. */
function expectedRatio(text: string): number {
  const byInn = publishedByInn(text);
  let programmes = 0;
  let students = 0;
  for (const r of csvRows('organisations.csv')) {
    programmes += byInn.get(innByName.get(r.name ?? '') ?? '') ?? 0;
    students += Number(r.students);
  }
  return Math.round((programmes / students) * 1000) / 10;
}

describe.each(BACKENDS)('the region counts record lists as the campaign does, on %s', (kind) => {
  let database: TestDatabase;
  let actor: Actor;
  let region: RegionRef;
  let municipalityId: string;
  let campaignId: string;

  const applyList = async (fileName: string, text: string) => {
    const imp = await uploadImport(database.db, actor, campaignId, { fileName, buffer: iconv.encode(text, 'win1251') });
    return applyRecordList(database.db, actor, imp.id, {}, { kind: database.kind });
  };
  const setStatus = (status: 'open' | 'published') => sql`update campaigns set status = ${status} where id = ${campaignId}`.execute(database.db);
  const ratioInRegion = async () => (await regionRanking(database.db, region, { methodologyId: 'talents-2021', period: PERIOD, metric: RATIO })).rows.find((r) => r.municipalityId === municipalityId);

  /** The region's figures of the demo municipality against the campaign's own results, computed apart. */
  async function expectSameAsCampaign(): Promise<void> {
    const own = await computeCampaignResults(database.db, campaignId, { basis: 'all', countedRecords: false });
    const table = own.computed.find((t) => t.dataset.id === 'organisations')!;
    const ratio = table.aggregates.find((a) => a.id === 'diversity_ratio_of_sums');
    expect((await ratioInRegion())?.value).toBe(ratio?.value);
    const indices = table.results.filter((r) => r.indicator === 'diversity_index' && r.value !== null);
    expect(indices).toHaveLength(51);
    const mean = (await regionRanking(database.db, region, { methodologyId: 'talents-2021', period: PERIOD, metric: 'mean:diversity_index' })).rows.find((r) => r.municipalityId === municipalityId);
    expect(mean?.organisations).toBe(51);
    expect(mean?.value).toBeCloseTo(indices.reduce((s, r) => s + (r.value as number), 0) / indices.length, 9);
    const dist = (await regionDistribution(database.db, region, { methodologyId: 'talents-2021', period: PERIOD, indicator: 'diversity_index' })).rows.find((r) => r.municipalityId === municipalityId);
    const levels: Record<string, number> = {};
    for (const r of indices) levels[r.details.levelCode!] = (levels[r.details.levelCode!] ?? 0) + 1;
    expect(Object.fromEntries(Object.entries(dist!.counts).filter(([, n]) => n > 0))).toEqual(levels);
  }

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const db = database.db;
    await seedDemo(db);
    const u = await db.selectFrom('users').select('id').where('login', '=', 'analyst').executeTakeFirstOrThrow();
    actor = { userId: u.id, login: 'analyst', ip: '127.0.0.1' };
    // The demo municipality: that of the seed's first organisation.
    municipalityId = (await db.selectFrom('organisations').select('municipality_id').where('short_name', '=', csvRows('organisations.csv')[0]!.name!).executeTakeFirstOrThrow()).municipality_id;
    // The demo's region: the demo municipality and a small synthetic one (as `npm start` seeds it).
    const { regionId } = await seedDemoRegion(db, municipalityId, 'demo2022');
    region = (await db.selectFrom('regions').select(['id', 'name', 'synthetic']).where('id', '=', regionId).executeTakeFirstOrThrow()) as RegionRef;
    for (const o of await db.selectFrom('organisations').select(['id', 'short_name']).where('municipality_id', '=', municipalityId).execute()) {
      const inn = innByName.get(o.short_name);
      if (inn) await db.updateTable('organisations').set({ inn }).where('id', '=', o.id).execute();
    }
    // Pupils from seed 004 and a typed «1» programme everywhere: the list, once applied, replaces the typed count.
    campaignId = await seedCampaign(db, actor, { title: 'Навигатор в регионе', period: PERIOD, scale: (r) => ({ students: Number(r.students), programmes: 1 }) });
    await applyList('navigator.csv', navigatorText);
    await changeCampaignStatus(db, actor, campaignId, 'close');
    await changeCampaignStatus(db, actor, campaignId, 'publish');
  }, 240_000);
  afterAll(async () => {
    await database?.dispose();
  });

  it('gives the region the programmes counted from the list, as on the campaign\'s own page', async () => {
    const expected = expectedRatio(navigatorText);
    // The typed «1» everywhere would give 51 programmes: a different figure.
    const students = csvRows('organisations.csv').reduce((s, r) => s + Number(r.students), 0);
    expect(expected).not.toBe(Math.round((51 / students) * 1000) / 10);
    expect((await ratioInRegion())?.value).toBe(expected);
    await expectSameAsCampaign();
    const stamp = await database.db.selectFrom('campaign_stats_stamps').select('content_hash').where('campaign_id', '=', campaignId).executeTakeFirstOrThrow();
    const list = await database.db.selectFrom('campaign_record_lists').select('id').where('campaign_id', '=', campaignId).executeTakeFirstOrThrow();
    expect(stamp.content_hash).toContain(`lists:navigator=${list.id}`);
  }, 120_000);

  it('a second list moves the stamp: the next read of the region shows the new figures', async () => {
    const before = (await ratioInRegion())?.value;
    // The first school's programmes withdrawn from publication.
    const inn = innByName.get(csvRows('organisations.csv')[0]!.name!)!;
    const withdrawn = navigatorText.split(/\r?\n/).map((l) => (l.split(';')[4] === inn ? l.replace(';Опубликована;', ';Снята с публикации;') : l)).join('\r\n');
    expect(publishedByInn(withdrawn).get(inn) ?? 0).toBe(0);
    expect(publishedByInn(navigatorText).get(inn)).toBeGreaterThan(0);
    const expected = expectedRatio(withdrawn);
    expect(expected).toBeLessThan(before!);
    // A published campaign refuses a new list (record-lists.ts): the test opens it behind the services' back, as an
    // apply job queued before publishing would land after it, and publishes it again.
    await setStatus('open');
    const applied = await applyList('navigator-2.csv', withdrawn);
    await setStatus('published');
    expect((await ratioInRegion())?.value).toBe(expected);
    await expectSameAsCampaign();
    const stamp = await database.db.selectFrom('campaign_stats_stamps').select('content_hash').where('campaign_id', '=', campaignId).executeTakeFirstOrThrow();
    expect(stamp.content_hash).toContain(`lists:navigator=${applied.listId}`);
    // A campaign without a list keeps the methodology hash alone as its stamp.
    const published = (await database.db.selectFrom('campaigns').select('id').where('status', '=', 'published').where('id', '<>', campaignId).execute()).map((r) => r.id);
    expect(await ensureCampaignStats(database.db, published)).toBe(published.length);
    expect(await ensureCampaignStats(database.db, [...published, campaignId])).toBe(0); // all fresh now
    const others = await database.db.selectFrom('campaign_stats_stamps').select('content_hash').where('campaign_id', 'in', published).execute();
    expect(others).toHaveLength(published.length);
    for (const o of others) expect(o.content_hash).toMatch(/^[^ ]+$/);
  }, 120_000);
});
