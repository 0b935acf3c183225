import { useCallback, useEffect, useRef, useState } from 'react';
import type { DataProduct, DraftSummary, OutboxItem, SearchResult, SyncStatus } from './bindings';
import { Catalog } from './features/catalog/Catalog';
import { DraftList } from './features/drafts/DraftList';
import { ErrorBanner } from './components/ui/ErrorBanner';
import { FacetList } from './features/catalog/FacetList';
import { Outbox, outboxItemPending } from './features/jobs/Outbox';
import { ProductForm } from './features/product-form/ProductForm';
import type { AcceptedOutcome } from './features/product-form/ProductForm';
import { SyncBar } from './features/sync/SyncBar';
import { newDataProductDefaults } from './features/product-form/rjsf/dataProductUi';
import { plural } from './lib/format';
import {
  getDraft,
  listDrafts,
  listOutbox,
  onSyncStatus,
  removeDraft,
  searchCatalog,
  syncNow,
  syncStatus,
  toIpcError,
} from './lib/ipc';
import type { IpcError } from './lib/ipc';
import { buildQuery, hasFilters, toggleFilter } from './features/catalog/search';
import type { FacetGroup, Filters } from './features/catalog/search';

/** How often the outbox is read again while a submission may still change. */
export const OUTBOX_POLL_MS = 2_000;

interface Notice {
  kind: 'success' | 'info' | 'error';
  text: string;
}

interface Query {
  text: string;
  filters: Filters;
}

interface FormSession {
  key: number;
  draftId: string | null;
  data: DataProduct;
  savedAt?: string;
}

/** A failure to show above the catalog: which operation, and why. */
interface Failure {
  title: string;
  error: IpcError;
}

