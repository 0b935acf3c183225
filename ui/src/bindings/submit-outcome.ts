/* eslint-disable */
/**
 * Generated, do not edit; run `npm --prefix ui run gen:types`.
 * Source: schemas/submit-outcome.schema.json
 */

/**
 * How much a finding matters. Policy enforcement levels map onto it: `required` → error,
 * `recommended` → warning, `optional` → info.
 *
 * This interface was referenced by `SubmitOutcome`'s JSON-Schema
 * via the `definition` "Severity".
 */
export type Severity = 'info' | 'warning' | 'error';
/**
 * Where a submission in the outbox is.
 *
 * This interface was referenced by `SubmitOutcome`'s JSON-Schema
 * via the `definition` "OutboxState".
 */
export type OutboxState = 'queued' | 'delivered' | 'refused';
/**
 * Where a job is: `queued → running → succeeded | failed`, `cancelled` from queued or running.
 *
 * This interface was referenced by `SubmitOutcome`'s JSON-Schema
 * via the `definition` "JobState".
 */
export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/**
 * What a submit did: refused with findings (nothing queued), or queued in the outbox (and maybe
 * already delivered).
 */
export interface SubmitOutcome {
  findings: Finding[];
  outbox?: OutboxItem;
}
/**
 * One thing a check found wrong (or worth knowing) about a document.
 *
 * This interface was referenced by `SubmitOutcome`'s JSON-Schema
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
 * A submission waiting for, or delivered to, the platform. Its idempotency key is fixed when the
 * user submits, so sending it again after a crash never provisions twice.
 *
 * This interface was referenced by `SubmitOutcome`'s JSON-Schema
 * via the `definition` "OutboxItem".
 */
export interface OutboxItem {
  id: string;
  /**
   * The profile (platform) it goes to.
   */
  profile: string;
  productId: string;
  name: string;
  idempotencyKey: string;
  state: OutboxState;
  /**
   * Sends tried so far.
   */
  attempts: number;
  submittedAt: string;
  deliveredAt?: string;
  /**
   * The platform's provisioning job, once delivered.
   */
  jobId?: string;
  /**
   * The job's state when last looked at.
   */
  jobState?: JobState;
  /**
   * The last failure to send, or the platform's refusal.
   */
  lastError?: string;
}
