/** The management cycle of the demo (issue 10), through roadmaps.ts and recommendations.ts:
 * - the seven road maps of seed 001 imported for the current year; about two thirds of the occurrences already due are
 *   marked done with a link to the confirming document, the rest stay overdue (derived from today, never stored);
 * - the previous (synthetic) year's recommendation and the order taken on it, whose effect is measured by the 2021
 *   campaign: the municipal diversity index before and after, computed by the engine from the accepted forms;
 * - seed 004's addressed recommendations naming the organisations the protocol names, in several states, two of them
 *   followed by decisions whose effect is not measured yet, and four left without any decision — the broken part of
 *   the cycle that the completeness view shows. */
import type { Kysely } from 'kysely';
import { addDays } from '../../core/calendar/index.ts';
import { DIRECTION_CODES, type DirectionCode } from '../../core/cycle/index.ts';
import type { AddresseeKind, Database, RecommendationStatus } from '../../db/schema.ts';
import { getDecisionEffect } from '../cycle/decision-effect.ts';
import { DEMO_METHODOLOGY, type DemoCampaigns } from './demo-campaigns.ts';
import type { DemoContext } from './demo-context.ts';
import { addCompletion, getRoadmap, importRoadmapTemplate } from '../cycle/roadmaps.ts';
import { changeRecommendationStatus, createDecision, createRecommendations, listDecisions, updateDecision } from '../cycle/recommendations.ts';

const EVIDENCE_BASE = 'https://uo-ishimbay.example.ru/docs';

interface RecPlan {
  key: string;
  campaign: 'previous' | 'seed004';
  addressee: AddresseeKind;
  /** Organisation short names; empty — one municipal-level recommendation. */
  orgs: string[];
  text: string;
  dueDate?: string;
  /** The indicator that motivated it (the effect of its decision is measured on it). */
  indicator?: string;
  /** What the organisation reported when it marked the recommendation done. */
  report?: string;
  /** Target status per organisation (default: issued). */
  status?: Record<string, RecommendationStatus>;
}

export const SEED004_RECOMMENDATIONS: RecPlan[] = [
  {
    key: '1.1', campaign: 'seed004', addressee: 'head', orgs: [],
    text: 'Руководителям образовательных учреждений: продолжить работу по вовлечению обучающихся в дополнительное образование в соответствии с лицензией на образовательную деятельность, возрастными особенностями обучающихся (воспитанников), образовательной программой учреждения, нормами СанПин 2.4.3648-20.',
  },
  {
    key: '1.2', campaign: 'seed004', addressee: 'head', orgs: ['Инсайт', 'ДЭБЦ', 'СЮТ', '№12', '№11', '№3', '№2', '№19'],
    text: 'Разнообразить количество и качество программ, исходя из запросов родителей и обучающихся.', indicator: 'diversity_index',
    status: { Инсайт: 'in_progress', СЮТ: 'done', '№12': 'verified' },
    report: 'Разработаны и размещены в ИС «Навигатор» новые программы по итогам анкетирования родителей и обучающихся.',
  },
  {
    key: '1.3', campaign: 'seed004', addressee: 'head', orgs: ['ДОУ №34', 'ДОУ №28', 'ДОУ №27'],
    text: 'Внедрить в образовательный процесс программы технической направленности.',
    status: { 'ДОУ №28': 'done', 'ДОУ №27': 'verified' },
    report: 'Введена программа технической направленности «Робототехника для дошкольников» (конструктор, 5–7 лет), размещена в ИС «Навигатор».',
  },
  {
    key: '1.4', campaign: 'seed004', addressee: 'teachers', orgs: ['Кинзебулатово', 'Кулгунино'],
    text: 'Руководителям «Точек роста»: направить на обучение педагогов с целью повышения качества преподавания программ технической и естественно-научной направленностей.',
    status: { Кинзебулатово: 'in_progress', Кулгунино: 'in_progress' },
  },
  {
    key: '1.5', campaign: 'seed004', addressee: 'head', orgs: ['ДЭБЦ', 'СЮТ'],
    text: 'Разработать план мероприятий по увеличению программ технической и естественно-научной направленности в соответствии с запросами участников образовательных отношений.',
  },
  {
    key: '1.6', campaign: 'seed004', addressee: 'head', orgs: ['ДДЮТ', 'СЮТ', 'ДЭБЦ', 'Инсайт'],
    text: 'Разработать дополнительные общеобразовательные общеразвивающие программы, направленные на профориентацию обучающихся 15–17 лет в соответствии с интересами подростков.',
  },
  {
    key: '1.7', campaign: 'seed004', addressee: 'organisation', orgs: [],
    text: 'Организовать работу по вовлечению 100 % детей с ОВЗ, детей-инвалидов в программы дополнительного образования исходя из потребностей и запросов.',
  },
  {
    key: 'prev', campaign: 'previous', addressee: 'head', orgs: ['СЮТ', 'ДЭБЦ', 'Инсайт', '№2', '№11', '№12'],
    text: 'Разместить в ИС «Навигатор» все реализуемые дополнительные общеразвивающие программы и расширить их перечень (синтетические данные демо).',
    dueDate: '2021-06-30', indicator: 'diversity_index',
    status: { СЮТ: 'verified', ДЭБЦ: 'verified', Инсайт: 'verified', '№2': 'verified', '№11': 'verified', '№12': 'verified' },
    report: 'Все реализуемые программы размещены в ИС «Навигатор», перечень расширен (синтетические данные демо).',
  },
];

