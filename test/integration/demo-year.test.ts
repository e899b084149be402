/** The demo year (issue 10) on the real database: seeded through the services, it reproduces seed 004's figures
 * (municipal diversity index 5,6, loyalty 89,7 with the printed counts of promoters, neutrals and critics per type,
 * coverage 78,9 %), the synthetic previous year and the measured effect of the order taken on it, the open campaign's
 * states relative to the seeding day, the protocol's addressed recommendations and the road maps; a second run adds
 * nothing to any table, the audit log included. */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeCampaignResults } from '../../src/services/analysis/campaign-results.ts';
import { getCampaignAnalysis } from '../../src/services/analysis/campaign-analysis.ts';
import { getDecisionEffect } from '../../src/services/cycle/decision-effect.ts';
import { seedDemo, type SeedOutcome } from '../../src/services/demo/demo.ts';
import { readSeed004Satisfaction } from '../../src/services/demo/demo-files.ts';
import { getRoadmap } from '../../src/services/cycle/roadmaps.ts';
import { satisfactionTable } from '../../src/services/surveys/surveys.ts';
import { regionOfUser, regionOverview } from '../../src/services/region/region.ts';
import { DEMO_REGION_NAME } from '../../src/services/demo/demo-region.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from './helpers.ts';

const TODAY = '2025-11-20';

async function rowCounts(db: TestDatabase['db']): Promise<Record<string, number>> {
  const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name not like 'kysely%' order by table_name`.execute(db);
  const out: Record<string, number> = {};
  for (const t of tables.rows) {
    const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(t.table_name)}`.execute(db);
    out[t.table_name] = Number(r.rows[0]?.n ?? 0);
  }
  return out;
}

