/** Presentation of a compute result: a readable Russian text table (CLI) and an XLSX workbook. */
import { formatNumber, formatYesNo } from '../../core/format.ts';
import type { ComputeContract } from './compute.ts';

const show = (v: number | null, digits?: number | null) => (v === null ? '—' : formatNumber(v, digits ?? undefined));

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(head), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The dimension columns of a dimensional computation (Предмет, Класс), empty otherwise. */
function dimensionColumns(o: ComputeContract): { head: string[]; cells: (r: { dimensions?: Record<string, string | number> }) => string[] } {
  const dims = o.dimensions ?? [];
  const text = (d: (typeof dims)[number], v: string | number | undefined) => (v === undefined ? '—' : (d.labels?.[String(v)] ?? String(v)));
  return { head: dims.map((d) => d.title), cells: (r) => dims.map((d) => text(d, r.dimensions?.[d.id])) };
}

export function renderTable(o: ComputeContract): string {
  const dims = dimensionColumns(o);
  const yesNo = new Set(o.indicators.filter((i) => i.kind === 'yes_no').map((i) => i.id));
  const parts: string[] = [];
  parts.push(`Методика: ${o.methodology.title} (${o.methodology.id}, версия ${o.methodology.version})`);
  parts.push(`Данные: ${o.file.name} — ${o.dataset.title}, строк: ${o.dataset.rows}`);
  parts.push('');
  parts.push(
    table(
      ['Организация', ...dims.head, 'Показатель', 'Значение', 'Уровень', 'Баллы'],
      o.results.map((r) => [r.organisation, ...dims.cells(r), r.code ?? r.indicator, (yesNo.has(r.indicator) ? formatYesNo(r.value) : null) ?? show(r.value, r.details.round), r.level ?? '—', show(r.points)]),
    ),
  );
  if (o.totals.length) {
    parts.push('', 'Сумма баллов по критериям:');
    parts.push(table(['Организация', 'Баллы', 'Из'], o.totals.map((t) => [t.organisation, formatNumber(t.points), formatNumber(t.max)])));
  }
  if (o.aggregates.length) {
    parts.push('', 'Сводные показатели:');
    parts.push(table(['Показатель', 'Значение', 'Пояснение'], o.aggregates.map((a) => [a.id, show(a.value), a.explanation])));
  }
  parts.push('', o.discrepancies.length ? `Расхождения с опубликованными данными (${o.discrepancies.length}):` : 'Расхождений с опубликованными данными нет.');
  for (const d of o.discrepancies) {
    parts.push(`  • ${d.message}`);
    const [first, ...more] = d.diagnosis ?? [];
    if (first) parts.push(`    → ${first.message}${more.length ? ` (ещё объяснений: ${more.length}, см. --format json)` : ''}`);
  }
  const warnings = o.lint.filter((l) => l.severity === 'warning');
  const errors = o.lint.filter((l) => l.severity === 'error');
  if (errors.length || warnings.length) {
    parts.push('', `Замечания к методике и данным (${errors.length + warnings.length}):`);
    for (const l of [...errors, ...warnings]) parts.push(`  • ${l.severity === 'error' ? 'ошибка: ' : ''}${l.message}`);
  }
  parts.push('', 'Пояснения:');
  for (const r of o.results) parts.push(`  ${[r.organisation, ...(r.dimensions ? dims.cells(r) : [])].join(', ')}, ${r.code ?? r.indicator}: ${r.explanation}`);
  return `${parts.join('\n')}\n`;
}

export async function renderXlsx(o: ComputeContract): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Результаты');
  const dims = o.dimensions ?? [];
  ws.columns = [
    { header: 'Организация', key: 'organisation', width: 22 },
    ...dims.map((d) => ({ header: d.title, key: `dim_${d.id}`, width: 14 })),
    { header: 'Показатель', key: 'indicator', width: 12 },
    { header: 'Название', key: 'title', width: 40 },
    { header: 'Значение', key: 'value', width: 10 },
    { header: 'Уровень', key: 'level', width: 16 },
    { header: 'Баллы', key: 'points', width: 8 },
    { header: 'Пояснение', key: 'explanation', width: 80 },
  ];
  for (const r of o.results)
    ws.addRow({ organisation: r.organisation, ...Object.fromEntries(dims.map((d) => [`dim_${d.id}`, r.dimensions?.[d.id] ?? null])), indicator: r.code ?? r.indicator, title: r.title, value: r.value, level: r.level, points: r.points, explanation: r.explanation });
  ws.getRow(1).font = { bold: true };
  const agg = wb.addWorksheet('Сводные');
  agg.columns = [
    { header: 'Показатель', key: 'id', width: 40 },
    { header: 'Значение', key: 'value', width: 10 },
    { header: 'Пояснение', key: 'explanation', width: 100 },
  ];
  for (const a of o.aggregates) agg.addRow({ id: a.id, value: a.value, explanation: a.explanation });
  const dis = wb.addWorksheet('Расхождения');
  dis.columns = [
    { header: 'Организация', key: 'organisation', width: 22 },
    { header: 'Показатель', key: 'indicator', width: 20 },
    { header: 'Поле', key: 'field', width: 10 },
    { header: 'В отчёте', key: 'published', width: 14 },
    { header: 'Вычислено', key: 'computed', width: 14 },
    { header: 'Описание', key: 'message', width: 100 },
    { header: 'Возможная причина', key: 'cause', width: 100 },
  ];
  for (const d of o.discrepancies) dis.addRow({ ...d, cause: (d.diagnosis ?? []).map((x) => x.message).join('\n') });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
