/** Issue 21, scale: the pages, documents and comparisons of a campaign ask for its results without the records behind
 * each counted input (`computeCampaignResults(…, { countedRecords: false })`: the labels of the records are then not
 * read). On both engines: those results are the default results with `details.counted[…].records` left out — every
 * figure, explanation, file, list summary, aggregate and warning the same, byte for byte — and the analysis page's
 * model (campaignModel) is computed from them. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignModel } from '../../src/services/analysis/campaign-analysis.ts';
import { computeCampaignResults, type CampaignResults } from '../../src/services/analysis/campaign-results.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import type { Actor } from '../../src/services/errors.ts';
import { uploadImport } from '../../src/services/imports/imports.ts';
import { applyRecordList } from '../../src/services/imports/record-lists.ts';
import { seedCampaign } from './campaign-fixture.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from './helpers.ts';

const SAMPLE = (name: string) => fileURLToPath(new URL(`../../library/synthetic/navigator-2021/${name}`, import.meta.url));
const innByName = new Map(readFileSync(SAMPLE('organisations-without-programmes.csv'), 'utf8').trim().split(/\r?\n/).slice(1).map((l) => l.split(',')).map((c) => [c[1] as string, c[2] as string]));

/** The results as JSON with the records of every counted input taken out (everything else in its place and order). */
function withoutRecords(r: CampaignResults): string {
  return JSON.stringify(r, (key, value: unknown) => (key === 'counted' && value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([input, d]) => [input, Object.fromEntries(Object.entries(d as object).filter(([k]) => k !== 'records'))])) : value));
}

describe.each(BACKENDS)('campaign results without the counted records on %s', (kind) => {
  let database: TestDatabase;
  let actor: Actor;
  let campaignId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    const u = await database.db.selectFrom('users').select('id').where('login', '=', 'analyst').executeTakeFirstOrThrow();
    actor = { userId: u.id, login: 'analyst', ip: '127.0.0.1' };
    for (const o of await database.db.selectFrom('organisations').select(['id', 'short_name']).execute()) {
      const inn = innByName.get(o.short_name);
      if (inn) await database.db.updateTable('organisations').set({ inn }).where('id', '=', o.id).execute();
    }
    campaignId = await seedCampaign(database.db, actor, { title: 'Навигатор: показатели без записей', scale: (r) => ({ students: Number(r.students) }) });
    const imp = await uploadImport(database.db, actor, campaignId, { fileName: 'navigator.csv', buffer: readFileSync(SAMPLE('navigator.csv')) });
    await applyRecordList(database.db, actor, imp.id, {}, { kind: database.kind });
  }, 180_000);
  afterAll(async () => {
    await database?.dispose();
  });

  it('gives the same figures and explanations as the results with the records, without the records', async () => {
    const full = await computeCampaignResults(database.db, campaignId, { basis: 'all' });
    const figures = await computeCampaignResults(database.db, campaignId, { basis: 'all', countedRecords: false });

    const t = full.computed.find((c) => c.dataset.id === 'organisations');
    const f = figures.computed.find((c) => c.dataset.id === 'organisations');
    if (!t || !f) throw new Error('organisations not computed');
    // The default results carry the records: ОО with programmes list exactly the counted lines.
    const counted = t.results.flatMap((x) => Object.values(x.details.counted ?? {}));
    expect(counted.length).toBeGreaterThan(0);
    const programmes = t.results.find((x) => (x.details.counted?.programmes?.value ?? 0) > 0)?.details.counted?.programmes;
    expect(programmes?.records).toHaveLength(programmes?.value ?? -1);
    // Without them: the same counted inputs (value, explanation, file), nothing else.
    const countedWithout = f.results.flatMap((x) => Object.values(x.details.counted ?? {}));
    expect(countedWithout).toHaveLength(counted.length);
    for (const d of countedWithout) expect(Object.keys(d)).toEqual(['value', 'explanation', 'file']);
    expect(countedWithout).toEqual(counted.map(({ value, explanation, file }) => ({ value, explanation, file })));
    expect(f.records).toEqual(t.records);
    expect(f.records?.[0]).toMatchObject({ file: 'navigator.csv', rows: 666, counted: 588, organisations: 51 });

    // Everything else, byte for byte: every table's figures, explanations, totals, aggregates, warnings.
    expect(withoutRecords(figures)).toBe(withoutRecords(full));
    expect(withoutRecords(figures)).not.toBe(JSON.stringify(full));

    // The analysis page's model is computed from the results without the records, and shows the same figures.
    const cm = await campaignModel(database.db, campaignId, { basis: 'all' });
    expect(withoutRecords(cm.results)).toBe(withoutRecords(full));
    expect(JSON.stringify(cm.results)).toBe(JSON.stringify(figures));
  }, 180_000);
});
