/** ВПР at scale (issue 22, «Scale»): 3 000 schools × 8 subjects × 6 grades × 5 years (≈ 720 000 school rows of
 * ФИС ОКО reports) in direction-preparation 2021.2 campaigns — on PGlite, and on the PostgreSQL server of
 * BENCH_DATABASE_URL when it is set (a database of its own is created there and dropped after).
 *
 * - Import: the newest year goes through the real path — synthetic ФИС ОКО CSV reports in the layout of the issue
 *   («Статистика по отметкам» and «Сравнение отметок с отметками по журналу», one file per subject × grade, schools
 *   as «(sch…) name», matched by the login on the registry), uploaded 20 files at a time (`uploadFisOkoImport`),
 *   previewed, applied (`startFisOkoApply` + the real job worker); rows/s of school rows (target ≥ 20 000).
 * - The four older years are bulk copies of the newest year's stored values (INSERT … SELECT of its value_rows and
 *   value_history rows per year inside the database): a bulk generator, so that the value log holds five years when the campaign is recomputed and
 *   queried; importing them too would only repeat the measured import four times.
 * - Recompute of the newest campaign (`computeCampaignResults`, basis «all»; target < 2 s) both ways — with the texts
 *   of every figure (the default, what the analysis page shows) and figures only (`explain: false`: proposals,
 *   effects, the yearly report, «что если») — and the same aggregation in plain SQL (current values per school ×
 *   subject × grade → success share, quality share and the sign of non-objectivity; target ratio ≤ 3×); every school
 *   × subject × grade's three figures are compared, from both recomputes.
 * - The analysis query (target p95 < 100 ms): what the analysis page computes for a chosen subject × grade — the
 *   ranking by the success share with the region's and municipality's rows, and the signs of non-objectivity
 *   (`rankDimensional`, `objectivitySigns` of the selection, over the view of the results) — for every subject × grade, against the
 *   same ranking read by SQL for that subject × grade; and the server's answer for one work computed alone
 *   (`getWorkAnalysis`, dimensional-work.ts: reads that work's rows, computes them, ranks by every indicator, the signs
 *   and, with more than one year, the previous campaign's same work), checked equal to the view's ranking and signs.
 *   Printed numbers, not a timed test: see the load average.
 *
 * VPR_ORGS, VPR_SUBJECTS, VPR_GRADES, VPR_YEARS make it smaller (e.g. to check it quickly). */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import { dimensionalView, objectivitySigns, rankDimensional } from '../src/core/analysis/dimensional.ts';
import type { DatabaseHandle } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { Database } from '../src/db/schema.ts';
import { computeCampaignResults, prepare } from '../src/services/analysis/campaign-results.ts';
import { computeDimensional } from '../src/services/analysis/campaign-dimensional.ts';
import { keepParts, keptParts, KEPT_PARTS as KEPT_PARTS_DEFAULT, workRowStamps } from '../src/services/analysis/kept-outcomes.ts';
import { getWorkAnalysis, indicatorsFor } from '../src/services/analysis/dimensional-work.ts';
import { workParticipants, workRows, worksRows } from '../src/services/analysis/work-read.ts';
import { keepWorkViews, WORK_VIEW_CELLS, workViews } from '../src/services/analysis/work-views.ts';
import { appendValues } from '../src/services/collection/submissions.ts';
import { campaignMethodology, changeCampaignStatus, createCampaign, findCampaignRow } from '../src/services/collection/campaigns.ts';
import { seedDemo } from '../src/services/demo/demo.ts';
import type { Actor } from '../src/services/errors.ts';
import '../src/services/imports/import-apply.ts';
import { applyPhases, applyPhasesCpu, resetApplyPhases } from '../src/services/imports/apply-phases.ts';
import { previewFisOkoImport, startFisOkoApply, uploadFisOkoImport } from '../src/services/imports/fisoko-import.ts';
import { JobWorker } from '../src/services/imports/jobs.ts';
import { addOrganisations } from '../test/support/import-data.ts';
import type { BenchTable } from './run.ts';
import { pauseProbe } from './event-loop.ts';
import { apportion } from '../scripts/synthetic-fisoko.ts';
import { withPgliteDatabase, withServerDatabase } from './server-database.ts';

const ORGS = Number(process.env.VPR_ORGS || 3000);
const SUBJECTS = ['Русский язык', 'Математика', 'Окружающий мир', 'История', 'Обществознание', 'География', 'Биология', 'Физика'].slice(0, Number(process.env.VPR_SUBJECTS || 8));
const GRADES = ['4', '5', '6', '7', '8', '11'].slice(0, Number(process.env.VPR_GRADES || 6));
const YEARS = Number(process.env.VPR_YEARS || 5);
const FIRST = 5001;
const PASSES = 3;
const FILES_PER_UPLOAD = 20;

export const title = `ВПР в мониторинге: ${ORGS.toLocaleString('ru-RU')} школ × ${SUBJECTS.length} предметов × ${GRADES.length} классов × ${YEARS} лет (PGlite и PostgreSQL: импорт ФИС ОКО, пересчёт, запрос анализа, SQL)`;

const load = () => os.loadavg().map((x) => x.toFixed(1).replace('.', ',')).join(' / ');
const verdict = (ok: boolean) => (ok ? 'да' : '**нет**');
const sec = (ms: number) => `${(ms / 1000).toFixed(2).replace('.', ',')} с`;
const msText = (ms: number) => `${ms.toFixed(ms < 10 ? 1 : 0).replace('.', ',')} мс`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)] as number;
const fmt = (x: number) => x.toFixed(2).replace('.', ',');
const pct = (part: number, n: number) => Math.round((part / n) * 10000) / 100;

