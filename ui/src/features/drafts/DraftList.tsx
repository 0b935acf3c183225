import type { DraftSummary } from '../../bindings';
import { shortTime } from '../../lib/format';

/** The drafts saved on this machine, most recent first, to resume or discard. */
export function DraftList({
  drafts,
  busy,
  onResume,
  onDiscard,
}: {
  drafts: readonly DraftSummary[];
  /** The form is open (or a draft is being opened): resuming or discarding would race it. */
  busy: boolean;
  onResume: (id: string) => void;
  onDiscard: (id: string) => void;
}) {
  if (drafts.length === 0) return null;
  return (
    <section className="side-section drafts" data-testid="drafts" aria-labelledby="drafts-heading">
      <h2 id="drafts-heading" className="side-heading">
        Drafts <span className="side-count">{drafts.length}</span>
      </h2>
      <ul className="side-list">
        {drafts.map((d) => (
          <li key={d.id} className="side-row" data-testid="draft-row" data-draft-id={d.id}>
            <div className="side-row-text">
              <span className={d.name.trim() ? 'side-name' : 'side-name side-name-missing'} data-testid="draft-name">
                {d.name.trim() || 'Untitled'}
              </span>
              <span className="side-meta">Saved {shortTime(d.updatedAt, 'at an unknown time')}</span>
            </div>
            <div className="side-actions">
              <button
                type="button"
                className="btn btn-small"
                data-testid="draft-resume"
                onClick={() => onResume(d.id)}
                disabled={busy}
              >
                Resume
              </button>
              <button
                type="button"
                className="btn btn-small btn-ghost"
                data-testid="draft-discard"
                onClick={() => onDiscard(d.id)}
                disabled={busy}
              >
                Discard
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
