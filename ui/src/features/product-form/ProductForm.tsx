import Form from '@rjsf/core';
import type { IChangeEvent } from '@rjsf/core';
import type { RJSFSchema } from '@rjsf/utils';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { DataProduct, Finding, OutboxItem, SubmitOutcome } from '../../bindings';
import { clockTime } from '../../lib/format';
import { saveDraft, submitProduct, toIpcError } from '../../lib/ipc';
import type { IpcError } from '../../lib/ipc';
import { dataProductUi } from './rjsf/dataProductUi';
import { toDocument } from './rjsf/document';
import { findingsToErrorSchema } from './rjsf/pointer';
import { dataProductSchema } from './rjsf/schema';
import { createNoEvalValidator } from './rjsf/validator';
import { ErrorBanner } from '../../components/ui/ErrorBanner';
import { FieldErrorTemplate } from './FieldErrorTemplate';
import type { FormContext } from './FieldErrorTemplate';
import { FindingsSummary } from './FindingsSummary';

const templates = { FieldErrorTemplate };
const validator = createNoEvalValidator<DataProduct, FormContext>();
// schemars wraps `$ref`s that carry a description in a one-element `allOf`; without this
// rjsf 6 drops the values of such enum fields (apiVersion, kind, status) from the form data.
const defaultFormStateBehavior = { allOf: 'populateDefaults' } as const;

/** How long after the last change the draft is saved. */
export const AUTOSAVE_DELAY_MS = 500;
/** While typing goes on, a save still starts at most this long after the first unsaved change, so a
 * draft is never more than about a second behind what is on screen. */
export const AUTOSAVE_MAX_WAIT_MS = 800;

/** A submit the outbox took. */
export type AcceptedOutcome = SubmitOutcome & { outbox: OutboxItem };

type DraftState =
  | { kind: 'new' }
  | { kind: 'pending' }
  | { kind: 'saving' }
  | { kind: 'saved'; at: string }
  | { kind: 'error'; error: IpcError };

/** JSON with sorted keys: the same document always gives the same text. */
function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** What counts as a change: rjsf's empty containers and undefined members do not. */
function fingerprint(data: DataProduct): string {
  return stableStringify(toDocument(data));
}

