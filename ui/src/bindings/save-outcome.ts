/* eslint-disable */
/**
 * Generated, do not edit; run `npm --prefix ui run gen:types`.
 * Source: schemas/save-outcome.schema.json
 */

/**
 * How much a finding matters. Policy enforcement levels map onto it: `required` → error,
 * `recommended` → warning, `optional` → info.
 *
 * This interface was referenced by `SaveOutcome`'s JSON-Schema
 * via the `definition` "Severity".
 */
export type Severity = 'info' | 'warning' | 'error';

/**
 * What saving a document did: stored it, or refused it with the findings that say why.
 */
export interface SaveOutcome {
  /**
   * Whether the document was written. It is written only when no finding is an error.
   */
  saved: boolean;
  findings: Finding[];
}
/**
 * One thing a check found wrong (or worth knowing) about a document.
 *
 * This interface was referenced by `SaveOutcome`'s JSON-Schema
 * via the `definition` "Finding".
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
