/* eslint-disable */
/**
 * Generated, do not edit; run `npm --prefix ui run gen:types`.
 * Source: schemas/incident-list.schema.json
 */

/**
 * Where an incident is: `open → acknowledged → assigned → resolved`, and `reopened` when its
 * check fails again after it was resolved (a reopened incident is acknowledged, assigned and
 * resolved as an open one is). Assigning also works straight from `open` or `reopened`.
 *
 * This interface was referenced by `IncidentList`'s JSON-Schema
 * via the `definition` "IncidentState".
 */
export type IncidentState = 'open' | 'acknowledged' | 'assigned' | 'resolved' | 'reopened';

/**
 * The cached incidents a filter keeps, and the values each filter may take.
 */
export interface IncidentList {
  /**
   * Not resolved first, then the most recently changed first.
   */
  incidents: Incident[];
  /**
   * Every domain and assignee among the cached incidents, sorted.
   */
  domains: string[];
  assignees: string[];
}
/**
 * A quality incident: one per failing check while it is not resolved.
 *
 * This interface was referenced by `IncidentList`'s JSON-Schema
 * via the `definition` "Incident".
 */
export interface Incident {
  id: string;
  productId: string;
  productName: string;
  domain: string;
  /**
   * The check that failed.
   */
  check: string;
  port: string;
  state: IncidentState;
  /**
   * The check's severity: `error`, `warning` or `info`.
   */
  severity: string;
  assignee?: string;
  /**
   * A line for lists, e.g. `rowCount of order_lines is 812; mustBeGreaterThan 1000`.
   */
  title: string;
  /**
   * How many runs failed the check while this incident was not resolved.
   */
  failures: number;
  openedAt: string;
  updatedAt: string;
  resolvedAt?: string;
  /**
   * Every transition and comment, oldest first.
   */
  events: IncidentEvent[];
}
/**
 * One entry of an incident's timeline: a transition or a comment.
 *
 * This interface was referenced by `IncidentList`'s JSON-Schema
 * via the `definition` "IncidentEvent".
 */
export interface IncidentEvent {
  at: string;
  /**
   * The user, or `platform` for what a check run did.
   */
  actor: string;
  /**
   * `opened`, `failed-again`, `acknowledged`, `assigned`, `commented`, `resolved`, `reopened`.
   */
  action: string;
  from?: IncidentState;
  to?: IncidentState;
  comment?: string;
}
