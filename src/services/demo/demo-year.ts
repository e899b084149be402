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
import type { OrganisationType } from '../../core/registry/schema.ts';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../errors.ts';
import { seedDemoCampaigns, type DemoCampaigns } from './demo-campaigns.ts';
import { seedDemoCycle } from './demo-cycle.ts';
import { seedDemoSurvey } from './demo-survey.ts';

/** What the demo steps share: organisations by registry number, and the demo users as actors. */
export interface DemoContext {
  db: Kysely<Database>;
  today: string;
  municipalityId: string;
  orgs: Map<number, { id: string; shortName: string; type: OrganisationType }>;
  actors: { admin: Actor; analyst: Actor; wg: Actor; oo1: Actor; dou34: Actor };
}

async function actorOf(db: Kysely<Database>, login: string): Promise<Actor> {
  const u = await db.selectFrom('users').select(['id', 'login']).where('login', '=', login).executeTakeFirstOrThrow();
  return { userId: u.id, login: u.login, ip: null };
}

export async function demoContext(db: Kysely<Database>, municipalityId: string, today: string): Promise<DemoContext> {
  const rows = await db.selectFrom('organisations').select(['id', 'no', 'short_name', 'type']).where('municipality_id', '=', municipalityId).execute();
  return {
    db,
    today,
    municipalityId,
    orgs: new Map(rows.map((r) => [r.no, { id: r.id, shortName: r.short_name, type: r.type }])),
    actors: {
      admin: await actorOf(db, 'admin'),
      analyst: await actorOf(db, 'analyst'),
      wg: await actorOf(db, 'wg'),
      oo1: await actorOf(db, 'oo1'),
      dou34: await actorOf(db, 'dou34'),
    },
  };
}

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