function lcg(s0: number): () => number {
  let s = s0 >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface SchoolWork { no: number; marks: number[]; journal: number[] }
interface Work { subject: string; grade: string; schools: SchoolWork[]; region: { marks: number[]; journal: number[] } }

/** Every subject × grade: each school's pupils with «2»…«5» and lowered/confirmed/raised, about 3 % of the schools
 * «inflated» (many «5», many who «повысили»), the region a fixed large population. */
export function works(): Work[] {
  const rnd = lcg(2025);
  const out: Work[] = [];
  for (const subject of SUBJECTS) {
    for (const grade of GRADES) {
      const schools: SchoolWork[] = [];
      for (let k = 0; k < ORGS; k++) {
        const n = 15 + Math.floor(rnd() * 100);
        const inflated = rnd() < 0.03;
        const marks = inflated ? apportion(n, [2, 18, 30, 50]) : apportion(n, [5 + rnd() * 10, 25 + rnd() * 20, 30 + rnd() * 10, 8 + rnd() * 12]);
        const raised = inflated ? 0.2 + rnd() * 0.1 : 0.03 + rnd() * 0.06;
        const lowered = 0.1 + rnd() * 0.1;
        schools.push({ no: FIRST + k, marks, journal: apportion(n, [lowered, 1 - lowered - raised, raised]) });
      }
      out.push({ subject, grade, schools, region: { marks: apportion(40000, [9, 36, 40, 15]), journal: apportion(40000, [18, 75, 7]) } });
    }
  }
  return out;
}

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);
const municipalityOf = (w: Work) => ({ marks: [0, 1, 2, 3].map((i) => sum(w.schools.map((s) => s.marks[i] as number))), journal: [0, 1, 2].map((i) => sum(w.schools.map((s) => s.journal[i] as number))) });
const school = (no: number) => `(sch${no}) МБОУ «Средняя школа № ${no}»`;
/** The header block; every line padded to the table's width, as Excel saves a sheet as CSV. */
const head = (w: Work, what: string, width: number) => [`Всероссийские проверочные работы 2025 (${w.grade} класс)`, 'Дата: 17.04.2025', `Предмет: ${w.subject}`, what, 'Максимальный первичный балл: 20', 'СИНТЕТИЧЕСКИЕ ДАННЫЕ — бенчмарк msoko'].map((l) => l + ';'.repeat(width - 1));

/** «Статистика по отметкам» of one subject × grade as a CSV (UTF-8, «;»). */
export function marksCsv(w: Work): Buffer {
  const lines = [...head(w, 'Статистика по отметкам', 7), 'Группы участников;Кол-во ОО;Кол-во участников;Распределение групп баллов в %;;;', ';;;2;3;4;5'];
  const row = (label: string, schools: string, marks: number[]) => `${label};${schools};${sum(marks)};${marks.map((x) => fmt(pct(x, sum(marks)))).join(';')}`;
  lines.push(row('Вся выборка', '35000', w.region.marks.map((x) => x * 30)), row('Республика (бенчмарк)', '1400', w.region.marks), row('Муниципалитет (бенчмарк)', String(ORGS), municipalityOf(w).marks));
  for (const s of w.schools) lines.push(row(school(s.no), '', s.marks));
  return Buffer.from(lines.join('\n'), 'utf8');
}

const JOURNAL = ['Понизили (Отм. < Отм. по журналу) %', 'Подтвердили (Отм. = Отм. по журналу) %', 'Повысили (Отм. > Отм. по журналу) %'];
/** «Сравнение отметок с отметками по журналу» of one subject × grade as a CSV. */
export function journalCsv(w: Work): Buffer {
  const lines = [...head(w, 'Сравнение отметок с отметками по журналу', 3), 'Группы участников;Кол-во участников;%'];
  const group = (label: string, counts: number[]) => {
    const n = sum(counts);
    lines.push(`${label};;`, ...counts.map((x, i) => `${JOURNAL[i]};${x};${fmt(pct(x, n))}`), `Всего;${n};100`);
  };
  group('Вся выборка', w.region.journal.map((x) => x * 30));
  group('Республика (бенчмарк)', w.region.journal);
  group('Муниципалитет (бенчмарк)', municipalityOf(w).journal);
  for (const s of w.schools) group(school(s.no), s.journal);
  return Buffer.from(lines.join('\n'), 'utf8');
}

const visible = (t: string) => sql.raw(`(${t}.import_job_id is null or exists (select 1 from imports i where i.job_id = ${t}.import_job_id and i.status = 'applied'))`);

/** Current per-dimension values of the campaign, one row per school × subject × grade, with the success and quality
 * shares and the sign of non-objectivity as direction-preparation 2021.2 defines them (rounded to 1 digit, half up;
 * the sign: «5» at least 15 p. p. above the region's and at least 15 % «повысили»). The current values are read as
 * they are stored (migration 0020): the import's `value_rows` (a row per school × report, its inputs as one object)
 * and the forms' per-input `value_history` rows, merged per school × work in id order by `jsonb_merge` — the same
 * aggregation msoko does, written as plain SQL. */
