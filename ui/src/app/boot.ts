import type { QueryClient } from '@tanstack/react-query';
import { catalogSearchOptions } from '../features/catalog/CatalogSearchProvider';
import { buildQuery } from '../features/catalog/search';
import { subscribeSyncStatus } from '../features/sync/subscription';
import type { SyncSubscription } from '../features/sync/subscription';
import { createQueryClient } from './queryClient';

/** What the window starts before React renders it: its query cache and its subscription to the shell. */
export interface Boot {
  queryClient: QueryClient;
  syncEvents: SyncSubscription;
}

/**
 * Starts the window's first reads while React renders the shell (which takes longer than the reads):
 * the subscription to the shell's `sync-status` events, then, once it listens (so that a sync ending
 * meanwhile is not missed), the search of the whole catalog that the window shows first.
 */
export function boot(): Boot {
  const queryClient = createQueryClient();
  const syncEvents = subscribeSyncStatus();
  syncEvents.ready.then(
    () => queryClient.prefetchQuery(catalogSearchOptions(buildQuery('', {}))),
    // The sync provider shows why the shell could not be listened to, and searches all the same.
    () => undefined,
  );
  return { queryClient, syncEvents };
}
