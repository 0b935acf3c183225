import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import type { QualityHome } from '../../bindings';
import { qualityHome } from '../../lib/ipc';
import { seriousViolations } from '../../test/axe';
import { QualityPage } from './QualityPage';

vi.mock('../../lib/ipc', async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  qualityHome: vi.fn(),
  reportViewPainted: vi.fn(),
}));

const HOME: QualityHome = {
  user: 'sam',
  domains: ['*'],
  stewarded: true,
  products: { total: 9, healthy: 2, failing: 1, unmeasured: 6 },
  failingProducts: [
    { id: 'p-lines', name: 'Order Lines', domain: 'orders', failed: 1, passed: 17, lastRunAt: '2026-12-03T10:00:00Z', openIncidents: 1 },
  ],
  failingChecks: [
    { productId: 'p-lines', productName: 'Order Lines', domain: 'orders', check: 'order-lines:order_lines.channel:0', value: 4.1, at: '2026-12-03T10:00:00Z' },
  ],
  failingChecksTotal: 1,
  slos: { met: 4, atRisk: 1, breached: 1, unknown: 0 },
  openIncidents: [
    {
      id: 'inc-1',
      productId: 'p-lines',
      productName: 'Order Lines',
      domain: 'orders',
      check: 'order-lines:order_lines.channel:0',
      port: 'order-lines',
      state: 'open',
      severity: 'error',
      title: 'invalidValues of order_lines.channel is 4.1 percent',
      failures: 4,
      openedAt: '2026-12-01T10:00:00Z',
      updatedAt: '2026-12-03T10:00:00Z',
      events: [],
    },
  ],
  openIncidentsTotal: 1,
};

describe('the stewards’ home', () => {
  it('shows products by health, failing checks, SLOs and open incidents, each a link', async () => {
    vi.mocked(qualityHome).mockResolvedValue(HOME);
    render(
      <QueryClientProvider client={new QueryClient()}>
        <MemoryRouter>
          <QualityPage />
        </MemoryRouter>
      </QueryClientProvider>,
    );
    const glance = await screen.findByRole('list', { name: 'At a glance' });
    expect(within(glance).getByTestId('tile-health').textContent).toBe(
      '67%of 3 measured products healthy: 1 failing, 6 never measured of 9',
    );
    expect(within(glance).getByTestId('tile-slos').textContent).toContain('67%of 6 SLOs met: 1 at risk, 1 breached');
    expect(screen.getByTestId('quality-scope').textContent).toBe('Every domain (you steward them all)');
    const checks = screen.getByRole('table', { name: 'Checks failing now' });
    expect(within(checks).getByRole('link', { name: 'Order Lines' }).getAttribute('href')).toBe('/products/p-lines');
    expect(within(screen.getByRole('list', { name: 'Open incidents' })).getAllByRole('listitem')).toHaveLength(1);
    expect(await seriousViolations()).toEqual([]);
  });
});
