/** The report's section on per-dimension results (issue 22, ВПР per subject × grade), as blocks for the DOCX and the
 * PDF: per subject × grade the number of schools, the municipality's and the region's figures of the report and the
 * best and worst school by the first indicators, then the signs of non-objectivity with the figures of the formula. */
import type { DimensionalView } from '../core/analysis/index.ts';
import { objectivitySigns, rankDimensional, rankedShares } from '../core/analysis/index.ts';
import { formatNumber } from '../core/format.ts';

/** A table cell as document.ts draws it (its `Cell`, restated here so that the two modules do not import each other). */
export interface Cell { text: string; bold?: boolean; align?: 'left' | 'center' | 'right'; colSpan?: number }

export interface BlockSink {
  heading(text: string, level: 1 | 2): void;
  paragraph(text: string): void;
  table(title: string, head: Cell[][], body: Cell[][], widths: number[], small?: boolean): void;
}

const h = (text: string, colSpan?: number): Cell => ({ text, bold: true, align: 'center', ...(colSpan ? { colSpan } : {}) });
const c = (text: string): Cell => ({ text });
const r = (text: string): Cell => ({ text, align: 'right' });
const fmt = (v: number | null | undefined, unit: string | null, round: number | null) =>
  v === null || v === undefined ? '—' : `${formatNumber(v, round ?? undefined)}${unit === '%' ? '\u00A0%' : ''}`;

export function addDimensionalBlocks(view: DimensionalView, out: BlockSink): void {
  out.heading('Результаты по предметам и классам', 1);
  const shown = rankedShares(view.indicators).slice(0, 2);
  const label = (d: string, v: string) => view.dimensions.find((x) => x.id === d)?.values.find((x) => x.value === v)?.label ?? v;
  const slices: Record<string, string>[] = [];
  for (const row of view.rows) if (!slices.some((s) => view.dimensions.every((d) => s[d.id] === row.dimensions[d.id]))) slices.push(row.dimensions);
  const order = (s: Record<string, string>) => view.dimensions.map((d) => d.values.findIndex((v) => v.value === s[d.id]));
  slices.sort((a, b) => {
    const x = order(a);
    const y = order(b);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
    return 0;
  });
  for (const ind of shown) {
    const body: Cell[][] = slices.flatMap((s) => {
      const rk = rankDimensional(view, s, ind.id);
      const valued = rk?.entries.filter((e) => e.value !== null) ?? [];
      // A subject × grade without this indicator (ГИА-9 rows have no ВПР shares) is not a row of zeros.
      if (!valued.length) return [];
      const best = valued[0];
      const worst = valued[valued.length - 1];
      return [[
        ...view.dimensions.map((d) => c(label(d.id, s[d.id] ?? ''))),
        r(String(valued.length)),
        r(fmt(rk?.municipality?.value, ind.unit, ind.round)),
        r(fmt(rk?.region?.value, ind.unit, ind.round)),
        c(best ? `${best.name} — ${fmt(best.value, ind.unit, ind.round)}` : '—'),
        c(worst && worst !== best ? `${worst.name} — ${fmt(worst.value, ind.unit, ind.round)}` : '—'),
      ]];
    });
    if (!body.length) continue;
    out.table(
      `${ind.title}: муниципалитет и регион (строки отчёта), наибольшее и наименьшее значение по школам`,
      [[...view.dimensions.map((d) => h(d.title)), h('Школ'), h('Муниципалитет'), h('Регион'), h('Наибольшее'), h('Наименьшее')]],
      body,
      [...view.dimensions.map(() => 12), 7, 11, 11, 24, 23],
      true,
    );
  }
  const o = view.objectivity;
  if (!o) return;
  out.heading('Признаки необъективности результатов', 2);
  const signs = objectivitySigns(view);
  if (!signs.length) {
    out.paragraph(`${o.indicator.title}: признаков не выявлено.`);
    return;
  }
  const schools = new Set(signs.map((s) => s.organisation));
  out.paragraph(`${o.indicator.title}: «да» в ${formatNumber(signs.length)} случаях у ${formatNumber(schools.size)} ${schools.size === 1 ? 'организации' : 'организаций'}. Порог — в формуле методики.`);
  out.table(
    'Организации, предметы и классы с признаком необъективности',
    [[h('Организация'), ...view.dimensions.map((d) => h(d.title)), ...o.inputs.map((i) => h(i.title))]],
    signs.map((s) => [c(s.organisation), ...view.dimensions.map((d) => c(label(d.id, s.dimensions[d.id] ?? ''))), ...s.figures.map((f) => r(fmt(f.value, f.unit, 1)))]),
    [20, ...view.dimensions.map(() => 12), ...o.inputs.map(() => Math.floor(56 / Math.max(1, o.inputs.length)))],
    true,
  );
}
