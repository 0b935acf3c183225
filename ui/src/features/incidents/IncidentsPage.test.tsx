import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Incident } from '../../bindings';
import { getIncident, listIncidents } from '../../lib/ipc';
import { seriousViolations } from '../../test/axe';
import { IncidentPage, IncidentsPage } from './IncidentsPage';

vi.mock('../../lib/ipc', async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  listIncidents: vi.fn(),
  getIncident: vi.fn(),
}));

function incident(extra: Partial<Incident> = {}): Incident {
  return {
    id: 'inc-1',
    productId: 'p-lines',
    productName: 'Order Lines',
    domain: 'orders',
    check: 'order-lines:order_lines.channel:invalidValues',
    port: 'order-lines',
    state: 'open',
    severity: 'error',
    title: 'invalidValues of order_lines.channel is 1702; mustBe 0',
    failures: 5,
    openedAt: '2025-03-01T09:00:00Z',
    updatedAt: '2025-03-05T09:00:00Z',
    events: [
      { at: '2025-03-01T09:00:00Z', actor: 'platform', action: 'opened', to: 'open' },
      { at: '2025-03-02T09:00:00Z', actor: 'platform', action: 'failed-again' },
      { at: '2025-03-03T09:00:00Z', actor: 'sam', action: 'commented', comment: 'Kiosk channel, talking to the POS team.' },
    ],
    ...extra,
  };
}

function renderAt(url: string) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[url]}>
        <Routes>
          <Route path="/incidents" element={<IncidentsPage />} />
          <Route path="/incidents/:incidentId" element={<IncidentPage />} />
          <Route path="/products/:productId" element={<p>product page</p>} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  vi.mocked(listIncidents).mockReset();
  vi.mocked(getIncident).mockReset();
});

describe('the incidents', () => {
  it('lists the unresolved ones first and filters by state, domain and assignee', async () => {
    vi.mocked(listIncidents).mockImplementation((filter) =>
      Promise.resolve({
        incidents: filter.state === 'resolved' ? [] : [incident()],
        domains: ['marketing', 'orders'],
        assignees: ['sam'],
      }),
    );
    const user = userEvent.setup();
    renderAt('/incidents');
    const list = await screen.findByRole('list', { name: 'Incidents' });
    expect(within(list).getByRole('link', { name: /invalidValues of order_lines.channel/ })).toBeTruthy();
    expect(listIncidents).toHaveBeenLastCalledWith({ state: 'active' });

    await user.selectOptions(screen.getByLabelText('Domain'), 'orders');
    await waitFor(() => expect(listIncidents).toHaveBeenLastCalledWith({ state: 'active', domain: 'orders' }));
    await user.selectOptions(screen.getByLabelText('Assignee'), 'Nobody');
    await waitFor(() =>
      expect(listIncidents).toHaveBeenLastCalledWith({ state: 'active', domain: 'orders', assignee: '-' }),
    );
    await user.selectOptions(screen.getByLabelText('State'), 'Any state');
    await waitFor(() => expect(listIncidents).toHaveBeenLastCalledWith({ domain: 'orders', assignee: '-' }));
    expect(await seriousViolations()).toEqual([]);
    await user.selectOptions(screen.getByLabelText('State'), 'Resolved');
    expect(await screen.findByText('No incident matches.')).toBeTruthy();
  });

  it('shows one incident with its timeline and its product', async () => {
    vi.mocked(getIncident).mockResolvedValue(incident({ state: 'assigned', assignee: 'sam' }));
    const user = userEvent.setup();
    renderAt('/incidents/inc-1');
    expect(await screen.findByRole('heading', { name: /invalidValues of order_lines.channel/ })).toBeTruthy();
    expect(screen.getByTestId('incident-state').textContent).toBe('assigned');
    const timeline = screen.getByRole('list', { name: 'Timeline' });
    const entries = within(timeline).getAllByRole('listitem');
    expect(entries.map((e) => e.getAttribute('data-action'))).toEqual(['opened', 'failed-again', 'commented']);
    expect(within(entries[2]!).getByText('Kiosk channel, talking to the POS team.')).toBeTruthy();
    expect(getIncident).toHaveBeenCalledWith('inc-1');
    expect(await seriousViolations()).toEqual([]);
    await user.click(screen.getByRole('link', { name: 'Order Lines' }));
    expect(await screen.findByText('product page')).toBeTruthy();
  });

  it('says so when the cache does not hold the incident', async () => {
    vi.mocked(getIncident).mockResolvedValue(null);
    renderAt('/incidents/gone');
    expect(await screen.findByText(/does not hold this incident/)).toBeTruthy();
  });
});
