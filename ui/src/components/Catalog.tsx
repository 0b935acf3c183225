import type { ProductSummary } from '../bindings';

/** Case-insensitive; every whitespace-separated term must appear in the name, domain or purpose. */
export function filterProducts(products: readonly ProductSummary[], filter: string): ProductSummary[] {
  const terms = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return [...products];
  return products.filter((p) => {
    const haystack = [p.name, p.domain ?? '', p.purpose ?? ''].join('\n').toLowerCase();
    return terms.every((t) => haystack.includes(t));
  });
}

function statusClass(status: string): string {
  return `status-${status.toLowerCase().replace(/[^a-z0-9-]/g, '')}`;
}

export function Catalog({
  products,
  loading,
  filter,
  onFilterChange,
}: {
  products: readonly ProductSummary[];
  loading: boolean;
  filter: string;
  onFilterChange: (value: string) => void;
}) {
  const shown = filterProducts(products, filter);
  return (
    <section className="catalog" aria-labelledby="catalog-heading">
      <div className="catalog-toolbar">
        <h2 id="catalog-heading">Catalog</h2>
        <input
          type="search"
          className="catalog-filter"
          data-testid="catalog-filter"
          placeholder="Filter by name, domain or purpose"
          aria-label="Filter data products"
          value={filter}
          onChange={(e) => onFilterChange(e.target.value)}
        />
      </div>
      {loading && products.length === 0 ? <p className="empty">Loading the catalog…</p> : null}
      {!loading && products.length === 0 ? (
        <p className="empty">No data products yet. Create the first one.</p>
      ) : null}
      {products.length > 0 && shown.length === 0 ? (
        <p className="empty">No data product matches “{filter.trim()}”.</p>
      ) : null}
      <ul className="catalog-list" data-testid="catalog-list" aria-busy={loading}>
        {shown.map((p) => (
          <li key={p.id} className="catalog-row" data-testid="catalog-row" data-product-id={p.id}>
            <div className="row-head">
              <h3 className="product-name" data-testid="product-name">
                {p.name}
              </h3>
              <span className={`badge ${statusClass(p.status)}`} data-testid="product-status">
                {p.status}
              </span>
            </div>
            <p className={p.purpose ? 'purpose' : 'purpose purpose-missing'}>
              {p.purpose ?? 'No purpose stated.'}
            </p>
            <dl className="row-meta">
              <div>
                <dt>Domain</dt>
                <dd>{p.domain ?? '—'}</dd>
              </div>
              <div>
                <dt>Version</dt>
                <dd>{p.version ?? '—'}</dd>
              </div>
              <div>
                <dt>Output ports</dt>
                <dd data-testid="product-output-ports">{p.outputPorts}</dd>
              </div>
            </dl>
          </li>
        ))}
      </ul>
    </section>
  );
}
