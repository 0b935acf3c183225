/* eslint-disable */
/**
 * Generated, do not edit; run `npm --prefix ui run gen:types`.
 * Source: schemas/outbox-item.schema.json
 */

/**
 * Where a submission in the outbox is.
 *
 * This interface was referenced by `OutboxItem`'s JSON-Schema
 * via the `definition` "OutboxState".
 */
export type OutboxState = 'queued' | 'delivered' | 'refused';
/**
 * Where a job is: `queued → running → succeeded | failed`, `cancelled` from queued or running.
 *
 * This interface was referenced by `OutboxItem`'s JSON-Schema
 * via the `definition` "JobState".
 */
export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/**
 * A submission waiting for, or delivered to, the platform. Its idempotency key is fixed when the
 * user submits, so sending it again after a crash never provisions twice.
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
