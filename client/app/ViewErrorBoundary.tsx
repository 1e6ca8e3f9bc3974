import { Component, type ErrorInfo, type ReactNode } from 'react';

interface State {
  error: Error | null;
}

/**
 * Keeps one view's failure (a bug, or a document no reader foresaw) inside that view: the
 * header, the other tabs and the live connection keep working, and the view can be retried.
 * Keyed by the view, so switching tabs starts fresh.
 */
export class ViewErrorBoundary extends Component<{ view: string; children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.warn(`Planvas: the ${this.props.view} view failed`, error, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.error) return this.props.children;
    return (
      <div className="page-center">
        <div className="card error-card" role="alert">
          <h2>This view could not be shown</h2>
          <p>
            Something on this board could not be displayed in the {this.props.view} view ({this.state.error.message}). The other views and
            everyone's edits are not affected.
          </p>
          <button type="button" className="button" onClick={() => this.setState({ error: null })}>
            Try again
          </button>
        </div>
      </div>
    );
  }
}
