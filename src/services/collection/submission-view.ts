/** The organisation's form as the API shows it (issue 8, load): `locate` finds campaign, participation, participant
 * count and the previous campaign in one statement, and `buildView` assembles the form from what a request has read —
 * a save or a transition answers with the form without reading it again (src/services/collection/submissions.ts). */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { SubmissionState, SubmissionView } from '../../core/collection/schema.ts';
import { isOverdue, valuesEditable } from '../../core/collection/workflow.ts';
import type { FieldValue } from '../../core/rules/check.ts';
import { checkForm, dimensionsLabel, tableRows, type DimensionalRow } from '../../core/rules/dimensional.ts';
import type { Database, SubmissionEventsTable, SubmissionsTable } from '../../db/schema.ts';
import { currentValuesOfCampaign, formCompleteness, presentCampaign, type CampaignRecord, type campaignMethodology } from './campaigns.ts';
import { currentDimensionalValues, type StoredRow, type StoredValue } from './dimension-values.ts';
import { ServiceError } from '../errors.ts';
import { UUID } from '../../core/uuid.ts';
import { listedInputs, withoutListed, type ListedInput } from '../imports/record-supplied.ts';

export interface Access {
  /** The caller's organisation when the policy scoped them (org representatives), else null. */
  scope: string | null;
}

export type SubmissionRow = Selectable<SubmissionsTable>;
export type CurrentValues = NonNullable<ReturnType<Awaited<ReturnType<typeof currentValuesOfCampaign>>['get']>>;
export type CampaignForm = Awaited<ReturnType<typeof campaignMethodology>> & { listed?: ReadonlyMap<string, ListedInput> };

/** The form of one organisation: the inputs a record list in force supplies are neither required nor asked. */
export async function withLists(db: Kysely<Database>, campaignId: string, organisationId: string, form: CampaignForm): Promise<CampaignForm> {
  const listed = await listedInputs(db, campaignId, form.methodology, organisationId);
  return listed.size ? { ...form, fields: withoutListed(form.fields, listed), listed } : form;
}

export interface Located {
  campaign: CampaignRecord;
  org: { id: string; no: number; short_name: string; full_name: string };
  /** Participants of the campaign (the form shows the count). */
  orgCount: number;
  /** The organisation's previous campaign of the same methodology id: an earlier period, not a draft. */
  prev: PreviousCampaign | null;
}

export type PreviousCampaign = Pick<CampaignRecord, 'id' | 'title' | 'period_code'>;
export type Previous = { campaign: PreviousCampaign; values: Record<string, FieldValue>; rows: DimensionalRow[] } | null;

/** Finds the campaign and checks that the organisation takes part and that the caller may see it: one statement
 * (every form request starts here, issue 8). */
export async function locate(db: Kysely<Database>, campaignId: string, organisationId: string, access: Access): Promise<Located> {
  if (access.scope && access.scope !== organisationId) throw new ServiceError('forbidden', 'FORBIDDEN', 'Недостаточно прав: можно работать только с формой своей организации');
  const orgId = UUID.test(organisationId) ? organisationId : null;
  const row = UUID.test(campaignId)
    ? await db
        .selectFrom('campaigns as c')
        .leftJoin('campaign_organisations as co', (j) => j.onRef('co.campaign_id', '=', 'c.id').on('co.organisation_id', '=', orgId))
        .leftJoin('organisations as o', 'o.id', 'co.organisation_id')
        .selectAll('c')
        .select(['o.id as org_id', 'o.no as org_no', 'o.short_name as org_short_name', 'o.full_name as org_full_name'])
        .select((eb) => eb.selectFrom('campaign_organisations as n').whereRef('n.campaign_id', '=', 'c.id').select(sql<number>`count(*)::int`.as('n')).as('org_count'))
        .select(
          sql<PreviousCampaign | null>`(select json_build_object('id', pc.id, 'title', pc.title, 'period_code', pc.period_code)
            from campaigns pc join campaign_organisations pco on pco.campaign_id = pc.id
            where pco.organisation_id = co.organisation_id and pc.methodology_id = c.methodology_id and pc.period_start < c.period_start
              and pc.status <> 'draft' and pc.id <> c.id
            order by pc.period_start desc, pc.created_at desc limit 1)`.as('prev'),
        )
        .where('c.id', '=', campaignId)
        .executeTakeFirst()
    : undefined;
  if (!row) throw new ServiceError('not_found', 'CAMPAIGN_NOT_FOUND', 'Мониторинг не найден');
  const { org_id, org_no, org_short_name, org_full_name, org_count, prev, ...campaign } = row;
  if (access.scope && campaign.status === 'draft') throw new ServiceError('not_found', 'CAMPAIGN_NOT_FOUND', 'Мониторинг не найден');
  if (!org_id || org_no === null || org_short_name === null || org_full_name === null) throw new ServiceError('not_found', 'NOT_A_PARTICIPANT', 'Организация не участвует в этом мониторинге');
  return { campaign, org: { id: org_id, no: org_no, short_name: org_short_name, full_name: org_full_name }, orgCount: Number(org_count ?? 0), prev: prev ?? null };
}

