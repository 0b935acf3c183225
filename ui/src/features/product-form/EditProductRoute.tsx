import { useEffect, useState } from 'react';
import { useLocation, useParams } from 'react-router';
import type { ProvisioningRequest } from '../../bindings';
import { ErrorBanner } from '../../components/ui/ErrorBanner';
import { editProduct, toIpcError } from '../../lib/ipc';
import type { IpcError } from '../../lib/ipc';
import { RequestWizard } from '../wizard/RequestWizard';
import { useFormEntries } from './formEntries';
import { useFormPanelHost } from './panelHost';
import { ResumeDraft } from './ResumeDraftRoute';

/**
 * A published product edited as a new version: the wizard pre-filled from the offline catalog (the
 * product and its contracts); its review step compares the edit with what is published. The draft
 * starts with the first change; Back or Forward onto this entry once it exists resumes it.
 */
export function EditProductRoute() {
  const { productId = '' } = useParams();
  const { key } = useLocation();
  const entries = useFormEntries();
  const [draftId] = useState(() => entries.draftOf(key));
  if (draftId) return <ResumeDraft draftId={draftId} onSubmitted={() => entries.forget(key)} />;
  return <EditProduct key={productId} productId={productId} entryKey={key} />;
}

function EditProduct({ productId, entryKey }: { productId: string; entryKey: string }) {
  const host = useFormPanelHost();
  const entries = useFormEntries();
  const [request, setRequest] = useState<ProvisioningRequest | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    editProduct(productId).then(
      (r) => live && setRequest(r),
      (e: unknown) => live && setError(toIpcError(e)),
    );
    return () => {
      live = false;
    };
  }, [productId, attempt]);
  if (error) {
    return (
      <section className="panel" aria-labelledby="form-heading">
        <div className="panel-head">
          <h2 id="form-heading">New version</h2>
          <button type="button" className="btn btn-ghost" onClick={() => host.closed(Promise.resolve())}>
            Close
          </button>
        </div>
        <ErrorBanner
          title="The product could not be opened for editing."
          error={error}
          onRetry={() => {
            setError(null);
            setAttempt((a) => a + 1);
          }}
        />
      </section>
    );
  }
  if (!request) {
    return (
      <section className="panel" aria-busy="true">
        <p className="empty">Opening the product…</p>
      </section>
    );
  }
  return (
    <RequestWizard
      draftId={null}
      initialRequest={request}
      title={`New version of “${request.product.name ?? productId}”`}
      onDraftSaved={(id) => entries.record(entryKey, id)}
      onSubmitted={(product, outcome) => {
        entries.forget(entryKey);
        host.submitted(product, outcome);
      }}
      onClose={host.closed}
      onAbandoned={host.abandoned}
    />
  );
}
