/** Completeness of the management cycle (DOMAIN.md, «The management cycle») for one direction and year: for each of
 * the nine stages, what exists and what is missing, in Russian. Pure: the service gathers the inputs, `today` is given. */

import { formatDate, plural } from '../format.ts';
import type { IsoDate } from '../calendar/index.ts';

export const CYCLE_STAGES = [
  { code: 'goals', title: 'Цели' },
  { code: 'indicators', title: 'Показатели' },
  { code: 'collection', title: 'Методы сбора информации' },
  { code: 'monitoring', title: 'Мониторинг' },
  { code: 'analysis', title: 'Анализ' },
  { code: 'recommendations', title: 'Адресные рекомендации' },
  { code: 'decisions', title: 'Управленческие решения' },
  { code: 'effectiveness', title: 'Анализ эффективности' },
  { code: 'roadmap_correction', title: 'Корректировка дорожной карты' },
] as const;

export type StageCode = (typeof CYCLE_STAGES)[number]['code'];
/** ok — the stage is evidenced; partial — it exists with gaps; missing — nothing evidences it. */
export type StageState = 'ok' | 'partial' | 'missing';

export interface StageReport {
  code: StageCode;
  title: string;
  state: StageState;
  found: string[];
  missing: string[];
}

export interface CompletenessInput {
  year: number;
  today: IsoDate;
  /** The direction passport (library/directions); null when there is none. */
  passport: { title: string; goal: string | null; expectedResult: string | null; indicators: number; inputs: number; datasets: number } | null;
  /** Campaigns of the direction in the year; null when the campaigns table is not available. */
  campaigns: { title: string; status: string }[] | null;
  recommendations: { id: string; status: 'issued' | 'in_progress' | 'done' | 'verified'; dueDate: IsoDate | null; decisionCount: number }[];
  /** `effectMeasured`: the before/after of its indicators is measurable (src/core/cycle/effect.ts) — the effect is
   * evaluated even when nobody marked `effectEvaluatedAt` by hand. */
  decisions: { id: string; kind: string; date: IsoDate; title: string; effectEvaluatedAt: IsoDate | null; recommendationCount: number; effectMeasured?: boolean }[];
  roadmap: { events: number; overdue: { title: string; label: string; due: IsoDate }[]; done: number };
}

export interface CompletenessReport {
  stages: StageReport[];
  /** Stages in state ok, of nine. */
  complete: number;
  /** Every `missing` line of every stage, in stage order: where the cycle is broken. */
  gaps: string[];
}

const n = (k: number, forms: readonly [string, string, string]) => `${k} ${plural(k, forms)}`;
const REC: readonly [string, string, string] = ['рекомендация', 'рекомендации', 'рекомендаций'];
const DEC: readonly [string, string, string] = ['решение', 'решения', 'решений'];
const CAMP: readonly [string, string, string] = ['мониторинг', 'мониторинга', 'мониторингов'];
const EV: readonly [string, string, string] = ['мероприятие', 'мероприятия', 'мероприятий'];

function stage(code: StageCode, found: string[], missing: string[], exists: boolean): StageReport {
  const title = CYCLE_STAGES.find((s) => s.code === code)!.title;
  return { code, title, state: !exists ? 'missing' : missing.length > 0 ? 'partial' : 'ok', found, missing };
}

