/** Validation rules of a methodology (the optional `rules` array of the document): checks over an organisation's
 * submitted values. Two kinds:
 * - an expression rule: `expr` in the methodology's formula language must be true (`surveyed_students <= students`);
 * - a change rule (`kind: change`): a value differing from the organisation's value in its previous campaign of the
 *   same methodology by more than `factor` times (up or down) raises a warning. */
import { z } from 'zod';

const InputName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'имя: латинские буквы, цифры и «_», начинается с буквы');

export const DEFAULT_CHANGE_FACTOR = 2;

export const ExpressionRuleSchema = z
  .strictObject({
    id: z.string().min(1).describe('Код правила'),
    expr: z.string().min(1).describe('Условие на языке выражений, которое должно быть истинным (например, surveyed_students <= students)'),
    severity: z.enum(['error', 'warning']).describe('error — запрещает отправку; warning — отправка с комментарием'),
    message: z.string().min(1).describe('Сообщение заполняющему (по-русски)'),
    when_missing: z
      .enum(['skip', 'fail'])
      .optional()
      .describe('Если нет значения входа: skip — правило не проверяется (по умолчанию), fail — считается нарушенным'),
  })
  .describe('Правило проверки значений');

export const ChangeRuleSchema = z
  .strictObject({
    id: z.string().min(1).describe('Код правила'),
    kind: z.literal('change').describe('Сравнение с прошлым мониторингом той же методики'),
    factor: z.number().gt(1).optional().describe('Допустимое изменение «во столько раз» вверх или вниз (по умолчанию 2)'),
    inputs: z.array(InputName).min(1).optional().describe('Какие числовые входы сравнивать (по умолчанию все)'),
    message: z.string().min(1).optional().describe('Сообщение (по умолчанию стандартное)'),
  })
  .describe('Предупреждение о нетипичном изменении значения');

export const RuleSchema = z.union([ExpressionRuleSchema, ChangeRuleSchema]);

export type ExpressionRuleDef = z.infer<typeof ExpressionRuleSchema>;
export type ChangeRuleDef = z.infer<typeof ChangeRuleSchema>;
export type RuleDef = z.infer<typeof RuleSchema>;
