import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DataProduct, ProductSummary, SaveOutcome } from './bindings';
import { App } from './App';
import { createProduct, listProducts } from './ipc';

vi.mock('./ipc', async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  listProducts: vi.fn(),
  createProduct: vi.fn(),
}));

const listMock = vi.mocked(listProducts);
const createMock = vi.mocked(createProduct);

function product(name: string, domain: string, purpose: string, extra: Partial<ProductSummary> = {}): ProductSummary {
  return {
    id: `id-${name}`,
    name,
    domain,
    purpose,
    version: '1.0.0',
    status: 'active',
    outputPorts: 2,
    updatedAt: '2025-01-01T00:00:00Z',
    ...extra,
  };
}

const catalog: ProductSummary[] = [
  product('Customer 360', 'customers', 'A unified view of every customer.'),
  product('Order Events', 'orders', 'Every order state change, as it happens.', { status: 'draft' }),
  product('Payments Ledger', 'finance', 'Settled payments for reconciliation.', { outputPorts: 1 }),
];

function rowNames(): string[] {
  return within(screen.getByTestId('catalog-list'))
    .queryAllByTestId('product-name')
    .map((el) => el.textContent ?? '');
}

function field(id: string): HTMLInputElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`no #${id}`);
  return el as HTMLInputElement;
}

beforeEach(() => {
  listMock.mockReset();
  createMock.mockReset();
});

