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
