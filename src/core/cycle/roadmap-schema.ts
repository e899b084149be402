/** Road-map templates (library/roadmaps/<direction>.yaml): the seven «планы мероприятий („дорожные карты“)» of
 * seed 001, each event transcribed verbatim — title, deadline text, responsible executor, expected result (a document).
 * Pure zod, no I/O: the service reads the files, the web can validate the same shape. Deadline texts are parsed into
 * `DeadlineRule`s by `parseDeadline` (src/core/calendar) when a template is imported for a year. */

import { z } from 'zod';
import { parseDeadline, type DeadlineRule } from '../calendar/index.ts';
import { err, ok, type Result } from '../calendar/result.ts';

export const DIRECTION_CODES = ['preparation', 'talents', 'career', 'leaders', 'teachers', 'upbringing', 'preschool'] as const;
export type DirectionCode = (typeof DIRECTION_CODES)[number];
export const DirectionSchema = z.enum(DIRECTION_CODES);

/** Short Russian names of the directions (DOMAIN.md). */
export const DIRECTION_LABELS: Record<DirectionCode, string> = {
  preparation: 'Качество подготовки обучающихся',
  talents: 'Способности и таланты детей и молодежи',
  career: 'Самоопределение и профориентация',
  leaders: 'Эффективность руководителей ОО',
  teachers: 'Профессиональное развитие педагогов',
  upbringing: 'Организация воспитания',
  preschool: 'Качество дошкольного образования',
};

const text = z.string().trim().min(1, 'Пустое значение');

export const RoadmapTemplateEventSchema = z.strictObject({
  /** The number as printed («1», «I»); null when the order prints none. */
  number: z.string().nullable().optional(),
  /** Section heading of the table («I. Мероприятия по аналитическому …»). */
  section: text.optional(),
  title: text,
  /** The deadline exactly as printed («Ежегодно январь, май»). */
  deadline: text,
  executor: text,
  /** Expected result / document; absent when the table has no such column (teachers). */
  expected_document: text.optional(),
  /** Transcription note (page breaks, truncated text). */
  note: text.optional(),
});

export const RoadmapTemplateSchema = z.strictObject({
  direction: DirectionSchema,
  title: text,
  source: text,
  years: z
    .strictObject({ from: z.number().int().min(2000).max(2100), to: z.number().int().min(2000).max(2100) })
    .refine((y) => y.from <= y.to, { message: 'Начальный год позже конечного' }),
  notes: z.array(text).optional(),
  events: z.array(RoadmapTemplateEventSchema).min(1, 'В дорожной карте нет мероприятий'),
});

export type RoadmapTemplateEvent = z.infer<typeof RoadmapTemplateEventSchema>;
export type RoadmapTemplate = z.infer<typeof RoadmapTemplateSchema>;

export interface CompiledRoadmapEvent extends RoadmapTemplateEvent {
  rule: DeadlineRule;
}

/** Validates a parsed template document and parses every deadline; errors name the event. */
export function compileRoadmapTemplate(doc: unknown): Result<{ template: RoadmapTemplate; events: CompiledRoadmapEvent[] }> {
  const parsed = RoadmapTemplateSchema.safeParse(doc);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return err(`Шаблон дорожной карты не прошёл проверку: ${first ? `${first.path.join('.') || '(документ)'}: ${first.message}` : 'неизвестная ошибка'}`);
  }
  const events: CompiledRoadmapEvent[] = [];
  const problems: string[] = [];
  parsed.data.events.forEach((e, i) => {
    const rule = parseDeadline(e.deadline);
    if (rule.ok) events.push({ ...e, rule: rule.value });
    else problems.push(`мероприятие ${i + 1} («${e.title.slice(0, 60)}»): ${rule.error}`);
  });
  if (problems.length > 0) return err(`Сроки не распознаны — ${problems.join('; ')}`);
  return ok({ template: parsed.data, events });
}
