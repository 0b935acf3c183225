import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import type { Draft, ProvisioningRequest } from '../../bindings';
import { ErrorBanner } from '../../components/ui/ErrorBanner';
import { toIpcError } from '../../lib/ipc';
import { draftKeys, useDraft } from '../drafts/queries';
import { RequestWizard } from '../wizard/RequestWizard';
import { asRequest, isRequest, isStepId } from '../wizard/model';
import { useNewRequest } from './NewProductRoute';
import { useFormPanelHost } from './panelHost';
import type { FormPanelHost } from './panelHost';

/** A resumed draft in the form, on the draft's own URL. */
export function ResumeDraftRoute() {
  const { draftId = '' } = useParams();
  // Another draft is another form.
  return <ResumeDraft key={draftId} draftId={draftId} />;
}

/** The form on the draft `draftId`, once read; `onSubmitted` before the host hears of a submit. */
export function ResumeDraft({ draftId, onSubmitted }: { draftId: string; onSubmitted?: () => void }) {
  const host = useFormPanelHost();
  const queryClient = useQueryClient();
  const draft = useDraft(draftId);
  const failed = draft.isError;
  // A draft that cannot be opened may be gone: list the drafts again.
  useEffect(() => {
    if (failed) void queryClient.invalidateQueries({ queryKey: draftKeys.list() });
  }, [failed, queryClient]);

  if (draft.isError) {
    return (
      <section className="panel" aria-labelledby="form-heading">
        <div className="panel-head">
          <h2 id="form-heading">Draft</h2>
          <button type="button" className="btn btn-ghost" onClick={() => host.closed(Promise.resolve())}>
            Close
          </button>
        </div>
        <ErrorBanner
          title="The draft could not be opened."
          error={toIpcError(draft.error)}
          onRetry={() => void draft.refetch()}
        />
      </section>
    );
  }
  if (!draft.data || !draft.isFetchedAfterMount) {
    return (
      <section className="panel" aria-busy="true">
        <p className="empty">Opening the draft…</p>
      </section>
    );
  }
  return <ResumedForm draft={draft.data} host={host} onSubmitted={onSubmitted} />;
}

function ResumedForm({
  draft,
  host,
  onSubmitted,
}: {
  draft: Draft;
  host: FormPanelHost;
  onSubmitted?: () => void;
}) {
  // A draft holds the request as typed; older drafts hold a bare product, which a new request takes.
  const needsTemplate = !isRequest(draft.document);
  const template = useNewRequest();
  const [initial, setInitial] = useState<ProvisioningRequest | null>(() =>
    needsTemplate ? null : asRequest(draft.document, draft.document as unknown as ProvisioningRequest),
  );
  if (initial === null && template.request) setInitial(asRequest(draft.document, template.request));
  if (initial === null) {
    return template.error ? (
      <section className="panel" aria-labelledby="form-heading">
        <h2 id="form-heading">Draft</h2>
        <ErrorBanner title="The draft could not be opened." error={template.error} onRetry={template.retry} />
      </section>
    ) : (
      <section className="panel" aria-busy="true">
        <p className="empty">Opening the draft…</p>
      </section>
    );
  }
  const step = (draft as Draft & { step?: string | null }).step;
  return (
    <RequestWizard
      draftId={draft.id}
      initialRequest={initial}
      initialStep={isStepId(step) ? step : 'product'}
      savedAt={draft.updatedAt}
      onSubmitted={(product, outcome) => {
        onSubmitted?.();
        host.submitted(product, outcome);
      }}
      onClose={host.closed}
      onAbandoned={host.abandoned}
    />
  );
}
