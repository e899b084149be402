/** Record lists in a campaign (issue 21, step 4): a synthetic 100 000-row ИС «Навигатор» list (cp1251 CSV with a title
 * line and a totals row) for 3 000 organisations imported into a talents-2021 campaign on a fresh PGlite database:
 * upload (the file stored and read), preview (the whole list validated and matched), apply (validated again, written
 * in one transaction), the recompute of the campaign's results with the stored records (`computeCampaignResults`,
 * basis «all»), and the same count of published programmes per organisation written directly in SQL, as the ratio.
 * Printed numbers, not a timed test. Only PGlite here (BENCH_DATABASE_URL is not used by this bench yet). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { openDatabase } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { computeCampaignResults } from '../src/services/analysis/campaign-results.ts';
import { fieldsUsed } from '../src/core/methodology/record-dataset.ts';
import { loadMethodology } from '../src/services/methodology/methodology-library.ts';
import { changeCampaignStatus, createCampaign } from '../src/services/collection/campaigns.ts';
import { seedDemo } from '../src/services/demo/demo.ts';
import type { Actor } from '../src/services/errors.ts';
import { uploadImport } from '../src/services/imports/imports.ts';
import { applyRecordList, loadRecords, previewRecordList, recordListsInForce } from '../src/services/imports/record-lists.ts';
import { FOCI, navigatorCsv, type NavigatorRow } from '../scripts/synthetic-navigator.ts';
import { addOrganisations, innOf } from '../test/support/import-data.ts';
import type { BenchTable } from './run.ts';

export const title = 'Списки записей в мониторинге: 100 000 программ «Навигатора», 3 000 организаций (PGlite: импорт, пересчёт, SQL)';

const ORGS = 3000;
const ROWS = 100_000;
const FIRST = 1001;
const STATUSES = ['Опубликована', 'Опубликована', 'Опубликована', 'Опубликована', 'Черновик', 'Архив', 'Снята с публикации'];

export async function run(): Promise<BenchTable> {
  const dir = mkdtempSync(path.join(tmpdir(), 'msoko-bench-records-'));
  const handle = await openDatabase({ dataDir: dir });
  try {
    const db = handle.db;
    await migrateToLatest(db);
    const { municipalityId } = await seedDemo(db);
    await addOrganisations(db, municipalityId, FIRST, ORGS);
    const u = await db.selectFrom('users').select('id').where('login', '=', 'analyst').executeTakeFirstOrThrow();
    const actor: Actor = { userId: u.id, login: 'analyst', ip: null };
    const ids = (await db.selectFrom('organisations').select(['id', 'no']).where('no', '>=', FIRST).orderBy('no').execute()).map((o) => o.id);
    const c = await createCampaign(db, actor, { title: 'Навигатор (бенчмарк)', methodologyId: 'talents-2021', methodologyVersion: '2021.1', period: '2021', participants: { mode: 'list', organisationIds: ids }, opensOn: '2022-02-15', dueOn: '2022-06-01', closesOn: '2099-06-30' });
    await changeCampaignStatus(db, actor, c.id, 'open');
    const values = ids.map((id, i) => ({ campaign_id: c.id, organisation_id: id, input: 'students', value: JSON.stringify(300 + (i % 900)), evidence_url: null, source: 'import' as const, source_ref: 'bench', actor_user_id: actor.userId, actor_login: actor.login }));
    for (let i = 0; i < values.length; i += 1000) await db.insertInto('value_history').values(values.slice(i, i + 1000)).execute();

    const rows: NavigatorRow[] = [];
    for (let i = 0; i < ROWS; i++) {
      const org = (i * 7919) % ORGS;
      rows.push([String(100000 + i), `Программа ${i}`, FOCI[i % FOCI.length] as string, `ОО-${FIRST + org}`, innOf(FIRST + org), STATUSES[i % STATUSES.length] as string, 5 + (i % 25), 7, 15]);
    }
    const file = navigatorCsv(rows, 'Реестр программ — СИНТЕТИЧЕСКИЕ ДАННЫЕ');

    const t0 = performance.now();
    const imp = await uploadImport(db, actor, c.id, { fileName: 'навигатор.csv', buffer: file });
    const t1 = performance.now();
    const preview = await previewRecordList(db, imp.id, {});
    const t2 = performance.now();
    if (preview.errorCount !== 0) throw new Error(`ошибки в списке: ${preview.errors[0]?.text}`);
    const applied = await applyRecordList(db, actor, imp.id, {}, { kind: 'pglite' });
    const t3 = performance.now();

    const loaded = await loadMethodology('talents-2021');
    const navigator = loaded.ok ? loaded.methodology.record_datasets?.navigator : undefined;
    const result: BenchTable = { head: ['проход', 'пересчёт мониторинга, мс', 'из них чтение записей, мс', 'тот же подсчёт в SQL, мс', 'отношение'], rows: [] };
    let expected = 0;
    for (let pass = 1; pass <= 3; pass++) {
      const read0 = performance.now();
      const [list] = (await recordListsInForce(db, [c.id])).get(c.id) ?? [];
      if (list && navigator) await loadRecords(db, list, fieldsUsed(navigator));
      const read = performance.now() - read0;
      const a = performance.now();
      const r = await computeCampaignResults(db, c.id, { basis: 'all' });
      const b = performance.now();
      const counts = await sql<{ organisation_id: string; n: number }>`
        select r.organisation_id, count(*)::int as n from campaign_records r
        where r.list_id = (select id from campaign_record_lists where campaign_id = ${c.id} order by at desc limit 1) and r.fields->>'status' = 'Опубликована'
        group by r.organisation_id`.execute(db);
      const d = performance.now();
      const byId = new Map(counts.rows.map((x) => [x.organisation_id, x.n]));
      const t = r.computed.find((x) => x.dataset.id === 'organisations');
      const first = r.organisations.find((o) => o.id === ids[0]);
      const got = t?.results.find((x) => x.organisation === first?.name && x.indicator === 'diversity_index')?.details.inputs.programmes;
      expected = byId.get(ids[0] as string) ?? -1;
      if (got !== expected) throw new Error(`подсчёт расходится с SQL: ${String(got)} ≠ ${expected}`);
      result.rows.push([pass, (b - a).toFixed(0), read.toFixed(0), (d - b).toFixed(0), `${((b - a) / (d - b)).toFixed(1)}×`]);
    }
    result.notes = [
      `Загрузка файла (${(file.length / 1024 / 1024).toFixed(1)} МБ, чтение и сохранение): ${(t1 - t0).toFixed(0)} мс; проверка всего списка (предпросмотр): ${(t2 - t1).toFixed(0)} мс, ${Math.round(ROWS / ((t2 - t1) / 1000))} строк/с; применение (проверка ещё раз и запись ${applied.records} записей одной транзакцией): ${(t3 - t2).toFixed(0)} мс, ${Math.round(ROWS / ((t3 - t2) / 1000))} строк/с.`,
      `Учтено ${applied.counted} опубликованных программ у ${applied.organisations} организаций; у первой — ${expected}, как в SQL.`,
      '«Пересчёт» — computeCampaignResults целиком: чтение значений и записей списка (по строке на организацию), подсчёт по организациям, показатели, агрегаты; «SQL» — только число опубликованных по организациям.',
    ];
    return result;
  } finally {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
