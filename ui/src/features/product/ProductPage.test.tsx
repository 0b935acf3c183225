import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { LineageView, ProductView } from '../../bindings';
import {
  IpcError,
  listAccess,
  portRows,
  productLineage,
  productView,
  publishedYaml,
  qualityHistory,
  requestAccess,
  unprovisionProduct,
} from '../../lib/ipc';
import { seriousViolations } from '../../test/axe';
import { PRODUCT_TABS, ProductPage } from './ProductPage';

vi.mock('../../lib/ipc', async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  qualityHistory: vi.fn(() => Promise.resolve([])),
  productView: vi.fn(),
  productLineage: vi.fn(),
  publishedYaml: vi.fn(),
  unprovisionProduct: vi.fn(),
  requestAccess: vi.fn(),
  listAccess: vi.fn(),
  portRows: vi.fn(),
}));

function view(extra: Partial<ProductView> = {}): ProductView {
  return {
    product: {
      apiVersion: 'v1.0.0',
      kind: 'DataProduct',
      id: 'p-orders',
      name: 'Orders',
      version: '1.2.0',
      status: 'active',
      domain: 'orders',
      tags: ['sales', 'core'],
      description: { purpose: 'Every order line, as sold.', usage: 'Revenue reporting.' },
      team: { members: [{ username: 'owen', name: 'Owen Ortiz', role: 'owner' }, { username: 'sam', role: 'steward' }] },
      outputPorts: [{ name: 'order-lines', version: '1.0.0', type: 'tables', contractId: 'c-lines' }],
    },
    contracts: [
      {
        apiVersion: 'v3.1.0',
        kind: 'DataContract',
        id: 'c-lines',
        version: '1.0.0',
        status: 'active',
        schema: [
          {
            name: 'order_lines',
            properties: [
              { name: 'order_id', logicalType: 'string', primaryKey: true, required: true },
              { name: 'email', logicalType: 'string', classification: 'restricted', description: 'Buyer e-mail' },
            ],
          },
        ],
      },
    ],
    quality: {
      productId: 'p-orders',
      lastRunAt: '2025-03-01T10:00:00Z',
      passed: 1,
      failed: 1,
      warnings: 0,
      errors: 0,
      checks: ['order-lines:order_lines:rowCount', 'order-lines:order_lines.channel:nullValues'],
      latest: [
        { at: '2025-03-01T10:00:00Z', status: 'passed', value: 5000 },
        { at: '2025-03-01T10:00:00Z', status: 'failed', value: 12 },
      ],
      slos: [
        {
          slo: 'completeness',
          port: 'order-lines',
          property: 'completeness',
          element: 'order_lines.channel',
          status: 'breached',
          target: 99,
          measured: 97.5,
          unit: '%',
          detail: '97.5% of channel is set',
        },
      ],
    },
    incidents: [
      {
        id: 'inc-1',
        productId: 'p-orders',
        productName: 'Orders',
        domain: 'orders',
        check: 'order-lines:order_lines.channel:nullValues',
        port: 'order-lines',
        state: 'open',
        severity: 'error',
        title: 'nullValues of order_lines.channel is 12; mustBe 0',
        failures: 2,
        openedAt: '2025-03-01T09:00:00Z',
        updatedAt: '2025-03-01T10:00:00Z',
        events: [],
      },
    ],
    accessRequests: [
      {
        id: 'ar-1',
        productId: 'p-orders',
        productName: 'Orders',
        domain: 'orders',
        outputPort: 'order-lines',
        consumer: 'cora',
        purpose: 'Attribution',
        state: 'active',
        requestedAt: '2025-02-01T09:00:00Z',
        updatedAt: '2025-02-02T09:00:00Z',
      },
      {
        id: 'ar-2',
        productId: 'p-orders',
        productName: 'Orders',
        domain: 'orders',
        outputPort: 'order-lines',
        consumer: 'dana',
        purpose: 'Forecasts',
        state: 'requested',
        requestedAt: '2025-02-03T09:00:00Z',
        updatedAt: '2025-02-03T09:00:00Z',
      },
    ],
    upstream: [],
    downstream: [
      {
        id: 'p-attr',
        name: 'Campaign Attribution',
        domain: 'marketing',
        status: 'active',
        version: '1.0.0',
        contractId: 'c-lines',
        openIncidents: 0,
      },
    ],
    user: 'owen',
    owner: true,
    syncedAt: '2025-03-01T10:05:00Z',
    ...extra,
  };
}

