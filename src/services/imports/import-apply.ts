/** The `import.apply` job: all or nothing, without blocking other users.
 * 1. The whole file is read and validated OUTSIDE any transaction (yielding to the event loop every few thousand rows
 *    and reporting progress); any error: nothing is written, the report lists the rows and cells.
 * 2. The values that differ from the current ones are appended in short transactions of about 10,000 values, each row
 *    carrying the job's id, while the import is `writing`: they are invisible (`value_history_visible`, migration
 *    0013), so readers never see half a file, and other users' queries run between the chunks. Ordinary values go to
 *    `value_history`, a row per value; per-dimension values (ФИС ОКО) to `value_rows` (migration 0020), a row per
 *    organisation × dimension values holding the inputs that changed.
 * 3. One short final transaction — fenced by the worker's lock, so a job another worker took over cannot commit
 *    twice — refuses if someone changed the same organisations meanwhile, creates missing submissions, marks the
 *    import `applied` (all its rows become visible at once), writes the report and one audit entry.
 * A crash or a refusal at any point leaves the written rows invisible (the import is `failed`, by the stale-job
 * recovery after a crash); the log stays append-only. */
import { sql, type Kysely } from 'kysely';
import { plural } from '../../core/format.ts';
import { progressText } from '../../core/jobs/recovery.ts';
import { importSettingsSchema, type ImportReport } from '../../core/imports/schema.ts';
import { othersBetween, type IdRange } from '../../core/imports/id-gaps.ts';
import { ImportValidator } from '../../core/imports/validate.ts';
import type { Database } from '../../db/schema.ts';
import { newestValueId, visibleValueRow } from '../../db/value-rows.ts';
import { recordAudit } from '../admin/audit.ts';
import { campaignMethodology, findCampaignRow } from '../collection/campaigns.ts';
import type { Actor } from '../errors.ts';
import { notePhase, phaseStart } from './apply-phases.ts';
import { fisOkoStoredSchema, prepareStoredFisOko } from './fisoko-import.ts';
import { plan, type PlanRow } from './import-plan.ts';
import { CHUNK, historyInsert, rowChunks, rowsInsert, unpack } from './import-write.ts';
import { campaignOrgRefs, IMPORT_JOB, importTable, isFisOko } from './imports.ts';
import { yieldToEventLoop } from '../event-loop.ts';
import { JobFailure, registerJobHandler, type JobContext } from './jobs.ts';

const BATCH = 5_000;

/** The campaign's highest value id in either table (they share `value_history`'s sequence). */
async function maxHistoryId(db: Kysely<Database>, campaignId: string): Promise<number> {
  const r = await sql<{ m: number | string | null }>`select ${newestValueId(sql`${campaignId}::uuid`)} as m`.execute(db);
  return Number(r.rows[0]?.m ?? 0);
}

interface ReadRows {
  rows: readonly PlanRow[];
  total: number;
  sheet: string | null;
  /** ФИС ОКО: schools or dimension values still to confirm (the start refuses this; the job checks again). */
  unresolved: boolean;
  baseReport: Omit<ImportReport, 'seconds' | 'writeSeconds' | 'blockingSeconds'>;
}

/** One table of form values: the mapping's validation of every row (ImportValidator). */
async function tableRows(ctx: JobContext, imp: { id: string; format: 'csv' | 'xlsx'; file_name: string; settings: unknown }, campaign: Awaited<ReturnType<typeof findCampaignRow>>): Promise<ReadRows> {
  const settings = importSettingsSchema.parse(imp.settings);
  const m = await campaignMethodology(ctx.db, campaign.methodology_id, campaign.methodology_version);
  const table = await importTable(ctx.db, { id: imp.id, format: imp.format }, settings.sheet ?? null);
  const total = table.rows.length;
  const orgs = await campaignOrgRefs(ctx.db, campaign.id);
  const validator = new ImportValidator(settings, table.header, m.fields, m.methodology.inputs, orgs, 1000);
  for (const [i, row] of table.rows.entries()) {
    validator.row(row);
    if (i % 2000 === 1999) {
      await ctx.progress(i + 1, total, progressText('Проверено строк', i + 1, total));
      await yieldToEventLoop();
    }
  }
  const res = validator.result();
  const where = table.sheet && imp.format === 'xlsx' ? `${imp.file_name}, лист «${table.sheet}»` : imp.file_name;
  return {
    rows: res.rows.map((r) => ({ organisationId: r.organisationId, dimensions: null, ref: `${where}, строка ${r.line}`, values: r.values })),
    total,
    sheet: table.sheet ?? null,
    unresolved: false,
    baseReport: { rows: total, organisations: res.rows.length, values: 0, unchanged: 0, skipped: res.skipped, errorCount: res.errorCount, errors: res.errors },
  };
}

