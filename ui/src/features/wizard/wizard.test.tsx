import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Finding, ProvisioningRequest } from '../../bindings';
import {
  catalogProduct,
  checkRequest,
  ownedDomains,
  requestYaml,
  reviewRequest,
  saveDraft,
  searchCatalog,
  submitProduct,
} from '../../lib/ipc';
import type { RequestReview } from '../../lib/ipc';
import { seriousViolations } from '../../test/axe';
import { RequestWizard, REVIEW_DELAY_MS } from './RequestWizard';
import { columnNamesFrom, fieldId, predictProductEdit, stepOf } from './model';
import { productParts, withPart } from './RjsfSteps';
import type { StepId } from './model';

vi.mock('../../lib/ipc', async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  saveDraft: vi.fn(),
  checkRequest: vi.fn(),
  ownedDomains: vi.fn(),
  requestYaml: vi.fn(),
  submitProduct: vi.fn(),
  reviewRequest: vi.fn(),
  searchCatalog: vi.fn(),
  catalogProduct: vi.fn(),
}));

const checkMock = vi.mocked(checkRequest);
const saveMock = vi.mocked(saveDraft);

function fresh(): ProvisioningRequest {
  return {
    apiVersion: 'meshport/v1',
    kind: 'ProvisioningRequest',
    product: {
      apiVersion: 'v1.0.0',
      kind: 'DataProduct',
      id: '0b7f6a5e-4d3c-4b2a-9f1e-0d9c8b7a6f5e',
      name: 'Returns',
      status: 'draft',
      domain: 'orders',
    },
    contracts: [],
    infrastructure: { storage: { type: 'managed', retention: '7 years' } },
  };
}

/** The request the last check saw. */
function checked(): ProvisioningRequest {
  const call = checkMock.mock.calls.at(-1);
  if (!call) throw new Error('nothing was checked');
  return call[0];
}

beforeEach(() => {
  checkMock.mockReset().mockResolvedValue([]);
  saveMock
    .mockReset()
    .mockImplementation((id) =>
      Promise.resolve({ id: id ?? 'draft-1', name: 'Returns', updatedAt: new Date().toISOString() }),
    );
  vi.mocked(ownedDomains).mockReset().mockResolvedValue(['orders', 'customers']);
  vi.mocked(requestYaml)
    .mockReset()
    .mockResolvedValue({ product: 'name: Returns\n', contracts: [{ id: 'c-1', yaml: 'kind: DataContract\n' }] });
  vi.mocked(submitProduct).mockReset();
  vi.mocked(reviewRequest).mockReset().mockResolvedValue(null);
});

function renderWizard(request = fresh(), step: StepId = 'product') {
  return render(
    <RequestWizard
      draftId={null}
      initialRequest={request}
      initialStep={step}
      onSubmitted={vi.fn()}
      onClose={vi.fn()}
    />,
  );
}

async function addPortWithTable(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByRole('button', { name: 'Output ports' }));
  await user.click(screen.getByRole('button', { name: 'Add output port' }));
  await user.type(screen.getByLabelText('Name of port 1'), 'returns');
  await user.click(screen.getByRole('button', { name: 'Next' }));
  await user.click(screen.getByRole('button', { name: 'Add table' }));
}

