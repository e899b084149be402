/** The methodology document: one zod schema. The JSON Schema in docs/methodology.schema.json is generated from it
 * (`npx tsx scripts/methodology-schema.ts`), and docs/methodology.md documents it. Everything specific to a
 * methodology (inputs, formulas, bands, aggregates, file layouts) lives in the YAML document, never in code. */
import { z } from 'zod';
import { RuleSchema } from '../rules/schema.ts';
import { RecommendationRuleSchema } from '../cycle/recommendation-rule-schema.ts';

export const LEVEL_CODES = ['high', 'above_average', 'average', 'below_average', 'low'] as const;
export type LevelCode = (typeof LEVEL_CODES)[number];
/** The five levels of the domain, as the documents print them. */
export const LEVEL_NAMES: Record<LevelCode, string> = {
  high: 'высокий',
  above_average: 'выше среднего',
  average: 'средний',
  below_average: 'ниже среднего',
  low: 'низкий',
};

/** How a municipal aggregate is computed, in words (explanations, the version diff, the editor). */
export const AGGREGATE_METHOD_NAMES: Record<'mean_of_orgs' | 'ratio_of_sums' | 'median' | 'min' | 'max' | 'count_by_level' | 'share_by_level', string> = {
  mean_of_orgs: 'среднее значений организаций',
  ratio_of_sums: 'отношение сумм',
  median: 'медиана',
  min: 'минимум',
  max: 'максимум',
  count_by_level: 'число организаций по уровням',
  share_by_level: 'доля организаций по уровням',
};

const Name = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'имя: латинские буквы, цифры и «_», начинается с буквы')
  .describe('Имя для формул: латиница, цифры, «_»');

export const LevelSchema = z.enum(LEVEL_CODES).describe('Один из пяти уровней');

export const InputSchema = z
  .strictObject({
    type: z
      .enum(['integer', 'number', 'percent', 'boolean', 'enum', 'date', 'score'])
      .describe('integer — целое; number — число; percent — процент 0–100; boolean — да/нет (с подтверждением); enum — одно из values; date — дата; score — оценка респондента 0–10'),
    title: z.string().min(1).describe('Название, как в документе'),
    unit: z.string().optional().describe('Единица измерения (чел., шт., %)'),
    hint: z.string().optional().describe('Подсказка для заполняющего'),
    min: z.number().optional(),
    max: z.number().optional(),
    required: z.boolean().optional().describe('Обязательное (по умолчанию да)'),
    values: z.array(z.string()).optional().describe('Допустимые значения для enum'),
    evidence: z
      .enum(['required', 'optional'])
      .optional()
      .describe('Для boolean: нужна ли ссылка на подтверждение (документ, страница сайта)'),
  })
  .describe('Исходное данное');

export const LoyaltySchema = z
  .strictObject({
    promoters: Name.optional().describe('Вход: число «сторонников» (9–10 баллов)'),
    neutrals: Name.optional().describe('Вход: число «нейтралов» (7–8 баллов)'),
    critics: Name.optional().describe('Вход: число «критиков» (0–6 баллов)'),
    respondents: Name.optional().describe('Вход: всего респондентов (иначе сумма трёх групп)'),
    scores: Name.optional().describe('Вход типа score: сырые ответы 0–10 (строки-ответы набора данных responses)'),
  })
  .describe('Индекс лояльности (NPS): % сторонников (9–10) − % критиков (0–6)');

