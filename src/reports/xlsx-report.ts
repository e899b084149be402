/** The report's figures as an XLSX workbook (exceljs): «Результаты», «Распределение», «Статистика», «Расхождения»,
 * «Сводные» (and for a dimensional methodology «По предметам» and «Признаки необъективности», xlsx-dimensional.ts). Numbers are numeric cells with number formats (`0.0`, `0.0%` for shares), header rows frozen.
 *
 * Written by exceljs' streaming writer: each row goes to the zip as soon as it is complete (`addRow(…).commit()`), so
 * the workbook is never held whole in memory — a year of ВПР (144 000 rows on «По предметам») took 1,3 GB of heap per
 * 48 000 rows with the in-memory workbook. What a row's cells look like is therefore fixed before it is committed:
 * a sheet's columns (widths, number formats), its header row's style and its frozen panes come first. */
import { PassThrough } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import type { AnalysisModel } from '../core/analysis/index.ts';
import { typeName } from '../core/analysis/index.ts';
import { addDimensionalSheets } from './xlsx-dimensional.ts';
import { fmtOf, frozenSheet, styleHeader } from './xlsx-sheet.ts';

export async function renderXlsxReport(model: AnalysisModel): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const sink = new PassThrough();
  const written = buffer(sink);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: true });
  wb.creator = 'МСОКО';
  wb.title = `Аналитическая справка: ${model.meta.title}`;

  const res = frozenSheet(wb, 'Результаты');
  const t = model.orgTables[0];
  if (t) {
    const cols: { header: string; key: string; width: number; fmt?: string }[] = [
      { header: '№', key: 'no', width: 6 },
      { header: 'Организация', key: 'name', width: 24 },
      { header: 'Тип', key: 'type', width: 10 },
      ...t.inputs.map((i) => ({ header: i.title, key: `in.${i.id}`, width: 16, fmt: '0' })),
      ...t.indicators.flatMap((i) => [
        { header: i.code ? `${i.code}. ${i.title}` : i.title, key: `v.${i.id}`, width: 18, fmt: fmtOf(i.round) },
        ...(i.hasLevels ? [{ header: `Уровень (${i.code ?? i.id})`, key: `l.${i.id}`, width: 16 }] : []),
        { header: `Баллы (${i.code ?? i.id})`, key: `p.${i.id}`, width: 10, fmt: '0.0' },
      ]),
      ...(t.rows.some((r) => r.total) ? [{ header: 'Сумма баллов', key: 'total', width: 12, fmt: '0.0' }] : []),
    ];
    res.columns = cols.map(({ header: h, key, width, fmt }) => ({ header: h, key, width, ...(fmt ? { style: { numFmt: fmt } } : {}) }));
    styleHeader(res);
    res.getRow(1).height = 60;
    for (const [k, r] of t.rows.entries()) {
      const row: Record<string, string | number | null> = { no: r.no !== null && /^\d+$/.test(r.no) ? Number(r.no) : (r.no ?? k + 1), name: r.name, type: typeName(r.type, 'short') };
      for (const i of t.inputs) row[`in.${i.id}`] = typeof r.inputs[i.id] === 'number' ? (r.inputs[i.id] as number) : null;
      for (const i of t.indicators) {
        row[`v.${i.id}`] = r.cells[i.id]?.value ?? null;
        if (i.hasLevels) row[`l.${i.id}`] = r.cells[i.id]?.level ?? null;
        row[`p.${i.id}`] = r.cells[i.id]?.points ?? null;
      }
      if (r.total) row.total = r.total.points;
      res.addRow(row).commit();
    }
  }
  res.commit();

  const dist = frozenSheet(wb, 'Распределение');
  dist.columns = [{ width: 40 }, { width: 18 }, { width: 18 }, { width: 10, style: { numFmt: '0' } }, { width: 10, style: { numFmt: '0.0%' } }];
  dist.addRow(['Показатель', 'Уровень', 'Тип организаций', 'Количество', 'Доля']);
  styleHeader(dist);
  for (const d of model.distributions) {
    const title = d.indicator.code ? `${d.indicator.code}. ${d.indicator.title}` : d.indicator.title;
    for (const r of d.byType.body) {
      for (const c of r.cells) dist.addRow([title, r.category, typeName(c.category, 'short'), c.count, c.share / 100]);
      dist.addRow([title, r.category, 'Итого', r.total.count, r.total.share / 100]);
    }
    for (const c of d.byType.totals.cells) dist.addRow([title, 'Итого', typeName(c.category, 'short'), c.count, c.share / 100]);
    dist.addRow([title, 'Итого', 'Итого', d.byType.totals.total.count, d.byType.totals.total.share / 100]);
  }
  dist.commit();

  const st = frozenSheet(wb, 'Статистика');
  st.columns = [{ width: 40 }, { width: 14 }, ...Array.from({ length: 10 }, (_, i) => ({ width: 11, ...(i >= 2 ? { style: { numFmt: '0.00' } } : {}) }))];
  st.addRow(['Показатель', 'Группа', 'n', 'Пропуски', 'Среднее', 'Медиана', 'Q1', 'Q3', 'Мин.', 'Макс.', 'Ст. откл.', 'Сумма']);
  styleHeader(st);
  for (const s of model.statistics) {
    const title = s.indicator.code ? `${s.indicator.code}. ${s.indicator.title}` : s.indicator.title;
    for (const [group, d] of [['все', s.all] as const, ...s.byType.map((b) => [typeName(b.type, 'short'), b.stats] as const)])
      st.addRow([title, group, d.n, d.missing, d.mean, d.median, d.q1, d.q3, d.min, d.max, d.sd, d.sum]);
  }
  st.commit();

  const dis = frozenSheet(wb, 'Расхождения');
  dis.columns = [
    { header: 'Организация', key: 'label', width: 24 },
    { header: 'Показатель', key: 'indicator', width: 40 },
    { header: 'Что', key: 'field', width: 10 },
    { header: 'Опубликовано', key: 'published', width: 14, style: { numFmt: '0.0' } },
    { header: 'Вычислено', key: 'computed', width: 14, style: { numFmt: '0.0' } },
    { header: 'Расчёт', key: 'explanation', width: 90 },
    { header: 'Как могло получиться', key: 'cause', width: 90 },
  ];
  styleHeader(dis);
  for (const d of model.discrepancies) dis.addRow({ label: d.label, indicator: d.indicatorTitle, field: d.field, published: d.published, computed: d.computed, explanation: d.explanation, cause: d.cause ?? '' }).commit();
  dis.commit();

  const sv = frozenSheet(wb, 'Сводные');
  sv.columns = [
    { header: 'Показатель', key: 'title', width: 60 },
    { header: 'Группа', key: 'group', width: 14 },
    { header: 'Значение', key: 'value', width: 12 },
    { header: 'Уровень', key: 'level', width: 16 },
    { header: 'Целевой показатель', key: 'target', width: 12 },
    { header: 'Пояснение', key: 'explanation', width: 100 },
  ];
  styleHeader(sv);
  for (const mv of model.municipal) {
    const ind = mv.indicator;
    const pct = ind.unit === '%';
    const v = (x: number | null) => (x === null ? null : pct ? x / 100 : x);
    const rows = [
      sv.addRow({ title: ind.code ? `${ind.code}. ${ind.title}` : ind.title, group: 'муниципалитет', value: v(mv.value), level: mv.level, target: v(mv.target?.value ?? null), explanation: mv.explanation }),
      ...mv.byType.map((b) => sv.addRow({ title: ind.code ? `${ind.code}. ${ind.title}` : ind.title, group: typeName(b.type, 'short'), value: v(b.value), level: null, target: null, explanation: '' })),
    ];
    for (const row of rows) {
      for (const col of [3, 5]) row.getCell(col).numFmt = pct ? '0.0%' : '0.0';
      row.commit();
    }
  }
  for (const a of model.aggregates) {
    const row = sv.addRow({ title: a.title, group: a.group ? typeName(a.group, 'short') : 'муниципалитет', value: a.value, level: a.level, target: null, explanation: a.explanation });
    row.getCell(3).numFmt = '0.0';
    row.commit();
  }
  sv.commit();
  if (model.dimensional) await addDimensionalSheets(wb, model.dimensional);

  await wb.commit();
  return written;
}
