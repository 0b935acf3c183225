import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { useTheme } from '../../app/theme';
import type { ThemeChoice } from '../../app/theme';
import { byteSize, shortTime } from '../../lib/format';
import { cacheSize } from '../../lib/ipc';
import { useSync } from '../sync/SyncProvider';
import { Profiles } from './Profiles';

const THEMES: { value: ThemeChoice; label: string; hint: string }[] = [
  { value: 'system', label: 'System', hint: 'Light or dark as the operating system is, following it as it changes.' },
  { value: 'light', label: 'Light', hint: 'Always light.' },
  { value: 'dark', label: 'Dark', hint: 'Always dark.' },
];

/** The window's settings: its theme, where the offline catalog stands, and the profiles. */
export function SettingsPage() {
  const [theme, setTheme] = useTheme();
  const sync = useSync();
  const name = useId();
  const status = sync.status;
  // Read again after each sync that ends (its time changes).
  const size = useQuery({ queryKey: ['cache-size', status?.lastSuccessAt], queryFn: cacheSize });
  return (
    <div className="page">
      <section className="panel settings" aria-labelledby="settings-heading" data-testid="settings-page">
        <div className="panel-head">
          <h2 id="settings-heading">Settings</h2>
        </div>
        <fieldset className="settings-group">
          <legend>Theme</legend>
          {THEMES.map((t) => (
            <div key={t.value} className="choice">
              <input
                type="radio"
                id={`${name}-${t.value}`}
                name={name}
                value={t.value}
                checked={theme === t.value}
                aria-describedby={`${name}-${t.value}-hint`}
                onChange={() => setTheme(t.value)}
              />
              <label htmlFor={`${name}-${t.value}`}>{t.label}</label>
              <span className="muted" id={`${name}-${t.value}-hint`}>
                {t.hint}
              </span>
            </div>
          ))}
        </fieldset>
        <section className="settings-group" aria-labelledby="settings-sync">
          <h3 id="settings-sync">Offline catalog</h3>
          {status ? (
            <dl className="facts">
              <dt>Profile</dt>
              <dd>{status.profile}</dd>
              <dt>Platform</dt>
              <dd>{status.platform}</dd>
              <dt>Last synced</dt>
              <dd>{shortTime(status.lastSuccessAt)}</dd>
              <dt>Products</dt>
              <dd>{status.products}</dd>
              <dt>Size on disk</dt>
              <dd data-testid="cache-size">{size.data === undefined ? '…' : byteSize(size.data)}</dd>
            </dl>
          ) : (
            <p>Reading the sync status…</p>
          )}
        </section>
        <Profiles />
      </section>
    </div>
  );
}
