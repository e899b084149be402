/** The `import.apply` job: all or nothing. The whole file is read and validated OUTSIDE any transaction (yielding to
 * the event loop every few thousand rows and reporting progress), the changed values are computed against the current
 * ones, and only then one short transaction appends everything with batched multi-row inserts (`unnest` of arrays,
 * 5,000 values a statement: each statement is short, so the process answers between them): submissions created where missing, the value history rows (source `import`, sourceRef
 * «file, строка N»), the import's report, one audit entry, and the job marked done — fenced by the worker's lock, so
 * a job another worker took over cannot commit twice. Any error in the file: nothing is written, the report lists
 * the rows and cells. A crash mid-transaction leaves nothing (PostgreSQL rolls back), and the stale job is failed at
 * the next start. */
import { sql, type Kysely } from 'kysely';
import { plural } from '../core/format.ts';
import { progressText } from '../core/jobs/recovery.ts';
import { importSettingsSchema, type ImportReport } from '../core/imports/schema.ts';
import { ImportValidator, type PreparedRow } from '../core/imports/validate.ts';
import type { Database } from '../db/schema.ts';
import { recordAudit } from './audit.ts';
import { campaignMethodology, currentValuesOfCampaign, findCampaignRow } from './campaigns.ts';
import type { Actor } from './errors.ts';
import { campaignOrgRefs, IMPORT_JOB, importTable, yieldToEventLoop } from './imports.ts';
import { JobFailure, registerJobHandler, type JobContext } from './jobs.ts';

const BATCH = 5_000;

interface Planned {
  org: string[];
  input: string[];
  value: string[];
  evidence: (string | null)[];
  ref: string[];
  unchanged: number;
}

/** The values that differ from the current ones (unchanged values write nothing, as in a form), sorted by organisation
 * so the index and the foreign-key checks walk in order. */
async function plan(db: Kysely<Database>, campaignId: string, rows: PreparedRow[], refOf: (line: number) => string): Promise<Planned> {
  const current = await currentValuesOfCampaign(db, campaignId);
  const out: Planned = { org: [], input: [], value: [], evidence: [], ref: [], unchanged: 0 };
  const sorted = [...rows].sort((a, b) => (a.organisationId < b.organisationId ? -1 : a.organisationId > b.organisationId ? 1 : 0));
  for (const r of sorted) {
    const cur = current.get(r.organisationId) ?? {};
    for (const v of r.values) {
      const c = cur[v.input];
      const evidence = v.evidenceUrl ?? (c?.evidenceUrl ?? null);
      const value = v.value === null && c ? c.value : v.value;
      if (c && JSON.stringify(c.value) === JSON.stringify(value) && (c.evidenceUrl ?? null) === evidence) {
        out.unchanged++;
        continue;
      }
      out.org.push(r.organisationId);
      out.input.push(v.input);
      out.value.push(JSON.stringify(value));
      out.evidence.push(evidence);
      out.ref.push(refOf(r.line));
    }
  }
  return out;
}

async function maxHistoryId(db: Kysely<Database>, campaignId: string): Promise<number> {
  const r = await db.selectFrom('value_history').select(sql<number>`coalesce(max(id), 0)::bigint`.as('m')).where('campaign_id', '=', campaignId).executeTakeFirstOrThrow();
  return Number(r.m);
}

