/** What an import job writes (import-apply.ts): the values of the file that differ from the current ones of the same
 * organisation × input × dimension values — unchanged values write nothing, as in a form. Ordinary values become rows
 * of `value_history` (a row per value); per-dimension values (ФИС ОКО) a row of `value_rows` per organisation ×
 * dimension values with the inputs that changed (migration 0020), unless a value keeps a form's evidence, which
 * `value_rows` cannot carry: that one goes to `value_history`, as before. */
import { sql, type Kysely } from 'kysely';
import type { FieldValue } from '../../core/rules/check.ts';
import type { Database } from '../../db/schema.ts';
import { mergedDimensionalInputsSql } from '../analysis/campaign-dimensional.ts';
import { withoutJit } from '../analysis/without-jit.ts';
import { notePhase } from './apply-phases.ts';

/** A value of a row to write; no `evidenceUrl` is the same as null. */
export interface PlanValue {
  input: string;
  value: FieldValue;
  evidenceUrl?: string | null;
}

/** A row to write: an organisation (× dimension values) and its values, with where in the file(s) it comes from. */
export interface PlanRow {
  organisationId: string;
  dimensions: Record<string, string> | null;
  ref: string;
  values: readonly PlanValue[];
}

export interface Planned {
  org: string[];
  input: string[];
  value: string[];
  evidence: (string | null)[];
  /** The dimension values as JSON text (`{"subject":"Математика","grade":"5"}`), null for an ordinary value. */
  dims: (string | null)[];
  ref: string[];
  /** Per-dimension values without evidence, for `value_rows`: one row per organisation × dimension values. */
  rows: { org: string[]; dims: string[]; values: string[]; ref: string[]; count: number[] };
  /** Values written (both tables) and left as they were. */
  values: number;
  unchanged: number;
}

interface CurrentValue {
  value: unknown;
  evidenceUrl: string | null;
}
/** The current values per organisation × dimension values (`rowKey`), then per input. */
type Current = Map<string, Map<string, CurrentValue>>;

/** Dimension values as a key that does not depend on the order of their names (jsonb does not keep it). */
const dimensionKey = (d: Record<string, string> | null): string => (d ? JSON.stringify(Object.keys(d).sort().map((k) => [k, d[k]])) : '');
const rowKey = (organisationId: string, dims: string) => `${organisationId}\u0000${dims}`;

/** The order-independent key and the JSON text of dimension values, computed once per distinct set of values as
 * written (names in their order) rather than once per row: the rows of a report each carry their own object. */
class DimensionTexts {
  private readonly seen = new Map<string, { key: string; json: string }>();
  of(d: Record<string, string>): { key: string; json: string } {
    let plain = '';
    for (const k in d) plain += `${k}\u0001${d[k]}\u0002`;
    let t = this.seen.get(plain);
    if (!t) this.seen.set(plain, (t = { key: dimensionKey(d), json: JSON.stringify(d) }));
    return t;
  }
}

function put(out: Current, key: string, input: string, v: CurrentValue): void {
  let m = out.get(key);
  if (!m) out.set(key, (m = new Map()));
  m.set(input, v);
}

/** The current value of every organisation × input of the campaign without dimensions (the latest visible row). */
async function currentOrdinaryValues(db: Kysely<Database>, campaignId: string, out: Current): Promise<void> {
  const rows = await sql<{ organisation_id: string; input: string; value: unknown; evidence_url: string | null }>`
    select distinct on (organisation_id, input) organisation_id, input, value, evidence_url
    from value_history_visible where campaign_id = ${campaignId}::uuid and dimensions is null
    order by organisation_id, input, id desc`.execute(db);
  for (const r of rows.rows) put(out, rowKey(r.organisation_id, ''), r.input, { value: r.value ?? null, evidenceUrl: r.evidence_url });
}

/** The current per-dimension values of the file's works (dimension values as JSON texts), merged per organisation ×
 * dimension values from `value_rows` and the forms' rows (`mergedDimensionalInputsSql`): a row per school × work to
 * read, not one per value. */
async function currentMergedDimensionalValues(db: Kysely<Database>, campaignId: string, works: readonly string[], out: Current): Promise<void> {
  const rows = await withoutJit(db, (d) => mergedDimensionalInputsSql(campaignId, true, works).execute(d));
  for (const r of rows.rows) {
    const key = rowKey(r.organisation_id, dimensionKey(r.dimensions));
    for (const [input, x] of Object.entries(r.v)) {
      const fromForm = x !== null && typeof x === 'object' ? (x as { v?: unknown; e?: string | null }) : null;
      put(out, key, input, fromForm ? { value: fromForm.v ?? null, evidenceUrl: fromForm.e ?? null } : { value: x ?? null, evidenceUrl: null });
    }
  }
}

const byOrganisation = (a: PlanRow, b: PlanRow) => (a.organisationId < b.organisationId ? -1 : a.organisationId > b.organisationId ? 1 : 0);

/** The values that differ from the current ones, sorted by organisation so the index and the foreign-key checks walk
 * in order. A value given as null keeps the current one (an empty cell changes nothing). */
export async function plan(db: Kysely<Database>, campaignId: string, rows: readonly PlanRow[]): Promise<Planned> {
  const t0 = performance.now();
  const current: Current = new Map();
  const texts = new DimensionTexts();
  if (rows.some((r) => !r.dimensions)) await currentOrdinaryValues(db, campaignId, current);
  const works = new Set<string>();
  for (const r of rows) if (r.dimensions) works.add(texts.of(r.dimensions).json);
  if (works.size) await currentMergedDimensionalValues(db, campaignId, [...works], current);
  const t1 = notePhase('job: plan: read current', t0);
  const out: Planned = { org: [], input: [], value: [], evidence: [], dims: [], ref: [], rows: { org: [], dims: [], values: [], ref: [], count: [] }, values: 0, unchanged: 0 };
  for (const r of [...rows].sort(byOrganisation)) {
    const dims = r.dimensions ? texts.of(r.dimensions) : null;
    const now = current.get(rowKey(r.organisationId, dims ? dims.key : ''));
    const together: Record<string, unknown> = {};
    let n = 0;
    for (const v of r.values) {
      const c = now?.get(v.input);
      const evidence = v.evidenceUrl ?? c?.evidenceUrl ?? null;
      const value = v.value === null && c ? c.value : v.value;
      if (c && JSON.stringify(c.value) === JSON.stringify(value) && (c.evidenceUrl ?? null) === evidence) {
        out.unchanged++;
        continue;
      }
      out.values++;
      if (dims && evidence === null) {
        together[v.input] = value;
        n++;
        continue;
      }
      out.org.push(r.organisationId);
      out.input.push(v.input);
      out.value.push(JSON.stringify(value));
      out.evidence.push(evidence);
      out.dims.push(dims ? dims.json : null);
      out.ref.push(r.ref);
    }
    if (n > 0 && dims) {
      out.rows.org.push(r.organisationId);
      out.rows.dims.push(dims.json);
      out.rows.values.push(JSON.stringify(together));
      out.rows.ref.push(r.ref);
      out.rows.count.push(n);
    }
  }
  notePhase('job: plan: compare', t1);
  return out;
}
