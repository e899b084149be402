/** An ECharts chart in the browser (SVG renderer, only the chart kinds and components the analysis uses, through
 * `echarts/core`). Loaded lazily by Chart.tsx: ECharts is its own chunk, fetched after the page's tables are shown.
 * The option is fitted to the width the chart gets (ChartFit.ts: legends, long labels at 320 px) and fitted again when
 * that width changes. */
import { useEffect, useMemo, useRef, useState } from 'react';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { fitChart, type MeasureText } from './ChartFit.ts';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export type ChartOption = Parameters<echarts.ECharts['setOption']>[0];

/** Text widths in the page's font, as the chart will draw them. */
function canvasMeasure(fontFamily: string): MeasureText {
  const ctx = document.createElement('canvas').getContext('2d');
  return (text, size) => {
    if (!ctx) return text.length * size * 0.6;
    ctx.font = `${size}px ${fontFamily}`;
    return ctx.measureText(text).width;
  };
}

export default function ChartCanvas({ option, height = 320, label }: { option: ChartOption; height?: number; label: string }) {
  const ref = useRef<HTMLDivElement | null>(null);
  const chartRef = useRef<echarts.ECharts | null>(null);
  const [box, setBox] = useState<{ width: number; font: string } | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    // The chart follows its box at once; the option is fitted again when the width has changed by more than a
    // scroll bar (so a scroll bar that comes and goes with the chart's new height cannot make them chase each other).
    const observer = new ResizeObserver((entries) => {
      const width = Math.round(entries[0]?.contentRect.width ?? 0);
      const font = getComputedStyle(el).fontFamily;
      if (width <= 0) return;
      chartRef.current?.resize();
      setBox((b) => (b && Math.abs(b.width - width) < 20 && b.font === font ? b : { width, font }));
    });
    observer.observe(el);
    const onResize = () => chartRef.current?.resize();
    window.addEventListener('resize', onResize);
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', onResize);
    };
  }, []);
  const fitted = useMemo(() => (box ? { ...fitChart(option as Record<string, unknown>, box.width, height, canvasMeasure(box.font)), font: box.font } : null), [option, box, height]);
  useEffect(() => {
    if (!ref.current || !fitted) return;
    const chart = echarts.init(ref.current, undefined, { renderer: 'svg' });
    // The page's font by name (not `inherit`): ECharts measures its texts to lay them out and break them.
    chart.setOption({ animation: false, textStyle: { fontFamily: fitted.font }, ...fitted.option });
    chartRef.current = chart;
    return () => {
      chartRef.current = null;
      chart.dispose();
    };
  }, [fitted]);
  return <div ref={ref} className="chart" role="img" aria-label={label} style={{ width: '100%', height: fitted?.height ?? height }} />;
}
