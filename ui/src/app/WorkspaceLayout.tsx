import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Outlet, useLocation, useMatch, useNavigate } from 'react-router';
import type { OutboxItem } from '../bindings';
import { useNotice } from '../components/ui/notice';
import { CatalogSection } from '../features/catalog/CatalogSection';
import { DraftsSection } from '../features/drafts/DraftsSection';
import { draftKeys } from '../features/drafts/queries';
import { OutboxSection } from '../features/jobs/OutboxSection';
import { outboxKeys } from '../features/jobs/queries';
import type { FormPanelHost } from '../features/product-form/panelHost';
import { submittedNotice } from '../features/product-form/submittedNotice';
import { paths } from '../lib/paths';
import { canGoBack } from './history';

/**
 * The catalog, with the user's outbox and drafts above it; the data product form (a new product, or
 * a resumed draft) opens beside it on its own URL, a child route of this one.
 *
 * Closing the form (Cancel, Close, or a submit the outbox took) goes back to where the form was opened
 * from, as Back would, so Forward opens it again; opened from outside (a deep link), it goes to the
 * catalog. The form disappears at once; the URL follows when the history has moved.
 */
export function WorkspaceLayout() {
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { show } = useNotice();
  const newProduct = useMatch(paths.newProduct);
  const draft = useMatch(paths.draft);
  const edit = useMatch(paths.editProduct);

  /** The history entry whose form was closed, until the history has moved off it. */
  const [closed, setClosed] = useState<string | null>(null);
  if (closed !== null && closed !== location.key) setClosed(null);
  const panelOpen = (newProduct !== null || draft !== null || edit !== null) && closed !== location.key;

  const refreshDrafts = () => queryClient.invalidateQueries({ queryKey: draftKeys.list() });
  const leave = () => {
    setClosed(location.key);
    if (canGoBack()) void navigate(-1);
    else void navigate(paths.catalog, { replace: true });
  };
  const host: FormPanelHost = {
    submitted: (document, outcome) => {
      leave();
      show(submittedNotice(document, outcome));
      queryClient.setQueryData<OutboxItem[]>(outboxKeys.all, (items = []) => [
        outcome.outbox,
        ...items.filter((i) => i.id !== outcome.outbox.id),
      ]);
      void queryClient.invalidateQueries({ queryKey: outboxKeys.all });
      void refreshDrafts();
    },
    closed: (saved) => {
      leave();
      void refreshDrafts();
      // The last changes may still be on their way into the draft: list again once they are.
      void saved.then(refreshDrafts);
    },
    abandoned: (saved) => {
      void saved.then(refreshDrafts);
    },
  };

  return (
    <div className={panelOpen ? 'workspace with-panel' : 'workspace'}>
      <div className="workspace-main">
        <OutboxSection />
        <DraftsSection busy={panelOpen} />
        <CatalogSection />
      </div>
      {panelOpen ? <Outlet context={host} /> : null}
    </div>
  );
}
