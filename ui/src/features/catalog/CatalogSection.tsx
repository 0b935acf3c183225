import { ErrorBanner } from '../../components/ui/ErrorBanner';
import { plural } from '../../lib/format';
import { Catalog } from './Catalog';
import { useCatalogSearch } from './CatalogSearchProvider';
import { FacetList } from './FacetList';

/** The catalog view: the search box, the facets and the hits, with the search's failure above. */
export function CatalogSection() {
  const search = useCatalogSearch();
  const { result } = search;
  return (
    <>
      {search.error ? (
        <ErrorBanner title="The catalog could not be searched." error={search.error} onRetry={search.retry} />
      ) : null}
      <Catalog
        hits={result?.hits ?? []}
        total={result?.total ?? 0}
        loaded={result !== null}
        loading={search.searching}
        text={search.text}
        filtered={search.filtered}
        facets={<FacetList facets={result?.facets ?? null} filters={search.filters} onToggle={search.toggleFacet} />}
        onTextChange={search.setText}
        onClear={search.clear}
      />
    </>
  );
}

/** How many data products the search found, for the header. */
export function CatalogCount() {
  const { result, searching } = useCatalogSearch();
  const count = result ? plural(result.total, 'data product') : searching ? 'Loading…' : '—';
  return (
    <span className="catalog-count" data-testid="catalog-count">
      {count}
    </span>
  );
}
