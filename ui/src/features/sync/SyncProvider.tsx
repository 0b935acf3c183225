import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useEffectEvent, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { SyncStatus } from '../../bindings';
import { syncNow, syncStatus, toIpcError } from '../../lib/ipc';
import type { IpcError } from '../../lib/ipc';
import { subscribeSyncStatus } from './subscription';
import type { SyncSubscription } from './subscription';

/** The query holding the sync status: read once, then kept current by the shell's `sync-status` events. */
export const syncStatusKey = ['sync', 'status'] as const;

interface SyncState {
  /** Subscribed to `sync-status` (or that failed): reads made from now on miss no change. */
  listening: boolean;
  status: SyncStatus | null;
  error: IpcError | null;
  /** "Sync now" was clicked and has not answered yet. */
  requesting: boolean;
  /** "Sync now". */
  requestSync: () => void;
  /** `sync_now` without the button's busy state; a failure shows like any sync failure. */
  syncQuietly: () => void;
}

const SyncContext = createContext<SyncState | null>(null);

interface SyncAnswer {
  status: SyncStatus;
  /** An event arrived while the command ran: events are authoritative, the answer says less. */
  overtaken: boolean;
}

/**
 * The background sync of the active profile's cache, as the window sees it: the status (a query the
 * `sync-status` events overwrite), "Sync now", and what the events mean for the rest of the data:
 * `onCacheChanged` when a sync ended with news (a new `lastSuccessAt`), `onStatusEvent` on every event.
 */
export function SyncProvider({
  subscription,
  onStatusEvent,
  onCacheChanged,
  children,
}: {
  /** The subscription to the events that main.tsx started; without one, the provider makes its own. */
  subscription?: SyncSubscription;
  onStatusEvent: (status: SyncStatus) => void;
  onCacheChanged: () => void;
  children: ReactNode;
}) {
  const queryClient = useQueryClient();
  // Listening from the first render when main.tsx's subscription already listens: setting it in the
  // effect below rendered the whole window a second time, between its first commit and its first frame.
  const [listening, setListening] = useState(() => subscription?.listening ?? false);
  const [error, setError] = useState<IpcError | null>(null);
  /** Counts `sync-status` events: answers read before the latest event are stale. */
  const eventCount = useRef(0);
  /** The latest `lastSuccessAt` seen: a new one means the cache changed. */
  const lastSuccess = useRef<string | undefined>(undefined);

  const applyStatus = useCallback(
    (status: SyncStatus, rerunOnNewSuccess: boolean) => {
      queryClient.setQueryData<SyncStatus>(syncStatusKey, status);
      setError(null);
      const previous = lastSuccess.current;
      if (status.lastSuccessAt) lastSuccess.current = status.lastSuccessAt;
      if (
        rerunOnNewSuccess &&
        status.phase === 'idle' &&
        status.lastSuccessAt &&
        status.lastSuccessAt !== previous
      ) {
        onCacheChanged();
      }
    },
    [queryClient, onCacheChanged],
  );

  const statusQuery = useQuery({
    queryKey: syncStatusKey,
    queryFn: async (): Promise<SyncStatus> => {
      const seen = eventCount.current;
      const overtaken = () => (eventCount.current === seen ? undefined : queryClient.getQueryData<SyncStatus>(syncStatusKey));
      let status: SyncStatus;
      try {
        status = await syncStatus();
      } catch (e) {
        const newer = overtaken();
        if (newer) return newer;
        throw e;
      }
      const newer = overtaken();
      if (newer) return newer;
      if (status.lastSuccessAt) lastSuccess.current = status.lastSuccessAt;
      return status;
    },
    // Read once listening, so that no change falls between the read and the subscription.
    enabled: listening,
    // The events keep it current.
    staleTime: Infinity,
  });

  const onEvent = useEffectEvent((status: SyncStatus) => {
    eventCount.current += 1;
    applyStatus(status, true);
    onStatusEvent(status);
  });

  useEffect(() => {
    let active = true;
    // The window's own subscription when main.tsx started one, else one of this provider's.
    const events = subscription ?? subscribeSyncStatus();
    const detach = events.attach((status) => {
      if (active) onEvent(status);
    });
    events.ready.then(
      () => {
        if (active) {
          setListening(true);
        }
      },
      (e: unknown) => {
        if (!active) return;
        setError(toIpcError(e));
        setListening(true);
      },
    );
    return () => {
      active = false;
      detach();
      if (!subscription) events.stop();
    };
  }, [subscription]);

  const mutationFn = useCallback(async (): Promise<SyncAnswer> => {
    const seen = eventCount.current;
    const status = await syncNow();
    return { status, overtaken: eventCount.current !== seen };
  }, []);
  const onAnswer = ({ status, overtaken }: SyncAnswer) => {
    if (!overtaken) applyStatus(status, true);
  };
  const onFailure = (e: unknown) => setError(toIpcError(e));
  const button = useMutation({ mutationFn, onSuccess: onAnswer, onError: onFailure });
  const quiet = useMutation({ mutationFn, onSuccess: onAnswer, onError: onFailure });

  const readError = statusQuery.error ? toIpcError(statusQuery.error) : null;
  const value: SyncState = {
    listening,
    status: statusQuery.data ?? null,
    error: error ?? readError,
    requesting: button.isPending,
    requestSync: () => button.mutate(),
    syncQuietly: () => quiet.mutate(),
  };
  return <SyncContext value={value}>{children}</SyncContext>;
}

export function useSync(): SyncState {
  const state = useContext(SyncContext);
  if (!state) throw new Error('useSync is used outside a SyncProvider');
  return state;
}
