/* eslint-disable */
/**
 * Generated, do not edit; run `npm --prefix ui run gen:types`.
 * Source: schemas/access-list.schema.json
 */

/**
 * Where an access request is: `requested → approved → active → revoked | expired`, or
 * `requested → rejected`. `approved` is the moment between the decision and the grant; the
 * platform grants in the same step, so a request is seen `approved` only if granting failed.
 *
 * This interface was referenced by `AccessList`'s JSON-Schema
 * via the `definition` "AccessState".
 */
export type AccessState = 'requested' | 'approved' | 'active' | 'revoked' | 'expired' | 'rejected';
/**
 * Where an action on the platform is, in the desktop's outbox.
 *
 * This interface was referenced by `AccessList`'s JSON-Schema
 * via the `definition` "ActionState".
 */
export type ActionState = 'queued' | 'delivered' | 'conflict' | 'refused';

/**
 * The cached access requests the platform showed the user (their own; their domains' as owner),
 * the newest first, with who the user is and which domains they own.
 */
export interface AccessList {
  user?: string;
  /**
   * `*`: every domain.
   */
  ownedDomains: string[];
  requests: AccessRequest[];
  /**
   * The user's requests the platform has not taken yet: asked while it was out of reach (sent
   * by the sync when it answers), or refused when they were sent; the newest first.
   */
  asked: AccessAsk[];
}
/**
 * A consumer's request for access to an output port, and the grant it became.
 *
 * This interface was referenced by `AccessList`'s JSON-Schema
 * via the `definition` "AccessRequest".
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
 *
 * This interface was referenced by `AccessList`'s JSON-Schema
 * via the `definition` "AccessGrant".
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
 *
 * This interface was referenced by `AccessList`'s JSON-Schema
 * via the `definition` "AccessAsk".
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
