import { useEffect, useState } from 'react';
import { useLocation } from 'react-router';
import type { ProvisioningRequest } from '../../bindings';
import { ErrorBanner } from '../../components/ui/ErrorBanner';
import { newRequest, toIpcError } from '../../lib/ipc';
import type { IpcError } from '../../lib/ipc';
import { RequestWizard } from '../wizard/RequestWizard';
import { useFormEntries } from './formEntries';
import { useFormPanelHost } from './panelHost';
import { ResumeDraft } from './ResumeDraftRoute';

/**
 * "New data product": the wizard on a new request (a fresh product id, the platform's standard
 * infrastructure); the draft starts with the first change. Back or Forward onto this entry once its
 * draft exists resumes that draft.
 */
export function NewProductRoute() {
  const { key } = useLocation();
  const entries = useFormEntries();
  const [draftId] = useState(() => entries.draftOf(key));
  if (draftId) return <ResumeDraft draftId={draftId} onSubmitted={() => entries.forget(key)} />;
  return <NewProduct entryKey={key} />;
}

/** A new request from the shell, once: `null` while it comes. */
export function useNewRequest(): { request: ProvisioningRequest | null; error: IpcError | null; retry: () => void } {
  const [request, setRequest] = useState<ProvisioningRequest | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    newRequest().then(
      (r) => live && setRequest(r),
      (e: unknown) => live && setError(toIpcError(e)),
    );
    return () => {
      live = false;
    };
  }, [attempt]);
  return {
    request,
    error,
    retry: () => {
      setError(null);
      setAttempt((a) => a + 1);
    },
  };
}

function NewProduct({ entryKey }: { entryKey: string }) {
  const host = useFormPanelHost();
  const entries = useFormEntries();
  const { request, error, retry } = useNewRequest();
  if (error) {
    return (
      <section className="panel" aria-labelledby="form-heading">
        <h2 id="form-heading">New data product</h2>
        <ErrorBanner title="The new product could not be started." error={error} onRetry={retry} />
      </section>
    );
  }
  if (!request) {
    return (
      <section className="panel" aria-busy="true">
        <p className="empty">Opening the form…</p>
      </section>
    );
  }
  return (
    <RequestWizard
      draftId={null}
      initialRequest={request}
      onDraftSaved={(id) => entries.record(entryKey, id)}
      onSubmitted={(product, outcome) => {
        // The draft is the outbox's now: this entry is an empty form again.
        entries.forget(entryKey);
        host.submitted(product, outcome);
      }}
      onClose={host.closed}
      onAbandoned={host.abandoned}
    />
  );
}
