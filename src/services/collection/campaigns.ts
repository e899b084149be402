/** Campaigns (мониторинги): create from a methodology version, a period and a set of organisations; open, close,
 * re-open (with a reason, logged) and publish; list and the per-organisation status table (completeness, overdue
 * derived from `today`). Every write is audited in the same transaction. */
import { sql, type Kysely, type Selectable } from 'kysely';
import { parsePeriod, periodCode, periodLabel, periodStart } from '../../core/calendar/periods.ts';
import { DEFAULT_TIME_ZONE, calendarDateIn } from '../../core/calendar/timezone.ts';
import {
  campaignCreateSchema,
  campaignReopenSchema,
  participantsSchema,
  type Campaign,
  type CampaignDetail,
  type CampaignRow,
  type Participants,
  type SubmissionState,
} from '../../core/collection/schema.ts';
import { campaignTransition, isOverdue, type CampaignAction } from '../../core/collection/workflow.ts';
import type { Methodology } from '../../core/methodology/schema.ts';
import { compileRules, completeness, formFields, type CurrentValue, type FormField } from '../../core/rules/check.ts';
import { dimensionalCompleteness, dimensionalForms, type DimensionalForm, type DimensionalRow } from '../../core/rules/dimensional.ts';
import type { CampaignsTable, Database } from '../../db/schema.ts';
import { recordAudit } from '../admin/audit.ts';
import { ServiceError, parseInput, type Actor } from '../errors.ts';
import { getMethodologyVersion } from '../methodology/methodology-versions.ts';
import { UUID } from '../../core/uuid.ts';
import { listedInputs, withoutListed } from '../imports/record-supplied.ts';
import { currentDimensionalValues, dimensionalSummaryOfCampaign, storedValue, type StoredValue } from './dimension-values.ts';

export type CampaignRecord = Selectable<CampaignsTable>;

export async function findCampaignRow(db: Kysely<Database>, id: string): Promise<CampaignRecord> {
  const row = UUID.test(id) ? await db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
  if (!row) throw new ServiceError('not_found', 'CAMPAIGN_NOT_FOUND', 'Мониторинг не найден');
  return row;
}

/** Today as an ISO calendar date in the municipality's time zone (`municipalToday` in ./settings.ts reads the
 * setting); routes pass it, services and core never read the clock themselves. */
export function todayIso(now: Date = new Date(), timeZone: string = DEFAULT_TIME_ZONE): string {
  return calendarDateIn(now, timeZone);
}

function labelOf(code: string): string {
  const p = parsePeriod(code);
  return p.ok ? periodLabel(p.value) : code;
}

function present(r: CampaignRecord, count: number, methodologyTitle: string | null): Campaign {
  return {
    id: r.id,
    title: r.title,
    methodologyId: r.methodology_id,
    methodologyVersion: r.methodology_version,
    methodologyTitle,
    period: r.period_code,
    periodLabel: labelOf(r.period_code),
    participants: participantsSchema.parse(r.selection),
    opensOn: r.opens_on,
    dueOn: r.due_on,
    closesOn: r.closes_on,
    status: r.status,
    organisationCount: count,
    createdAt: new Date(r.created_at).toISOString(),
    regional: r.region_id !== null,
  };
}

async function methodologyTitle(db: Kysely<Database>, id: string, version: string): Promise<string | null> {
  try {
    return (await getMethodologyVersion(db, id, version)).title;
  } catch {
    return null;
  }
}

type CompiledForm = { fields: FormField[]; dimensional: DimensionalForm[]; rules: ReturnType<typeof compileRules> };
/** Form fields and compiled rules by parsed document: parsing is cached by text (methodology-library.ts) and pure,
 * so the same document object always compiles to the same form; every form request needs it. */
const compiledForms = new WeakMap<Methodology, CompiledForm>();

