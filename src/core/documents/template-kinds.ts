/** Kinds of document templates (issue 18): each generated document has its own built-in template and may have the
 * department's own; each is numbered in a register kind — both orders share the orders' numbering (`01-09/{n}`), the
 * information letter and the letters with addressed recommendations the letters' one (`21/{n}`). Pure. */
import type { DocumentKind } from './register.ts';

export const TEMPLATE_KINDS = ['letter', 'order_approval', 'order_results', 'recommendations_letter'] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];

export const TEMPLATE_KIND_LABELS: Record<TemplateKind, string> = {
  letter: 'Информационное письмо о мониторинге',
  order_approval: 'Приказ об утверждении паспортов и дорожных карт',
  order_results: 'Приказ по итогам мониторинга',
  recommendations_letter: 'Письмо с адресными рекомендациями',
};

export const REGISTER_KIND: Record<TemplateKind, DocumentKind> = {
  letter: 'letter',
  order_approval: 'order',
  order_results: 'order',
  recommendations_letter: 'letter',
};

/** The built-in template's file in library/templates/. */
export const BUILT_IN_FILES: Record<TemplateKind, string> = {
  letter: 'letter.docx',
  order_approval: 'order-approval.docx',
  order_results: 'order-results.docx',
  recommendations_letter: 'recommendations-letter.docx',
};
