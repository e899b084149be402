/** The per-dimension sheets of the report's XLSX (issue 22): «По предметам» — every subject × grade of a dimensional
 * methodology (direction-preparation 2021.2's ВПР) with the schools ranked by the first indicator, every indicator's
 * value, and the municipality's and the region's rows of the report; «Признаки необъективности» — each school ×
 * subject × grade where the sign is «да», with the figures of its formula. */
import type { Workbook } from 'exceljs';
import type { DimensionalView } from '../core/analysis/index.ts';
import { objectivitySigns, rankDimensional } from '../core/analysis/index.ts';
import { formatYesNo } from '../core/format.ts';
import { yieldToEventLoop } from '../services/event-loop.ts';
import { fmtOf, frozenSheet, styleHeader } from './xlsx-sheet.ts';

const withUnit = (title: string, unit: string | null) => (unit && !/^\d/.test(unit) ? `${title}, ${unit}` : title);

/** Every combination of dimension values that has rows, in the methodology's order. */
function slices(view: DimensionalView): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  const walk = (i: number, acc: Record<string, string>) => {
    const d = view.dimensions[i];
    if (!d) {
      if (view.rows.some((r) => Object.entries(acc).every(([k, v]) => r.dimensions[k] === v))) out.push({ ...acc });
      return;
    }
    for (const v of d.values) walk(i + 1, { ...acc, [d.id]: v.value });
  };
  walk(0, {});
  return out;
}

/** Async: the event loop runs between the subject × grade slices (a ВПР year is 48 slices of 3 000 schools, seconds of
 * rows written while the server's other users would wait). */
export async function addDimensionalSheets(wb: Workbook, view: DimensionalView): Promise<void> {
  const inds = view.indicators;
  const lead = view.dimensions.length + 2;
  const ws = frozenSheet(wb, 'По предметам', lead);
  const first = inds.find((i) => !i.yesNo);
  ws.columns = [
    ...view.dimensions.map((d) => ({ header: d.title, width: 16 })),
    { header: first ? `Место (${first.title})` : 'Место', width: 10 },
    { header: 'Организация', width: 28 },
    ...inds.map((i) => ({ header: withUnit(i.code ? `${i.code}. ${i.title}` : i.title, i.unit), width: 16 })),
  ];
  inds.forEach((i, k) => {
    if (!i.yesNo) ws.getColumn(lead + k + 1).numFmt = fmtOf(i.round);
  });
  styleHeader(ws);
  ws.getRow(1).height = 75;
  for (const sel of slices(view)) {
    const labels = view.dimensions.map((d) => d.values.find((v) => v.value === sel[d.id])?.label ?? sel[d.id] ?? '');
    const rows = view.rows.filter((r) => view.dimensions.every((d) => r.dimensions[d.id] === sel[d.id]));
    const ranking = first ? rankDimensional(view, sel, first.id) : null;
    // A ranking's entry finds its row by name in a map, not by a search of the slice's rows (3 000 × 3 000 per work).
    const byName = new Map<string, (typeof rows)[number]>();
    for (const r of rows) if (!byName.has(r.organisation)) byName.set(r.organisation, r); // the first, as a search would
    const order = ranking ? ranking.entries.map((e) => ({ place: e.rank, row: byName.get(e.name)! })) : rows.map((row) => ({ place: null, row }));
    for (const { place, row } of order)
      ws.addRow([...labels, place, row.organisation, ...inds.map((i) => (i.yesNo ? formatYesNo(row.cells[i.id]?.value) : (row.cells[i.id]?.value ?? null)))]).commit();
    for (const [who, key] of [['Муниципалитет (строка отчёта)', 'municipality'], ['Регион (строка отчёта)', 'region']] as const) {
      const values = inds.map((i) => (i.yesNo ? null : (rankDimensional(view, sel, i.id)?.[key]?.value ?? null)));
      if (!values.some((v) => v !== null)) continue;
      const row = ws.addRow([...labels, null, who, ...values]);
      row.font = { italic: true };
      row.commit();
    }
    await yieldToEventLoop();
  }
  ws.commit();

  const o = view.objectivity;
  if (!o) return;
  const sg = frozenSheet(wb, 'Признаки необъективности');
  sg.columns = [
    { header: 'Организация', width: 28 },
    ...view.dimensions.map((d) => ({ header: d.title, width: 16 })),
    ...o.inputs.map((i) => ({ header: withUnit(i.title, i.unit), width: 18 })),
    { header: `Расчёт: ${o.indicator.title}`, width: 90 },
  ];
  o.inputs.forEach((_, k) => {
    sg.getColumn(view.dimensions.length + 2 + k).numFmt = '0.0';
  });
  styleHeader(sg);
  for (const [k, s] of objectivitySigns(view).entries()) {
    sg.addRow([s.organisation, ...view.dimensions.map((d) => d.values.find((v) => v.value === s.dimensions[d.id])?.label ?? s.dimensions[d.id] ?? ''), ...s.figures.map((f) => f.value), s.explanation]).commit();
    if (k % 2000 === 1999) await yieldToEventLoop();
  }
  sg.commit();
}
