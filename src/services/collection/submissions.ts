/** Submissions: an organisation's form in a campaign. Values are append-only (`value_history`: every change is a new
 * row with who, when and the source; the current value is the latest row — this module only ever INSERTs into it).
 * Workflow draft → submitted → accepted | returned (with a comment) → submitted…; error findings block submitting,
 * warnings need the submitter's comment. Org representatives are limited to their organisation by `scope`. */
import { sql, type Kysely } from 'kysely';
import {
  dimensionValuesSchema,
  saveValuesSchema,
  reviewSchema,
  returnSchema,
  submitSchema,
  type HistoryItem,
  type SubmissionState,
  type SubmissionView,
} from '../../core/collection/schema.ts';
import { submissionTransition, type SubmissionAction } from '../../core/collection/workflow.ts';
import { parseEvidenceUrl, parseFieldValue, type FieldValue, type Finding } from '../../core/rules/check.ts';
import { checkForm, dimensionsKey, parseDimensions, type DimensionValues } from '../../core/rules/dimensional.ts';
import type { Database, ValueSource } from '../../db/schema.ts';
import { auditRow } from '../admin/audit.ts';
import { campaignMethodology, currentValuesOfCampaign, type CampaignRecord } from './campaigns.ts';
import { ServiceError, parseInput, type Actor } from '../errors.ts';
import { notifyReturned } from '../notifications/notifications.ts';
import {
  buildView, dimensionalRowsOf, eventsOf, eventsOfS, locate, previousOf, withLists,
  type Access, type CurrentValues, type EventRow, type SubmissionRow,
} from './submission-view.ts';
import { currentDimensionalValues, type StoredRow } from './dimension-values.ts';

export type { Access } from './submission-view.ts';

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

/** The organisation's form: fields, current values with provenance, findings, completeness, workflow events. */
export async function getSubmissionView(db: Kysely<Database>, campaignId: string, organisationId: string, opts: Access & { today: string }): Promise<SubmissionView> {
  const loc = await locate(db, campaignId, organisationId, opts);
  const m = await withLists(db, loc.campaign.id, loc.org.id, await campaignMethodology(db, loc.campaign.methodology_id, loc.campaign.methodology_version));
  const row = await db.selectFrom('submissions as s').selectAll('s').select(eventsOfS.as('events')).where('s.campaign_id', '=', loc.campaign.id).where('s.organisation_id', '=', loc.org.id).executeTakeFirst();
  const current = (await currentValuesOfCampaign(db, loc.campaign.id, loc.org.id)).get(loc.org.id) ?? {};
  const rows = await dimensionalRowsOf(db, loc.campaign.id, loc.org.id, m);
  const prev = await previousOf(db, loc, m);
  const { events, ...sub } = row ?? { events: [] };
  return buildView({ loc, m, sub: row ? (sub as SubmissionRow) : undefined, current, rows, prev, events: events ?? [], today: opts.today });
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
  /** A value of a per-dimension table: its subject × grade as declared (`{"subject": "Математика", "grade": "5"}`). */
  dimensions?: DimensionValues;
}

export interface SaveOptions extends Access {
  source: ValueSource;
  /** Provenance detail: `file.xlsx, строка 12` for imports, a client name for the API. */
  sourceRef?: string | null;
}

/** Appends the changed values (unchanged ones write nothing). Refused unless the campaign is open and the form is
 * with the organisation (draft or returned). Returns the names of the inputs written. */
export async function saveValues(db: Kysely<Database>, actor: Actor, campaignId: string, organisationId: string, input: unknown, opts: SaveOptions): Promise<string[]> {
  return (await save(db, actor, campaignId, organisationId, input, opts)).written;
}

/** `saveValues`, answered with the form as it is after the save (what the web form shows after each autosave). */
export async function saveValuesAndView(db: Kysely<Database>, actor: Actor, campaignId: string, organisationId: string, input: unknown, opts: SaveOptions & { today: string }): Promise<SubmissionView> {
  const { loc, m, sub, current, rows, events } = await save(db, actor, campaignId, organisationId, input, opts);
  const prev = await previousOf(db, loc, m);
  return buildView({ loc, m, sub, current, rows, prev, events, today: opts.today });
}

