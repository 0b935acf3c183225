import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { SearchHit } from '../../bindings';
import { plural, statusClass } from '../../lib/format';
import { afterPaint } from '../../lib/measure';
import { editPath, productPath } from '../../lib/paths';

/** The least height of a row (a name, a purpose and one line of details, in pixels). */
const ROW_MIN_HEIGHT = 90;

/**
 * The rows an answer shows in its first frame: as many as the window's height holds, were the list
 * to start at its top (at least 4). The others follow a frame later. The window opens 800 pixels tall:
 * 9 rows, where 12 were made and laid out for a window 1,440 pixels tall.
 */
export function firstRows(height: number = window.innerHeight): number {
  return Math.max(4, Math.ceil(height / ROW_MIN_HEIGHT));
}

/**
 * The rows to render for `rows`: the first `first` at once, all of them from the frame after that
 * one is painted. An answer is up to 200 rows, and creating them all delayed its first frame by
 * about 50 ms for rows out of sight.
 */
function useRowsInStages<T>(rows: readonly T[], first: number): readonly T[] {
  const [whole, setWhole] = useState<readonly T[] | null>(null);
  useEffect(() => {
    if (rows.length <= first) return;
    return afterPaint(() => setWhole(rows));
  }, [rows, first]);
  return whole === rows || rows.length <= first ? rows : rows.slice(0, first);
}


/**
 * The catalog pane: the search box, the facets (passed in, shown beside the list) and the hits of
 * the latest search over the offline cache.
 */
export function Catalog({
  hits,
  total,
  loaded,
  loading,
  text,
  filtered,
  facets,
  onTextChange,
  onClear,
  canEdit = () => false,
}: {
  /** Whether the user may edit a product as a new version (its domain is theirs). */
  canEdit?: (hit: SearchHit) => boolean;
  hits: readonly SearchHit[];
  total: number;
  /** Whether a search has answered yet. */
  loaded: boolean;
  /** Whether a search is under way. */
  loading: boolean;
  text: string;
  /** Whether a facet value is selected. */
  filtered: boolean;
  facets: ReactNode;
  onTextChange: (value: string) => void;
  onClear: () => void;
}) {
  const shown = useRowsInStages(hits, firstRows());
  const querying = text.trim() !== '' || filtered;
  let empty: ReactNode = null;
  if (!loaded) {
    empty = loading ? <p className="empty">Searching the catalog…</p> : null;
  } else if (hits.length === 0 && !querying) {
    empty = (
      <div className="empty" data-testid="catalog-empty">
        <p>The offline catalog is empty.</p>
        <p className="empty-hint">
          Data products appear here once they are synced from the platform; a new one is listed after the
          platform has provisioned it.
        </p>
      </div>
    );
  } else if (hits.length === 0) {
    empty = (
      <div className="empty" data-testid="catalog-empty">
        <p>
          No data product matches
          {text.trim() ? <> “{text.trim()}”</> : null}
          {filtered ? ' with the selected filters' : null}.
        </p>
        <button type="button" className="btn btn-small" onClick={onClear} data-testid="clear-search">
          Clear the search
        </button>
      </div>
    );
  }
  return (
    <section className="catalog" aria-labelledby="catalog-heading">
      <div className="catalog-toolbar">
        <h2 id="catalog-heading">Catalog</h2>
        <input
          type="search"
          className="catalog-filter"
          data-testid="catalog-search"
          placeholder="Search data products"
          aria-label="Search data products"
          value={text}
          onChange={(e) => onTextChange(e.target.value)}
        />
      </div>
      <div className="catalog-body">
        {facets}
        <div className="catalog-results">
          {empty}
          {loaded && total > hits.length ? (
            <p className="catalog-more">
              Showing the first {hits.length} of {plural(total, 'match', 'matches')}; refine the search to see
              the others.
            </p>
          ) : null}
          <ul className="catalog-list" data-testid="catalog-list" aria-busy={loading}>
            {shown.map((p) => (
              <li key={p.id} className="catalog-row" data-testid="catalog-row" data-product-id={p.id}>
                <div className="row-head">
                  <h3 className="product-name" data-testid="product-name">
                    <Link to={productPath(p.id)}>{p.name}</Link>
                  </h3>
                  <span className={`badge ${statusClass(p.status)}`} data-testid="product-status">
                    {p.status}
                  </span>
                  {canEdit(p) ? (
                    <Link
                      to={editPath(p.id)}
                      className="btn btn-small btn-ghost row-edit"
                      aria-label={`Edit ${p.name} as a new version`}
                      data-testid="product-edit"
                    >
                      Edit
                    </Link>
                  ) : null}
                </div>
                <p className={p.purpose ? 'purpose' : 'purpose purpose-missing'}>
                  {p.purpose ?? 'No purpose stated.'}
                </p>
                <dl className="row-meta">
                  <div>
                    <dt>Domain</dt>
                    <dd data-testid="product-domain">{p.domain || '—'}</dd>
                  </div>
                  <div>
                    <dt>Version</dt>
                    <dd>{p.version || '—'}</dd>
                  </div>
                  {p.tags.length > 0 ? (
                    <div>
                      <dt>Tags</dt>
                      <dd className="row-tags">
                        {p.tags.map((tag) => (
                          <span key={tag} className="tag">
                            {tag}
                          </span>
                        ))}
                      </dd>
                    </div>
                  ) : null}
                </dl>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </section>
  );
}
