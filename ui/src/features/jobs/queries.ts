import { queryOptions, useQuery } from '@tanstack/react-query';
import { useEffect, useEffectEvent, useRef } from 'react';
import type { OutboxItem } from '../../bindings';
import { listOutbox } from '../../lib/ipc';
import { outboxItemPending } from './Outbox';

/** How often the outbox is read again while a submission may still change. */
export const OUTBOX_POLL_MS = 2_000;

/** The outbox: read at start, on every `sync-status` event, after a submit, and polled while it waits. */
export const outboxKeys = {
  all: ['outbox'] as const,
};

const outboxQuery = queryOptions({ queryKey: outboxKeys.all, queryFn: () => listOutbox() });

export function useOutbox() {
  return useQuery(outboxQuery);
}

/**
 * Follows the submissions whatever the view: reads the outbox every `OUTBOX_POLL_MS` while an item
 * may still change, and calls `onJobSucceeded` when a job provisioned a submitted product (a sync
 * then brings it into the catalog).
 */
export function useFollowOutbox(onJobSucceeded: () => void): void {
  const { data } = useQuery({
    ...outboxQuery,
    refetchInterval: (query) => ((query.state.data ?? []).some(outboxItemPending) ? OUTBOX_POLL_MS : false),
    refetchIntervalInBackground: true,
  });

  /** The delivered items whose job had succeeded at the last read (null before the first read). */
  const succeeded = useRef<ReadonlySet<string> | null>(null);
  const jobSucceeded = useEffectEvent(onJobSucceeded);
  useEffect(() => {
    if (!data) return;
    const now = new Set(succeededIds(data));
    const before = succeeded.current;
    succeeded.current = now;
    if (before && [...now].some((id) => !before.has(id))) jobSucceeded();
  }, [data]);
}

function succeededIds(items: readonly OutboxItem[]): string[] {
  return items.filter((i) => i.state === 'delivered' && i.jobState === 'succeeded').map((i) => i.id);
}
