/** Regional campaigns (issue 9): the regional analyst creates a campaign over chosen municipalities of the region (all
 * their organisations, optionally of some types) or over the whole region, opens, closes and publishes it, and follows
 * the participation per municipality. Everything else is the municipal machinery: the campaign row, its participants,
 * forms and submissions (src/services/collection/{campaigns,submissions}.ts), so organisation representatives fill the form as in a
 * municipal campaign and each municipality's analyst sees the campaign with their own organisations. */
import { sql, type Kysely } from 'kysely';
import { type CampaignStatus, type SubmissionState } from '../../core/collection/schema.ts';
import { isOverdue, type CampaignAction } from '../../core/collection/workflow.ts';
import {
  regionSelectionSchema,
  regionalCampaignCreateSchema,
  type RegionalCampaign,
  type RegionalProgress,
  type RegionSelection,
} from '../../core/region/campaign-schema.ts';
import type { Database } from '../../db/schema.ts';
import { changeCampaignStatus, createCampaign, findCampaignRow, listCampaigns, type CampaignRecord } from '../collection/campaigns.ts';
import { ServiceError, parseInput, type Actor } from '../errors.ts';
import type { RegionRef } from './region.ts';

const invalid = (path: string, message: string) => new ServiceError('validation', 'VALIDATION', 'Проверьте заполнение полей', [{ path, message }]);

/** Active organisations of the chosen municipalities of the region (all of the region when `municipalityIds` is null). */
async function regionalParticipants(db: Kysely<Database>, region: RegionRef, sel: RegionSelection): Promise<string[]> {
  if (sel.municipalityIds) {
    const found = await db.selectFrom('municipalities').select('id').where('region_id', '=', region.id).where('id', 'in', sel.municipalityIds).execute();
    const missing = sel.municipalityIds.filter((id) => !found.some((f) => f.id === id));
    if (missing.length) throw invalid('participants', `Муниципалитеты не входят в регион «${region.name}»: ${missing.length}`);
  }
  let q = db
    .selectFrom('organisations as o')
    .innerJoin('municipalities as m', 'm.id', 'o.municipality_id')
    .select('o.id')
    .where('m.region_id', '=', region.id)
    .where('o.status', '=', 'active');
  if (sel.municipalityIds) q = q.where('m.id', 'in', sel.municipalityIds);
  if (sel.types) q = q.where('o.type', 'in', sel.types as never[]);
  return (await q.orderBy('m.name').orderBy('o.no').execute()).map((r) => r.id);
}

export async function createRegionalCampaign(db: Kysely<Database>, actor: Actor, region: RegionRef, input: unknown): Promise<RegionalCampaign> {
  const data = parseInput(regionalCampaignCreateSchema, input);
  const selection: RegionSelection = {
    municipalityIds: data.participants.mode === 'municipalities' ? [...new Set(data.participants.municipalityIds)] : null,
    types: data.types ? [...new Set(data.types)] : null,
  };
  const organisationIds = await regionalParticipants(db, region, selection);
  if (organisationIds.length === 0) throw invalid('participants', 'В выбранных муниципалитетах нет ни одной действующей организации этих типов');
  const { participants: _p, types, ...rest } = data;
  const created = await createCampaign(db, actor, { ...rest, participants: types ? { mode: 'types', types } : { mode: 'all' } }, {
    regional: { regionId: region.id, selection, organisationIds },
  });
  return (await listRegionalCampaigns(db, region, created.id))[0]!;
}

/** The region's own campaigns (newest period first), or one of them. */
export async function listRegionalCampaigns(db: Kysely<Database>, region: RegionRef, id?: string): Promise<RegionalCampaign[]> {
  const rows = await db.selectFrom('campaigns').select(['id', 'region_selection']).where('region_id', '=', region.id).$if(id !== undefined, (q) => q.where('id', '=', id!)).execute();
  if (rows.length === 0) return [];
  const selections = new Map(rows.map((r) => [r.id, regionSelectionSchema.parse(r.region_selection)]));
  // campaign_participation (0012): the municipalities with participants of each campaign, a row each.
  const names = await sql<{ campaign_id: string; name: string }>`
    select cp.campaign_id, m.name from campaign_participation cp join municipalities m on m.id = cp.municipality_id
    where cp.campaign_id in (${sql.join(rows.map((r) => r.id))}) order by m.name`.execute(db);
  const all = await listCampaigns(db, { regionId: region.id });
  return all
    .filter((c) => selections.has(c.id))
    .map((c) => ({
      ...c,
      municipalities: names.rows.filter((n) => n.campaign_id === c.id).map((n) => n.name),
      wholeRegion: selections.get(c.id)!.municipalityIds === null,
      types: selections.get(c.id)!.types,
    }));
}

/** A campaign of this region, else 404 (a municipal campaign or another region's is not the regional analyst's). */
async function regionalRow(db: Kysely<Database>, region: RegionRef, id: string): Promise<CampaignRecord> {
  const row = await findCampaignRow(db, id).catch(() => null);
  if (!row || row.region_id !== region.id) throw new ServiceError('not_found', 'CAMPAIGN_NOT_FOUND', 'Региональный мониторинг не найден');
  return row;
}

export async function changeRegionalCampaignStatus(db: Kysely<Database>, actor: Actor, region: RegionRef, id: string, action: CampaignAction, input: unknown = {}): Promise<RegionalCampaign> {
  const row = await regionalRow(db, region, id);
  await changeCampaignStatus(db, actor, row.id, action, input);
  return (await listRegionalCampaigns(db, region, row.id))[0]!;
}

const emptyCounts = (): Record<SubmissionState, number> => ({ not_started: 0, draft: 0, submitted: 0, returned: 0, accepted: 0 });

/** Participation per municipality: organisations, forms in each state, overdue forms (as of `today`). */
export async function regionalCampaignProgress(db: Kysely<Database>, region: RegionRef, id: string, today: string): Promise<RegionalProgress> {
  const row = await regionalRow(db, region, id);
  const rows = await sql<{ municipality_id: string; name: string; status: SubmissionState; n: number }>`
    select m.id as municipality_id, m.name, coalesce(s.status, 'not_started') as status, count(*)::int as n
    from campaign_organisations co join organisations o on o.id = co.organisation_id join municipalities m on m.id = o.municipality_id
      left join submissions s on s.campaign_id = co.campaign_id and s.organisation_id = co.organisation_id
    where co.campaign_id = ${row.id}
    group by m.id, m.name, coalesce(s.status, 'not_started') order by m.name`.execute(db);
  const byMunicipality = new Map<string, RegionalProgress['rows'][number]>();
  const totals: RegionalProgress['totals'] = { organisations: 0, counts: emptyCounts(), overdue: 0 };
  for (const r of rows.rows) {
    const m = byMunicipality.get(r.municipality_id) ?? { municipalityId: r.municipality_id, municipality: r.name, organisations: 0, counts: emptyCounts(), overdue: 0 };
    const n = Number(r.n);
    const overdue = isOverdue(today, row.due_on, row.status as CampaignStatus, r.status) ? n : 0;
    m.organisations += n;
    m.counts[r.status] += n;
    m.overdue += overdue;
    totals.organisations += n;
    totals.counts[r.status] += n;
    totals.overdue += overdue;
    byMunicipality.set(r.municipality_id, m);
  }
  return { campaign: (await listRegionalCampaigns(db, region, row.id))[0]!, today, status: row.status, rows: [...byMunicipality.values()], totals };
}