/** ФИС ОКО reports: every file read again and prepared with the confirmations and aliases the import was started with. */
async function fisOkoRows(ctx: JobContext, importId: string, settings: unknown): Promise<ReadRows> {
  const stored = fisOkoStoredSchema.parse(settings);
  const p = await prepareStoredFisOko(ctx.db, importId, { confirmations: stored.confirmations ?? {}, aliases: stored.aliases ?? {} });
  const r = p.result;
  return {
    // The prepared rows as they are (no evidence): shared with the preview's cache, read only.
    rows: r.rows,
    total: p.rows,
    sheet: null,
    unresolved: r.issues.length > 0 || r.aliasOffers.length > 0,
    baseReport: {
      rows: p.rows, organisations: r.organisations, values: 0, unchanged: 0, skipped: [], errorCount: r.errorCount,
      errors: r.errors.slice(0, 1000).map((e) => ({ line: e.line ?? 0, column: e.column, message: e.message, text: e.text })),
    },
  };
}

async function run(ctx: JobContext): Promise<ImportReport> {
  const started = Date.now();
  const { db } = ctx;
  const importId = String((ctx.job.payload as { importId?: string }).importId ?? '');
  const imp = await db.selectFrom('imports').select(['id', 'campaign_id', 'file_name', 'format', 'file_sha256', 'settings', 'status']).where('id', '=', importId).executeTakeFirst();
  if (!imp) throw new JobFailure('Импорт не найден');
  const actorRow = ctx.job.created_by ? await db.selectFrom('users').select(['id', 'login']).where('id', '=', ctx.job.created_by).executeTakeFirst() : undefined;
  const actor: Actor = { userId: actorRow?.id ?? null, login: actorRow?.login ?? 'system', ip: null };
  const reject = async (message: string, report: ImportReport | null) => {
    await db.updateTable('imports').set({ status: report ? 'rejected' : 'failed', report: report ? JSON.stringify(report) : null }).where('id', '=', imp.id).execute();
    await recordAudit(db, actor, { action: 'import.apply.rejected', targetType: 'import', targetId: imp.id, details: { file: imp.file_name, message, errorCount: report?.errorCount ?? null } });
    return new JobFailure(message, report);
  };

  const campaign = await findCampaignRow(db, imp.campaign_id);
  if (campaign.status !== 'open') throw await reject('Мониторинг не открыт для сбора данных: импорт не применён', null);
  await ctx.progress(0, null, isFisOko(imp.settings) ? 'Чтение файлов ФИС ОКО' : 'Чтение файла', true);
  let t = phaseStart();
  const read = isFisOko(imp.settings) ? await fisOkoRows(ctx, imp.id, imp.settings) : await tableRows(ctx, imp, campaign);
  const { total, baseReport } = read;
  if (baseReport.errorCount > 0 || read.unresolved) {
    const what = baseReport.errorCount > 0 ? `В файле ${baseReport.errorCount} ${plural(baseReport.errorCount, ['ошибка', 'ошибки', 'ошибок'])}` : 'Не все школы или значения сопоставлены';
    throw await reject(`${what}: ничего не изменено. Исправьте файл и загрузите его снова.`, baseReport);
  }
  if (read.rows.length === 0) throw await reject('В файле нет строк со значениями для импорта: ничего не изменено', baseReport);
  const sheet = read.sheet;
  t = notePhase('job: read', t);

  await ctx.progress(total, total, 'Подготовка записи', true);
  const mark = await maxHistoryId(db, campaign.id);
  t = notePhase('job: mark', t);
  const planned = await plan(db, campaign.id, read.rows);
  t = performance.now();
  const orgIds = [...new Set(read.rows.map((r) => r.organisationId))];
  const count = planned.values;
  await ctx.progress(0, count, `Запись в базу данных: ${count} ${plural(count, ['значение', 'значения', 'значений'])}`, true);
  await yieldToEventLoop();

  const writeStarted = Date.now();
  await beginWriting(db, imp.id, ctx.job.id);
  const written: IdRange[] = [];
  let done = 0;
  for (let i = 0; i < planned.org.length; i += CHUNK) {
    const j = Math.min(i + CHUNK, planned.org.length);
    written.push(await writeChunk(ctx, campaign.id, planned.org.slice(i, j), historyInsert(ctx.job.id, campaign.id, planned, i, j, actor)));
    done += j - i;
    await ctx.progress(done, count, progressText('Записано значений', done, count));
    await yieldToEventLoop();
  }
  const rows = planned.rows;
  for (const { from, to } of rowChunks(rows.org.length)) {
    written.push(await writeChunk(ctx, campaign.id, rows.org.slice(from, to), rowsInsert(ctx.job.id, campaign.id, planned, from, to, actor)));
    for (let k = from; k < to; k++) done += rows.count[k] as number;
    await ctx.progress(done, count, progressText('Записано значений', done, count));
    await yieldToEventLoop();
  }
  t = notePhase('job: write', t);
  await ctx.progress(count, count, 'Завершение: значения становятся видны', true);
  const finalStarted = Date.now();
  return db.transaction().execute(async (trx) => {
    if (ctx.kind === 'pglite') await sql`set local session_replication_role = replica`.execute(trx);
    const c = await trx.selectFrom('campaigns').select('status').where('id', '=', campaign.id).forShare().executeTakeFirstOrThrow();
    if (c.status !== 'open') throw new JobFailure('Мониторинг закрыт во время импорта: ничего не изменено');
    const state = await trx.selectFrom('imports').select(['status', 'job_id']).where('id', '=', imp.id).forUpdate().executeTakeFirstOrThrow();
    if (state.status !== 'writing' || state.job_id !== ctx.job.id) throw new JobFailure('Импорт прерван: ничего не изменено');
    await refuseConcurrentChanges(trx, campaign.id, ctx.job.id, othersBetween(mark, written), new Set(orgIds));
    const touched = [...new Set([...planned.org, ...planned.rows.org])];
    await createMissingSubmissions(trx, campaign.id, touched, actor);
    const report: ImportReport = {
      ...baseReport,
      organisations: touched.length,
      values: planned.values,
      unchanged: planned.unchanged,
      seconds: Math.round((Date.now() - started) / 100) / 10,
      writeSeconds: Math.round((Date.now() - writeStarted) / 100) / 10,
      blockingSeconds: Math.round((Date.now() - finalStarted) / 100) / 10,
    };
    await trx.updateTable('imports').set({ status: 'applied', applied_at: sql`now()`, report: JSON.stringify(report) }).where('id', '=', imp.id).execute();
    await recordAudit(trx, actor, {
      action: 'import.apply',
      targetType: 'import',
      targetId: imp.id,
      details: { campaignId: campaign.id, file: imp.file_name, sha256: imp.file_sha256, sheet, rows: total, organisations: touched.length, values: planned.values, unchanged: planned.unchanged, skipped: baseReport.skipped.length, jobId: ctx.job.id },
    });
    await ctx.completeIn(trx, report);
    return report;
  }).finally(() => notePhase('job: final', t));
}