async function save(db: Kysely<Database>, actor: Actor, campaignId: string, organisationId: string, input: unknown, opts: SaveOptions) {
  const data = parseInput(saveValuesSchema, input);
  const loc = await locate(db, campaignId, organisationId, opts);
  refuseClosed(loc.campaign);
  const m = await withLists(db, loc.campaign.id, loc.org.id, await campaignMethodology(db, loc.campaign.methodology_id, loc.campaign.methodology_version));
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
  // Cells of per-dimension tables: the input a school types, the dimension values declared for its table.
  const seen = new Set<string>();
  for (const [i, cell] of (data.dimensional ?? []).entries()) {
    const form = m.dimensional.find((f) => f.fields.some((x) => x.name === cell.input) || f.comparison.some((x) => x.name === cell.input));
    const field = form?.fields.find((x) => x.name === cell.input);
    if (!form) {
      errors.push({ path: `dimensional.${i}.input`, message: `«${cell.input}» — в таблицах по предметам и классам нет такого поля` });
      continue;
    }
    if (!field) {
      errors.push({ path: `dimensional.${i}.input`, message: `«${m.methodology.inputs[cell.input]?.title ?? cell.input}» заполняется импортом отчёта (сравнение с регионом и муниципалитетом), не в форме` });
      continue;
    }
    const dims = parseDimensions(m.methodology, form, cell.dimensions);
    if (!dims.ok) {
      errors.push({ path: `dimensional.${i}.dimensions`, message: dims.message });
      continue;
    }
    const key = `${cell.input}\u0000${dimensionsKey(dims.value)}`;
    if (seen.has(key)) {
      errors.push({ path: `dimensional.${i}`, message: `«${field.title}» для одной и той же строки указано дважды` });
      continue;
    }
    seen.add(key);
    const parsed = parseFieldValue(field, cell.value);
    if (!parsed.ok) {
      errors.push({ path: `dimensional.${i}.value`, message: parsed.message });
      continue;
    }
    entries.push({ input: cell.input, value: parsed.value, evidenceUrl: null, dimensions: dims.value });
  }
  if (errors.length) throw new ServiceError('validation', 'VALIDATION', 'Проверьте заполнение полей', errors);
  const appended = await append(db, actor, loc.campaign, loc.org.id, entries, opts.source, opts.sourceRef ?? null);
  return { ...appended, loc, m };
}

/** The repository of value history: INSERT only. Also used by imports (source `import`, sourceRef file and row). */
export async function appendValues(db: Kysely<Database>, actor: Actor, campaign: CampaignRecord, organisationId: string, entries: readonly ValueEntry[], source: ValueSource, sourceRef: string | null): Promise<string[]> {
  return (await append(db, actor, campaign, organisationId, entries, source, sourceRef)).written;
}

/** One transaction: the campaign (locked for share) with the submission, the current values, then — when something
 * changed — the submission (created or touched, locked), the history rows and the audit entry. Returns what was
 * written, the submission and the values after the save. */
