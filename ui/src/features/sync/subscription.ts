import type { SyncStatus } from '../../bindings';
import { onSyncStatus } from '../../lib/ipc';

/**
 * A subscription to the shell's `sync-status` events that can start before the window renders
 * (main.tsx starts one, so that the first reads of the cache need not wait for React) and be handed
 * to the `SyncProvider` later: the events that came before it attached are kept and given to it first.
 */
export interface SyncSubscription {
  /** Settles once the shell listens for the window (a read made after it misses no change). */
  readonly ready: Promise<void>;
  /**
   * Whether `ready` has resolved: a window rendered after that (main.tsx waits for the first search,
   * which waits for it) starts listening, and renders no second time to say so.
   */
  readonly listening: boolean;
  /** Gives the events to `handler`, the ones kept so far first; returns what detaches it. */
  attach(handler: (status: SyncStatus) => void): () => void;
  /** Stops listening. */
  stop(): void;
}

export function subscribeSyncStatus(): SyncSubscription {
  let handler: ((status: SyncStatus) => void) | null = null;
  let kept: SyncStatus[] = [];
  let stopped = false;
  let unlisten: (() => void) | null = null;
  let listening = false;
  const subscribed = onSyncStatus((status) => {
    if (handler) handler(status);
    else kept.push(status);
  });
  const ready = subscribed.then((stop) => {
    listening = true;
    if (stopped) stop();
    else unlisten = stop;
  });
  return {
    ready,
    get listening() {
      return listening;
    },
    attach(next) {
      handler = next;
      const earlier = kept;
      kept = [];
      for (const status of earlier) next(status);
      return () => {
        if (handler === next) handler = null;
      };
    },
    stop() {
      stopped = true;
      handler = null;
      unlisten?.();
      unlisten = null;
    },
  };
}