function figuresSql(campaignId: string, dims?: Record<string, string>) {
  const pick = (input: string) => sql`(v->>${input})::numeric`;
  const which = (t: string) => (dims ? sql`${sql.ref(`${t}.dimensions`)} = ${JSON.stringify(dims)}::jsonb` : sql`${sql.ref(`${t}.dimensions`)} is not null`);
  return sql<{ organisation_id: string; subject: string; grade: string; success: string | null; quality: string | null; sign: boolean | null; region_success: string | null; municipality_success: string | null }>`
    with cur as (
      select organisation_id, dimensions, jsonb_merge(v order by id) as v from (
        select vr.id, vr.organisation_id, vr.dimensions, vr."values" as v from value_rows vr
        where vr.campaign_id = ${campaignId}::uuid and ${which('vr')} and ${visible('vr')}
        union all
        select vh.id, vh.organisation_id, vh.dimensions, jsonb_build_object(vh.input, vh.value) from value_history vh
        where vh.campaign_id = ${campaignId}::uuid and ${which('vh')} and ${visible('vh')}) x
      group by organisation_id, dimensions
    ), piv as (
      select organisation_id, dimensions,
        ${pick('vpr_share_3')} s3, ${pick('vpr_share_4')} s4, ${pick('vpr_share_5')} s5, ${pick('region_vpr_share_5')} r5, ${pick('journal_raised')} raised,
        ${pick('region_vpr_share_3')} r3, ${pick('region_vpr_share_4')} r4, ${pick('municipality_vpr_share_3')} m3, ${pick('municipality_vpr_share_4')} m4, ${pick('municipality_vpr_share_5')} m5
      from cur
    )
    select organisation_id, dimensions->>'subject' as subject, dimensions->>'grade' as grade,
      round(s3 + s4 + s5, 1)::text as success, round(s4 + s5, 1)::text as quality, (s5 - r5 >= 15 and raised >= 15) as sign,
      round(r3 + r4 + r5, 1)::text as region_success, round(m3 + m4 + m5, 1)::text as municipality_success
    from piv ${dims ? sql`order by s3 + s4 + s5 desc nulls last` : sql``}`;
}

async function sqlFigures(db: Kysely<Database>, campaignId: string, dims?: Record<string, string>) {
  return (await figuresSql(campaignId, dims).execute(db)).rows;
}

