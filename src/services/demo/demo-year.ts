/** The demo municipality's whole year (issue 10), on top of the registry and users of `demo.ts`: seed 004's campaign
 * (closed, published, with the parents' survey and the addressed recommendations), a synthetic previous year, an
 * open campaign of the current academic year, the seven road maps of seed 001 with this year's occurrences, and
 * management decisions. Everything goes through the services a user would use (campaigns, submissions, surveys,
 * road maps, recommendations), so it is audited and validated like any other write.
 *
 * Idempotent and resumable: every step finds what an earlier run created (campaigns and surveys by title,
 * recommendations by campaign + text + organisation, decisions by title, road-map events by direction and year,
 * completions by occurrence) and only adds what is missing. A second run writes nothing. */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { seedDemoCampaigns, type DemoCampaigns } from './demo-campaigns.ts';
import { seedDemoCycle } from './demo-cycle.ts';
import { seedDemoSurvey } from './demo-survey.ts';
import { demoContext } from './demo-context.ts';


export interface DemoYearOutcome {
  campaigns: DemoCampaigns;
  surveyAnswers: number;
  recommendations: number;
  decisions: number;
  roadmapEvents: number;
  completions: number;
}

/** Seeds the year; `today` (ISO date) anchors the open campaign and the road-map statuses. */
export async function seedDemoYear(db: Kysely<Database>, municipalityId: string, today: string): Promise<DemoYearOutcome> {
  const ctx = await demoContext(db, municipalityId, today);
  const campaigns = await seedDemoCampaigns(ctx);
  const surveyAnswers = await seedDemoSurvey(ctx, campaigns.seed004);
  const cycle = await seedDemoCycle(ctx, campaigns);
  return { campaigns, surveyAnswers, ...cycle };
}
