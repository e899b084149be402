/** The analysis page of a ВПР campaign at scale (issue 22): what `GET /api/campaigns/:id/analysis` costs when the
 * campaign holds ФИС ОКО reports of thousands of schools — the time of `getCampaignAnalysis` (the whole recompute of
 * this campaign with explanation texts, its report model, and the same for each earlier campaign of the dynamics),
 * the size of its JSON answer (as sent, and gzip-compressed as a browser would receive it), and the memory it takes.
 * The data are the synthetic reports of vpr-campaign.bench.ts (same generator, same VPR_ORGS / VPR_SUBJECTS /
 * VPR_GRADES), imported through the real ФИС ОКО path for the newest year; the older years (PAGE_YEARS, default 2)
 * are bulk copies of its stored rows, as in that bench. Printed numbers, not a timed test: see the load average.
 *
 * `npm run bench -- analysis-page` (PGlite, and the server of BENCH_DATABASE_URL when it is set); PAGE_RUNS answers per
 * mode (default 3); PAGE_MODES=server measures only the answer as the server gives it. */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { getCampaignAnalysis } from '../src/services/analysis/campaign-analysis.ts';
import { keptOutcomes, keptParts } from '../src/services/analysis/kept-outcomes.ts';
import { renderCampaignReport } from '../src/services/analysis/campaign-reports.ts';
import { getSelectionAnalysis } from '../src/services/analysis/dimensional-selection.ts';
import { getWorkAnalysis } from '../src/services/analysis/dimensional-work.ts';
import { workViews } from '../src/services/analysis/work-views.ts';
import { changeCampaignStatus, createCampaign } from '../src/services/collection/campaigns.ts';
import { seedDemo } from '../src/services/demo/demo.ts';
import type { Actor } from '../src/services/errors.ts';
import '../src/services/imports/import-apply.ts';
import { previewFisOkoImport, startFisOkoApply, uploadFisOkoImport } from '../src/services/imports/fisoko-import.ts';
import { JobWorker } from '../src/services/imports/jobs.ts';
import { addOrganisations } from '../test/support/import-data.ts';
import type { BenchTable } from './run.ts';
import { pauseProbe } from './event-loop.ts';
import { editWork, journalCsv, marksCsv, works } from './vpr-campaign.bench.ts';
import { withPgliteDatabase, withServerDatabase } from './server-database.ts';

const YEARS = Math.max(1, Number(process.env.PAGE_YEARS || 2));
const FIRST = 5001;
const RUNS = Math.max(1, Number(process.env.PAGE_RUNS || 3));
const all = works();
const ORGS = all[0]?.schools.length ?? 0;

export const title = `Страница анализа ВПР: ${ORGS.toLocaleString('ru-RU')} школ × ${all.length} работ (предмет × класс) × ${YEARS} лет — время ответа, размер JSON, память`;

