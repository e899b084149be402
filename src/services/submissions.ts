/** Submissions: an organisation's form in a campaign. Values are append-only (`value_history`: every change is a new
 * row with who, when and the source; the current value is the latest row — this module only ever INSERTs into it).
 * Workflow draft → submitted → accepted | returned (with a comment) → submitted…; error findings block submitting,
 * warnings need the submitter's comment. Org representatives are limited to their organisation by `scope`. */
import { sql, type Kysely } from 'kysely';
import {
  saveValuesSchema,
  reviewSchema,
  returnSchema,
  submitSchema,
  type HistoryItem,
  type SubmissionState,
  type SubmissionView,
} from '../core/collection/schema.ts';
import { isOverdue, submissionTransition, valuesEditable, type SubmissionAction } from '../core/collection/workflow.ts';
import { checkSubmission, completeness, parseEvidenceUrl, parseFieldValue, type FieldValue, type Finding } from '../core/rules/check.ts';
import type { Database, ValueSource } from '../db/schema.ts';
import { recordAudit } from './audit.ts';
import { campaignMethodology, currentValuesOfCampaign, findCampaignRow, presentCampaign, type CampaignRecord } from './campaigns.ts';
import { ServiceError, parseInput, type Actor } from './errors.ts';
import { notifyReturned } from './notifications.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface Access {
  /** The caller's organisation when the policy scoped them (org representatives), else null. */
  scope: string | null;
}

/** Finds the campaign and checks that the organisation takes part and that the caller may see it. */
async function locate(db: Kysely<Database>, campaignId: string, organisationId: string, access: Access): Promise<{ campaign: CampaignRecord; org: { id: string; no: number; short_name: string; full_name: string } }> {
  if (access.scope && access.scope !== organisationId) throw new ServiceError('forbidden', 'FORBIDDEN', 'Недостаточно прав: можно работать только с формой своей организации');
  const campaign = await findCampaignRow(db, campaignId);
  if (access.scope && campaign.status === 'draft') throw new ServiceError('not_found', 'CAMPAIGN_NOT_FOUND', 'Мониторинг не найден');
  const org = UUID.test(organisationId)
    ? await db
        .selectFrom('campaign_organisations as co')
        .innerJoin('organisations as o', 'o.id', 'co.organisation_id')
        .select(['o.id', 'o.no', 'o.short_name', 'o.full_name'])
        .where('co.campaign_id', '=', campaign.id)
        .where('co.organisation_id', '=', organisationId)
        .executeTakeFirst()
    : undefined;
  if (!org) throw new ServiceError('not_found', 'NOT_A_PARTICIPANT', 'Организация не участвует в этом мониторинге');
  return { campaign, org };
}

function refuseClosed(campaign: CampaignRecord): void {
  if (campaign.status === 'open') return;
  const message =
    campaign.status === 'draft'
      ? 'Сбор данных по этому мониторингу ещё не открыт'
      : campaign.status === 'closed'
        ? 'Мониторинг закрыт: изменения возможны только после повторного открытия с указанием причины'
        : 'Мониторинг опубликован: изменения невозможны';
  throw new ServiceError('conflict', 'CAMPAIGN_NOT_OPEN', message);
}

function refuseLocked(status: SubmissionState): void {
  if (status === 'submitted') throw new ServiceError('conflict', 'SUBMISSION_LOCKED', 'Форма отправлена на проверку: изменить значения можно после возврата на доработку');
  if (status === 'accepted') throw new ServiceError('conflict', 'SUBMISSION_LOCKED', 'Форма принята: изменения невозможны');
}