async function measure(label: string, h: DatabaseHandle): Promise<{ rows: (string | number)[][]; notes: string[] }> {
  const db = h.db;
  await migrateToLatest(db);
  const version = (await sql<{ v: string }>`select version() as v`.execute(db)).rows[0]?.v.split(' on ')[0] ?? '?';
  const { municipalityId } = await seedDemo(db);
  await addOrganisations(db, municipalityId, FIRST, ORGS);
  await sql`update organisations set fisoko_login = 'sch' || no where no >= ${FIRST}`.execute(db);
  const u = await db.selectFrom('users').select('id').where('login', '=', 'analyst').executeTakeFirstOrThrow();
  const actor: Actor = { userId: u.id, login: 'analyst', ip: null };
  const orgs = await db.selectFrom('organisations').select(['id', 'no', 'short_name']).where('no', '>=', FIRST).orderBy('no').execute();
  const ids = orgs.map((o) => o.id);
  const campaigns: string[] = [];
  for (let y = 0; y < YEARS; y++) {
    const year = 2025 - (YEARS - 1) + y;
    const c = await createCampaign(db, actor, { title: `ВПР ${year} (бенчмарк)`, methodologyId: 'direction-preparation', methodologyVersion: '2021.2', period: `${year - 1}/${year}`, participants: { mode: 'list', organisationIds: ids }, opensOn: `${year}-04-01`, dueOn: `${year}-06-30`, closesOn: '2099-06-30' });
    await changeCampaignStatus(db, actor, c.id, 'open');
    campaigns.push(c.id);
  }
  const current = campaigns[campaigns.length - 1] as string;

  const all = works();
  const files = all.flatMap((w) => [
    { fileName: `статистика-${w.subject}-${w.grade}.csv`, buffer: marksCsv(w) },
    { fileName: `журнал-${w.subject}-${w.grade}.csv`, buffer: journalCsv(w) },
  ]);
  const schoolRows = all.length * ORGS * 2;
  const megabytes = files.reduce((s, f) => s + f.buffer.length, 0) / 1024 / 1024;

  // Import of the newest year: 20 files an upload, each previewed and applied by the job worker.
  const worker = new JobWorker({ db, kind: h.kind });
  const loadBefore = load();
  let upload = 0;
  let preview = 0;
  let apply = 0;
  let values = 0;
  let writeSeconds = 0;
  resetApplyPhases();
  for (let i = 0; i < files.length; i += FILES_PER_UPLOAD) {
    const t0 = performance.now();
    const imp = await uploadFisOkoImport(db, actor, current, files.slice(i, i + FILES_PER_UPLOAD));
    const t1 = performance.now();
    const p = await previewFisOkoImport(db, imp.id, {});
    const t2 = performance.now();
    if (!p.ok) throw new Error(`предпросмотр: ${p.errors[0]?.text ?? p.issues[0]?.name ?? p.aliasOffers[0]?.value}`);
    const { job } = await startFisOkoApply(db, actor, imp.id, {});
    await worker.runOnce();
    const t3 = performance.now();
    const done = await db.selectFrom('jobs').select(['status', 'result', 'error']).where('id', '=', job.id).executeTakeFirstOrThrow();
    if (done.status !== 'done') throw new Error(`импорт не применён: ${done.error}`);
    values += (done.result as { values: number }).values;
    writeSeconds += (done.result as { writeSeconds: number }).writeSeconds;
    upload += t1 - t0;
    preview += t2 - t1;
    apply += t3 - t2;
  }
  const importTotal = upload + preview + apply;
  // Where the application's time went (apply-phases.ts): wall clock / CPU time of this process, summed over the uploads.
  const phases = Object.keys(applyPhases).map((k) => `${k} ${sec(applyPhases[k] as number)} / ${sec(applyPhasesCpu[k] ?? 0)}`).join('; ');
  const applyRate = schoolRows / (apply / 1000);
  const totalRate = schoolRows / (importTotal / 1000);

  // The older years: bulk copies of the newest year's stored values — the import's value_rows (a row per school ×
  // report) and any per-input value_history rows — as visible rows of those years.
  const g0 = performance.now();
  for (const c of campaigns.slice(0, -1)) {
    await sql`insert into value_history (campaign_id, organisation_id, input, dimensions, value, source, source_ref, actor_user_id, actor_login)
      select ${c}::uuid, organisation_id, input, dimensions, value, 'import', 'бенчмарк: прошлый год', actor_user_id, actor_login
      from value_history vh where campaign_id = ${current}::uuid and ${visible('vh')} order by id`.execute(db);
    await sql`insert into value_rows (campaign_id, organisation_id, dimensions, "values", source, source_ref, actor_user_id, actor_login)
      select ${c}::uuid, organisation_id, dimensions, "values", 'import', 'бенчмарк: прошлый год', actor_user_id, actor_login
      from value_rows vr where campaign_id = ${current}::uuid and ${visible('vr')} order by id`.execute(db);
  }
  const generated = performance.now() - g0;
  const logRows = Number((await sql<{ n: number }>`select count(*)::bigint as n from value_history`.execute(db)).rows[0]?.n ?? 0);
  const rowRows = Number((await sql<{ n: number }>`select count(*)::bigint as n from value_rows`.execute(db)).rows[0]?.n ?? 0);

  // Recompute against SQL: with texts (default) and figures only (explain: false), each pass both and SQL.
  const recompute: number[] = [];
  const figuresOnly: number[] = [];
  const baseline: number[] = [];
  // CPU time of this process (user + system) per recompute: on a shared machine the wall clock waits for other
  // processes; on PGlite the database runs in this process too, on a server only msoko's side is counted.
  const cpuTexts: number[] = [];
  // The longest pause of the event loop in each cold recompute with texts (what every other request waited at worst).
  const pauses: number[] = [];
  const cpuPlain: number[] = [];
  const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
  let same = 0;
  let compared = 0;
  let results: Awaited<ReturnType<typeof computeCampaignResults>> | null = null;
  let signs = 0;
  const check = (r: Awaited<ReturnType<typeof computeCampaignResults>>, figures: Awaited<ReturnType<typeof sqlFigures>>, count: boolean) => {
    const nameOf = new Map(r.organisations.map((o) => [o.name, o.id]));
    const mine = new Map<string, Record<string, number | null>>();
    const out = r.computed.find((t) => t.results.some((x) => x.dimensions));
    for (const x of out?.results ?? []) {
      if (!['vpr_success_share', 'vpr_quality_share', 'vpr_objectivity_sign'].includes(x.indicator)) continue;
      const key = `${nameOf.get(x.organisation)}|${x.dimensions?.subject}|${x.dimensions?.grade}`;
      mine.set(key, { ...(mine.get(key) ?? {}), [x.indicator]: x.value });
    }
    let agree = 0;
    for (const f of figures) {
      const m = mine.get(`${f.organisation_id}|${f.subject}|${f.grade}`);
      const sign = f.sign === null ? null : f.sign ? 1 : 0;
      if (count && sign === 1) signs++;
      if (m && m.vpr_success_share === Number(f.success) && m.vpr_quality_share === Number(f.quality) && m.vpr_objectivity_sign === sign) agree++;
    }
    if (mine.size !== figures.length) throw new Error(`msoko дал ${mine.size} строк школа × предмет × класс, SQL — ${figures.length}`);
    return agree;
  };
  // Every work's part kept (a full year with texts: ~1,9 million results and rows); the cold recomputes below start
  // with none kept, as after a restart or an import of every file.
  keepParts(db, KEPT_PARTS);
  for (let pass = 1; pass <= PASSES; pass++) {
    keptParts(db).clear();
    const u0 = process.cpuUsage();
    const probe = pauseProbe();
    const a = performance.now();
    const r = await computeCampaignResults(db, current, { basis: 'all' });
    const b = performance.now();
    pauses.push(probe.stop());
    cpuTexts.push(cpuMs(process.cpuUsage(u0)));
    keptParts(db).clear();
    const u1 = process.cpuUsage();
    const plain = await computeCampaignResults(db, current, { basis: 'all', explain: false });
    const c = performance.now();
    cpuPlain.push(cpuMs(process.cpuUsage(u1)));
    const figures = await sqlFigures(db, current);
    const d = performance.now();
    recompute.push(b - a);
    figuresOnly.push(c - b);
    baseline.push(d - c);
    if (pass > 1) continue;
    results = r;
    compared = figures.length;
    same = check(r, figures, true);
    const plainSame = check(plain, figures, false);
    if (plainSame !== same) throw new Error(`без текстов совпало с SQL ${plainSame}, с текстами — ${same}`);
  }
  const rec = median(recompute);
  // The part of the cold recompute that reads the current per-dimension inputs, as it reads them
  // (campaign-dimensional.ts): the stamp of every work (`workRowStamps`), then work by work (`worksRows`).
  const reads: number[] = [];
  for (let pass = 1; pass <= PASSES; pass++) {
    const a = performance.now();
    for (const s of await workRowStamps(db, current)) await worksRows(db, current, [s.dims]);
    reads.push(performance.now() - a);
  }
  const base = median(baseline);
  const ratios = recompute.map((x, i) => x / (baseline[i] as number));
  const ratio = median(ratios);
  const plainRec = median(figuresOnly);
  const plainRatios = figuresOnly.map((x, i) => x / (baseline[i] as number));
  const plainRatio = median(plainRatios);
  const times = (x: number) => `${x.toFixed(1).replace('.', ',')}×`;
  if (same !== compared) throw new Error(`показатели расходятся с SQL: совпало ${same} из ${compared}`);

  // The analysis page's query for each subject × grade: ranking by the success share and the signs.
  const v0 = performance.now();
  let view = dimensionalView(results!.methodology, results!.computed);
  const viewMs = performance.now() - v0;
  if (!view) throw new Error('нет представления по предметам');
  const query: number[] = [];
  const sqlQuery: number[] = [];
  const workQuery: number[] = [];
  const RU = new Intl.Collator('ru', { numeric: true });
  const expected = new Map<string, { ranking: string; signs: string }>();
  let checked = 0;
  for (const w of all) {
    const sel = { subject: w.subject, grade: w.grade };
    const a = performance.now();
    const ranking = rankDimensional(view, sel, 'vpr_success_share');
    const hits = objectivitySigns(view, sel);
    const b = performance.now();
    const rows = await sqlFigures(db, current, sel);
    const c = performance.now();
    query.push(b - a);
    sqlQuery.push(c - b);
    const sqlSigns = rows.filter((x) => x.sign).length;
    if (!ranking || ranking.entries.length !== rows.length || hits.length !== sqlSigns || ranking.entries[0]?.value !== Number(rows[0]?.success) || ranking.region?.value !== Number(rows[0]?.region_success) || ranking.municipality?.value !== Number(rows[0]?.municipality_success))
      throw new Error(`${w.subject}, ${w.grade} класс: рейтинг или признаки расходятся с SQL`);
    expected.set(`${w.subject}|${w.grade}`, { ranking: JSON.stringify(ranking), signs: JSON.stringify([...hits].sort((x, y) => RU.compare(x.organisation, y.organisation))) });
  }
  // The server's answer for each work alone — in a process that no longer holds the whole campaign's results and view
  // (as a server answering the page): the same ranking (entries, explanations, comparison rows) and signs (within one
  // work ordered by organisation).
  results = null;
  view = null;
  // The views kept between requests (work-views.ts), with a budget that holds every work of both campaigns by one
  // indicator at full scale (96 × 9 000 cells; the server's default is WORK_VIEW_CELLS): the repeated requests below
  // measure an answer from a kept view, not the least-recently-used order of a smaller budget.
  const keptBudget = Number(process.env.VPR_KEPT_CELLS || 2_000_000);
  keepWorkViews(db, keptBudget);
  for (const w of all) {
    const s0 = performance.now();
    const served = await getWorkAnalysis(db, current, { subject: w.subject, grade: w.grade }, { basis: 'all' });
    workQuery.push(performance.now() - s0);
    const servedRanking = served.rankings.find((x) => x.ranking.measure.id === 'vpr_success_share')?.ranking;
    const want = expected.get(`${w.subject}|${w.grade}`);
    if (JSON.stringify(servedRanking) !== want?.ranking || JSON.stringify(served.signs) !== want?.signs)
      throw new Error(`${w.subject}, ${w.grade} класс: ответ по одной работе расходится с представлением`);
    checked++;
  }
  // What the page asks for: the ranking by the indicator it shows (only it and the sign computed, `indicator`).
  const oneQuery: number[] = [];
  for (const w of all) {
    const s0 = performance.now();
    const served = await getWorkAnalysis(db, current, { subject: w.subject, grade: w.grade }, { basis: 'all', indicator: 'vpr_success_share' });
    oneQuery.push(performance.now() - s0);
    const want = expected.get(`${w.subject}|${w.grade}`);
    if (served.rankings.length !== 1 || JSON.stringify(served.rankings[0]?.ranking) !== want?.ranking || JSON.stringify(served.signs) !== want?.signs)
      throw new Error(`${w.subject}, ${w.grade} класс: ответ по одному показателю расходится с представлением`);
  }
  // Where one such answer's time goes, per campaign (the current one's work; the previous campaign's costs the same):
  // the steps getWorkAnalysis takes (work-read.ts, computeDimensional with the indicator and the sign only, the view).
  const workPhases = { participants: [] as number[], rows: [] as number[], engine: [] as number[], view: [] as number[] };
  const cur = await findCampaignRow(db, current);
  const methodology = (await campaignMethodology(db, cur.methodology_id, cur.methodology_version)).methodology;
  const prepared = prepare(methodology);
  if (!prepared.compiled.ok) throw new Error('методика с ошибками');
  const only = indicatorsFor(methodology, 'vpr_success_share');
  for (const w of all) {
    const p0 = performance.now();
    const orgs = await workParticipants(db, current, 'all', null);
    const p1 = performance.now();
    const rowsOf = await workRows(db, current, { subject: w.subject, grade: w.grade });
    const p2 = performance.now();
    const out = computeDimensional(methodology, prepared.compiled.compiled, prepared.lint, orgs, rowsOf, { only });
    const p3 = performance.now();
    if (!out.output || !dimensionalView(methodology, [out.output])) throw new Error(`${w.subject}, ${w.grade} класс: нет представления работы`);
    const p4 = performance.now();
    workPhases.participants.push(p1 - p0);
    workPhases.rows.push(p2 - p1);
    workPhases.engine.push(p3 - p2);
    workPhases.view.push(p4 - p3);
  }
  // The page's requests again: each answered from the views the first ones kept (work-views.ts: the stamp is read —
  // the organisations on the basis and the count of the work's visible rows — but no rows, and nothing computed).
  const keptQuery: number[] = [];
  const hits0 = workViews(db).hits;
  for (const w of all) {
    const s0 = performance.now();
    const served = await getWorkAnalysis(db, current, { subject: w.subject, grade: w.grade }, { basis: 'all', indicator: 'vpr_success_share' });
    keptQuery.push(performance.now() - s0);
    if (JSON.stringify(served.rankings[0]?.ranking) !== expected.get(`${w.subject}|${w.grade}`)?.ranking) throw new Error(`${w.subject}, ${w.grade} класс: ответ из сохранённого представления расходится`);
  }
  const keptHits = workViews(db).hits - hits0;
  // After a school's figures in the work change (a form edit moving 0,01 % from «4» to «5»): this campaign's work is
  // computed again, the previous campaign's same work is still kept.
  const editedQuery: number[] = [];
  for (const w of all) {
    const dims = { subject: w.subject, grade: w.grade };
    await editWork(db, actor, current, dims);
    const s0 = performance.now();
    await getWorkAnalysis(db, current, dims, { basis: 'all', indicator: 'vpr_success_share' });
    editedQuery.push(performance.now() - s0);
  }
  // What the kept views hold in memory: the heap after a full collection with them and without them (the bench runs
  // with --expose-gc; without it the row says so).
  const gc = (globalThis as { gc?: () => void }).gc;
  const keptSize = workViews(db).size;
  let keptMemory = 'не замерено (нет --expose-gc)';
  if (gc) {
    gc();
    const withViews = process.memoryUsage().heapUsed;
    workViews(db).clear();
    gc();
    const bytes = withViews - process.memoryUsage().heapUsed;
    keptMemory = `${(bytes / 2 ** 20).toFixed(1).replace('.', ',')} МБ, ${Math.round(bytes / Math.max(1, keptSize.cells)).toLocaleString('ru-RU')} байт на ячейку`;
  }
  // The recompute after a change to one work (after the page's queries above, which read the campaign as imported: a school's form edit moving 0,01 % from «4» to «5» in a work, each pass
  // another), with the other works' parts kept from the recompute before (campaign-dimensional.ts): with texts, then
  // without; the three figures of every school × work checked against SQL after each.
  const edited = await editedRecomputes(db, actor, current, all, check);
  const rec2 = median(edited.texts);
  const plain2 = median(edited.plain);
  const partsMemory = keptPartsMemory(db);
  const keptP95 = quantile(keptQuery, 0.95);
  const oneP95 = quantile(oneQuery, 0.95);
  const p95 = quantile(query, 0.95);
  const sqlP95 = quantile(sqlQuery, 0.95);
  const workP95 = quantile(workQuery, 0.95);

  const rows: (string | number)[][] = [
    [label, 'СУБД', h.kind === 'pglite' ? `PGlite (${version}, в процессе Node)` : `сервер ${version}`, `нагрузка перед импортом ${loadBefore}, после замеров ${load()}`],
    [label, 'импорт ФИС ОКО: загрузка', sec(upload), `${files.length} CSV (${megabytes.toFixed(1).replace('.', ',')} МБ) по ${FILES_PER_UPLOAD} за загрузку: проверка и сохранение`],
    [label, 'импорт ФИС ОКО: предпросмотр', sec(preview), `${Math.round(schoolRows / (preview / 1000)).toLocaleString('ru-RU')} строк/с: чтение, сопоставление по логину, проверка всех строк`],
    [label, 'импорт ФИС ОКО: применение, строк/с', Math.round(applyRate).toLocaleString('ru-RU'), `${sec(apply)} на ${schoolRows.toLocaleString('ru-RU')} строк школ, ${values.toLocaleString('ru-RU')} значений (проверка ещё раз и запись заданием; из них запись ${writeSeconds.toFixed(1).replace('.', ',')} с); цель ≥ 20 000 — ${verdict(applyRate >= 20000)}`],
    [label, 'импорт ФИС ОКО целиком, строк/с', Math.round(totalRate).toLocaleString('ru-RU'), `${sec(importTotal)}: загрузка + предпросмотр + применение`],
    [label, 'прошлые годы (массовое копирование в SQL)', sec(generated), `${YEARS - 1} × ${(values).toLocaleString('ru-RU')} значений; строк value_rows ${rowRows.toLocaleString('ru-RU')}, value_history ${logRows.toLocaleString('ru-RU')}`],
    [label, 'пересчёт мониторинга с текстами (медиана)', sec(rec), `проходы: ${recompute.map(sec).join(', ')}; ничего не сохранено (как после перезапуска или импорта всех файлов); цель < 2 с — ${verdict(rec < 2000)}`],
    [label, 'самая длинная пауза цикла событий при пересчёте с текстами (медиана)', sec(median(pauses)), `проходы: ${pauses.map(sec).join(', ')}; столько ждал бы любой другой запрос к серверу (работы читаются и вычисляются по одной, между ними цикл событий свободен)`],
    [label, 'пересчёт без текстов, explain: false (медиана)', sec(plainRec), `проходы: ${figuresOnly.map(sec).join(', ')}; цель < 2 с — ${verdict(plainRec < 2000)}; ${times(rec / plainRec)} быстрее, чем с текстами`],
    [label, 'пересчёт после правки одной работы, с текстами / без (медиана)', `${sec(rec2)} / ${sec(plain2)}`, `проходы: ${edited.texts.map(sec).join(', ')} / ${edited.plain.map(sec).join(', ')}; перед каждым — правка формы одной школы в одной работе (каждый раз в другой), части остальных работ из сохранённых (campaign-dimensional.ts); совпало с SQL ${edited.agreed}; цель < 2 с — ${verdict(rec2 < 2000)} / ${verdict(plain2 < 2000)}; отношение к SQL ${times(rec2 / base)} / ${times(plain2 / base)}`],
    [label, 'тот же пересчёт без изменений, с текстами (медиана)', sec(median(edited.unchanged)), `проходы: ${edited.unchanged.map(sec).join(', ')}; все части из сохранённых: прочитаны числа видимых строк работ, собраны части, агрегаты посчитаны заново`],
    [label, 'память сохранённых частей', partsMemory.memory, `частей ${partsMemory.parts}, результатов и строк ${partsMemory.size.toLocaleString('ru-RU')} при бюджете ${KEPT_PARTS.toLocaleString('ru-RU')} (VPR_KEPT_RESULTS; у сервера по умолчанию ${KEPT_PARTS_DEFAULT.toLocaleString('ru-RU')} — MSOKO_KEPT_PARTS)`],
    [label, 'CPU процесса на пересчёт: с текстами / без (медиана)', `${sec(median(cpuTexts))} / ${sec(median(cpuPlain))}`, `проходы: ${cpuTexts.map(sec).join(', ')} / ${cpuPlain.map(sec).join(', ')}; ${times(median(cpuTexts) / median(cpuPlain))}; ${h.kind === 'pglite' ? 'с базой (PGlite в этом процессе)' : 'только процесс Node (сервер отдельно)'}`],
    [label, 'из него: чтение текущих значений по предметам (медиана)', sec(median(reads)), `проходы: ${reads.map(sec).join(', ')}; как читает холодный пересчёт: число видимых строк каждой работы (workRowStamps), затем строки работ по одной (worksRows, индекс 0022)`],
    [label, 'то же одним SQL-запросом (медиана)', sec(base), `проходы: ${baseline.map(sec).join(', ')}; доли успешности и качества, признак необъективности по школе × предмету × классу`],
    [label, 'отношение msoko / SQL с текстами (медиана)', times(ratio), `проходы: ${ratios.map(times).join(', ')}; цель ≤ 3× — ${verdict(ratio <= 3)}`],
    [label, 'отношение msoko / SQL без текстов (медиана)', times(plainRatio), `проходы: ${plainRatios.map(times).join(', ')}; цель ≤ 3× — ${verdict(plainRatio <= 3)}`],
    [label, 'показатели msoko и SQL', `совпало ${same.toLocaleString('ru-RU')} из ${compared.toLocaleString('ru-RU')}`, `доля «3»–«5», доля «4»–«5», признак необъективности (да у ${signs.toLocaleString('ru-RU')}); пересчёт без текстов — столько же`],
    [label, 'запрос анализа: предмет × класс, p50 / p95', `${msText(median(query))} / ${msText(p95)}`, `${query.length} запросов: рейтинг по доле «3»–«5» со строками региона и муниципалитета и признаки необъективности по представлению результатов (построено за ${msText(viewMs)}); цель p95 < 100 мс — ${verdict(p95 < 100)}`],
    [label, 'тот же рейтинг SQL-запросом, p50 / p95', `${msText(median(sqlQuery))} / ${msText(sqlP95)}`, `отношение p95 msoko / SQL ${(p95 / sqlP95).toFixed(2).replace('.', ',')}×; совпали рейтинг, число строк и признаков в ${checked} из ${all.length}`],
    [label, 'запрос анализа одной работы сервером (getWorkAnalysis), p50 / p95', `${msText(median(workQuery))} / ${msText(workP95)}`, `${workQuery.length} запросов: чтение строк работы (индекс 0022), расчёт, рейтинги по каждому показателю, признаки${YEARS > 1 ? ', та же работа прошлого мониторинга' : ''}; без пересчёта мониторинга и представления; равен рейтингу и признакам представления в ${checked} из ${all.length}; цель p95 < 100 мс — ${verdict(workP95 < 100)}`],
    [label, 'запрос анализа одной работы по показателю сервером (indicator), p50 / p95', `${msText(median(oneQuery))} / ${msText(oneP95)}`, `${oneQuery.length} запросов: то, что показывает страница, — рейтинг по доле «3»–«5» и признаки; вычислены только этот показатель и признак необъективности${YEARS > 1 ? ', та же работа прошлого мониторинга' : ''}; равен представлению в ${oneQuery.length} из ${all.length}; цель p95 < 100 мс — ${verdict(oneP95 < 100)}`],
    [label, 'тот же запрос повторно: из сохранённого представления, p50 / p95', `${msText(median(keptQuery))} / ${msText(keptP95)}`, `${keptQuery.length} запросов, ${keptHits} ответов из сохранённых представлений (work-views.ts: прочитаны участники и число видимых строк работы, без строк и расчёта)${YEARS > 1 ? ' — этого и прошлого мониторинга' : ''}; равен представлению; цель p95 < 100 мс — ${verdict(keptP95 < 100)}`],
    [label, 'память сохранённых представлений после этих запросов', keptMemory, `${keptSize.views} представлений, ${keptSize.cells.toLocaleString('ru-RU')} ячеек (строка × (показатели + 1)) при бюджете ${keptBudget.toLocaleString('ru-RU')} (VPR_KEPT_CELLS; у сервера по умолчанию ${WORK_VIEW_CELLS.toLocaleString('ru-RU')})`],
    [label, 'тот же запрос после правки значения в работе, p50 / p95', `${msText(median(editedQuery))} / ${msText(quantile(editedQuery, 0.95))}`, `${editedQuery.length} запросов, каждый после правки формы одной школы в этой работе: работа этого мониторинга вычислена заново${YEARS > 1 ? ', прошлого — из сохранённого представления' : ''}`],
    [label, 'из него на один мониторинг: участники / строки работы / расчёт / представление (медиана)', `${msText(median(workPhases.participants))} / ${msText(median(workPhases.rows))} / ${msText(median(workPhases.engine))} / ${msText(median(workPhases.view))}`, `${all.length} работ текущего мониторинга: workParticipants, workRows (work-read.ts), computeDimensional (только показатель и признак), dimensionalView; нагрузка ${load()}`],
  ];
  return { rows, notes: [`${label}, применение импорта по частям (часы / CPU процесса${h.kind === 'pglite' ? ', с базой' : ', без сервера'}): ${phases}.`] };
}

