import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type {
  Draft,
  DraftSummary,
  FacetCount,
  Finding,
  OutboxItem,
  ProvisioningRequest,
  SearchHit,
  SearchQuery,
  SearchResult,
  SubmitOutcome,
  SyncStatus,
} from './bindings';
import { App } from './App';
import { boot } from './app/boot';
import { seriousViolations } from './test/axe';
import {
  checkRequest,
  editProduct,
  getDraft,
  listDrafts,
  newRequest,
  ownedDomains,
  requestYaml,
  reviewRequest,
  listOutbox,
  onSyncStatus,
  removeDraft,
  saveDraft,
  searchCatalog,
  submitProduct,
  syncNow,
  syncStatus,
  productView,
} from './lib/ipc';

vi.mock('./lib/ipc', async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  searchCatalog: vi.fn(),
  syncStatus: vi.fn(),
  syncNow: vi.fn(),
  onSyncStatus: vi.fn(),
  saveDraft: vi.fn(),
  listDrafts: vi.fn(),
  getDraft: vi.fn(),
  removeDraft: vi.fn(),
  submitProduct: vi.fn(),
  listOutbox: vi.fn(),
  newRequest: vi.fn(),
  checkRequest: vi.fn(),
  ownedDomains: vi.fn(),
  requestYaml: vi.fn(),
  editProduct: vi.fn(),
  reviewRequest: vi.fn(),
  productView: vi.fn(),
}));

const searchMock = vi.mocked(searchCatalog);
const syncStatusMock = vi.mocked(syncStatus);
const syncNowMock = vi.mocked(syncNow);
const onSyncStatusMock = vi.mocked(onSyncStatus);
const saveDraftMock = vi.mocked(saveDraft);
const listDraftsMock = vi.mocked(listDrafts);
const getDraftMock = vi.mocked(getDraft);
const removeDraftMock = vi.mocked(removeDraft);
const submitMock = vi.mocked(submitProduct);
const listOutboxMock = vi.mocked(listOutbox);
const newRequestMock = vi.mocked(newRequest);
const checkMock = vi.mocked(checkRequest);

// ---------------------------------------------------------------------------
// Fixtures: a small cache and a search over it that behaves like catalog_search
// ---------------------------------------------------------------------------

interface CachedProduct extends SearchHit {
  owners: string[];
  openIncident: boolean;
}

function product(
  name: string,
  domain: string,
  purpose: string,
  extra: Partial<CachedProduct> = {},
): CachedProduct {
  return {
    id: `id-${name}`,
    name,
    domain,
    status: 'active',
    version: '1.0.0',
    purpose,
    tags: [],
    rank: 0,
    owners: [],
    openIncident: false,
    ...extra,
  };
}

const cache: CachedProduct[] = [
  product('Customer 360', 'customers', 'A unified view of every customer.', {
    tags: ['pii'],
    owners: ['aisha'],
  }),
  product('Order Events', 'orders', 'Every order state change, as it happens.', {
    status: 'draft',
    owners: ['li.wei'],
    openIncident: true,
  }),
  product('Payments Ledger', 'finance', 'Settled payments for reconciliation.', { tags: ['sox'] }),
];

