/** The orders of issue 18, generated from msoko's data (pure):
 * - the order approving the directions' passports and road maps (seed 001: «Об утверждении паспортов и планов
 *   мероприятий …», «В целях …», «ПРИКАЗЫВАЮ: 1. Утвердить прилагаемые: 1.1. …», appendices with the passport and
 *   the plan of events of each direction);
 * - the order on a monitoring's results with its addressed recommendations and the persons responsible.
 * The texts are defaults: the department edits title, preamble and points before issuing. */

/** The editable texts of an order: title, preamble (before «ПРИКАЗЫВАЮ:») and the numbered points. */
export interface OrderText {
  title: string;
  preamble: string;
  paragraphs: string[];
}

export interface PassportSource {
  /** Direction label («Способности и таланты детей и молодежи»). */
  directionLabel: string;
  title: string;
  goal: string | null;
  expectedResult: string | null;
  indicators: { code: string | null; title: string; target: number | null; unit: string | null }[];
  inputs: string[];
}

export interface RoadmapSource {
  title: string;
  events: { section: string | null; number: string | null; title: string; deadline: string; executor: string; result: string | null }[];
}

export interface ApprovalSource {
  directions: { passport: Pick<PassportSource, 'directionLabel'> }[];
}

export interface PassportRow { label: string; value: string }
export type RoadmapRow = { section: string } | { event: true; no: string; name: string; deadline: string; executor: string; result: string };

const targetText = (t: number | null, unit: string | null) => (t === null ? '' : ` (целевое значение: не менее ${String(t).replace('.', ',')}${unit ? ` ${unit}` : ''})`);

/** The passport as the appendix's two-column table: goal, expected result, indicators, data collected. */
export function passportRows(p: PassportSource): PassportRow[] {
  const rows: PassportRow[] = [];
  let n = 0;
  const add = (label: string, value: string) => rows.push({ label: `${++n}. ${label}`, value });
  if (p.goal) add('Цель', p.goal.trim());
  if (p.expectedResult) add('Ожидаемый результат', p.expectedResult.trim());
  if (p.indicators.length) {
    add('Показатели для оценки', p.indicators.map((i) => `${i.code ? `${i.code}. ` : ''}${i.title}${targetText(i.target, i.unit)}`).join('\n'));
  }
  if (p.inputs.length) add('Сведения, собираемые для расчёта показателей', p.inputs.map((t) => `- ${t}`).join('\n'));
  return rows;
}

/** The plan of events as table rows: a section row wherever the section changes, then the events. */
export function roadmapRows(r: RoadmapSource): RoadmapRow[] {
  const rows: RoadmapRow[] = [];
  let section: string | null = null;
  for (const e of r.events) {
    if (e.section && e.section !== section) rows.push({ section: e.section });
    section = e.section;
    rows.push({ event: true, no: e.number ?? '', name: e.title, deadline: e.deadline, executor: e.executor, result: e.result ?? '' });
  }
  return rows;
}

/** Default texts of the approval order: one point «1.N» per direction, each naming its appendix. */
export function approvalOrderDefaults(s: ApprovalSource): OrderText {
  const points = s.directions.map((d, i) => `1.${i + 1}. Паспорт и план мероприятий («дорожную карту») по направлению «${d.passport.directionLabel}» (приложение № ${i + 1}).`);
  return {
    title: 'Об утверждении паспортов и планов мероприятий («дорожных карт») развития механизмов управления качеством образования',
    preamble: 'В целях совершенствования муниципальных механизмов управления качеством образования и обеспечения единых подходов к оценке качества образования в образовательных организациях,',
    paragraphs: [
      '1. Утвердить прилагаемые:',
      ...points,
      `2. Специалистам управления образования обеспечить реализацию утверждённых планов мероприятий («дорожных карт») и ежегодное проведение мониторинга по показателям паспортов.`,
      '3. Руководителям образовательных организаций обеспечить участие организаций в мероприятиях планов и представление сведений для мониторинга в установленные сроки.',
      '4. Контроль за исполнением приказа оставляю за собой.',
    ],
  };
}

export interface ResultsSource {
  campaignTitle: string;
  periodLabel: string;
  methodologyTitle: string | null;
  organisations: number;
}

/** Default texts of the order on a monitoring's results. */
export function resultsOrderDefaults(s: ResultsSource): OrderText {
  const methodology = s.methodologyTitle && s.methodologyTitle !== s.campaignTitle ? ` (методика «${s.methodologyTitle}»)` : '';
  return {
    title: `Об итогах мониторинга «${s.campaignTitle}»`,
    preamble: `По результатам мониторинга «${s.campaignTitle}» за ${s.periodLabel}${methodology}, в целях повышения качества образования и принятия управленческих решений по его итогам,`,
    paragraphs: [
      `1. Принять к сведению результаты мониторинга «${s.campaignTitle}».`,
      '2. Утвердить адресные рекомендации по результатам мониторинга (приложение № 1).',
      '3. Руководителям образовательных организаций, указанных в приложении, обеспечить выполнение адресных рекомендаций в установленные сроки и представить отчёт об их выполнении в МСОКО.',
      '4. Контроль за исполнением приказа оставляю за собой.',
    ],
  };
}
