/* eslint-disable */
/**
 * Generated, do not edit; run `npm --prefix ui run gen:types`.
 * Source: schemas/search-query.schema.json
 */

/**
 * A search: text (prefix-matched as typed) and filters that combine.
 */
export interface SearchQuery {
  text?: string;
  domain?: string;
  status?: string;
  tag?: string;
  owner?: string;
  /**
   * Only products with (true) or without (false) an open quality incident.
   */
  openIncident?: boolean;
  /**
   * How many hits to return (the total counts them all); 0 means the default, 50.
   */
  limit?: number;
  /**
   * How many values of each facet to list, the most frequent first (a selected value is always
   * listed); 0 lists every value. `facetSizes` of the answer tells how many each facet has.
   */
  facetLimit?: number;
}