/** The values' counts, the most frequent first, then by value (as the cache orders them). */
function counts(values: string[]): FacetCount[] {
  const map = new Map<string, number>();
  for (const v of values) map.set(v, (map.get(v) ?? 0) + 1);
  return [...map]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

/** The first `limit` of `all` (all of them for 0), and the `selected` value beyond them. */
function limited(all: FacetCount[], limit: number, selected: string | undefined): FacetCount[] {
  if (limit === 0 || all.length <= limit) return all;
  const beyond = all.slice(limit).find((c) => c.value === selected);
  return beyond ? [...all.slice(0, limit), beyond] : all.slice(0, limit);
}

/** What catalog_search answers over `products`: every word prefix-matched, filters combined. */
function search(products: readonly CachedProduct[], query: SearchQuery): SearchResult {
  const words = (query.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const found = products.filter((p) => {
    const tokens = [p.name, p.domain, p.purpose ?? '', ...p.tags].join(' ').toLowerCase().split(/[^a-z0-9]+/);
    return (
      words.every((w) => tokens.some((t) => t.startsWith(w))) &&
      (query.domain === undefined || p.domain === query.domain) &&
      (query.status === undefined || p.status === query.status) &&
      (query.tag === undefined || p.tags.includes(query.tag)) &&
      (query.owner === undefined || p.owners.includes(query.owner)) &&
      (query.openIncident === undefined || p.openIncident === query.openIncident)
    );
  });
  const all = {
    domain: counts(found.map((p) => p.domain)),
    status: counts(found.map((p) => p.status)),
    tag: counts(found.flatMap((p) => p.tags)),
    owner: counts(found.flatMap((p) => p.owners)),
    openIncident: counts(found.map((p) => String(p.openIncident))),
  };
  const limit = query.facetLimit ?? 0;
  const open = query.openIncident === undefined ? undefined : String(query.openIncident);
  return {
    total: found.length,
    hits: found.map(({ owners: _owners, openIncident: _open, ...hit }) => hit),
    facets: {
      domain: limited(all.domain, limit, query.domain),
      status: limited(all.status, limit, query.status),
      tag: limited(all.tag, limit, query.tag),
      owner: limited(all.owner, limit, query.owner),
      openIncident: limited(all.openIncident, limit, open),
    },
    facetSizes: {
      domain: all.domain.length,
      status: all.status.length,
      tag: all.tag.length,
      owner: all.owner.length,
      openIncident: all.openIncident.length,
    },
  };
}

function status(extra: Partial<SyncStatus> = {}): SyncStatus {
  return {
    phase: 'idle',
    profile: 'work',
    platform: 'https://mesh.example',
    lastSuccessAt: '2025-03-01T09:00:00Z',
    pages: 1,
    changes: 3,
    products: 3,
    ...extra,
  };
}

function outboxItem(extra: Partial<OutboxItem> = {}): OutboxItem {
  return {
    id: 'ob-1',
    profile: 'work',
    productId: '6f1c2a9e-6b7d-4e21-9a53-0c8f4d2b7e61',
    name: 'Returns Analytics',
    idempotencyKey: 'key-1',
    state: 'queued',
    attempts: 1,
    submittedAt: '2025-03-01T10:00:00Z',
    ...extra,
  };
}

function draftSummary(id: string, name: string): DraftSummary {
  return { id, name, updatedAt: '2025-03-01T10:11:12Z' };
}

/** What `request_new` answers: a fresh product id and the platform's standard infrastructure. */
function freshRequest(): ProvisioningRequest {
  return {
    apiVersion: 'meshport/v1',
    kind: 'ProvisioningRequest',
    product: {
      apiVersion: 'v1.0.0',
      kind: 'DataProduct',
      id: crypto.randomUUID(),
      name: '',
      status: 'draft',
    },
    contracts: [],
    infrastructure: {
      storage: { type: 'managed', retention: '7 years' },
      security: { accessControl: 'rbac', encryptionAtRest: true, auditLogging: true },
    },
  };
}

/** The product inside a saved or submitted document. */
function productOf(document: unknown): Record<string, unknown> {
  return (document as { product: Record<string, unknown> }).product;
}

const refusedFindings: Finding[] = [
  {
    rule: 'name-required',
    severity: 'error',
    path: '/product/name',
    message: 'A data product needs a name.',
    hint: 'Give it the name people will search for.',
  },
  {
    rule: 'schema',
    severity: 'error',
    path: '/product/id',
    message: 'The id is not a UUID.',
    hint: 'Keep the generated id.',
  },
  {
    rule: 'purpose-recommended',
    severity: 'warning',
    path: '/product/description/purpose',
    message: 'State the purpose.',
    hint: 'One sentence is enough.',
  },
];

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

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

function lastQuery(): SearchQuery | undefined {
  return searchMock.mock.calls.at(-1)?.[0];
}

/** The handler the app gave onSyncStatus: call it to emit a `sync-status` event. */
let emitStatus: (status: SyncStatus) => void = () => {
  throw new Error('the app did not subscribe to sync-status');
};
const unlisten = vi.fn();
let draftCounter = 0;

beforeEach(() => {
  for (const mock of [
    searchMock,
    syncStatusMock,
    syncNowMock,
    onSyncStatusMock,
    saveDraftMock,
    listDraftsMock,
    getDraftMock,
    removeDraftMock,
    submitMock,
    listOutboxMock,
    newRequestMock,
    checkMock,
  ]) {
    mock.mockReset();
  }
  unlisten.mockReset();
  draftCounter = 0;
  searchMock.mockImplementation((query) => Promise.resolve(search(cache, query)));
  syncStatusMock.mockResolvedValue(status());
  syncNowMock.mockResolvedValue(status({ phase: 'syncing', pages: 0, changes: 0 }));
  onSyncStatusMock.mockImplementation((handler) => {
    emitStatus = handler;
    return Promise.resolve(unlisten);
  });
  newRequestMock.mockImplementation(() => Promise.resolve(freshRequest()));
  checkMock.mockResolvedValue([]);
  vi.mocked(ownedDomains).mockResolvedValue(['orders']);
  vi.mocked(requestYaml).mockResolvedValue({ product: 'name: x\n', contracts: [] });
  vi.mocked(reviewRequest).mockResolvedValue(null);
  saveDraftMock.mockImplementation((id, document) => {
    const name = (productOf(document).name as string | undefined) ?? '';
    return Promise.resolve({ id: id ?? `draft-${++draftCounter}`, name, updatedAt: new Date().toISOString() });
  });
  listDraftsMock.mockResolvedValue([]);
  removeDraftMock.mockResolvedValue(undefined);
  listOutboxMock.mockResolvedValue([]);
});

afterEach(() => {
  vi.useRealTimers();
});

async function renderLoaded() {
  const view = render(<App />);
  await waitFor(() => expect(screen.getAllByTestId('catalog-row')).toHaveLength(cache.length));
  return view;
}

/** Opens the new product form (loaded on first use) and waits until it is shown. */
async function openForm(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByTestId('new-product'));
  await screen.findByTestId('draft-status');
}

async function fillValidProduct(user: ReturnType<typeof userEvent.setup>, name = 'Returns Analytics') {
  await user.type(field('root_name'), name);
  await user.type(field('root_version'), '1.0.0');
  await user.type(field('root_domain'), 'orders');
  await user.selectOptions(field('root_status'), 'active');
}

// ---------------------------------------------------------------------------
// Search
// ---------------------------------------------------------------------------

describe('catalog search', () => {
  it('searches the cache as the user types and shows the hits', async () => {
    const user = userEvent.setup();
    await renderLoaded();
    expect(searchMock).toHaveBeenCalledWith({ text: '', limit: 200, facetLimit: 9 });
    expect(rowNames()).toEqual(['Customer 360', 'Order Events', 'Payments Ledger']);
    expect(screen.getByTestId('catalog-count').textContent).toBe('3 data products');
    const first = screen.getAllByTestId('catalog-row')[0]!;
    expect(within(first).getByTestId('product-domain').textContent).toBe('customers');
    expect(within(first).getByTestId('product-status').textContent).toBe('active');
    expect(first.textContent).toContain('A unified view of every customer.');

    const box = screen.getByTestId('catalog-search');
    expect(box.getAttribute('placeholder')).toBe('Search data products');
    await user.type(box, 'ord');
    // One search per keystroke.
    expect(searchMock.mock.calls.map(([q]) => q.text)).toEqual(['', 'o', 'or', 'ord']);
    await waitFor(() => expect(rowNames()).toEqual(['Order Events']));
    expect(lastQuery()).toEqual({ text: 'ord', limit: 200, facetLimit: 9 });
    expect(screen.getByTestId('catalog-count').textContent).toBe('1 data product');

    await user.clear(box);
    await user.type(box, 'nothing like this');
    await waitFor(() => expect(rowNames()).toEqual([]));
    expect(screen.getByTestId('catalog-empty').textContent).toContain('No data product matches “nothing like this”');
    expect(screen.getByTestId('catalog-count').textContent).toBe('0 data products');

    await user.click(screen.getByTestId('clear-search'));
    await waitFor(() => expect(rowNames()).toHaveLength(3));
    expect((box as HTMLInputElement).value).toBe('');
    expect(await seriousViolations()).toEqual([]);
  });

  it('counts the total, not only the hits shown', async () => {
    searchMock.mockImplementation((query) => Promise.resolve({ ...search(cache, query), total: 250 }));
    await renderLoaded();
    expect(screen.getByTestId('catalog-count').textContent).toBe('250 data products');
  });

  it('asks for the whole catalog as soon as the shell listens, before the window renders, and once', async () => {
    const started = boot();
    await started.syncEvents.ready;
    await waitFor(() => expect(searchMock).toHaveBeenCalledTimes(1));
    expect(searchMock).toHaveBeenCalledWith({ text: '', limit: 200, facetLimit: 9 });
    // Listened to first, so that a sync ending meanwhile is not missed.
    expect(onSyncStatusMock.mock.invocationCallOrder[0]).toBeLessThan(searchMock.mock.invocationCallOrder[0]!);

    render(<App boot={started} />);
    await waitFor(() => expect(screen.getAllByTestId('catalog-row')).toHaveLength(cache.length));
    expect(screen.getByTestId('catalog-count').textContent).toBe('3 data products');
    expect(searchMock).toHaveBeenCalledTimes(1);
    expect(onSyncStatusMock).toHaveBeenCalledTimes(1);
  });

  it('searches again for a sync that ended between that first search and the window showing', async () => {
    const started = boot();
    await started.syncEvents.ready;
    await waitFor(() => expect(searchMock).toHaveBeenCalledTimes(1));
    emitStatus(status({ lastSuccessAt: '2025-03-01T10:00:00Z' }));

    render(<App boot={started} />);
    await waitFor(() => expect(searchMock).toHaveBeenCalledTimes(2));
    expect(searchMock.mock.calls.map(([q]) => q.text)).toEqual(['', '']);
    await waitFor(() => expect(screen.getAllByTestId('catalog-row')).toHaveLength(cache.length));
  });

  it('explains an empty cache', async () => {
    searchMock.mockImplementation((query) => Promise.resolve(search([], query)));
    render(<App />);
    const empty = await screen.findByTestId('catalog-empty');
    expect(empty.textContent).toContain('The offline catalog is empty.');
    expect(screen.getByTestId('catalog-count').textContent).toBe('0 data products');
  });

  it('narrows by facet, one value per group, combined with the text', async () => {
    const user = userEvent.setup();
    await renderLoaded();
    const facets = screen.getByTestId('facets');
    expect(within(facets).getByTestId('facet-domain-orders').textContent).toContain('1');
    expect(within(facets).getByTestId('facet-openIncident-true')).toBeTruthy();
    expect(within(facets).getByTestId('facet-owner-li.wei')).toBeTruthy();

    await user.click(screen.getByTestId('facet-domain-orders'));
    expect(lastQuery()).toEqual({ text: '', domain: 'orders', limit: 200, facetLimit: 9 });
    await waitFor(() => expect(rowNames()).toEqual(['Order Events']));
    expect(screen.getByTestId('facet-domain-orders').getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByTestId('catalog-count').textContent).toBe('1 data product');

    // The text combines with the selected facet.
    await user.type(screen.getByTestId('catalog-search'), 'order');
    expect(lastQuery()).toEqual({ text: 'order', domain: 'orders', limit: 200, facetLimit: 9 });

    // A second group adds to the first; the incident facet is a boolean.
    await user.click(screen.getByTestId('facet-openIncident-true'));
    expect(lastQuery()).toEqual({ text: 'order', domain: 'orders', openIncident: true, limit: 200, facetLimit: 9 });
    await waitFor(() => expect(screen.getByTestId('facet-openIncident-true').getAttribute('aria-pressed')).toBe('true'));

    // A selected value stays listed, even when nothing has it, so it can be cleared.
    await user.clear(screen.getByTestId('catalog-search'));
    await user.type(screen.getByTestId('catalog-search'), 'payments');
    await waitFor(() => expect(rowNames()).toEqual([]));
    expect(screen.getByTestId('facet-domain-orders').getAttribute('aria-pressed')).toBe('true');

    // Clicking the selected value clears its group.
    await user.click(screen.getByTestId('facet-domain-orders'));
    expect(lastQuery()).toEqual({ text: 'payments', openIncident: true, limit: 200, facetLimit: 9 });
    await user.click(screen.getByTestId('facet-openIncident-true'));
    expect(lastQuery()).toEqual({ text: 'payments', limit: 200, facetLimit: 9 });
    await waitFor(() => expect(rowNames()).toEqual(['Payments Ledger']));

    // Another value of a group replaces the selected one.
    await user.clear(screen.getByTestId('catalog-search'));
    await waitFor(() => expect(rowNames()).toHaveLength(3));
    await user.click(screen.getByTestId('facet-domain-finance'));
    await waitFor(() => expect(rowNames()).toEqual(['Payments Ledger']));
    await user.click(screen.getByTestId('facet-domain-finance'));
    await waitFor(() => expect(rowNames()).toHaveLength(3));
    await user.click(screen.getByTestId('facet-status-draft'));
    expect(lastQuery()).toEqual({ text: '', status: 'draft', limit: 200, facetLimit: 9 });
  });

  it('asks for every value of the facets once a group is opened to them, and for the first again', async () => {
    const user = userEvent.setup();
    // A mesh of twelve tags, the first the most frequent.
    const tagged = Array.from({ length: 12 }, (_, n) =>
      product(`Product ${n}`, 'orders', 'Tagged.', { tags: ['common', `tag-${String(n).padStart(2, '0')}`] }),
    );
    searchMock.mockImplementation((query) => Promise.resolve(search(tagged, query)));
    render(<App />);
    await waitFor(() => expect(screen.getAllByTestId('catalog-row')).toHaveLength(12));
    const tags = () =>
      within(screen.getByRole('group', { name: 'Tag' }))
        .getAllByRole('button')
        .filter((b) => b.getAttribute('aria-pressed') !== null);
    // The answer lists nine of the 13 tags; the group shows eight and counts them all.
    expect(lastQuery()).toEqual({ text: '', limit: 200, facetLimit: 9 });
    expect(tags()).toHaveLength(8);
    expect(tags()[0]?.getAttribute('data-testid')).toBe('facet-tag-common');

    await user.click(screen.getByRole('button', { name: 'Show all 13 values of Tag' }));
    expect(lastQuery()).toEqual({ text: '', limit: 200, facetLimit: 0 });
    await waitFor(() => expect(tags()).toHaveLength(13));
    // Opened, the group stays open as the search changes.
    await user.type(screen.getByTestId('catalog-search'), 'product');
    expect(lastQuery()).toEqual({ text: 'product', limit: 200, facetLimit: 0 });
    await waitFor(() => expect(tags()).toHaveLength(13));

    await user.click(screen.getByRole('button', { name: 'Show the first 8 values of Tag' }));
    expect(lastQuery()).toEqual({ text: 'product', limit: 200, facetLimit: 9 });
    await waitFor(() => expect(tags()).toHaveLength(8));
    screen.getByRole('button', { name: 'Show all 13 values of Tag' });
  });

  it('ignores answers to searches that were overtaken', async () => {
    const pending = new Map<string, Deferred<SearchResult>>();
    searchMock.mockImplementation((query) => {
      const typed = query.text ?? '';
      if (typed === '') return Promise.resolve(search(cache, query));
      const d = deferred<SearchResult>();
      pending.set(typed, d);
      return d.promise;
    });
    const user = userEvent.setup();
    await renderLoaded();

    await user.type(screen.getByTestId('catalog-search'), 'pa');
    expect([...pending.keys()]).toEqual(['p', 'pa']);
    // The latest answers first, then the older one arrives late.
    await act(async () => {
      pending.get('pa')!.resolve(search(cache, { text: 'pa', limit: 200, facetLimit: 9 }));
      await Promise.resolve();
    });
    await waitFor(() => expect(rowNames()).toEqual(['Payments Ledger']));
    await act(async () => {
      pending.get('p')!.resolve(search(cache, { text: '', limit: 200, facetLimit: 9 }));
      await Promise.resolve();
    });
    expect(rowNames()).toEqual(['Payments Ledger']);
    expect(screen.getByTestId('catalog-count').textContent).toBe('1 data product');
  });

  it('shows a banner when the catalog cannot be searched', async () => {
    searchMock.mockRejectedValue({ code: 'database', message: 'disk I/O error' });
    render(<App />);
    const banner = await screen.findByTestId('error-banner');
    expect(banner.textContent).toContain('disk I/O error');
    expect(banner.getAttribute('data-code')).toBe('database');
  });
});

// ---------------------------------------------------------------------------
// Sync status
// ---------------------------------------------------------------------------

describe('sync status', () => {
  it('renders every phase and re-runs the search when a sync brings news', async () => {
    syncStatusMock.mockResolvedValue(status({ phase: 'syncing', changes: 3, pages: 1, lastSuccessAt: undefined }));
    const user = userEvent.setup();
    const view = await renderLoaded();
    const bar = screen.getByTestId('sync-status');
    await waitFor(() => expect(bar.getAttribute('data-phase')).toBe('syncing'));
    expect(bar.textContent).toBe('Syncing… 3 changes, 1 page');

    await user.type(screen.getByTestId('catalog-search'), 'cust');
    await waitFor(() => expect(rowNames()).toEqual(['Customer 360']));
    const outboxReads = listOutboxMock.mock.calls.length;

    act(() => emitStatus(status({ phase: 'offline', lastSuccessAt: undefined })));
    expect(bar.getAttribute('data-phase')).toBe('offline');
    expect(bar.textContent).toBe('Offline — showing the cache from never');

    act(() => emitStatus(status({ phase: 'offline', lastSuccessAt: '2020-05-04T03:02:01Z' })));
    expect(bar.textContent).toMatch(/^Offline — showing the cache from 2020-05-0\d \d\d:\d\d$/);

    act(() => emitStatus(status({ phase: 'failed', message: 'The platform refused the token.' })));
    expect(bar.getAttribute('data-phase')).toBe('failed');
    expect(bar.textContent).toBe('The platform refused the token.');

    // Every event refreshes the outbox.
    expect(listOutboxMock.mock.calls.length).toBe(outboxReads + 3);

    // A sync that ended with a new lastSuccessAt: the cache changed, search again with the same query.
    const searches = searchMock.mock.calls.length;
    const fresh = new Date().toISOString();
    act(() => emitStatus(status({ phase: 'idle', lastSuccessAt: fresh, products: 7 })));
    expect(bar.getAttribute('data-phase')).toBe('idle');
    expect(bar.textContent).toMatch(/^Synced \d\d:\d\d · 7 products$/);
    expect(searchMock.mock.calls.length).toBe(searches + 1);
    expect(lastQuery()).toEqual({ text: 'cust', limit: 200, facetLimit: 9 });

    // Idle again with the same lastSuccessAt: nothing new, no search.
    act(() => emitStatus(status({ phase: 'idle', lastSuccessAt: fresh, products: 7 })));
    expect(searchMock.mock.calls.length).toBe(searches + 1);

    await user.click(screen.getByTestId('sync-now'));
    expect(syncNowMock).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(bar.getAttribute('data-phase')).toBe('syncing'));
    expect(bar.textContent).toBe('Syncing… 0 changes, 0 pages');

    view.unmount();
    expect(unlisten).toHaveBeenCalledTimes(1);
  });

  it('does not let a sync_now answer overtaken by an event win', async () => {
    const answer = deferred<SyncStatus>();
    syncNowMock.mockReturnValue(answer.promise);
    const user = userEvent.setup();
    await renderLoaded();
    await waitFor(() => expect(screen.getByTestId('sync-status').getAttribute('data-phase')).toBe('idle'));

    await user.click(screen.getByTestId('sync-now'));
    act(() => emitStatus(status({ phase: 'offline' })));
    await act(async () => {
      answer.resolve(status({ phase: 'syncing' }));
      await answer.promise;
    });
    expect(screen.getByTestId('sync-status').getAttribute('data-phase')).toBe('offline');
  });
});

