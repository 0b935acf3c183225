import type { QueryClient } from '@tanstack/react-query';
import { catalogSearchOptions } from '../features/catalog/CatalogSearchProvider';
import { buildQuery } from '../features/catalog/search';
import { subscribeSyncStatus } from '../features/sync/subscription';
import type { SyncSubscription } from '../features/sync/subscription';
import { markStage } from '../lib/measure';
import { paths } from '../lib/paths';
import { createQueryClient } from './queryClient';

/** What the window starts before React renders it: its query cache and its subscription to the shell. */
export interface Boot {
  queryClient: QueryClient;
  syncEvents: SyncSubscription;
  /** Settles when the first search of the whole catalog has answered or failed. */
  firstSearch: Promise<void>;
}

/** How long the window's first render waits for the first search at most (see `firstView`). */
export const FIRST_SEARCH_WAIT_MS = 250;

/**
 * Starts the window's first reads while React renders the shell (which takes longer than the reads):
 * the subscription to the shell's `sync-status` events, then, once it listens (so that a sync ending
 * meanwhile is not missed), the search of the whole catalog that the window shows first.
 */
export function boot(): Boot {
  const queryClient = createQueryClient();
  const syncEvents = subscribeSyncStatus();
  const firstSearch = syncEvents.ready
    .then(
      // A failed search settles it too (`prefetchQuery` keeps the error for the view to show).
      () => {
        markStage('listening');
        return queryClient.prefetchQuery(catalogSearchOptions(buildQuery('', {})));
      },
      // The sync provider shows why the shell could not be listened to, and searches all the same.
      () => undefined,
    )
    .then(() => markStage('answer'));
  return { queryClient, syncEvents, firstSearch };
}

/**
 * The address the window opens on: the catalog when it was given none (`#/`), set before the router
 * reads it. Routed through the index route's `<Navigate>`, the first render would show nothing and
 * navigate in an effect, and the catalog would render a render and a frame later.
 */
export function openOnTheCatalog(
  location: Location = window.location,
  history: History = window.history,
) {
  if (location.hash === '' || location.hash === '#' || location.hash === '#/') {
    history.replaceState(history.state, '', `#${paths.catalog}`);
  }
}

/**
 * When to render the window first. On the catalog, once `firstSearch` has answered (at most
 * `waitMs` later): React then renders the window once, with the answer, and the first frame shows it.
 * Rendered at once, the window's first render (about 50 ms of script on a 2-core machine) held the
 * answer back until it was done, and a second render and a frame came before the answer was painted
 * (100,000 cached products, 8 launches of each alternated: the answer painted a median 0.195 s after
 * the page began to load, against 0.222 s). On any other view, at once.
 */
export function firstView(
  firstSearch: Promise<void>,
  waitMs = FIRST_SEARCH_WAIT_MS,
  hash = window.location.hash,
): Promise<void> {
  if (hash !== `#${paths.catalog}`) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, waitMs);
    void firstSearch.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