async function valuesIn(db: Kysely<Database>, campaignId: string, organisationId: string): Promise<Record<string, FieldValue>> {
  const current = (await currentValuesOfCampaign(db, campaignId, organisationId)).get(organisationId) ?? {};
  const values: Record<string, FieldValue> = {};
  for (const [k, v] of Object.entries(current)) values[k] = v.value;
  return values;
}

/** The organisation's values in its previous campaign (found by `locate`): only the values are read here. */
export async function previousOf(db: Kysely<Database>, loc: Located, form?: Pick<CampaignForm, 'dimensional'>): Promise<Previous> {
  if (!loc.prev) return null;
  const rows = form?.dimensional.length ? ((await currentDimensionalValues(db, loc.prev.id, loc.org.id)).get(loc.org.id) ?? []) : [];
  return { campaign: loc.prev, values: await valuesIn(db, loc.prev.id, loc.org.id), rows };
}

/** The organisation's current per-dimension rows (none read for a methodology without dimensional tables). */
export async function dimensionalRowsOf(db: Kysely<Database>, campaignId: string, organisationId: string, form: Pick<CampaignForm, 'dimensional'>): Promise<StoredRow[]> {
  return form.dimensional.length ? ((await currentDimensionalValues(db, campaignId, organisationId)).get(organisationId) ?? []) : [];
}

/** A workflow event as the form shows it (`at` is a string when it comes through `json_agg`). */
export type EventRow = Pick<Selectable<SubmissionEventsTable>, 'from_status' | 'to_status' | 'comment' | 'actor_login'> & { at: Date | string };

/** The events of submission `s` (alias in the outer query), oldest first, as one JSON column: read with the
 * submission row instead of by a statement of their own. */
export const eventsOfS = sql<EventRow[] | null>`(select json_agg(e order by e.id) from submission_events e where e.submission_id = s.id)`;

export async function eventsOf(db: Kysely<Database>, sub: SubmissionRow | undefined): Promise<EventRow[]> {
  return sub ? db.selectFrom('submission_events').select(['from_status', 'to_status', 'comment', 'actor_login', 'at']).where('submission_id', '=', sub.id).orderBy('id').execute() : [];
}

export interface ViewParts {
  loc: Located;
  m: CampaignForm;
  sub: SubmissionRow | undefined;
  current: CurrentValues;
  /** Per-dimension rows (issue 22). */
  rows: StoredRow[];
  prev: Previous;
  events: EventRow[];
  today: string;
}

const presentValue = (v: StoredValue) => ({ value: v.value, evidenceUrl: v.evidenceUrl, at: v.at.toISOString(), actorLogin: v.actorLogin, source: v.source, sourceRef: v.sourceRef });

/** The form as the API shows it, from what the request has read (a save or a transition reads it anyway). */
export function buildView({ loc, m, sub, current, rows, prev, events, today }: ViewParts): SubmissionView {
  const { campaign, org } = loc;
  const status: SubmissionState = sub?.status ?? 'not_started';
  const findings = checkForm({
    fields: m.fields, rules: m.rules.rules, change: m.rules.change, values: current, previous: prev?.values ?? null,
    forms: m.dimensional, rows, previousRows: prev?.rows ?? null,
  });
  return {
    campaign: presentCampaign(campaign, loc.orgCount, m.title),
    organisation: { id: org.id, no: org.no, shortName: org.short_name, fullName: org.full_name },
    status,
    submitterComment: sub?.submitter_comment ?? null,
    reviewerComment: sub?.reviewer_comment ?? null,
    editable: valuesEditable(campaign.status, status),
    overdue: isOverdue(today, campaign.due_on, campaign.status, status),
    fields: m.fields,
    values: Object.fromEntries(Object.entries(current).map(([k, v]) => [k, presentValue(v)])),
    findings,
    completeness: formCompleteness(m.fields, current, m.dimensional, rows),
    previousCampaign: prev ? { id: prev.campaign.id, title: prev.campaign.title, period: prev.campaign.period_code } : null,
    events: events.map((e) => ({ at: new Date(e.at).toISOString(), fromStatus: e.from_status, toStatus: e.to_status, comment: e.comment, actorLogin: e.actor_login })),
    listed: Object.fromEntries(m.listed ?? []),
    dimensional: m.dimensional.map((form) => ({
      datasetId: form.datasetId,
      title: form.title,
      dimensions: form.dimensions,
      fields: form.fields,
      comparison: form.comparison,
      columns: form.columns,
      rows: (tableRows(form, rows) as StoredRow[]).map((r) => ({
        dimensions: r.dimensions,
        label: dimensionsLabel(form, r.dimensions),
        values: Object.fromEntries(Object.entries(r.values).filter(([k]) => form.fields.some((f) => f.name === k) || form.comparison.some((f) => f.name === k)).map(([k, v]) => [k, presentValue(v)])),
      })),
    })),
  };
}

