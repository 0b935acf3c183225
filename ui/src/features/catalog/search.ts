import type { Facets, SearchQuery } from '../../bindings';

/** The facet groups, in the order the window shows them. */
export type FacetGroup = keyof Facets;

export const FACET_GROUPS: readonly { group: FacetGroup; label: string }[] = [
  { group: 'domain', label: 'Domain' },
  { group: 'status', label: 'Status' },
  { group: 'tag', label: 'Tag' },
  { group: 'owner', label: 'Owner' },
  { group: 'openIncident', label: 'Open incident' },
];

/** The selected facet values: one per group at most. */
export interface Filters {
  domain?: string;
  status?: string;
  tag?: string;
  owner?: string;
  openIncident?: boolean;
}

/** How many hits one search asks for (the count shows the total anyway). */
export const SEARCH_LIMIT = 200;

/**
 * How many values of a group are listed until the user asks for all of them: the most frequent (an
 * answer lists them by count). A big mesh has thousands of tags and owners, and a button for each
 * would be rendered and laid out with every answer, the first one included.
 */
export const FACET_VALUES_SHOWN = 8;

/**
 * How many values of each group a search asks for while no group is opened to all of them: one more
 * than are shown, since a group of exactly that many lists them all (a "Show all" button would take
 * the last value's place). Every value of a big mesh (5,000 tags), sent with every answer, took the
 * first answer 33 ms to reach the page after it asked, against 25 ms with nine a group.
 */
export const FACET_LIMIT = FACET_VALUES_SHOWN + 1;

/** The selected value of a group, as the facet counts spell it (`"true"`/`"false"` for openIncident). */
export function selectedValue(filters: Filters, group: FacetGroup): string | undefined {
  const value = filters[group];
  return value === undefined ? undefined : String(value);
}

/** Selects `value` in its group, or clears the group when `value` is the one selected. */
export function toggleFilter(filters: Filters, group: FacetGroup, value: string): Filters {
  const next: Filters = { ...filters };
  if (selectedValue(filters, group) === value) {
    delete next[group];
  } else if (group === 'openIncident') {
    next.openIncident = value === 'true';
  } else {
    next[group] = value;
  }
  return next;
}

export function hasFilters(filters: Filters): boolean {
  return FACET_GROUPS.some(({ group }) => filters[group] !== undefined);
}

/**
 * The `catalog_search` query of what is typed and selected (unselected groups are left out), with
 * every facet value when `allFacetValues` (a group is opened to all of its values), else the
 * `FACET_LIMIT` most frequent of each group.
 */
export function buildQuery(text: string, filters: Filters, allFacetValues = false): SearchQuery {
  const query: SearchQuery = { text, limit: SEARCH_LIMIT, facetLimit: allFacetValues ? 0 : FACET_LIMIT };
  if (filters.domain !== undefined) query.domain = filters.domain;
  if (filters.status !== undefined) query.status = filters.status;
  if (filters.tag !== undefined) query.tag = filters.tag;
  if (filters.owner !== undefined) query.owner = filters.owner;
  if (filters.openIncident !== undefined) query.openIncident = filters.openIncident;
  return query;
}
