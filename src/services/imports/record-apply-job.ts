/** The `records.apply` job: a record list applied in the background with progress, like a table import (the web
 * wizard starts it; `POST /api/imports/:id/records/apply` still applies in the request for API clients). Starting it
 * checks the campaign and the import and queues the job in one transaction (the import `queued` with the job's id);
 * the job validates the whole list and writes it all or nothing (applyRecordList), completing the job inside that
 * transaction. Any refusal — a bad cell, an unresolved organisation, the campaign closed meanwhile — fails the job with
 * the Russian message and puts the import back to `uploaded`, so the analyst can resolve and start again; so does a
 * worker that died (nothing of the list was committed). */
import type { Kysely } from 'kysely';
import { recordApplySchema } from '../../core/imports/record-list.ts';
import type { Database } from '../../db/schema.ts';
import { recordAudit } from '../admin/audit.ts';
import { findCampaignRow } from '../collection/campaigns.ts';
import { ServiceError, parseInput, type Actor } from '../errors.ts';
import { enqueueJob, JobFailure, present as presentJob, registerJobHandler, type JobView } from './jobs.ts';
import { applyRecordList, findImportRow, type AppliedRecordList } from './record-lists.ts';

export const RECORDS_JOB = 'records.apply';

async function backToUploaded(db: Kysely<Database>, importId: string, jobId: string): Promise<void> {
  await db.updateTable('imports').set({ status: 'uploaded', job_id: null }).where('id', '=', importId).where('job_id', '=', jobId).where('status', '=', 'queued').execute();
}

/** Queues the application of the list with the analyst's settings; answers with the job to follow. */
export async function startRecordListApply(db: Kysely<Database>, actor: Actor, importId: string, input: unknown): Promise<{ job: JobView }> {
  const settings = parseInput(recordApplySchema, input ?? {});
  const imp = await findImportRow(db, importId);
  const campaign = await findCampaignRow(db, imp.campaign_id);
  if (campaign.status !== 'open' && campaign.status !== 'draft') throw new ServiceError('conflict', 'CAMPAIGN_NOT_OPEN', campaign.status === 'published' ? 'Мониторинг опубликован: импорт невозможен' : 'Мониторинг закрыт: импорт возможен только после повторного открытия с указанием причины');
  return db.transaction().execute(async (trx) => {
    const locked = await trx.selectFrom('imports').select('status').where('id', '=', imp.id).forUpdate().executeTakeFirstOrThrow();
    if (locked.status === 'queued' || locked.status === 'writing') throw new ServiceError('conflict', 'IMPORT_RUNNING', 'Этот файл уже применяется');
    if (locked.status === 'applied') throw new ServiceError('conflict', 'IMPORT_APPLIED', 'Этот файл уже применён');
    const job = await enqueueJob(trx, actor, { kind: RECORDS_JOB, payload: { importId: imp.id, campaignId: campaign.id, settings }, message: 'Ожидает начала обработки', maxAttempts: 1 });
    await trx.updateTable('imports').set({ status: 'queued', job_id: job.id, report: null }).where('id', '=', imp.id).execute();
    await recordAudit(trx, actor, { action: 'campaign.records.apply.start', targetType: 'import', targetId: imp.id, details: { campaignId: campaign.id, file: imp.file_name, jobId: job.id } });
    return { job: presentJob(job) };
  });
}

registerJobHandler({
  kind: RECORDS_JOB,
  maxAttempts: 1,
  async run(ctx): Promise<AppliedRecordList> {
    const { db, job } = ctx;
    const payload = job.payload as { importId?: string; settings?: unknown };
    const importId = String(payload.importId ?? '');
    const row = job.created_by ? await db.selectFrom('users').select(['id', 'login']).where('id', '=', job.created_by).executeTakeFirst() : undefined;
    const actor: Actor = { userId: row?.id ?? null, login: row?.login ?? 'system', ip: null };
    try {
      return await applyRecordList(db, actor, importId, payload.settings ?? {}, {
        kind: ctx.kind,
        job: { id: job.id, completeIn: (trx, result) => ctx.completeIn(trx, result) },
        progress: (message) => ctx.progress(0, null, message, true),
      });
    } catch (err) {
      await backToUploaded(db, importId, job.id);
      if (err instanceof ServiceError) throw new JobFailure(err.message, { code: err.code, fields: err.fields ?? [] });
      throw err;
    }
  },
  async onAbandoned(db, job) {
    await backToUploaded(db, String((job.payload as { importId?: string }).importId ?? ''), job.id);
  },
});