describe('the model', () => {
  it('places every finding on its step', () => {
    expect(stepOf('/product/name')).toBe('product');
    expect(stepOf('/product/outputPorts/0/version')).toBe('ports');
    expect(stepOf('/contracts/1/schema/0/properties/3/name')).toBe('contract');
    expect(stepOf('/contracts/1/schema/0/quality/0/mustBe')).toBe('quality');
    expect(stepOf('/contracts/1/schema/0/properties/2/quality/0')).toBe('quality');
    expect(stepOf('/contracts/0/slaProperties/1/value')).toBe('sla');
    expect(stepOf('/infrastructure/storage/type')).toBe('infrastructure');
    expect(stepOf('')).toBe('review');
    expect(fieldId('/product/description/purpose')).toBe('root_description_purpose');
    expect(fieldId('/contracts/0/schema/1/properties/2/name')).toBe('root_contracts_0_schema_1_properties_2_name');
  });

  it('tells a keystroke in the product’s text fields from its input event, and nothing else', () => {
    const product = { ...fresh().product, description: { purpose: 'Return' }, tags: ['orders', 'returns'] };
    const form = document.createElement('form');
    form.className = 'product-form';
    form.innerHTML = `
      <textarea id="root_description_purpose"></textarea>
      <input id="root_tags_1" type="text">
      <input id="root_name" type="text">
      <input id="root_description_usage" type="text">
      <input id="root_tags_7" type="text">
      <input id="root_description_purpose_x" type="text">
      <input id="root_status" type="checkbox">`;
    document.body.append(form);
    const edit = (id: string, value: string) => {
      const field = document.getElementById(id) as HTMLInputElement;
      field.value = value;
      return predictProductEdit(product, field);
    };
    expect(edit('root_description_purpose', 'Returns')).toEqual({ ...product, description: { purpose: 'Returns' } });
    expect(edit('root_tags_1', 'refunds')).toEqual({ ...product, tags: ['orders', 'refunds'] });
    // Emptied: no value, as the form reports it.
    expect(edit('root_name', '')).toEqual({ ...product, name: undefined });
    // A field the product does not hold yet, in an object it holds.
    expect(edit('root_description_usage', 'Refunds')).toEqual({
      ...product,
      description: { purpose: 'Return', usage: 'Refunds' },
    });
    // The first field of an object the product does not hold yet.
    expect(predictProductEdit(fresh().product, document.getElementById('root_description_usage'))).toEqual({
      ...fresh().product,
      description: { usage: 'Refunds' },
    });
    // Past an array's end, under a string, not a text field, outside the product's form: not told.
    expect(edit('root_tags_7', 'x')).toBeNull();
    expect(edit('root_description_purpose_x', 'x')).toBeNull();
    expect(predictProductEdit(product, document.getElementById('root_status'))).toBeNull();
    const outside = document.createElement('input');
    outside.id = 'root_name';
    document.body.append(outside);
    expect(predictProductEdit(product, outside)).toBeNull();
    form.remove();
    outside.remove();
  });

  it('reads pasted column names in the shapes people paste them', () => {
    expect(columnNamesFrom('id\norder_id\r\n  amount  \n\n')).toEqual(['id', 'order_id', 'amount']);
    expect(columnNamesFrom('id, order_id;amount\tcurrency')).toEqual(['id', 'order_id', 'amount', 'currency']);
  });
});

