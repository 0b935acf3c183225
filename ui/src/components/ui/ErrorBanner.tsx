import type { IpcError } from '../../lib/ipc';

export function ErrorBanner({
  title,
  error,
  onRetry,
  onDismiss,
}: {
  title: string;
  error: IpcError;
  onRetry?: () => void;
  onDismiss?: () => void;
}) {
  return (
    <div className="banner banner-error" role="alert" data-testid="error-banner" data-code={error.code}>
      <div className="banner-text">
        <strong>{title}</strong>
        <span>{error.message}</span>
        <code className="banner-code">{error.code}</code>
      </div>
      <div className="banner-actions">
        {onRetry ? (
          <button type="button" className="btn btn-small" onClick={onRetry}>
            Retry
          </button>
        ) : null}
        {onDismiss ? (
          <button type="button" className="btn btn-small btn-ghost" onClick={onDismiss} aria-label="Dismiss">
            Dismiss
          </button>
        ) : null}
      </div>
    </div>
  );
}