// ---------------------------------------------------------------------------
// Drafts
// ---------------------------------------------------------------------------

describe('drafts', () => {
  it('autosaves 500 ms after the last change and reuses the draft id', async () => {
    const user = userEvent.setup();
    await renderLoaded();
    await openForm(user);
    expect(screen.getByTestId('draft-status').getAttribute('data-state')).toBe('new');
    // Opening the form saves nothing.
    expect(saveDraftMock).not.toHaveBeenCalled();

    vi.useFakeTimers();
    fireEvent.change(field('root_name'), { target: { value: 'Re' } });
    expect(screen.getByTestId('draft-status').textContent).toBe('Saving…');
    act(() => {
      vi.advanceTimersByTime(300);
    });
    fireEvent.change(field('root_name'), { target: { value: 'Ret' } });
    act(() => {
      vi.advanceTimersByTime(300);
    });
    // 600 ms since the first change, 300 since the last: not yet.
    expect(saveDraftMock).not.toHaveBeenCalled();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(200);
    });
    expect(saveDraftMock).toHaveBeenCalledTimes(1);
    expect(saveDraftMock.mock.calls[0]![0]).toBeNull();
    expect(saveDraftMock.mock.calls[0]![1]).toMatchObject({
      kind: 'ProvisioningRequest',
      product: { name: 'Ret', kind: 'DataProduct', status: 'draft' },
    });
    // The step the user is on is saved with the draft.
    expect(saveDraftMock.mock.calls[0]![2]).toBe('product');
    expect(screen.getByTestId('draft-status').textContent).toMatch(/^Draft saved \d\d:\d\d:\d\d$/);
    expect(screen.getByTestId('draft-status').getAttribute('data-state')).toBe('saved');

    fireEvent.change(field('root_domain'), { target: { value: 'orders' } });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(500);
    });
    expect(saveDraftMock).toHaveBeenCalledTimes(2);
    expect(saveDraftMock.mock.calls[1]![0]).toBe('draft-1');
    expect(productOf(saveDraftMock.mock.calls[1]![1])).toMatchObject({ name: 'Ret', domain: 'orders' });
  });

  it('keeps saving while typing goes on, so a draft is at most about a second behind', async () => {
    const user = userEvent.setup();
    await renderLoaded();
    await openForm(user);
    vi.useFakeTimers();
    // A change every 200 ms for 2 s: a pure debounce would not save until the typing stops.
    let typed = '';
    for (let i = 0; i < 10; i++) {
      typed += 'x';
      fireEvent.change(field('root_name'), { target: { value: typed } });
      await act(async () => {
        await vi.advanceTimersByTimeAsync(200);
      });
    }
    expect(saveDraftMock.mock.calls.length).toBeGreaterThanOrEqual(2);
    // The last save during the typing holds what was on screen at most about a second earlier.
    const lastSaved = productOf(saveDraftMock.mock.calls.at(-1)![1]).name as string;
    expect(typed.length - lastSaved.length).toBeLessThanOrEqual(5);
  });

  it('keeps what was typed when a save fails, and retries', async () => {
    saveDraftMock.mockRejectedValueOnce({ code: 'database', message: 'disk full' });
    const user = userEvent.setup();
    await renderLoaded();
    await openForm(user);

    vi.useFakeTimers();
    fireEvent.change(field('root_name'), { target: { value: 'Kept' } });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(500);
    });
    expect(screen.getByTestId('draft-status').textContent).toContain('disk full');
    expect(screen.getByTestId('draft-status').getAttribute('data-state')).toBe('error');
    expect(field('root_name').value).toBe('Kept');

    await act(async () => {
      fireEvent.click(screen.getByTestId('draft-retry'));
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(saveDraftMock).toHaveBeenCalledTimes(2);
    expect(saveDraftMock.mock.calls[1]![0]).toBeNull();
    expect(screen.getByTestId('draft-status').getAttribute('data-state')).toBe('saved');
    expect(field('root_name').value).toBe('Kept');
  });

  it('lists the drafts, resumes one with its data and keeps saving to it', async () => {
    listDraftsMock.mockResolvedValue([draftSummary('d7', 'Half done'), draftSummary('d8', '')]);
    const document = {
      apiVersion: 'v1.0.0',
      kind: 'DataProduct',
      id: '0b7f6a5e-4d3c-4b2a-9f1e-0d9c8b7a6f5e',
      name: 'Half done',
      status: 'draft',
      domain: 'orders',
    };
    getDraftMock.mockResolvedValue({ id: 'd7', document, updatedAt: '2025-03-01T10:11:12Z' } satisfies Draft);
    const user = userEvent.setup();
    await renderLoaded();

    const rows = await screen.findAllByTestId('draft-row');
    expect(rows.map((r) => within(r).getByTestId('draft-name').textContent)).toEqual(['Half done', 'Untitled']);
    await user.click(within(rows[0]!).getByTestId('draft-resume'));

    await waitFor(() => expect(field('root_name').value).toBe('Half done'));
    expect(getDraftMock).toHaveBeenCalledWith('d7');
    expect(field('root_domain').value).toBe('orders');
    expect(field('root_id').value).toBe(document.id);
    expect(screen.getByTestId('draft-status').textContent).toMatch(/^Draft saved \d\d:\d\d:\d\d$/);
    // The draft list cannot act on the draft being edited.
    expect(within(screen.getByTestId('drafts')).getAllByTestId('draft-discard')[0]).toHaveProperty('disabled', true);

    await user.type(field('root_name'), ' v2');
    // An older draft (a bare product) is resumed into a request, and saved as one.
    await waitFor(
      () =>
        expect(saveDraftMock.mock.calls.at(-1)?.[1]).toMatchObject({
          kind: 'ProvisioningRequest',
          product: { name: 'Half done v2', domain: 'orders' },
        }),
      { timeout: 3_000 },
    );
    for (const [id] of saveDraftMock.mock.calls) expect(id).toBe('d7');
  });

  it('discards a draft', async () => {
    listDraftsMock.mockResolvedValueOnce([draftSummary('d7', 'Half done')]).mockResolvedValue([]);
    const user = userEvent.setup();
    await renderLoaded();
    await user.click(await screen.findByTestId('draft-discard'));
    expect(removeDraftMock).toHaveBeenCalledWith('d7');
    await waitFor(() => expect(screen.queryByTestId('drafts')).toBeNull());
  });

  it('cancelling saves the last changes and keeps the draft', async () => {
    const user = userEvent.setup();
    await renderLoaded();
    listDraftsMock.mockResolvedValue([draftSummary('draft-1', 'Unfinished')]);
    await openForm(user);
    await user.type(field('root_name'), 'Unfinished');
    await user.click(screen.getByTestId('cancel-product'));

    expect(document.getElementById('root_name')).toBeNull();
    await waitFor(() => expect(productOf(saveDraftMock.mock.calls.at(-1)?.[1])).toMatchObject({ name: 'Unfinished' }));
    expect(removeDraftMock).not.toHaveBeenCalled();
    const row = await screen.findByTestId('draft-row');
    expect(row.textContent).toContain('Unfinished');
  });
});