describe('the wizard', () => {
  it('names its steps and buttons, and Back and Next keep everything', async () => {
    const user = userEvent.setup();
    renderWizard();
    const steps = within(screen.getByRole('navigation', { name: 'Steps' })).getAllByRole('button');
    expect(steps.map((s) => s.dataset.step)).toEqual([
      'Product',
      'Output ports',
      'Contract',
      'Quality',
      'SLA',
      'Infrastructure',
      'Review',
    ]);
    // Each step's accessible name is its name alone, whatever its number and error count show.
    for (const s of steps)
      expect(
        within(screen.getByRole('navigation', { name: 'Steps' })).getByRole('button', { name: s.dataset.step }),
      ).toBe(s);
    expect(screen.getByRole('button', { name: 'Product' }).getAttribute('aria-current')).toBe('step');
    expect(screen.getByRole('button', { name: 'Back' })).toHaveProperty('disabled', true);
    await user.clear(document.getElementById('root_name') as HTMLInputElement);
    await user.type(document.getElementById('root_name') as HTMLInputElement, 'Returns v2');
    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(screen.getByRole('button', { name: 'Output ports' }).getAttribute('aria-current')).toBe('step');
    await user.click(screen.getByRole('button', { name: 'Back' }));
    expect((document.getElementById('root_name') as HTMLInputElement).value).toBe('Returns v2');
    // The draft keeps the step the user is on: a save made while on the next step (a slow machine
    // types slowly) is followed by one made on this step.
    await waitFor(() => expect(saveMock.mock.calls.at(-1)?.[2]).toBe('product'), { timeout: 2_000 });
  });

  it('has no serious or critical accessibility violation on any step (axe-core)', async () => {
    const user = userEvent.setup();
    renderWizard();
    for (const step of ['Product', 'Output ports', 'Contract', 'Quality', 'SLA', 'Infrastructure', 'Review']) {
      await user.click(screen.getByRole('button', { name: step }));
      expect(screen.getByRole('button', { name: step }).getAttribute('aria-current')).toBe('step');
      expect(await seriousViolations(), step).toEqual([]);
    }
  });

  it('edits 50 columns: added, pasted, duplicated, moved and removed', async () => {
    const user = userEvent.setup();
    renderWizard();
    await addPortWithTable(user);
    const pasted = Array.from({ length: 48 }, (_, i) => `col_${i + 1}`).join('\n');
    await user.click(screen.getByRole('button', { name: 'Paste column names' }));
    await user.click(screen.getByLabelText(/Column names, one per line/));
    await user.paste(pasted);
    await user.click(screen.getByRole('button', { name: 'Add 48 columns' }));
    expect(screen.getAllByTestId('column-row')).toHaveLength(48);

    await user.click(screen.getByRole('button', { name: 'Add column' }));
    await user.type(screen.getByLabelText('Name of column 49'), 'created_at');
    await user.selectOptions(screen.getByLabelText('Logical type of column 49'), 'timestamp');
    expect(screen.getByLabelText<HTMLInputElement>('Physical type of column 49').value).toBe('TIMESTAMP');
    await user.click(screen.getByLabelText('Column 1 is the primary key'));
    await user.selectOptions(screen.getByLabelText('Classification of column 2'), 'restricted');
    await user.type(screen.getByLabelText('Examples of column 1'), '1, 2');
    await user.click(screen.getByRole('button', { name: 'Duplicate column 2' }));
    await user.click(screen.getByRole('button', { name: 'Move column 49 down' }));
    await user.click(screen.getByRole('button', { name: 'Remove column 4' }));
    expect(screen.getAllByTestId('column-row')).toHaveLength(49);

    // The check after the last change has the columns as they are on screen.
    await waitFor(() =>
      expect(
        checked()
          .contracts[0]?.schema?.[0]?.properties?.slice(2, 4)
          .map((c) => c.name),
      ).toEqual(['col_2_copy', 'col_4']),
    );
    expect(checked().contracts[0]?.schema?.[0]?.properties).toHaveLength(49);
    const request = checked();
    const [contract] = request.contracts;
    expect(request.product.outputPorts?.[0]).toMatchObject({
      name: 'returns',
      version: '1.0.0',
      contractId: contract!.id,
    });
    const columns = contract!.schema![0]!.properties!;
    expect(columns.slice(0, 4).map((c) => c.name)).toEqual(['col_1', 'col_2', 'col_2_copy', 'col_4']);
    expect(columns[0]).toMatchObject({ primaryKey: true, required: true, examples: [1, 2] });
    expect(columns[1]).toMatchObject({ classification: 'restricted' });
    expect(columns[2]).toMatchObject({ classification: 'restricted' });
    // Column 49 (col_48, after the duplicate) moved below created_at.
    expect(columns.at(-1)).toMatchObject({ name: 'col_48' });
    expect(columns.at(-2)).toMatchObject({ name: 'created_at', logicalType: 'timestamp', physicalType: 'TIMESTAMP' });
  }, 30_000);

  it('shows each finding on its field, marks its step, and holds Submit until it is fixed', async () => {
    const user = userEvent.setup();
    renderWizard();
    await addPortWithTable(user);
    await user.click(screen.getByRole('button', { name: 'Add column' }));
    const bad: Finding = {
      rule: 'odcs-column-name',
      severity: 'error',
      path: '/contracts/0/schema/0/properties/0/name',
      message: 'The column name `Order Id` is not a SQL identifier.',
      hint: 'Use lower case letters, digits and underscores.',
    };
    checkMock.mockResolvedValue([bad]);
    await user.type(screen.getByLabelText('Name of column 1'), 'Order Id');

    const cell = screen.getByLabelText('Name of column 1');
    await waitFor(() => expect(cell.getAttribute('aria-invalid')).toBe('true'));
    const message = document.getElementById(cell.getAttribute('aria-describedby')!);
    expect(message?.textContent).toContain('is not a SQL identifier');
    expect(message?.textContent).toContain('Use lower case letters');
    const contractStep = screen.getByRole('button', { name: 'Contract' });
    expect(contractStep.getAttribute('data-errors')).toBe('1');
    expect(screen.getByRole('button', { name: 'Product' }).getAttribute('data-errors')).toBe('0');
    expect(screen.getByRole('button', { name: 'Submit' })).toHaveProperty('disabled', true);

    checkMock.mockResolvedValue([]);
    await user.clear(cell);
    await user.type(cell, 'order_id');
    await waitFor(() => expect(cell.getAttribute('aria-invalid')).toBeNull());
    expect(contractStep.getAttribute('data-errors')).toBe('0');
    expect(screen.getByRole('button', { name: 'Submit' })).toHaveProperty('disabled', false);
  });

  it('picks quality rules from the library or writes them in SQL', async () => {
    const user = userEvent.setup();
    renderWizard();
    await addPortWithTable(user);
    await user.click(screen.getByRole('button', { name: 'Add column' }));
    await user.type(screen.getByLabelText('Name of column 1'), 'amount');
    await user.click(screen.getByRole('button', { name: 'Quality' }));

    await user.click(screen.getByRole('button', { name: 'Add rule to table_1' }));
    await user.selectOptions(screen.getByLabelText('Operator of rule 1 of table_1'), 'mustBeBetween');
    await user.clear(screen.getByLabelText('Upper bound of rule 1 of table_1'));
    await user.type(screen.getByLabelText('Upper bound of rule 1 of table_1'), '1000');

    await user.selectOptions(screen.getByLabelText('Column of table_1 for a new rule'), '0');
    await user.click(screen.getByRole('button', { name: 'Add rule to column' }));
    await user.selectOptions(screen.getByLabelText('Kind of rule 1 of table_1.amount'), 'sql');
    await user.selectOptions(screen.getByLabelText('Operator of rule 1 of table_1.amount'), 'mustBeLessThan');
    await user.clear(screen.getByLabelText('Value of rule 1 of table_1.amount'));
    await user.type(screen.getByLabelText('Value of rule 1 of table_1.amount'), '5');

    await waitFor(() =>
      expect(checked().contracts[0]?.schema?.[0]?.properties?.[0]?.quality?.[0]).toMatchObject({ mustBeLessThan: 5 }),
    );
    const table = checked().contracts[0]!.schema![0]!;
    expect(table.quality).toEqual([
      { type: 'library', metric: 'rowCount', dimension: 'completeness', mustBeBetween: [0, 1000] },
    ]);
    const rule = table.properties![0]!.quality![0]!;
    expect(rule).toEqual({
      type: 'sql',
      query: 'SELECT COUNT(*) FROM ${table} WHERE ${column} IS NULL',
      mustBeLessThan: 5,
    });
  });

  it('writes the SLA as the contract’s SLA properties', async () => {
    const user = userEvent.setup();
    renderWizard();
    await addPortWithTable(user);
    await user.click(screen.getByRole('button', { name: 'Add column' }));
    await user.type(screen.getByLabelText('Name of column 1'), 'updated_at');
    await user.selectOptions(screen.getByLabelText('Logical type of column 1'), 'timestamp');
    await user.click(screen.getByRole('button', { name: 'SLA' }));
    await user.type(screen.getByLabelText('Freshness target'), '24');
    await user.selectOptions(screen.getByLabelText('Freshness column'), 'table_1.updated_at');
    await user.type(screen.getByLabelText('Retention target'), '7');
    await user.selectOptions(screen.getByLabelText('Retention unit'), 'y');
    await waitFor(() => expect(checked().contracts[0]?.slaProperties).toHaveLength(2));
    expect(checked().contracts[0]!.slaProperties).toEqual([
      { property: 'latency', unit: 'h', value: 24, element: 'table_1.updated_at' },
      { property: 'retention', unit: 'y', value: 7 },
    ]);
  });

  it('reviews the YAML with every finding, each a link to its field', async () => {
    const user = userEvent.setup();
    checkMock.mockResolvedValue([
      {
        rule: 'product-owner',
        severity: 'error',
        path: '/product/domain',
        message: 'The domain `orderz` is not one of yours.',
        hint: 'Pick orders or customers.',
      },
    ]);
    renderWizard(fresh(), 'review');
    expect(await screen.findByLabelText('Product YAML')).toHaveProperty('textContent', 'name: Returns\n');
    expect(screen.getByLabelText('Contract c-1 YAML').textContent).toBe('kind: DataContract\n');
    const link = await screen.findByRole('button', { name: 'Product: domain' });
    expect(screen.getByText('1 problem to fix before submitting')).toBeTruthy();
    await user.click(link);
    expect(screen.getByRole('button', { name: 'Product' }).getAttribute('aria-current')).toBe('step');
    await waitFor(() => expect(document.activeElement?.id).toBe('root_domain'));
  });

  it('submits the whole request once nothing is an error', async () => {
    const user = userEvent.setup();
    const onSubmitted = vi.fn();
    vi.mocked(submitProduct).mockResolvedValue({
      findings: [],
      outbox: {
        id: 'ob-1',
        profile: 'work',
        productId: fresh().product.id,
        name: 'Returns',
        idempotencyKey: 'k',
        state: 'queued',
        attempts: 0,
        submittedAt: '2025-03-01T10:00:00Z',
      },
    });
    render(
      <RequestWizard
        draftId={null}
        initialRequest={fresh()}
        initialStep="review"
        onSubmitted={onSubmitted}
        onClose={vi.fn()}
      />,
    );
    await waitFor(() => expect(screen.getByTestId('submit-state').textContent).toBe('Ready to submit'));
    await act(async () => {
      await user.click(screen.getByRole('button', { name: 'Submit' }));
    });
    await waitFor(() => expect(onSubmitted).toHaveBeenCalled());
    const [, sent] = vi.mocked(submitProduct).mock.calls[0]!;
    expect(sent).toMatchObject({
      kind: 'ProvisioningRequest',
      contracts: [],
      infrastructure: { storage: { type: 'managed' } },
    });
  });

  it('refuses a breaking edit without a major version, on the version field, and shows whom it reaches', async () => {
    const user = userEvent.setup();
    const breaking: RequestReview = {
      verdict: 'breaking',
      oldVersion: '1.0.0',
      newVersion: '1.1.0',
      majorBumped: false,
      breaking: 1,
      changes: [
        {
          kind: 'column-removed',
          breaking: true,
          path: 'orders/orders.amount',
          port: 'orders',
          table: 'orders',
          column: 'amount',
          side: 'old',
          contractId: 'c1',
          pointer: '/schema/0/properties/1',
          message: 'column `amount` was removed',
        },
      ],
      downstream: [
        {
          productId: 'p2',
          name: 'Revenue',
          domain: 'finance',
          inputPort: 'orders-in',
          upstreamProductId: 'p1',
          upstreamPort: 'orders',
          contractId: 'c1',
        },
      ],
      consumers: [{ consumer: 'cora', productId: 'p1', port: 'orders', requestId: 'ar-1' }],
      impactComputed: true,
      notes: [],
      summary: 'breaking: 1 of 1 change(s) break consumers; bump the version to 2.0.0',
    };
    vi.mocked(reviewRequest).mockResolvedValue(breaking);
    renderWizard({ ...fresh(), product: { ...fresh().product, version: '1.1.0' } }, 'review');

    const changes = await screen.findByTestId('review-changes');
    expect(changes.getAttribute('data-verdict')).toBe('breaking');
    expect(changes.textContent).toContain('bump the version to 2.0.0');
    expect(within(changes).getByTestId('review-change').textContent).toContain('column `amount` was removed');
    expect(within(changes).getByTestId('review-downstream').textContent).toContain('Revenue');
    expect(within(changes).getByTestId('review-downstream').textContent).toContain('cora');
    expect(screen.getByRole('button', { name: 'Submit' })).toHaveProperty('disabled', true);
    expect(screen.getByRole('button', { name: 'Product' }).getAttribute('data-errors')).toBe('1');

    await user.click(screen.getByRole('button', { name: /^Product: version/ }));
    const version = document.getElementById('root_version') as HTMLInputElement;
    await waitFor(() => expect(document.activeElement).toBe(version));
    expect(document.getElementById('root_version__error')?.textContent).toContain('Bump the major version');

    // A major version: the same changes, no longer an error.
    vi.mocked(reviewRequest).mockResolvedValue({ ...breaking, verdict: 'breaking-major-bumped', majorBumped: true });
    await user.clear(version);
    await user.type(version, '2.0.0');
    await waitFor(() => expect(screen.getByRole('button', { name: 'Product' }).getAttribute('data-errors')).toBe('0'));
    expect(vi.mocked(reviewRequest).mock.calls.at(-1)![0].product.version).toBe('2.0.0');
  });

  it('asks for the comparison with the published version once for a product the catalog does not hold', async () => {
    const user = userEvent.setup();
    renderWizard();
    await waitFor(() => expect(reviewRequest).toHaveBeenCalledTimes(1));
    await user.type(screen.getByLabelText(/purpose/i), 'Returns, daily.');
    await waitFor(() => expect(checked().product.description?.purpose).toBe('Returns, daily.'));
    await act(() => new Promise((resolve) => setTimeout(resolve, REVIEW_DELAY_MS + 100)));
    expect(reviewRequest).toHaveBeenCalledTimes(1);
    // Another id (a product the catalog may hold): compared again.
    const id = document.getElementById('root_id') as HTMLInputElement;
    await user.clear(id);
    await user.type(id, '3f1c2a9e-6b7d-4e21-9a53-0c8f4d2b7e61');
    await waitFor(() => expect(reviewRequest).toHaveBeenCalledTimes(2));
    expect(vi.mocked(reviewRequest).mock.calls.at(-1)![0].product.id).toBe('3f1c2a9e-6b7d-4e21-9a53-0c8f4d2b7e61');
  });

  it('shows the schema’s findings at once, before the check answers', async () => {
    const user = userEvent.setup();
    renderWizard();
    await addPortWithTable(user);
    await user.click(screen.getByRole('button', { name: 'Quality' }));
    await user.click(screen.getByRole('button', { name: 'Add rule to table_1' }));
    // From now on the shell's check never answers: what shows is the window's own schema check.
    checkMock.mockImplementation(() => new Promise(() => undefined));
    const value = screen.getByLabelText('Value of rule 1 of table_1');
    await user.clear(value);
    await user.type(value, 'many');
    expect(value.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(value.getAttribute('aria-describedby')!)?.textContent).toContain('must be number');
    expect(screen.getByRole('button', { name: 'Quality' }).getAttribute('data-errors')).toBe('1');
    expect(screen.getByRole('button', { name: 'Submit' })).toHaveProperty('disabled', true);
    await user.clear(value);
    await user.type(value, '10');
    expect(value.getAttribute('aria-invalid')).toBeNull();
  });

  it('picks input ports from the catalog', async () => {
    const user = userEvent.setup();
    vi.mocked(searchCatalog).mockResolvedValue({
      total: 1,
      hits: [
        { id: 'p-ol', name: 'Order Lines', domain: 'orders', status: 'active', version: '1.0.0', tags: [], rank: 0 },
      ],
      facets: { domain: [], status: [], tag: [], owner: [], openIncident: [] },
    });
    vi.mocked(catalogProduct).mockResolvedValue({
      apiVersion: 'v1.0.0',
      kind: 'DataProduct',
      id: 'p-ol',
      name: 'Order Lines',
      status: 'active',
      outputPorts: [{ name: 'order-lines', version: '1.0.0', contractId: 'c-ol' }],
    });
    renderWizard();
    await user.type(screen.getByLabelText('Input ports from the catalog'), 'order');
    await user.click(await screen.findByRole('button', { name: /^Order Lines/ }));
    expect(catalogProduct).toHaveBeenCalledWith('p-ol');
    const add = await screen.findByRole('button', { name: 'Add order-lines 1.0.0 of Order Lines' });
    await user.click(add);
    await waitFor(() =>
      expect(checked().product.inputPorts).toEqual([{ name: 'order-lines', version: '1.0.0', contractId: 'c-ol' }]),
    );
    expect((document.getElementById('root_inputPorts_0_name') as HTMLInputElement).value).toBe('order-lines');
    // A port already read is not offered twice.
    expect(screen.getByRole('button', { name: 'Add order-lines 1.0.0 of Order Lines' })).toHaveProperty(
      'disabled',
      true,
    );
    // Typed in the form after the pick: the form (which keeps its own data) holds the picked port too.
    const purpose = screen.getByLabelText(/purpose/i);
    await user.type(purpose, 'Reads order lines.');
    expect(document.activeElement).toBe(purpose);
    await waitFor(() => expect(checked().product.description?.purpose).toBe('Reads order lines.'));
    expect(checked().product.inputPorts).toEqual([{ name: 'order-lines', version: '1.0.0', contractId: 'c-ol' }]);
  });
});

