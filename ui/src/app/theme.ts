// The window's theme: the OS's (light or dark, followed as it changes) unless the user chose one in
// Settings. The choice lives in the webview's localStorage; the resolved theme is `data-theme` on the
// root element, which styles.css reads.
import { useCallback, useEffect, useState } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'meshport.theme';
const DARK = '(prefers-color-scheme: dark)';

export function storedTheme(): ThemeChoice {
  try {
    const value = window.localStorage.getItem(KEY);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system';
  }
}

function osTheme(): 'light' | 'dark' {
  return typeof window.matchMedia === 'function' && window.matchMedia(DARK).matches ? 'dark' : 'light';
}

/** Sets `data-theme` on the root element for `choice` (before the first paint, from main.tsx). */
export function applyTheme(choice: ThemeChoice): void {
  document.documentElement.dataset.theme = choice === 'system' ? osTheme() : choice;
}

/** The user's choice, a setter that keeps it, and the OS followed while the choice is "system". */
export function useTheme(): [ThemeChoice, (choice: ThemeChoice) => void] {
  const [choice, setChoice] = useState<ThemeChoice>(storedTheme);
  useEffect(() => {
    applyTheme(choice);
    if (choice !== 'system' || typeof window.matchMedia !== 'function') return;
    const query = window.matchMedia(DARK);
    const follow = () => applyTheme('system');
    query.addEventListener('change', follow);
    return () => query.removeEventListener('change', follow);
  }, [choice]);
  const choose = useCallback((next: ThemeChoice) => {
    try {
      if (next === 'system') window.localStorage.removeItem(KEY);
      else window.localStorage.setItem(KEY, next);
    } catch {
      // Without storage the choice holds for this session only.
    }
    setChoice(next);
  }, []);
  return [choice, choose];
}