export function cycleCompleteness(input: CompletenessInput): CompletenessReport {
  const { passport: p, year, today } = input;
  const stages: StageReport[] = [];

  stages.push(
    p?.goal
      ? stage('goals', [`цель паспорта: «${p.goal.length > 120 ? `${p.goal.slice(0, 117)}…` : p.goal}»`], p.expectedResult ? [] : ['в паспорте не указан ожидаемый результат'], true)
      : stage('goals', [], [p ? 'в паспорте направления не указана цель' : 'нет паспорта направления'], false),
  );
  stages.push(
    p && p.indicators > 0
      ? stage('indicators', [`${n(p.indicators, ['показатель', 'показателя', 'показателей'])} в паспорте`], [], true)
      : stage('indicators', [], ['показатели не определены'], false),
  );
  stages.push(
    p && p.inputs > 0
      ? stage('collection', [`${n(p.inputs, ['собираемое значение', 'собираемых значения', 'собираемых значений'])}${p.datasets ? `, ${n(p.datasets, ['источник данных', 'источника данных', 'источников данных'])}` : ''}`], [], true)
      : stage('collection', [], ['не определено, какие данные собираются (входные данные паспорта)'], false),
  );

  const campaigns = input.campaigns;
  if (campaigns === null) {
    stages.push(stage('monitoring', [], ['сведения о мониторингах недоступны (таблица мониторингов не создана) — учтено 0'], false));
    stages.push(stage('analysis', [], ['нет мониторингов — анализировать нечего'], false));
  } else {
    const finished = campaigns.filter((c) => c.status === 'closed' || c.status === 'published');
    stages.push(
      campaigns.length > 0
        ? stage('monitoring', [`${n(campaigns.length, CAMP)} в ${year} году: ${campaigns.map((c) => `«${c.title}»`).join(', ')}`], [], true)
        : stage('monitoring', [], [`нет мониторингов по направлению в ${year} году`], false),
    );
    const published = finished.filter((c) => c.status === 'published').length;
    stages.push(
      finished.length > 0
        ? stage('analysis', [`завершено (результаты рассчитаны): ${n(finished.length, CAMP)}${published ? `, из них опубликовано: ${published}` : ''}`], campaigns.length > finished.length ? [`ещё не завершено: ${n(campaigns.length - finished.length, CAMP)}`] : [], true)
        : stage('analysis', [], [campaigns.length ? 'ни один мониторинг года не завершён — результатов для анализа нет' : 'нет мониторингов — анализировать нечего'], false),
    );
  }

  const recs = input.recommendations;
  const overdueRecs = recs.filter((r) => r.dueDate !== null && r.dueDate < today && (r.status === 'issued' || r.status === 'in_progress'));
  const unverified = recs.filter((r) => r.status === 'done');
  const recMissing: string[] = [];
  if (overdueRecs.length) recMissing.push(`не выполнено в срок: ${n(overdueRecs.length, REC)}`);
  if (unverified.length) recMissing.push(`выполнено, но не проверено: ${n(unverified.length, REC)}`);
  stages.push(
    recs.length > 0
      ? stage('recommendations', [`${n(recs.length, REC)}: выполнено и проверено ${recs.filter((r) => r.status === 'verified').length}`], recMissing, true)
      : stage('recommendations', [], ['адресные рекомендации не выданы'], false),
  );

  const decisions = input.decisions;
  const withoutDecision = recs.filter((r) => r.decisionCount === 0);
  const decMissing = withoutDecision.length ? [`${n(withoutDecision.length, REC)} без управленческого решения`] : [];
  stages.push(
    decisions.length > 0
      ? stage('decisions', [`${n(decisions.length, DEC)}: ${decisions.map((d) => `${d.title} от ${formatDate(d.date)}`).join('; ')}`], decMissing, true)
      : stage('decisions', [], ['управленческие решения не приняты', ...decMissing], false),
  );

  const isEvaluated = (d: CompletenessInput['decisions'][number]) => d.effectEvaluatedAt !== null || d.effectMeasured === true;
  const evaluated = decisions.filter(isEvaluated);
  const notEvaluated = decisions.filter((d) => !isEvaluated(d));
  const measured = evaluated.filter((d) => d.effectMeasured === true).length;
  stages.push(
    evaluated.length > 0
      ? stage('effectiveness', [`эффективность оценена для ${n(evaluated.length, ['решения', 'решений', 'решений'])}${measured ? ` (до/после по показателям: ${measured})` : ''}`], notEvaluated.map((d) => `решение от ${formatDate(d.date)} без оценки эффективности («${d.title}»)`), true)
      : stage('effectiveness', [], decisions.length ? notEvaluated.map((d) => `решение от ${formatDate(d.date)} без оценки эффективности («${d.title}»)`) : ['нет решений, эффективность которых можно оценить'], false),
  );

  const rm = input.roadmap;
  const changes = decisions.filter((d) => d.kind === 'roadmap_change');
  const rmFound: string[] = [];
  const rmMissing: string[] = [];
  if (rm.events > 0) rmFound.push(`дорожная карта на ${year} год: ${n(rm.events, EV)}, выполнено сроков: ${rm.done}`);
  else rmMissing.push(`дорожная карта на ${year} год не загружена`);
  if (changes.length) rmFound.push(`корректировка: ${changes.map((d) => `${d.title} от ${formatDate(d.date)}`).join('; ')}`);
  else rmMissing.push('нет решения о корректировке дорожной карты');
  for (const o of rm.overdue) rmMissing.push(`мероприятие дорожной карты просрочено: «${o.title}» (${o.label}, срок ${formatDate(o.due)})`);
  stages.push(stage('roadmap_correction', rmFound, rmMissing, rm.events > 0 || changes.length > 0));

  return {
    stages,
    complete: stages.filter((s) => s.state === 'ok').length,
    gaps: stages.flatMap((s) => s.missing),
  };
}
