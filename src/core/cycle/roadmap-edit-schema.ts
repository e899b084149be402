/** Hand edits of road-map events (issue 7): add, change wording/deadline/executor/expected document. The deadline is
 * the text as people write it; it must parse (`parseDeadline`), the message says why not. Pure zod, shared with the web. */
import { z } from 'zod';
import { parseDeadline } from '../calendar/index.ts';

const text = (max: number) => z.string().trim().min(1, 'Заполните поле').max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();
const deadline = text(300).superRefine((v, ctx) => {
  const parsed = parseDeadline(v);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error });
});

export const roadmapEventCreateSchema = z.strictObject({
  section: optionalText(500),
  number: optionalText(20),
  title: text(2000),
  deadlineText: deadline,
  executor: text(1000),
  expectedDocument: optionalText(1000),
  note: optionalText(2000),
});

export const roadmapEventUpdateSchema = z
  .strictObject({
    section: optionalText(500),
    number: optionalText(20),
    title: text(2000).optional(),
    deadlineText: deadline.optional(),
    executor: text(1000).optional(),
    expectedDocument: optionalText(1000),
    note: optionalText(2000),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: 'Нечего изменять' });

export type RoadmapEventCreate = z.infer<typeof roadmapEventCreateSchema>;
export type RoadmapEventUpdate = z.infer<typeof roadmapEventUpdateSchema>;
