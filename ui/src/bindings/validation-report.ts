/* eslint-disable */
/**
 * Generated, do not edit; run `npm --prefix ui run gen:types`.
 * Source: schemas/validation-report.schema.json
 */

/**
 * How much a finding matters. Policy enforcement levels map onto it: `required` → error,
 * `recommended` → warning, `optional` → info.
 *
 * This interface was referenced by `ValidationReport`'s JSON-Schema
 * via the `definition` "Severity".
 */
export type Severity = 'info' | 'warning' | 'error';

/**
 * What `meshport validate` found in a set of files: the shape of its `--format json` output.
 */
export interface ValidationReport {
  files: FileReport[];
}
/**
 * The findings of one document. A file holding several YAML documents has one entry for each.
 *
 * This interface was referenced by `ValidationReport`'s JSON-Schema
 * via the `definition` "FileReport".
 */
export interface FileReport {
  path: string;
  /**
   * `DataProduct`, `DataContract`, `ProvisioningRequest`, or `unknown`.
   */
  kind: string;
  /**
   * Whether no finding is an error.
   */
  valid: boolean;
  findings: Finding[];
}
/**
 * One thing a check found wrong (or worth knowing) about a document.
 *
 * This interface was referenced by `ValidationReport`'s JSON-Schema
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