/** A school's form edit in a work (the first school with rows there): 0,01 % moved from «4» to «5». */
export async function editWork(db: Kysely<Database>, actor: Actor, campaignId: string, dims: { subject: string; grade: string }): Promise<void> {
  const [first] = [...(await workRows(db, campaignId, dims)).entries()];
  const values = first?.[1][0]?.values;
  const four = Number(values?.vpr_share_4?.value);
  const five = Number(values?.vpr_share_5?.value);
  if (!first || !Number.isFinite(four) || !Number.isFinite(five)) throw new Error(`${dims.subject}, ${dims.grade} класс: нет долей школы для правки`);
  const values2 = [{ input: 'vpr_share_4', value: Math.round((four - 0.01) * 100) / 100 }, { input: 'vpr_share_5', value: Math.round((five + 0.01) * 100) / 100 }];
  await appendValues(db, actor, await findCampaignRow(db, campaignId), first[0], values2.map((v) => ({ ...v, dimensions: dims, evidenceUrl: null })), 'form', null);
}

/** The results and rows the bench lets the kept parts hold: every part of a full year's recompute with texts and of
 * the one without (VPR_KEPT_RESULTS). */
const KEPT_PARTS = Number(process.env.VPR_KEPT_RESULTS || 4_000_000);

type Check = (r: Awaited<ReturnType<typeof computeCampaignResults>>, figures: Awaited<ReturnType<typeof sqlFigures>>, count: boolean) => number;

