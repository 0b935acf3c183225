import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render as renderPlain, screen, waitFor } from '@testing-library/react';
import type { ReactElement } from 'react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyTheme, storedTheme } from '../../app/theme';
import { seriousViolations } from '../../test/axe';
import { IpcError, cacheSize, listProfiles, removeProfile, signIn, switchProfile } from '../../lib/ipc';
import type { ProfileList } from '../../bindings';
import { SettingsPage } from './SettingsPage';

vi.mock('../../lib/ipc', async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  cacheSize: vi.fn(() => Promise.resolve(4_231_168)),
  listProfiles: vi.fn(),
  signIn: vi.fn(),
  switchProfile: vi.fn(),
  removeProfile: vi.fn(),
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

const DEMO: ProfileList = { profiles: [], current: 'demo', demoUsers: ['ada', 'owen', 'sam', 'cora'] };
const SIGNED: ProfileList = {
  profiles: [{ name: 'prod', url: 'https://platform.example.com', user: 'sam', active: true, signedIn: true }],
  current: 'prod',
  demoUsers: ['ada', 'owen', 'sam', 'cora'],
};

describe('the profiles', () => {
  beforeEach(() => {
    vi.mocked(listProfiles).mockReset().mockResolvedValue(DEMO);
    vi.mocked(signIn).mockReset();
    vi.mocked(switchProfile).mockReset();
    vi.mocked(removeProfile).mockReset();
  });

  it('signs in with a token typed into a password field, and a refusal keeps all but the token', async () => {
    vi.mocked(signIn)
      .mockRejectedValueOnce(new IpcError('invalid', 'this token is owen\'s, not sam\'s: nothing was stored'))
      .mockResolvedValueOnce(SIGNED);
    const user = userEvent.setup();
    render(<SettingsPage />);
    expect((await screen.findByTestId('current-profile')).textContent).toContain('demo');
    const token = screen.getByLabelText<HTMLInputElement>('Token');
    expect(token.type).toBe('password');
    expect(screen.getByRole('button', { name: 'Sign in' })).toHaveProperty('disabled', true);
    await user.type(screen.getByLabelText('Profile name'), 'prod');
    await user.type(screen.getByLabelText('Platform URL'), 'https://platform.example.com');
    await user.type(screen.getByLabelText('User'), 'sam');
    await user.type(token, 'mpt_wrong_secret');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(signIn).toHaveBeenCalledWith('prod', 'https://platform.example.com', 'sam', 'mpt_wrong_secret');
    expect((await screen.findByText(/Not signed in; nothing was stored/)).textContent).toBeTruthy();
    expect(screen.getByLabelText<HTMLInputElement>('Profile name').value).toBe('prod');
    expect(screen.getByLabelText<HTMLInputElement>('User').value).toBe('sam');
    expect(screen.getByLabelText<HTMLInputElement>('Token').value).toBe('');
    await user.type(screen.getByLabelText('Token'), 'mpt_right_secret');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    const row = await screen.findByRole('row', { name: /prod/ });
    expect(row.getAttribute('aria-current')).toBe('true');
    expect(row.textContent).toContain('in the OS keyring');
    expect(row.textContent).not.toContain('mpt_');
    expect(await seriousViolations()).toEqual([]);
  });

  it('switches to a demo user and removes a profile once confirmed', async () => {
    vi.mocked(listProfiles).mockResolvedValue({ ...SIGNED, current: 'demo' });
    vi.mocked(switchProfile).mockResolvedValue({ ...SIGNED, current: 'demo-sam' });
    vi.mocked(removeProfile).mockResolvedValue({ ...DEMO, current: 'demo-sam' });
    const user = userEvent.setup();
    render(<SettingsPage />);
    await user.selectOptions(await screen.findByLabelText('Act on the demo platform as'), 'sam');
    await user.click(screen.getByRole('button', { name: 'Switch' }));
    expect(switchProfile).toHaveBeenCalledWith(null, 'sam');
    expect((await screen.findByTestId('current-profile')).textContent).toContain('demo-sam');
    await user.click(screen.getByRole('button', { name: 'Remove profile prod' }));
    expect(removeProfile).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Remove profile prod and its token' }));
    expect(removeProfile).toHaveBeenCalledWith('prod');
    await waitFor(() => expect(screen.queryByRole('row', { name: /prod/ })).toBeNull());
  });
});
