/** The information letter announcing a monitoring (issue 18, seed 000): its default text, computed from the campaign —
 * title, terms, goal, participants, methods, the period assessed and what happens with the results. The department
 * edits these fields before issuing. Pure. */
import { MONTHS_GENITIVE } from '../calendar/dates.ts';
import { plural } from '../format.ts';

export interface LetterSource {
  campaignTitle: string;
  methodologyTitle: string | null;
  goal: string | null;
  /** ISO dates: the forms open, are due. */
  opensOn: string;
  dueOn: string;
  periodLabel: string;
  participants: { count: number; schools: number; preschools: number; supplementary: number };
  departmentName: string;
}

export interface LetterText {
  addressee: string;
  title: string;
  paragraphs: string[];
}

/** «15 февраля 2023 года». */
export function longDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new Error(`Ожидается дата ГГГГ-ММ-ДД: ${iso}`);
  return `${m[3]} ${MONTHS_GENITIVE[Number(m[2]) - 1]} ${m[1]} года`;
}

/** «с 15 февраля по 01 июня 2023 года» (the year once when both dates share it). */
export function termText(from: string, to: string): string {
  const a = longDate(from);
  const b = longDate(to);
  return from.slice(0, 4) === to.slice(0, 4) ? `с ${a.replace(/ \d{4} года$/, '')} по ${b}` : `с ${a} по ${b}`;
}

function participantsText(p: LetterSource['participants']): string {
  const kinds = [
    p.schools ? `общеобразовательные (${p.schools})` : null,
    p.preschools ? `дошкольные (${p.preschools})` : null,
    p.supplementary ? `дополнительного образования (${p.supplementary})` : null,
  ].filter((x): x is string => x !== null);
  const total = `${p.count} ${plural(p.count, ['образовательная организация', 'образовательные организации', 'образовательных организаций'])}`;
  return `Участниками мониторинга являются муниципальные образовательные организации, подведомственные управлению: ${total}${kinds.length ? ` — ${kinds.join(', ')}` : ''}.`;
}

export function letterDefaults(s: LetterSource): LetterText {
  const subject = s.methodologyTitle && s.methodologyTitle !== s.campaignTitle ? `«${s.campaignTitle}» (методика «${s.methodologyTitle}»)` : `«${s.campaignTitle}»`;
  const paragraphs = [
    `${s.departmentName || 'Управление образования'} информирует о проведении мониторинга ${subject}.`,
    `Сроки проведения мониторинга: ${termText(s.opensOn, s.dueOn)}.`,
    ...(s.goal ? [`Целью мониторинга является ${s.goal.trim().replace(/^[А-ЯЁ]/, (c) => c.toLowerCase()).replace(/\.$/, '')}.`] : []),
    participantsText(s.participants),
    'При проведении мониторинга используются сбор статистической информации через муниципальную систему оценки качества образования (МСОКО), в том числе с использованием федеральных и региональных информационных систем, анкетирование, запросы, аналитические методы.',
    `Оценка производится за ${s.periodLabel}.`,
    `Сведения вносятся образовательными организациями в МСОКО не позднее ${longDate(s.dueOn)}.`,
    'По результатам мониторинга готовится аналитическая справка, которая рассматривается на заседании рабочей группы, и разрабатываются адресные рекомендации руководителям образовательных организаций.',
  ];
  return { addressee: 'Руководителям образовательных организаций', title: `О проведении мониторинга «${s.campaignTitle}»`, paragraphs };
}