/** `PASSES` times: a form edit in a work (each time another), the recompute with texts, the one without, and the one
 * with texts again with nothing changed; every result checked against SQL (the three figures of every school × work). */
async function editedRecomputes(db: Kysely<Database>, actor: Actor, current: string, all: readonly { subject: string; grade: string }[], check: Check) {
  const texts: number[] = [];
  const plain: number[] = [];
  const unchanged: number[] = [];
  let agreed = 0;
  let compared = 0;
  const edit = async (i: number) => {
    const w = all[i % all.length] as { subject: string; grade: string };
    await editWork(db, actor, current, { subject: w.subject, grade: w.grade });
  };
  const timed = async (list: number[], explain: boolean) => {
    const a = performance.now();
    const r = await computeCampaignResults(db, current, { basis: 'all', explain });
    list.push(performance.now() - a);
    const figures = await sqlFigures(db, current);
    agreed += check(r, figures, false);
    compared += figures.length;
  };
  // The parts of both computations kept first (as the cold recomputes above left them).
  await computeCampaignResults(db, current, { basis: 'all' });
  await computeCampaignResults(db, current, { basis: 'all', explain: false });
  for (let pass = 0; pass < PASSES; pass++) {
    await edit(pass);
    await timed(texts, true);
    await timed(plain, false);
    await timed(unchanged, true);
  }
  if (agreed !== compared) throw new Error(`после правок показатели расходятся с SQL: совпало ${agreed} из ${compared}`);
  return { texts, plain, unchanged, agreed: `${agreed.toLocaleString('ru-RU')} из ${compared.toLocaleString('ru-RU')}` };
}

