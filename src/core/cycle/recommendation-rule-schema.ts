/** The optional `recommendation_rules` section of a methodology: when an organisation's results satisfy `when`, the
 * methodology proposes an addressed recommendation. Pure zod without methodology imports (the methodology schema
 * imports this file). */
import { z } from 'zod';

export const ADDRESSEE_KINDS = ['organisation', 'head', 'deputies', 'teachers', 'methodological_association', 'parents'] as const;
export type AddresseeKindCode = (typeof ADDRESSEE_KINDS)[number];

export const RecommendationRuleSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'id: строчные латинские буквы, цифры, «_», «-»'),
    /** Expression over one organisation's results: `<indicator>` (value), `<indicator>_level` (level code: 'high',
     * 'above_average', 'average', 'below_average', 'low'), `<indicator>_points`, `total_points`. */
    when: z.string().min(1),
    addressee: z.enum(ADDRESSEE_KINDS),
    text: z.string().min(1),
    /** Days from the campaign's results to the recommendation's due date. */
    due_days: z.number().int().min(1).max(730).optional(),
    /** Where the rule comes from (e.g. «протокол, рекомендация 1.2») and what the analyst assumed. */
    source: z.string().optional(),
  })
  .describe('Правило адресной рекомендации: условие над результатами организации → адресат и текст');

export type RecommendationRuleDef = z.infer<typeof RecommendationRuleSchema>;
