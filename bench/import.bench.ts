/** Import of 100,000 rows (issue 5): a generated XLSX (exceljs) and CSV, each uploaded and applied through the
 * services and the real job worker on the embedded database in a temporary directory (or on DATABASE_URL's server),
 * into a campaign of 100,000 organisations × 3 inputs (300,000 value rows). Prints rows/s, the whole time, the time
 * of the write phase (short transactions of 10,000 rows, other users' queries run between them), the final
 * transaction (creates 100,000 missing forms and makes the values visible: how long other users' queries wait on
 * PGlite's single connection) and the longest event-loop stall seen while the import ran. Target: under 10 s a file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { sql } from 'kysely';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { changeCampaignStatus, createCampaign } from '../src/services/collection/campaigns.ts';
import { SYSTEM_ACTOR } from '../src/services/errors.ts';
import '../src/services/imports/import-apply.ts';
import { startImportApply, uploadImport } from '../src/services/imports/imports.ts';
import { JobWorker } from '../src/services/imports/jobs.ts';
import { getOrCreateMunicipality } from '../src/services/registry/registry.ts';
import { addOrganisations, csvOf, rowsFor, xlsxOf } from '../test/support/import-data.ts';
import type { BenchTable } from './run.ts';
import { pauseProbe } from './event-loop.ts';

export const title = 'Импорт 100 000 строк (CSV и XLSX): строк в секунду, цель — меньше 10 с на файл';

const N = Number(process.env.MSOKO_BENCH_IMPORT_ROWS || 100_000);
const SETTINGS = {
  columns: { 'Численность обучающихся': 'students', 'Количество программ ДО': 'programmes', 'Анкетировано обучающихся': 'surveyed_students' },
  match: { mode: 'inn' as const, column: 'ИНН' },
};

export async function run(): Promise<BenchTable> {
  const dir = mkdtempSync(path.join(tmpdir(), 'msoko-bench-import-'));
  const h = await openDatabase(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : { dataDir: dir });
  try {
    await migrateToLatest(h.db);
    const muni = await getOrCreateMunicipality(h.db, `Бенчмарк импорта ${Date.now()}`);
    const base = 1_000_000 + (Date.now() % 1000) * 1000;
    // One organisation first, so the campaigns can be created through the service; the 100,000 join them by SQL
    // (a campaign of 100,000 participants is a fixture here, not what the bench measures).
    await addOrganisations(h.db, muni, base - 1, 1);
    const campaigns: string[] = [];
    for (const label of ['CSV', 'XLSX']) {
      const c = await createCampaign(h.db, SYSTEM_ACTOR, {
        title: `Бенчмарк импорта ${label}`, methodologyId: 'talents-2021', methodologyVersion: '2021.1', period: '2021/2022',
        participants: { mode: 'types', types: ['school'] }, opensOn: '2022-02-15', dueOn: '2022-06-01', closesOn: '2030-06-30',
      });
      await changeCampaignStatus(h.db, SYSTEM_ACTOR, c.id, 'open');
      campaigns.push(c.id);
    }
    let t = performance.now();
    await addOrganisations(h.db, muni, base, N);
    for (const id of campaigns) {
      await sql`insert into campaign_organisations (campaign_id, organisation_id) select ${id}::uuid, id from organisations where municipality_id = ${muni}::uuid and no >= ${base}`.execute(h.db);
    }
    const setupOrgs = (performance.now() - t) / 1000;
    const rows = rowsFor(base, N);
    t = performance.now();
    const all = [
      { label: 'CSV (UTF-8, «;»)', name: 'bench.csv', make: async () => csvOf(rows) },
      { label: 'XLSX', name: 'bench.xlsx', make: () => xlsxOf(rows) },
    ];
    // MSOKO_BENCH_IMPORT_ORDER=xlsx,csv changes which file goes first (the second writes into a fuller database).
    const order = (process.env.MSOKO_BENCH_IMPORT_ORDER || 'csv,xlsx').split(',').map((x) => x.trim().toLowerCase());
    const chosen = order.map((o) => all.find((f) => f.name.endsWith(`.${o}`))).filter((f): f is (typeof all)[number] => !!f);
    const files = await Promise.all(chosen.map(async (f) => ({ label: f.label, name: f.name, content: await f.make() })));
    const generate = (performance.now() - t) / 1000;
    const worker = new JobWorker({ db: h.db, kind: h.kind });
    const out: (string | number)[][] = [];
    for (const [i, f] of files.entries()) {
      const c = { id: campaigns[i] as string };
      const probe = pauseProbe();
      const start = performance.now();
      const up = await uploadImport(h.db, SYSTEM_ACTOR, c.id, { fileName: f.name, buffer: f.content });
      const uploaded = (performance.now() - start) / 1000;
      const { job } = await startImportApply(h.db, SYSTEM_ACTOR, up.id, SETTINGS);
      await worker.runOnce();
      const total = (performance.now() - start) / 1000;
      const maxGap = probe.stop();
      const done = await h.db.selectFrom('jobs').select(['status', 'result', 'error']).where('id', '=', job.id).executeTakeFirstOrThrow();
      if (done.status !== 'done') throw new Error(`импорт ${f.label} не выполнен: ${done.error}`);
      const r = done.result as { values: number; writeSeconds: number; blockingSeconds: number };
      out.push([f.label, `${(f.content.length / 1024 / 1024).toFixed(1)} МБ`, N, r.values, uploaded.toFixed(1), total.toFixed(1), r.writeSeconds.toFixed(1), r.blockingSeconds.toFixed(1), Math.round(N / total), Math.round(maxGap), total < 10 ? 'да' : 'нет']);
    }
    return {
      head: ['файл', 'размер', 'строк', 'значений', 'загрузка, с', 'всего, с', 'запись (короткие транзакции), с', 'итоговая транзакция, с', 'строк/с', 'макс. пауза цикла событий, мс', '< 10 с'],
      rows: out,
      notes: [
        `База: ${h.kind === 'pglite' ? 'PGlite (встроенная, каталог во временной папке)' : 'сервер PostgreSQL'}. «Всего» — загрузка файла (проверка содержимого, чтение, запись в imports) + задание: чтение, проверка всех строк, запись.`,
        `Подготовка: ${N} организаций в реестре — ${setupOrgs.toFixed(1)} с; генерация файлов — ${generate.toFixed(1)} с (не входят в замер).`,
      ],
    };
  } finally {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
