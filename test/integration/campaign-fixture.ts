/** Shared by the campaign analysis tests: a talents-2021 campaign filled from the seed-004 organisations file. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { changeCampaignStatus, createCampaign, findCampaignRow } from '../../src/services/collection/campaigns.ts';
import type { Actor } from '../../src/services/errors.ts';
import { appendValues } from '../../src/services/collection/submissions.ts';
import type { TestDatabase } from './helpers.ts';

export const SEED = (name: string) => fileURLToPath(new URL(`../../../shared/fixtures/seed-004/${name}`, import.meta.url));

/** Rows of a simple comma-separated fixture (no quoted cells in these files). */
export function csvRows(name: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(SEED(name), 'utf8').trim().split(/\r?\n/);
  const cols = (head ?? '').split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i] ?? '', v])));
}

/** Creates and opens a talents-2021 campaign over every organisation and appends students/programmes of seed 004. */
export async function seedCampaign(db: TestDatabase['db'], actor: Actor, opts: { title?: string; period?: string; scale?: (row: Record<string, string>) => Record<string, number> } = {}): Promise<string> {
  const c = await createCampaign(db, actor, {
    title: opts.title ?? 'Мониторинг охвата дополнительным образованием (2021)',
    methodologyId: 'talents-2021',
    methodologyVersion: '2021.1',
    period: opts.period ?? '2021',
    participants: { mode: 'all' },
    opensOn: '2022-02-15',
    dueOn: '2022-06-01',
    closesOn: '2030-06-30',
  });
  await changeCampaignStatus(db, actor, c.id, 'open');
  const record = await findCampaignRow(db, c.id);
  const ids = new Map((await db.selectFrom('organisations').select(['id', 'short_name']).execute()).map((o) => [o.short_name, o.id]));
  for (const [i, r] of csvRows('organisations.csv').entries()) {
    const id = ids.get(r.name ?? '');
    if (!id) throw new Error(`нет организации ${r.name}`);
    const v = opts.scale ? opts.scale(r) : { students: Number(r.students), programmes: Number(r.programmes) };
    await appendValues(db, actor, record, id, Object.entries(v).map(([input, value]) => ({ input, value, evidenceUrl: null })), 'import', `organisations.csv, строка ${i + 2}`);
  }
  return c.id;
}

