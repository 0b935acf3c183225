import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CheckTrend } from '../../bindings';
import { qualityHistory } from '../../lib/ipc';
import { seriousViolations } from '../../test/axe';
import { QualityTrend, trendSummary } from './QualityTrend';
import { thresholdValues } from './trend';

vi.mock('../../lib/ipc', async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  qualityHistory: vi.fn(),
}));

// jsdom has no canvas: the chart itself is drawn in the real window (end-to-end test).
vi.mock('./TrendChart', () => ({
  TrendChart: ({ trend }: { trend: CheckTrend }) => <div data-testid="trend-chart" data-points={trend.points.length} />,
}));

const CHANNEL = 'order-lines:order_lines.channel:0';

function trend(points: number): CheckTrend {
  return {
    check: CHANNEL,
    threshold: 'mustBeLessThan 1',
    unit: 'percent',
    points: Array.from({ length: points }, (_, i) => ({
      at: new Date(Date.UTC(2026, 10, 1 + i)).toISOString(),
      status: i > 9 ? 'failed' : 'passed',
      value: i > 9 ? 4.1 : 0,
    })),
  };
}

beforeEach(() => vi.mocked(qualityHistory).mockReset());

describe('a check’s trend', () => {
  it('reads 30 days by default, then 7 or 90, and says in words what the chart shows', async () => {
    vi.mocked(qualityHistory).mockImplementation((_p, days) => Promise.resolve([trend(Math.min(days, 14))]));
    const user = userEvent.setup();
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <QualityTrend productId="p-lines" check={CHANNEL} />
      </QueryClientProvider>,
    );
    const figure = await screen.findByRole('img');
    expect(qualityHistory).toHaveBeenCalledWith('p-lines', 30, CHANNEL);
    expect(figure.getAttribute('aria-label')).toBe(
      `${CHANNEL}: 14 runs in the last 30 days, the latest failed at 4.1 percent; the rule says mustBeLessThan 1`,
    );
    expect((await screen.findByTestId('trend-chart')).getAttribute('data-points')).toBe('14');
    await user.click(screen.getByLabelText('7 days'));
    await waitFor(() => expect(screen.getByTestId('trend-chart').getAttribute('data-points')).toBe('7'));
    expect(qualityHistory).toHaveBeenLastCalledWith('p-lines', 7, CHANNEL);
    expect(screen.getByRole('table', { name: `Values of ${CHANNEL}` })).toBeTruthy();
    expect(await seriousViolations()).toEqual([]);
  });

  it('says when the cache holds no run in the period', async () => {
    vi.mocked(qualityHistory).mockResolvedValue([]);
    render(
      <QueryClientProvider client={new QueryClient()}>
        <QualityTrend productId="p-lines" check={CHANNEL} />
      </QueryClientProvider>,
    );
    // First the chart's room, while the history is read; then what the cache holds.
    expect(screen.getByRole('status').textContent).toContain("Reading the check's history");
    await waitFor(() => expect(screen.getByRole('status').textContent).not.toContain('Reading'));
    expect(screen.getByRole('status').textContent).toContain('No run of this check in the last 30 days');
  });
});

describe('thresholds and summaries', () => {
  it('draws a line per number of the comparison', () => {
    expect(thresholdValues('mustBeLessThan 1')).toEqual([1]);
    expect(thresholdValues('mustBeBetween [0, 5.5]')).toEqual([0, 5.5]);
    expect(thresholdValues('mustBeGreaterThanOrEqualTo -3')).toEqual([-3]);
    expect(thresholdValues(undefined)).toEqual([]);
  });

  it('names an empty trend', () => {
    expect(trendSummary({ check: 'c', points: [] }, 7)).toBe('c: no run in the last 7 days');
  });
});

describe('a chart that cannot load', () => {
  it('says so in its place and keeps the rest of the view', async () => {
    const { ErrorBoundary } = await import('../../components/ui/ErrorBoundary');
    const Broken = () => {
      throw new RangeError('Incorrect locale information provided');
    };
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    render(
      <div>
        <ErrorBoundary what="The chart">
          <Broken />
        </ErrorBoundary>
        <p>the timeline</p>
      </div>,
    );
    expect(screen.getByRole('alert').textContent).toBe(
      'The chart could not be shown: Incorrect locale information provided',
    );
    expect(screen.getByText('the timeline')).toBeTruthy();
  });
});