describe('checking as typed', () => {
  it('checks each change at once, one call at a time, and shows only the answer for what is on screen', async () => {
    const user = userEvent.setup();
    // Every check waits until the test answers it.
    const answers: ((findings: Finding[]) => void)[] = [];
    checkMock.mockImplementation(() => new Promise<Finding[]>((resolve) => answers.push(resolve)));
    renderWizard();
    await waitFor(() => expect(checkMock).toHaveBeenCalledTimes(1)); // the request as opened
    const purpose = screen.getByLabelText(/purpose/i);
    // Typed while the first check runs: no second call until it answers.
    await user.type(purpose, 'ab');
    expect(checkMock).toHaveBeenCalledTimes(1);
    const stale: Finding = {
      rule: 'no-owner',
      severity: 'error',
      path: '/product/team',
      message: 'The stale answer.',
      hint: 'Add a team member with role owner.',
    };
    await act(() => Promise.resolve(answers[0]?.([stale])));
    // Its request is no longer on screen: its answer is not shown, the latest request is checked.
    await waitFor(() => expect(checkMock).toHaveBeenCalledTimes(2));
    expect(checked().product.description?.purpose).toBe('ab');
    expect(screen.queryByText('The stale answer.')).toBeNull();
    const current: Finding = { ...stale, message: 'The answer for "ab".' };
    await act(() => Promise.resolve(answers[1]?.([current])));
    expect(await screen.findAllByText('The answer for "ab".')).not.toHaveLength(0);
    // Nothing changed since: no more calls.
    expect(checkMock).toHaveBeenCalledTimes(2);
  });

  it('asks for a keystroke’s check from its input event, before the form reports it, and once', async () => {
    const user = userEvent.setup();
    const from: string[] = [];
    checkMock.mockImplementation(() => {
      from.push(new Error().stack ?? '');
      return Promise.resolve([]);
    });
    renderWizard();
    await waitFor(() => expect(checkMock).toHaveBeenCalledTimes(1)); // the request as opened
    expect(await screen.findByText('Ready to submit')).toBeTruthy();
    const purpose = screen.getByLabelText(/purpose/i);
    await user.type(purpose, 'R');
    await waitFor(() => expect(checkMock).toHaveBeenCalledTimes(2));
    expect(checked().product.description?.purpose).toBe('R');
    // Asked from the input event, while the form had not yet rendered the keystroke.
    expect(from[1]).toContain('onInputCapture');
    // The form's report is the request guessed: its answer stands, nothing is checked again.
    expect(await screen.findByText('Ready to submit')).toBeTruthy();
    await act(() => new Promise((resolve) => setTimeout(resolve, 50)));
    expect(checkMock).toHaveBeenCalledTimes(2);
  });

  it('checks what the form reported when its keystroke was guessed wrong', async () => {
    const user = userEvent.setup();
    renderWizard();
    await waitFor(() => expect(checkMock).toHaveBeenCalledTimes(1));
    expect(await screen.findByText('Ready to submit')).toBeTruthy();
    // Emptied, the name is '' to the form (its `ui:emptyValue`), not absent as guessed.
    await user.clear(document.getElementById('root_name') as HTMLInputElement);
    await waitFor(() => expect(checkMock).toHaveBeenCalledTimes(3));
    expect(checkMock.mock.calls[1]?.[0].product.name).toBeUndefined();
    expect(checked().product.name).toBe('');
    expect(await screen.findByText('Ready to submit')).toBeTruthy();
  });
});

