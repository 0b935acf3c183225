import { queryOptions, useQuery } from '@tanstack/react-query';
import { getDraft, listDrafts } from '../../lib/ipc';

/** The drafts saved on this machine: the list, and one draft with its document. */
export const draftKeys = {
  all: ['drafts'] as const,
  list: () => ['drafts', 'list'] as const,
  detail: (id: string) => ['drafts', 'detail', id] as const,
};

export function useDrafts() {
  return useQuery(queryOptions({ queryKey: draftKeys.list(), queryFn: () => listDrafts() }));
}

/**
 * One draft, to resume it. Always read afresh when a form opens (its form saved since the last read
 * would be overwritten by older text), and never read again while the form is open.
 */
export function useDraft(id: string) {
  return useQuery({
    queryKey: draftKeys.detail(id),
    queryFn: () => getDraft(id),
    refetchOnMount: 'always',
    staleTime: Infinity,
    gcTime: 0,
  });
}
