/** Per-dimension inputs in an organisation's form (issue 22): a dataset of the methodology with `dimensions` (ВПР per
 * subject × grade) is not a list of fields but a small table — rows are the subject × grade combinations the
 * organisation has, columns are the dataset's inputs. Here: which tables a form has, which of their columns the
 * organisation types and which come from imports, reading the dimension values a client sends, the rows of current
 * values, completeness and the built-in checks per row. Pure: no I/O, no clock.
 *
 * Comparison columns: a dataset column headed «Регион: …» or «Муниципалитет: …» (the region's and municipality's shares
 * of ФИС ОКО reports) is the same for every school and comes from an import; the form shows it read-only. */
import { readDimensionValue } from '../methodology/dimensions.ts';
import type { Methodology } from '../methodology/schema.ts';
import type { Value } from '../methodology/expression.ts';
import { changeFindings, checkSubmission, evaluateRule, fieldFindings, fieldOf, type CheckInput, type CurrentValue, type FieldValue, type Finding, type FormField } from './check.ts';

export type DimensionValues = Record<string, string>;

export interface DimensionField {
  id: string;
  title: string;
  values: { value: string; label: string }[];
}

export interface DimensionalForm {
  datasetId: string;
  title: string;
  /** In the methodology's order of `dimensions`. */
  dimensions: DimensionField[];
  /** Columns the organisation types. */
  fields: FormField[];
  /** Columns an import fills (comparison rows of a report): shown, never typed. */
  comparison: FormField[];
  /** The dataset's column of each input («ВПР: участников»): the short heading of the table's column. */
  columns: Record<string, string>;
}

/** The current values of one organisation × dimension values (every input that has a row there). */
export interface DimensionalRow {
  dimensions: DimensionValues;
  values: Record<string, CurrentValue>;
}

const COMPARISON = /^\s*(регион|муниципалитет)\s*:/i;

/** A column of a report's comparison rows (the region's, the municipality's figures): filled by imports only. */
export function isComparisonColumn(column: string): boolean {
  return COMPARISON.test(column);
}

/** The dimensional tables of an organisation's form, in the order of `datasets`. */
export function dimensionalForms(m: Methodology): DimensionalForm[] {
  const out: DimensionalForm[] = [];
  for (const [datasetId, ds] of Object.entries(m.datasets ?? {})) {
    if (ds.unit !== 'organisation' || ds.responses || !ds.dimensions) continue;
    const dims = Object.keys(m.dimensions ?? {}).filter((d) => d in (ds.dimensions ?? {}));
    const dimensions = dims.map((id) => {
      const def = m.dimensions?.[id] as NonNullable<Methodology['dimensions']>[string];
      return { id, title: def.title, values: def.values.map((value) => ({ value, label: def.labels?.[value] ?? value })) };
    });
    const fields: FormField[] = [];
    const comparison: FormField[] = [];
    const columns: Record<string, string> = {};
    // In the order of `inputs`, as the ordinary form.
    for (const [name, def] of Object.entries(m.inputs)) {
      const column = ds.columns[name];
      if (column === undefined || def.type === 'score') continue;
      (isComparisonColumn(column) ? comparison : fields).push(fieldOf(name, def));
      columns[name] = column;
    }
    if (fields.length || comparison.length) out.push({ datasetId, title: ds.title, dimensions, fields, comparison, columns });
  }
  return out;
}

/** A canonical key of dimension values (key order does not matter, as in jsonb). */
export function dimensionsKey(d: Readonly<DimensionValues>): string {
  return JSON.stringify(Object.keys(d).sort().map((k) => [k, d[k]]));
}

/** «Математика, 5 класс»: the labels of the values, in the table's order of dimensions. */
export function dimensionsLabel(form: DimensionalForm, d: Readonly<DimensionValues>): string {
  return form.dimensions.map((f) => f.values.find((v) => v.value === d[f.id])?.label ?? d[f.id] ?? '—').join(', ');
}

/** The dimension values a client sent, checked against the table's declared values (an alias or «5 класс» is read as
 * its value); errors name the dimension and the allowed values. */
export function parseDimensions(m: Methodology, form: DimensionalForm, raw: Readonly<Record<string, unknown>>): { ok: true; value: DimensionValues } | { ok: false; message: string } {
  const extra = Object.keys(raw).filter((k) => !form.dimensions.some((d) => d.id === k));
  if (extra.length) return { ok: false, message: `У таблицы «${form.title}» нет измерения «${extra[0]}» (есть: ${form.dimensions.map((d) => d.title).join(', ')})` };
  const value: DimensionValues = {};
  for (const d of form.dimensions) {
    const v = raw[d.id];
    const allowed = d.values.map((x) => x.label).join(', ');
    if (typeof v !== 'string' || v.trim() === '') return { ok: false, message: `Не указано значение «${d.title}» (допустимо: ${allowed})` };
    const def = m.dimensions?.[d.id];
    const read = def ? readDimensionValue(def, v) : { ok: false as const };
    if (!read.ok) return { ok: false, message: `«${d.title}»: «${v.trim()}» — недопустимое значение (допустимо: ${allowed})` };
    value[d.id] = read.value;
  }
  return { ok: true, value };
}

