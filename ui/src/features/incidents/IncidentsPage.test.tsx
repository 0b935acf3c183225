import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ActionItem, Incident } from '../../bindings';
import { IpcError, actOnIncident, dismissAction, getIncident, incidentActions, listIncidents } from '../../lib/ipc';
import { seriousViolations } from '../../test/axe';
import { IncidentPage, IncidentsPage } from './IncidentsPage';

vi.mock('../../lib/ipc', async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  qualityHistory: vi.fn(() => Promise.resolve([])),
  listIncidents: vi.fn(),
  getIncident: vi.fn(),
  incidentActions: vi.fn(),
  actOnIncident: vi.fn(),
  dismissAction: vi.fn(),
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
  vi.mocked(incidentActions).mockReset().mockResolvedValue([]);
  vi.mocked(actOnIncident).mockReset();
  vi.mocked(dismissAction).mockReset().mockResolvedValue(undefined);
});

function item(extra: Partial<ActionItem>): ActionItem {
  return {
    id: 'a-1',
    profile: 'sam',
    incidentId: 'inc-1',
    action: { action: 'acknowledge' },
    idempotencyKey: 'k-1',
    state: 'queued',
    attempts: 0,
    queuedAt: '2025-03-05T10:00:00Z',
    updatedAt: '2025-03-05T10:00:00Z',
    ...extra,
  };
}

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

  it('queues each action, shows what waits, and offers what the queue leads to', async () => {
    vi.mocked(getIncident).mockResolvedValue(incident());
    let queued: ActionItem[] = [];
    vi.mocked(incidentActions).mockImplementation(() => Promise.resolve(queued));
    vi.mocked(actOnIncident).mockImplementation((_id, action) => {
      const next = item({ id: `a-${queued.length + 1}`, action });
      queued = [...queued, next];
      return Promise.resolve(next);
    });
    const user = userEvent.setup();
    renderAt('/incidents/inc-1');
    expect(await screen.findByRole('button', { name: 'Acknowledge' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Resolve' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Acknowledge' }));
    expect(actOnIncident).toHaveBeenCalledWith('inc-1', { action: 'acknowledge' });
    const waiting = await screen.findByTestId('queued-actions');
    expect(waiting.textContent).toContain('1 action waiting for the platform');
    // The next action is taken on the state the queue leads to.
    expect(screen.queryByRole('button', { name: 'Acknowledge' })).toBeNull();
    expect(screen.getByTestId('expected-state').textContent).toContain('acknowledged');
    await user.type(screen.getByLabelText('What was found and done'), 'Kiosk added to the channels.');
    await user.click(screen.getByRole('button', { name: 'Resolve' }));
    expect(actOnIncident).toHaveBeenLastCalledWith('inc-1', { action: 'resolve', comment: 'Kiosk added to the channels.' });
    await waitFor(() => expect(screen.getByTestId('queued-actions').textContent).toContain('2 actions'));
    expect(screen.getByRole('button', { name: 'Reopen' })).toBeTruthy();
    expect(await seriousViolations()).toEqual([]);
  });

  it('keeps what was typed when an action is not queued', async () => {
    vi.mocked(getIncident).mockResolvedValue(incident());
    vi.mocked(actOnIncident).mockRejectedValue(new IpcError('invalid', '`text` is empty: write the comment'));
    const user = userEvent.setup();
    renderAt('/incidents/inc-1');
    const field = await screen.findByLabelText('Your comment');
    await user.type(field, 'Talking to the POS team.');
    await user.click(screen.getByRole('button', { name: 'Comment' }));
    expect((await screen.findByRole('alert')).textContent).toContain('The action was not queued.');
    expect(screen.getByLabelText<HTMLTextAreaElement>('Your comment').value).toBe('Talking to the POS team.');
  });

  it('shows a conflict with the state now and what was written, which can be written again', async () => {
    vi.mocked(getIncident).mockResolvedValue(incident({ state: 'acknowledged' }));
    vi.mocked(incidentActions).mockResolvedValue([
      item({
        action: { action: 'resolve', comment: 'Fixed upstream.' },
        state: 'conflict',
        currentState: 'resolved',
        message: 'incident inc-1 is resolved; the incident is already resolved',
      }),
    ]);
    const user = userEvent.setup();
    renderAt('/incidents/inc-1');
    const conflict = await screen.findByTestId('action-conflict');
    expect(conflict.textContent).toContain('Your resolve met a change: the incident is resolved now.');
    expect(within(conflict).getByTestId('action-typed').textContent).toBe('Fixed upstream.');
    await user.click(within(conflict).getByRole('button', { name: 'Write it again' }));
    expect(screen.getByLabelText<HTMLTextAreaElement>('What was found and done').value).toBe('Fixed upstream.');
    expect(dismissAction).toHaveBeenCalledWith('a-1');
  });

  it('puts what was written back into the comment when the incident no longer takes the action', async () => {
    vi.mocked(getIncident).mockResolvedValue(incident({ state: 'reopened' }));
    vi.mocked(incidentActions).mockResolvedValue([
      item({ action: { action: 'reopen', comment: 'Kiosk rows came back.' }, state: 'conflict', currentState: 'reopened' }),
    ]);
    const user = userEvent.setup();
    renderAt('/incidents/inc-1');
    await user.click(await screen.findByRole('button', { name: 'Write it again' }));
    expect(screen.queryByLabelText('Why it is not over')).toBeNull();
    expect(screen.getByLabelText<HTMLTextAreaElement>('Your comment').value).toBe('Kiosk rows came back.');
  });
});
