/** The analytical report as a neutral list of blocks (headings, paragraphs, lists, tables, charts), built once from
 * the analysis model and drawn by the DOCX and the print-HTML (PDF) renderers alike. Editable blocks carry an id:
 * `goal` and `conclusion.<id>`; `overrides[id]` replaces the generated text, so an analyst's edits survive re-export. */
import type { AnalysisModel, IndicatorInfo } from '../core/analysis/index.ts';
import { formatCell, formatValue, typeName } from '../core/analysis/index.ts';
import { formatDate, formatNumber, formatPercent } from '../core/format.ts';
import { addDimensionalBlocks } from './document-dimensional.ts';

export interface Cell { text: string; bold?: boolean; align?: 'left' | 'center' | 'right'; colSpan?: number; rowSpan?: number }
export type Block =
  | { kind: 'title'; lines: string[] }
  | { kind: 'heading'; text: string; level: 1 | 2 }
  | { kind: 'paragraph'; text: string; id?: string; italic?: boolean }
  | { kind: 'list'; items: { text: string; id?: string }[]; numbered: boolean; small?: boolean }
  | { kind: 'table'; caption: string; head: Cell[][]; body: Cell[][]; widths: number[]; small?: boolean }
  | { kind: 'chart'; chartId: string; caption: string };

export interface EditableBlock { id: string; title: string; text: string }

const num = (v: number | null | undefined, digits?: number): string => (v === null || v === undefined ? '—' : formatNumber(v, digits));
const val = (v: number | null | undefined, ind: IndicatorInfo): string => (v === null || v === undefined ? '—' : formatValue(v, ind));
const c = (text: string, extra: Omit<Cell, 'text'> = {}): Cell => ({ text, ...extra });
const r = (text: string): Cell => ({ text, align: 'right' });
const h = (text: string, colSpan?: number): Cell => ({ text, bold: true, align: 'center', ...(colSpan ? { colSpan } : {}) });
const ind2 = (i: { code: string | null; title: string }) => (i.code ? `${i.code}. ${i.title}` : i.title);

/** Column titles without the words they all end with («Техническая направленность», «Туристско-краеведческая
 * направленность» → «Техническая», «Туристско-краеведческая» + «направленность»). */
export function commonSuffix(titles: readonly string[]): { titles: string[]; suffix: string } {
  if (titles.length < 2) return { titles: [...titles], suffix: '' };
  const words = titles.map((t) => t.split(/\s+/));
  let k = 0;
  while (words.every((w) => w.length > k + 1 && w[w.length - 1 - k] === words[0]![words[0]!.length - 1 - k])) k++;
  if (k === 0) return { titles: [...titles], suffix: '' };
  return { titles: words.map((w) => w.slice(0, w.length - k).join(' ')), suffix: words[0]!.slice(-k).join(' ') };
}

/** Texts an analyst may edit (for the web editor): the goal and every conclusion. */
export function editableBlocks(model: AnalysisModel): EditableBlock[] {
  const out: EditableBlock[] = [];
  if (model.methodology.goal) out.push({ id: 'goal', title: 'Цель мониторинга', text: model.methodology.goal });
  model.conclusions.forEach((x, i) => out.push({ id: `conclusion.${x.id}`, title: `Вывод ${i + 1}`, text: x.text }));
  return out;
}

