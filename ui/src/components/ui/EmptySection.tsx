import { useId } from 'react';
import type { ReactNode } from 'react';

/** A titled section with nothing to list yet, saying why. */
export function EmptySection({ title, testId, children }: { title: string; testId?: string; children: ReactNode }) {
  const headingId = useId();
  return (
    <section className="side-section" aria-labelledby={headingId} data-testid={testId}>
      <h2 id={headingId} className="side-heading">
        {title}
      </h2>
      <div className="empty">{children}</div>
    </section>
  );
}
