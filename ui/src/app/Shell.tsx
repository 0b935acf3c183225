import { Outlet } from 'react-router';
import { NoticeBanner } from '../components/ui/notice';
import { CatalogCount } from '../features/catalog/CatalogSection';
import { SyncBar } from '../features/sync/SyncBar';
import { useSync } from '../features/sync/SyncProvider';
import { useHistoryShortcuts } from './history';
import { MainNav } from './MainNav';

/** The window's frame: the header (the catalog's count, the sync), the main navigation, the view. */
export function Shell() {
  useHistoryShortcuts();
  const sync = useSync();
  return (
    <div className="app">
      <header className="app-top">
        <div className="app-header">
          <div className="brand">
            <span className="brand-mark" aria-hidden="true" />
            <h1>Meshport</h1>
            <CatalogCount />
          </div>
          <SyncBar status={sync.status} error={sync.error} requesting={sync.requesting} onSyncNow={sync.requestSync} />
        </div>
        <MainNav />
      </header>
      <main className="app-main">
        <div className="app-notice">
          <NoticeBanner />
        </div>
        <Outlet />
      </main>
    </div>
  );
}