const hasValue = (v: CurrentValue | undefined): boolean => (v?.value ?? null) !== null;

/** The rows of one table: the combinations with a value of any of its columns, in the declared order of the values. */
export function tableRows(form: DimensionalForm, rows: readonly DimensionalRow[]): DimensionalRow[] {
  const names = [...form.fields, ...form.comparison].map((f) => f.name);
  const own = rows.filter((r) => names.some((n) => hasValue(r.values[n])));
  const rank = (r: DimensionalRow) => form.dimensions.map((d) => d.values.findIndex((x) => x.value === r.dimensions[d.id]));
  return [...own].sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return (ra[i] ?? 0) - (rb[i] ?? 0);
    return 0;
  });
}

/** Required cells of the rows the organisation has (a subject it did not write is no row, not a gap), and how many
 * are filled. */
export function dimensionalCompleteness(forms: readonly DimensionalForm[], rows: readonly DimensionalRow[]): { filled: number; required: number } {
  let filled = 0;
  let required = 0;
  for (const form of forms) {
    for (const r of tableRows(form, rows)) {
      for (const f of form.fields) {
        if (!f.required) continue;
        required++;
        if (hasValue(r.values[f.name])) filled++;
      }
    }
  }
  return { filled, required };
}

/** The inputs of every dimensional table (an expression rule naming one is checked per row). */
export function dimensionalInputs(forms: readonly DimensionalForm[]): Set<string> {
  return new Set(forms.flatMap((f) => [...f.fields, ...f.comparison].map((x) => x.name)));
}

/** Values of a row as a rule's environment. */
export function rowValues(r: DimensionalRow): Record<string, FieldValue> {
  return Object.fromEntries(Object.entries(r.values).map(([k, v]) => [k, v.value]));
}

/** A finding of one row: its message starts with the row's label, its id and `dimensions` say which row. */
export function inRow(form: DimensionalForm, r: DimensionalRow, f: Finding): Finding {
  return { ...f, id: `${f.id}@${dimensionsKey(r.dimensions)}`, message: `${dimensionsLabel(form, r.dimensions)}: ${f.message}`, dimensions: r.dimensions };
}

export interface FormCheckInput extends CheckInput {
  forms: readonly DimensionalForm[];
  rows: readonly DimensionalRow[];
  /** The organisation's rows in its previous campaign of the same methodology (for the change rule), or null. */
  previousRows: readonly DimensionalRow[] | null;
}

/** Every finding of a form with per-dimension tables, errors first: the ordinary checks (`checkSubmission`), then for
 * each row the organisation has the built-in checks of its typed columns, the expression rules that name an input of
 * the table (evaluated with the row's values beside the ordinary ones) and the change against the same row of the
 * previous campaign. */
export function checkForm(c: FormCheckInput): Finding[] {
  const perRow = dimensionalInputs(c.forms);
  const rowRules = c.rules.filter((r) => r.names.some((n) => perRow.has(n)));
  const out = checkSubmission({ ...c, rules: c.rules.filter((r) => !rowRules.includes(r)) });
  const env: Record<string, Value> = {};
  for (const [k, v] of Object.entries(c.values)) env[k] = v.value;
  const previous = new Map((c.previousRows ?? []).map((r) => [dimensionsKey(r.dimensions), r]));
  for (const form of c.forms) {
    const names = new Set([...form.fields, ...form.comparison].map((f) => f.name));
    const rules = rowRules.filter((r) => r.names.some((n) => names.has(n)));
    for (const row of tableRows(form, c.rows)) {
      const own = fieldFindings(form.fields, row.values);
      for (const r of rules) {
        const f = evaluateRule(r, { ...env, ...rowValues(row) });
        if (f) own.push(f);
      }
      const prev = previous.get(dimensionsKey(row.dimensions));
      if (prev) own.push(...changeFindings(form.fields, c.change, rowValues(row), rowValues(prev)));
      out.push(...own.map((f) => inRow(form, row, f)));
    }
  }
  return [...out.filter((f) => f.severity === 'error'), ...out.filter((f) => f.severity === 'warning')];
}
