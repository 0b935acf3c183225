import { queryOptions, useQuery } from '@tanstack/react-query';
import { useEffect, useEffectEvent, useRef } from 'react';
import type { OutboxItem } from '../../bindings';
import { notify } from '../../lib/desktop';
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
  /** Each item's job state at the last read (null before the first read). */
  const states = useRef<ReadonlyMap<string, string> | null>(null);
  /** The jobs a notification was sent for, so that none is sent twice. */
  const notified = useRef(new Set<string>());
  const jobSucceeded = useEffectEvent(onJobSucceeded);
  useEffect(() => {
    if (!data) return;
    const now = new Set(succeededIds(data));
    const before = succeeded.current;
    succeeded.current = now;
    if (before && [...now].some((id) => !before.has(id))) jobSucceeded();

    const previous = states.current;
    states.current = new Map(data.map((i) => [i.id, i.jobState ?? '']));
    // Seen to end while the window follows it: a desktop notification, once per job.
    if (!previous) return;
    for (const item of jobsEnded(data, previous)) {
      const key = `${item.id}:${item.jobId ?? ''}:${item.jobState ?? ''}`;
      if (notified.current.has(key)) continue;
      notified.current.add(key);
      void notify('Meshport', jobEndedText(item));
    }
  }, [data]);
}

const ENDED = new Set(['succeeded', 'failed', 'cancelled']);

/** The items whose job ended since `previous` (each item's job state at the read before). */
export function jobsEnded(items: readonly OutboxItem[], previous: ReadonlyMap<string, string>): OutboxItem[] {
  return items.filter(
    (i) => i.state === 'delivered' && ENDED.has(i.jobState ?? '') && previous.get(i.id) !== i.jobState,
  );
}

/** What the notification of an ended job says. */
export function jobEndedText(item: OutboxItem): string {
  const name = item.name.trim() || 'The data product';
  switch (item.jobState) {
    case 'succeeded':
      return `“${name}” is provisioned.`;
    case 'cancelled':
      return `The job of “${name}” was cancelled.`;
    default:
      return `The job of “${name}” failed${item.lastError ? `: ${item.lastError}` : '.'}`;
  }
}

function succeededIds(items: readonly OutboxItem[]): string[] {
  return items.filter((i) => i.state === 'delivered' && i.jobState === 'succeeded').map((i) => i.id);
}
