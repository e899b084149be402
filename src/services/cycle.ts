/** Completeness of the management cycle for a direction and year: gathers the passport (library/directions), the
 * year's campaigns of the direction, recommendations, decisions and the road map, then asks the pure core. */
import { sql, type Kysely } from 'kysely';
import { overdueOccurrences, cycleCompleteness, roadmapView, storedRule, type CompletenessReport, type DirectionCode } from '../core/cycle/index.ts';
import type { Database } from '../db/schema.ts';
import { loadMethodology } from './methodology-library.ts';

export async function getCycleCompleteness(db: Kysely<Database>, direction: DirectionCode, year: number, today: string): Promise<CompletenessReport & { direction: DirectionCode; year: number; today: string }> {
  const parsed = await loadMethodology(`direction-${direction}`);
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

  // Campaigns of the direction whose period starts in the year (direction from the stored methodology version).
  const campaigns = await db
    .selectFrom('campaigns as c')
    .innerJoin('methodology_versions as m', (j) => j.onRef('m.methodology_id', '=', 'c.methodology_id').onRef('m.version', '=', 'c.methodology_version'))
    .select(['c.title', 'c.status'])
    .where('m.direction', '=', direction)
    .where(sql<boolean>`extract(year from c.period_start) = ${year}`)
    .orderBy('c.period_start')
    .execute();

  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  const recs = await db
    .selectFrom('recommendations as r')
    .select(['r.id', 'r.status', 'r.due_date', sql<number>`(select count(*)::int from decision_recommendations dr where dr.recommendation_id = r.id)`.as('decisions')])
    .where('r.direction', '=', direction)
    .where((eb) => eb.or([
      eb.and([eb('r.due_date', '>=', from), eb('r.due_date', '<=', to)]),
      eb.and([eb('r.due_date', 'is', null), eb(sql`extract(year from r.created_at)`, '=', year)]),
    ]))
    .execute();
  const decisions = await db
    .selectFrom('decisions as d')
    .select(['d.id', 'd.kind', 'd.date', 'd.title', 'd.effect_evaluated_at', sql<number>`(select count(*)::int from decision_recommendations dr where dr.decision_id = d.id)`.as('recs')])
    .where('d.direction', '=', direction)
    .where('d.date', '>=', from)
    .where('d.date', '<=', to)
    .orderBy('d.date')
    .execute();

  const events = await db.selectFrom('roadmap_events').select(['id', 'title', 'rule']).where('direction', '=', direction).where('year', '=', year).execute();
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
    decisions: decisions.map((d) => ({ id: d.id, kind: d.kind, date: d.date, title: d.title, effectEvaluatedAt: d.effect_evaluated_at, recommendationCount: Number(d.recs) })),
    roadmap: {
      events: events.length,
      done: view.reduce((n, e) => n + e.occurrences.filter((o) => o.status === 'done' || o.status === 'done_late').length, 0),
      overdue: overdueOccurrences(view).map(({ event, occurrence }) => ({ title: event.title, label: occurrence.label, due: occurrence.due })),
    },
  });
  return { direction, year, today, ...report };
}
