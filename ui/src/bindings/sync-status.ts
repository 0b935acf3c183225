/* eslint-disable */
/**
 * Generated, do not edit; run `npm --prefix ui run gen:types`.
 * Source: schemas/sync-status.schema.json
 */

/**
 * What the background sync is doing.
 *
 * This interface was referenced by `SyncStatus`'s JSON-Schema
 * via the `definition` "SyncPhase".
 */
export type SyncPhase = 'syncing' | 'idle' | 'offline' | 'failed';

/**
 * The sync status of the active profile's cache.
 */
export interface SyncStatus {
  phase: SyncPhase;
  /**
   * The active profile's name.
   */
  profile: string;
  /**
   * Its platform's address.
   */
  platform: string;
  /**
   * When the cache was last brought up to date (RFC 3339).
   */
  lastSuccessAt?: string;
  /**
   * Pages and changes applied by the sync under way (or the last one).
   */
  pages: number;
  changes: number;
  /**
   * Products in the cache.
   */
  products: number;
  /**
   * Why the last sync did not finish.
   */
  message?: string;
}
