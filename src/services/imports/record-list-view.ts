/** The web wizard's side of a record-list import (issue 21): which record dataset an uploaded file is (so the import
 * page shows the record wizard instead of the column mapping), and the preview with what the validation does not say —
 * the records the dataset's filters leave out, by value, and the inputs whose typed values the list replaces (a list
 * in force supplies its inputs to the results: the values typed in the forms or imported from a table are not used). */
import type { Kysely } from 'kysely';
import { overrideMessage, type RecordImportKind, type RecordOverride, type RecordPreviewView } from '../../core/imports/record-import-view.ts';
import { recordImportSettingsSchema, type PreparedRecord } from '../../core/imports/record-list.ts';
import { aggregateRecords, locateRecordTable, recordOf, suppliedInputs } from '../../core/methodology/record-dataset.ts';
import type { TableRow } from '../../core/methodology/records.ts';
import type { Methodology, RecordDatasetDef } from '../../core/methodology/schema.ts';
import type { Database } from '../../db/schema.ts';
import { campaignMethodology, currentValuesOfCampaign, findCampaignRow } from '../collection/campaigns.ts';
import { parseInput } from '../errors.ts';
import { importTable } from './imports.ts';
import { findImportRow, listRecordLists, prepare, present, type Prepared } from './record-lists.ts';

const EXAMPLES = 5;

/** The record dataset whose header the file's first sheet has, and the list the import became once applied. */
export async function recordImportKind(db: Kysely<Database>, importId: string): Promise<RecordImportKind> {
  const imp = await findImportRow(db, importId);
  const campaign = await findCampaignRow(db, imp.campaign_id);
  const { methodology: m } = await campaignMethodology(db, campaign.methodology_id, campaign.methodology_version);
  const own = await db.selectFrom('campaign_record_lists').select('id').where('import_id', '=', imp.id).executeTakeFirst();
  const applied = own ? ((await listRecordLists(db, campaign.id)).find((l) => l.id === own.id) ?? null) : null;
  if (applied) return { dataset: { id: applied.dataset, title: applied.title }, list: applied };
  const datasets = Object.entries(m.record_datasets ?? {});
  if (datasets.length === 0) return { dataset: null, list: null };
  let rows: TableRow[];
  try {
    const table = await importTable(db, imp, null);
    rows = [{ line: table.headerLine ?? 1, cells: table.header }, ...table.rows.slice(0, 50)];
  } catch {
    return { dataset: null, list: null }; // an unreadable file: the table wizard says why
  }
  const found = datasets.find(([, ds]) => locateRecordTable(ds, rows).ok);
  return { dataset: found ? { id: found[0], title: found[1].title } : null, list: null };
}

/** Records stored but not counted, grouped by the filter value that leaves them out. */
function excludedOf(ds: RecordDatasetDef, records: readonly PreparedRecord[]): RecordPreviewView['excluded'] {
  const by = new Map<string, number>();
  for (const r of records) {
    if (r.counted) continue;
    const e = recordOf(ds, r.line, { inn: null, number: null, name: null }, r.fields).excludedBy;
    const text = e ? `«${ds.fields[e.field]?.column ?? e.field}» = «${e.value}»` : 'не проходит отбор';
    by.set(text, (by.get(text) ?? 0) + 1);
  }
  return [...by].map(([text, rows]) => ({ text, rows })).sort((a, b) => b.rows - a.rows || a.text.localeCompare(b.text, 'ru'));
}

/** The inputs the list supplies that have typed values: how many participants have one, and whose value changes. */
export async function overridesOf(db: Kysely<Database>, m: Methodology, p: Prepared): Promise<RecordOverride[]> {
  const ds = p.dataset.ds;
  const inputs = suppliedInputs(ds);
  const current = await currentValuesOfCampaign(db, p.campaignId);
  const byOrg = new Map<string, PreparedRecord[]>();
  for (const r of p.validation.records) byOrg.set(r.organisationId, [...(byOrg.get(r.organisationId) ?? []), r]);
  const counted = new Map(p.participants.map((o) => [o.id, aggregateRecords(ds, (byOrg.get(o.id) ?? []).map((r) => recordOf(ds, r.line, { inn: null, number: null, name: o.shortName }, r.fields)))]));
  const out: RecordOverride[] = [];
  for (const input of inputs) {
    let typed = 0;
    let changed = 0;
    const examples: RecordOverride['examples'] = [];
    for (const o of p.participants) {
      const raw = current.get(o.id)?.[input]?.value ?? null;
      const was = typeof raw === 'number' ? raw : null;
      if (raw === null) continue;
      typed++;
      const now = counted.get(o.id)?.[input]?.value ?? null;
      if (was === now) continue;
      changed++;
      if (examples.length < EXAMPLES) examples.push({ organisation: o.shortName, typed: was, counted: now });
    }
    if (typed === 0) continue;
    const title = m.inputs[input]?.title ?? input;
    out.push({ input, title, typed, changed, examples, message: overrideMessage(ds.title, title, typed, changed) });
  }
  return out;
}

/** The preview of the wizard: the validation, the excluded records by value and the overridden inputs. */
export async function previewRecordListView(db: Kysely<Database>, importId: string, input: unknown): Promise<RecordPreviewView> {
  const settings = parseInput(recordImportSettingsSchema, input ?? {});
  const p = await prepare(db, importId, settings);
  const campaign = await findCampaignRow(db, p.campaignId);
  const { methodology: m } = await campaignMethodology(db, campaign.methodology_id, campaign.methodology_version);
  return { ...present(p, settings), excluded: excludedOf(p.dataset.ds, p.validation.records), overrides: await overridesOf(db, m, p) };
}