/** The methodology of a campaign with its form fields and compiled rules. */
export async function campaignMethodology(db: Kysely<Database>, id: string, version: string): Promise<{ methodology: Methodology; title: string; fields: FormField[]; dimensional: DimensionalForm[]; rules: Extract<ReturnType<typeof compileRules>, { ok: true }> }> {
  const v = await getMethodologyVersion(db, id, version);
  let form = compiledForms.get(v.methodology);
  if (!form) {
    form = { fields: formFields(v.methodology), dimensional: dimensionalForms(v.methodology), rules: compileRules(v.methodology) };
    compiledForms.set(v.methodology, form);
  }
  const rules = form.rules;
  if (!rules.ok) {
    throw new ServiceError('conflict', 'METHODOLOGY_RULES_INVALID', `В правилах проверки методики «${id}» ошибки: ${rules.errors.map((e) => e.message).join('; ')}`);
  }
  return { methodology: v.methodology, title: v.title, fields: form.fields, dimensional: form.dimensional, rules };
}

export interface CampaignListFilter {
  /** Org representatives: only campaigns their organisation takes part in, never drafts. */
  organisationId?: string | null;
  /** The caller's municipality (issue 9): only campaigns with a participant of that municipality. */
  municipalityId?: string | null;
  /** Only the regional campaigns of this region (src/services/region/region-campaigns.ts). */
  regionId?: string;
}

/** A campaign (alias `c`) belongs to the municipalities of its participants (a regional campaign to several):
 * campaign_participation (0012, kept by triggers) has a row per campaign and municipality with participants, so this
 * is one primary-key probe. The one definition of belonging: lists, cards and the by-id hook
 * (src/http/municipal-scope.ts) use it. */
export function hasParticipantIn(municipalityId: string) {
  return sql<boolean>`exists (select 1 from campaign_participation mcp where mcp.campaign_id = c.id and mcp.municipality_id = ${municipalityId})`;
}

export async function listCampaigns(db: Kysely<Database>, f: CampaignListFilter = {}): Promise<Campaign[]> {
  let q = db
    .selectFrom('campaigns as c')
    .selectAll('c')
    // A municipal user counts only their municipality's participants (a regional campaign has several municipalities).
    .select((eb) => eb.selectFrom('campaign_organisations as co').whereRef('co.campaign_id', '=', 'c.id')
      .$if(!!f.municipalityId, (sq) => sq.where(sql<boolean>`exists (select 1 from organisations so where so.id = co.organisation_id and so.municipality_id = ${f.municipalityId})`))
      .select(sql<number>`count(*)::int`.as('n')).as('org_count'));
  if (f.municipalityId) q = q.where(hasParticipantIn(f.municipalityId));
  if (f.regionId) q = q.where('c.region_id', '=', f.regionId);
  if (f.organisationId) {
    const orgId = f.organisationId;
    q = q
      .where('c.status', '<>', 'draft')
      .where((eb) => eb.exists(eb.selectFrom('campaign_organisations as co').select('co.campaign_id').whereRef('co.campaign_id', '=', 'c.id').where('co.organisation_id', '=', orgId)));
  }
  const rows = await q.orderBy('c.period_start', 'desc').orderBy('c.created_at', 'desc').execute();
  const titles = new Map<string, string | null>();
  const out: Campaign[] = [];
  for (const r of rows) {
    const key = `${r.methodology_id}@${r.methodology_version}`;
    if (!titles.has(key)) titles.set(key, await methodologyTitle(db, r.methodology_id, r.methodology_version));
    out.push(present(r, Number(r.org_count ?? 0), titles.get(key) ?? null));
  }
  return out;
}

/** Participating organisations; with `municipalityId` (the caller's municipality) only that municipality's. */
export async function participantIds(db: Kysely<Database>, p: Participants, municipalityId?: string | null): Promise<string[]> {
  let q = db.selectFrom('organisations').select('id').where('status', '=', 'active');
  if (municipalityId) q = q.where('municipality_id', '=', municipalityId);
  if (p.mode === 'types') q = q.where('type', 'in', p.types);
  if (p.mode === 'list') {
    let listQ = db.selectFrom('organisations').select(['id', 'status', 'short_name']).where('id', 'in', p.organisationIds);
    if (municipalityId) listQ = listQ.where('municipality_id', '=', municipalityId);
    const rows = await listQ.execute();
    const found = new Set(rows.map((r) => r.id));
    const missing = p.organisationIds.filter((id) => !found.has(id));
    if (missing.length) throw new ServiceError('validation', 'VALIDATION', 'Проверьте заполнение полей', [{ path: 'participants', message: `Организации не найдены: ${missing.length}` }]);
    const closed = rows.filter((r) => r.status !== 'active');
    if (closed.length) {
      throw new ServiceError('validation', 'VALIDATION', 'Проверьте заполнение полей', [
        { path: 'participants', message: `Закрытые организации не могут участвовать: ${closed.map((r) => r.short_name).join(', ')}` },
      ]);
    }
    return [...new Set(p.organisationIds)];
  }
  return (await q.orderBy('no').execute()).map((r) => r.id);
}

