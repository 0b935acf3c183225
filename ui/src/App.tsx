import { lazy, Suspense } from 'react';
import type { ReactNode } from 'react';
import { HashRouter, Navigate, Route, Routes } from 'react-router';
import type { Boot } from './app/boot';
import { AppProviders } from './app/providers';
import { Shell } from './app/Shell';
import { NotFound } from './app/NotFound';
import { WorkspaceLayout } from './app/WorkspaceLayout';
import { AccessPage } from './features/access/AccessPage';
import { DraftsPage } from './features/drafts/DraftsPage';
import { JobPage } from './features/jobs/JobPage';
import { JobsPage } from './features/jobs/JobsPage';
import { IncidentPage, IncidentsPage } from './features/incidents/IncidentsPage';
import { ProductPage } from './features/product/ProductPage';
import { QualityPage } from './features/quality/QualityPage';
import { SettingsPage } from './features/settings/SettingsPage';
import { paths } from './lib/paths';

// The product form (rjsf and its widgets, half the code) loads when it is first opened, not before
// the catalog: the window's first view parses and holds less.
const NewProductRoute = lazy(() =>
  import('./features/product-form/NewProductRoute').then((m) => ({ default: m.NewProductRoute })),
);
const EditProductRoute = lazy(() =>
  import('./features/product-form/EditProductRoute').then((m) => ({ default: m.EditProductRoute })),
);
const ResumeDraftRoute = lazy(() =>
  import('./features/product-form/ResumeDraftRoute').then((m) => ({ default: m.ResumeDraftRoute })),
);

function Loading({ children }: { children: ReactNode }) {
  return (
    <Suspense
      fallback={
        <p className="empty" role="status">
          Opening the form…
        </p>
      }
    >
      {children}
    </Suspense>
  );
}

/**
 * The window: its providers and its routes.
 *
 * A hash router (`tauri://localhost/#/drafts/…`): the shell serves the build from a custom protocol
 * and the build's asset URLs are relative (vite.config.ts), so a path in the URL itself would load the
 * assets from under that path on a reload; after the `#`, every view is the same document. Its entries
 * are the webview's own history, so the webview's Back and Forward (the mouse buttons, see
 * app/history.ts) move through the views as the window's do; a memory router would keep them apart.
 *
 * `boot` is what main.tsx started before rendering (app/boot.ts: the query cache, the subscription to
 * the shell's events and the first search); without it the window starts its own.
 */
export function App({ boot }: { boot?: Boot }) {
  return (
    <AppProviders boot={boot}>
      <HashRouter>
        <Routes>
          <Route element={<Shell />}>
            <Route index element={<Navigate to={paths.catalog} replace />} />
            <Route element={<WorkspaceLayout />}>
              {/* The catalog alone: the layout is the view, no form beside it. */}
              <Route path={paths.catalog} element={null} />
              <Route path={paths.newProduct} element={
                  <Loading>
                    <NewProductRoute />
                  </Loading>
                } />
              <Route path={paths.editProduct} element={
                  <Loading>
                    <EditProductRoute />
                  </Loading>
                } />
              <Route path={paths.draft} element={
                  <Loading>
                    <ResumeDraftRoute />
                  </Loading>
                } />
            </Route>
            <Route path={paths.drafts} element={<DraftsPage />} />
            <Route path={paths.product} element={<ProductPage />} />
            <Route path={paths.quality} element={<QualityPage />} />
            <Route path={paths.incidents} element={<IncidentsPage />} />
            <Route path={paths.incident} element={<IncidentPage />} />
            <Route path={paths.jobs} element={<JobsPage />} />
            <Route path={paths.access} element={<AccessPage />} />
            <Route path={paths.settings} element={<SettingsPage />} />
            <Route path={paths.job} element={<JobPage />} />
            <Route path="*" element={<NotFound />} />
          </Route>
        </Routes>
      </HashRouter>
    </AppProviders>
  );
}