const ORDER_TITLE = 'Приказ МКУ УО «О размещении дополнительных общеразвивающих программ в ИС «Навигатор» и расширении их перечня» (синтетические данные демо)';
const MEETING_TITLE = 'Совещание руководителей ОО по итогам мониторинга охвата дополнительным образованием (протокол №6 от 30.06.2022)';
const TRAINING_TITLE = 'Направление педагогов центров «Точка роста» на курсы повышения квалификации по программам технической и естественно-научной направленностей';

const RANK: Record<RecommendationStatus, number> = { issued: 0, in_progress: 1, done: 2, verified: 3 };
const roadmapChangeTitle = (today: string) => `Корректировка дорожной карты направления «Таланты» на ${today.slice(0, 4)} год: программы профориентации для 15–17 лет в УДО`;
const PATH: Record<RecommendationStatus, RecommendationStatus[]> = { issued: [], in_progress: ['in_progress'], done: ['done'], verified: ['done', 'verified'] };

async function seedRecommendations(ctx: DemoContext, campaigns: DemoCampaigns): Promise<{ created: number; ids: Map<string, string[]> }> {
  const byName = new Map([...ctx.orgs.values()].map((o) => [o.shortName, o.id]));
  const ids = new Map<string, string[]>();
  let created = 0;
  for (const p of SEED004_RECOMMENDATIONS) {
    const campaign = campaigns[p.campaign];
    const orgIds = p.orgs.map((n) => byName.get(n)).filter((x): x is string => x !== undefined);
    const existing = await ctx.db.selectFrom('recommendations').select(['id', 'organisation_id', 'status']).where('campaign_id', '=', campaign.id).where('text', '=', p.text).execute();
    const have = new Set(existing.map((e) => e.organisation_id));
    const missing = orgIds.length ? orgIds.filter((o) => !have.has(o)) : existing.length ? [] : [null];
    if (missing.length) {
      await createRecommendations(ctx.db, ctx.actors.analyst, {
        direction: 'talents', campaignId: campaign.id, methodologyId: DEMO_METHODOLOGY.id, addresseeKind: p.addressee,
        organisationIds: missing.filter((o): o is string => o !== null), text: p.text, ...(p.dueDate ? { dueDate: p.dueDate } : {}),
        ...(p.indicator ? { indicator: p.indicator } : {}),
      });
      created += missing.length;
    }
    const rows = await ctx.db.selectFrom('recommendations').select(['id', 'organisation_id', 'status']).where('campaign_id', '=', campaign.id).where('text', '=', p.text).execute();
    ids.set(p.key, rows.map((r) => r.id));
    for (const r of rows) {
      const name = [...byName].find(([, id]) => id === r.organisation_id)?.[0];
      const target = (name && p.status?.[name]) || 'issued';
      const own = name === 'ДОУ №34' ? ctx.actors.dou34 : name === '№1' ? ctx.actors.oo1 : ctx.actors.analyst;
      for (const step of PATH[target]) {
        const now = (await ctx.db.selectFrom('recommendations').select('status').where('id', '=', r.id).executeTakeFirstOrThrow()).status;
        if (RANK[now] >= RANK[step]) continue;
        const input =
          step === 'done'
            ? { status: step, reportText: `${name ?? 'ОО'}: ${p.report ?? 'мероприятия выполнены.'} (Отчёт ОО внесён методистом.)`, evidenceUrl: `${EVIDENCE_BASE}/recommendations/${p.key}/${encodeURIComponent(name ?? 'mo')}.pdf` }
            : step === 'verified'
              ? { status: step, comment: 'Выполнение подтверждено по данным ИС «Навигатор».' }
              : { status: step };
        await changeRecommendationStatus(ctx.db, step === 'verified' ? ctx.actors.analyst : own, { orgScope: null }, r.id, input);
      }
    }
  }
  return { created, ids };
}

