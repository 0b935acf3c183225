import { useEffect, useEffectEvent } from 'react';
import { useNavigate } from 'react-router';

/**
 * Whether the window's history holds an entry of this app before the current one. React Router's
 * browser and hash histories number their entries in `history.state.idx` (0 for the first).
 */
export function canGoBack(): boolean {
  const state: unknown = window.history.state;
  const idx = typeof state === 'object' && state !== null ? (state as { idx?: unknown }).idx : undefined;
  return typeof idx === 'number' && idx > 0;
}

function isApple(): boolean {
  return /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
}

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement;
}

/** Where a key press moves in the history: -1 (Back), 1 (Forward) or 0 (it is not a history key). */
export function historyDelta(event: KeyboardEvent): -1 | 0 | 1 {
  if (event.defaultPrevented || event.repeat || event.isComposing) return 0;
  // The keyboard's own Back and Forward keys (XF86Back, XF86Forward).
  if (event.key === 'BrowserBack') return -1;
  if (event.key === 'BrowserForward') return 1;
  if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return 0;
  // On a Mac, Option+Left and Option+Right move the caret by a word.
  if (isApple() && isEditable(event.target)) return 0;
  if (event.key === 'ArrowLeft') return -1;
  if (event.key === 'ArrowRight') return 1;
  return 0;
}

/**
 * Back and Forward from the keyboard: Alt+Left and Alt+Right (and the Back and Forward keys). The
 * webviews do not agree on these (WebKitGTK binds none, WebView2 its own), so the window handles
 * them itself and keeps the webview from acting on them too.
 *
 * The mouse's back and forward buttons need nothing here: on Linux and macOS, wry turns them into
 * `mouseup` events with `button` 3 and 4 and then calls `history.back()` / `history.forward()` unless
 * a listener prevented that; WebView2 goes back and forward by itself. Either moves the webview's own
 * history, which the hash router's entries are part of.
 */
export function useHistoryShortcuts(): void {
  const navigate = useNavigate();
  const go = useEffectEvent((delta: number) => void navigate(delta));
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      const delta = historyDelta(event);
      if (delta === 0) return;
      event.preventDefault();
      go(delta);
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
