/* eslint-disable */
/**
 * Generated, do not edit; run `npm --prefix ui run gen:types`.
 * Source: schemas/access-asked.schema.json
 */

/**
 * What asking for access did: sent and taken by the platform, or queued until it answers.
 */
export type AccessAsked =
  | {
      outcome: 'sent';
      request: AccessRequest;
    }
  | {
      outcome: 'queued';
      ask: AccessAsk;
    };
/**
 * Where an access request is: `requested → approved → active → revoked | expired`, or
 * `requested → rejected`. `approved` is the moment between the decision and the grant; the
 * platform grants in the same step, so a request is seen `approved` only if granting failed.
 */
export type AccessState = 'requested' | 'approved' | 'active' | 'revoked' | 'expired' | 'rejected';
/**
 * Where an action on the platform is, in the desktop's outbox.
 */
export type ActionState = 'queued' | 'delivered' | 'conflict' | 'refused';

/**
 * A consumer's request for access to an output port, and the grant it became.
 */
export interface AccessRequest {
  id: string;
  productId: string;
  productName: string;
  domain: string;
  outputPort: string;
  /**
   * The user who asked, and who gets the access.
   */
  consumer: string;
  purpose: string;
  /**
   * When the access ends by itself (RFC 3339).
   */
  until?: string;
  state: AccessState;
  requestedAt: string;
  updatedAt: string;
  /**
   * Who approved, rejected or revoked it.
   */
  decidedBy?: string;
  /**
   * The reason given with the last decision.
   */
  reason?: string;
  /**
   * How the grant reaches the data: for PostgreSQL the consumer's role and the schema; for SQLite
   * the rows endpoint.
   */
  grant?: AccessGrant;
}
/**
 * What an active grant gives.
 */
export interface AccessGrant {
  /**
   * `postgres-role` or `rows-endpoint`.
   */
  kind: string;
  /**
   * The PostgreSQL role (`mesh_<user>`) holding `USAGE` and `SELECT`.
   */
  role?: string;
  /**
   * The PostgreSQL schema of the port.
   */
  schema?: string;
  /**
   * The path to read rows from (SQLite ports).
   */
  path?: string;
}
/**
 * An access request kept in the desktop's outbox with its own idempotency key (fixed when the user
 * asked, so a send repeated after a crash or a lost answer asks once): queued while the platform is
 * out of reach, or refused when it was sent. One the platform took leaves the outbox; the synced
 * cache holds it from then on.
 */
export interface AccessAsk {
  id: string;
  /**
   * The profile (platform) it goes to.
   */
  profile: string;
  productId: string;
  /**
   * The product's name in the cache when the user asked.
   */
  productName?: string;
  outputPort: string;
  purpose: string;
  /**
   * When the access should end (RFC 3339), as the platform takes it.
   */
  until?: string;
  idempotencyKey: string;
  /**
   * `queued` or `refused`.
   */
  state: ActionState;
  /**
   * Sends tried so far.
   */
  attempts: number;
  queuedAt: string;
  updatedAt: string;
  /**
   * Why it was refused, or why the last send did not get through.
   */
  message?: string;
}