/** `queued` → `writing`: from here on the import's rows are in the log, invisible until it is applied. */
async function beginWriting(db: Kysely<Database>, importId: string, jobId: string): Promise<void> {
  const r = await db.updateTable('imports').set({ status: 'writing' }).where('id', '=', importId).where('status', '=', 'queued').where('job_id', '=', jobId).executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new JobFailure('Импорт уже применён или отменён: ничего не изменено');
}

/** One short transaction per chunk, so other users' queries run between chunks (PGlite has one connection). On PGlite
 * the foreign-key triggers are skipped (`session_replication_role = replica`, PGlite runs as superuser) after the
 * references are checked in the same transaction: nothing else runs on PGlite's single connection meanwhile, so the
 * check is as good as the triggers, at a fraction of the cost. On a PostgreSQL server, where transactions do run
 * concurrently, the foreign keys are checked as usual. */
async function writeChunk(ctx: JobContext, campaignId: string, orgIds: readonly string[], insert: ReturnType<typeof historyInsert>): Promise<IdRange> {
  return ctx.db.transaction().execute(async (trx) => {
    if (ctx.kind === 'pglite') {
      await sql`set local session_replication_role = replica`.execute(trx);
      const orgs = [...new Set(orgIds)];
      const found = await sql<{ n: number; c: number }>`
        select (select count(*)::int from organisations where id = any(${unpack(orgs, 'uuid')})) as n,
               (select count(*)::int from campaigns where id = ${campaignId}::uuid) as c`.execute(trx);
      const f = found.rows[0];
      if (!f || f.n !== orgs.length || f.c !== 1) throw new JobFailure('Организация или мониторинг удалены во время импорта: ничего не изменено');
    }
    const range = (await insert.execute(trx)).rows[0];
    if (!range) throw new Error('insert returned no range');
    return range;
  });
}