function draftStatusText(state: DraftState): string {
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

/**
 * The data product form. What is typed is saved as a local draft 500 ms after the last change (the
 * first save creates the draft, later ones update it); submitting saves once more, then hands the
 * document to `product_submit`.
 */
export function ProductForm({
  draftId: initialDraftId,
  initialData,
  savedAt,
  onSubmitted,
  onClose,
  onAbandoned,
  onDraftSaved,
}: {
  /** The draft being resumed, or null for a new one. */
  draftId: string | null;
  initialData: DataProduct;
  /** When the resumed draft was last saved. */
  savedAt?: string;
  onSubmitted: (document: DataProduct, outcome: AcceptedOutcome) => void;
  /** The form is closed (cancel); `saved` settles once the last changes are in the draft. */
  onClose: (saved: Promise<void>) => void;
  /** The form went away without Cancel or a submit (another view); `saved` settles once its draft is saved. */
  onAbandoned?: (saved: Promise<void>) => void;
  /** A save went through: the form's draft is `id` (a new form's first save creates it). */
  onDraftSaved?: (id: string) => void;
}) {
  const [formData, setFormData] = useState<DataProduct>(initialData);
  const [findings, setFindings] = useState<Finding[]>([]);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const [draftState, setDraftState] = useState<DraftState>(() =>
    initialDraftId && savedAt ? { kind: 'saved', at: clockTime(savedAt, savedAt) } : { kind: 'new' },
  );

  // The autosave works on refs: timers and chained saves must see the latest values.
  const draftIdRef = useRef<string | null>(initialDraftId);
  const latestRef = useRef<DataProduct>(initialData);
  const fingerprintRef = useRef<string | null>(null);
  const revisionRef = useRef(0);
  const savedRevisionRef = useRef(0);
  const chainRef = useRef<Promise<void>>(Promise.resolve());
  const timerRef = useRef<ReturnType<typeof setTimeout> | null>(null);
  /** When the oldest change not yet handed to a save was made. */
  const pendingSinceRef = useRef<number | null>(null);
  /** Set once the form is done with (submitted or closed): no new save is scheduled. */
  const doneRef = useRef(false);

  const extraErrors = useMemo(() => findingsToErrorSchema<DataProduct>(findings), [findings]);
  const formContext = useMemo<FormContext>(() => ({ findings }), [findings]);

  function clearTimer() {
    if (timerRef.current !== null) {
      clearTimeout(timerRef.current);
      timerRef.current = null;
    }
  }

  /** Saves the latest data now (after any save under way), unless nothing changed since the last save. */
  function saveNow(): Promise<void> {
    clearTimer();
    pendingSinceRef.current = null;
    const run = chainRef.current.then(async () => {
      const revision = revisionRef.current;
      if (revision === savedRevisionRef.current) return;
      setDraftState({ kind: 'saving' });
      try {
        const summary = await saveDraft(draftIdRef.current, latestRef.current);
        draftIdRef.current = summary.id;
        savedRevisionRef.current = revision;
        onDraftSaved?.(summary.id);
        // Changed again meanwhile: the next save is already scheduled, keep saying so.
        setDraftState(
          revisionRef.current === revision
            ? { kind: 'saved', at: clockTime(summary.updatedAt, clockTime(new Date().toISOString())) }
            : { kind: 'pending' },
        );
      } catch (e) {
        // The typed data stays in the form; the next change (or Retry) tries again.
        setDraftState({ kind: 'error', error: toIpcError(e) });
      }
    });
    chainRef.current = run;
    return run;
  }

  function changed(data: DataProduct) {
    latestRef.current = data;
    const print = fingerprint(data);
    // rjsf reports its own default-filling as a change: only what differs counts.
    fingerprintRef.current ??= fingerprint(initialData);
    if (print === fingerprintRef.current) return;
    fingerprintRef.current = print;
    revisionRef.current += 1;
    if (doneRef.current) return;
    setDraftState({ kind: 'pending' });
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

  // Unmounted without Cancel or a submit (another view, Back, the window closed): a save still
  // scheduled is sent at once, and the host hears when the draft is saved.
  const flushOnUnmount = useRef<() => void>(() => {});
  useEffect(() => {
    flushOnUnmount.current = () => {
      if (!doneRef.current) onAbandoned?.(timerRef.current !== null ? saveNow() : chainRef.current);
      clearTimer();
    };
  });
  useEffect(() => () => flushOnUnmount.current(), []);

  async function submit(data: DataProduct) {
    changed(data);
    const document = toDocument(data);
    setSubmitting(true);
    setError(null);
    try {
      await saveNow();
      const outcome = await submitProduct(draftIdRef.current, document);
      if (outcome.outbox) {
        // The draft is the outbox's now (the shell removed it): nothing more to save.
        doneRef.current = true;
        clearTimer();
        onSubmitted(document, outcome as AcceptedOutcome);
      } else {
        setFindings(outcome.findings);
      }
    } catch (e) {
      setError(toIpcError(e));
    } finally {
      setSubmitting(false);
    }
  }

  function close() {
    const saved = saveNow();
    doneRef.current = true;
    onClose(saved);
  }

  return (
    <section className="panel" aria-labelledby="form-heading" data-testid="product-form">
      <div className="panel-head">
        <h2 id="form-heading">New data product</h2>
        <button type="button" className="btn btn-ghost" onClick={close} data-testid="close-form">
          Close
        </button>
      </div>
      {error ? (
        <ErrorBanner
          title="The product could not be submitted."
          error={error}
          onDismiss={() => setError(null)}
        />
      ) : null}
      <FindingsSummary findings={findings} saved={false} />
      <Form<DataProduct, RJSFSchema, FormContext>
        className="product-form"
        schema={dataProductSchema}
        uiSchema={dataProductUi}
        validator={validator}
        formData={formData}
        formContext={formContext}
        templates={templates}
        extraErrors={extraErrors}
        showErrorList={false}
        experimental_defaultFormStateBehavior={defaultFormStateBehavior}
        noHtml5Validate
        noValidate
        disabled={submitting}
        onChange={(e: IChangeEvent<DataProduct, RJSFSchema, FormContext>) => {
          if (!e.formData) return;
          setFormData(e.formData);
          changed(e.formData);
        }}
        onSubmit={(e: IChangeEvent<DataProduct, RJSFSchema, FormContext>) => {
          void submit(e.formData ?? formData);
        }}
      >
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" data-testid="save-product" disabled={submitting}>
            {submitting ? 'Submitting…' : 'Submit'}
          </button>
          <button type="button" className="btn" onClick={close} data-testid="cancel-product">
            Cancel
          </button>
          <span
            className={`draft-status draft-status-${draftState.kind}`}
            data-testid="draft-status"
            data-state={draftState.kind}
            role="status"
            aria-live="polite"
          >
            {draftStatusText(draftState)}
            {draftState.kind === 'error' ? (
              <button
                type="button"
                className="btn btn-small btn-ghost"
                data-testid="draft-retry"
                onClick={() => void saveNow()}
              >
                Retry
              </button>
            ) : null}
          </span>
        </div>
      </Form>
    </section>
  );
}
