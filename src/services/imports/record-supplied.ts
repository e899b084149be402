/** The inputs a campaign's record lists in force supply (issue 21): the results count them from the list, so the form
 * of an organisation neither requires nor asks them — it shows the counted value read-only, «из списка …». Reads the
 * lists and, for one organisation, its records directly (no dependency on the import services: the collection
 * services use this). */
import type { Kysely } from 'kysely';
import { aggregateRecords, recordOf, suppliedInputs, type CountedInput, type RecordValue } from '../../core/methodology/record-dataset.ts';
import type { Methodology } from '../../core/methodology/schema.ts';
import type { FormField } from '../../core/rules/check.ts';
import type { Database } from '../../db/schema.ts';

export interface ListedInput {
  /** The record dataset's title («Программы ИС «Навигатор»»). */
  list: string;
  fileName: string;
  /** The organisation's counted value (null: not asked for one organisation, or nothing to count). */
  value: number | null;
  explanation: string;
}

/** Input id → the list in force that supplies it, with the organisation's counted value when `organisationId` is given
 * (an organisation without records counts as the empty list does in the results: 0 programmes). */
export async function listedInputs(db: Kysely<Database>, campaignId: string, m: Methodology, organisationId: string | null): Promise<Map<string, ListedInput>> {
  const out = new Map<string, ListedInput>();
  if (!m.record_datasets || Object.keys(m.record_datasets).length === 0) return out;
  const lists = await db
    .selectFrom('campaign_record_lists')
    .distinctOn('dataset_id')
    .select(['id', 'dataset_id', 'file_name'])
    .where('campaign_id', '=', campaignId)
    .orderBy('dataset_id')
    .orderBy('at', 'desc')
    .orderBy('id')
    .execute();
  for (const l of lists) {
    const ds = m.record_datasets[l.dataset_id];
    if (!ds) continue;
    let counted: Record<string, CountedInput> = {};
    if (organisationId) {
      const records = await db.selectFrom('campaign_records').select(['line', 'fields']).where('list_id', '=', l.id).where('organisation_id', '=', organisationId).orderBy('line').execute();
      counted = aggregateRecords(ds, records.map((r) => recordOf(ds, r.line, { inn: null, number: null, name: null }, r.fields as Record<string, RecordValue>)));
    }
    for (const input of suppliedInputs(ds)) out.set(input, { list: ds.title, fileName: l.file_name, value: counted[input]?.value ?? null, explanation: counted[input]?.explanation ?? '' });
  }
  return out;
}

/** The form's fields with the listed inputs no longer required (completeness and the check before submitting). */
export function withoutListed(fields: readonly FormField[], listed: ReadonlyMap<string, unknown>): FormField[] {
  return fields.map((f) => (f.required && listed.has(f.name) ? { ...f, required: false } : f));
}
