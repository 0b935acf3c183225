/* eslint-disable */
/**
 * Generated, do not edit; run `npm --prefix ui run gen:types`.
 * Source: schemas/finding.schema.json
 */

/**
 * How much a finding matters. Policy enforcement levels map onto it: `required` → error,
 * `recommended` → warning, `optional` → info.
 *
 * This interface was referenced by `Finding`'s JSON-Schema
 * via the `definition` "Severity".
 */
export type Severity = 'info' | 'warning' | 'error';

/**
 * One thing a check found wrong (or worth knowing) about a document.
 */
export interface Finding {
  /**
   * Stable identifier of the rule, e.g. `schema`, `odcs-duplicate-name`, `global/encryption-at-rest`.
   */
  rule: string;
  severity: Severity;
  /**
   * JSON pointer (RFC 6901) to the offending value, `""` for the whole document.
   */
  path: string;
  /**
   * What is wrong, in a sentence.
   */
  message: string;
  /**
   * How to fix it.
   */
  hint: string;
}
