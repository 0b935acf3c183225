import { HashRouter, Navigate, Route, Routes } from 'react-router';
import { AppProviders } from './app/providers';
import { Shell } from './app/Shell';
import { NotFound } from './app/NotFound';
import { WorkspaceLayout } from './app/WorkspaceLayout';
import { DraftsPage } from './features/drafts/DraftsPage';
import { ResumeDraftRoute } from './features/product-form/ResumeDraftRoute';
import { JobsPage } from './features/jobs/JobsPage';
import { NewProductRoute } from './features/product-form/NewProductRoute';
import { paths } from './lib/paths';

/**
 * The window: its providers and its routes.
 *
 * A hash router (`tauri://localhost/#/drafts/…`): the shell serves the build from a custom protocol
 * and the build's asset URLs are relative (vite.config.ts), so a path in the URL itself would load the
 * assets from under that path on a reload; after the `#`, every view is the same document. Its entries
 * are the webview's own history, so the webview's Back and Forward (the mouse buttons, see
 * app/history.ts) move through the views as the window's do; a memory router would keep them apart.
 */
export function App() {
  return (
    <AppProviders>
      <HashRouter>
        <Routes>
          <Route element={<Shell />}>
            <Route index element={<Navigate to={paths.catalog} replace />} />
            <Route element={<WorkspaceLayout />}>
              {/* The catalog alone: the layout is the view, no form beside it. */}
              <Route path={paths.catalog} element={null} />
              <Route path={paths.newProduct} element={<NewProductRoute />} />
              <Route path={paths.draft} element={<ResumeDraftRoute />} />
            </Route>
            <Route path={paths.drafts} element={<DraftsPage />} />
            <Route path={paths.jobs} element={<JobsPage />} />
            <Route path="*" element={<NotFound />} />
          </Route>
        </Routes>
      </HashRouter>
    </AppProviders>
  );
}
