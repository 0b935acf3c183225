/* eslint-disable */
/**
 * Generated, do not edit; run `npm --prefix ui run gen:types`.
 * Source: schemas/check-trend.schema.json
 */

/**
 * The outcome of one check: `passed`; `failed` (a rule of severity `error`, the default, broken);
 * `warning` (a rule of severity `warning` or `info` broken); `error` (the check could not be
 * measured: its SQL failed, with the database's message).
 *
 * This interface was referenced by `CheckTrend`'s JSON-Schema
 * via the `definition` "CheckStatus".
 */
export type CheckStatus = 'passed' | 'failed' | 'warning' | 'error';

/**
 * A check's measured values over a window, oldest first, from the offline cache: a trend chart.
 */
export interface CheckTrend {
  check: string;
  /**
   * The rule's comparison, e.g. `mustBeLessThan 1` (absent until the cache has the report).
   */
  threshold?: string;
  /**
   * `rows` or `percent`.
   */
  unit?: string;
  description?: string;
  points: QualityPoint[];
}
/**
 * One point of a check's history: a run's measured value.
 *
 * This interface was referenced by `CheckTrend`'s JSON-Schema
 * via the `definition` "QualityPoint".
 */
export interface QualityPoint {
  at: string;
  status: CheckStatus;
  value?: number;
}
