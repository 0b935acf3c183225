import { createContext, useContext, useMemo, useState } from 'react';
import type { ReactNode } from 'react';

/** What the window says about the user's last action, above the current view until dismissed. */
export interface Notice {
  kind: 'success' | 'info' | 'error';
  text: string;
}

interface NoticeState {
  notice: Notice | null;
  show: (notice: Notice) => void;
  dismiss: () => void;
}

const NoticeContext = createContext<NoticeState | null>(null);

export function NoticeProvider({ children }: { children: ReactNode }) {
  const [notice, setNotice] = useState<Notice | null>(null);
  const value = useMemo<NoticeState>(() => ({ notice, show: setNotice, dismiss: () => setNotice(null) }), [notice]);
  return <NoticeContext value={value}>{children}</NoticeContext>;
}

export function useNotice(): NoticeState {
  const state = useContext(NoticeContext);
  if (!state) throw new Error('useNotice is used outside a NoticeProvider');
  return state;
}

/** The notice, if there is one. */
export function NoticeBanner() {
  const { notice, dismiss } = useNotice();
  if (!notice) return null;
  return (
    <div
      className={`banner banner-${notice.kind}`}
      role={notice.kind === 'error' ? 'alert' : 'status'}
      data-testid="notice"
      data-kind={notice.kind}
    >
      <span>{notice.text}</span>
      <button type="button" className="btn btn-small btn-ghost" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  );
}
