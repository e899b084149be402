/** What the web wizard of a record-list import shows beyond the validation (src/core/imports/record-list.ts): which
 * record dataset the uploaded file is (or null: an organisations table, the table wizard), the records the dataset's
 * filters leave out by value, and the inputs whose typed values the list replaces. One zod schema per definition, used
 * by the API and the web app. Pure. */
import { z } from 'zod';
import { formatNumber, plural } from '../format.ts';
import { recordListInfoSchema, recordPreviewSchema } from './record-list.ts';

/** An input the list supplies whose values are also typed in the forms: the list's counted values replace them. */
export const recordOverrideSchema = z.object({
  input: z.string(),
  title: z.string(),
  /** Participants with a typed value of the input. */
  typed: z.number(),
  /** Of them, those whose value the list changes (the counted value differs from the typed one). */
  changed: z.number(),
  examples: z.array(z.object({ organisation: z.string(), typed: z.number().nullable(), counted: z.number().nullable() })),
  message: z.string(),
});
export type RecordOverride = z.infer<typeof recordOverrideSchema>;

export const recordPreviewViewSchema = recordPreviewSchema.extend({
  /** Records stored but not counted, by the filter value that leaves them out («Статус программы» = «Черновик»). */
  excluded: z.array(z.object({ text: z.string(), rows: z.number() })),
  overrides: z.array(recordOverrideSchema),
});
export type RecordPreviewView = z.infer<typeof recordPreviewViewSchema>;

/** The kind of an uploaded file: a record list of the campaign's methodology (and its list, once applied) or not. */
export const recordImportKindSchema = z.object({
  dataset: z.object({ id: z.string(), title: z.string() }).nullable(),
  list: recordListInfoSchema.nullable(),
});
export type RecordImportKind = z.infer<typeof recordImportKindSchema>;

/** «Список «…» заменит значения поля «…», введённые в формах: заполнено у 12 организаций, изменится у 5.» */
export function overrideMessage(list: string, title: string, typed: number, changed: number): string {
  const orgs = (n: number) => `${formatNumber(n)} ${plural(n, ['организации', 'организаций', 'организаций'])}`;
  return `Список «${list}» заменит значения поля «${title}», введённые в формах (заполнено у ${orgs(typed)}): в результатах будут значения, посчитанные по списку; изменится у ${orgs(changed)}.`;
}
