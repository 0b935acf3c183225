import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { ComponentProps } from 'react';
import type { TrendChart } from './TrendChart';
import type { CheckTrend } from '../../bindings';
import { useTheme } from '../../app/theme';
import { ErrorBanner } from '../../components/ui/ErrorBanner';
import { ErrorBoundary } from '../../components/ui/ErrorBoundary';
import { plural, shortTime } from '../../lib/format';
import { qualityHistory, toIpcError } from '../../lib/ipc';
import { onDemand } from '../../lib/onDemand';

// uPlot loads with the first chart (or a page opening on its Quality tab), not with the catalog.
const trendChart = onDemand(() => import('./TrendChart'));

/**
 * Starts loading the chart's code (uPlot), once: a page that opens on its Quality tab calls it with
 * its first render, so that the code loads while the product and its history are read, not after.
 */
export const preloadTrendChart = trendChart.preload;

function Chart(props: ComponentProps<typeof TrendChart>) {
  const chart = trendChart.useLoaded();
  return chart ? <chart.TrendChart {...props} /> : <p className="muted">Drawing the chart…</p>;
}

export const PERIODS = [7, 30, 90] as const;
export type Period = (typeof PERIODS)[number];

/** What the chart shows, in words: for the canvas's accessible name. */
export function trendSummary(trend: CheckTrend, days: number): string {
  const last = trend.points.at(-1);
  const unit = trend.unit === 'percent' ? ' percent' : '';
  if (!last) return `${trend.check}: no run in the last ${days} days`;
  return (
    `${trend.check}: ${plural(trend.points.length, 'run')} in the last ${days} days, the latest ${last.status}` +
    (last.value !== undefined ? ` at ${last.value}${unit}` : '') +
    (trend.threshold ? `; the rule says ${trend.threshold}` : '')
  );
}

/**
 * A check's trend over 7, 30 or 90 days from the offline cache: its measured values and its
 * threshold as a chart, and the same values as a table for who does not see the chart.
 */
export function QualityTrend({
  productId,
  check,
  initialDays = 30,
  onHistory,
  onDrawn,
}: {
  productId: string;
  check: string;
  initialDays?: Period;
  /** Called when the history is read (each period and check). */
  onHistory?: (stage: 'history') => void;
  /** Called after each draw of the chart, with the number of points drawn and the draw's time. */
  onDrawn?: (points: number, drawMs: number) => void;
}) {
  const [days, setDays] = useState<Period>(initialDays);
  const [theme] = useTheme();
  const name = useId();
  const history = useQuery({
    queryKey: ['quality-history', productId, check, days],
    queryFn: async () => {
      const read = await qualityHistory(productId, days, check);
      onHistory?.('history');
      return read;
    },
  });
  const trend = history.data?.[0];
  return (
    <section className="quality-trend" aria-label={`Trend of ${check}`} data-testid="quality-trend">
      <fieldset className="period">
        <legend>Period</legend>
        {PERIODS.map((p) => (
          <span key={p} className="choice">
            <input
              type="radio"
              id={`${name}-${p}`}
              name={name}
              checked={days === p}
              onChange={() => setDays(p)}
            />
            <label htmlFor={`${name}-${p}`}>{p} days</label>
          </span>
        ))}
      </fieldset>
      {history.isError ? (
        <ErrorBanner title="The check's history could not be read." error={toIpcError(history.error)} />
      ) : null}
      {history.isPending ? (
        // The chart's room, kept while the history is read: the page below it does not move when it comes.
        <div className="trend trend-pending">
          <p className="muted" role="status">
            Reading the check&apos;s history…
          </p>
        </div>
      ) : null}
      {history.isSuccess && !trend ? (
        <p className="muted" role="status">
          No run of this check in the last {days} days in the offline catalog.
        </p>
      ) : null}
      {trend ? (
        <>
          <figure className="trend" role="img" aria-label={trendSummary(trend, days)}>
            <ErrorBoundary what="The chart">
              <Chart trend={trend} theme={theme} onDrawn={onDrawn} />
            </ErrorBoundary>
          </figure>
          <details className="trend-values">
            <summary>The values</summary>
            <table className="table" aria-label={`Values of ${check}`}>
              <thead>
                <tr>
                  <th scope="col">Run</th>
                  <th scope="col">Status</th>
                  <th scope="col">Value</th>
                </tr>
              </thead>
              <tbody>
                {trend.points.map((p) => (
                  <tr key={p.at}>
                    <th scope="row">{shortTime(p.at)}</th>
                    <td>{p.status}</td>
                    <td>{p.value ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      ) : null}
    </section>
  );
}
