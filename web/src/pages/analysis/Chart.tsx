/** A chart of the analysis pages. ECharts (about 0,5 MB of script even through `echarts/core`) is loaded only when a
 * chart is shown, as its own chunk: the page's tables and texts do not wait for it (issue 24). The option is built
 * by the caller from the analysis the server computed; nothing is recomputed here. */
import { lazy, Suspense } from 'react';
import type { ChartOption } from './ChartCanvas.tsx';

export type { ChartOption };

const ChartCanvas = lazy(() => import('./ChartCanvas.tsx'));

export function Chart(props: { option: ChartOption; height?: number; label: string }) {
  const height = props.height ?? 320;
  return (
    <Suspense fallback={<div className="chart muted small" role="img" aria-label={props.label} aria-busy="true" style={{ width: '100%', height }}>Загрузка графика…</div>}>
      <ChartCanvas {...props} />
    </Suspense>
  );
}
