/** Figures a source document printed, checked against what the campaign computed from its own data (issue 24).
 *
 * A campaign may keep a table as the document printed it (an uploaded file with the dataset's `published` columns and
 * its totals row) while the values it computes come from another source — seed 004's satisfaction table beside the
 * parents' survey of the demo's 2021 campaign. The printed figures then do not enter the computation; they are read
 * here: each printed indicator value that differs from the computed one at its precision, and each printed total
 * that is not the sum of the rows above it, becomes a note on the figure the page shows and a discrepancy of the
 * model. Pure: plain rows in, notes out. */
import type { Methodology } from '../methodology/schema.ts';
import { agreesAtPrecision, parsePrinted } from '../methodology/consistency.ts';
import { formatNumber } from '../format.ts';
import type { ComputedTable, PrintedTable } from './types.ts';

export interface PrintedNote {
  datasetId: string;
  /** The row's key (an organisation type, `total`, the municipality). */
  entity: string;
  indicator: string;
  field: 'value' | 'total';
  /** For a total: the input whose printed total is not the sum of the rows. */
  input: string | null;
  published: number;
  computed: number | null;
  text: string;
}

const num = (text: string | undefined): number | null => {
  const p = text === undefined ? null : parsePrinted(text);
  return p ? p.value : null;
};

export function printedNotes(m: Methodology, computed: readonly ComputedTable[], printed: readonly PrintedTable[]): PrintedNote[] {
  const out: PrintedNote[] = [];
  for (const p of printed) {
    const ds = m.datasets?.[p.datasetId];
    const table = computed.find((t) => t.dataset.id === p.datasetId);
    if (!ds || !table || !ds.key) continue;
    const keyAt = p.header.indexOf(ds.key);
    if (keyAt < 0) continue;
    const rows = p.rows.filter((r) => (r[keyAt] ?? '').trim() !== '');
    const rowOf = (key: string) => rows.find((r) => r[keyAt]?.trim() === key);

    // Printed indicator values against the computed ones, at the precision printed.
    for (const pub of ds.published ?? []) {
      if (pub.field !== 'value') continue;
      const col = p.header.indexOf(pub.column);
      if (col < 0) continue;
      for (const r of rows) {
        const key = (r[keyAt] ?? '').trim();
        const printedValue = r[col] === undefined ? null : parsePrinted(r[col]!);
        const result = table.results.find((x) => x.organisation === key && x.indicator === pub.indicator);
        if (!printedValue || !result) continue;
        if (agreesAtPrecision(printedValue, result.details.unrounded)) continue;
        const unit = m.indicators[pub.indicator]?.unit === '%' ? '\u00A0%' : '';
        out.push({
          datasetId: p.datasetId, entity: key, indicator: pub.indicator, field: 'value', input: null, published: printedValue.value, computed: result.value,
          text: `в документе («${p.fileName}») напечатано ${formatNumber(printedValue.value, printedValue.digits)}${unit}, вычислено ${result.value === null ? 'нет данных' : `${formatNumber(result.value)}${unit}`}`,
        });
      }
    }

    // A printed totals row that is not the sum of the rows: a note on every indicator of that row that uses the input.
    if (ds.total_row) {
      const total = rowOf(ds.total_row);
      if (!total) continue;
      const parts = rows.filter((r) => r !== total);
      for (const [input, column] of Object.entries(ds.columns)) {
        const col = p.header.indexOf(column);
        const t = m.inputs[input]?.type;
        if (col < 0 || (t !== 'integer' && t !== 'number')) continue;
        const printedTotal = num(total[col]);
        const values = parts.map((r) => num(r[col]));
        if (printedTotal === null || values.some((v) => v === null)) continue;
        const sum = (values as number[]).reduce((s, v) => s + v, 0);
        if (Math.abs(sum - printedTotal) < 1e-9) continue;
        const title = m.inputs[input]?.title ?? input;
        for (const result of table.results) {
          if (result.organisation !== ds.total_row || !(input in result.details.inputs)) continue;
          out.push({
            datasetId: p.datasetId, entity: ds.total_row, indicator: result.indicator, field: 'total', input, published: printedTotal, computed: sum,
            text: `в итоговой строке документа «${title}» — ${formatNumber(printedTotal)}, а сумма строк — ${formatNumber(sum)}; здесь расчёт по сумме строк`,
          });
        }
      }
    }
  }
  return out;
}
