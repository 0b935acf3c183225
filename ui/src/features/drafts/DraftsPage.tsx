import { EmptySection } from '../../components/ui/EmptySection';
import { DraftsSection } from './DraftsSection';

/** Drafts: what was written in the form and not submitted, saved as it was typed. */
export function DraftsPage() {
  return (
    <div className="page">
      <DraftsSection
        busy={false}
        empty={
          <EmptySection title="Drafts" testId="drafts-empty">
            <p>No drafts.</p>
            <p className="empty-hint">
              A new data product is kept as a draft while it is written, until it is submitted or discarded.
            </p>
          </EmptySection>
        }
      />
    </div>
  );
}
