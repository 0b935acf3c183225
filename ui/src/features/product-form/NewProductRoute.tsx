import { useState } from 'react';
import { useLocation } from 'react-router';
import { useFormEntries } from './formEntries';
import { useFormPanelHost } from './panelHost';
import { ProductForm } from './ProductForm';
import { ResumeDraft } from './ResumeDraftRoute';
import { newDataProductDefaults } from './rjsf/dataProductUi';

/**
 * "New data product": an empty form (a fresh id); the draft starts with the first change. Back or
 * Forward onto this entry once its draft exists resumes that draft.
 */
export function NewProductRoute() {
  const { key } = useLocation();
  const entries = useFormEntries();
  const [draftId] = useState(() => entries.draftOf(key));
  if (draftId) return <ResumeDraft draftId={draftId} onSubmitted={() => entries.forget(key)} />;
  return <NewProduct entryKey={key} />;
}

function NewProduct({ entryKey }: { entryKey: string }) {
  const host = useFormPanelHost();
  const entries = useFormEntries();
  const [data] = useState(newDataProductDefaults);
  return (
    <ProductForm
      draftId={null}
      initialData={data}
      onDraftSaved={(id) => entries.record(entryKey, id)}
      onSubmitted={(document, outcome) => {
        // The draft is the outbox's now: this entry is an empty form again.
        entries.forget(entryKey);
        host.submitted(document, outcome);
      }}
      onClose={host.closed}
      onAbandoned={host.abandoned}
    />
  );
}
