/* eslint-disable */
/**
 * Generated, do not edit; run `npm --prefix ui run gen:types`.
 * Source: schemas/quality-home.schema.json
 */

/**
 * Where an incident is: `open → acknowledged → assigned → resolved`, and `reopened` when its
 * check fails again after it was resolved (a reopened incident is acknowledged, assigned and
 * resolved as an open one is). Assigning also works straight from `open` or `reopened`.
 *
 * This interface was referenced by `QualityHome`'s JSON-Schema
 * via the `definition` "IncidentState".
 */
export type IncidentState = 'open' | 'acknowledged' | 'assigned' | 'resolved' | 'reopened';

/**
 * The stewards' home ("Quality"), from the offline cache, across the domains the user stewards
 * (the whole mesh when they steward none, or every domain).
 */
export interface QualityHome {
  user?: string;
  /**
   * The domains shown; `*` for every domain.
   */
  domains: string[];
  /**
   * Whether the user stewards the domains shown (false: none, so the whole mesh is shown).
   */
  stewarded: boolean;
  products: HealthCounts;
  /**
   * The failing products, the most failed checks first (at most 50).
   */
  failingProducts: ProductHealth[];
  /**
   * The checks failing now, the latest first (at most 100 of `failingChecksTotal`).
   */
  failingChecks: FailingCheck[];
  failingChecksTotal: number;
  slos: SloCounts;
  /**
   * The open incidents, the most recently changed first (at most 50 of `openIncidentsTotal`).
   */
  openIncidents: Incident[];
  openIncidentsTotal: number;
}
/**
 * How many products are healthy (their last run failed nothing), failing, or never measured.
 *
 * This interface was referenced by `QualityHome`'s JSON-Schema
 * via the `definition` "HealthCounts".
 */
export interface HealthCounts {
  total: number;
  healthy: number;
  failing: number;
  unmeasured: number;
}
/**
 * A product whose last run failed checks.
 *
 * This interface was referenced by `QualityHome`'s JSON-Schema
 * via the `definition` "ProductHealth".
 */
export interface ProductHealth {
  id: string;
  name: string;
  domain: string;
  failed: number;
  passed: number;
  lastRunAt: string;
  openIncidents: number;
}
/**
 * A check whose latest run failed.
 *
 * This interface was referenced by `QualityHome`'s JSON-Schema
 * via the `definition` "FailingCheck".
 */
export interface FailingCheck {
  productId: string;
  productName: string;
  domain: string;
  check: string;
  value?: number;
  at: string;
}
/**
 * How the measured SLOs stand.
 *
 * This interface was referenced by `QualityHome`'s JSON-Schema
 * via the `definition` "SloCounts".
 */
export interface SloCounts {
  met: number;
  atRisk: number;
  breached: number;
  unknown: number;
}
/**
 * A quality incident: one per failing check while it is not resolved.
 *
 * This interface was referenced by `QualityHome`'s JSON-Schema
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
 * This interface was referenced by `QualityHome`'s JSON-Schema
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