function submittedNotice(document: DataProduct, outcome: AcceptedOutcome): Notice {
  const item = outcome.outbox;
  const name = item.name.trim() || document.name?.trim() || 'The data product';
  const remarks = outcome.findings.length;
  const suffix = remarks > 0 ? ` ${plural(remarks, 'remark')} to review.` : '';
  switch (item.state) {
    case 'delivered':
      return { kind: 'success', text: `“${name}” was submitted.${suffix}` };
    case 'refused':
      return {
        kind: 'error',
        text: `“${name}” was refused: ${item.lastError ?? 'the platform gave no reason.'}`,
      };
    case 'queued':
    default:
      return {
        kind: 'info',
        text: `“${name}” is queued: it will be sent when the platform is reachable.${suffix}`,
      };
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function App() {
  // ---- Search over the offline cache -------------------------------------------------------
  const [text, setText] = useState('');
  const [filters, setFilters] = useState<Filters>({});
  const [result, setResult] = useState<SearchResult | null>(null);
  const [searching, setSearching] = useState(true);
  const [searchError, setSearchError] = useState<IpcError | null>(null);
  const queryRef = useRef<Query>({ text: '', filters: {} });
  const searchSeq = useRef(0);

  // Only the answer to the latest search may update the state.
  const runSearch = useCallback((query: Query) => {
    const id = ++searchSeq.current;
    setSearching(true);
    searchCatalog(buildQuery(query.text, query.filters)).then(
      (answer) => {
        if (id !== searchSeq.current) return;
        setResult(answer);
        setSearchError(null);
        setSearching(false);
      },
      (e: unknown) => {
        if (id !== searchSeq.current) return;
        setSearchError(toIpcError(e));
        setSearching(false);
      },
    );
  }, []);

  const updateQuery = (query: Query) => {
    queryRef.current = query;
    setText(query.text);
    setFilters(query.filters);
    runSearch(query);
  };

  const onTextChange = (value: string) => updateQuery({ text: value, filters: queryRef.current.filters });
  const onToggleFacet = (group: FacetGroup, value: string) =>
    updateQuery({ text: queryRef.current.text, filters: toggleFilter(queryRef.current.filters, group, value) });
  const clearSearch = () => updateQuery({ text: '', filters: {} });
  const retrySearch = () => runSearch(queryRef.current);

  // ---- Sync status ------------------------------------------------------------------------
  const [sync, setSync] = useState<SyncStatus | null>(null);
  const [syncError, setSyncError] = useState<IpcError | null>(null);
  const [syncRequesting, setSyncRequesting] = useState(false);
  /** The latest `lastSuccessAt` seen: a new one means the cache changed. */
  const lastSuccessRef = useRef<string | undefined>(undefined);
  /** Counts `sync-status` events: answers read before the latest event are stale. */
  const eventCount = useRef(0);

  const applyStatus = useCallback(
    (status: SyncStatus, rerunOnNewSuccess: boolean) => {
      setSync(status);
      setSyncError(null);
      const previous = lastSuccessRef.current;
      if (status.lastSuccessAt) lastSuccessRef.current = status.lastSuccessAt;
      if (
        rerunOnNewSuccess &&
        status.phase === 'idle' &&
        status.lastSuccessAt &&
        status.lastSuccessAt !== previous
      ) {
        runSearch(queryRef.current);
      }
    },
    [runSearch],
  );

  const requestSync = () => {
    const seen = eventCount.current;
    setSyncRequesting(true);
    syncNow().then(
      (status) => {
        setSyncRequesting(false);
        // Events are authoritative: an answer overtaken by one says less than it.
        if (eventCount.current === seen) applyStatus(status, true);
      },
      (e: unknown) => {
        setSyncRequesting(false);
        setSyncError(toIpcError(e));
      },
    );
  };

  /** `sync_now` without the button's busy state; a failure shows like any sync failure. */
  const syncQuietly = useCallback(() => {
    const seen = eventCount.current;
    syncNow().then(
      (status) => {
        if (eventCount.current === seen) applyStatus(status, true);
      },
      (e: unknown) => setSyncError(toIpcError(e)),
    );
  }, [applyStatus]);

  // ---- Outbox -----------------------------------------------------------------------------
  const [outbox, setOutbox] = useState<OutboxItem[]>([]);
  const [outboxError, setOutboxError] = useState<IpcError | null>(null);
  const outboxSeq = useRef(0);
  /** The delivered items whose job had succeeded at the last read (null before the first read). */
  const succeededRef = useRef<ReadonlySet<string> | null>(null);

  const refreshOutbox = useCallback(() => {
    const id = ++outboxSeq.current;
    listOutbox().then(
      (items) => {
        if (id !== outboxSeq.current) return;
        setOutbox(items);
        setOutboxError(null);
        const succeeded = new Set(
          items.filter((i) => i.state === 'delivered' && i.jobState === 'succeeded').map((i) => i.id),
        );
        const before = succeededRef.current;
        succeededRef.current = succeeded;
        // A job just provisioned a submitted product: sync, so that it shows in the catalog.
        if (before && [...succeeded].some((i) => !before.has(i))) syncQuietly();
      },
      (e: unknown) => {
        if (id !== outboxSeq.current) return;
        setOutboxError(toIpcError(e));
      },
    );
  }, [syncQuietly]);

  const outboxPending = outbox.some(outboxItemPending);
  useEffect(() => {
    if (!outboxPending) return undefined;
    const timer = setInterval(refreshOutbox, OUTBOX_POLL_MS);
    return () => clearInterval(timer);
  }, [outboxPending, refreshOutbox]);

  useEffect(() => {
    let active = true;
    let unlisten: (() => void) | null = null;
    const start = () => {
      if (!active) return;
      // Searched once listening: a sync finishing from now on re-runs the search.
      runSearch(queryRef.current);
      const seen = eventCount.current;
      syncStatus().then(
        (status) => {
          if (active && eventCount.current === seen) applyStatus(status, false);
        },
        (e: unknown) => {
          if (active && eventCount.current === seen) setSyncError(toIpcError(e));
        },
      );
    };
    onSyncStatus((status) => {
      if (!active) return;
      eventCount.current += 1;
      applyStatus(status, true);
      refreshOutbox();
    }).then(
      (stop) => {
        if (active) unlisten = stop;
        else stop();
        start();
      },
      (e: unknown) => {
        if (active) setSyncError(toIpcError(e));
        start();
      },
    );
    return () => {
      active = false;
      unlisten?.();
    };
  }, [applyStatus, refreshOutbox, runSearch]);

  // ---- Drafts -----------------------------------------------------------------------------
  const [drafts, setDrafts] = useState<DraftSummary[]>([]);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [opening, setOpening] = useState(false);
  const draftsSeq = useRef(0);

  const refreshDrafts = useCallback(() => {
    const id = ++draftsSeq.current;
    listDrafts().then(
      (list) => {
        if (id === draftsSeq.current) setDrafts(list);
      },
      (e: unknown) => {
        if (id === draftsSeq.current) setFailure({ title: 'The drafts could not be listed.', error: toIpcError(e) });
      },
    );
  }, []);

  useEffect(() => {
    refreshDrafts();
    refreshOutbox();
  }, [refreshDrafts, refreshOutbox]);

  // ---- The form ---------------------------------------------------------------------------
  const [form, setForm] = useState<FormSession | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const formKey = useRef(0);

  const openForm = () => {
    setNotice(null);
    setForm({ key: ++formKey.current, draftId: null, data: newDataProductDefaults() });
  };

  const resumeDraft = (id: string) => {
    setNotice(null);
    setOpening(true);
    getDraft(id).then(
      (draft) => {
        setOpening(false);
        setFailure(null);
        const data = isPlainObject(draft.document) ? (draft.document as unknown as DataProduct) : newDataProductDefaults();
        setForm({ key: ++formKey.current, draftId: draft.id, data, savedAt: draft.updatedAt });
      },
      (e: unknown) => {
        setOpening(false);
        setFailure({ title: 'The draft could not be opened.', error: toIpcError(e) });
        refreshDrafts();
      },
    );
  };

  const discardDraft = (id: string) => {
    removeDraft(id).then(
      () => refreshDrafts(),
      (e: unknown) => {
        setFailure({ title: 'The draft could not be discarded.', error: toIpcError(e) });
        refreshDrafts();
      },
    );
  };

  const onFormClosed = (saved: Promise<void>) => {
    setForm(null);
    refreshDrafts();
    // The last changes may still be on their way into the draft: list again once they are.
    void saved.then(refreshDrafts);
  };

  const onSubmitted = (document: DataProduct, outcome: AcceptedOutcome) => {
    setForm(null);
    setNotice(submittedNotice(document, outcome));
    setOutbox((items) => [outcome.outbox, ...items.filter((i) => i.id !== outcome.outbox.id)]);
    refreshOutbox();
    refreshDrafts();
  };

  const total = result?.total ?? 0;
  const count = result ? plural(total, 'data product') : searching ? 'Loading…' : '—';
  const filtered = hasFilters(filters);

  return (
    <div className="app">
      <header className="app-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <h1>Meshport</h1>
          <span className="catalog-count" data-testid="catalog-count">
            {count}
          </span>
        </div>
        <SyncBar status={sync} error={syncError} requesting={syncRequesting} onSyncNow={requestSync} />
        <button
          type="button"
          className="btn btn-primary"
          data-testid="new-product"
          onClick={openForm}
          disabled={form !== null}
        >
          New data product
        </button>
      </header>
      <main className={form ? 'workspace with-panel' : 'workspace'}>
        <div className="workspace-main">
          {notice ? (
            <div
              className={`banner banner-${notice.kind}`}
              role={notice.kind === 'error' ? 'alert' : 'status'}
              data-testid="notice"
              data-kind={notice.kind}
            >
              <span>{notice.text}</span>
              <button type="button" className="btn btn-small btn-ghost" onClick={() => setNotice(null)}>
                Dismiss
              </button>
            </div>
          ) : null}
          {failure ? (
            <ErrorBanner title={failure.title} error={failure.error} onDismiss={() => setFailure(null)} />
          ) : null}
          {outboxError ? (
            <ErrorBanner title="The outbox could not be read." error={outboxError} onRetry={refreshOutbox} />
          ) : null}
          <Outbox items={outbox} />
          <DraftList drafts={drafts} busy={form !== null || opening} onResume={resumeDraft} onDiscard={discardDraft} />
          {searchError ? (
            <ErrorBanner title="The catalog could not be searched." error={searchError} onRetry={retrySearch} />
          ) : null}
          <Catalog
            hits={result?.hits ?? []}
            total={total}
            loaded={result !== null}
            loading={searching}
            text={text}
            filtered={filtered}
            facets={<FacetList facets={result?.facets ?? null} filters={filters} onToggle={onToggleFacet} />}
            onTextChange={onTextChange}
            onClear={clearSearch}
          />
        </div>
        {form ? (
          <ProductForm
            key={form.key}
            draftId={form.draftId}
            initialData={form.data}
            savedAt={form.savedAt}
            onSubmitted={onSubmitted}
            onClose={onFormClosed}
          />
        ) : null}
      </main>
    </div>
  );
}
