/** A table of organisations completed by record lists whose records are already matched to its organisations (a
 * campaign: matched on import), counted straight into the supply of inputs (issue 21, the recompute of a campaign).
 * The same figures, explanations, record lines and file summaries as `computeTableWithRecords` (combine.ts), built
 * without its per-record maps (record → file, line → record, record → entity), which made most of a campaign's
 * recompute with a 100 000-row list; record-supply.test.ts checks the two agree on the synthetic Навигатор list. Pure. */
import type { LintItem } from './lint-item.ts';
import type { Compiled } from './evaluate.ts';
import type { MatchedRecordList, TablesFailure } from './combine.ts';
import { labelOf, readCompletedTable } from './combine.ts';
import { aggregateRecords, suppliedInputs, type RecordRow } from './record-dataset.ts';
import type { TableRow } from './records.ts';
import { computeEntities, type ComputeOutput, type RecordFileSummary, type RecordSupply } from './run.ts';

export function computeTableWithMatchedRecords(c: Compiled, header: readonly string[], rows: readonly TableRow[], lists: readonly MatchedRecordList[], staticLint: LintItem[] = []): { ok: true; output: ComputeOutput } | TablesFailure {
  const read = readCompletedTable(c, header, rows, lists);
  if (!read.ok) return read;
  const counted: RecordSupply['counted'] = new Map();
  const files: RecordFileSummary[] = [];
  // Lists of the same dataset are one list (as combine.ts counts two exports of one system).
  const byDataset = new Map<string, MatchedRecordList[]>();
  for (const l of lists) byDataset.set(l.id, [...(byDataset.get(l.id) ?? []), l]);
  for (const group of byDataset.values()) {
    const ds0 = (group[0] as MatchedRecordList).ds;
    const perEntity = new Map<string, { file: string; record: RecordRow }[]>(read.entities.map((e) => [e.key, []]));
    for (const l of group) {
      const seen = new Set<string>();
      let rowsOf = 0;
      let countedOf = 0;
      const excluded = new Map<string, number>();
      for (const { entityKey, record } of l.records) {
        const list = perEntity.get(entityKey);
        if (!list) continue;
        seen.add(entityKey);
        list.push({ file: l.file, record });
        rowsOf++;
        if (record.excludedBy) excluded.set(record.excludedBy.value, (excluded.get(record.excludedBy.value) ?? 0) + 1);
        else countedOf++;
      }
      files.push({
        file: l.file, dataset: l.id, title: l.ds.title, headerLine: l.headerLine, rows: rowsOf, counted: countedOf, skipped: l.skipped,
        excluded: [...excluded].map(([value, count]) => ({ value, count })), organisations: seen.size,
      });
    }
    for (const e of read.entities) {
      const list = perEntity.get(e.key) ?? [];
      const records = list.map((x) => x.record);
      const inputs = aggregateRecords(ds0, records);
      const one = group.length === 1 ? (group[0] as MatchedRecordList).file : null;
      const byLine = one === null ? new Map(list.map((x) => [x.record.line, x])) : null;
      const lineIndex = one === null ? null : new Map(records.map((r, i) => [r.line, i]));
      const entry = counted.get(e.key) ?? {};
      for (const [input, ci] of Object.entries(inputs)) {
        const recs: { file: string; record: RecordRow }[] = ci.lines.map((line) => (byLine ? (byLine.get(line) as { file: string; record: RecordRow }) : (list[lineIndex?.get(line) as number] as { file: string; record: RecordRow })));
        entry[input] = { ...ci, file: [...new Set(recs.map((x) => x.file))].join(', '), records: recs.map((x) => ({ line: x.record.line, label: labelOf(ds0, x.record) })) };
      }
      counted.set(e.key, entry);
    }
  }
  const indicators = [...new Set(lists.flatMap((l) => l.ds.indicators ?? []))];
  const inputs = [...new Set(lists.flatMap((l) => suppliedInputs(l.ds)))];
  return { ok: true, output: computeEntities(c, read.dsId, read.ds, read.entities, staticLint, { counted, indicators, inputs, files }) };
}