describe('the product’s form in parts', () => {
  it('has a form for the plain fields, then one per object or array of the product, but the ports', () => {
    const parts = productParts();
    expect(parts[0]?.member).toBeNull();
    expect([...(parts[0]?.keys ?? [])].sort()).toEqual(
      ['apiVersion', 'domain', 'id', 'kind', 'name', 'productCreatedTs', 'status', 'tenant', 'version'].sort(),
    );
    // In the order the hints give, the fields' ids as in one form of the product.
    expect(parts.slice(1).map((p) => p.member)).toEqual([
      'description',
      'tags',
      'authoritativeDefinitions',
      'customProperties',
      'inputPorts',
      'managementPorts',
      'support',
      'team',
    ]);
    expect(parts.map((p) => p.idPrefix)).toContain('root_team');
    expect(parts[0]?.idPrefix).toBe('root');
    expect(parts[0]?.schema.required).toEqual(['apiVersion', 'kind', 'id', 'status']);
  });

  it('puts what a part reported into the product, and removes what it left empty', () => {
    const product = { ...fresh().product, tags: ['orders'] };
    const [plain, description] = productParts();
    if (!plain || !description) throw new Error('no parts');
    expect(withPart(product, description, { purpose: 'Refunds' })).toEqual({ ...product, description: { purpose: 'Refunds' } });
    const tags = productParts().find((p) => p.member === 'tags');
    if (!tags) throw new Error('no tags part');
    expect(withPart(product, tags, undefined)).not.toHaveProperty('tags');
    const renamed = withPart(product, plain, { ...product, name: 'Refunds', domain: undefined });
    expect(renamed).toEqual({ ...product, name: 'Refunds', domain: undefined });
    expect(renamed).not.toHaveProperty('domain');
    // What the plain fields' form does not hold stays.
    expect(renamed.tags).toEqual(['orders']);
  });

  it('keeps a keystroke in each of two parts, and the other parts’ fields as they were', async () => {
    const user = userEvent.setup();
    renderWizard();
    await waitFor(() => expect(checkMock).toHaveBeenCalledTimes(1));
    // The parts' forms fill in empty lists and objects as they start: no change of the product.
    await act(() => new Promise((resolve) => setTimeout(resolve, 50)));
    expect(checkMock).toHaveBeenCalledTimes(1);
    const name = document.getElementById('root_name');
    await user.type(screen.getByLabelText(/purpose/i), 'Refunds');
    await user.type(document.getElementById('root_team_name') as HTMLInputElement, 'returns-team');
    await user.type(document.getElementById('root_domain') as HTMLInputElement, '-eu');
    await waitFor(() => expect(checked().product.team?.name).toBe('returns-team'));
    await waitFor(() => expect(checked().product.domain).toBe('orders-eu'));
    expect(checked().product.description?.purpose).toBe('Refunds');
    expect(checked().product.name).toBe('Returns');
    // The plain fields' form was not started again by the keystrokes in the others.
    expect(document.getElementById('root_name')).toBe(name);
  });

  it('shows a finding on the field of its part, and one on a whole member on that member', async () => {
    checkMock.mockResolvedValue([
      { rule: 'r1', severity: 'error', path: '/product/team/members', message: 'The team has no owner.', hint: 'Add one.' },
      { rule: 'r2', severity: 'warning', path: '/product/description/purpose', message: 'Say more.', hint: 'Write two lines.' },
      { rule: 'r3', severity: 'error', path: '/product/name', message: 'Name it.', hint: 'Type a name.' },
    ]);
    renderWizard();
    await waitFor(() => expect(document.getElementById('root_team_members__error')?.textContent).toContain('no owner'));
    expect(document.getElementById('root_description_purpose__error')?.textContent).toContain('Say more.');
    expect(document.getElementById('root_name__error')?.textContent).toContain('Type a name.');
  });
});
