import { useEffect, useRef } from 'react';
import './localeGuard';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { CheckTrend } from '../../bindings';
import { thresholdValues } from './trend';

function cssVar(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

/**
 * A check's measured values over time as a line (uPlot, on a canvas: no eval, nothing inline the CSP
 * refuses), with its threshold as dashed lines; drawn again when the data, the width or the theme
 * changes. How long a draw takes is a performance measure (`trend-chart`), read by the end-to-end test.
 */
export function TrendChart({
  trend,
  theme,
  width = 640,
  height = 220,
  onDrawn,
}: {
  trend: CheckTrend;
  theme: string;
  width?: number;
  height?: number;
  onDrawn?: (points: number, drawMs: number) => void;
}) {
  const host = useRef<HTMLDivElement>(null);
  // The latest callback, without drawing again when only it changes.
  const drawn = useRef(onDrawn);
  useEffect(() => {
    drawn.current = onDrawn;
  }, [onDrawn]);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const start = performance.now();
    const xs = trend.points.map((p) => Date.parse(p.at) / 1000);
    const ys = trend.points.map((p) => p.value ?? null);
    const lines = thresholdValues(trend.threshold);
    const text = cssVar('--text-muted', '#5b6675');
    const grid = cssVar('--border', '#dfe3e8');
    const series: uPlot.Series[] = [
      {},
      {
        label: trend.unit === 'percent' ? 'Value (%)' : 'Value',
        stroke: cssVar('--accent', '#2f5bd3'),
        width: 2,
        points: { show: true, size: 5 },
        spanGaps: false,
      },
      ...lines.map((_, i) => ({
        label: lines.length > 1 ? `Threshold ${i + 1}` : 'Threshold',
        stroke: cssVar('--danger', '#b42318'),
        width: 1.5,
        dash: [6, 4],
        points: { show: false },
      })),
    ];
    const data: uPlot.AlignedData = [xs, ys, ...lines.map((v) => xs.map(() => v))];
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const chart = new uPlot(
      {
        width,
        height,
        series,
        axes: [axis, { ...axis, size: 60 }],
        scales: { x: { time: true } },
        legend: { show: true },
        cursor: { drag: { x: false, y: false } },
      },
      data,
      el,
    );
    const end = performance.now();
    performance.measure('trend-chart', { start, end });
    drawn.current?.(trend.points.length, end - start);
    return () => chart.destroy();
  }, [trend, theme, width, height]);
  return <div ref={host} className="trend-chart" data-testid="trend-chart" data-points={trend.points.length} />;
}