/** The values of the organisation in its previous campaign of the same methodology id (an earlier period, not a draft). */
export async function previousCampaignValues(db: Kysely<Database>, campaign: CampaignRecord, organisationId: string): Promise<{ campaign: CampaignRecord; values: Record<string, FieldValue> } | null> {
  const prev = await db
    .selectFrom('campaigns as c')
    .innerJoin('campaign_organisations as co', 'co.campaign_id', 'c.id')
    .selectAll('c')
    .where('c.methodology_id', '=', campaign.methodology_id)
    .where('c.period_start', '<', campaign.period_start)
    .where('c.status', '<>', 'draft')
    .where('c.id', '<>', campaign.id)
    .where('co.organisation_id', '=', organisationId)
    .orderBy('c.period_start', 'desc')
    .orderBy('c.created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!prev) return null;
  const current = (await currentValuesOfCampaign(db, prev.id, organisationId)).get(organisationId) ?? {};
  const values: Record<string, FieldValue> = {};
  for (const [k, v] of Object.entries(current)) values[k] = v.value;
  return { campaign: prev, values };
}

async function submissionRow(db: Kysely<Database>, campaignId: string, organisationId: string) {
  return db.selectFrom('submissions').selectAll().where('campaign_id', '=', campaignId).where('organisation_id', '=', organisationId).executeTakeFirst();
}

/** The organisation's form: fields, current values with provenance, findings, completeness, workflow events. */
export async function getSubmissionView(db: Kysely<Database>, campaignId: string, organisationId: string, opts: Access & { today: string }): Promise<SubmissionView> {
  const { campaign, org } = await locate(db, campaignId, organisationId, opts);
  const m = await campaignMethodology(db, campaign.methodology_id, campaign.methodology_version);
  const sub = await submissionRow(db, campaign.id, org.id);
  const status: SubmissionState = sub?.status ?? 'not_started';
  const current = (await currentValuesOfCampaign(db, campaign.id, org.id)).get(org.id) ?? {};
  const prev = await previousCampaignValues(db, campaign, org.id);
  const findings = checkSubmission({ fields: m.fields, rules: m.rules.rules, change: m.rules.change, values: current, previous: prev?.values ?? null });
  const events = sub ? await db.selectFrom('submission_events').selectAll().where('submission_id', '=', sub.id).orderBy('id').execute() : [];
  const count = await db.selectFrom('campaign_organisations').select(sql<number>`count(*)::int`.as('n')).where('campaign_id', '=', campaign.id).executeTakeFirstOrThrow();
  return {
    campaign: presentCampaign(campaign, Number(count.n), m.title),
    organisation: { id: org.id, no: org.no, shortName: org.short_name, fullName: org.full_name },
    status,
    submitterComment: sub?.submitter_comment ?? null,
    reviewerComment: sub?.reviewer_comment ?? null,
    editable: valuesEditable(campaign.status, status),
    overdue: isOverdue(opts.today, campaign.due_on, campaign.status, status),
    fields: m.fields,
    values: Object.fromEntries(
      Object.entries(current).map(([k, v]) => [k, { value: v.value, evidenceUrl: v.evidenceUrl, at: v.at.toISOString(), actorLogin: v.actorLogin, source: v.source, sourceRef: v.sourceRef }]),
    ),
    findings,
    completeness: completeness(m.fields, current),
    previousCampaign: prev ? { id: prev.campaign.id, title: prev.campaign.title, period: prev.campaign.period_code } : null,
    events: events.map((e) => ({ at: new Date(e.at).toISOString(), fromStatus: e.from_status, toStatus: e.to_status, comment: e.comment, actorLogin: e.actor_login })),
  };
}

/** Gets the submission row, creating the draft (with its first event) when the organisation starts. */
async function ensureSubmission(trx: Kysely<Database>, actor: Actor, campaignId: string, organisationId: string) {
  const inserted = await trx
    .insertInto('submissions')
    .values({ campaign_id: campaignId, organisation_id: organisationId })
    .onConflict((oc) => oc.columns(['campaign_id', 'organisation_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) {
    await trx.insertInto('submission_events').values({ submission_id: inserted.id, from_status: null, to_status: 'draft', comment: null, actor_user_id: actor.userId, actor_login: actor.login }).execute();
  }
  return trx.selectFrom('submissions').selectAll().where('campaign_id', '=', campaignId).where('organisation_id', '=', organisationId).forUpdate().executeTakeFirstOrThrow();
}

export interface ValueEntry {
  input: string;
  value: FieldValue;
  evidenceUrl: string | null;
}

export interface SaveOptions extends Access {
  source: ValueSource;
  /** Provenance detail: `file.xlsx, строка 12` for imports, a client name for the API. */
  sourceRef?: string | null;
}

/** Appends the changed values (unchanged ones write nothing). Refused unless the campaign is open and the form is
 * with the organisation (draft or returned). Returns the names of the inputs written. */
export async function saveValues(db: Kysely<Database>, actor: Actor, campaignId: string, organisationId: string, input: unknown, opts: SaveOptions): Promise<string[]> {
  const data = parseInput(saveValuesSchema, input);
  const { campaign, org } = await locate(db, campaignId, organisationId, opts);
  refuseClosed(campaign);
  const m = await campaignMethodology(db, campaign.methodology_id, campaign.methodology_version);
  const fields = new Map(m.fields.map((f) => [f.name, f]));
  const errors: { path: string; message: string }[] = [];
  const entries: ValueEntry[] = [];
  for (const [name, v] of Object.entries(data.values)) {
    const field = fields.get(name);
    if (!field) {
      errors.push({ path: `values.${name}`, message: 'В форме нет такого поля' });
      continue;
    }
    const parsed = parseFieldValue(field, v.value);
    if (!parsed.ok) {
      errors.push({ path: `values.${name}`, message: parsed.message });
      continue;
    }
    let evidence: string | null = null;
    if (v.evidenceUrl !== undefined && v.evidenceUrl !== null && v.evidenceUrl !== '') {
      if (!field.evidence) {
        errors.push({ path: `values.${name}.evidenceUrl`, message: 'Для этого поля ссылка на подтверждение не предусмотрена' });
        continue;
      }
      const url = parseEvidenceUrl(v.evidenceUrl);
      if (!url.ok) {
        errors.push({ path: `values.${name}.evidenceUrl`, message: url.message });
        continue;
      }
      evidence = url.value;
    }
    entries.push({ input: name, value: parsed.value, evidenceUrl: evidence });
  }
  if (errors.length) throw new ServiceError('validation', 'VALIDATION', 'Проверьте заполнение полей', errors);
  return appendValues(db, actor, campaign, org.id, entries, opts.source, opts.sourceRef ?? null);
}

/** The repository of value history: INSERT only. Also used by imports (source `import`, sourceRef file and row). */
export async function appendValues(db: Kysely<Database>, actor: Actor, campaign: CampaignRecord, organisationId: string, entries: readonly ValueEntry[], source: ValueSource, sourceRef: string | null): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    const locked = await trx.selectFrom('campaigns').select('status').where('id', '=', campaign.id).forShare().executeTakeFirstOrThrow();
    refuseClosed({ ...campaign, status: locked.status });
    const existing = await submissionRow(trx, campaign.id, organisationId);
    refuseLocked(existing?.status ?? 'not_started');
    const current = (await currentValuesOfCampaign(trx, campaign.id, organisationId)).get(organisationId) ?? {};
    const changed = entries.filter((e) => {
      const c = current[e.input];
      if (!c) return e.value !== null || e.evidenceUrl !== null;
      return JSON.stringify(c.value) !== JSON.stringify(e.value) || (c.evidenceUrl ?? null) !== e.evidenceUrl;
    });
    if (changed.length === 0) return [];
    const sub = await ensureSubmission(trx, actor, campaign.id, organisationId);
    await trx
      .insertInto('value_history')
      .values(
        changed.map((e) => ({
          campaign_id: campaign.id,
          organisation_id: organisationId,
          input: e.input,
          value: JSON.stringify(e.value),
          evidence_url: e.evidenceUrl,
          source,
          source_ref: sourceRef,
          actor_user_id: actor.userId,
          actor_login: actor.login,
        })),
      )
      .execute();
    await trx.updateTable('submissions').set({ updated_at: sql`now()` }).where('id', '=', sub.id).execute();
    await recordAudit(trx, actor, {
      action: 'submission.save',
      targetType: 'submission',
      targetId: sub.id,
      details: { campaignId: campaign.id, organisationId, source, sourceRef, values: Object.fromEntries(changed.map((e) => [e.input, e.value])) },
    });
    return changed.map((e) => e.input);
  });
}