// ---------------------------------------------------------------------------
// Submit and the outbox
// ---------------------------------------------------------------------------

describe('submit', () => {
  it('shows error findings on their fields as typed, holds Submit, and keeps what was typed', async () => {
    checkMock.mockResolvedValue(refusedFindings);
    const user = userEvent.setup();
    await renderLoaded();

    await openForm(user);
    const id = field('root_id');
    expect(id.value).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect((field('root_status') as unknown as HTMLSelectElement).value).toBe('draft');
    expect(field('root_name').placeholder).toBe('e.g. Customer 360');
    expect(screen.getByTestId('save-product').textContent).toBe('Submit');

    await user.type(field('root_name'), '   ');
    await user.clear(id);
    await user.type(id, 'not-a-uuid');
    await user.type(field('root_domain'), 'orders');

    // The check of what was typed (the mocked shell's findings) shows on the fields.
    const nameErrors = await waitFor(() => {
      const el = document.getElementById('root_name__error');
      if (!el?.textContent?.includes('A data product needs a name.')) throw new Error('no name errors yet');
      return el;
    });
    expect(nameErrors.classList.contains('error-detail')).toBe(true);
    expect(nameErrors.textContent).toContain('Give it the name people will search for.');
    expect(document.getElementById('root_id__error')?.textContent).toContain('The id is not a UUID.');
    expect(document.getElementById('root_description_purpose__error')?.textContent).toContain('State the purpose.');
    const summary = screen.getByTestId('findings');
    expect(summary.textContent).toContain('3 findings on this step');
    expect(summary.textContent).toContain('Keep the generated id.');
    // Submit waits until the errors are fixed; nothing was sent or queued.
    expect(screen.getByTestId('save-product')).toHaveProperty('disabled', true);
    expect(screen.getByTestId('submit-state').textContent).toBe('2 errors to fix before submitting');
    await user.click(screen.getByTestId('save-product'));
    expect(submitMock).not.toHaveBeenCalled();
    // The check was of the request as typed, and the draft holds it.
    expect(checkMock.mock.calls.at(-1)![0]).toMatchObject({
      apiVersion: 'meshport/v1',
      kind: 'ProvisioningRequest',
      product: { apiVersion: 'v1.0.0', kind: 'DataProduct', id: 'not-a-uuid', name: '   ', status: 'draft', domain: 'orders' },
      contracts: [],
    });
    // The draft is saved while typing (at most a second behind) and again once the typing stops:
    // the last save holds everything typed.
    await waitFor(
      () => expect(productOf(saveDraftMock.mock.calls.at(-1)![1])).toMatchObject({ id: 'not-a-uuid', domain: 'orders' }),
      { timeout: 3_000 },
    );

    // Everything typed is still there; nothing was queued.
    expect(field('root_name').value).toBe('   ');
    expect(field('root_id').value).toBe('not-a-uuid');
    expect(field('root_domain').value).toBe('orders');
    expect(screen.queryByTestId('notice')).toBeNull();
    expect(screen.queryByTestId('outbox')).toBeNull();
    // The e2e test picks the status by clicking <option value="...">.
    expect(document.querySelector('#root_status option[value="active"]')).not.toBeNull();

    // Fixed: the check finds nothing, and the submit goes with the draft.
    checkMock.mockResolvedValue([]);
    await user.type(field('root_name'), 'x');
    await user.clear(field('root_id'));
    await user.type(field('root_id'), '0b7f6a5e-4d3c-4b2a-9f1e-0d9c8b7a6f5e');
    await waitFor(() => expect(screen.getByTestId('save-product')).toHaveProperty('disabled', false));
    await user.click(screen.getByTestId('save-product'));
    await waitFor(() => expect(submitMock).toHaveBeenCalledTimes(1));
    expect(submitMock.mock.calls[0]![0]).toBe('draft-1');
    for (const [savedTo] of saveDraftMock.mock.calls.slice(1)) expect(savedTo).toBe('draft-1');
  });

  it('queues a submit: closes the form, says so, and follows it in the outbox', async () => {
    let outbox: OutboxItem[] = [];
    listOutboxMock.mockImplementation(() => Promise.resolve(outbox));
    submitMock.mockImplementation(() => {
      outbox = [outboxItem({ state: 'queued', lastError: 'connection refused' })];
      return Promise.resolve({ findings: [], outbox: outbox[0] } satisfies SubmitOutcome);
    });
    const user = userEvent.setup();
    await renderLoaded();
    expect(screen.queryByTestId('outbox')).toBeNull();

    await openForm(user);
    await fillValidProduct(user);
    await user.click(screen.getByTestId('save-product'));

    const notice = await screen.findByTestId('notice');
    expect(notice.textContent).toContain(
      '“Returns Analytics” is queued: it will be sent when the platform is reachable.',
    );
    expect(document.getElementById('root_name')).toBeNull();
    const sent = productOf(submitMock.mock.calls[0]![1]);
    expect(sent).toMatchObject({ name: 'Returns Analytics', version: '1.0.0', domain: 'orders', status: 'active' });
    // Untouched optional sections are not sent as empty containers.
    expect(sent).not.toHaveProperty('tags');
    expect(sent).not.toHaveProperty('description');

    const row = await screen.findByTestId('outbox-row');
    expect(row.getAttribute('data-state')).toBe('queued');
    expect(row.textContent).toContain('Returns Analytics');
    expect(row.textContent).toContain('connection refused');
    expect(within(row).getByTestId('outbox-job-state').textContent).toBe('—');
    // The form closed: the drafts are listed again.
    await waitFor(() => expect(listDraftsMock.mock.calls.length).toBeGreaterThanOrEqual(2));

    // Polled while queued: the platform took it and its job ran.
    outbox = [outboxItem({ state: 'delivered', jobId: 'job-1', jobState: 'succeeded', deliveredAt: '2025-03-01T10:00:05Z' })];
    await waitFor(
      () => expect(screen.getByTestId('outbox-row').getAttribute('data-state')).toBe('delivered'),
      { timeout: 3_500 },
    );
    expect(screen.getByTestId('outbox-job-state').textContent).toBe('succeeded');
    expect(screen.getByTestId('outbox-row').textContent).not.toContain('connection refused');
    // The job provisioned it: a sync brings it into the catalog.
    await waitFor(() => expect(syncNowMock).toHaveBeenCalledTimes(1));
  });

  it.each([
    ['delivered', outboxItem({ state: 'delivered', jobId: 'job-1', jobState: 'queued' }), '“Returns Analytics” was submitted.'],
    ['refused', outboxItem({ state: 'refused', lastError: 'The orders domain does not exist.' }), 'The orders domain does not exist.'],
  ])('says when a submit was %s', async (_state, item, text) => {
    listOutboxMock.mockResolvedValueOnce([]).mockResolvedValue([item]);
    submitMock.mockResolvedValue({ findings: [], outbox: item });
    const user = userEvent.setup();
    await renderLoaded();
    await openForm(user);
    await fillValidProduct(user);
    await user.click(screen.getByTestId('save-product'));
    const notice = await screen.findByTestId('notice');
    expect(notice.textContent).toContain(text);
    expect(notice.textContent).toContain('Returns Analytics');
    expect((await screen.findByTestId('outbox-row')).getAttribute('data-state')).toBe(item.state);
  });

  it('keeps the form when the submit command fails', async () => {
    submitMock.mockRejectedValue({ code: 'database', message: 'disk I/O error' });
    const user = userEvent.setup();
    await renderLoaded();
    await openForm(user);
    await fillValidProduct(user);
    await user.click(screen.getByTestId('save-product'));
    const banner = await screen.findByTestId('error-banner');
    expect(banner.textContent).toContain('disk I/O error');
    expect(field('root_name').value).toBe('Returns Analytics');
    expect(screen.queryByTestId('notice')).toBeNull();
  });
});