function renderPage(id = 'p-orders', search = '') {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[`/products/${id}${search}`]}>
        <Routes>
          <Route
            path="/products/:productId"
            element={
              <>
                <ProductPage />
                <Where />
              </>
            }
          />
          <Route path="/jobs/:jobId" element={<p>job page</p>} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

/** The address the router is at, for the tests to read. */
function Where() {
  const location = useLocation();
  return <output aria-label="Address">{location.pathname + location.search}</output>;
}

const LINEAGE: LineageView = {
  nodes: [
    { id: 'p-lines', name: 'Order Lines', domain: 'orders', status: 'active', version: '1.0.0', openIncidents: 0, depth: -1 },
    { id: 'p-orders', name: 'Orders', domain: 'orders', status: 'active', version: '1.2.0', openIncidents: 1, depth: 0 },
    { id: 'p-attr', name: 'Campaign Attribution', domain: 'marketing', status: 'active', version: '1.0.0', openIncidents: 0, depth: 1 },
    { id: 'p-rev', name: 'Daily Revenue', domain: 'finance', status: 'active', version: '1.0.0', openIncidents: 2, depth: 2 },
  ],
  edges: [
    { from: 'p-lines', to: 'p-orders', contractId: 'c-0' },
    { from: 'p-orders', to: 'p-attr', contractId: 'c-lines' },
    { from: 'p-attr', to: 'p-rev', contractId: 'c-attr' },
    { from: 'p-orders', to: 'p-rev', contractId: 'c-lines' },
  ],
  truncated: true,
};

beforeEach(() => {
  vi.mocked(productLineage).mockReset();
  vi.mocked(productLineage).mockResolvedValue(LINEAGE);
  vi.mocked(productView).mockReset();
  vi.mocked(publishedYaml).mockReset();
  vi.mocked(unprovisionProduct).mockReset();
  vi.mocked(requestAccess).mockReset();
  vi.mocked(listAccess).mockReset();
  vi.mocked(listAccess).mockResolvedValue({ user: 'cora', ownedDomains: [], requests: [], asked: [] });
  vi.mocked(portRows).mockReset();
});