/** The heap the kept parts hold (a full collection with them and without them; they are cleared), or why it is not
 * measured, with how many parts and results and rows they were. */
function keptPartsMemory(db: Kysely<Database>): { memory: string; parts: number; size: number } {
  const { values: parts, size } = keptParts(db).usage;
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return { memory: 'не замерено (нет --expose-gc)', parts, size };
  gc();
  const withParts = process.memoryUsage().heapUsed;
  keptParts(db).clear();
  gc();
  const bytes = withParts - process.memoryUsage().heapUsed;
  return { memory: `${(bytes / 2 ** 20).toFixed(0)} МБ, ${Math.round(bytes / Math.max(1, size)).toLocaleString('ru-RU')} байт на результат или строку`, parts, size };
}

export async function run(): Promise<BenchTable> {
  const rows: (string | number)[][] = [];
  const notes = [
    `Машина: ${os.cpus()[0]?.model ?? '?'} × ${os.cpus().length}, Node ${process.version}, нагрузка в начале ${load()} (1 / 5 / 15 мин). Машину делят с другими (тесты): при нагрузке выше числа ядер времена завышены.`,
    '«Пересчёт» — computeCampaignResults целиком (участники, текущие значения по предметам и классам, таблицы, показатели, агрегаты): «с текстами» — с объяснением каждой цифры (по умолчанию; страница анализа), «без текстов» — explain: false (предложения рекомендаций, эффект решений, ежегодный доклад, «что если»); проход: с текстами, без текстов, SQL. «SQL» — только три показателя по школе × предмету × классу.',
    `Строк школ: ${SUBJECTS.length * GRADES.length * ORGS * YEARS} за ${YEARS} лет (по ${SUBJECTS.length * GRADES.length * ORGS} в «Статистике по отметкам» и в «Сравнении с журналом» за год).`,
  ];
  const engines = (process.env.VPR_ENGINES || 'pglite,postgres').split(',');
  if (engines.includes('pglite')) {
    const r = await withPgliteDatabase('vpr', (h) => measure('PGlite', h));
    rows.push(...r.rows);
    notes.push(...r.notes);
  }
  const server = process.env.BENCH_DATABASE_URL;
  if (server && engines.includes('postgres')) {
    const r = await withServerDatabase(server, 'vpr', (h) => measure('PostgreSQL', h));
    rows.push(...r.rows);
    notes.push(...r.notes);
  } else if (!server) notes.push('BENCH_DATABASE_URL не задан: замер на сервере PostgreSQL пропущен.');
  return { head: ['СУБД', 'что', 'значение', 'примечание'], rows, notes };
}
