/** A chart's option fitted to the width it is drawn at (issue 26: at 320 px the legends covered the bars and the axis
 * labels, long category names ran off the chart and an axis name was cut). Pure: the caller's option and the width in,
 * the option to draw and the height to give the chart out; texts are measured by `measure` (the browser's canvas).
 *
 * - A legend that does not fit one line becomes a list, one series a line (a long name wraps), under the plot, and the
 *   chart grows by its height; the plot keeps its height.
 * - Category labels that fit their slot are all shown, level; those that do not wrap at spaces and hyphens; when a word does not fit either, they turn
 *   vertical and are cut with «…» at a third of the plot's height (the full names are in the table or list beside).
 * - The labels are kept inside the chart and above the legend (ECharts 6 `grid.outerBounds`).
 * - An axis name starts at its axis instead of being centred on it (centred, it ran off the left edge).
 * - Value-axis numbers are written the Russian way: «7 000», «0,5». */
import { formatNumber } from '../../../../src/core/format.ts';

type Obj = Record<string, unknown>;

/** Width in px of `text` at `fontSize` px. */
export type MeasureText = (text: string, fontSize: number) => number;

export interface FittedChart {
  option: Obj;
  height: number;
}

const LEGEND_FONT = 12;
const LEGEND_ICON = 25 + 5; // ECharts' itemWidth and the gap to the text
const LEGEND_GAP = 10;
const LEGEND_LINE = 16;
const LABEL_FONT = 12;
const LABEL_LINE = 15;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
/** An ECharts component given as one object or a list: the first one, or null. */
const first = (v: unknown): Obj | null => (Array.isArray(v) ? (isObj(v[0]) ? v[0] : null) : isObj(v) ? v : null);

/** Names a legend shows: the series' names (or the pie's data names) in order, each once. */
function legendNames(option: Obj): string[] {
  const names: string[] = [];
  const series = Array.isArray(option.series) ? option.series : option.series ? [option.series] : [];
  for (const s of series) {
    if (!isObj(s)) continue;
    if (typeof s.name === 'string' && !names.includes(s.name)) names.push(s.name);
  }
  return names;
}

/** Lines of `text` broken at spaces and after hyphens into lines of at most `width` px (a longer word stays whole). */
function wrap(text: string, width: number, fontSize: number, measure: MeasureText): string[] {
  const words = text.split(/(?<=[\s-])/);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && measure((line + w).trimEnd(), fontSize) > width) {
      lines.push(line.trimEnd());
      line = w.trimStart();
    } else line += w;
  }
  if (line) lines.push(line.trimEnd());
  return lines;
}

export function fitChart(option: Obj, width: number, height: number, measure: MeasureText): FittedChart {
  const out: Obj = { ...option };
  const grid: Obj = { ...(first(option.grid) ?? {}) };
  const yName = first(option.yAxis)?.name;
  // An axis name is drawn above the plot: room for its line.
  const top = Math.max(num(grid.top, 60), typeof yName === 'string' && yName ? 30 : 0);
  const left = num(grid.left, 0.1 * width);
  const right = num(grid.right, 0.1 * width);
  const callerBottom = num(grid.bottom, 60);
  const plot = Math.max(120, height - top - callerBottom);
  const plotWidth = Math.max(40, width - left - right);

  // The legend: one line if it fits, else a list under the plot.
  let legendHeight = 0;
  const legend = first(option.legend);
  const names = legend && legend.show !== false ? legendNames(option) : [];
  if (legend && names.length > 0) {
    const itemWidths = names.map((n) => LEGEND_ICON + measure(n, LEGEND_FONT));
    const oneLine = itemWidths.reduce((a, b) => a + b, 0) + LEGEND_GAP * (names.length - 1);
    if (oneLine <= width - 10) {
      legendHeight = LEGEND_LINE + 8;
      out.legend = { ...legend, bottom: 0 };
    } else {
      const textWidth = Math.max(60, width - LEGEND_ICON - 10);
      const lines = names.map((n) => wrap(n, textWidth, LEGEND_FONT, measure).length);
      legendHeight = lines.reduce((a, b) => a + b, 0) * LEGEND_LINE + 6 * (names.length - 1) + 8;
      out.legend = {
        ...legend,
        orient: 'vertical',
        left: 0,
        bottom: 0,
        top: undefined,
        right: undefined,
        itemGap: 6,
        textStyle: { ...(isObj(legend.textStyle) ? legend.textStyle : {}), fontSize: LEGEND_FONT, lineHeight: LEGEND_LINE, width: textWidth, overflow: 'break' },
      };
    }
  }

  // Category labels on the x axis.
  let labelsHeight = 24;
  const xAxis = first(option.xAxis);
  if (xAxis) {
    const x: Obj = { ...xAxis };
    const label: Obj = { ...(isObj(xAxis.axisLabel) ? xAxis.axisLabel : {}) };
    if (xAxis.type === 'category' && Array.isArray(xAxis.data) && xAxis.data.length > 0) {
      const texts = xAxis.data.map((d) => String(isObj(d) ? d.value : d));
      const fontSize = num(label.fontSize, LABEL_FONT);
      const slot = plotWidth / texts.length - 8;
      const widest = Math.max(...texts.map((t) => measure(t, fontSize)));
      const widestWord = Math.max(...texts.flatMap((t) => t.split(/(?<=[\s-])/).map((w) => measure(w.trim(), fontSize))));
      if (widest > slot && widestWord <= slot) {
        const lines = Math.max(...texts.map((t) => wrap(t, slot, fontSize, measure).length));
        Object.assign(label, { interval: 0, rotate: 0, width: slot, overflow: 'break', lineHeight: LABEL_LINE });
        labelsHeight = lines * LABEL_LINE + 10;
      } else if (widest > slot) {
        const cut = Math.max(60, Math.round(plot / 3));
        Object.assign(label, { interval: 0, rotate: 90, width: cut, overflow: 'truncate', ellipsis: '…' });
        labelsHeight = Math.min(widest, cut) + 12;
      } else {
        // They fit level: every one shown (ECharts would skip some it thinks too close), none rotated.
        Object.assign(label, { interval: 0, rotate: 0 });
      }
    }
    if (xAxis.type === 'value' && label.formatter === undefined) label.formatter = (v: number) => formatNumber(v);
    x.axisLabel = label;
    out.xAxis = x;
  }

  const yAxis = first(option.yAxis);
  if (yAxis) {
    const y: Obj = { ...yAxis };
    const label: Obj = { ...(isObj(yAxis.axisLabel) ? yAxis.axisLabel : {}) };
    if (yAxis.type === 'value' && label.formatter === undefined) label.formatter = (v: number) => formatNumber(v);
    y.axisLabel = label;
    if (typeof yAxis.name === 'string' && yAxis.name) y.nameTextStyle = { ...(isObj(yAxis.nameTextStyle) ? yAxis.nameTextStyle : {}), align: 'left' };
    out.yAxis = y;
  }

  // The plot keeps its height; below it the labels, below them the legend. Labels stay inside the chart and above
  // the legend whatever the estimate (ECharts shrinks the plot to keep them in `outerBounds`).
  const bottom = legendHeight + labelsHeight;
  out.grid = { ...grid, top, bottom, outerBoundsMode: 'auto', outerBounds: { left: 0, right: 0, top: 0, bottom: legendHeight } };
  return { option: out, height: Math.round(top + plot + bottom) };
}