async function seedDecisions(ctx: DemoContext, campaigns: DemoCampaigns, recs: Map<string, string[]>): Promise<number> {
  const existing = new Set((await listDecisions(ctx.db, { direction: 'talents' })).map((d) => d.title));
  let created = 0;
  const plans = [
    { title: ORDER_TITLE, kind: 'order' as const, number: '41', date: '2021-02-15', recs: recs.get('prev') ?? [], campaign: campaigns.previous.id, measured: true },
    // No indicator named: nothing says what the meeting should change — a decision whose effect cannot be measured.
    { title: MEETING_TITLE, kind: 'meeting' as const, number: '6', date: '2022-06-30', recs: [...(recs.get('1.2') ?? []), ...(recs.get('1.3') ?? [])], campaign: campaigns.seed004.id, measured: false },
    { title: TRAINING_TITLE, kind: 'training' as const, number: '1021', date: '2022-08-29', recs: recs.get('1.4') ?? [], campaign: campaigns.seed004.id, measured: true },
    // This year's correction of the road map (dated by the seeding day), on the recommendation to the УДО.
    { title: roadmapChangeTitle(ctx.today), kind: 'roadmap_change' as const, number: '15', date: addDays(ctx.today, -45) < `${ctx.today.slice(0, 4)}-01-01` ? `${ctx.today.slice(0, 4)}-01-01` : addDays(ctx.today, -45), recs: recs.get('1.6') ?? [], campaign: campaigns.seed004.id, measured: false },
  ];
  for (const p of plans) {
    if (existing.has(p.title)) continue;
    await createDecision(ctx.db, ctx.actors.analyst, {
      direction: 'talents', kind: p.kind, number: p.number, date: p.date, title: p.title, responsible: 'МКУ Управление образования, главный инспектор Шерсткина Е. А.',
      documentUrl: `${EVIDENCE_BASE}/decisions/${p.date}-${p.number}.pdf`, recommendationIds: p.recs, campaignId: p.campaign,
      indicators: p.measured ? [{ methodology_id: DEMO_METHODOLOGY.id, indicator: 'diversity_index', direction: 'increase' as const }] : [],
    }, ctx.municipalityId);
    created++;
  }
  // The order taken on the synthetic 2020 results: its effect is measured by the 2021 campaign (decision-effect.ts
  // derives it from both campaigns' results); the evaluation is recorded with the overall line as the note.
  const order = (await listDecisions(ctx.db, { direction: 'talents' })).find((d) => d.title === ORDER_TITLE);
  if (order && !order.effectEvaluatedAt) {
    const effect = await getDecisionEffect(ctx.db, order.id);
    const lines = effect.effect.indicators.filter((i) => i.status === 'measured' && i.overall).map((i) => `${i.title}: ${i.overall!.text}`);
    if (lines.length) await updateDecision(ctx.db, ctx.actors.analyst, order.id, { effectEvaluatedAt: '2022-06-30', effectNote: lines.join('\n') });
  }
  return created;
}

/** The current year's road maps: imported once; occurrences already due marked done for two events in three. */
async function seedRoadmaps(db: Kysely<Database>, ctx: DemoContext): Promise<{ events: number; completions: number }> {
  const year = Number(ctx.today.slice(0, 4));
  let events = 0;
  let completions = 0;
  for (const direction of DIRECTION_CODES as readonly DirectionCode[]) {
    const any = await db.selectFrom('roadmap_events').select('id').where('direction', '=', direction).where('year', '=', year).limit(1).executeTakeFirst();
    if (!any) events += (await importRoadmapTemplate(db, ctx.actors.admin, direction, year, ctx.municipalityId)).inserted;
    const view = await getRoadmap(db, direction, year, ctx.today, ctx.municipalityId);
    for (const [i, e] of view.events.entries()) {
      if (i % 3 === 2) continue;
      for (const [j, o] of e.occurrences.entries()) {
        if (o.status !== 'overdue') continue;
        // The last occurrence already due stays overdue on every third event, so each map shows both.
        if ((i + j) % 4 === 3) continue;
        await addCompletion(db, ctx.actors.analyst, e.id, {
          occurrenceDue: o.due,
          doneAt: o.due,
          evidenceUrl: `${EVIDENCE_BASE}/roadmaps/${direction}/${year}/${i + 1}-${o.due}.pdf`,
          note: e.expectedDocument ? `Подтверждение: ${e.expectedDocument.slice(0, 300)}` : 'Выполнено в срок',
        }, ctx.today);
        completions++;
      }
    }
  }
  return { events, completions };
}

export async function seedDemoCycle(ctx: DemoContext, campaigns: DemoCampaigns): Promise<{ recommendations: number; decisions: number; roadmapEvents: number; completions: number }> {
  const roadmaps = await seedRoadmaps(ctx.db, ctx);
  const recs = await seedRecommendations(ctx, campaigns);
  const decisions = await seedDecisions(ctx, campaigns, recs.ids);
  return { recommendations: recs.created, decisions, roadmapEvents: roadmaps.events, completions: roadmaps.completions };
}