export function reportBlocks(model: AnalysisModel, overrides: Record<string, string> = {}, warnings: readonly string[] = []): Block[] {
  const b: Block[] = [];
  let tableNo = 0;
  let chartNo = 0;
  const table = (title: string, head: Cell[][], body: Cell[][], widths: number[], small = false) =>
    b.push({ kind: 'table', caption: `Таблица № ${++tableNo}. ${title}`, head, body, widths, small });
  const chart = (chartId: string, title: string) => b.push({ kind: 'chart', chartId, caption: `Диаграмма № ${++chartNo}. ${title}` });
  const text = (id: string, generated: string) => overrides[id]?.trim() || generated;

  const meta = model.meta;
  b.push({
    kind: 'title',
    lines: [
      meta.municipality ?? '',
      'АНАЛИТИЧЕСКАЯ СПРАВКА',
      `по итогам мониторинга: ${meta.title}`,
      meta.period ? `Период: ${meta.period}` : '',
      meta.date ? `Дата: ${formatDate(meta.date)}` : '',
    ].filter((x) => x !== ''),
  });

  b.push({ kind: 'heading', text: meta.tasks?.length ? '1. Цель и задачи мониторинга' : '1. Цель мониторинга', level: 1 });
  const goal = overrides.goal?.trim() || model.methodology.goal;
  b.push({ kind: 'paragraph', id: 'goal', text: goal ? `Цель мониторинга — ${goal.charAt(0).toLowerCase()}${goal.slice(1)}` : 'Цель мониторинга в методике не указана.' });
  if (meta.tasks?.length) {
    b.push({ kind: 'paragraph', text: 'Задачи мониторинга:' });
    b.push({ kind: 'list', numbered: false, items: meta.tasks.map((t) => ({ text: t })) });
  }
  if (model.methodology.expectedResult) b.push({ kind: 'paragraph', text: `Ожидаемый результат: ${model.methodology.expectedResult}` });
  b.push({
    kind: 'paragraph',
    text: `Методика: «${model.methodology.title}» (${model.methodology.id}, версия ${model.methodology.version}).${model.methodology.source ? ` Источник: ${model.methodology.source}` : ''}`,
  });

  // Criteria (Таблица № 1 of the source).
  if (model.criteria.criteria.length) {
    b.push({ kind: 'heading', text: '2. Критерии и показатели', level: 1 });
    const body: Cell[][] = [];
    for (const cr of model.criteria.criteria) {
      body.push([c(`${cr.id}.`, { bold: true }), c(`${cr.title} (max ${formatNumber(cr.max)} ${cr.max === 1 ? 'балл' : cr.max < 5 ? 'балла' : 'баллов'})`, { bold: true, colSpan: 4 })]);
      for (const i of cr.indicators) {
        const target = i.target === null ? '—' : i.unit === '%' ? `${formatNumber(i.target)}\u00A0%` : formatNumber(i.target);
        const bands = i.bands.length ? i.bands : [{ label: '—', points: null }];
        const span = bands.length > 1 ? { rowSpan: bands.length } : {};
        bands.forEach((band, k) =>
          body.push([
            ...(k === 0
              ? [c(i.code ?? '', span), c(`${i.title}${i.note ? ` (примечание: ${i.note})` : ''}`, span), c(target, { align: 'center', ...span })]
              : []),
            c(band.label),
            c(band.points === null ? '—' : formatNumber(band.points), { align: 'center' }),
          ]),
        );
      }
    }
    if (model.criteria.maxTotal !== null) body.push([c(''), c('Максимальное количество баллов', { bold: true, colSpan: 3 }), c(formatNumber(model.criteria.maxTotal), { bold: true, align: 'center' })]);
    table('Перечень критериев и показателей', [[h('№'), h('Критерии и показатели'), h('Целевой показатель'), h('Индикаторы'), h('Баллы')]], body, [7, 45, 12, 26, 10], true);
  }

  let section = model.criteria.criteria.length ? 3 : 2;
  // Per-organisation results, level distribution, ranking, statistics.
  for (const t of model.orgTables) {
    b.push({ kind: 'heading', text: `${section++}. ${t.datasetTitle}`, level: 1 });
    const withTotal = t.rows.some((x) => x.total);
    const head = [h('№'), h('Организация'), h('Тип'), ...t.inputs.map((i) => h(i.title)), ...t.indicators.flatMap((i) => [h(i.code ? `Значение ${i.code}` : i.title), ...(i.hasLevels ? [h('Уровень')] : []), h('Баллы')]), ...(withTotal ? [h('Сумма баллов')] : [])];
    const body = t.rows.map((row, k) => [
      c(row.no ?? String(k + 1), { align: 'center' }),
      c(row.name),
      c(typeName(row.type, 'short'), { align: 'center' }),
      ...t.inputs.map((i) => r(typeof row.inputs[i.id] === 'number' ? num(row.inputs[i.id] as number) : String(row.inputs[i.id] ?? '—'))),
      ...t.indicators.flatMap((i) => {
        const cell = row.cells[i.id];
        return [r(cell?.value === null || cell?.value === undefined ? '—' : formatCell(cell.value, i)), ...(i.hasLevels ? [c(cell?.level ?? '—')] : []), r(num(cell?.points))];
      }),
      ...(withTotal ? [r(row.total ? `${formatNumber(row.total.points)} из ${formatNumber(row.total.max)}` : '—')] : []),
    ]);
    const inputW = t.inputs.map(() => 16);
    const indW = t.indicators.flatMap((i) => [10, ...(i.hasLevels ? [16] : []), 8]);
    table(`Результаты организаций (значения вычислены по исходным данным)`, [head], body, [6, 20, 7, ...inputW, ...indW, ...(withTotal ? [10] : [])], true);

    for (const d of model.distributions.filter((x) => t.indicators.some((i) => i.id === x.indicator.id))) {
      b.push({ kind: 'heading', text: `Распределение организаций по уровням: ${d.indicator.title}`, level: 2 });
      const cols = d.byType.cols;
      const head: Cell[][] = [
        [h('Уровень'), ...cols.map((x) => h(typeName(x, 'short'), 2)), h('Итого', 2)],
        [h(''), ...cols.flatMap(() => [h('кол-во'), h('доля')]), h('кол-во'), h('доля')],
      ];
      const row = (x: (typeof d.byType.body)[number], bold = false) => [
        c(x.category, { bold }),
        ...x.cells.flatMap((cell) => [c(String(cell.count), { align: 'right', bold }), c(formatPercent(cell.share), { align: 'right', bold })]),
        c(String(x.total.count), { align: 'right', bold }),
        c(formatPercent(x.total.share), { align: 'right', bold }),
      ];
      table(
        'Количество организаций по уровням и типам (доля — от числа организаций данного типа; итоговые доли — от всех организаций)',
        head,
        [...d.byType.body.map((x) => row(x)), row(d.byType.totals, true)],
        [22, ...cols.flatMap(() => [9, 11]), 9, 11],
      );
      chart(`distribution.${d.indicator.id}`, 'Количество организаций по уровням и типам');
    }
    for (const rk of model.rankings.filter((x) => t.indicators.some((i) => i.id === x.indicator.id) && x.entries.length >= 2)) {
      b.push({ kind: 'heading', text: `Ранжирование организаций: ${rk.indicator.title}`, level: 2 });
      chart(`ranking.${rk.indicator.id}`, `Ранжирование организаций по показателю «${rk.indicator.title}»`);
    }
    const stats = model.statistics.filter((x) => t.indicators.some((i) => i.id === x.indicator.id));
    if (stats.length) {
      b.push({ kind: 'heading', text: 'Описательная статистика', level: 2 });
      const body: Cell[][] = [];
      for (const s of stats) {
        const line = (label: string, d: typeof s.all) => [c(label), r(String(d.n)), r(num(d.mean, 2)), r(num(d.median, 2)), r(num(d.min)), r(num(d.max)), r(num(d.sd, 2))];
        body.push(line(`${ind2(s.indicator)}: все организации`, s.all));
        for (const bt of s.byType) body.push(line(`   ${typeName(bt.type)}`, bt.stats));
      }
      table('Описательная статистика показателей', [[h('Показатель, группа'), h('n'), h('Среднее'), h('Медиана'), h('Мин.'), h('Макс.'), h('Ст. откл.')]], body, [40, 8, 10, 10, 10, 10, 12], true);
    }
  }

  // Tables by organisation type and municipal tables.
  for (const g of model.groupTables) {
    b.push({ kind: 'heading', text: `${section++}. ${g.datasetTitle}`, level: 1 });
    const { titles, suffix } = commonSuffix(g.inputs.map((i) => i.title));
    const head = [h(g.unit === 'municipality' ? 'Территория' : 'Тип организаций'), ...titles.map((x) => h(x)), ...g.indicators.map((i) => h(i.code ?? i.title))];
    const body = g.rows.map((row) => [
      c(g.unit === 'municipality' ? (meta.municipality ?? 'Муниципалитет') : row.label, { bold: row.isTotal }),
      ...g.inputs.map((i) => c(num(row.inputs[i.id]), { align: 'right', bold: row.isTotal })),
      ...g.indicators.map((i) => c(val(row.cells[i.id]?.value, i), { align: 'right', bold: row.isTotal })),
    ]);
    if (g.breakdown && g.unit === 'organisation_type' && !g.rows.some((x) => x.isTotal)) {
      body.push([c('Итого', { bold: true }), ...g.inputTotals.map((x) => c(formatNumber(x.sum), { align: 'right', bold: true })), ...g.indicators.map(() => c(''))]);
      body.push([c('Доля от общего числа', { bold: true }), ...g.inputTotals.map((x) => c(formatPercent(x.share), { align: 'right', bold: true })), ...g.indicators.map(() => c(''))]);
    }
    const coded = g.indicators.filter((i) => i.code);
    table(
      `${g.datasetTitle}${suffix ? ` (${suffix.toLowerCase()})` : ''}${coded.length ? `; ${coded.map((i) => `${i.code} — ${i.title.charAt(0).toLowerCase()}${i.title.slice(1)}`).join('; ')}` : ''}`,
      [head],
      body,
      [18, ...g.inputs.map(() => 10), ...g.indicators.map(() => 10)],
      true,
    );
    const explained = g.rows.flatMap((row) => g.indicators.filter((i) => row.cells[i.id]?.value !== null && row.cells[i.id]).map((i) => `${g.unit === 'municipality' ? (meta.municipality ?? 'Муниципалитет') : row.label}, ${i.code ?? i.title}: ${row.cells[i.id]?.explanation ?? ''}`));
    if (!g.breakdown && explained.length) b.push({ kind: 'list', numbered: false, small: true, items: explained.map((x) => ({ text: x })) });
    if (g.breakdown && g.unit === 'organisation_type') chart(`breakdown.${g.datasetId}`, g.datasetTitle);
  }

  if (model.dimensional)
    addDimensionalBlocks(model.dimensional, {
      heading: (text, level) => b.push({ kind: 'heading', text: level === 1 ? `${section++}. ${text}` : text, level }),
      paragraph: (text) => b.push({ kind: 'paragraph', text }),
      table,
    });

  // Correlation and clusters.
  if (model.correlation.cells.length || model.correlation.note || model.clusters) {
    b.push({ kind: 'heading', text: `${section++}. Корреляционный и кластерный анализ`, level: 1 });
    if (model.correlation.note) b.push({ kind: 'paragraph', text: model.correlation.note });
    for (const x of model.correlation.cells) b.push({ kind: 'paragraph', text: `${x.a} и ${x.b}: ${x.interpretation}` });
    const cl = model.clusters;
    if (cl?.note) b.push({ kind: 'paragraph', text: cl.note });
    if (cl?.result) {
      b.push({ kind: 'paragraph', text: `${cl.result.explanation}. Показатели: ${cl.indicators.join(', ')}.` });
      table(
        'Группы организаций (кластеры)',
        [[h('Группа'), h('Число организаций'), h('Среднее значение'), h('Организации')]],
        cl.result.clusters.map((k) => [c(String(k.number), { align: 'center' }), r(String(k.members.length)), r(k.centroid.map((x) => formatNumber(x, 1)).join('; ')), c(k.members.join(', '))]),
        [10, 14, 16, 60],
        true,
      );
    }
  }

  b.push({ kind: 'heading', text: `${section++}. Выводы`, level: 1 });
  b.push({ kind: 'list', numbered: true, items: model.conclusions.map((x) => ({ id: `conclusion.${x.id}`, text: text(`conclusion.${x.id}`, x.text) })) });

  b.push({ kind: 'heading', text: `${section++}. Расхождения с опубликованными данными`, level: 1 });
  if (model.discrepancies.length) {
    b.push({ kind: 'paragraph', text: 'Значения, напечатанные в исходном документе, сверены с вычисленными по исходным данным при точности напечатанного значения. В справке выше использованы вычисленные значения.' });
    const show = (v: number | string | null) => (v === null ? 'нет данных' : typeof v === 'number' ? formatNumber(v) : v);
    const field: Record<string, string> = { value: 'значение', level: 'уровень', points: 'баллы', aggregate: 'итог' };
    table(
      'Расхождения с опубликованными данными',
      [[h('№'), h('Организация'), h('Показатель'), h('Что'), h('Опубликовано'), h('Вычислено'), h('Расчёт')]],
      model.discrepancies.map((d, k) => [c(String(k + 1), { align: 'center' }), c(d.label), c(d.indicatorTitle), c(field[d.field] ?? d.field), r(show(d.published)), r(typeof d.computed === 'number' ? formatNumber(d.computed, d.round ?? undefined) : show(d.computed)), c(d.explanation)]),
      [5, 15, 22, 10, 11, 11, 28],
      true,
    );
    // How each printed figure may have been obtained (issue 16), numbered as the table's rows.
    const causes = model.discrepancies.map((d, k) => (d.cause ? `№ ${k + 1} (${d.label}, ${d.indicatorTitle}): ${d.cause}.` : null)).filter((x): x is string => x !== null);
    if (causes.length) {
      b.push({ kind: 'paragraph', text: 'Как могли получиться напечатанные значения (проверены типичные ошибки: округление, основание, строка, разряд, границы уровней, итоговые строки):' });
      b.push({ kind: 'list', numbered: false, small: true, items: causes.map((text) => ({ text })) });
    }
  } else b.push({ kind: 'paragraph', text: 'Расхождений с опубликованными данными не выявлено.' });

  b.push({ kind: 'heading', text: `${section++}. Адресные рекомендации`, level: 1 });
  if (model.recommendations.length)
    b.push({
      kind: 'list',
      numbered: true,
      items: model.recommendations.map((x) => ({ text: `${x.addressee}: ${x.text}${x.organisations.length ? ` (${x.organisations.join(', ')})` : ''}` })),
    });
  else b.push({ kind: 'paragraph', text: 'Рекомендации не сформированы.' });

  if (model.lint.length || warnings.length) {
    b.push({ kind: 'heading', text: `${section++}. Замечания к методике и данным`, level: 1 });
    b.push({ kind: 'list', numbered: false, items: [...warnings, ...model.lint].map((x) => ({ text: x })) });
  }
  return b;
}
