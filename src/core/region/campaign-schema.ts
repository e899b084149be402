/** Zod schemas of regional campaigns (issue 9): a campaign the regional analyst runs over chosen municipalities of
 * the region (all their organisations, optionally of some types) or over the whole region. Shared by the server and
 * the web app; free of Node imports. The fields are those of a municipal campaign (`campaignCreateSchema`). */
import { z } from 'zod';
import { campaignCreateSchema, campaignSchema, campaignStatusSchema } from '../collection/schema.ts';
import { organisationTypeSchema } from '../registry/schema.ts';

export const regionalParticipantsSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('region') }),
  z.strictObject({
    mode: z.literal('municipalities'),
    municipalityIds: z.array(z.uuid({ error: 'Некорректный идентификатор муниципалитета' })).min(1, { error: 'Выберите хотя бы один муниципалитет' }),
  }),
], { error: 'Укажите участников: весь регион или выбранные муниципалитеты' });
export type RegionalParticipants = z.infer<typeof regionalParticipantsSchema>;

export const regionalCampaignCreateSchema = campaignCreateSchema.omit({ participants: true }).extend({
  participants: regionalParticipantsSchema,
  /** Only organisations of these types; absent: every type. */
  types: z.array(organisationTypeSchema).min(1, { error: 'Выберите хотя бы один тип или не ограничивайте типы' }).optional(),
});
export type RegionalCampaignCreate = z.infer<typeof regionalCampaignCreateSchema>;

/** Stored in `campaigns.region_selection`. */
export const regionSelectionSchema = z.object({ municipalityIds: z.array(z.string()).nullable(), types: z.array(z.string()).nullable() });
export type RegionSelection = z.infer<typeof regionSelectionSchema>;

export const regionalCampaignSchema = campaignSchema.extend({
  /** Names of the participating municipalities. */
  municipalities: z.array(z.string()),
  wholeRegion: z.boolean(),
  types: z.array(z.string()).nullable(),
});
export type RegionalCampaign = z.infer<typeof regionalCampaignSchema>;

const stateCounts = z.object({ not_started: z.number(), draft: z.number(), submitted: z.number(), returned: z.number(), accepted: z.number() });

export const regionalProgressSchema = z.object({
  campaign: regionalCampaignSchema,
  today: z.string(),
  status: campaignStatusSchema,
  rows: z.array(z.object({
    municipalityId: z.string(),
    municipality: z.string(),
    organisations: z.number(),
    counts: stateCounts,
    /** Forms not submitted after the due date while the campaign is open. */
    overdue: z.number(),
  })),
  totals: z.object({ organisations: z.number(), counts: stateCounts, overdue: z.number() }),
});
export type RegionalProgress = z.infer<typeof regionalProgressSchema>;