/** A regional campaign (src/services/region/region-campaigns.ts): its region, how participants were chosen, and the
 * organisations already resolved; `input.participants` is then only the stored municipal shape (all or by types). */
export interface RegionalCreate { regionId: string; selection: { municipalityIds: string[] | null; types: string[] | null }; organisationIds: string[] }

export async function createCampaign(db: Kysely<Database>, actor: Actor, input: unknown, opts: { municipalityId?: string | null; regional?: RegionalCreate } = {}): Promise<Campaign> {
  const data = parseInput(campaignCreateSchema, input);
  const period = parsePeriod(data.period);
  if (!period.ok) throw new ServiceError('validation', 'VALIDATION', 'Проверьте заполнение полей', [{ path: 'period', message: period.error }]);
  const dateErrors = [];
  if (data.opensOn > data.dueOn) dateErrors.push({ path: 'dueOn', message: 'Срок сдачи раньше даты открытия' });
  if (data.dueOn > data.closesOn) dateErrors.push({ path: 'closesOn', message: 'Дата закрытия раньше срока сдачи' });
  if (dateErrors.length) throw new ServiceError('validation', 'VALIDATION', 'Проверьте заполнение полей', dateErrors);
  const m = await campaignMethodology(db, data.methodologyId, data.methodologyVersion);
  if (m.fields.length === 0) {
    throw new ServiceError('validation', 'METHODOLOGY_WITHOUT_FORM', 'В методике нет данных, которые заполняет организация (наборов данных уровня организации)', [
      { path: 'methodologyId', message: 'Методика не содержит формы для организаций' },
    ]);
  }
  const orgIds = opts.regional ? opts.regional.organisationIds : await participantIds(db, data.participants, opts.municipalityId);
  if (orgIds.length === 0) throw new ServiceError('validation', 'VALIDATION', 'Проверьте заполнение полей', [{ path: 'participants', message: 'Нет ни одной действующей организации' }]);
  const row = await db.transaction().execute(async (trx) => {
    const c = await trx
      .insertInto('campaigns')
      .values({
        title: data.title,
        methodology_id: data.methodologyId,
        methodology_version: data.methodologyVersion,
        period_code: periodCode(period.value),
        period_start: periodStart(period.value),
        selection: JSON.stringify(data.participants),
        opens_on: data.opensOn,
        due_on: data.dueOn,
        closes_on: data.closesOn,
        created_by: actor.userId,
        ...(opts.regional ? { region_id: opts.regional.regionId, region_selection: JSON.stringify(opts.regional.selection) } : {}),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    // In batches: a regional campaign may list more organisations than one statement's 65 535 parameters allow.
    for (let i = 0; i < orgIds.length; i += 10_000)
      await trx.insertInto('campaign_organisations').values(orgIds.slice(i, i + 10_000).map((o) => ({ campaign_id: c.id, organisation_id: o }))).execute();
    await trx.insertInto('campaign_events').values({ campaign_id: c.id, from_status: null, to_status: 'draft', reason: null, actor_user_id: actor.userId, actor_login: actor.login }).execute();
    await recordAudit(trx, actor, {
      action: 'campaign.create',
      targetType: 'campaign',
      targetId: c.id,
      details: { title: c.title, methodology: `${c.methodology_id}@${c.methodology_version}`, period: c.period_code, organisations: orgIds.length, ...(opts.regional ? { region: opts.regional.selection } : {}) },
    });
    return c;
  });
  return present(row, orgIds.length, m.title);
}

/** open / close / reopen (reason required) / publish; each logged in campaign_events and the audit log. */
export async function changeCampaignStatus(db: Kysely<Database>, actor: Actor, id: string, action: CampaignAction, input: unknown = {}): Promise<Campaign> {
  const reason = action === 'reopen' ? parseInput(campaignReopenSchema, input).reason : null;
  const row = await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('campaigns').selectAll().where('id', '=', (await findCampaignRow(trx, id)).id).forUpdate().executeTakeFirstOrThrow();
    const t = campaignTransition(before.status, action);
    if (!t.ok) throw new ServiceError('conflict', 'CAMPAIGN_TRANSITION', t.message);
    const after = await trx.updateTable('campaigns').set({ status: t.to, updated_at: sql`now()` }).where('id', '=', before.id).returningAll().executeTakeFirstOrThrow();
    await trx.insertInto('campaign_events').values({ campaign_id: before.id, from_status: before.status, to_status: t.to, reason, actor_user_id: actor.userId, actor_login: actor.login }).execute();
    await recordAudit(trx, actor, { action: `campaign.${action}`, targetType: 'campaign', targetId: before.id, details: { from: before.status, to: t.to, ...(reason ? { reason } : {}) } });
    return after;
  });
  const count = await db.selectFrom('campaign_organisations').select(sql<number>`count(*)::int`.as('n')).where('campaign_id', '=', row.id).executeTakeFirstOrThrow();
  return present(row, Number(count.n), await methodologyTitle(db, row.methodology_id, row.methodology_version));
}

