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
   * `DataProduct`, `DataContract`, `ProvisioningRequest`; `other` for a document of no standard
   * (checked by the policies alone); `unknown` when the kind could not be told.
   */
  kind: string;
  /**
   * Whether no finding is an error.
   */
  valid: boolean;
  findings: Finding[];
  /**
   * Failure rules that a conftest `exception` rule exempted for this document.
   */
  exceptions?: PolicyException[];
  /**
   * The policy packs that checked the document, e.g. `global 1.0.0`, `policy (conftest folder)`.
   */
  packs?: string[];
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
/**
 * A policy rule not applied to a document because an `exception` rule exempted it, as conftest
 * reports exceptions.
 *
 * This interface was referenced by `ValidationReport`'s JSON-Schema
 * via the `definition` "PolicyException".
 */
export interface PolicyException {
  /**
   * The finding id the rule's failures would have had, e.g. `policy/deny_run_as_root`.
   */
  rule: string;
  /**
   * The query that exempted it, e.g. `data.main.exception[_][_] == "run_as_root"`.
   */
  query: string;
}
