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
   * The job's state when last looked at (`queued`, `running`, `succeeded`, `failed`, ...).
   */
  jobState?: string;
  /**
   * The last failure to send, or the platform's refusal.
   */
  lastError?: string;
}
