import { QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import type { ReactNode } from 'react';
import { NoticeProvider } from '../components/ui/notice';
import { CatalogSearchProvider, catalogKeys } from '../features/catalog/CatalogSearchProvider';
import { outboxKeys, useFollowOutbox } from '../features/jobs/queries';
import { FormEntriesProvider } from '../features/product-form/formEntries';
import { SyncProvider, useSync } from '../features/sync/SyncProvider';
import type { SyncSubscription } from '../features/sync/subscription';
import type { Boot } from './boot';
import { createQueryClient } from './queryClient';

/**
 * What the window holds whatever the view: the query cache, the notice, the sync and what its events
 * invalidate, the catalog search, the outbox followed to its jobs' ends, and the drafts of the forms
 * in the history.
 */
export function AppProviders({ boot, children }: { boot?: Boot; children: ReactNode }) {
  const [queryClient] = useState(() => boot?.queryClient ?? createQueryClient());
  return (
    <QueryClientProvider client={queryClient}>
      <NoticeProvider>
        <ShellEvents subscription={boot?.syncEvents}>
          <Background>
            <FormEntriesProvider>{children}</FormEntriesProvider>
          </Background>
        </ShellEvents>
      </NoticeProvider>
    </QueryClientProvider>
  );
}

/** The queries that read the offline cache: a sync with news reads each again. */
const CACHE_READS: readonly string[] = [
  catalogKeys.all[0],
  'product-view',
  'incidents',
  'access',
  'lineage',
  'quality-history',
  'quality-home',
  'notices',
  'owned-domains',
];

/** The queries of the local outbox: every sync event reads them again. */
// `access` also holds the access requests queued in the outbox, which a sync sends.
const OUTBOX_READS: readonly string[] = [outboxKeys.all[0], 'incident-actions', 'access'];

/**
 * The shell's `sync-status` events and the queries they touch: every event reads the outbox and the
 * queued actions again (a sync also sends them); a sync that ended with news reads every view of the
 * offline cache again.
 */
function ShellEvents({ subscription, children }: { subscription?: SyncSubscription; children: ReactNode }) {
  const queryClient = useQueryClient();
  const onStatusEvent = useCallback(() => {
    void queryClient.invalidateQueries({ predicate: (q) => OUTBOX_READS.includes(String(q.queryKey[0])) });
  }, [queryClient]);
  const onCacheChanged = useCallback(() => {
    void queryClient.invalidateQueries({ predicate: (q) => CACHE_READS.includes(String(q.queryKey[0])) });
  }, [queryClient]);
  return (
    <SyncProvider subscription={subscription} onStatusEvent={onStatusEvent} onCacheChanged={onCacheChanged}>
      {children}
    </SyncProvider>
  );
}

function Background({ children }: { children: ReactNode }) {
  const sync = useSync();
  // A job that provisioned a submitted product: sync, so that it shows in the catalog.
  useFollowOutbox(sync.syncQuietly);
  return <CatalogSearchProvider ready={sync.listening}>{children}</CatalogSearchProvider>;
}
