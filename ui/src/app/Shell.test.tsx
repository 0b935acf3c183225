import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Draft, DraftSummary, OutboxItem, SearchQuery, SearchResult, SyncStatus } from '../bindings';
import { App } from '../App';
import {
  checkRequest,
  getDraft,
  listDrafts,
  newRequest,
  ownedDomains,
  listOutbox,
  onSyncStatus,
  removeDraft,
  saveDraft,
  searchCatalog,
  submitProduct,
  syncNow,
  syncStatus,
} from '../lib/ipc';
import { historyDelta } from './history';

vi.mock('../lib/ipc', async (importOriginal) => ({
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
  noticeCounts: vi.fn(() => Promise.resolve({ incidents: 2, access: 0 })),
  onNotices: vi.fn(() => Promise.resolve(() => undefined)),
}));

const searchMock = vi.mocked(searchCatalog);
const listDraftsMock = vi.mocked(listDrafts);
const getDraftMock = vi.mocked(getDraft);
const listOutboxMock = vi.mocked(listOutbox);
const saveDraftMock = vi.mocked(saveDraft);

function result(query: SearchQuery): SearchResult {
  const hits = [
    { id: 'p1', name: 'Customer 360', domain: 'customers', status: 'active', version: '1.0.0', tags: [], rank: 0 },
    { id: 'p2', name: 'Order Events', domain: 'orders', status: 'draft', version: '1.0.0', tags: [], rank: 0 },
  ].filter((h) => h.name.toLowerCase().includes((query.text ?? '').toLowerCase()));
  return {
    total: hits.length,
    hits,
    facets: { domain: [], status: [], tag: [], owner: [], openIncident: [] },
  };
}

function status(extra: Partial<SyncStatus> = {}): SyncStatus {
  return {
    phase: 'idle',
    profile: 'work',
    platform: 'https://mesh.example',
    lastSuccessAt: '2025-03-01T09:00:00Z',
    pages: 1,
    changes: 2,
    products: 2,
    ...extra,
  };
}

const halfDone: DraftSummary = { id: 'd7', name: 'Half done', updatedAt: '2025-03-01T10:11:12Z' };
const halfDoneDraft: Draft = {
  id: 'd7',
  updatedAt: '2025-03-01T10:11:12Z',
  document: {
    apiVersion: 'v1.0.0',
    kind: 'DataProduct',
    id: '0b7f6a5e-4d3c-4b2a-9f1e-0d9c8b7a6f5e',
    name: 'Half done',
    status: 'draft',
    domain: 'orders',
  },
};

function queued(name: string): OutboxItem {
  return {
    id: `ob-${name}`,
    profile: 'work',
    productId: '6f1c2a9e-6b7d-4e21-9a53-0c8f4d2b7e61',
    name,
    idempotencyKey: `key-${name}`,
    state: 'queued',
    attempts: 1,
    submittedAt: '2025-03-01T10:00:00Z',
  };
}

/** The handler the app gave onSyncStatus: call it to emit a `sync-status` event. */
let emitStatus: (status: SyncStatus) => void = () => {
  throw new Error('the app did not subscribe to sync-status');
};

beforeEach(() => {
  vi.mocked(onSyncStatus).mockImplementation((handler) => {
    emitStatus = handler;
    return Promise.resolve(() => {});
  });
  searchMock.mockImplementation((query) => Promise.resolve(result(query)));
  vi.mocked(syncStatus).mockResolvedValue(status());
  vi.mocked(syncNow).mockResolvedValue(status({ phase: 'syncing' }));
  saveDraftMock.mockImplementation((id, document) =>
    Promise.resolve({
      id: id ?? 'draft-1',
      name: (document as { product?: { name?: string } }).product?.name ?? '',
      updatedAt: new Date().toISOString(),
    }),
  );
  listDraftsMock.mockResolvedValue([]);
  getDraftMock.mockResolvedValue(halfDoneDraft);
  vi.mocked(removeDraft).mockResolvedValue(undefined);
  vi.mocked(submitProduct).mockRejectedValue({ code: 'unexpected', message: 'not in these tests' });
  listOutboxMock.mockResolvedValue([]);
  vi.mocked(newRequest).mockImplementation(() =>
    Promise.resolve({
      apiVersion: 'meshport/v1',
      kind: 'ProvisioningRequest',
      product: { apiVersion: 'v1.0.0', kind: 'DataProduct', id: crypto.randomUUID(), name: '', status: 'draft' },
      contracts: [],
      infrastructure: { storage: { type: 'managed' } },
    }),
  );
  vi.mocked(checkRequest).mockResolvedValue([]);
  vi.mocked(ownedDomains).mockResolvedValue([]);
});

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