/** Current values of every organisation of a campaign: the latest visible history row per organisation and input
 * (rows of an import count once it is applied, migration 0013). Ordinary values only (`dimensions is null`): the
 * values of dimensional datasets, per organisation × subject × grade, are read by `currentDimensionalValues`. */
export async function currentValuesOfCampaign(db: Kysely<Database>, campaignId: string, organisationId?: string): Promise<Map<string, Record<string, StoredValue>>> {
  let q = db
    .selectFrom('value_history_visible')
    .distinctOn(['organisation_id', 'input'])
    .select(['organisation_id', 'input', 'value', 'evidence_url', 'at', 'actor_login', 'source', 'source_ref'])
    .where('campaign_id', '=', campaignId)
    .where('dimensions', 'is', null);
  if (organisationId) q = q.where('organisation_id', '=', organisationId);
  const rows = await q.orderBy('organisation_id').orderBy('input').orderBy('id', 'desc').execute();
  const out = new Map<string, Record<string, StoredValue>>();
  for (const r of rows) {
    const m = out.get(r.organisation_id) ?? {};
    m[r.input] = storedValue(r);
    out.set(r.organisation_id, m);
  }
  return out;
}

/** The campaign page: the campaign, its events and one row per organisation (org representatives: their own). */
export async function getCampaignDetail(db: Kysely<Database>, id: string, opts: { today: string; organisationId?: string | null; municipalityId?: string | null }): Promise<CampaignDetail> {
  const row = await findCampaignRow(db, id);
  if (opts.municipalityId) {
    const mine = await db.selectFrom('campaigns as c').select('c.id').where('c.id', '=', row.id).where(hasParticipantIn(opts.municipalityId)).executeTakeFirst();
    if (!mine) throw new ServiceError('not_found', 'CAMPAIGN_NOT_FOUND', 'Мониторинг не найден');
  }
  if (opts.organisationId) {
    if (row.status === 'draft') throw new ServiceError('not_found', 'CAMPAIGN_NOT_FOUND', 'Мониторинг не найден');
    const part = await db.selectFrom('campaign_organisations').select('organisation_id').where('campaign_id', '=', row.id).where('organisation_id', '=', opts.organisationId).executeTakeFirst();
    if (!part) throw new ServiceError('forbidden', 'FORBIDDEN', 'Ваша организация не участвует в этом мониторинге');
  }
  const form = await campaignMethodology(db, row.methodology_id, row.methodology_version);
  // Inputs a record list in force supplies are counted from it: not required in the forms (issue 21).
  const m = { ...form, fields: withoutListed(form.fields, await listedInputs(db, row.id, form.methodology, null)) };
  let orgQ = db
    .selectFrom('campaign_organisations as co')
    .innerJoin('organisations as o', 'o.id', 'co.organisation_id')
    .leftJoin('submissions as s', (j) => j.onRef('s.campaign_id', '=', 'co.campaign_id').onRef('s.organisation_id', '=', 'co.organisation_id'))
    .select(['o.id', 'o.no', 'o.short_name', 'o.type', 's.status', 's.updated_at'])
    .where('co.campaign_id', '=', row.id);
  if (opts.organisationId) orgQ = orgQ.where('o.id', '=', opts.organisationId);
  if (opts.municipalityId) orgQ = orgQ.where('o.municipality_id', '=', opts.municipalityId);
  const orgs = await orgQ.orderBy('o.no').execute();
  const total = await db.selectFrom('campaign_organisations as co').select(sql<number>`count(*)::int`.as('n')).where('co.campaign_id', '=', row.id)
    .$if(!!opts.municipalityId, (q) => q.where(sql<boolean>`exists (select 1 from organisations so where so.id = co.organisation_id and so.municipality_id = ${opts.municipalityId})`))
    .executeTakeFirstOrThrow();
  const values = await currentValuesOfCampaign(db, row.id, opts.organisationId ?? undefined);
  // Per-dimension values: one organisation's with their provenance; the whole list's merged, with the newest change.
  const perDimension = new Map<string, { rows: readonly DimensionalRow[]; lastAt: Date | null }>();
  if (m.dimensional.length && opts.organisationId) {
    for (const [org, stored] of await currentDimensionalValues(db, row.id, opts.organisationId))
      perDimension.set(org, { rows: stored, lastAt: stored.flatMap((r) => Object.values(r.values)).reduce<Date | null>((acc, v) => (acc && acc > v.at ? acc : v.at), null) });
  } else if (m.dimensional.length) {
    for (const [org, summary] of await dimensionalSummaryOfCampaign(db, row.id)) perDimension.set(org, summary);
  }
  const rows: CampaignRow[] = orgs.map((o) => {
    const status: SubmissionState = o.status ?? 'not_started';
    const dim = perDimension.get(o.id);
    const c = formCompleteness(m.fields, values.get(o.id) ?? {}, m.dimensional, dim?.rows ?? []);
    const lastValue = [...Object.values(values.get(o.id) ?? {}).map((v) => v.at), ...(dim?.lastAt ? [dim.lastAt] : [])].reduce<Date | null>((acc, at) => (acc && acc > at ? acc : at), null);
    const updated = [o.updated_at ? new Date(o.updated_at) : null, lastValue].filter((d): d is Date => d !== null).sort((a, b) => b.getTime() - a.getTime())[0];
    return {
      organisationId: o.id,
      no: o.no,
      shortName: o.short_name,
      type: o.type,
      status,
      filled: c.filled,
      required: c.required,
      percent: c.percent,
      overdue: isOverdue(opts.today, row.due_on, row.status, status),
      updatedAt: updated ? updated.toISOString() : null,
    };
  });
  const events = await db.selectFrom('campaign_events').selectAll().where('campaign_id', '=', row.id).orderBy('id').execute();
  return {
    ...present(row, Number(total.n), m.title),
    today: opts.today,
    rows,
    events: events.map((e) => ({ at: new Date(e.at).toISOString(), fromStatus: e.from_status, toStatus: e.to_status, reason: e.reason, actorLogin: e.actor_login })),
  };
}

export { present as presentCampaign };

/** Completeness of a form: its ordinary required fields and the required cells of the per-dimension rows it has. */
export function formCompleteness(fields: readonly FormField[], values: Readonly<Record<string, CurrentValue>>, forms: readonly DimensionalForm[], rows: readonly DimensionalRow[]): ReturnType<typeof completeness> {
  const plain = completeness(fields, values);
  if (!forms.length) return plain;
  const d = dimensionalCompleteness(forms, rows);
  const filled = plain.filled + d.filled;
  const required = plain.required + d.required;
  return { filled, required, percent: required === 0 ? 100 : Math.floor((filled * 100) / required) };
}
