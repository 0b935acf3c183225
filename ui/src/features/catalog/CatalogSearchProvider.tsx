import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { createContext, useContext, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { SearchQuery, SearchResult } from '../../bindings';
import { searchCatalog, toIpcError } from '../../lib/ipc';
import type { IpcError } from '../../lib/ipc';
import { buildQuery, hasFilters, toggleFilter } from './search';
import type { FacetGroup, Filters } from './search';

/** The catalog's queries: one per search, all invalidated when a sync brings news. */
export const catalogKeys = {
  all: ['catalog'] as const,
  search: (query: SearchQuery) => ['catalog', 'search', query] as const,
};

interface CatalogSearch {
  text: string;
  filters: Filters;
  /** Whether a facet value is selected. */
  filtered: boolean;
  /** The facet groups opened to all of their values. */
  expanded: ReadonlySet<FacetGroup>;
  /** The answer to the latest search (kept while the next one runs, or when it fails). */
  result: SearchResult | null;
  /** Whether a search is under way (or about to start). */
  searching: boolean;
  error: IpcError | null;
  setText: (text: string) => void;
  toggleFacet: (group: FacetGroup, value: string) => void;
  /** Opens a facet group to all of its values, or folds it back to the most frequent. */
  toggleExpanded: (group: FacetGroup) => void;
  clear: () => void;
  retry: () => void;
}

/**
 * The query of one search. Its answer changes only when a sync brings news, which invalidates every
 * search (`catalogKeys.all`): until then an answer is kept fresh, so the search that main.tsx made
 * before the catalog was shown is not made again.
 */
export function catalogSearchOptions(query: SearchQuery) {
  return queryOptions({
    queryKey: catalogKeys.search(query),
    queryFn: () => searchCatalog(query),
    staleTime: Infinity,
  });
}

const CatalogSearchContext = createContext<CatalogSearch | null>(null);

/**
 * The search over the offline cache: what is typed and selected (kept while the user goes to other
 * views) and its answer. The header's count and the catalog view read the same search.
 */
export function CatalogSearchProvider({ ready, children }: { ready: boolean; children: ReactNode }) {
  const [{ text, filters }, setCriteria] = useState<{ text: string; filters: Filters }>({ text: '', filters: {} });
  // Opened groups, kept while the user goes to other views, as the criteria are.
  const [expanded, setExpanded] = useState<ReadonlySet<FacetGroup>>(() => new Set());
  const query = useMemo(() => buildQuery(text, filters, expanded.size > 0), [text, filters, expanded]);
  const search = useQuery({
    ...catalogSearchOptions(query),
    // Searched once the shell's events are listened to: a sync finishing from then on searches again.
    enabled: ready,
    // Each search has its own answer, so one overtaken by the next never shows; until the next
    // answers, the previous one stays on screen.
    placeholderData: keepPreviousData,
  });

  // A failed search keeps the last answer on screen, under the error.
  const [lastAnswer, setLastAnswer] = useState<SearchResult | null>(null);
  if (search.data !== undefined && !search.isPlaceholderData && search.data !== lastAnswer) {
    setLastAnswer(search.data);
  }

  const value: CatalogSearch = {
    text,
    filters,
    filtered: hasFilters(filters),
    expanded,
    result: search.data ?? (search.isError ? lastAnswer : null),
    searching: search.isFetching || search.isPending,
    error: search.error ? toIpcError(search.error) : null,
    setText: (value) => setCriteria((c) => ({ ...c, text: value })),
    toggleFacet: (group, value) => setCriteria((c) => ({ ...c, filters: toggleFilter(c.filters, group, value) })),
    toggleExpanded: (group) =>
      setExpanded((now) => {
        const next = new Set(now);
        if (!next.delete(group)) next.add(group);
        return next;
      }),
    clear: () => setCriteria({ text: '', filters: {} }),
    retry: () => void search.refetch(),
  };
  return <CatalogSearchContext value={value}>{children}</CatalogSearchContext>;
}

export function useCatalogSearch(): CatalogSearch {
  const state = useContext(CatalogSearchContext);
  if (!state) throw new Error('useCatalogSearch is used outside a CatalogSearchProvider');
  return state;
}
