/** Charts of a report: echarts server-side rendering to SVG, then resvg to PNG with the DejaVu fonts.
 * Level distribution by organisation type (stacked bars), ranking of organisations (horizontal bars coloured by level),
 * and the breakdown tables (e.g. programme focus by type) when present. */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import * as echarts from 'echarts';
import { Resvg } from '@resvg/resvg-js';
import type { AnalysisModel } from '../core/analysis/index.ts';
import { typeName } from '../core/analysis/index.ts';
import { formatNumber } from '../core/format.ts';

/** Most bars a ranking chart draws. */
export const RANKING_MAX = 60;
export const FONT_DIR = '/usr/share/fonts/truetype/dejavu';
export interface Chart { id: string; title: string; svg: string; png: Buffer; width: number; height: number }

const LEVEL_COLORS: Record<string, string> = {
  высокий: '#1a7f37',
  'выше среднего': '#7cb342',
  средний: '#f9a825',
  'ниже среднего': '#ef6c00',
  низкий: '#c62828',
};
const TYPE_COLORS = ['#1f5fa8', '#7aa6d8', '#9c6ade', '#999999'];
const PALETTE = ['#1f5fa8', '#e07b39', '#3a9d5d', '#c94f4f', '#8e6bbf', '#b08d2e', '#4aa3b5', '#777777'];

const axisNumber = (v: number): string => formatNumber(v);

let fontsCache: { files: string[]; warning: string | null } | null = null;
function fonts(): { files: string[]; warning: string | null } {
  if (fontsCache) return fontsCache;
  const files = existsSync(FONT_DIR) ? readdirSync(FONT_DIR).filter((f) => /^DejaVuSans(-Bold)?\.ttf$/.test(f)).map((f) => path.join(FONT_DIR, f)) : [];
  fontsCache = {
    files,
    warning: files.length
      ? null
      : `Шрифты DejaVu не найдены в ${FONT_DIR}: подписи на диаграммах могут отображаться неверно (установите пакет fonts-dejavu-core).`,
  };
  return fontsCache;
}

function render(id: string, title: string, option: echarts.EChartsCoreOption, width: number, height: number): Chart {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption({ animation: false, backgroundColor: '#ffffff', textStyle: { fontFamily: 'DejaVu Sans' }, ...option });
  const svg = chart.renderToSVGString();
  chart.dispose();
  const f = fonts();
  const png = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: 1.5 },
    background: '#ffffff',
    font: { fontFiles: f.files, loadSystemFonts: f.files.length === 0, defaultFontFamily: 'DejaVu Sans' },
  })
    .render()
    .asPng();
  return { id, title, svg, png: Buffer.from(png), width, height };
}

export function renderCharts(model: AnalysisModel): Promise<{ charts: Chart[]; warnings: string[] }> {
  const charts: Chart[] = [];
  for (const d of model.distributions) {
    const cols = d.byType.cols;
    charts.push(
      render(
        `distribution.${d.indicator.id}`,
        `Распределение организаций по уровням: ${d.indicator.title}`,
        {
          title: { text: 'Количество организаций по уровням и типам', left: 'center', textStyle: { fontSize: 15 } },
          legend: { bottom: 0 },
          grid: { left: 50, right: 20, top: 45, bottom: 60 },
          xAxis: { type: 'category', data: d.byType.rows, axisLabel: { fontSize: 12, interval: 0 } },
          yAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: axisNumber } },
          color: TYPE_COLORS,
          series: cols.map((c, j) => ({
            name: typeName(c, 'short'),
            type: 'bar',
            stack: 'types',
            barWidth: '55%',
            label: { show: true, fontSize: 11, formatter: (p: { value: number }) => (p.value ? String(p.value) : '') },
            data: d.byType.body.map((r) => r.cells[j]?.count ?? 0),
          })),
        },
        760,
        380,
      ),
    );
  }
  for (const r of model.rankings) {
    const all = r.entries.filter((e) => e.value !== null);
    if (all.length < 2) continue;
    // Beyond RANKING_MAX bars a chart is unreadable: the first and the last RANKING_MAX / 2 are drawn.
    const cut = all.length > RANKING_MAX;
    const entries = cut ? [...all.slice(0, RANKING_MAX / 2), ...all.slice(-RANKING_MAX / 2)] : all;
    const height = Math.max(300, 60 + entries.length * 16);
    const digits = r.indicator.round ?? undefined;
    charts.push(
      render(
        `ranking.${r.indicator.id}`,
        `Ранжирование организаций: ${r.indicator.title}`,
        {
          title: {
            text: cut ? `Ранжирование: первые и последние ${RANKING_MAX / 2} из ${all.length} организаций` : 'Ранжирование организаций',
            left: 'center',
            textStyle: { fontSize: 15 },
          },
          grid: { left: 120, right: 50, top: 40, bottom: 20 },
          xAxis: { type: 'value', axisLabel: { formatter: axisNumber } },
          yAxis: { type: 'category', inverse: true, data: entries.map((e) => `${e.position}. ${e.name}`), axisLabel: { fontSize: 10, interval: 0 } },
          series: [
            {
              type: 'bar',
              barWidth: '70%',
              label: { show: true, position: 'right', fontSize: 9, formatter: (p: { value: number }) => formatNumber(p.value, digits) },
              data: entries.map((e) => ({ value: e.value, itemStyle: { color: (e.level && LEVEL_COLORS[e.level]) || '#1f5fa8' } })),
            },
          ],
        },
        760,
        height,
      ),
    );
  }
  for (const g of model.groupTables.filter((x) => x.breakdown && x.unit === 'organisation_type')) {
    const rows = g.rows.filter((x) => !x.isTotal);
    charts.push(
      render(
        `breakdown.${g.datasetId}`,
        g.datasetTitle,
        {
          title: { text: g.datasetTitle, left: 'center', textStyle: { fontSize: 14 } },
          legend: { bottom: 0, itemWidth: 14, textStyle: { fontSize: 10 } },
          grid: { left: 60, right: 20, top: 45, bottom: 90 },
          xAxis: { type: 'category', data: g.inputs.map((i) => i.title.replace(/\s*направленность$/i, '')), axisLabel: { fontSize: 10, interval: 0, formatter: (v: string) => v.replace(/-/g, '-\n') } },
          yAxis: { type: 'value', axisLabel: { formatter: axisNumber } },
          color: PALETTE,
          series: rows.map((row) => ({ name: typeName(row.key, 'short'), type: 'bar', stack: 'types', data: g.inputs.map((i) => row.inputs[i.id] ?? 0) })),
        },
        760,
        400,
      ),
    );
  }
  const w = fonts().warning;
  return Promise.resolve({ charts, warnings: w ? [w] : [] });
}
