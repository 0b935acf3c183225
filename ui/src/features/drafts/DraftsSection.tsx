import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { ErrorBanner } from '../../components/ui/ErrorBanner';
import { useNotice } from '../../components/ui/notice';
import { removeDraft, toIpcError } from '../../lib/ipc';
import type { IpcError } from '../../lib/ipc';
import { draftPath } from '../../lib/paths';
import { DraftList } from './DraftList';
import { draftKeys, useDrafts } from './queries';

/**
 * The drafts, to resume (the form opens on the draft's own URL) or discard; `empty` once read and
 * empty. `busy` while a form is open beside the list: resuming or discarding would race it.
 */
export function DraftsSection({ busy, empty }: { busy: boolean; empty?: ReactNode }) {
  const drafts = useDrafts();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { dismiss } = useNotice();
  const [failure, setFailure] = useState<IpcError | null>(null);
  const discard = useMutation({
    mutationFn: (id: string) => removeDraft(id),
    onSuccess: () => setFailure(null),
    onError: (e) => setFailure(toIpcError(e)),
    onSettled: () => queryClient.invalidateQueries({ queryKey: draftKeys.list() }),
  });

  const resume = (id: string) => {
    dismiss();
    void navigate(draftPath(id));
  };

  const list = drafts.data ?? [];
  return (
    <>
      {failure ? (
        <ErrorBanner title="The draft could not be discarded." error={failure} onDismiss={() => setFailure(null)} />
      ) : null}
      {drafts.error ? (
        <ErrorBanner
          title="The drafts could not be listed."
          error={toIpcError(drafts.error)}
          onRetry={() => void drafts.refetch()}
        />
      ) : null}
      {list.length > 0 ? (
        <DraftList drafts={list} busy={busy} onResume={resume} onDiscard={(id) => discard.mutate(id)} />
      ) : drafts.isSuccess ? (
        empty
      ) : null}
    </>
  );
}
