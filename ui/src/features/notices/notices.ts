import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { noticeCounts, noticesSeen, onNotices } from '../../lib/ipc';

export const noticeKeys = { counts: ['notices', 'counts'] as const };

/** The badges: how many notices of each view are unseen, read again whenever the shell tells of news. */
export function useNoticeCounts() {
  const queryClient = useQueryClient();
  useEffect(() => {
    let stop: (() => void) | null = null;
    let active = true;
    onNotices(() => void queryClient.invalidateQueries({ queryKey: noticeKeys.counts })).then(
      (unlisten) => {
        if (active) stop = unlisten;
        else unlisten();
      },
      () => undefined,
    );
    return () => {
      active = false;
      stop?.();
    };
  }, [queryClient]);
  return useQuery({ queryKey: noticeKeys.counts, queryFn: noticeCounts }).data;
}

/** A view that shows what its notices told of: opened, they are seen and its badge goes. */
export function useNoticesSeen(view: 'incidents' | 'access') {
  const queryClient = useQueryClient();
  useEffect(() => {
    noticesSeen(view).then(
      () => void queryClient.invalidateQueries({ queryKey: noticeKeys.counts }),
      () => undefined,
    );
  }, [view, queryClient]);
}
