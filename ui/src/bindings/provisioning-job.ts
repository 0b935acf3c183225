/* eslint-disable */
/**
 * Generated, do not edit; run `npm --prefix ui run gen:types`.
 * Source: schemas/provisioning-job.schema.json
 */

/**
 * What a job does.
 *
 * This interface was referenced by `ProvisioningJob`'s JSON-Schema
 * via the `definition` "JobKind".
 */
export type JobKind = 'provision' | 'unprovision';
/**
 * Where a job is: `queued → running → succeeded | failed`, `cancelled` from queued or running.
 *
 * This interface was referenced by `ProvisioningJob`'s JSON-Schema
 * via the `definition` "JobState".
 */
export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
/**
 * Where one step of a job is.
 *
 * This interface was referenced by `ProvisioningJob`'s JSON-Schema
 * via the `definition` "StepStatus".
 */
export type StepStatus = ('pending' | 'running' | 'succeeded' | 'failed') | 'skipped';
/**
 * How much a finding matters. Policy enforcement levels map onto it: `required` → error,
 * `recommended` → warning, `optional` → info.
 *
 * This interface was referenced by `ProvisioningJob`'s JSON-Schema
 * via the `definition` "Severity".
 */
export type Severity = 'info' | 'warning' | 'error';

/**
 * A provisioning request as the platform runs it: `GET /v1/provisioning-requests/{id}`.
 */
export interface ProvisioningJob {
  /**
   * The request's id, e.g. `pr_0b1c…`.
   */
  id: string;
  kind: JobKind;
  productId: string;
  productName: string;
  domain: string;
  state: JobState;
  /**
   * The user who submitted it.
   */
  submittedBy: string;
  createdAt: string;
  updatedAt: string;
  startedAt?: string;
  finishedAt?: string;
  /**
   * 1 for the first run, one more for each retry.
   */
  attempt: number;
  /**
   * A cancel was asked while the job ran; it stops at the next step.
   */
  cancelRequested: boolean;
  steps: JobStep[];
  /**
   * Warnings and infos of the checks that accepted the request.
   */
  findings?: Finding[];
  /**
   * Why the job failed.
   */
  error?: string;
}
/**
 * One step of a job's log: `validate`, `plan`, `port:<name>` per output port, `register`, `publish`
 * (provisioning); `destroy:<name>` per port and `deregister` (unprovisioning).
 *
 * This interface was referenced by `ProvisioningJob`'s JSON-Schema
 * via the `definition` "JobStep".
 */
export interface JobStep {
  name: string;
  status: StepStatus;
  startedAt?: string;
  finishedAt?: string;
  /**
   * What the step did or why it failed, in order.
   */
  messages?: string[];
}
/**
 * One thing a check found wrong (or worth knowing) about a document.
 *
 * This interface was referenced by `ProvisioningJob`'s JSON-Schema
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
