import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render as renderPlain, screen } from '@testing-library/react';
import type { ReactElement } from 'react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyTheme, storedTheme } from '../../app/theme';
import { seriousViolations } from '../../test/axe';
import { cacheSize } from '../../lib/ipc';
import { SettingsPage } from './SettingsPage';

vi.mock('../../lib/ipc', async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  cacheSize: vi.fn(() => Promise.resolve(4_231_168)),
}));

vi.mock('../sync/SyncProvider', () => ({
  useSync: () => ({
    status: {
      phase: 'idle',
      profile: 'demo',
      platform: 'http://127.0.0.1:4100',
      lastSuccessAt: '2025-03-01T10:00:00Z',
      pages: 1,
      changes: 0,
      products: 12,
    },
    error: null,
    requesting: false,
    requestSync: () => undefined,
  }),
}));

function render(ui: ReactElement) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return renderPlain(<QueryClientProvider client={client}>{ui}</QueryClientProvider>);
}

/** An OS that prefers `dark`, telling its listeners when that changes. */
function os(dark: boolean) {
  const listeners = new Set<() => void>();
  const query = {
    get matches() {
      return dark;
    },
    addEventListener: (_: string, l: () => void) => listeners.add(l),
    removeEventListener: (_: string, l: () => void) => listeners.delete(l),
  };
  vi.stubGlobal('matchMedia', () => query);
  return {
    set(next: boolean) {
      dark = next;
      listeners.forEach((l) => l());
    },
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
  window.localStorage.clear();
  delete document.documentElement.dataset.theme;
});

describe('the theme', () => {
  it('follows the OS by default, as it changes', () => {
    const system = os(true);
    applyTheme(storedTheme());
    expect(document.documentElement.dataset.theme).toBe('dark');
    render(<SettingsPage />);
    expect(screen.getByRole('radio', { name: 'System' })).toHaveProperty('checked', true);
    system.set(false);
    expect(document.documentElement.dataset.theme).toBe('light');
  });

  it('keeps a chosen theme, whatever the OS says, and forgets it for System', async () => {
    const system = os(false);
    const user = userEvent.setup();
    render(<SettingsPage />);
    await user.click(screen.getByRole('radio', { name: 'Dark' }));
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(storedTheme()).toBe('dark');
    system.set(false);
    expect(document.documentElement.dataset.theme).toBe('dark');
    await user.click(screen.getByRole('radio', { name: 'System' }));
    expect(document.documentElement.dataset.theme).toBe('light');
    expect(window.localStorage.getItem('meshport.theme')).toBeNull();
  });

  it('shows where the offline catalog stands, accessibly', async () => {
    os(false);
    render(<SettingsPage />);
    expect(screen.getByText('http://127.0.0.1:4100')).toBeTruthy();
    expect((await screen.findByText('4.2 MB')).getAttribute('data-testid')).toBe('cache-size');
    expect(cacheSize).toHaveBeenCalled();
    expect(screen.getByRole('radio', { name: 'Light' }).getAttribute('aria-describedby')).toBeTruthy();
    expect(await seriousViolations()).toEqual([]);
  });
});
