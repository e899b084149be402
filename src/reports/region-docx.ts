/** The regional comparison as DOCX (issue 9): ranking of municipalities by the chosen figure, the level distribution
 * per municipality (when the methodology has a level scale), and the dynamics across periods. Same page and table
 * style as the municipal report (docx-report.ts). */
import { Packer } from 'docx';
import { formatNumber } from '../core/format.ts';
import type { Cell } from './document.ts';
import { type DocxPart, docxDocument, para, table } from './docx-report.ts';

export interface RegionReportInput {
  regionName: string;
  synthetic: boolean;
  methodologyTitle: string;
  ranking: { periodLabel: string; metricTitle: string; rows: { rank: number | null; municipality: string; value: number | null; organisations: number }[] };
  distribution: { indicatorTitle: string; levels: { code: string; name: string }[]; rows: { municipality: string; rated: number; counts: Record<string, number>; shares: Record<string, number | null> }[] } | null;
  dynamics: { periods: { label: string }[]; rows: { municipality: string; values: (number | null)[]; change: number | null }[] };
  generatedOn: string;
}

const h = (text: string): Cell => ({ text, bold: true, align: 'center' });
const r = (text: string): Cell => ({ text, align: 'right' });
const num = (v: number | null, digits = 1) => (v === null ? '—' : formatNumber(v, digits));

export async function renderRegionDocx(input: RegionReportInput): Promise<Buffer> {
  const out: DocxPart[] = [];
  out.push(para(input.regionName, { bold: true, align: 'center' }));
  out.push(para('АНАЛИТИЧЕСКАЯ СПРАВКА', { bold: true, align: 'center' }));
  out.push(para(`по результатам сравнения муниципалитетов: ${input.methodologyTitle}`, { align: 'center' }));
  if (input.synthetic) out.push(para('Данные синтетические (созданы командой msoko generate) и не описывают реальные организации.', { italic: true, align: 'center' }));
  out.push(para(`Сформировано ${input.generatedOn}.`, { align: 'right', size: 24 }));

  out.push(para(`Таблица № 1. Рейтинг муниципалитетов: ${input.ranking.metricTitle}, ${input.ranking.periodLabel}`, { bold: true, align: 'left' }, { keepNext: true }));
  out.push(table(
    [[h('Место'), h('Муниципалитет'), h('Значение'), h('Организаций')]],
    input.ranking.rows.map((x) => [r(x.rank === null ? '—' : String(x.rank)), { text: x.municipality }, r(num(x.value)), r(String(x.organisations))]),
  ));

  let no = 2;
  if (input.distribution) {
    const d = input.distribution;
    out.push(para(`Таблица № ${no++}. Распределение организаций по уровням: ${d.indicatorTitle}, ${input.ranking.periodLabel} (число организаций и доля, %)`, { bold: true, align: 'left' }, { keepNext: true }));
    out.push(table(
      [[h('Муниципалитет'), h('Оценено'), ...d.levels.map((l) => h(l.name))]],
      d.rows.map((x) => [{ text: x.municipality }, r(String(x.rated)), ...d.levels.map((l) => r(`${x.counts[l.code] ?? 0} (${num(x.shares[l.code] ?? null)})`))]),
    ));
  }

  const dyn = input.dynamics;
  out.push(para(`Таблица № ${no}. Динамика: ${input.ranking.metricTitle}`, { bold: true, align: 'left' }, { keepNext: true }));
  out.push(table(
    [[h('Муниципалитет'), ...dyn.periods.map((p) => h(p.label)), h('Изменение')]],
    dyn.rows.map((x) => [{ text: x.municipality }, ...x.values.map((v) => r(num(v))), r(x.change === null ? '—' : `${x.change > 0 ? '+' : ''}${num(x.change)}`)]),
  ));
  return Packer.toBuffer(docxDocument(out, `Сравнение муниципалитетов: ${input.methodologyTitle}`));
}