const NAV_LABELS = ['Catalog', 'New data product', 'Drafts', 'Jobs', 'Quality', 'Incidents', 'Access', 'Settings'];

function mainNav(): HTMLElement {
  return screen.getByRole('navigation', { name: 'Main' });
}

function navLink(name: string): HTMLElement {
  return within(mainNav()).getByRole('link', { name });
}

/** The labels of the navigation's links marked as the current page. */
function currentLinks(): string[] {
  return within(mainNav())
    .getAllByRole('link')
    .filter((a) => a.getAttribute('aria-current') === 'page')
    .map((a) => a.textContent ?? '');
}

/** The view shown, told by what only that view holds. */
function view(): 'catalog' | 'form' | 'drafts' | 'jobs' | 'not-found' | 'none' {
  if (document.getElementById('root_name')) return 'form';
  if (screen.queryByTestId('catalog-list')) return 'catalog';
  if (screen.queryByTestId('drafts-empty') ?? screen.queryByRole('heading', { name: /^Drafts/ })) return 'drafts';
  if (screen.queryByTestId('jobs-empty') ?? screen.queryByRole('heading', { name: /^Jobs/ })) return 'jobs';
  if (screen.queryByTestId('not-found')) return 'not-found';
  return 'none';
}

/** Where the window is: the route in the URL's fragment. */
function route(): string {
  return window.location.hash;
}

/** Waits until the window shows `shown` at `at` (Back and Forward move the history first, then the view). */
async function waitForView(at: string, shown: ReturnType<typeof view>) {
  await waitFor(() => {
    expect(route()).toBe(at);
    expect(view()).toBe(shown);
  });
}

/** Renders the window at `url` (a deep link) and waits for the catalog's first answer. */
async function renderAt(url = '/') {
  window.history.replaceState(null, '', url);
  const rendered = render(<App />);
  await waitFor(() => expect(screen.getByTestId('catalog-count').textContent).toBe('2 data products'));
  return rendered;
}

// ---------------------------------------------------------------------------
// Navigation
// ---------------------------------------------------------------------------