function findingFields(findings: readonly Finding[]): { path: string; message: string }[] {
  return findings.map((f) => ({ path: f.inputs[0] ?? f.id, message: f.message }));
}

/** submit / accept / return: the transition, its event with the comment, the audit entry. */
export async function changeSubmissionStatus(db: Kysely<Database>, actor: Actor, campaignId: string, organisationId: string, action: SubmissionAction, input: unknown, access: Access): Promise<void> {
  const comment =
    action === 'return' ? parseInput(returnSchema, input).comment : action === 'submit' ? (parseInput(submitSchema, input).comment ?? '') : (parseInput(reviewSchema, input).comment ?? '');
  const { campaign, org } = await locate(db, campaignId, organisationId, access);
  refuseClosed(campaign);
  const m = await campaignMethodology(db, campaign.methodology_id, campaign.methodology_version);
  const prev = action === 'submit' ? await previousCampaignValues(db, campaign, org.id) : null;
  await db.transaction().execute(async (trx) => {
    const locked = await trx.selectFrom('campaigns').select('status').where('id', '=', campaign.id).forShare().executeTakeFirstOrThrow();
    refuseClosed({ ...campaign, status: locked.status });
    const before = await submissionRow(trx, campaign.id, org.id);
    const from: SubmissionState = before?.status ?? 'not_started';
    const t = submissionTransition(from, action);
    if (!t.ok) throw new ServiceError('conflict', 'SUBMISSION_TRANSITION', t.message);
    if (action === 'submit') {
      const current = (await currentValuesOfCampaign(trx, campaign.id, org.id)).get(org.id) ?? {};
      const findings = checkSubmission({ fields: m.fields, rules: m.rules.rules, change: m.rules.change, values: current, previous: prev?.values ?? null });
      const errors = findings.filter((f) => f.severity === 'error');
      if (errors.length) {
        throw new ServiceError('validation', 'SUBMISSION_HAS_ERRORS', `Отправка невозможна: исправьте ошибки (${errors.length})`, findingFields(errors));
      }
      const warnings = findings.filter((f) => f.severity === 'warning');
      if (warnings.length && !comment) {
        throw new ServiceError('validation', 'COMMENT_REQUIRED', 'Есть предупреждения: поясните их в комментарии к отправке', [
          ...findingFields(warnings),
          { path: 'comment', message: 'Комментарий обязателен при предупреждениях' },
        ]);
      }
    }
    const sub = before ? await trx.selectFrom('submissions').selectAll().where('id', '=', before.id).forUpdate().executeTakeFirstOrThrow() : await ensureSubmission(trx, actor, campaign.id, org.id);
    if (sub.status !== (before?.status ?? 'draft')) throw new ServiceError('conflict', 'SUBMISSION_CHANGED', 'Форма только что изменилась — обновите страницу');
    const set =
      action === 'submit'
        ? { status: t.to, submitter_comment: comment || null, updated_at: sql<Date>`now()` }
        : { status: t.to, reviewer_comment: comment || null, updated_at: sql<Date>`now()` };
    await trx.updateTable('submissions').set(set).where('id', '=', sub.id).execute();
    const event = await trx
      .insertInto('submission_events')
      .values({ submission_id: sub.id, from_status: sub.status, to_status: t.to, comment: comment || null, actor_user_id: actor.userId, actor_login: actor.login })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (action === 'return') {
      await notifyReturned(trx, { campaign: { id: campaign.id, title: campaign.title }, organisation: { id: org.id, name: org.short_name }, comment, eventId: Number(event.id) });
    }
    await recordAudit(trx, actor, {
      action: `submission.${action}`,
      targetType: 'submission',
      targetId: sub.id,
      details: { campaignId: campaign.id, organisationId: org.id, from: sub.status, to: t.to, ...(comment ? { comment } : {}) },
    });
  });
}

/** The history of the organisation's values (one input or all), newest first. */
export async function valueHistory(db: Kysely<Database>, campaignId: string, organisationId: string, input: string | undefined, access: Access): Promise<HistoryItem[]> {
  const { campaign, org } = await locate(db, campaignId, organisationId, access);
  let q = db.selectFrom('value_history').selectAll().where('campaign_id', '=', campaign.id).where('organisation_id', '=', org.id);
  if (input) q = q.where('input', '=', input);
  const rows = await q.orderBy('id', 'desc').execute();
  return rows.map((r) => ({
    id: Number(r.id),
    input: r.input,
    value: (r.value ?? null) as FieldValue,
    evidenceUrl: r.evidence_url,
    source: r.source,
    sourceRef: r.source_ref,
    actorLogin: r.actor_login,
    at: new Date(r.at).toISOString(),
  }));
}