async function run(ctx: JobContext): Promise<ImportReport> {
  const started = Date.now();
  const { db } = ctx;
  const importId = String((ctx.job.payload as { importId?: string }).importId ?? '');
  const imp = await db.selectFrom('imports').select(['id', 'campaign_id', 'file_name', 'format', 'file_sha256', 'settings', 'status']).where('id', '=', importId).executeTakeFirst();
  if (!imp) throw new JobFailure('Импорт не найден');
  const actorRow = ctx.job.created_by ? await db.selectFrom('users').select(['id', 'login']).where('id', '=', ctx.job.created_by).executeTakeFirst() : undefined;
  const actor: Actor = { userId: actorRow?.id ?? null, login: actorRow?.login ?? 'system', ip: null };
  const settings = importSettingsSchema.parse(imp.settings);
  const reject = async (message: string, report: ImportReport | null) => {
    await db.updateTable('imports').set({ status: report ? 'rejected' : 'failed', report: report ? JSON.stringify(report) : null }).where('id', '=', imp.id).execute();
    await recordAudit(db, actor, { action: 'import.apply.rejected', targetType: 'import', targetId: imp.id, details: { file: imp.file_name, message, errorCount: report?.errorCount ?? null } });
    return new JobFailure(message, report);
  };

  const campaign = await findCampaignRow(db, imp.campaign_id);
  if (campaign.status !== 'open') throw await reject('Мониторинг не открыт для сбора данных: импорт не применён', null);
  const m = await campaignMethodology(db, campaign.methodology_id, campaign.methodology_version);
  await ctx.progress(0, null, 'Чтение файла', true);
  const table = await importTable(db, { id: imp.id, format: imp.format }, settings.sheet ?? null);
  const total = table.rows.length;
  const orgs = await campaignOrgRefs(db, campaign.id);
  const validator = new ImportValidator(settings, table.header, m.fields, m.methodology.inputs, orgs, 1000);
  for (const [i, row] of table.rows.entries()) {
    validator.row(row);
    if (i % 2000 === 1999) {
      await ctx.progress(i + 1, total, progressText('Проверено строк', i + 1, total));
      await yieldToEventLoop();
    }
  }
  const res = validator.result();
  const baseReport = { rows: total, organisations: res.rows.length, values: 0, unchanged: 0, skipped: res.skipped, errorCount: res.errorCount, errors: res.errors };
  if (res.errorCount > 0) {
    throw await reject(`В файле ${res.errorCount} ${plural(res.errorCount, ['ошибка', 'ошибки', 'ошибок'])}: ничего не изменено. Исправьте файл и загрузите его снова.`, baseReport);
  }
  if (res.rows.length === 0) throw await reject('В файле нет строк со значениями для импорта: ничего не изменено', baseReport);

  const where = table.sheet && imp.format === 'xlsx' ? `${imp.file_name}, лист «${table.sheet}»` : imp.file_name;
  const refOf = (line: number) => `${where}, строка ${line}`;
  await ctx.progress(total, total, 'Подготовка записи', true);
  const mark = await maxHistoryId(db, campaign.id);
  let planned = await plan(db, campaign.id, res.rows, refOf);
  const orgIds = [...new Set(res.rows.map((r) => r.organisationId))];
  await ctx.progress(0, planned.org.length, `Запись в базу данных: ${planned.org.length} ${plural(planned.org.length, ['значение', 'значения', 'значений'])}`, true);
  await yieldToEventLoop();

  const writeStarted = Date.now();
  return db.transaction().execute(async (trx) => {
    const c = await trx.selectFrom('campaigns').select('status').where('id', '=', campaign.id).forShare().executeTakeFirstOrThrow();
    if (c.status !== 'open') throw new JobFailure('Мониторинг закрыт во время импорта: ничего не изменено');
    const state = await trx.selectFrom('imports').select('status').where('id', '=', imp.id).forUpdate().executeTakeFirstOrThrow();
    if (state.status === 'applied') throw new JobFailure('Этот файл уже применён');
    // A form was saved since the plan: compute the changes again, now under the transaction.
    if ((await maxHistoryId(trx, campaign.id)) !== mark) planned = await plan(trx, campaign.id, res.rows, refOf);
    const locked = await trx
      .selectFrom('submissions as s')
      .innerJoin('organisations as o', 'o.id', 's.organisation_id')
      .select(['o.short_name', 's.status'])
      .where('s.campaign_id', '=', campaign.id)
      .where('s.status', 'in', ['submitted', 'accepted'])
      .where('s.organisation_id', '=', sql<string>`any(${orgIds}::uuid[])`)
      .execute();
    if (locked.length) throw new JobFailure(`Формы организаций отправлены или приняты во время импорта: ${locked.map((l) => l.short_name).join(', ')}. Ничего не изменено.`);
    const touched = [...new Set(planned.org)];
    for (let i = 0; i < touched.length; i += BATCH) {
      const created = await sql<{ id: string }>`
        insert into submissions (campaign_id, organisation_id)
        select ${campaign.id}::uuid, o from unnest(${touched.slice(i, i + BATCH)}::uuid[]) as t(o)
        on conflict (campaign_id, organisation_id) do nothing returning id`.execute(trx);
      if (created.rows.length) {
        await sql`
          insert into submission_events (submission_id, from_status, to_status, actor_user_id, actor_login)
          select s, null, 'draft', ${actor.userId}::uuid, ${actor.login} from unnest(${created.rows.map((r) => r.id)}::uuid[]) as t(s)`.execute(trx);
      }
    }
    for (let i = 0; i < planned.org.length; i += BATCH) {
      const j = i + BATCH;
      await sql`
        insert into value_history (campaign_id, organisation_id, input, value, evidence_url, source, source_ref, actor_user_id, actor_login)
        select ${campaign.id}::uuid, o, n, v, e, 'import', r, ${actor.userId}::uuid, ${actor.login}
        from unnest(${planned.org.slice(i, j)}::uuid[], ${planned.input.slice(i, j)}::text[], ${planned.value.slice(i, j)}::jsonb[], ${planned.evidence.slice(i, j)}::text[], ${planned.ref.slice(i, j)}::text[]) as t(o, n, v, e, r)`.execute(trx);
    }
    if (touched.length) {
      await trx.updateTable('submissions').set({ updated_at: sql`now()` }).where('campaign_id', '=', campaign.id).where('organisation_id', '=', sql<string>`any(${touched}::uuid[])`).execute();
    }
    const report: ImportReport = { ...baseReport, organisations: touched.length, values: planned.org.length, unchanged: planned.unchanged, seconds: Math.round((Date.now() - started) / 100) / 10, writeSeconds: Math.round((Date.now() - writeStarted) / 100) / 10 };
    await trx.updateTable('imports').set({ status: 'applied', applied_at: sql`now()`, report: JSON.stringify(report) }).where('id', '=', imp.id).execute();
    await recordAudit(trx, actor, {
      action: 'import.apply',
      targetType: 'import',
      targetId: imp.id,
      details: { campaignId: campaign.id, file: imp.file_name, sha256: imp.file_sha256, sheet: table.sheet ?? null, rows: total, organisations: touched.length, values: planned.org.length, unchanged: planned.unchanged, skipped: res.skipped.length, jobId: ctx.job.id },
    });
    await ctx.completeIn(trx, report);
    return report;
  });
}

/** An import still `queued` after its job ended without applying it is `failed` (a refusal under the transaction,
 * an internal error, a dead worker). */
async function markFailed(db: Kysely<Database>, job: { payload: unknown }): Promise<void> {
  const importId = String((job.payload as { importId?: string }).importId ?? '');
  if (importId) await db.updateTable('imports').set({ status: 'failed' }).where('id', '=', importId).where('status', '=', 'queued').execute();
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