describe('main navigation', () => {
  it('names its views and marks the current one', async () => {
    await renderAt();
    expect(route()).toBe('#/catalog');
    expect(within(mainNav()).getAllByRole('link').map((a) => a.textContent)).toEqual(NAV_LABELS);
    for (const label of NAV_LABELS) expect(navLink(label)).toBeTruthy();
    expect(currentLinks()).toEqual(['Catalog']);
    expect(view()).toBe('catalog');
  });

  it('counts what the sync brought beside a link, whose name stays the view’s', async () => {
    await renderAt();
    const badge = await within(mainNav()).findByTestId('badge-incidents');
    expect(badge.textContent).toBe('2 new in Incidents');
    expect(within(mainNav()).queryByTestId('badge-access')).toBeNull();
    expect(navLink('Incidents')).toBeTruthy();
  });

  it('goes from view to view by its links', async () => {
    const user = userEvent.setup();
    listOutboxMock.mockResolvedValue([queued('Returns Analytics')]);
    listDraftsMock.mockResolvedValue([halfDone]);
    await renderAt();

    await user.click(navLink('Jobs'));
    expect(route()).toBe('#/jobs');
    expect(currentLinks()).toEqual(['Jobs']);
    expect(screen.getByRole('heading', { name: /^Jobs/ })).toBeTruthy();
    expect(screen.getByTestId('outbox-row').textContent).toContain('Returns Analytics');
    expect(screen.queryByTestId('catalog-list')).toBeNull();

    await user.click(navLink('Drafts'));
    expect(route()).toBe('#/drafts');
    expect(currentLinks()).toEqual(['Drafts']);
    expect(within(screen.getByTestId('drafts')).getByTestId('draft-name').textContent).toBe('Half done');
    expect(screen.queryByTestId('outbox')).toBeNull();

    await user.click(navLink('New data product'));
    expect(route()).toBe('#/products/new');
    expect(currentLinks()).toEqual(['New data product']);
    // The form's code loads on first use.
    await waitFor(() => expect(view()).toBe('form'));
    // The form opens beside the catalog, as it always did.
    expect(screen.getAllByTestId('catalog-row')).toHaveLength(2);

    await user.click(navLink('Catalog'));
    expect(route()).toBe('#/catalog');
    expect(currentLinks()).toEqual(['Catalog']);
    expect(view()).toBe('catalog');
  });

  it('says when a view has nothing to list', async () => {
    const user = userEvent.setup();
    await renderAt();
    await user.click(navLink('Jobs'));
    expect((await screen.findByTestId('jobs-empty')).textContent).toContain('Nothing was submitted');
    await user.click(navLink('Drafts'));
    expect((await screen.findByTestId('drafts-empty')).textContent).toContain('No drafts.');
  });

  it('keeps the search while the user visits other views', async () => {
    const user = userEvent.setup();
    await renderAt();
    await user.type(screen.getByTestId('catalog-search'), 'order');
    await waitFor(() => expect(screen.getAllByTestId('catalog-row')).toHaveLength(1));
    await user.click(navLink('Jobs'));
    // The header's count is the search's, on every view.
    expect(screen.getByTestId('catalog-count').textContent).toBe('1 data product');
    await user.click(navLink('Catalog'));
    expect(screen.getByTestId<HTMLInputElement>('catalog-search').value).toBe('order');
    expect(screen.getAllByTestId('catalog-row')).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------
// Back and Forward
// ---------------------------------------------------------------------------

describe('back and forward', () => {
  it('go through the views with Alt+Left and Alt+Right', async () => {
    const user = userEvent.setup();
    await renderAt();
    await user.click(navLink('Jobs'));
    await user.click(navLink('Drafts'));
    expect(view()).toBe('drafts');

    await user.keyboard('{Alt>}{ArrowLeft}{/Alt}');
    await waitForView('#/jobs', 'jobs');
    expect(currentLinks()).toEqual(['Jobs']);

    await user.keyboard('{Alt>}{ArrowLeft}{/Alt}');
    await waitForView('#/catalog', 'catalog');
    expect(currentLinks()).toEqual(['Catalog']);

    await user.keyboard('{Alt>}{ArrowRight}{/Alt}');
    await waitForView('#/jobs', 'jobs');

    await user.keyboard('{Alt>}{ArrowRight}{/Alt}');
    await waitForView('#/drafts', 'drafts');
  });

  it('take the keys from the webview, and leave other keys alone', async () => {
    const user = userEvent.setup();
    await renderAt();
    await user.click(navLink('Jobs'));

    // Handled: the webview must not go back a second time.
    expect(fireEvent.keyDown(window, { key: 'ArrowLeft', altKey: true })).toBe(false);
    await waitForView('#/catalog', 'catalog');

    for (const init of [
      { key: 'ArrowLeft' },
      { key: 'ArrowLeft', altKey: true, shiftKey: true },
      { key: 'ArrowLeft', altKey: true, ctrlKey: true },
      { key: 'ArrowRight', altKey: true, repeat: true },
    ]) {
      expect(fireEvent.keyDown(window, init), JSON.stringify(init)).toBe(true);
    }
    // Typing in the search box with the arrow keys moves no page.
    await user.type(screen.getByTestId('catalog-search'), 'cu{ArrowLeft}{ArrowRight}');
    await new Promise((r) => setTimeout(r, 50));
    expect(route()).toBe('#/catalog');
  });

  it('knows the keyboard keys that go back and forward', () => {
    const key = (init: KeyboardEventInit) => historyDelta(new KeyboardEvent('keydown', init));
    expect(key({ key: 'ArrowLeft', altKey: true })).toBe(-1);
    expect(key({ key: 'ArrowRight', altKey: true })).toBe(1);
    expect(key({ key: 'BrowserBack' })).toBe(-1);
    expect(key({ key: 'BrowserForward' })).toBe(1);
    expect(key({ key: 'ArrowLeft' })).toBe(0);
    expect(key({ key: 'ArrowUp', altKey: true })).toBe(0);
    expect(key({ key: 'ArrowLeft', altKey: true, metaKey: true })).toBe(0);
  });

  it('follow the mouse buttons, which move the webview history', async () => {
    const user = userEvent.setup();
    await renderAt();
    await user.click(navLink('Jobs'));
    // What wry does for the mouse's back button on Linux and macOS: a synthetic mouseup with button 3,
    // then history.back() unless a listener prevented it. The window must not prevent it.
    const backButton = new MouseEvent('mouseup', { button: 3, bubbles: true, cancelable: true });
    document.body.dispatchEvent(backButton);
    expect(backButton.defaultPrevented).toBe(false);
    act(() => window.history.back());
    await waitForView('#/catalog', 'catalog');
    act(() => window.history.forward());
    await waitForView('#/jobs', 'jobs');
  });

  it('onto a new form that was typed in, resume its draft', async () => {
    // The drafts as saved, for draft_get.
    const saved = new Map<string, Draft['document']>();
    saveDraftMock.mockImplementation((id, document) => {
      const draftId = id ?? 'draft-1';
      saved.set(draftId, document as Draft['document']);
      return Promise.resolve({ id: draftId, name: '', updatedAt: new Date().toISOString() });
    });
    getDraftMock.mockImplementation((id) =>
      Promise.resolve({ id, document: saved.get(id) ?? {}, updatedAt: new Date().toISOString() }),
    );
    const user = userEvent.setup();
    await renderAt();
    await user.click(navLink('New data product'));
    await user.type(document.getElementById('root_name')!, 'Kept');

    // Away before the autosave: the form saves as it goes.
    await user.click(navLink('Jobs'));
    await waitFor(() => expect(saveDraftMock).toHaveBeenCalled());
    expect(saved.get('draft-1')).toMatchObject({ product: { name: 'Kept' } });

    await user.keyboard('{Alt>}{ArrowLeft}{/Alt}');
    await waitForView('#/products/new', 'form');
    await waitFor(() => expect((document.getElementById('root_name') as HTMLInputElement).value).toBe('Kept'));
    expect(getDraftMock).toHaveBeenCalledWith('draft-1');

    // It goes on saving to the same draft.
    await user.type(document.getElementById('root_name')!, '!');
    await waitFor(() => expect(saved.get('draft-1')).toMatchObject({ product: { name: 'Kept!' } }), { timeout: 2_000 });
    for (const [id] of saveDraftMock.mock.calls.slice(1)) expect(id).toBe('draft-1');
  });

  it('Cancel goes back to the view the form was opened from, and Forward opens it again', async () => {
    const user = userEvent.setup();
    await renderAt();
    await user.click(navLink('Jobs'));
    await user.click(navLink('New data product'));
    expect(view()).toBe('form');

    await user.click(screen.getByTestId('cancel-product'));
    expect(document.getElementById('root_name')).toBeNull();
    await waitForView('#/jobs', 'jobs');

    await user.keyboard('{Alt>}{ArrowRight}{/Alt}');
    await waitForView('#/products/new', 'form');
  });
});

// ---------------------------------------------------------------------------
// Deep links
// ---------------------------------------------------------------------------

describe('deep links', () => {
  it.each([
    ['/', '#/catalog', 'catalog', ['Catalog']],
    ['/#/catalog', '#/catalog', 'catalog', ['Catalog']],
    ['/#/jobs', '#/jobs', 'jobs', ['Jobs']],
    ['/#/drafts', '#/drafts', 'drafts', ['Drafts']],
    ['/#/products/new', '#/products/new', 'form', ['New data product']],
    ['/#/nowhere', '#/nowhere', 'not-found', []],
  ])('%s lands on its view', async (url, at, shown, current) => {
    await renderAt(url);
    await waitFor(() => expect(view()).toBe(shown));
    expect(route()).toBe(at);
    expect(currentLinks()).toEqual(current);
  });

  it('opens a draft by its URL, and closing it goes to the catalog', async () => {
    const user = userEvent.setup();
    listDraftsMock.mockResolvedValue([halfDone]);
    await renderAt('/#/drafts/d7');
    await waitFor(() => expect((document.getElementById('root_name') as HTMLInputElement).value).toBe('Half done'));
    expect(getDraftMock).toHaveBeenCalledWith('d7');
    expect(currentLinks()).toEqual(['Drafts']);
    expect((document.getElementById('root_domain') as HTMLInputElement).value).toBe('orders');

    // Nothing of the window came before: the catalog, not a step out of the app.
    await user.click(screen.getByTestId('cancel-product'));
    expect(route()).toBe('#/catalog');
    expect(view()).toBe('catalog');
  });

  it('says when the draft of a URL cannot be opened', async () => {
    getDraftMock.mockRejectedValue({ code: 'not-found', message: 'no draft d9' });
    await renderAt('/#/drafts/d9');
    const banner = await screen.findByTestId('error-banner');
    expect(banner.textContent).toContain('The draft could not be opened.');
    expect(banner.textContent).toContain('no draft d9');
    expect(document.getElementById('root_name')).toBeNull();
  });

  it('resumes a draft from the Drafts view on its URL, and Cancel returns there', async () => {
    const user = userEvent.setup();
    listDraftsMock.mockResolvedValue([halfDone]);
    await renderAt('/#/drafts');
    await user.click(await screen.findByTestId('draft-resume'));
    expect(route()).toBe('#/drafts/d7');
    await waitFor(() => expect((document.getElementById('root_name') as HTMLInputElement).value).toBe('Half done'));

    await user.click(screen.getByTestId('cancel-product'));
    await waitForView('#/drafts', 'drafts');
  });
});

// ---------------------------------------------------------------------------
// The data layer
// ---------------------------------------------------------------------------

describe('shell events', () => {
  it('refresh the data of whatever view is on screen', async () => {
    const user = userEvent.setup();
    await renderAt('/#/jobs');
    await screen.findByTestId('jobs-empty');

    // A sync sent what the outbox held: the event reads it again.
    listOutboxMock.mockResolvedValue([queued('Returns Analytics')]);
    act(() => emitStatus(status({ phase: 'syncing' })));
    expect((await screen.findByTestId('outbox-row')).textContent).toContain('Returns Analytics');

    // A sync that brought news searches the catalog again, for the header's count too.
    searchMock.mockImplementation((query) =>
      Promise.resolve({ ...result(query), total: 3 }),
    );
    act(() => emitStatus(status({ lastSuccessAt: new Date().toISOString(), products: 3 })));
    await waitFor(() => expect(screen.getByTestId('catalog-count').textContent).toBe('3 data products'));
    await user.click(navLink('Catalog'));
    expect(screen.getByTestId('catalog-count').textContent).toBe('3 data products');
  });
});
