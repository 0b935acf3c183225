import { Component } from 'react';
import type { ReactNode } from 'react';

/**
 * Keeps a part of a view that failed (a chart whose library did not load) from taking the whole
 * window with it: the part says what failed, the rest of the view stays.
 */
export class ErrorBoundary extends Component<{ what: string; children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error): { error: Error } {
    return { error };
  }

  override render() {
    if (this.state.error) {
      return (
        <p className="banner banner-error" role="alert" data-testid="part-failed">
          {this.props.what} could not be shown: {this.state.error.message}
        </p>
      );
    }
    return this.props.children;
  }
}
