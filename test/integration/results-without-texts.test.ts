/** `computeCampaignResults(…, { explain: false })` (issue 22, scale: the figures without their Russian texts, for the
 * callers that never show them) on the real database, both engines: the result is the default result once its texts
 * are emptied — results' `explanation` and `details.substituted`, totals', aggregates' and counted inputs'
 * `explanation` — byte for byte (values, levels, points, bands, inputs with the comparison rows, warnings, lint,
 * discrepancies with their messages, record summaries, organisations, sources), and those texts really are empty.
 * On every campaign of the demo (seed 004 with its survey and uploaded municipality tables, 2020, the open year, the
 * region's; discrepancies with printed figures, whose messages get a figure's text on demand, are checked in
 * src/core/methodology/without-texts.test.ts), on a talents-2021 campaign completed by the synthetic Навигатор list (counted
 * from the records and from the stored groups), and on a ВПР campaign of direction-preparation 2021.2 built from the
 * synthetic ФИС ОКО exports (value_rows) with form values over them. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComputeOutput } from '../../src/core/methodology/index.ts';
import { computeCampaignResults, computeCampaignResultsMany, type CampaignResults, type ResultsOptions } from '../../src/services/analysis/campaign-results.ts';
import { changeCampaignStatus, createCampaign, findCampaignRow } from '../../src/services/collection/campaigns.ts';
import { appendValues } from '../../src/services/collection/submissions.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import type { Actor } from '../../src/services/errors.ts';
import { uploadImport } from '../../src/services/imports/imports.ts';
import { applyRecordList } from '../../src/services/imports/record-lists.ts';
import { seedCampaign } from './campaign-fixture.ts';
import { importFisoko } from '../support/fisoko-campaigns.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from './helpers.ts';

const NAVIGATOR = (name: string) => fileURLToPath(new URL(`../../library/synthetic/navigator-2021/${name}`, import.meta.url));

/** The results with every text `explain: false` leaves out emptied (written here, independently of the engine). */
function blanked(r: CampaignResults): string {
  const copy = JSON.parse(JSON.stringify(r)) as CampaignResults;
  for (const t of copy.computed) {
    for (const x of t.results) {
      x.explanation = '';
      x.details.substituted = '';
      for (const c of Object.values(x.details.counted ?? {})) c.explanation = '';
    }
    for (const x of t.totals) x.explanation = '';
    for (const x of t.aggregates) x.explanation = '';
  }
  return JSON.stringify(copy);
}

function texts(t: ComputeOutput): string[] {
  return [
    ...t.results.flatMap((x) => [x.explanation, x.details.substituted, ...Object.values(x.details.counted ?? {}).map((c) => c.explanation)]),
    ...t.totals.map((x) => x.explanation),
    ...t.aggregates.map((x) => x.explanation),
  ];
}

/** Both ways, compared; returns the results without texts. */
async function expectSame(db: TestDatabase['db'], ids: readonly string[], opts: ResultsOptions): Promise<CampaignResults[]> {
  const full = await computeCampaignResultsMany(db, ids, opts);
  const plain = await computeCampaignResultsMany(db, ids, { ...opts, explain: false });
  expect(plain).toHaveLength(full.length);
  for (const [i, p] of plain.entries()) {
    const f = full[i] as CampaignResults;
    expect(p.computed.flatMap(texts).every((x) => x === '')).toBe(true);
    if (f.computed.some((t) => t.results.length)) expect(f.computed.flatMap(texts).some((x) => x !== '')).toBe(true);
    expect(JSON.stringify(p)).toBe(blanked(f));
  }
  return plain;
}