export const IndicatorSchema = z
  .strictObject({
    code: z.string().optional().describe('Номер в документе, например «2.1»'),
    title: z.string().min(1),
    unit: z.string().optional(),
    hint: z.string().optional(),
    formula: z.string().optional().describe('Формула на языке выражений (может быть многострочной)'),
    loyalty: LoyaltySchema.optional(),
    measure_note: z
      .string()
      .optional()
      .describe('Показатель назван в источнике, но без меры и формулы: объяснение (тогда formula и loyalty не указываются)'),
    round: z.number().int().min(0).max(6).optional().describe('Знаков после запятой, округление половины вверх'),
    min: z.number().optional().describe('Наименьшее возможное значение (для проверки шкалы)'),
    max: z.number().optional().describe('Наибольшее возможное значение'),
    target: z.number().optional().describe('Целевой показатель'),
    scale: z.string().optional().describe('Имя шкалы из scales или «none», если источник шкалы не даёт'),
    scale_note: z.string().optional().describe('Пояснение, почему шкалы нет'),
    min_respondents: z
      .strictObject({ input: Name, min: z.number().int().min(1) })
      .optional()
      .describe('Не показывать значение, если респондентов меньше min'),
    kind: z
      .enum(['yes_no', 'share', 'count', 'index', 'value', 'dynamics', 'comparison'])
      .optional()
      .describe('Вид показателя по паспорту'),
    source: z.string().optional().describe('Где показатель определён (документ, таблица)'),
  })
  .describe('Показатель: формула или индекс лояльности');

export const BandSchema = z
  .strictObject({
    from: z.number().optional().describe('Нижняя граница; нет — открыта вниз'),
    from_exclusive: z.boolean().optional().describe('true — граница не входит (по умолчанию входит)'),
    to: z.number().optional().describe('Верхняя граница; нет — открыта вверх'),
    to_exclusive: z.boolean().optional().describe('true — граница не входит (по умолчанию входит)'),
    nominal_from: z.number().optional().describe('Нижний край, напечатанный в документе, если граница открыта'),
    nominal_to: z.number().optional().describe('Верхний край, напечатанный в документе, если граница открыта'),
    level: LevelSchema.optional(),
    points: z.number().optional(),
    label: z.string().optional().describe('Как полоса напечатана в документе'),
  })
  .describe('Полоса шкалы');

export const ScaleSchema = z
  .strictObject({
    title: z.string().optional(),
    bounds: z
      .enum(['explicit', 'unspecified'])
      .optional()
      .describe('unspecified — документ называет уровни и баллы, но не границы (значение не оценивается)'),
    note: z.string().optional(),
    bands: z.array(BandSchema).min(1),
  })
  .describe('Шкала: полосы → баллы и/или уровень');

export const CriterionSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  max: z.number().min(0),
  indicators: z.array(Name).min(1),
});

const ColumnRef = z.union([
  z.string(),
  z.strictObject({ column: z.string(), values: z.array(z.string()).optional(), title: z.string().optional() }),
]);

export const PublishedSchema = z.strictObject({
  column: z.string(),
  indicator: Name,
  field: z.enum(['value', 'level', 'points']),
});

export const DatasetSchema = z
  .strictObject({
    title: z.string(),
    unit: z.enum(['organisation', 'organisation_type', 'municipality']).describe('Чем является строка файла'),
    key: z.string().describe('Столбец с названием организации / типа / территории'),
    key_values: z.array(z.string()).optional().describe('Допустимые значения ключа (например, типы организаций)'),
    attributes: z.record(z.string(), ColumnRef).optional().describe('Атрибуты строки для группировки: имя → столбец'),
    columns: z.record(Name, z.string()).describe('Вход → столбец файла'),
    evidence_columns: z.record(Name, z.string()).optional().describe('Вход boolean → столбец со ссылкой'),
    responses: z.boolean().optional().describe('Строки — ответы респондентов; группируются по key'),
    indicators: z.array(Name).min(1).describe('Показатели, вычисляемые по этому набору'),
    published: z.array(PublishedSchema).optional().describe('Столбцы с напечатанными в отчёте значениями'),
    total_row: z.string().optional().describe('Значение ключа итоговой строки: её столбцы сверяются с суммой остальных'),
    dimensions: z
      .record(Name, z.string())
      .optional()
      .describe('Измерение методики → столбец: строка — организация × значения измерений (предмет, класс), а не организация'),
  })
  .describe('Таблица данных, которую принимает методика');

export const DimensionSchema = z
  .strictObject({
    title: z.string().min(1).describe('Название измерения, как в документе («Предмет», «Класс»)'),
    type: z.enum(['text', 'integer']).optional().describe('text — строка (по умолчанию); integer — целое число («5», «5 класс», «5 кл.» → 5)'),
    values: z.array(z.string()).min(1).describe('Допустимые значения'),
    labels: z.record(z.string(), z.string()).optional().describe('Подписи значений для документов («5» → «5 класс»)'),
    aliases: z
      .record(z.string(), z.string())
      .optional()
      .describe('Синонимы: написание в файле → допустимое значение («Матем.» → «Математика»); без учёта регистра и лишних пробелов'),
  })
  .describe('Измерение (предмет, класс, …): значения, по которым строка данных делится внутри организации');

