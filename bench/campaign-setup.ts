/** Bench fixture (not product code): a fresh PGlite database with the demo registry and two talents-2021 campaigns —
 * the seed-004 one (51 organisations; satisfaction, coverage and focus uploaded as campaign tables) and a synthetic
 * one of `n` organisations — so the benchmarks time computeCampaignResults → buildReportModel → render. Values are
 * inserted in bulk (the append-only table only receives INSERTs), the rest goes through the services. */
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, type DatabaseHandle } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { uploadCampaignTable } from '../src/services/analysis/campaign-inputs.ts';
import { changeCampaignStatus, createCampaign } from '../src/services/collection/campaigns.ts';
import { seedDemo } from '../src/services/demo/demo.ts';
import type { Actor } from '../src/services/errors.ts';

const seed = (n: string) => fileURLToPath(new URL(`../../shared/fixtures/seed-004/${n}`, import.meta.url));

export interface CampaignBench { handle: DatabaseHandle; seedCampaign: string; bigCampaign: string; close(): Promise<void> }

function lcg(s0: number): () => number {
  let s = s0 >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export async function setupCampaigns(n: number): Promise<CampaignBench> {
  const dir = mkdtempSync(path.join(tmpdir(), 'msoko-bench-'));
  const handle = await openDatabase({ dataDir: dir });
  const db = handle.db;
  await migrateToLatest(db);
  await seedDemo(db);
  const u = await db.selectFrom('users').select('id').where('login', '=', 'analyst').executeTakeFirstOrThrow();
  const actor: Actor = { userId: u.id, login: 'analyst', ip: null };
  const body = (title: string, participants: unknown) => ({ title, methodologyId: 'talents-2021', methodologyVersion: '2021.1', period: '2021', participants, opensOn: '2022-02-15', dueOn: '2022-06-01', closesOn: '2099-06-30' });

  const insertValues = async (campaignId: string, rows: { org: string; students: number; programmes: number }[]) => {
    const values = rows.flatMap((r) => [
      { campaign_id: campaignId, organisation_id: r.org, input: 'students', value: JSON.stringify(r.students), evidence_url: null, source: 'import' as const, source_ref: 'bench', actor_user_id: actor.userId, actor_login: actor.login },
      { campaign_id: campaignId, organisation_id: r.org, input: 'programmes', value: JSON.stringify(r.programmes), evidence_url: null, source: 'import' as const, source_ref: 'bench', actor_user_id: actor.userId, actor_login: actor.login },
    ]);
    for (let i = 0; i < values.length; i += 1000) await db.insertInto('value_history').values(values.slice(i, i + 1000)).execute();
    const subs = rows.map((r) => ({ campaign_id: campaignId, organisation_id: r.org, status: 'accepted' as const }));
    for (let i = 0; i < subs.length; i += 1000) await db.insertInto('submissions').values(subs.slice(i, i + 1000)).execute();
  };
  const uploadTables = async (campaignId: string) => {
    for (const f of ['satisfaction.csv', 'coverage.csv', 'focus.csv']) await uploadCampaignTable(db, actor, campaignId, { name: f, buffer: await readFile(seed(f)) });
  };

  // Seed 004: the 51 demo organisations with the students and programmes of the report.
  const small = await createCampaign(db, actor, body('Seed 004 (бенчмарк)', { mode: 'all' }));
  await changeCampaignStatus(db, actor, small.id, 'open');
  const ids = new Map((await db.selectFrom('organisations').select(['id', 'short_name']).execute()).map((o) => [o.short_name, o.id]));
  const [head, ...lines] = (await readFile(seed('organisations.csv'), 'utf8')).trim().split(/\r?\n/);
  const cols = (head ?? '').split(',');
  await insertValues(
    small.id,
    lines.map((l) => {
      const r = Object.fromEntries(l.split(',').map((v, i) => [cols[i], v]));
      return { org: ids.get(r.name!)!, students: Number(r.students), programmes: Number(r.programmes) };
    }),
  );
  await uploadTables(small.id);

  // n synthetic organisations in the same municipality.
  const municipality = (await db.selectFrom('municipalities').select('id').executeTakeFirstOrThrow()).id;
  const types = ['school', 'preschool', 'supplementary'] as const;
  const orgs = Array.from({ length: n }, (_, k) => ({ municipality_id: municipality, no: 1000 + k, short_name: `Организация ${k + 1}`, full_name: `МБОУ «Организация ${k + 1}»`, type: types[k % 10 === 0 ? 2 : k % 3 === 0 ? 1 : 0]! }));
  const newIds: string[] = [];
  for (let i = 0; i < orgs.length; i += 1000) newIds.push(...(await db.insertInto('organisations').values(orgs.slice(i, i + 1000)).returning('id').execute()).map((r) => r.id));
  const big = await createCampaign(db, actor, body(`${n} организаций (бенчмарк)`, { mode: 'list', organisationIds: newIds }));
  await changeCampaignStatus(db, actor, big.id, 'open');
  const rnd = lcg(42);
  await insertValues(
    big.id,
    newIds.map((org) => {
      const students = 20 + Math.floor(rnd() * 1500);
      return { org, students, programmes: Math.floor(rnd() * students * 0.12) };
    }),
  );
  await uploadTables(big.id);
  return {
    handle,
    seedCampaign: small.id,
    bigCampaign: big.id,
    close: async () => {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