describe('App', () => {
  it('lists the catalog and filters it client-side', async () => {
    listMock.mockResolvedValue(catalog);
    const user = userEvent.setup();
    render(<App />);

    await waitFor(() => expect(screen.getAllByTestId('catalog-row')).toHaveLength(3));
    expect(rowNames()).toEqual(['Customer 360', 'Order Events', 'Payments Ledger']);
    expect(screen.getByTestId('catalog-count').textContent).toBe('3 data products');
    const first = screen.getAllByTestId('catalog-row')[0]!;
    expect(first.textContent).toContain('customers');
    expect(first.textContent).toContain('A unified view of every customer.');
    expect(within(first).getByTestId('product-status').textContent).toBe('active');

    await user.type(screen.getByTestId('catalog-filter'), 'orders');
    expect(rowNames()).toEqual(['Order Events']);
    expect(screen.getByTestId('catalog-count').textContent).toBe('1 of 3 data products');

    await user.clear(screen.getByTestId('catalog-filter'));
    await user.type(screen.getByTestId('catalog-filter'), 'RECONCILIATION');
    expect(rowNames()).toEqual(['Payments Ledger']);

    await user.clear(screen.getByTestId('catalog-filter'));
    await user.type(screen.getByTestId('catalog-filter'), 'nothing like this');
    expect(rowNames()).toEqual([]);
    expect(screen.getByText(/No data product matches/)).toBeTruthy();
  });

  it('shows refused findings on their fields and keeps what was typed', async () => {
    listMock.mockResolvedValue(catalog);
    const refused: SaveOutcome = {
      saved: false,
      findings: [
        {
          rule: 'name-required',
          severity: 'error',
          path: '/name',
          message: 'A data product needs a name.',
          hint: 'Give it the name people will search for.',
        },
        {
          rule: 'schema',
          severity: 'error',
          path: '/id',
          message: 'The id is not a UUID.',
          hint: 'Keep the generated id.',
        },
        {
          rule: 'purpose-recommended',
          severity: 'warning',
          path: '/description/purpose',
          message: 'State the purpose.',
          hint: 'One sentence is enough.',
        },
      ],
    };
    createMock.mockResolvedValue(refused);
    const user = userEvent.setup();
    render(<App />);
    await waitFor(() => expect(screen.getAllByTestId('catalog-row')).toHaveLength(3));

    await user.click(screen.getByTestId('new-product'));
    const id = field('root_id');
    expect(id.value).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect((field('root_status') as unknown as HTMLSelectElement).value).toBe('draft');
    expect(field('root_name').placeholder).toBe('e.g. Customer 360');

    await user.type(field('root_name'), '   ');
    await user.clear(id);
    await user.type(id, 'not-a-uuid');
    await user.type(field('root_domain'), 'orders');
    await user.click(screen.getByTestId('save-product'));

    await waitFor(() => expect(createMock).toHaveBeenCalledTimes(1));
    const sent = createMock.mock.calls[0]![0];
    expect(sent).toMatchObject({
      apiVersion: 'v1.0.0',
      kind: 'DataProduct',
      id: 'not-a-uuid',
      name: '   ',
      status: 'draft',
      domain: 'orders',
    });

    const nameErrors = await waitFor(() => {
      const el = document.getElementById('root_name__error');
      if (!el) throw new Error('no name errors yet');
      return el;
    });
    expect(nameErrors.classList.contains('error-detail')).toBe(true);
    expect(nameErrors.textContent).toContain('A data product needs a name.');
    expect(nameErrors.textContent).toContain('Give it the name people will search for.');
    expect(document.getElementById('root_id__error')?.textContent).toContain('The id is not a UUID.');
    expect(document.getElementById('root_description_purpose__error')?.textContent).toContain(
      'State the purpose.',
    );

    const summary = screen.getByTestId('findings');
    expect(summary.textContent).toContain('Not saved: 2 problems to fix, 1 remark');
    expect(summary.textContent).toContain('The id is not a UUID.');
    expect(summary.textContent).toContain('Keep the generated id.');

    // Everything typed is still there.
    expect(field('root_name').value).toBe('   ');
    expect(field('root_id').value).toBe('not-a-uuid');
    expect(field('root_domain').value).toBe('orders');
    expect(screen.queryByTestId('notice')).toBeNull();
    expect(listMock).toHaveBeenCalledTimes(1);
    // The e2e test picks the status by clicking <option value="...">.
    expect(document.querySelector('#root_status option[value="active"]')).not.toBeNull();

    await user.click(screen.getByTestId('cancel-product'));
    expect(document.getElementById('root_name')).toBeNull();
    expect(screen.getAllByTestId('catalog-row')).toHaveLength(3);
  });

  it('closes the form, shows a notice and reloads the list when saved', async () => {
    const added = product('Returns Analytics', 'orders', 'Why orders come back.', { outputPorts: 0 });
    listMock.mockResolvedValueOnce(catalog).mockResolvedValueOnce([...catalog, added]);
    createMock.mockResolvedValue({ saved: true, findings: [] });
    const user = userEvent.setup();
    render(<App />);
    await waitFor(() => expect(screen.getAllByTestId('catalog-row')).toHaveLength(3));

    await user.click(screen.getByTestId('new-product'));
    await user.type(field('root_name'), 'Returns Analytics');
    await user.type(field('root_version'), '1.0.0');
    await user.type(field('root_domain'), 'orders');
    await user.selectOptions(field('root_status'), 'active');
    await user.click(screen.getByTestId('save-product'));

    await waitFor(() => expect(screen.getByTestId('notice').textContent).toContain('Returns Analytics'));
    await waitFor(() => expect(screen.getAllByTestId('catalog-row')).toHaveLength(4));
    expect(rowNames()).toContain('Returns Analytics');
    expect(listMock).toHaveBeenCalledTimes(2);
    expect(document.getElementById('root_name')).toBeNull();

    const sent: DataProduct = createMock.mock.calls[0]![0];
    expect(sent).toMatchObject({ name: 'Returns Analytics', version: '1.0.0', domain: 'orders', status: 'active' });
    // Untouched optional sections are not sent as empty containers.
    expect(sent).not.toHaveProperty('tags');
    expect(sent).not.toHaveProperty('description');
  });

  it('shows a banner when the catalog cannot be loaded', async () => {
    listMock.mockRejectedValue({ code: 'database', message: 'disk I/O error' });
    render(<App />);
    const banner = await screen.findByTestId('error-banner');
    expect(banner.textContent).toContain('disk I/O error');
    expect(banner.getAttribute('data-code')).toBe('database');
  });
});