/** One condition on a record: its field's value is (`in`) or is not (`not_in`) one of the listed values. */
export const RecordConditionSchema = z
  .strictObject({
    field: Name.describe('Поле записи (из fields)'),
    in: z.array(z.string()).min(1).optional().describe('Значение поля — одно из перечисленных'),
    not_in: z.array(z.string()).min(1).optional().describe('Значение поля — ни одно из перечисленных'),
  })
  .describe('Условие на запись: ровно одно из in / not_in');

export const RecordFieldSchema = z
  .strictObject({
    column: z.string().min(1).describe('Заголовок столбца в файле (без учёта регистра и лишних пробелов)'),
    type: z.enum(['text', 'integer', 'number', 'enum', 'date']).describe('text — строка; integer, number — число; enum — одно из values; date — дата'),
    title: z.string().optional(),
    required: z.boolean().optional().describe('Обязателен ли столбец и непуста ли ячейка (по умолчанию да)'),
    values: z.array(z.string()).optional().describe('Допустимые значения для enum'),
    aliases: z
      .record(z.string(), z.string())
      .optional()
      .describe('Синонимы для enum: значение в файле → допустимое значение («Опубликовано» → «Опубликована»)'),
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .describe('Типизированный столбец записи');

export const RecordAggregationSchema = z
  .strictObject({
    method: z
      .enum(['count', 'count_where', 'sum', 'distinct_count', 'share', 'mean'])
      .describe('count — число записей; count_where — число записей, удовлетворяющих where; sum, mean — сумма, среднее поля field; distinct_count — число разных значений field; share — доля записей с where среди учтённых, %'),
    field: Name.optional().describe('Поле для sum, mean, distinct_count'),
    where: z.array(RecordConditionSchema).optional().describe('Условия для count_where и share (все должны выполняться)'),
    group_by: Name.optional().describe('Поле группировки: каждая группа — свой вход (into — словарь значение → вход)'),
    into: z
      .union([Name, z.record(z.string(), Name)])
      .describe('Вход методики, который получает результат; при group_by — словарь «значение поля → вход»'),
    label: z
      .union([z.string(), z.tuple([z.string(), z.string(), z.string()])])
      .optional()
      .describe('Что сосчитано, для пояснения: три формы после числа (1, 2, 5): [опубликованная программа, опубликованные программы, опубликованных программ]'),
  })
  .describe('Как записи организации становятся входом');

export const RecordDatasetSchema = z
  .strictObject({
    title: z.string(),
    unit: z.literal('record').describe('Строка файла — запись (программа, ученик, работа), а не организация'),
    organisation: z
      .strictObject({
        inn: z.string().optional().describe('Столбец с ИНН организации'),
        number: z.string().optional().describe('Столбец с номером организации в реестре'),
        name: z.string().optional().describe('Столбец с наименованием организации'),
      })
      .describe('Столбцы, называющие организацию записи (хотя бы один); сопоставляются так же, как при импорте'),
    fields: z.record(Name, RecordFieldSchema).describe('Поля записи: имя → столбец и тип'),
    record_label: Name.optional().describe('Поле, которым запись названа в расшифровке (например, наименование программы)'),
    filters: z.array(RecordConditionSchema).optional().describe('Какие записи учитываются (все условия); остальные перечисляются в пояснении'),
    aggregations: z.array(RecordAggregationSchema).min(1).describe('Входы, вычисляемые по записям организации'),
    indicators: z.array(Name).optional().describe('Показатели, которые вычисляются по этим входам (кроме показателей таблиц организаций)'),
    total_markers: z
      .array(z.string())
      .optional()
      .describe('Начало текста итоговой строки, которую нужно пропустить (по умолчанию «Итого», «Всего»)'),
  })
  .describe('Таблица записей: строка — запись, входы организации — агрегаты её записей');

export const AggregateSchema = z
  .strictObject({
    title: z.string(),
    method: z.enum(['mean_of_orgs', 'ratio_of_sums', 'median', 'min', 'max', 'count_by_level', 'share_by_level']),
    of: Name.optional().describe('Показатель (для всех методов, кроме ratio_of_sums)'),
    values: z.enum(['rounded', 'unrounded']).optional().describe('Какие значения организаций брать (по умолчанию rounded)'),
    numerator: Name.optional().describe('ratio_of_sums: вход или показатель в числителе'),
    denominator: Name.optional().describe('ratio_of_sums: вход или показатель в знаменателе'),
    multiplier: z.number().optional().describe('ratio_of_sums: множитель (100 — проценты)'),
    group_by: z.string().optional().describe('Атрибут группировки (например, type)'),
    round: z.number().int().min(0).max(6).optional(),
    scale: z.string().optional().describe('Шкала, по которой оценить итог'),
    published: z
      .strictObject({ value: z.number(), source: z.string().optional() })
      .optional()
      .describe('Значение, напечатанное в отчёте'),
  })
  .describe('Сводный показатель муниципалитета');

export const MethodologySchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'id: строчные латинские буквы, цифры, «.», «_», «-»'),
    version: z.string().min(1),
    direction: z.enum(['preparation', 'talents', 'career', 'leaders', 'teachers', 'upbringing', 'preschool']),
    title: z.string().min(1),
    source: z.string().optional().describe('Документ-источник'),
    goal: z.string().optional().describe('Цель (паспорт направления)'),
    expected_result: z.string().optional().describe('Ожидаемый результат (паспорт)'),
    notes: z.array(z.string()).optional(),
    dimensions: z
      .record(Name, DimensionSchema)
      .optional()
      .describe('Измерения: показатели таблиц с dimensions вычисляются для каждой организации × значения измерений'),
    inputs: z.record(Name, InputSchema),
    indicators: z.record(Name, IndicatorSchema),
    scales: z.record(Name, ScaleSchema).optional(),
    criteria: z.array(CriterionSchema).optional(),
    total: z
      .strictObject({ max: z.number(), scale: z.string().optional(), note: z.string().optional() })
      .optional()
      .describe('Сумма баллов по критериям'),
    aggregates: z.record(Name, AggregateSchema).optional(),
    datasets: z.record(Name, DatasetSchema).optional(),
    record_datasets: z
      .record(Name, RecordDatasetSchema)
      .optional()
      .describe('Таблицы записей (unit: record): выгрузки, где строка — программа, ученик или работа'),
    rules: z.array(RuleSchema).optional().describe('Правила проверки значений, которые вводят организации (src/core/rules)'),
    recommendation_rules: z
      .array(RecommendationRuleSchema)
      .optional()
      .describe('Правила адресных рекомендаций по результатам организации (src/core/cycle/recommendation-rules.ts)'),
  })
  .describe('Методика МСОКО');

export type Methodology = z.infer<typeof MethodologySchema>;
export type InputDef = z.infer<typeof InputSchema>;
export type IndicatorDef = z.infer<typeof IndicatorSchema>;
export type Band = z.infer<typeof BandSchema>;
export type ScaleDef = z.infer<typeof ScaleSchema>;
export type AggregateDef = z.infer<typeof AggregateSchema>;
export type DatasetDef = z.infer<typeof DatasetSchema>;
export type CriterionDef = z.infer<typeof CriterionSchema>;
export type DimensionDef = z.infer<typeof DimensionSchema>;
export type RecordDatasetDef = z.infer<typeof RecordDatasetSchema>;
export type RecordFieldDef = z.infer<typeof RecordFieldSchema>;
export type RecordConditionDef = z.infer<typeof RecordConditionSchema>;
export type RecordAggregationDef = z.infer<typeof RecordAggregationSchema>;

/** The JSON Schema of the format (published as docs/methodology.schema.json). */
export function methodologyJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(MethodologySchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
}

export function attributeColumn(ref: z.infer<typeof ColumnRef>): { column: string; values?: string[] } {
  return typeof ref === 'string' ? { column: ref } : ref;
}
