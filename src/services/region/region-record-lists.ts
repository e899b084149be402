/** Record lists in the region's statistics (issue 21): a campaign whose inputs come from a record list in force (the ИС
 * «Навигатор» programme list: talents-2021's `programmes` and enrolments by focus) is counted for the region exactly as
 * for its own page — by `computeCampaignResults` (the counting of src/core/methodology/record-supply.ts over the
 * stored records), whose counted inputs replace the typed ones. The lists in force are part of the statistics' stamp
 * (`campaign_stats_stamps.content_hash`: the methodology hash, then the lists' ids), so applying a new list makes the
 * stored statistics stale and the next read recomputes them; a campaign without a list keeps the methodology hash
 * alone as its stamp and the fast path of region.ts (current values only, no results computed). */
import { sql, type RawBuilder } from 'kysely';
import type { Kysely } from 'kysely';
import { suppliedInputs, type Value } from '../../core/methodology/index.ts';
import type { Methodology } from '../../core/methodology/schema.ts';
import type { OrganisationValues } from '../../core/region/stats.ts';
import type { Database } from '../../db/schema.ts';
import { eachCampaignResults } from '../analysis/campaign-results.ts';

/** SQL: the record lists in force of campaign `campaignId` (the latest per dataset, as `recordListsInForce` takes
 * them) as JSON text `[[dataset, list id], …]`, null when it has none: one probe of campaign_record_lists_key. */
export const listsInForce = (campaignId: RawBuilder<unknown>) => sql<string | null>`(
  select json_agg(json_build_array(l.dataset_id, l.id) order by l.dataset_id)::text
  from (select distinct on (dataset_id) dataset_id, id from campaign_record_lists where campaign_id = ${campaignId} order by dataset_id, at desc, id) l)`;

/** The lists in force the methodology counts (a list of a dataset it does not declare is not read by the results). */
function countedLists(lists: string | null, m: Methodology): [string, string][] {
  if (!lists) return [];
  return (JSON.parse(lists) as [string, string][]).filter(([dataset]) => m.record_datasets?.[dataset] !== undefined);
}

/** The stamp the statistics of a campaign are stored with and compared to: the methodology hash, followed by the ids
 * of the record lists in force it counts (none: the hash alone, as before lists counted). */
export function statsStamp(hash: string, lists: string | null, m: Methodology): string {
  const counted = countedLists(lists, m);
  return counted.length ? `${hash} lists:${counted.map(([d, id]) => `${d}=${id}`).join(',')}` : hash;
}

export interface ListedCampaign {
  id: string;
  methodology: Methodology;
  /** `listsInForce` as read with the values. */
  lists: string | null;
  organisations: OrganisationValues[];
}

/** Replaces, in the participants' values of the campaigns that have record lists in force, every input the lists
 * supply by the value the campaign's own results counted (`computeCampaignResults(…, { basis: 'all', countedRecords:
 * false })`: every participant, as the region reads every participant's current values). A participant the results
 * left out of the table the lists complete (a required input missing) has no counted value, so the typed value of
 * such an input is dropped for it too, as the campaign's results ignore it. Returns how many campaigns had lists. */
export async function withListedInputs(db: Kysely<Database>, campaigns: readonly ListedCampaign[]): Promise<number> {
  const listed = campaigns.filter((c) => countedLists(c.lists, c.methodology).length > 0);
  if (listed.length === 0) return 0;
  const byId = new Map(listed.map((c) => [c.id, c]));
  for await (const r of eachCampaignResults(db, listed.map((c) => c.id), { basis: 'all', countedRecords: false, explain: false })) {
    const c = byId.get(r.campaign.id);
    if (!c) continue;
    const supplied = new Set(countedLists(c.lists, c.methodology).flatMap(([d]) => suppliedInputs(c.methodology.record_datasets![d]!)));
    // Counted inputs per entity key of the results (the organisation's short name).
    const counted = new Map<string, Record<string, Value>>();
    for (const t of r.computed) {
      for (const row of t.results) {
        for (const [input, d] of Object.entries(row.details.counted ?? {})) {
          if (!supplied.has(input)) continue;
          const entry = counted.get(row.organisation) ?? {};
          entry[input] = d.value;
          counted.set(row.organisation, entry);
        }
      }
    }
    const nameOf = new Map(r.organisations.map((o) => [o.id, o.name]));
    for (const o of c.organisations) {
      const values: Record<string, Value> = {};
      for (const [input, v] of Object.entries(o.values)) if (!supplied.has(input)) values[input] = v;
      Object.assign(values, counted.get(nameOf.get(o.id) ?? '') ?? {});
      o.values = values;
    }
  }
  return listed.length;
}
