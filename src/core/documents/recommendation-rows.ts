/** Addressed recommendations as the rows of a document's table (issue 18): the order on a monitoring's results lists
 * every organisation's, the letter to an organisation's head only its own. Each row names the indicator that
 * motivated the recommendation, its deadline and who is responsible: the organisation's head (with the addressee when
 * it is not the head or the organisation), or the department for a municipal-level recommendation. Pure. */
import { documentDate } from './register.ts';

export interface RecommendationSource {
  /** Short name; null: a municipal-level recommendation. */
  organisation: string | null;
  addresseeKind: string;
  /** «руководитель ОО», «педагогические работники», … */
  addresseeLabel: string;
  text: string;
  /** The indicator's title (or id when the methodology no longer has it); null: none recorded. */
  indicator: string | null;
  dueDate: string | null;
}

export interface RecommendationRow {
  no: string;
  organisation: string;
  addressee: string;
  text: string;
  indicator: string;
  due: string;
  responsible: string;
}

export function responsibleOf(r: RecommendationSource, departmentName: string): string {
  if (!r.organisation) return departmentName || 'Управление образования';
  const head = `Руководитель ${r.organisation}`;
  return r.addresseeKind === 'head' || r.addresseeKind === 'organisation' ? head : `${head}; исполнители: ${r.addresseeLabel}`;
}

/** Rows in the order given, numbered from 1. */
export function recommendationRows(recs: readonly RecommendationSource[], departmentName: string): RecommendationRow[] {
  return recs.map((r, i) => ({
    no: String(i + 1),
    organisation: r.organisation ?? 'муниципальный уровень',
    addressee: r.addresseeLabel,
    text: r.text,
    indicator: r.indicator ?? '—',
    due: r.dueDate ? documentDate(r.dueDate) : '—',
    responsible: responsibleOf(r, departmentName),
  }));
}

/** Orders the recommendations as the documents list them: by organisation (municipal level last), then deadline. */
export function byOrganisationThenDue<T extends RecommendationSource>(recs: readonly T[]): T[] {
  const key = (r: T) => r.organisation ?? '\uffff';
  return [...recs].sort((a, b) => key(a).localeCompare(key(b), 'ru', { numeric: true }) || (a.dueDate ?? '9999').localeCompare(b.dueDate ?? '9999') || a.text.localeCompare(b.text, 'ru'));
}

/** Default texts of the letter to an organisation's head with its own recommendations. */
export function recommendationsLetterDefaults(s: { campaignTitle: string; periodLabel: string; organisationFull: string; count: number }): { addressee: string; title: string; paragraphs: string[] } {
  return {
    addressee: `Руководителю\n${s.organisationFull}`,
    title: `Об адресных рекомендациях по результатам мониторинга «${s.campaignTitle}»`,
    paragraphs: [
      `По результатам мониторинга «${s.campaignTitle}» за ${s.periodLabel} направляем адресные рекомендации вашей образовательной организации (${s.count}) с показателями, по которым они выданы, и сроками выполнения.`,
      'Просим обеспечить выполнение рекомендаций в указанные сроки и отметить их выполнение в МСОКО (раздел «Рекомендации и решения»).',
    ],
  };
}
