import { useEffect, useRef, useState } from 'react';
import { clockTime } from '../../lib/format';
import { saveDraft, toIpcError } from '../../lib/ipc';
import type { IpcError } from '../../lib/ipc';
import { measureSince } from '../../lib/measure';

/** The performance measure of a `draft_save` call (the document sent, stored, answered). */
export const DRAFT_SAVE_MEASURE = 'meshport:draft-save-call';

/** How long after the last change the draft is saved. */
export const AUTOSAVE_DELAY_MS = 500;
/** While typing goes on, a save still starts at most this long after the first unsaved change, so a
 * draft is never more than about a second behind what is on screen. */
export const AUTOSAVE_MAX_WAIT_MS = 800;

export type DraftState =
  | { kind: 'new' }
  | { kind: 'pending' }
  | { kind: 'saving' }
  | { kind: 'saved'; at: string }
  | { kind: 'error'; error: IpcError };

/** JSON with sorted keys: the same document always gives the same text. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function draftStatusText(state: DraftState): string {
  switch (state.kind) {
    case 'new':
      return 'A draft is kept as you type';
    case 'pending':
    case 'saving':
      return 'Saving…';
    case 'saved':
      return `Draft saved ${state.at}`;
    case 'error':
      return `The draft could not be saved: ${state.error.message}`;
  }
}

export interface Autosave {
  state: DraftState;
  /** The draft's id once the first save made it. */
  draftId: () => string | null;
  /** Records a change of the document (or of the step); the save follows within a second. */
  changed: (document: unknown, step: string) => void;
  /** Saves now what is not saved yet (after any save under way). */
  saveNow: () => Promise<void>;
  /** The form is done with (submitted or closed): no new save is scheduled. */
  finish: () => void;
  /**
   * What follows goes to a new draft (after any save under way): the draft so far keeps what it
   * holds. An import into a form that was already typed in loses nothing this way.
   */
  detach: () => Promise<void>;
}

/**
 * Saves a document as a local draft 500 ms after its last change (the first save creates the draft,
 * later ones update it), at most 800 ms after the first unsaved one. On unmount without `finish`
 * (another view, Back, the window closed), a scheduled save is sent at once and `onAbandoned` hears
 * when it is in.
 */
export function useAutosave({
  draftId: initialDraftId,
  savedAt,
  initial,
  fingerprint,
  onDraftSaved,
  onAbandoned,
}: {
  draftId: string | null;
  savedAt?: string;
  initial: { document: unknown; step: string };
  /** What counts as a change: documents with the same fingerprint are the same. */
  fingerprint: (document: unknown) => string;
  onDraftSaved?: (id: string) => void;
  onAbandoned?: (saved: Promise<void>) => void;
}): Autosave {
  const [state, setState] = useState<DraftState>(() =>
    initialDraftId && savedAt ? { kind: 'saved', at: clockTime(savedAt, savedAt) } : { kind: 'new' },
  );
  // Timers and chained saves must see the latest values: refs.
  const draftIdRef = useRef<string | null>(initialDraftId);
  const latestRef = useRef(initial);
  const printRef = useRef<string | null>(null);
  const revisionRef = useRef(0);
  const savedRevisionRef = useRef(0);
  const chainRef = useRef<Promise<void>>(Promise.resolve());
  const timerRef = useRef<ReturnType<typeof setTimeout> | null>(null);
  const pendingSinceRef = useRef<number | null>(null);
  const doneRef = useRef(false);

  function clearTimer() {
    if (timerRef.current !== null) {
      clearTimeout(timerRef.current);
      timerRef.current = null;
    }
  }

  function saveNow(): Promise<void> {
    clearTimer();
    pendingSinceRef.current = null;
    const run = chainRef.current.then(async () => {
      const revision = revisionRef.current;
      if (revision === savedRevisionRef.current) return;
      setState({ kind: 'saving' });
      try {
        const { document, step } = latestRef.current;
        // What a later change is compared with, once this is saved.
        printRef.current = `${step}\n${fingerprint(document)}`;
        const called = performance.now();
        const summary = await saveDraft(draftIdRef.current, document, step);
        measureSince(DRAFT_SAVE_MEASURE, called);
        draftIdRef.current = summary.id;
        savedRevisionRef.current = revision;
        onDraftSaved?.(summary.id);
        // Changed again meanwhile: the next save is already scheduled, keep saying so.
        setState(
          revisionRef.current === revision
            ? { kind: 'saved', at: clockTime(summary.updatedAt, clockTime(new Date().toISOString())) }
            : { kind: 'pending' },
        );
      } catch (e) {
        // What was typed stays on screen; the next change (or Retry) tries again.
        setState({ kind: 'error', error: toIpcError(e) });
      }
    });
    chainRef.current = run;
    return run;
  }

  function changed(document: unknown, step: string) {
    latestRef.current = { document, step };
    // Whether it changed anything matters only when all is saved: with a save to come, it is in it
    // (and typing is not slowed by the fingerprint, which the save takes instead).
    if (revisionRef.current === savedRevisionRef.current) {
      const print = `${step}\n${fingerprint(document)}`;
      printRef.current ??= `${initial.step}\n${fingerprint(initial.document)}`;
      if (print === printRef.current) return;
      printRef.current = print;
    }
    revisionRef.current += 1;
    if (doneRef.current) return;
    setState({ kind: 'pending' });
    const now = Date.now();
    pendingSinceRef.current ??= now;
    const delay = Math.min(AUTOSAVE_DELAY_MS, Math.max(0, AUTOSAVE_MAX_WAIT_MS - (now - pendingSinceRef.current)));
    clearTimer();
    timerRef.current = setTimeout(() => {
      timerRef.current = null;
      pendingSinceRef.current = null;
      void saveNow();
    }, delay);
  }

  const flushOnUnmount = useRef<() => void>(() => {});
  useEffect(() => {
    flushOnUnmount.current = () => {
      if (!doneRef.current) onAbandoned?.(timerRef.current !== null ? saveNow() : chainRef.current);
      clearTimer();
    };
  });
  useEffect(() => () => flushOnUnmount.current(), []);

  return {
    state,
    draftId: () => draftIdRef.current,
    changed,
    saveNow,
    finish: () => {
      doneRef.current = true;
      clearTimer();
    },
    detach: () => {
      const saved = saveNow();
      chainRef.current = saved.then(() => {
        draftIdRef.current = null;
      });
      return chainRef.current;
    },
  };
}