describe('the product page', () => {
  it('shows the overview, then each tab by its name, from the offline catalog', async () => {
    vi.mocked(productView).mockResolvedValue(view());
    const user = userEvent.setup();
    renderPage();
    expect(await screen.findByRole('heading', { name: 'Orders' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Edit as a new version' }).getAttribute('href')).toBe('/products/p-orders/edit');
    const tabs = screen.getAllByRole('tab');
    expect(tabs).toHaveLength(7);
    ['Overview', 'Ports & contracts', 'Quality', 'SLOs', 'Incidents', 'Lineage', 'Access'].forEach((name, i) =>
      expect(screen.getByRole('tab', { name })).toBe(tabs[i]),
    );
    expect(screen.getByRole('tab', { name: 'Incidents' }).textContent).toBe('Incidents1');
    const panel = screen.getByRole('tabpanel');
    expect(within(panel).getByText('Owen Ortiz')).toBeTruthy();
    expect(within(panel).getByText('Every order line, as sold.')).toBeTruthy();

    await user.click(screen.getByRole('tab', { name: 'Ports & contracts' }));
    const columns = screen.getByRole('table', { name: 'Columns of order_lines' });
    const email = within(columns).getByRole('row', { name: /email/ });
    expect(within(email).getByText('restricted')).toBeTruthy();
    expect(within(columns).getByRole('row', { name: /order_id/ }).textContent).toContain('primary key, required');

    await user.click(screen.getByRole('tab', { name: 'Quality' }));
    const failing = screen.getByRole('row', { name: /channel:nullValues/ });
    expect(failing.getAttribute('data-status')).toBe('failed');

    await user.click(screen.getByRole('tab', { name: 'SLOs' }));
    expect(screen.getByRole('row', { name: /completeness/ }).textContent).toContain('97.5 %');

    await user.click(screen.getByRole('tab', { name: 'Incidents' }));
    expect(screen.getByRole('link', { name: 'nullValues of order_lines.channel is 12; mustBe 0' }).getAttribute('href')).toBe(
      '/incidents/inc-1',
    );

    await user.click(screen.getByRole('tab', { name: 'Lineage' }));
    expect(screen.getByRole('link', { name: 'Campaign Attribution' }).getAttribute('href')).toBe('/products/p-attr');
    expect(within(screen.getByRole('region', { name: 'Upstream' })).getByText(/reads no other product/)).toBeTruthy();

    await user.click(screen.getByRole('tab', { name: 'Access' }));
    const rows = within(screen.getByRole('table', { name: 'Access requests and grants' })).getAllByRole('row');
    expect(rows).toHaveLength(3);
  });

  it('keeps the tab in its address, and opens on the tab and period an address names', async () => {
    vi.mocked(productView).mockResolvedValue(view());
    vi.mocked(qualityHistory).mockClear();
    const user = userEvent.setup();
    const { unmount } = renderPage();
    await user.click(await screen.findByRole('tab', { name: 'SLOs' }));
    expect(screen.getByRole('status', { name: 'Address' }).textContent).toBe('/products/p-orders?tab=slos');
    await user.click(screen.getByRole('tab', { name: 'Overview' }));
    expect(screen.getByRole('status', { name: 'Address' }).textContent).toBe('/products/p-orders');
    unmount();

    renderPage('p-orders', '?tab=quality&days=90');
    expect((await screen.findByRole('tab', { name: 'Quality' })).getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole<HTMLInputElement>('radio', { name: '90 days' }).checked).toBe(true);
    await waitFor(() => expect(qualityHistory).toHaveBeenCalledWith('p-orders', 90, 'order-lines:order_lines.channel:nullValues'));
  });

  it('has no serious or critical accessibility violation on any tab (axe-core)', async () => {
    vi.mocked(productView).mockResolvedValue(view());
    const user = userEvent.setup();
    renderPage();
    await screen.findByRole('heading', { name: 'Orders' });
    for (const tab of PRODUCT_TABS) {
      await user.click(screen.getByRole('tab', { name: tab }));
      expect(await seriousViolations(), tab).toEqual([]);
    }
  });

  it('moves between tabs with the arrow keys, one tab stop', async () => {
    vi.mocked(productView).mockResolvedValue(view());
    const user = userEvent.setup();
    renderPage();
    const overview = await screen.findByRole('tab', { name: 'Overview' });
    expect(screen.getAllByRole('tab').filter((t) => t.tabIndex === 0)).toEqual([overview]);
    overview.focus();
    await user.keyboard('{ArrowRight}');
    const ports = screen.getByRole('tab', { name: 'Ports & contracts' });
    expect(document.activeElement).toBe(ports);
    expect(ports.getAttribute('aria-selected')).toBe('true');
    await user.keyboard('{End}');
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Access' }));
    await user.keyboard('{ArrowRight}');
    expect(document.activeElement).toBe(overview);
  });

  it('shows a consumer only their own requests, and no owner actions', async () => {
    vi.mocked(productView).mockResolvedValue(view({ user: 'cora', owner: false }));
    const user = userEvent.setup();
    renderPage();
    await screen.findByRole('heading', { name: 'Orders' });
    expect(screen.queryByRole('button', { name: 'Unprovision Orders' })).toBeNull();
    expect(screen.queryByRole('link', { name: 'Edit as a new version' })).toBeNull();
    await user.click(screen.getByRole('tab', { name: 'Access' }));
    const table = screen.getByRole('table', { name: 'My access requests' });
    expect(within(table).getAllByRole('row')).toHaveLength(2);
    expect(within(table).queryByText('dana')).toBeNull();
  });

  it('asks for access on a port with a required purpose and an optional end', async () => {
    vi.mocked(productView).mockResolvedValue(view({ user: 'cora', owner: false, accessRequests: [] }));
    vi.mocked(requestAccess).mockResolvedValue({
      outcome: 'sent',
      request: {
        id: 'ar-9',
        productId: 'p-orders',
        productName: 'Orders',
        domain: 'orders',
        outputPort: 'order-lines',
        consumer: 'cora',
        purpose: 'Forecast',
        state: 'requested',
        requestedAt: '2025-03-01T09:00:00Z',
        updatedAt: '2025-03-01T09:00:00Z',
      },
    });
    const user = userEvent.setup();
    renderPage();
    await user.click(await screen.findByRole('tab', { name: 'Access' }));
    const port = screen.getByRole('region', { name: 'Port order-lines' });
    expect(within(port).getByText('Revenue reporting.')).toBeTruthy();
    await user.click(within(port).getByRole('button', { name: 'Request access' }));
    expect(requestAccess).not.toHaveBeenCalled();
    expect(within(port).getByLabelText('Purpose').getAttribute('aria-invalid')).toBe('true');
    expect(within(port).getByText(/Say what the data will be used for/)).toBeTruthy();
    await user.type(within(port).getByLabelText('Purpose'), 'Weekly demand forecast');
    await user.type(within(port).getByLabelText('Until (optional)'), '2027-03-31');
    await user.click(within(port).getByRole('button', { name: 'Request access' }));
    expect(requestAccess).toHaveBeenCalledWith('p-orders', 'order-lines', 'Weekly demand forecast', '2027-03-31');
    expect((await within(port).findByTestId('access-requested')).textContent).toContain('owners of orders');
    expect(await seriousViolations()).toEqual([]);
  });

  it('queues a request for access while the platform is out of reach, and says so on the port', async () => {
    vi.mocked(productView).mockResolvedValue(view({ user: 'cora', owner: false, accessRequests: [] }));
    const ask = {
      id: 'q-1',
      profile: 'cora',
      productId: 'p-orders',
      productName: 'Orders',
      outputPort: 'order-lines',
      purpose: 'Weekly demand forecast',
      idempotencyKey: 'k-1',
      state: 'queued' as const,
      attempts: 1,
      queuedAt: '2025-03-01T09:00:00Z',
      updatedAt: '2025-03-01T09:00:00Z',
      message: 'the platform at http://127.0.0.1:9 cannot be reached',
    };
    vi.mocked(requestAccess).mockImplementation(() => {
      vi.mocked(listAccess).mockResolvedValue({ user: 'cora', ownedDomains: [], requests: [], asked: [ask] });
      return Promise.resolve({ outcome: 'queued', ask });
    });
    const user = userEvent.setup();
    renderPage();
    await user.click(await screen.findByRole('tab', { name: 'Access' }));
    const port = screen.getByRole('region', { name: 'Port order-lines' });
    await user.type(within(port).getByLabelText('Purpose'), 'Weekly demand forecast');
    await user.click(within(port).getByRole('button', { name: 'Request access' }));
    const queued = await within(port).findByTestId('access-queued');
    expect(queued.textContent).toContain('goes to the owners of orders when the platform answers');
    expect(queued.textContent).toContain('1 try so far');
    // Read again (the outbox holds it), the port still says so, and offers no second request.
    await waitFor(() => expect(listAccess).toHaveBeenCalledTimes(2));
    expect(within(port).getByTestId('access-queued')).toBeTruthy();
    expect(within(port).queryByRole('button', { name: 'Request access' })).toBeNull();
    expect(await seriousViolations()).toEqual([]);
  });

  it('previews a granted port’s rows with a column filter, and shows a refusal', async () => {
    vi.mocked(productView).mockResolvedValue(view({ user: 'cora', owner: false }));
    vi.mocked(portRows)
      .mockResolvedValueOnce({ table: 'order_lines', columns: ['order_id', 'email'], rows: [['o-1', null]], nextCursor: 'c' })
      .mockRejectedValueOnce(new IpcError('forbidden', '`cora` holds no active grant on order-lines'));
    const user = userEvent.setup();
    renderPage();
    await user.click(await screen.findByRole('tab', { name: 'Access' }));
    const port = screen.getByRole('region', { name: 'Port order-lines' });
    expect(within(port).getByTestId('my-grant').textContent).toContain('You hold access to order-lines');
    expect(within(port).queryByRole('button', { name: 'Request access' })).toBeNull();
    await user.selectOptions(within(port).getByLabelText('Column'), 'order_id');
    await user.type(within(port).getByLabelText('Equals'), 'o-1');
    await user.click(within(port).getByRole('button', { name: 'Preview rows' }));
    expect(portRows).toHaveBeenCalledWith('p-orders', 'order-lines', 'order_lines', [['order_id', 'o-1']]);
    const rows = await within(port).findByRole('table', { name: 'Rows of order_lines' });
    expect(within(rows).getAllByRole('row')).toHaveLength(2);
    expect(within(port).getByText('1 row of order_lines, the first of more')).toBeTruthy();
    await user.click(within(port).getByRole('button', { name: 'Preview rows' }));
    expect((await within(port).findByRole('alert')).textContent).toContain('holds no active grant');
  });

  it('shows the contract’s YAML on demand', async () => {
    vi.mocked(productView).mockResolvedValue(view());
    vi.mocked(publishedYaml).mockResolvedValue({ product: 'id: p-orders\n', contracts: [{ id: 'c-lines', yaml: 'id: c-lines\n' }] });
    const user = userEvent.setup();
    renderPage();
    await user.click(await screen.findByRole('tab', { name: 'Ports & contracts' }));
    await user.click(screen.getByRole('button', { name: 'Show the contract’s YAML' }));
    expect((await screen.findByLabelText('YAML of contract c-lines')).textContent).toBe('id: c-lines\n');
    expect(vi.mocked(publishedYaml).mock.calls[0]![1]).toHaveLength(1);
  });

  it('lets the owner unprovision after typing the name, once', async () => {
    vi.mocked(productView).mockResolvedValue(view());
    vi.mocked(unprovisionProduct).mockResolvedValue({ id: 'pr_9' } as Awaited<ReturnType<typeof unprovisionProduct>>);
    const user = userEvent.setup();
    renderPage();
    await user.click(await screen.findByRole('button', { name: 'Unprovision Orders' }));
    const confirm = screen.getByRole('button', { name: 'Unprovision Orders' });
    expect(confirm).toHaveProperty('disabled', true);
    await user.type(screen.getByLabelText("Type the product's name to confirm"), 'Orders');
    await user.click(confirm);
    await waitFor(() => expect(screen.getByText('job page')).toBeTruthy());
    expect(unprovisionProduct).toHaveBeenCalledTimes(1);
    expect(vi.mocked(unprovisionProduct).mock.calls[0]![0]).toBe('p-orders');
  });

  it('draws the lineage left to right, each product a link to its page, coloured by health', async () => {
    vi.mocked(productView).mockResolvedValue(view());
    const user = userEvent.setup();
    renderPage();
    await user.click(await screen.findByRole('tab', { name: 'Lineage' }));
    const graph = await screen.findByRole('group', { name: 'Lineage: 4 products, 4 flows' });
    expect(productLineage).toHaveBeenCalledWith('p-orders', 3, 200);
    const nodes = [...graph.querySelectorAll('a.lineage-node')];
    expect(nodes.map((n) => n.getAttribute('href'))).toEqual([
      '#/products/p-lines',
      '#/products/p-orders',
      '#/products/p-attr',
      '#/products/p-rev',
    ]);
    const x = (id: string) =>
      Number(/translate\(([-\d.]+),/.exec(graph.querySelector(`[data-product-id="${id}"] g`)!.getAttribute('transform')!)![1]);
    expect(x('p-lines')).toBeLessThan(x('p-orders'));
    expect(x('p-orders')).toBeLessThan(x('p-attr'));
    expect(x('p-attr')).toBeLessThan(x('p-rev'));
    expect(graph.querySelector('[data-product-id="p-orders"]')!.getAttribute('aria-current')).toBe('page');
    expect(graph.querySelector('[data-product-id="p-rev"]')!.classList.contains('health-bad')).toBe(true);
    expect(graph.querySelector('[data-product-id="p-attr"]')!.textContent).toContain('marketing · 1.0.0 · healthy');
    expect(graph.querySelectorAll('path.lineage-edge')).toHaveLength(4);
    expect(screen.getByText(/more lies beyond/)).toBeTruthy();
    expect(await seriousViolations()).toEqual([]);
  });

  it('says so when the catalog does not hold the product', async () => {
    vi.mocked(productView).mockResolvedValue(null);
    renderPage('gone');
    expect(await screen.findByRole('heading', { name: 'Not in the offline catalog' })).toBeTruthy();
  });
});