async function append(db: Kysely<Database>, actor: Actor, campaign: CampaignRecord, organisationId: string, entries: readonly ValueEntry[], source: ValueSource, sourceRef: string | null): Promise<{ written: string[]; sub: SubmissionRow | undefined; current: CurrentValues; rows: StoredRow[]; events: EventRow[] }> {
  return db.transaction().execute(async (trx) => {
    const state = await trx
      .selectFrom('campaigns as c')
      .leftJoin('submissions as s', (j) => j.onRef('s.campaign_id', '=', 'c.id').on('s.organisation_id', '=', organisationId))
      .select(['c.status as campaign_status', 's.id', 's.status', 's.submitter_comment', 's.reviewer_comment', 's.created_at', 's.updated_at'])
      .select(eventsOfS.as('events'))
      .where('c.id', '=', campaign.id)
      .forShare('c')
      .executeTakeFirstOrThrow();
    refuseClosed({ ...campaign, status: state.campaign_status });
    const existing: SubmissionRow | undefined =
      state.id !== null && state.status !== null && state.created_at !== null && state.updated_at !== null
        ? { id: state.id, campaign_id: campaign.id, organisation_id: organisationId, status: state.status, submitter_comment: state.submitter_comment, reviewer_comment: state.reviewer_comment, created_at: state.created_at, updated_at: state.updated_at }
        : undefined;
    refuseLocked(existing?.status ?? 'not_started');
    const current = (await currentValuesOfCampaign(trx, campaign.id, organisationId)).get(organisationId) ?? {};
    const dimensional = entries.some((e) => e.dimensions) ? ((await currentDimensionalValues(trx, campaign.id, organisationId)).get(organisationId) ?? []) : null;
    const byDims = new Map((dimensional ?? []).map((r) => [dimensionsKey(r.dimensions), r]));
    const changed = entries.filter((e) => {
      const c = e.dimensions ? byDims.get(dimensionsKey(e.dimensions))?.values[e.input] : current[e.input];
      if (!c) return e.value !== null || e.evidenceUrl !== null;
      return JSON.stringify(c.value) !== JSON.stringify(e.value) || (c.evidenceUrl ?? null) !== e.evidenceUrl;
    });
    const events = state.events ?? [];
    const rowsNow = async () => dimensional ?? ((await currentDimensionalValues(trx, campaign.id, organisationId)).get(organisationId) ?? []);
    if (changed.length === 0) return { written: [], sub: existing, current, rows: await rowsNow(), events };
    // Creates the draft or touches `updated_at`, and locks the row: a submit that got in first is seen here.
    const sub = await trx
      .insertInto('submissions')
      .values({ campaign_id: campaign.id, organisation_id: organisationId })
      .onConflict((oc) => oc.columns(['campaign_id', 'organisation_id']).doUpdateSet({ updated_at: sql`now()` }))
      .returningAll()
      .returning(sql<boolean>`xmax = 0`.as('inserted'))
      .executeTakeFirstOrThrow();
    refuseLocked(sub.status);
    if (sub.inserted) {
      events.push(
        await trx
          .insertInto('submission_events')
          .values({ submission_id: sub.id, from_status: null, to_status: 'draft', comment: null, actor_user_id: actor.userId, actor_login: actor.login })
          .returning(['from_status', 'to_status', 'comment', 'actor_login', 'at'])
          .executeTakeFirstOrThrow(),
      );
    }
    // The history rows and the audit entry in one statement (a data-modifying WITH runs whatever the outer query reads).
    const audit = auditRow(actor, {
      action: 'submission.save',
      targetType: 'submission',
      targetId: sub.id,
      details: {
        campaignId: campaign.id, organisationId, source, sourceRef,
        values: Object.fromEntries(changed.filter((e) => !e.dimensions).map((e) => [e.input, e.value])),
        ...(changed.some((e) => e.dimensions) ? { dimensional: changed.filter((e) => e.dimensions).map((e) => ({ input: e.input, dimensions: e.dimensions, value: e.value })) } : {}),
      },
    });
    const rows = await trx
      .with('audit', (qc) => qc.insertInto('audit_log').values(audit).returning('id'))
      .insertInto('value_history')
      .values(
        changed.map((e) => ({
          campaign_id: campaign.id,
          organisation_id: organisationId,
          input: e.input,
          value: JSON.stringify(e.value),
          evidence_url: e.evidenceUrl,
          dimensions: e.dimensions ? sql<Record<string, string>>`${JSON.stringify(e.dimensions)}::jsonb` : null,
          source,
          source_ref: sourceRef,
          actor_user_id: actor.userId,
          actor_login: actor.login,
        })),
      )
      .returning(['input', 'dimensions', 'value', 'evidence_url', 'at', 'actor_login', 'source', 'source_ref'])
      .execute();
    const after: CurrentValues = { ...current };
    const afterRows = (await rowsNow()).map((r) => ({ dimensions: r.dimensions, values: { ...r.values } }));
    const rowOf = new Map(afterRows.map((r) => [dimensionsKey(r.dimensions), r]));
    for (const r of rows) {
      const v = { value: (r.value ?? null) as FieldValue, evidenceUrl: r.evidence_url, at: new Date(r.at), actorLogin: r.actor_login, source: r.source, sourceRef: r.source_ref };
      if (!r.dimensions) {
        after[r.input] = v;
        continue;
      }
      const k = dimensionsKey(r.dimensions);
      let target = rowOf.get(k);
      if (!target) {
        target = { dimensions: r.dimensions, values: {} };
        rowOf.set(k, target);
        afterRows.push(target);
      }
      target.values[r.input] = v;
    }
    const { inserted: _inserted, ...row } = sub;
    return { written: changed.map((e) => e.input), sub: row, current: after, rows: afterRows, events };
  });
}

