import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import type { DataProduct, Draft } from '../../bindings';
import { ErrorBanner } from '../../components/ui/ErrorBanner';
import { toIpcError } from '../../lib/ipc';
import { draftKeys, useDraft } from '../drafts/queries';
import { ProductForm } from './ProductForm';
import { useFormPanelHost } from './panelHost';
import type { FormPanelHost } from './panelHost';
import { newDataProductDefaults } from './rjsf/dataProductUi';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

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
  const [data] = useState<DataProduct>(() =>
    isPlainObject(draft.document) ? (draft.document as unknown as DataProduct) : newDataProductDefaults(),
  );
  return (
    <ProductForm
      draftId={draft.id}
      initialData={data}
      savedAt={draft.updatedAt}
      onSubmitted={(document, outcome) => {
        onSubmitted?.();
        host.submitted(document, outcome);
      }}
      onClose={host.closed}
      onAbandoned={host.abandoned}
    />
  );
}
