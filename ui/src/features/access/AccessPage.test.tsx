import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AccessAsk, AccessRequest } from '../../bindings';
import { IpcError, decideAccess, dismissAccessAsk, listAccess } from '../../lib/ipc';
import { seriousViolations } from '../../test/axe';
import { AccessPage } from './AccessPage';

vi.mock('../../lib/ipc', async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  listAccess: vi.fn(),
  decideAccess: vi.fn(),
  dismissAccessAsk: vi.fn(),
}));

function request(extra: Partial<AccessRequest>): AccessRequest {
  return {
    id: 'ar-1',
    productId: 'p-lines',
    productName: 'Order Lines',
    domain: 'orders',
    outputPort: 'order-lines',
    consumer: 'cora',
    purpose: 'Weekly demand forecast',
    state: 'requested',
    requestedAt: '2025-03-01T09:00:00Z',
    updatedAt: '2025-03-01T09:00:00Z',
    ...extra,
  };
}

function renderPage() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter>
        <AccessPage />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  vi.mocked(listAccess).mockReset();
  vi.mocked(decideAccess).mockReset();
  vi.mocked(dismissAccessAsk).mockReset();
});

describe('access', () => {
  it('gives an owner the queue to decide, with a reason, and the grants to revoke', async () => {
    vi.mocked(listAccess).mockResolvedValue({
      user: 'owen',
      ownedDomains: ['customer', 'orders'],
      requests: [
        request({}),
        request({ id: 'ar-2', consumer: 'mia', state: 'active' }),
        request({ id: 'ar-3', consumer: 'fin', domain: 'finance', productName: 'Ledger' }),
        request({ id: 'ar-4', consumer: 'owen', domain: 'marketing', productName: 'Campaigns', state: 'requested' }),
      ],
      asked: [],
    });
    vi.mocked(decideAccess)
      .mockRejectedValueOnce(new IpcError('conflict', 'request ar-1 is rejected; the request changed meanwhile'))
      .mockResolvedValueOnce(request({ state: 'approved', decidedBy: 'owen' }));
    const user = userEvent.setup();
    renderPage();
    const queue = await screen.findByRole('list', { name: 'Requests to decide' });
    expect(within(queue).getAllByRole('listitem')).toHaveLength(1);
    expect(screen.queryByText('Ledger')).toBeNull();
    const grants = screen.getByRole('list', { name: 'Grants on my domains' });
    expect(within(grants).getByRole('button', { name: 'Revoke mia on Order Lines order-lines' })).toBeTruthy();
    const mine = screen.getByRole('table', { name: 'My requests' });
    expect(within(mine).getByText('Campaigns')).toBeTruthy();
    expect(await seriousViolations()).toEqual([]);

    await user.type(within(queue).getByLabelText('Reason'), 'For the forecast, until March.');
    await user.click(within(queue).getByRole('button', { name: 'Approve cora on Order Lines order-lines' }));
    expect(decideAccess).toHaveBeenCalledWith('ar-1', 'approve', 'For the forecast, until March.');
    expect((await within(queue).findByRole('alert')).textContent).toContain('changed meanwhile');
    expect(within(queue).getByLabelText<HTMLInputElement>('Reason').value).toBe('For the forecast, until March.');
    await user.click(within(queue).getByRole('button', { name: 'Approve cora on Order Lines order-lines' }));
    expect((await screen.findByTestId('access-decided')).textContent).toContain('Approved cora’s access to Order Lines order-lines.');
  });

  it('shows a consumer their requests and no queue', async () => {
    vi.mocked(listAccess).mockResolvedValue({
      user: 'cora',
      ownedDomains: [],
      requests: [request({ state: 'rejected', decidedBy: 'owen', reason: 'Ask again with an end date.' })],
      asked: [],
    });
    renderPage();
    const mine = await screen.findByRole('table', { name: 'My requests' });
    expect(within(mine).getByText('owen: Ask again with an end date.')).toBeTruthy();
    expect(screen.queryByRole('heading', { name: /To decide/ })).toBeNull();
  });

  it('lists the requests the platform has not taken: queued ones wait, a refused one is dismissed', async () => {
    const ask = (extra: Partial<AccessAsk>): AccessAsk => ({
      id: 'q-1',
      profile: 'cora',
      productId: 'p-lines',
      productName: 'Order Lines',
      outputPort: 'order-lines',
      purpose: 'Weekly demand forecast',
      idempotencyKey: 'k-1',
      state: 'queued',
      attempts: 1,
      queuedAt: '2025-03-01T09:00:00Z',
      updatedAt: '2025-03-01T09:00:00Z',
      ...extra,
    });
    vi.mocked(listAccess)
      .mockResolvedValueOnce({
        user: 'cora',
        ownedDomains: [],
        requests: [],
        asked: [
          ask({}),
          ask({ id: 'q-2', outputPort: 'gone', state: 'refused', message: '`outputPort` is `gone`, which is not an output port' }),
        ],
      })
      .mockResolvedValue({ user: 'cora', ownedDomains: [], requests: [], asked: [ask({})] });
    vi.mocked(dismissAccessAsk).mockResolvedValue(undefined);
    const user = userEvent.setup();
    renderPage();
    const asked = await screen.findByRole('region', { name: 'Requests not taken by the platform' });
    expect(asked.textContent).toContain('1 request waits for the platform');
    const rows = within(asked).getAllByTestId('access-ask');
    expect(rows.map((r) => r.dataset.state)).toEqual(['queued', 'refused']);
    expect(rows[1]!.textContent).toContain('which is not an output port');
    expect(within(rows[0]!).queryByRole('button')).toBeNull();
    expect(screen.queryByText('You have asked for no access')).toBeNull();
    expect(await seriousViolations()).toEqual([]);
    await user.click(within(asked).getByRole('button', { name: 'Dismiss the refused request for Order Lines gone' }));
    expect(dismissAccessAsk).toHaveBeenCalledWith('q-2');
    await waitFor(() => expect(within(asked).getAllByTestId('access-ask')).toHaveLength(1));
  });
});
