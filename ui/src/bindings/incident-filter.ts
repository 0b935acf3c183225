/* eslint-disable */
/**
 * Generated, do not edit; run `npm --prefix ui run gen:types`.
 * Source: schemas/incident-filter.schema.json
 */

/**
 * A filter of the cached incidents; every field set must hold.
 */
export interface IncidentFilter {
  /**
   * A state (`open`, `acknowledged`, `assigned`, `resolved`, `reopened`), or `active` for every
   * state but `resolved`.
   */
  state?: string;
  domain?: string;
  /**
   * A user, or `-` for the incidents nobody is assigned.
   */
  assignee?: string;
}
