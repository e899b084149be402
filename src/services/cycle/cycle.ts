/** Completeness of the management cycle for a direction and year: gathers the passport (library/directions), the
 * year's campaigns of the direction, recommendations, decisions and the road map, then asks the pure core. */
import { sql, type Kysely } from 'kysely';
import { overdueOccurrences, cycleCompleteness, roadmapView, storedRule, type CompletenessReport, type DirectionCode } from '../../core/cycle/index.ts';
import type { Database } from '../../db/schema.ts';
import { measuredDecisionIds } from './decision-effect.ts';
import { listMethodologyVersions } from '../methodology/methodology-versions.ts';
import { ownOrLegacy } from '../municipal-scope.ts';
import { loadPassport } from './passports.ts';

/** Campaigns of a direction whose period starts in the year. The direction comes from the methodology version — built-in
 * (library) or uploaded — since campaigns of library methodologies have no row in methodology_versions. */
export async function campaignsOfDirection(db: Kysely<Database>, direction: DirectionCode, year: number, municipalityId: string | null = null): Promise<{ id: string; title: string; status: string; periodCode: string }[]> {
  const rows = await db
    .selectFrom('campaigns as c')
    .select(['c.id', 'c.title', 'c.status', 'c.period_code', 'c.methodology_id', 'c.methodology_version'])
    .$if(!!municipalityId, (q) => q.where(sql<boolean>`exists (select 1 from campaign_organisations mco join organisations mo on mo.id = mco.organisation_id where mco.campaign_id = c.id and mo.municipality_id = ${municipalityId})`))
    .where(sql<boolean>`extract(year from c.period_start) = ${year}`)
    .orderBy('c.period_start')
    .orderBy('c.created_at')
    .execute();
  if (rows.length === 0) return [];
  const directions = new Map((await listMethodologyVersions(db)).map((v) => [`${v.id}@${v.version}`, v.direction]));
  return rows
    .filter((c) => directions.get(`${c.methodology_id}@${c.methodology_version}`) === direction)
    .map((c) => ({ id: c.id, title: c.title, status: c.status, periodCode: c.period_code }));
}

/** The recommendations of a direction's year (due in the year, or created in it when they have no due date), with
 * the number of decisions taken on each; `municipalityId` keeps those of one municipality (by the organisation, else
 * by the author). Shared by the cycle completeness and the yearly report. */
export async function recommendationsOfYear(db: Kysely<Database>, direction: DirectionCode, year: number, municipalityId: string | null) {
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  return db
    .selectFrom('recommendations as r')
    .select(['r.id', 'r.status', 'r.due_date', sql<number>`(select count(*)::int from decision_recommendations dr where dr.recommendation_id = r.id)`.as('decisions')])
    .where('r.direction', '=', direction)
    .$if(!!municipalityId, (q) => q.where(sql<string>`coalesce((select o.municipality_id from organisations o where o.id = r.organisation_id), (select u.municipality_id from users u where u.id = r.created_by))`, '=', municipalityId))
    .where((eb) => eb.or([
      eb.and([eb('r.due_date', '>=', from), eb('r.due_date', '<=', to)]),
      eb.and([eb('r.due_date', 'is', null), eb(sql`extract(year from r.created_at)`, '=', year)]),
    ]))
    .execute();
}

/** `municipalityId`: the caller's municipality (issue 9) — only its campaigns, recommendations, decisions and road map. */
export async function getCycleCompleteness(db: Kysely<Database>, direction: DirectionCode, year: number, today: string, municipalityId: string | null = null): Promise<CompletenessReport & { direction: DirectionCode; year: number; today: string }> {
  const parsed = await loadPassport(db, direction);
  const passport = parsed.ok
    ? {
        title: parsed.methodology.title,
        goal: parsed.methodology.goal ?? null,
        expectedResult: parsed.methodology.expected_result ?? null,
        indicators: Object.keys(parsed.methodology.indicators).length,
        inputs: Object.keys(parsed.methodology.inputs).length,
        datasets: Object.keys(parsed.methodology.datasets ?? {}).length,
      }
    : null;

  const campaigns = (await campaignsOfDirection(db, direction, year, municipalityId)).map((c) => ({ title: c.title, status: c.status }));

  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  const recs = await recommendationsOfYear(db, direction, year, municipalityId);
  const decisions = await db
    .selectFrom('decisions as d')
    .select(['d.id', 'd.kind', 'd.date', 'd.title', 'd.effect_evaluated_at', sql<number>`(select count(*)::int from decision_recommendations dr where dr.decision_id = d.id)`.as('recs')])
    .where('d.direction', '=', direction)
    .$if(!!municipalityId, (q) => q.where(ownOrLegacy('d.municipality_id', municipalityId!)))
    .where('d.date', '>=', from)
    .where('d.date', '<=', to)
    .orderBy('d.date')
    .execute();

  const measured = await measuredDecisionIds(db, decisions.map((d) => d.id));

  const events = await db.selectFrom('roadmap_events').select(['id', 'title', 'rule']).$if(!!municipalityId, (q) => q.where(ownOrLegacy('municipality_id', municipalityId!))).where('direction', '=', direction).where('year', '=', year).where('removed_at', 'is', null).execute();
  const completions = events.length
    ? await db.selectFrom('roadmap_completions').selectAll().where('event_id', 'in', events.map((e) => e.id)).orderBy('id').execute()
    : [];
  const view = roadmapView(
    events.map((e) => ({ id: e.id, title: e.title, rule: storedRule(e.rule) })),
    completions.map((c) => ({ eventId: c.event_id, occurrenceDue: c.occurrence_due, doneAt: c.done_at, evidenceUrl: c.evidence_url, note: c.note, actorLogin: c.actor_login, at: new Date(c.at).toISOString() })),
    year,
    today,
  );

  const report = cycleCompleteness({
    year,
    today,
    passport,
    campaigns,
    recommendations: recs.map((r) => ({ id: r.id, status: r.status, dueDate: r.due_date, decisionCount: Number(r.decisions) })),
    decisions: decisions.map((d) => ({ id: d.id, kind: d.kind, date: d.date, title: d.title, effectEvaluatedAt: d.effect_evaluated_at, recommendationCount: Number(d.recs), effectMeasured: measured.has(d.id) })),
    roadmap: {
      events: events.length,
      done: view.reduce((n, e) => n + e.occurrences.filter((o) => o.status === 'done' || o.status === 'done_late').length, 0),
      overdue: overdueOccurrences(view).map(({ event, occurrence }) => ({ title: event.title, label: occurrence.label, due: occurrence.due })),
    },
  });
  return { direction, year, today, ...report };
}
