import { useCallback, useEffect, useRef, useState } from 'react';
import type { DataProduct, ProductSummary, SaveOutcome } from './bindings';
import { Catalog, filterProducts } from './components/Catalog';
import { ErrorBanner } from './components/ErrorBanner';
import { ProductForm } from './components/ProductForm';
import { listProducts, toIpcError } from './ipc';
import type { IpcError } from './ipc';

interface Notice {
  text: string;
}

function savedNotice(document: DataProduct, outcome: SaveOutcome): Notice {
  const remarks = outcome.findings.length;
  const name = document.name?.trim() || 'The data product';
  return {
    text:
      `Saved “${name}”.` +
      (remarks > 0 ? ` ${remarks} ${remarks === 1 ? 'remark' : 'remarks'} to review.` : ''),
  };
}

export function App() {
  const [products, setProducts] = useState<ProductSummary[]>([]);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<IpcError | null>(null);
  const [filter, setFilter] = useState('');
  const [formOpen, setFormOpen] = useState(false);
  const [formKey, setFormKey] = useState(0);
  const [notice, setNotice] = useState<Notice | null>(null);
  const request = useRef(0);

  // Fetches the catalog; only the latest request may update the state.
  const fetchProducts = useCallback(() => {
    const id = ++request.current;
    return listProducts().then(
      (list) => {
        if (id !== request.current) return;
        setProducts(list);
        setLoadError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (id !== request.current) return;
        setLoadError(toIpcError(e));
        setLoading(false);
      },
    );
  }, []);

  useEffect(() => {
    void fetchProducts();
  }, [fetchProducts]);

  const reload = useCallback(() => {
    setLoading(true);
    void fetchProducts();
  }, [fetchProducts]);

  const openForm = () => {
    setNotice(null);
    setFormKey((k) => k + 1);
    setFormOpen(true);
  };

  const onSaved = (document: DataProduct, outcome: SaveOutcome) => {
    setFormOpen(false);
    setNotice(savedNotice(document, outcome));
    reload();
  };

  const shown = filterProducts(products, filter).length;
  const count =
    filter.trim() && shown !== products.length
      ? `${shown} of ${products.length} data products`
      : `${products.length} ${products.length === 1 ? 'data product' : 'data products'}`;

  return (
    <div className="app">
      <header className="app-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <h1>Meshport</h1>
          <span className="catalog-count" data-testid="catalog-count">
            {loading && products.length === 0 ? 'Loading…' : count}
          </span>
        </div>
        <button
          type="button"
          className="btn btn-primary"
          data-testid="new-product"
          onClick={openForm}
          disabled={formOpen}
        >
          New data product
        </button>
      </header>
      <main className={formOpen ? 'workspace with-panel' : 'workspace'}>
        <div className="workspace-main">
          {notice ? (
            <div className="banner banner-success" role="status" data-testid="notice">
              <span>{notice.text}</span>
              <button type="button" className="btn btn-small btn-ghost" onClick={() => setNotice(null)}>
                Dismiss
              </button>
            </div>
          ) : null}
          {loadError ? (
            <ErrorBanner title="The catalog could not be loaded." error={loadError} onRetry={reload} />
          ) : null}
          <Catalog products={products} loading={loading} filter={filter} onFilterChange={setFilter} />
        </div>
        {formOpen ? (
          <ProductForm key={formKey} onSaved={onSaved} onCancel={() => setFormOpen(false)} />
        ) : null}
      </main>
    </div>
  );
}