function findingFields(findings: readonly Finding[]): { path: string; message: string }[] {
  return findings.map((f) => ({ path: f.dimensions ? f.id : (f.inputs[0] ?? f.id), message: f.message }));
}

/** submit / accept / return: the transition, its event with the comment, the audit entry. */
export async function changeSubmissionStatus(db: Kysely<Database>, actor: Actor, campaignId: string, organisationId: string, action: SubmissionAction, input: unknown, access: Access): Promise<void> {
  await transition(db, actor, campaignId, organisationId, action, input, access, false);
}

/** `changeSubmissionStatus`, answered with the form as it is after the transition. */
export async function changeSubmissionStatusAndView(db: Kysely<Database>, actor: Actor, campaignId: string, organisationId: string, action: SubmissionAction, input: unknown, access: Access & { today: string }): Promise<SubmissionView> {
  const t = await transition(db, actor, campaignId, organisationId, action, input, access, true);
  return buildView({ ...t, events: t.events ?? (await eventsOf(db, t.sub)), today: access.today });
}

/** `forView`: also read what the form shows (the previous campaign's values, the current values) for any action. */
async function transition(db: Kysely<Database>, actor: Actor, campaignId: string, organisationId: string, action: SubmissionAction, input: unknown, access: Access, forView: boolean) {
  const comment =
    action === 'return' ? parseInput(returnSchema, input).comment : action === 'submit' ? (parseInput(submitSchema, input).comment ?? '') : (parseInput(reviewSchema, input).comment ?? '');
  const loc = await locate(db, campaignId, organisationId, access);
  const { campaign, org } = loc;
  refuseClosed(campaign);
  const m = await withLists(db, campaign.id, org.id, await campaignMethodology(db, campaign.methodology_id, campaign.methodology_version));
  const prev = action === 'submit' || forView ? await previousOf(db, loc, m) : null;
  return db.transaction().execute(async (trx) => {
    // The submission locked for update with the campaign locked for share (one statement when the form exists).
    const locked = await trx
      .selectFrom('submissions as s')
      .innerJoin('campaigns as c', 'c.id', 's.campaign_id')
      .selectAll('s')
      .select('c.status as campaign_status')
      .select(eventsOfS.as('events'))
      .where('s.campaign_id', '=', campaign.id)
      .where('s.organisation_id', '=', org.id)
      .forUpdate('s')
      .forShare('c')
      .executeTakeFirst();
    const campaignStatus = locked
      ? locked.campaign_status
      : (await trx.selectFrom('campaigns').select('status').where('id', '=', campaign.id).forShare().executeTakeFirstOrThrow()).status;
    refuseClosed({ ...campaign, status: campaignStatus });
    const before = locked ? (({ campaign_status: _status, events: _events, ...row }) => row)(locked) : undefined;
    const from: SubmissionState = before?.status ?? 'not_started';
    const t = submissionTransition(from, action);
    if (!t.ok) throw new ServiceError('conflict', 'SUBMISSION_TRANSITION', t.message);
    const read = action === 'submit' || forView;
    const current = read ? ((await currentValuesOfCampaign(trx, campaign.id, org.id)).get(org.id) ?? {}) : {};
    const rows = read ? await dimensionalRowsOf(trx, campaign.id, org.id, m) : [];
    if (action === 'submit') {
      const findings = checkForm({
        fields: m.fields, rules: m.rules.rules, change: m.rules.change, values: current, previous: prev?.values ?? null,
        forms: m.dimensional, rows, previousRows: prev?.rows ?? null,
      });
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
    const sub = before ?? (await ensureSubmission(trx, actor, campaign.id, org.id));
    if (sub.status !== (before?.status ?? 'draft')) throw new ServiceError('conflict', 'SUBMISSION_CHANGED', 'Форма только что изменилась — обновите страницу');
    const set =
      action === 'submit'
        ? { status: t.to, submitter_comment: comment || null, updated_at: sql<Date>`now()` }
        : { status: t.to, reviewer_comment: comment || null, updated_at: sql<Date>`now()` };
    const updated = await trx.updateTable('submissions').set(set).where('id', '=', sub.id).returningAll().executeTakeFirstOrThrow();
    const audit = auditRow(actor, {
      action: `submission.${action}`,
      targetType: 'submission',
      targetId: sub.id,
      details: { campaignId: campaign.id, organisationId: org.id, from: sub.status, to: t.to, ...(comment ? { comment } : {}) },
    });
    // The event and the audit entry in one statement.
    const event = await trx
      .with('audit', (qc) => qc.insertInto('audit_log').values(audit).returning('id'))
      .insertInto('submission_events')
      .values({ submission_id: sub.id, from_status: sub.status, to_status: t.to, comment: comment || null, actor_user_id: actor.userId, actor_login: actor.login })
      .returning(['id', 'from_status', 'to_status', 'comment', 'actor_login', 'at'])
      .executeTakeFirstOrThrow();
    if (action === 'return') {
      await notifyReturned(trx, { campaign: { id: campaign.id, title: campaign.title }, organisation: { id: org.id, name: org.short_name }, comment, eventId: Number(event.id) });
    }
    // Events after the transition: those read with the lock plus this one (a form created just now: read them).
    const events: EventRow[] | null = locked ? [...(locked.events ?? []), event] : null;
    return { loc: { ...loc, campaign: { ...campaign, status: campaignStatus } }, m, sub: updated, current, rows, prev, events };
  });
}

/** The history of the organisation's values (one input or all; with `dimensions`, one cell of a per-dimension
 * table), newest first. */
export async function valueHistory(db: Kysely<Database>, campaignId: string, organisationId: string, input: string | undefined, access: Access, dimensions?: string): Promise<HistoryItem[]> {
  const { campaign, org } = await locate(db, campaignId, organisationId, access);
  let dims: DimensionValues | null = null;
  if (dimensions !== undefined) {
    const parsed = parseInput(dimensionValuesSchema, (() => { try { return JSON.parse(dimensions) as unknown; } catch { return null; } })());
    dims = parsed;
  }
  let q = db.selectFrom('value_history_visible').selectAll().where('campaign_id', '=', campaign.id).where('organisation_id', '=', org.id);
  if (input) q = q.where('input', '=', input);
  if (dims) q = q.where('dimensions', '=', sql<Record<string, string>>`${JSON.stringify(dims)}::jsonb`);
  const rows = await q.orderBy('id', 'desc').execute();
  return rows.map((r) => ({
    id: Number(r.id),
    input: r.input,
    dimensions: r.dimensions ?? null,
    value: (r.value ?? null) as FieldValue,
    evidenceUrl: r.evidence_url,
    source: r.source,
    sourceRef: r.source_ref,
    actorLogin: r.actor_login,
    at: new Date(r.at).toISOString(),
  }));
}
