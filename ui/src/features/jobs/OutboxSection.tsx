import type { ReactNode } from 'react';
import { ErrorBanner } from '../../components/ui/ErrorBanner';
import { toIpcError } from '../../lib/ipc';
import { Outbox } from './Outbox';
import { useOutbox } from './queries';

/** The outbox with its failure to be read above it; `empty` once read and empty. */
export function OutboxSection({ title, empty }: { title?: string; empty?: ReactNode }) {
  const outbox = useOutbox();
  const items = outbox.data ?? [];
  return (
    <>
      {outbox.error ? (
        <ErrorBanner
          title="The outbox could not be read."
          error={toIpcError(outbox.error)}
          onRetry={() => void outbox.refetch()}
        />
      ) : null}
      {items.length > 0 ? <Outbox items={items} title={title} /> : outbox.isSuccess ? empty : null}
    </>
  );
}