describe.each(BACKENDS)('demo year on %s', (kind) => {
  let database: TestDatabase;
  let first: SeedOutcome;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    first = await seedDemo(database.db, { year: true, today: TODAY });
  }, 600_000);
  afterAll(async () => {
    await database?.dispose();
  });

  it('seed 004 campaign: closed and published, 5,6, coverage 78,9 %, loyalty 87,9 / 85,2 / 96,0 / 89,7 from the printed counts', async () => {
    const c = first.year!.campaigns.seed004;
    expect(c.title).toBe('Мониторинг охвата дополнительным образованием, 2021');
    expect(c.status).toBe('published');
    const r = await computeCampaignResults(database.db, c.id, { basis: 'accepted' });
    expect(r.organisations.filter((o) => o.submissionStatus === 'accepted')).toHaveLength(51);
    const table = (id: string) => r.computed.find((t) => t.dataset.id === id)!;
    expect(table('organisations').aggregates.find((a) => a.aggregate === 'municipal_diversity_index')?.value).toBe(5.6);
    expect(table('organisations').results.find((x) => x.organisation === 'Петровское' && x.indicator === 'diversity_index')?.value).toBe(3.3);
    expect(table('coverage').results.find((x) => x.indicator === 'coverage_share')?.value).toBe(78.9);
    const loyalty = Object.fromEntries(table('satisfaction').results.filter((x) => x.indicator === 'loyalty_index').map((x) => [x.organisation, x.value]));
    expect(loyalty).toEqual({ school: 87.9, preschool: 85.2, supplementary: 96, total: 89.7 });
    expect(table('focus').results.length).toBeGreaterThan(0);

    const survey = await database.db.selectFrom('surveys').select(['id', 'status']).where('campaign_id', '=', c.id).executeTakeFirstOrThrow();
    expect(survey.status).toBe('closed');
    const sat = await satisfactionTable(database.db, survey.id);
    const col = (name: string) => sat.header.indexOf(name);
    for (const printed of await readSeed004Satisfaction()) {
      const row = sat.rows.find((x) => x[col('org_type')] === printed.orgType)!;
      const got = ['children_5_17', 'respondents', 'promoters', 'neutrals', 'critics'].map((h) => Number(row[col(h)]));
      // The printed total row gives 14577 children, which is not the sum of its type rows (10377 + 2050 + 4025 =
      // 16452); the survey's total is the sum over organisations. Every other printed count is reproduced.
      const children = printed.orgType === 'total' ? 16452 : printed.children;
      expect(got, printed.orgType).toEqual([children, printed.respondents, printed.promoters, printed.neutrals, printed.critics]);
    }
  });

  it('the synthetic previous year and the measured effect of the order taken on it: 4,7 → 5,6', async () => {
    const prev = first.year!.campaigns.previous;
    expect(prev.title).toContain('синтетические данные демо');
    expect(prev.status).toBe('published');
    const order = await database.db.selectFrom('decisions').select(['id', 'effect_evaluated_at', 'effect_note']).where('title', 'like', 'Приказ МКУ УО «О размещении%').executeTakeFirstOrThrow();
    expect(order.effect_evaluated_at).toBe('2022-06-30');
    const effect = await getDecisionEffect(database.db, order.id);
    const overall = effect.effect.indicators[0]!.overall!;
    expect([effect.effect.indicators[0]!.status, overall.before, overall.after]).toEqual(['measured', 4.7, 5.6]);
    expect(order.effect_note).toContain('4,7 → 5,6');
  });

  it('the open campaign of the current academic year: returned, submitted, accepted, drafts and overdue forms', async () => {
    const cur = first.year!.campaigns.current;
    expect(cur.title).toBe('Мониторинг охвата дополнительным образованием, 2025/2026 учебный год');
    expect([cur.status, cur.opens_on, cur.due_on, cur.closes_on]).toEqual(['open', '2025-10-23', '2025-11-17', '2025-12-11']);
    const subs = await database.db
      .selectFrom('submissions as s')
      .innerJoin('organisations as o', 'o.id', 's.organisation_id')
      .select(['o.no', 's.status', 's.reviewer_comment'])
      .where('s.campaign_id', '=', cur.id)
      .execute();
    const byNo = new Map(subs.map((s) => [s.no, s]));
    expect(byNo.get(1)?.status).toBe('returned');
    expect(byNo.get(1)?.reviewer_comment).toContain('Численность обучающихся расходится');
    expect(byNo.get(47)?.status).toBe('draft');
    const count = (st: string) => subs.filter((s) => s.status === st).length;
    expect({ accepted: count('accepted'), submitted: count('submitted'), returned: count('returned'), draft: count('draft'), notStarted: 51 - subs.length }).toEqual({
      accepted: 23, submitted: 10, returned: 2, draft: 6, notStarted: 10,
    });
  });

  it('the protocol’s addressed recommendations name its organisations; four are left without a decision', async () => {
    const recs = await database.db
      .selectFrom('recommendations as r')
      .leftJoin('organisations as o', 'o.id', 'r.organisation_id')
      .select(['r.text', 'r.status', 'o.short_name', sql<number>`(select count(*)::int from decision_recommendations d where d.recommendation_id = r.id)`.as('decisions')])
      .where('r.campaign_id', '=', first.year!.campaigns.seed004.id)
      .execute();
    const named = (start: string) => recs.filter((r) => r.text.startsWith(start)).map((r) => r.short_name).sort();
    expect(named('Внедрить в образовательный процесс программы технической')).toEqual(['ДОУ №27', 'ДОУ №28', 'ДОУ №34']);
    expect(named('Разнообразить количество')).toEqual(['ДЭБЦ', 'Инсайт', 'СЮТ', '№11', '№12', '№19', '№2', '№3']);
    expect(named('Руководителям «Точек роста»')).toEqual(['Кинзебулатово', 'Кулгунино']);
    expect(recs.find((r) => r.short_name === 'ДОУ №27')?.status).toBe('verified');
    expect(recs.find((r) => r.short_name === 'ДОУ №34')?.status).toBe('issued');
    const withoutDecision = new Set(recs.filter((r) => Number(r.decisions) === 0).map((r) => r.text.slice(0, 30)));
    expect(withoutDecision.size).toBe(3);
    expect(recs.filter((r) => Number(r.decisions) === 0).length).toBe(1 + 2 + 1);
  });

  it('seven road maps of the current year with done (with a document) and overdue occurrences', async () => {
    const directions = await database.db.selectFrom('roadmap_events').select('direction').distinct().where('year', '=', 2025).execute();
    expect(directions).toHaveLength(7);
    const talents = await getRoadmap(database.db, 'talents', 2025, TODAY);
    expect(talents.counts.overdue).toBeGreaterThan(0);
    expect(talents.counts.done).toBeGreaterThan(0);
    const done = talents.events.flatMap((e) => e.occurrences).filter((o) => o.completion);
    expect(done.every((o) => o.completion?.evidenceUrl?.startsWith('https://'))).toBe(true);
  });

  it('a region with the demo municipality and a small synthetic one, and the regional analyst «region» (issue 24)', async () => {
    const user = await database.db.selectFrom('users').select(['id', 'role', 'municipality_id']).where('login', '=', 'region').executeTakeFirstOrThrow();
    expect(user).toMatchObject({ role: 'regional_analyst', municipality_id: null });
    const region = await regionOfUser(database.db, user.id);
    expect(region.name).toBe(DEMO_REGION_NAME);
    const overview = await regionOverview(database.db, region);
    expect(overview.municipalities).toHaveLength(2);
    const demo = overview.municipalities.find((m) => !m.synthetic);
    expect(demo).toMatchObject({ organisations: 51, publishedCampaigns: 2 });
    const synthetic = overview.municipalities.find((m) => m.synthetic);
    expect(synthetic?.organisations).toBe(12);
    expect(synthetic?.publishedCampaigns).toBeGreaterThan(0);
    expect(overview.methodologies.find((m) => m.id === 'talents-2021')?.campaigns).toBeGreaterThanOrEqual(3);
  });

  it('seed 004 campaign carries «Протокол № 6 …»: three per-organisation disagreements and the loyalty indices', async () => {
    const a = await getCampaignAnalysis(database.db, first.year!.campaigns.seed004.id, { basis: 'accepted' });
    expect(a.printedReports.map((p) => [p.report.title, p.report.date, p.report.figures, p.agreed, p.problems.length])).toEqual([
      ['Протокол № 6 заседания рабочей группы от 30.06.2022', '2022-06-30', 56, 100, 0],
    ]);
    expect(a.printedReports[0]!.disagreements.map((d) => [d.label, d.field, d.printed, d.computed])).toEqual([
      ['Канакаево', 'level', 'средний', 'выше среднего'],
      ['Петровское', 'value', '3,7', '3,3'],
      ['ДОУ №33', 'level', 'выше среднего', 'высокий'],
      ['Общеобразовательные организации', 'value', '86', '87,9'],
      ['Дошкольные образовательные организации', 'value', '80', '85,2'],
      ['Организации дополнительного образования', 'value', '92', '96'],
      ['Итого', 'value', '86', '89,7'],
    ]);
    // The per-organisation ones join the campaign's discrepancies; the loyalty ones are there once, from satisfaction.csv.
    const fromReport = a.model.discrepancies.filter((d) => d.explanation.startsWith('«Протокол № 6'));
    expect(fromReport.map((d) => [d.organisation, d.field, d.published, d.computed])).toEqual([
      ['Канакаево', 'level', 'средний', 'выше среднего'],
      ['Петровское', 'value', 3.7, 3.3],
      ['ДОУ №33', 'level', 'выше среднего', 'высокий'],
    ]);
  });

  it('a second run adds nothing to any table', async () => {
    const before = await rowCounts(database.db);
    const again = await seedDemo(database.db, { year: true, today: TODAY });
    expect(again).toMatchObject({ organisationsCreated: 0, usersCreated: 0 });
    expect(again.year).toMatchObject({ surveyAnswers: 0, recommendations: 0, decisions: 0, roadmapEvents: 0, completions: 0 });
    expect(await rowCounts(database.db)).toEqual(before);
    expect(before.audit_log).toBeGreaterThan(300);
  }, 300_000);
});