const load = () => os.loadavg().map((x) => x.toFixed(1).replace('.', ',')).join(' / ');
const sec = (ms: number) => `${(ms / 1000).toFixed(2).replace('.', ',')} с`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1).replace('.', ',')} МБ`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function measure(label: string, h: DatabaseHandle): Promise<(string | number)[][]> {
  const db = h.db;
  await migrateToLatest(db);
  const { municipalityId } = await seedDemo(db);
  await addOrganisations(db, municipalityId, FIRST, ORGS);
  await sql`update organisations set fisoko_login = 'sch' || no where no >= ${FIRST}`.execute(db);
  const u = await db.selectFrom('users').select('id').where('login', '=', 'analyst').executeTakeFirstOrThrow();
  const actor: Actor = { userId: u.id, login: 'analyst', ip: null };
  const ids = (await db.selectFrom('organisations').select('id').where('no', '>=', FIRST).orderBy('no').execute()).map((o) => o.id);
  const campaigns: string[] = [];
  for (let y = 0; y < YEARS; y++) {
    const year = 2025 - (YEARS - 1) + y;
    const c = await createCampaign(db, actor, { title: `ВПР ${year} (бенчмарк страницы)`, methodologyId: 'direction-preparation', methodologyVersion: '2021.2', period: `${year - 1}/${year}`, participants: { mode: 'list', organisationIds: ids }, opensOn: `${year}-04-01`, dueOn: `${year}-06-30`, closesOn: '2099-06-30' });
    await changeCampaignStatus(db, actor, c.id, 'open');
    campaigns.push(c.id);
  }
  const current = campaigns[campaigns.length - 1] as string;
  const worker = new JobWorker({ db, kind: h.kind });
  const files = all.flatMap((w) => [
    { fileName: `статистика-${w.subject}-${w.grade}.csv`, buffer: marksCsv(w) },
    { fileName: `журнал-${w.subject}-${w.grade}.csv`, buffer: journalCsv(w) },
  ]);
  for (let i = 0; i < files.length; i += 20) {
    const imp = await uploadFisOkoImport(db, actor, current, files.slice(i, i + 20));
    const p = await previewFisOkoImport(db, imp.id, {});
    if (!p.ok) throw new Error(`предпросмотр: ${p.errors[0]?.text ?? p.issues[0]?.name ?? p.aliasOffers[0]?.value}`);
    const { job } = await startFisOkoApply(db, actor, imp.id, {});
    await worker.runOnce();
    const done = await db.selectFrom('jobs').select(['status', 'error']).where('id', '=', job.id).executeTakeFirstOrThrow();
    if (done.status !== 'done') throw new Error(`импорт не применён: ${done.error}`);
  }
  // The older years: bulk copies of the newest year's stored rows (as vpr-campaign.bench.ts does).
  for (const c of campaigns.slice(0, -1)) {
    await sql`insert into value_rows (campaign_id, organisation_id, dimensions, "values", source, source_ref, actor_user_id, actor_login)
      select ${c}::uuid, organisation_id, dimensions, "values", 'import', 'бенчмарк: прошлый год', actor_user_id, actor_login
      from value_rows where campaign_id = ${current}::uuid order by id`.execute(db);
  }

  const rows: (string | number)[][] = [];
  // Both answers: whole views (as before the compact views: no limit) and as served (the default limit).
  // PAGE_MODES=server: only the answer as served (the whole one of a full year takes gigabytes of heap to fail).
  const modes = [['целиком', Number.MAX_SAFE_INTEGER], ['как отдаёт сервер', undefined]] as const;
  for (const [mode, inlineRows] of process.env.PAGE_MODES === 'server' ? modes.slice(1) : modes) {
    const times: number[] = [];
    // The longest pause of the event loop in each first opening (what any other request to the server waited at worst).
    const pauses: number[] = [];
    let json = '';
    let heap = 0;
    let failure = '';
    const loadBefore = load();
    let again = '';
    let edited = '';
    for (let k = 0; k < RUNS && !failure; k++) {
      // Each run computes afresh: nothing kept from the previous one (kept-outcomes.ts: outcomes and parts).
      keptOutcomes(db).clear();
      keptParts(db).clear();
      globalThis.gc?.();
      const probe = pauseProbe();
      const t0 = performance.now();
      const a = await getCampaignAnalysis(db, current, { basis: 'all', ...(inlineRows !== undefined ? { inlineRows } : {}) });
      times.push(performance.now() - t0);
      pauses.push(probe.stop());
      heap = Math.max(heap, process.memoryUsage().heapUsed);
      if (k === 0) {
        // The same page opened again while nothing changed: its per-dimension computations are kept.
        const hits = keptOutcomes(db).hits;
        const t1 = performance.now();
        const b = await getCampaignAnalysis(db, current, { basis: 'all', ...(inlineRows !== undefined ? { inlineRows } : {}) });
        const t2 = performance.now();
        const same = JSON.stringify(b) === JSON.stringify(a);
        const fromKept = keptOutcomes(db).hits - hits;
        // After a school's form edit in one work of this campaign (0,01 % from «4» to «5»): this campaign's outcome is
        // computed again from the kept parts of its other works, the previous campaign's outcome is kept; then compared
        // with the page computed with nothing kept.
        const [work] = all;
        if (!work) throw new Error('нет работ для правки');
        await editWork(db, actor, current, { subject: work.subject, grade: work.grade });
        const partHits = keptParts(db).hits;
        const partMisses = keptParts(db).misses;
        const t3 = performance.now();
        const c = await getCampaignAnalysis(db, current, { basis: 'all', ...(inlineRows !== undefined ? { inlineRows } : {}) });
        const t4 = performance.now();
        const hit = keptParts(db).hits - partHits;
        const missed = keptParts(db).misses - partMisses;
        // What keeping costs: the heap after a full collection with the outcomes and parts and without them.
        globalThis.gc?.();
        const withKept = process.memoryUsage().heapUsed;
        const usage = keptOutcomes(db).usage;
        const parts = keptParts(db).usage;
        keptOutcomes(db).clear();
        keptParts(db).clear();
        globalThis.gc?.();
        const kept = `сохранено ${usage.values} расчёта, ${usage.size.toLocaleString('ru-RU')} результатов, и ${parts.values} частей работ, ${parts.size.toLocaleString('ru-RU')} результатов и строк: куча после сборки мусора ${mb(withKept)}, без них ${mb(process.memoryUsage().heapUsed)}`;
        again = `${sec(t2 - t1)}; расчётов по предметам и классам из сохранённых: ${fromKept}; ${same ? 'ответ тот же' : '**ответ другой**'}; ${kept}`;
        const fresh = await getCampaignAnalysis(db, current, { basis: 'all', ...(inlineRows !== undefined ? { inlineRows } : {}) });
        edited = `${sec(t4 - t3)}; частей работ из сохранённых ${hit}, вычислено заново ${missed}; ${JSON.stringify(c) === JSON.stringify(fresh) ? 'ответ равен вычисленному без сохранённого' : '**ответ другой, чем без сохранённого**'}`;
      }
      if (k === 0) {
        try {
          json = JSON.stringify(a);
        } catch (e) {
          // Above V8's longest string (~512 MB) the answer cannot be serialised at all.
          failure = `ответ не сериализуется: ${(e as Error).message}`;
        }
      }
    }
    rows.push([label, `ответ страницы анализа, ${mode} (getCampaignAnalysis), медиана`, sec(median(times)), `${times.map((t) => sec(t)).join(', ')}; нагрузка ${loadBefore} → ${load()}`]);
    rows.push([label, `самая длинная пауза цикла событий при первом открытии, ${mode}`, sec(median(pauses)), `открытия: ${pauses.map((t) => sec(t)).join(', ')}; столько ждал бы любой другой запрос к серверу`]);
    rows.push([label, `та же страница повторно, ${mode}`, again.split(';')[0] ?? '', again.split('; ').slice(1).join('; ')]);
    rows.push([label, `та же страница после правки формы школы в одной работе, ${mode}`, edited.split(';')[0] ?? '', edited.split('; ').slice(1).join('; ')]);
    if (failure) {
      rows.push([label, `размер ответа, ${mode}`, '—', failure]);
      continue;
    }
    const whole = JSON.parse(json) as Record<string, unknown> & { model: Record<string, unknown> & { dimensional: { rows: unknown[]; omittedRows?: number } | null } };
    rows.push([label, `размер ответа JSON / gzip, ${mode}`, `${mb(json.length)} / ${mb(gzipSync(json).length)}`, `строк по предметам и классам в ответе: ${whole.model.dimensional?.rows.length ?? 0}${whole.model.dimensional?.omittedRows ? ` (опущено ${whole.model.dimensional.omittedRows})` : ''}`]);
    // What the answer is made of: its largest parts (top-level keys and the model's).
    const partsOf = (o: Record<string, unknown>, prefix: string) => Object.entries(o).map(([k, v]) => [`${prefix}${k}`, JSON.stringify(v ?? null).length] as const);
    const parts = [...partsOf(whole, '').filter(([k]) => k !== 'model'), ...partsOf(whole.model, 'model.')].sort((x, y) => y[1] - x[1]).slice(0, 4);
    rows.push([label, `крупнейшие части ответа, ${mode}`, parts.map(([k, n]) => `${k} ${mb(n)}`).join('; '), `память (heapUsed, наибольшая) ${mb(heap)}`]);
  }
  // For comparison: the page's ranking of one work, the request the page makes for the chosen work and indicator.
  const w = all[0];
  if (w) {
    const t0 = performance.now();
    const work = await getWorkAnalysis(db, current, { subject: w.subject, grade: w.grade }, { basis: 'all', indicator: 'vpr_success_share' });
    const t = performance.now() - t0;
    rows.push([label, 'рейтинг одной работы по одному показателю (/analysis/work)', sec(t), `${JSON.stringify(work).length.toLocaleString('ru-RU')} байт`]);
    // The open selection of a compact page: «по всем предметам» in the first grade, ranked on the server.
    const t1 = performance.now();
    const open = await getSelectionAnalysis(db, current, { grade: w.grade }, { basis: 'all', indicator: 'vpr_success_all' });
    const t2 = performance.now() - t1;
    rows.push([label, `«по всем предметам», ${w.grade} класс (/analysis/work без предмета)`, sec(t2), `${open.rankings[0]?.ranking.entries.length ?? 0} школ; ${JSON.stringify(open).length.toLocaleString('ru-RU')} байт`]);
    // The same two requests again (the analyst goes back to them): answered from the views the first ones kept
    // (work-views.ts), when they fit its budget of cells.
    const hits = workViews(db).hits;
    const t3 = performance.now();
    const again = await getWorkAnalysis(db, current, { subject: w.subject, grade: w.grade }, { basis: 'all', indicator: 'vpr_success_share' });
    const t4 = performance.now();
    const openAgain = await getSelectionAnalysis(db, current, { grade: w.grade }, { basis: 'all', indicator: 'vpr_success_all' });
    const t5 = performance.now();
    if (JSON.stringify(again) !== JSON.stringify(work) || JSON.stringify(openAgain) !== JSON.stringify(open)) throw new Error('повторный ответ расходится с первым');
    rows.push([label, 'те же два запроса повторно: работа / «по всем предметам»', `${sec(t4 - t3)} / ${sec(t5 - t4)}`, `ответов из сохранённых представлений (work-views.ts, этого и прошлого мониторинга): ${workViews(db).hits - hits} из 4; равны первым`]);
  }
  // The documents of the campaign: the XLSX (every school × subject × grade on «По предметам») and the DOCX.
  for (const format of ['xlsx', 'docx'] as const) {
    const t0 = performance.now();
    try {
      const d = await renderCampaignReport(db, actor, current, { format, basis: 'all', date: '2025-06-30' });
      rows.push([label, `справка ${format.toUpperCase()}`, sec(performance.now() - t0), `${d.buffer.length.toLocaleString('ru-RU')} байт; память (heapUsed) ${mb(process.memoryUsage().heapUsed)}`]);
    } catch (e) {
      rows.push([label, `справка ${format.toUpperCase()}`, '—', `не сформирована за ${sec(performance.now() - t0)}: ${(e as Error).message}`]);
    }
  }
  return rows;
}

export async function run(): Promise<BenchTable> {
  const rows: (string | number)[][] = [];
  const notes = [`Машина: ${os.cpus()[0]?.model ?? '?'} × ${os.cpus().length}, Node ${process.version}, нагрузка в начале ${load()}. Ответ страницы считает этот мониторинг (когда ответ компактный — каждую цифру, но тексты и все результаты держит только у строк, которые уйдут в ответ), предыдущий (когда ответ компактный — без текстов, все показатели только у этих строк, у остальных — признак и показатели критериев и агрегатов) и более ранние ряда (до трёх) — только ради значений муниципалитета. «Повторно» — то же открытие, когда расчёты по предметам и классам сохранены (kept-outcomes.ts). «Целиком» — без предела строк (как до компактного ответа), «как отдаёт сервер» — с пределом по умолчанию.`];
  rows.push(...(await withPgliteDatabase('analysis-page', (h) => measure('PGlite', h))));
  const server = process.env.BENCH_DATABASE_URL;
  if (server) rows.push(...(await withServerDatabase(server, 'analysis_page', (h) => measure('PostgreSQL', h))));
  else notes.push('BENCH_DATABASE_URL не задан: замер на сервере PostgreSQL пропущен.');
  return { head: ['СУБД', 'что', 'значение', 'примечание'], rows, notes };
}
