import { Link } from 'react-router';
import type { OutboxItem } from '../../bindings';
import { shortTime } from '../../lib/format';
import { jobPath } from '../../lib/paths';

const FINAL_JOB_STATES = new Set(['succeeded', 'failed', 'cancelled']);

/** Whether an item may still change: waiting to be sent, or sent with its job not finished. */
export function outboxItemPending(item: OutboxItem): boolean {
  if (item.state === 'queued') return true;
  if (item.state === 'delivered') return !FINAL_JOB_STATES.has(item.jobState ?? '');
  return false;
}

const STATE_LABEL: Record<OutboxItem['state'], string> = {
  queued: 'Queued',
  delivered: 'Delivered',
  refused: 'Refused',
};

/** The submissions and where they are: queued until the platform is reachable, then its job. */
export function Outbox({ items, title = 'Outbox' }: { items: readonly OutboxItem[]; title?: string }) {
  if (items.length === 0) return null;
  return (
    <section className="side-section outbox" data-testid="outbox" aria-labelledby="outbox-heading">
      <h2 id="outbox-heading" className="side-heading">
        {title} <span className="side-count">{items.length}</span>
      </h2>
      <ul className="side-list">
        {items.map((item) => (
          <li
            key={item.id}
            className={`side-row outbox-${item.state}`}
            data-testid="outbox-row"
            data-state={item.state}
            data-outbox-id={item.id}
          >
            <div className="side-row-text">
              <span className="side-name" data-testid="outbox-name">
                {item.name.trim() || 'Untitled'}
              </span>
              <span className="side-meta">
                Submitted {shortTime(item.submittedAt, 'at an unknown time')}
                {item.attempts > 1 ? ` · ${item.attempts} attempts` : null}
              </span>
              {item.lastError ? (
                <span className="side-error" data-testid="outbox-error">
                  {item.lastError}
                </span>
              ) : null}
            </div>
            <dl className="outbox-states">
              <div>
                <dt>Delivery</dt>
                <dd>
                  <span className={`badge outbox-badge-${item.state}`} data-testid="outbox-state">
                    {STATE_LABEL[item.state] ?? item.state}
                  </span>
                </dd>
              </div>
              <div>
                <dt>Job</dt>
                <dd data-testid="outbox-job-state">
                  {item.jobId ? (
                    <Link
                      to={jobPath(item.jobId)}
                      data-testid="outbox-job-link"
                      aria-label={`Job of ${item.name.trim() || 'Untitled'}: ${item.jobState || 'queued'}`}
                    >
                      {item.jobState || 'queued'}
                    </Link>
                  ) : (
                    '—'
                  )}
                </dd>
              </div>
            </dl>
          </li>
        ))}
      </ul>
    </section>
  );
}
