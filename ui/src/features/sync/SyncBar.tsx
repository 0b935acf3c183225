import type { SyncStatus } from '../../bindings';
import { plural, shortTime } from '../../lib/format';
import type { IpcError } from '../../lib/ipc';

/** What the sync is doing, in a line. */
export function syncText(status: SyncStatus): string {
  switch (status.phase) {
    case 'idle':
      return status.lastSuccessAt
        ? `Synced ${shortTime(status.lastSuccessAt)} · ${plural(status.products, 'product')}`
        : `Not synced yet · ${plural(status.products, 'product')}`;
    case 'syncing':
      return `Syncing… ${plural(status.changes, 'change')}, ${plural(status.pages, 'page')}`;
    case 'offline':
      return `Offline — showing the cache from ${shortTime(status.lastSuccessAt, 'never')}`;
    case 'failed':
      return status.message || 'The sync failed.';
    default:
      return '';
  }
}

/** The sync status of the active profile's cache, and a button to sync at once. */
export function SyncBar({
  status,
  error,
  requesting,
  onSyncNow,
}: {
  status: SyncStatus | null;
  error: IpcError | null;
  requesting: boolean;
  onSyncNow: () => void;
}) {
  const phase = status?.phase ?? 'unknown';
  const line = status ? syncText(status) : error ? 'The sync status is unknown.' : 'Reading the sync status…';
  const where = status ? `${status.profile} · ${status.platform}` : undefined;
  return (
    <div className="sync-bar">
      <span
        className={`sync-status sync-${phase}`}
        data-testid="sync-status"
        data-phase={phase}
        role="status"
        aria-live="polite"
        title={where}
      >
        <span className="sync-dot" aria-hidden="true" />
        <span className="sync-text">{line}</span>
        {error ? (
          <span className="sync-error" data-testid="sync-error" data-code={error.code}>
            {error.message}
          </span>
        ) : null}
      </span>
      <button
        type="button"
        className="btn btn-small btn-header"
        data-testid="sync-now"
        onClick={onSyncNow}
        disabled={requesting}
      >
        Sync now
      </button>
    </div>
  );
}
