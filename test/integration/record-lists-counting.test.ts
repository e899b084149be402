/** Issue 21, scale: the recompute of a campaign reads its record lists grouped in one JSON text
 * (`loadRecordsForCounting`) and counts them without combine.ts's per-record maps (`computeTableWithMatchedRecords`).
 * On both engines: the records read are exactly those `loadRecords` reads, and the campaign's organisation table
 * (every figure, explanation, counted input with its records, file summary) equals the one `computeTableWithRecords`
 * gives from them. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeTableWithRecords, compileMethodology, fieldsUsed, lintMethodology, type MatchedRecordList } from '../../src/core/methodology/index.ts';
import { computeCampaignResults } from '../../src/services/analysis/campaign-results.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import type { Actor } from '../../src/services/errors.ts';
import { uploadImport } from '../../src/services/imports/imports.ts';
import { applyRecordList, loadRecords, loadRecordsForCounting, recordListsInForce, storedRecords } from '../../src/services/imports/record-lists.ts';
import { seedCampaign } from './campaign-fixture.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from './helpers.ts';

const SAMPLE = (name: string) => fileURLToPath(new URL(`../../library/synthetic/navigator-2021/${name}`, import.meta.url));
const innByName = new Map(readFileSync(SAMPLE('organisations-without-programmes.csv'), 'utf8').trim().split(/\r?\n/).slice(1).map((l) => l.split(',')).map((c) => [c[1] as string, c[2] as string]));

describe.each(BACKENDS)('record lists counted for a recompute on %s', (kind) => {
  let database: TestDatabase;
  let actor: Actor;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    const u = await database.db.selectFrom('users').select('id').where('login', '=', 'analyst').executeTakeFirstOrThrow();
    actor = { userId: u.id, login: 'analyst', ip: '127.0.0.1' };
    for (const o of await database.db.selectFrom('organisations').select(['id', 'short_name']).execute()) {
      const inn = innByName.get(o.short_name);
      if (inn) await database.db.updateTable('organisations').set({ inn }).where('id', '=', o.id).execute();
    }
  }, 180_000);
  afterAll(async () => {
    await database?.dispose();
  });

  it('the grouped read gives the records loadRecords gives; the results equal computeTableWithRecords on them', async () => {
    const campaignId = await seedCampaign(database.db, actor, { title: 'Навигатор: подсчёт', scale: (r) => ({ students: Number(r.students) }) });
    const imp = await uploadImport(database.db, actor, campaignId, { fileName: 'navigator.csv', buffer: readFileSync(SAMPLE('navigator.csv')) });
    await applyRecordList(database.db, actor, imp.id, {}, { kind: database.kind });

    const r = await computeCampaignResults(database.db, campaignId, { basis: 'all' });
    const ds = r.methodology.record_datasets?.navigator;
    if (!ds) throw new Error('no navigator dataset');
    const [eager] = (await recordListsInForce(database.db, [campaignId])).get(campaignId) ?? [];
    const [grouped] = (await recordListsInForce(database.db, [campaignId])).get(campaignId) ?? [];
    if (!eager || !grouped) throw new Error('no list in force');
    await loadRecords(database.db, eager, fieldsUsed(ds));
    await loadRecordsForCounting(database.db, grouped, ds);
    expect(grouped.byOrganisation.size).toBe(51);
    expect(new Map([...grouped.byOrganisation].sort())).toEqual(new Map([...eager.byOrganisation].sort()));

    // The table as the recompute computed it, against combine.ts's computeTableWithRecords over the same records.
    const t = r.computed.find((c) => c.dataset.id === 'organisations');
    if (!t) throw new Error('organisations not computed');
    const included = r.organisations.filter((o) => o.included);
    const records: MatchedRecordList['records'] = [];
    for (const o of included) for (const record of storedRecords(ds, o.name, eager.byOrganisation.get(o.id) ?? [])) records.push({ entityKey: o.name, record });
    const header = ['name', 'no', 'type', 'students'];
    const rows = included.map((o, i) => ({ line: i + 2, cells: [o.name, o.no, o.type, String(t.results.find((x) => x.organisation === o.name && x.details.inputs.students !== undefined)?.details.inputs.students ?? '')] }));
    const compiled = compileMethodology(r.methodology);
    if (!compiled.ok) throw new Error('methodology');
    const reference = computeTableWithRecords(compiled.compiled, header, rows, [{ id: 'navigator', ds, file: 'navigator.csv', headerLine: eager.headerLine, skipped: eager.skipped, records }], lintMethodology(r.methodology));
    if (!reference.ok) throw new Error(reference.error.message);
    expect(t.results.map((x) => [x.organisation, x.indicator, x.value, x.explanation, x.details.counted])).toEqual(reference.output.results.map((x) => [x.organisation, x.indicator, x.value, x.explanation, x.details.counted]));
    expect(t.results.some((x) => (x.details.counted?.programmes?.records.length ?? 0) > 0)).toBe(true);
    expect(t.records).toEqual(reference.output.records);
    expect(t.aggregates).toEqual(reference.output.aggregates);
  }, 180_000);
});
