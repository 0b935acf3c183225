/* eslint-disable */
/**
 * Generated, do not edit; run `npm --prefix ui run gen:types`.
 * Source: schemas/search-result.schema.json
 */

/**
 * What a search found.
 */
export interface SearchResult {
  /**
   * How many products match, beyond the `limit` shown.
   */
  total: number;
  hits: SearchHit[];
  /**
   * Each facet's values, most frequent first: `facetLimit` of them at most, and a selected one.
   */
  facets: Facets;
  /**
   * How many values each facet has, beyond the `facetLimit` listed.
   */
  facetSizes?: FacetSizes;
}
/**
 * One product found.
 *
 * This interface was referenced by `SearchResult`'s JSON-Schema
 * via the `definition` "SearchHit".
 */
export interface SearchHit {
  id: string;
  name: string;
  domain: string;
  status: string;
  version: string;
  purpose?: string;
  tags: string[];
  /**
   * bm25: lower is better; 0 without text.
   */
  rank: number;
}
/**
 * Facet counts over the results (with every filter applied).
 *
 * This interface was referenced by `SearchResult`'s JSON-Schema
 * via the `definition` "Facets".
 */
export interface Facets {
  domain: FacetCount[];
  status: FacetCount[];
  tag: FacetCount[];
  owner: FacetCount[];
  /**
   * Values `true` and `false`.
   */
  openIncident: FacetCount[];
}
/**
 * A value of a facet and how many of the results have it.
 *
 * This interface was referenced by `SearchResult`'s JSON-Schema
 * via the `definition` "FacetCount".
 */
export interface FacetCount {
  value: string;
  count: number;
}
/**
 * How many values each facet has among the results, listed or not.
 *
 * This interface was referenced by `SearchResult`'s JSON-Schema
 * via the `definition` "FacetSizes".
 */
export interface FacetSizes {
  domain: number;
  status: number;
  tag: number;
  owner: number;
  openIncident: number;
}
