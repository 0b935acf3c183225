import { EmptySection } from '../../components/ui/EmptySection';
import { OutboxSection } from './OutboxSection';

/** Jobs: the submissions from this machine and their provisioning jobs, followed to the end. */
export function JobsPage() {
  return (
    <div className="page">
      <OutboxSection
        title="Jobs"
        empty={
          <EmptySection title="Jobs" testId="jobs-empty">
            <p>Nothing was submitted from this machine yet.</p>
            <p className="empty-hint">
              A submitted data product is listed here until the platform has provisioned it, also while
              the platform cannot be reached.
            </p>
          </EmptySection>
        }
      />
    </div>
  );
}