describe('edit as a new version', () => {
  it('offers the products of the user’s domains, and opens the wizard on the published product', async () => {
    vi.mocked(editProduct).mockResolvedValue({
      ...freshRequest(),
      product: { apiVersion: 'v1.0.0', kind: 'DataProduct', id: 'id-Order Events', name: 'Order Events', status: 'active', version: '1.0.0', domain: 'orders' },
    });
    const user = userEvent.setup();
    await renderLoaded();
    // Only the orders domain is the user's.
    const edits = await screen.findAllByRole('link', { name: /as a new version$/ });
    expect(edits.map((e) => e.getAttribute('aria-label'))).toEqual(['Edit Order Events as a new version']);
    await user.click(edits[0]!);
    expect(await screen.findByRole('heading', { name: 'New version of “Order Events”' })).toBeTruthy();
    expect(editProduct).toHaveBeenCalledWith('id-Order Events');
    expect(field('root_version').value).toBe('1.0.0');
    expect(field('root_name').value).toBe('Order Events');
  });
});

describe('the catalog opens a product', () => {
  it('opens the product’s page from its name, where its owner may unprovision it', async () => {
    vi.mocked(productView).mockResolvedValue({
      product: { apiVersion: 'v1.0.0', kind: 'DataProduct', id: 'id-Order Events', name: 'Order Events', status: 'draft' },
      contracts: [],
      incidents: [],
      accessRequests: [],
      upstream: [],
      downstream: [],
      user: 'li.wei',
      owner: true,
    });
    const user = userEvent.setup();
    await renderLoaded();
    expect(screen.queryByRole('button', { name: /^Unprovision / })).toBeNull();
    await user.click(screen.getByRole('link', { name: 'Order Events' }));
    expect(await screen.findByRole('heading', { name: 'Order Events' })).toBeTruthy();
    expect(productView).toHaveBeenCalledWith('id-Order Events');
    expect(screen.getByRole('button', { name: 'Unprovision Order Events' })).toBeTruthy();
  });
});
