import { useQuery } from '@tanstack/react-query';
import { useEffect, useLayoutEffect, useRef } from 'react';
import { ErrorBanner } from '../../components/ui/ErrorBanner';
import { ownedDomains, reportViewPainted } from '../../lib/ipc';
import { plural } from '../../lib/format';
import { markStage, pageStages } from '../../lib/measure';
import { Catalog } from './Catalog';
import { useCatalogSearch } from './CatalogSearchProvider';
import { FacetList } from './FacetList';

/** The catalog view: the search box, the facets and the hits, with the search's failure above. */
export function CatalogSection() {
  const search = useCatalogSearch();
  const { result } = search;
  usePaintedOnce(result === null ? null : result.total);
  // The domains the user owns products in: theirs to edit as a new version.
  const owned = useQuery({ queryKey: ['owned-domains'], queryFn: () => ownedDomains(), staleTime: 60_000 });
  const domains = owned.data ?? [];
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
        facets={
          <FacetList
            facets={result?.facets ?? null}
            sizes={result?.facetSizes ?? null}
            filters={search.filters}
            expanded={search.expanded}
            onToggle={search.toggleFacet}
            onToggleExpanded={search.toggleExpanded}
          />
        }
        onTextChange={search.setText}
        onClear={search.clear}
        canEdit={(hit) => domains.includes('*') || domains.includes(hit.domain)}
      />
    </>
  );
}

/**
 * Tells the shell once when the first answer is on screen: after the frame that shows it is
 * painted. The frame is asked for when React commits the answer (a layout effect, before the browser
 * renders again): its animation callback runs in the rendering update that paints the commit, and a
 * task queued from it runs after that paint. Asked for from a passive effect, which React may run
 * after that update, it measured the frame after (about 60 ms later while the page loads).
 */
function usePaintedOnce(total: number | null) {
  const reported = useRef(false);
  useLayoutEffect(() => {
    if (total === null || reported.current) return;
    markStage('commit');
    const frame = requestAnimationFrame(() => {
      reported.current = true;
      markStage('frame');
      setTimeout(() => reportViewPainted('catalog', total, undefined, pageStages()), 0);
    });
    return () => cancelAnimationFrame(frame);
  }, [total]);
  // When React ran the effects of that commit (the window's first reads start there).
  useEffect(() => {
    if (total !== null) markStage('effects');
  }, [total]);
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