describe.each(BACKENDS)('campaign results without texts on %s', (kind) => {
  let database: TestDatabase;
  let actor: Actor;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db, { year: true, today: '2025-11-20' });
    const u = await database.db.selectFrom('users').select('id').where('login', '=', 'analyst').executeTakeFirstOrThrow();
    actor = { userId: u.id, login: 'analyst', ip: '127.0.0.1' };
  }, 300_000);
  afterAll(async () => {
    await database?.dispose();
  });

  it('every campaign of the demo: the same results once the texts are emptied', async () => {
    const ids = (await database.db.selectFrom('campaigns').select('id').orderBy('created_at').execute()).map((c) => c.id);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    for (const basis of ['submitted', 'all'] as const) {
      const plain = await expectSame(database.db, ids, { basis, countedRecords: false });
      if (basis === 'all') {
        const tables = plain.flatMap((r) => r.computed);
        // The seed-004 campaign: its forms, its survey and its uploaded municipality tables computed.
        expect(tables.some((t) => t.dataset.id === 'satisfaction')).toBe(true);
        expect(new Set(plain.flatMap((r) => r.sources.map((x) => x.kind)))).toEqual(new Set(['form', 'survey', 'table']));
        expect(tables.flatMap((t) => t.aggregates).length).toBeGreaterThan(10);
      }
    }
  });

  it('a talents-2021 campaign completed by the Навигатор list: counted from the records and from the stored groups', async () => {
    const innByName = new Map(readFileSync(NAVIGATOR('organisations-without-programmes.csv'), 'utf8').trim().split(/\r?\n/).slice(1).map((l) => l.split(',')).map((c) => [c[1] as string, c[2] as string]));
    for (const o of await database.db.selectFrom('organisations').select(['id', 'short_name']).execute()) {
      const inn = innByName.get(o.short_name);
      if (inn) await database.db.updateTable('organisations').set({ inn }).where('id', '=', o.id).execute();
    }
    const campaignId = await seedCampaign(database.db, actor, { title: 'Навигатор: без текстов', scale: (r) => ({ students: Number(r.students) }) });
    const imp = await uploadImport(database.db, actor, campaignId, { fileName: 'navigator.csv', buffer: readFileSync(NAVIGATOR('navigator.csv')) });
    await applyRecordList(database.db, actor, imp.id, {}, { kind: database.kind });
    for (const countedRecords of [true, false]) {
      const [plain] = await expectSame(database.db, [campaignId], { basis: 'all', countedRecords });
      const t = plain?.computed.find((c) => c.dataset.id === 'organisations');
      const counted = t?.results.flatMap((x) => Object.values(x.details.counted ?? {})) ?? [];
      expect(counted.length).toBeGreaterThan(0);
      expect(counted.every((c) => c.explanation === '')).toBe(true);
      expect(counted.filter((c) => c.file === 'navigator.csv').length).toBeGreaterThan(40);
      expect(t?.records?.[0]).toMatchObject({ file: 'navigator.csv', rows: 666, counted: 588, organisations: 51 });
    }
  });

  it('a ВПР campaign from the synthetic ФИС ОКО exports with form values over them', async () => {
    const c = await createCampaign(database.db, actor, {
      title: 'ВПР и ГИА 2025: без текстов', methodologyId: 'direction-preparation', methodologyVersion: '2021.2', period: '2024/2025', participants: { mode: 'types', types: ['school'] },
      opensOn: '2025-05-01', dueOn: '2025-06-30', closesOn: '2030-06-30',
    });
    await changeCampaignStatus(database.db, actor, c.id, 'open');
    await importFisoko(database, actor, c.id);
    const byLogin = new Map((await database.db.selectFrom('organisations').select(['id', 'fisoko_login']).where('type', '=', 'school').execute()).map((o) => [o.fisoko_login, o.id]));
    const campaign = await findCampaignRow(database.db, c.id);
    const MATH5 = { subject: 'Математика', grade: '5' };
    await appendValues(database.db, actor, campaign, byLogin.get('sch021208') ?? '', [
      { input: 'journal_raised', value: 15, dimensions: MATH5, evidenceUrl: null },
      { input: 'region_vpr_share_5', value: null, dimensions: MATH5, evidenceUrl: null },
    ], 'form', null);

    const [plain] = await expectSame(database.db, [c.id], { basis: 'all', countedRecords: false });
    const dims = plain?.computed.find((t) => t.results.some((x) => x.dimensions));
    expect(dims?.results.length).toBeGreaterThan(500);
    // The comparison inputs of the ranking and the signs are there without texts, and the default call is unchanged.
    expect(dims?.results.some((x) => x.details.inputs.region_vpr_share_5 !== undefined)).toBe(true);
    const byDefault = await computeCampaignResults(database.db, c.id, { basis: 'all' });
    expect(byDefault.computed.flatMap(texts).filter((x) => x !== '').length).toBeGreaterThan(500);
  });
});