/** Values of the file's organisations saved by someone else (a form, another import) while this one was writing:
 * applying would hide their change behind older file values, so nothing is applied and the user is told to run the
 * import again (unchanged values are skipped then). Submissions sent or accepted meanwhile are locked likewise. */
async function refuseConcurrentChanges(trx: Kysely<Database>, campaignId: string, jobId: string, gaps: { lo: number[]; hi: number[] }, orgIds: ReadonlySet<string>): Promise<void> {
  // Both reads return few rows (saves in the gaps, sent forms); the file's organisations are matched here, not sent
  // as a 100,000-element array parameter (PGlite serialises those in JavaScript, element by element).
  // Both tables are read directly (not through the view, whose `value_rows` part is unnested per input).
  const saved = await sql<{ organisation_id: string; short_name: string }>`
    with g as (select * from unnest(${gaps.lo}::bigint[], ${gaps.hi}::bigint[]) as g(lo, hi)),
    v as (
      select vh.organisation_id, vh.import_job_id from g join value_history vh on vh.campaign_id = ${campaignId}::uuid and vh.id > g.lo and vh.id < g.hi
      union all
      select vr.organisation_id, vr.import_job_id from g join value_rows vr on vr.campaign_id = ${campaignId}::uuid and vr.id > g.lo and vr.id < g.hi)
    select distinct v.organisation_id, o.short_name from v join organisations o on o.id = v.organisation_id
    where v.import_job_id is distinct from ${jobId}::uuid
      and ${visibleValueRow('v')}`.execute(trx);
  const changed = saved.rows.filter((r) => orgIds.has(r.organisation_id)).map((r) => r.short_name).sort((x, y) => x.localeCompare(y, 'ru'));
  if (changed.length) {
    throw new JobFailure(`Во время импорта изменены данные организаций: ${changed.slice(0, 20).join(', ')}${changed.length > 20 ? ' и другие' : ''}. Ничего не изменено: примените файл снова.`);
  }
  const sent = await trx
    .selectFrom('submissions as s')
    .innerJoin('organisations as o', 'o.id', 's.organisation_id')
    .select(['o.id', 'o.short_name'])
    .where('s.campaign_id', '=', campaignId)
    .where('s.status', 'in', ['submitted', 'accepted'])
    .execute();
  const locked = sent.filter((r) => orgIds.has(r.id)).map((r) => r.short_name);
  if (locked.length) throw new JobFailure(`Формы организаций отправлены или приняты во время импорта: ${locked.join(', ')}. Ничего не изменено.`);
}

/** A draft submission (with its first event) for each organisation that had none; the others' `updated_at` moves. */
async function createMissingSubmissions(trx: Kysely<Database>, campaignId: string, touched: string[], actor: Actor): Promise<void> {
  const existing = new Set((await trx.selectFrom('submissions').select('organisation_id').where('campaign_id', '=', campaignId).execute()).map((r) => r.organisation_id));
  const missing = touched.filter((o) => !existing.has(o));
  const present = touched.filter((o) => existing.has(o));
  for (let i = 0; i < missing.length; i += BATCH) {
    await sql`
      with created as (
        insert into submissions (campaign_id, organisation_id)
        select ${campaignId}::uuid, o from unnest(${unpack(missing.slice(i, i + BATCH), 'uuid')}) as t(o)
        returning id)
      insert into submission_events (submission_id, from_status, to_status, actor_user_id, actor_login)
      select id, null, 'draft', ${actor.userId}::uuid, ${actor.login} from created`.execute(trx);
  }
  if (present.length) {
    await trx.updateTable('submissions').set({ updated_at: sql`now()` }).where('campaign_id', '=', campaignId).where('organisation_id', '=', sql<string>`any(${unpack(present, 'uuid')})`).execute();
  }
}

/** An import still `queued` or `writing` after its job ended without applying it is `failed` (a refusal under the
 * transaction, an internal error, a dead worker); rows it wrote stay invisible. */
async function markFailed(db: Kysely<Database>, job: { payload: unknown }): Promise<void> {
  const importId = String((job.payload as { importId?: string }).importId ?? '');
  if (importId) await db.updateTable('imports').set({ status: 'failed' }).where('id', '=', importId).where('status', 'in', ['queued', 'writing']).execute();
}

registerJobHandler({
  kind: IMPORT_JOB,
  maxAttempts: 1,
  async run(ctx) {
    try {
      return await run(ctx);
    } catch (err) {
      await markFailed(ctx.db, ctx.job);
      throw err;
    }
  },
  async onAbandoned(db, job, _message, final) {
    if (final) await markFailed(db, job);
  },
});
