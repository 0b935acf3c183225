import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { flushSync } from 'react-dom';
import type {
  DataProduct,
  Finding,
  InfrastructureSpec,
  OutboxItem,
  ProvisioningRequest,
  SubmitOutcome,
} from '../../bindings';
import { ErrorBanner } from '../../components/ui/ErrorBanner';
import { chooseDocuments, chooseFolder, onFilesDropped } from '../../lib/desktop';
import {
  checkRequest,
  exportRequest,
  importDocuments,
  ownedDomains,
  reportViewPainted,
  reviewRequest,
  submitProduct,
  toIpcError,
} from '../../lib/ipc';
import type { IpcError, RequestReview } from '../../lib/ipc';
import { pruneAgainst } from '../product-form/rjsf/document';
import { validateRequestInParts } from '../product-form/rjsf/validator';
import { ContractStep } from './ContractStep';
import { FindingList } from './ReviewStep';
import { ReviewStep } from './ReviewStep';
import { FindingIndex, STEPS, focusPath, predictProductEdit, stepOf } from './model';
import type { RequestUpdate, StepId } from './model';
import { InputPortPicker } from './InputPortPicker';
import { PortsStep } from './PortsStep';
import { QualityStep } from './QualityStep';
import { InfrastructureStep, ProductStep } from './RjsfSteps';
import { SlaStep } from './SlaStep';
import { draftStatusText, stableStringify, useAutosave } from './useAutosave';
import { afterPaint, inputTimer, measureSince } from '../../lib/measure';

/** A submit the outbox took. */
export type AcceptedOutcome = SubmitOutcome & { outbox: OutboxItem };

/** The performance measure of a check's round trip, from the change it answers to the frame showing
 * its findings. */
export const CHECK_MEASURE = 'meshport:check';
/** The part of it spent in the call (`request_check`: the IPC both ways and the check in the shell). */
export const CHECK_CALL_MEASURE = 'meshport:check-call';
/**
 * The other parts of a round, for the benchmark's breakdown: the change's render (from the change to
 * its commit), the answer's render (from the call's answer to the commit of its findings), and the
 * wait from that commit to the frame that shows it.
 */
export const CHECK_PART_MEASURES = {
  /** From the change to the commit of its findings (the frame's wait excluded). */
  commit: 'meshport:check-commit',
  /** From the change until the frame showing its findings is painted (the next task after it). */
  painted: 'meshport:check-painted',
  render: 'meshport:check-render',
  answer: 'meshport:check-answer',
  frame: 'meshport:check-frame',
} as const;
/** A `request_review` call (the comparison with the published version), while typing. */
export const REVIEW_CALL_MEASURE = 'meshport:review-call';

/** How long after the last change the request is compared with the published version. */
export const REVIEW_DELAY_MS = 300;

/** A breaking change without a major version bump: an error on the product's version. */
export function reviewFindings(review: RequestReview | null): Finding[] {
  if (!review || review.verdict !== 'breaking') return [];
  const n = review.breaking;
  return [
    {
      rule: 'breaking-change-needs-major-version',
      severity: 'error',
      path: '/product/version',
      message: `${n} ${n === 1 ? 'change breaks' : 'changes break'} the published version ${review.oldVersion ?? ''}: ${review.summary}.`,
      hint: 'Bump the major version, or undo the breaking changes (the step Review lists them and whom they reach).',
    },
  ];
}

/**
 * The schema's findings of `document`, at once and in the window (the precompiled AJV validators):
 * shown until the debounced check of the same request answers with its own.
 */
export function schemaFindings(document: ProvisioningRequest): Finding[] {
  return validateRequestInParts(document).map((e) => ({
    rule: 'schema',
    severity: 'error',
    path: e.path,
    message: `The value ${e.message}.`,
    hint: 'Change it to what the standard allows: the check after a pause says more.',
  }));
}

/**
 * The request as it is sent and saved: without the empty containers the product's and the
 * infrastructure's forms leave behind, but with those `original` (the request as it was opened or
 * imported) held. The contracts are the wizard's own editors' and go as they are.
 */
export function requestDocument(request: ProvisioningRequest, original?: ProvisioningRequest): ProvisioningRequest {
  // A change's request is checked, saved and judged by the schema: made once (read only).
  const made = documents.get(request);
  if (made && made.original === original) return made.document;
  const document = {
    ...request,
    product: pruneAgainst(request.product, original?.product) as DataProduct,
    contracts: request.contracts ?? [],
    infrastructure: prunedInfrastructure(request.infrastructure, original?.infrastructure),
  };
  documents.set(request, { original, document });
  return document;
}

/** The infrastructure as sent, the same object while the request's is (the schema's findings of the
 * request's other members than its product are kept while they are the same objects). */
function prunedInfrastructure(
  infrastructure: InfrastructureSpec | undefined,
  original: InfrastructureSpec | undefined,
): InfrastructureSpec {
  if (infrastructure === undefined) return NO_INFRASTRUCTURE;
  const made = infrastructures.get(infrastructure);
  if (made && made.original === original) return made.pruned;
  const pruned = (pruneAgainst(infrastructure, original) ?? {}) as InfrastructureSpec;
  infrastructures.set(infrastructure, { original, pruned });
  return pruned;
}

const NO_INFRASTRUCTURE: InfrastructureSpec = {};

const infrastructures = new WeakMap<
  InfrastructureSpec,
  { original: InfrastructureSpec | undefined; pruned: InfrastructureSpec }
>();

/** The documents made so far, by request, with the original each was made against. */
const documents = new WeakMap<
  ProvisioningRequest,
  { original: ProvisioningRequest | undefined; document: ProvisioningRequest }
>();

/**
 * Whether two requests are the same: the product compared by content, the rest by identity (a
 * keystroke in the product's form changes the product alone).
 */
function sameRequest(a: ProvisioningRequest, b: ProvisioningRequest): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    if (key === 'product') continue;
    if (a[key as keyof ProvisioningRequest] !== b[key as keyof ProvisioningRequest]) return false;
  }
  return stableStringify(a.product) === stableStringify(b.product);
}

function fingerprint(document: unknown): string {
  return stableStringify(requestDocument(document as ProvisioningRequest));
}

/**
 * The owner's wizard: a whole provisioning request (the product, a contract per output port, the
 * infrastructure) in seven steps, always listed, with Back and Next that keep everything. Every
 * change is checked as typed (one debounced `request_check`); each finding shows on its field and
 * the step list marks the steps holding errors. What is typed is saved as a draft with the step the
 * user is on; Submit, possible once no finding is an error, hands the request to the outbox.
 */
export function RequestWizard({
  draftId,
  initialRequest,
  initialStep = 'product',
  savedAt,
  title = 'New data product',
  onSubmitted,
  onClose,
  onAbandoned,
  onDraftSaved,
}: {
  draftId: string | null;
  initialRequest: ProvisioningRequest;
  initialStep?: StepId;
  savedAt?: string;
  title?: string;
  onSubmitted: (product: DataProduct, outcome: AcceptedOutcome) => void;
  onClose: (saved: Promise<void>) => void;
  onAbandoned?: (saved: Promise<void>) => void;
  onDraftSaved?: (id: string) => void;
}) {
  const [request, setRequest] = useState(initialRequest);
  /** The request as it was opened or imported: the empty containers it held are kept. */
  const [original, setOriginal] = useState(initialRequest);
  const doc = (r: ProvisioningRequest) => requestDocument(r, original);
  /** What the last import or export did, for the line under the head. */
  const [files, setFiles] = useState<string | null>(null);
  const [step, setStep] = useState<StepId>(initialStep);
  const [port, setPort] = useState(0);
  const [findings, setFindings] = useState<Finding[]>([]);
  /** The request the last check answered for: until it is the one on screen, the schema speaks. */
  const [checkedFor, setCheckedFor] = useState<ProvisioningRequest | null>(null);
  const [checked, setChecked] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const [errorTitle, setErrorTitle] = useState('The product could not be submitted.');
  const [domains, setDomains] = useState<string[]>([]);
  /** A finding's link opened its step: its field is focused once the step is on screen. */
  const focusRef = useRef<string | null>(null);
  const [, rerender] = useState(0);
  const autosave = useAutosave({
    draftId,
    savedAt,
    initial: { document: initialRequest, step: initialStep },
    fingerprint,
    onDraftSaved,
    onAbandoned,
  });
  const [review, setReview] = useState<RequestReview | null>(null);
  const pending = checkedFor !== request;
  const allFindings = useMemo(() => {
    // Typed since the last check: its schema findings may be stale; the precompiled schema's are not.
    const current = pending
      ? [...findings.filter((f) => f.rule !== 'schema'), ...schemaFindings(requestDocument(request, original))]
      : findings;
    return [...current, ...reviewFindings(review)];
  }, [findings, review, pending, request, original]);
  const index = useMemo(() => new FindingIndex(allFindings), [allFindings]);

  // The wizard on screen (for the desktop benchmark and for diagnosis).
  useEffect(() => {
    const frame = requestAnimationFrame(() => setTimeout(() => reportViewPainted('wizard', 0), 0));
    return () => cancelAnimationFrame(frame);
  }, []);

  useEffect(() => {
    let live = true;
    ownedDomains().then(
      (d) => live && setDomains(d),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);

  /**
   * The request as the last change left it, ahead of the render: each change builds on it, so two
   * events before a render (a keystroke, then a click) both count.
   */
  const latestRef = useRef(initialRequest);
  // Checked as typed, with no pause: a change is checked at once when no check is running, else as
  // soon as the running one answers, on the request as it is then. One call in flight at a time;
  // an answer overtaken by a later change is not shown (the newer request is checked instead).
  /** When the check whose findings are being rendered was asked for: the change it answers. */
  const checkStartedRef = useRef<number | null>(null);
  /** When the call whose findings are being rendered answered, and when they were committed. */
  const answeredAtRef = useRef<number | null>(null);
  const committedAtRef = useRef(0);
  useLayoutEffect(() => {
    const answered = answeredAtRef.current;
    if (answered === null) return;
    answeredAtRef.current = null;
    committedAtRef.current = performance.now();
    measureSince(CHECK_PART_MEASURES.answer, answered);
    if (checkStartedRef.current !== null) measureSince(CHECK_PART_MEASURES.commit, checkStartedRef.current);
  }, [findings]);
  // From the change to the frame after the one its findings were committed in (the end-to-end test
  // and the desktop benchmark read it).
  useEffect(() => {
    const started = checkStartedRef.current;
    if (started === null) return;
    checkStartedRef.current = null;
    const committed = committedAtRef.current;
    requestAnimationFrame(() => {
      measureSince(CHECK_MEASURE, started);
      measureSince(CHECK_PART_MEASURES.frame, committed);
    });
    afterPaint(() => measureSince(CHECK_PART_MEASURES.painted, started));
  }, [findings]);
  /** When the latest change was made (its keystroke, or its handler), for the measure. */
  const changedAtRef = useRef<number | null>(null);
  const [inputAt] = useState(inputTimer);
  // The change's own render, from its keystroke (the form library's render of it included) to the
  // wizard's commit.
  useLayoutEffect(() => {
    const changed = changedAtRef.current;
    if (changed !== null && latestRef.current === request) measureSince(CHECK_PART_MEASURES.render, changed);
  }, [request]);
  const originalRef = useRef(original);
  const checking = useRef({ running: false, mounted: true });
  useEffect(() => {
    const state = checking.current;
    state.mounted = true;
    return () => {
      state.mounted = false;
    };
  }, []);
  /**
   * A keystroke in the product's form, guessed from its `input` event (`predictProductEdit`) and
   * checked at once, while the form renders it: the form reports the change only after its render.
   */
  const guessRef = useRef<ProvisioningRequest | null>(null);
  /** The answer for the guess, when it came before the form's report. */
  const heldRef = useRef<{ guess: ProvisioningRequest; show: () => void } | null>(null);
  /** The requests the form reported that were guessed right, with their guess. */
  const [guessedAs] = useState(() => new WeakMap<ProvisioningRequest, ProvisioningRequest>());
  const onInputCapture = (e: FormEvent<HTMLElement>) => {
    inputAt.handlers.onInputCapture(e);
    if (step !== 'product') return;
    const latest = latestRef.current;
    const product = predictProductEdit(latest.product, e.target);
    if (product === null) return;
    const guess = { ...latest, product };
    guessRef.current = guess;
    runCheck(guess, inputAt.peek() ?? e.timeStamp);
  };
  /**
   * Checks `target` (asked for at `asked`) unless a check is running: the running check's answer
   * starts the next one, on the request as it is then.
   */
  const [runCheck] = useState(() => {
    /** Shows `found`, the answer for `latest` (asked for at `asked`). */
    const show = (latest: ProvisioningRequest, found: Finding[], asked: number, flush: boolean) => {
      answeredAtRef.current = performance.now();
      checkStartedRef.current = asked;
      const set = () => {
        setFindings(found);
        setCheckedFor(latest);
        setChecked(true);
      };
      // The call's answer is rendered at once, in its own task: scheduled, its render would wait
      // behind the frame the browser draws meanwhile (the keystroke's), several milliseconds at
      // times. An answer held for the form's report is shown from that report, inside React's own
      // update, which renders it right after.
      if (flush) flushSync(set);
      else set();
    };
    /** What the last answer was for (a request is checked again only against a new original). */
    let last: { target: ProvisioningRequest; original: ProvisioningRequest } | null = null;
    function run(target: ProvisioningRequest, asked: number) {
      const state = checking.current;
      if (state.running) return;
      const original = originalRef.current;
      if (last?.original === original && (last.target === target || guessedAs.get(target) === last.target)) return;
      state.running = true;
      const called = performance.now();
      checkRequest(requestDocument(target, original)).then(
        (found) => {
          measureSince(CHECK_CALL_MEASURE, called);
          state.running = false;
          if (!state.mounted) return;
          last = { target, original };
          const latest = latestRef.current;
          // A guess the form has not reported yet: its answer waits for the report.
          if (target === guessRef.current) {
            heldRef.current = { guess: target, show: () => show(latestRef.current, found, asked, false) };
            return;
          }
          // The request on screen, or the one its keystroke was guessed as, before the form said.
          if (latest !== target && guessedAs.get(latest) !== target) {
            run(latest, changedAtRef.current ?? performance.now());
            return;
          }
          show(latest, found, asked, true);
        },
        () => {
          state.running = false;
          const latest = latestRef.current;
          if (state.mounted && latest !== target) run(latest, changedAtRef.current ?? performance.now());
        },
      );
    }
    return run;
  });
  // A change the wizard's own handlers made is checked from `change`, before React renders it; this
  // checks the first request, an import, and a new original.
  useEffect(() => {
    originalRef.current = original;
    runCheck(latestRef.current, changedAtRef.current ?? performance.now());
  }, [request, original, runCheck]);

  // Compared with the published version (an edit): what breaks, and whom it reaches.
  const reviewSequence = useRef(0);
  /** The product id the catalog was found not to hold (a new product): not asked again while it stays. */
  const unpublishedRef = useRef<string | null>(null);
  useEffect(() => {
    const n = ++reviewSequence.current;
    const id = request.product.id;
    if (id === unpublishedRef.current) return;
    const timer = setTimeout(() => {
      const called = performance.now();
      reviewRequest(requestDocument(request, original)).then(
        (found) => {
          measureSince(REVIEW_CALL_MEASURE, called);
          if (found === null) unpublishedRef.current = id;
          // The same review again (most keystrokes change nothing it says): no new render.
          if (n === reviewSequence.current) {
            setReview((shown) => (stableStringify(shown) === stableStringify(found) ? shown : found));
          }
        },
        () => undefined,
      );
    }, REVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [request, original]);

  useEffect(() => {
    if (focusRef.current === null) return;
    focusPath(focusRef.current);
    focusRef.current = null;
  });

  const at = STEPS.findIndex((s) => s.id === step);
  const change = (update: RequestUpdate) => {
    const next = typeof update === 'function' ? update(latestRef.current) : update;
    const guess = guessRef.current;
    const held = heldRef.current;
    guessRef.current = null;
    heldRef.current = null;
    // The product's form reports what its keystroke was guessed as: the guess's check answers it.
    if (guess !== null && sameRequest(next, guess)) guessedAs.set(next, guess);
    latestRef.current = next;
    const changedAt = inputAt.take() ?? performance.now();
    changedAtRef.current = changedAt;
    if (held !== null && guessedAs.get(next) === held.guess) held.show();
    // Checked at once: the shell checks while the window renders the change.
    else runCheck(next, changedAt);
    setRequest(next);
    autosave.changed(doc(next), step);
  };
  // The steps' callbacks keep their identity, so that a memoised step is not drawn again when only
  // the draft's state or the findings of other steps change; they call the latest `change`.
  const changeRef = useRef(change);
  useEffect(() => {
    changeRef.current = change;
  });
  const onProduct = useCallback(
    (update: (product: DataProduct) => DataProduct) => changeRef.current((r) => ({ ...r, product: update(r.product) })),
    [],
  );
  const onInfrastructure = useCallback(
    (infrastructure: InfrastructureSpec) => changeRef.current((r) => ({ ...r, infrastructure })),
    [],
  );
  const go = (next: StepId) => {
    setStep(next);
    autosave.changed(doc(request), next);
  };
  const goToFinding = (path: string) => {
    const target = stepOf(path);
    // A contract's finding: show that contract's port.
    const m = /^\/contracts\/(\d+)/.exec(path);
    if (m) {
      const contract = request.contracts[Number(m[1])];
      const p = (request.product.outputPorts ?? []).findIndex((o) => o.contractId === contract?.id);
      if (p >= 0) setPort(p);
    }
    focusRef.current = path;
    go(target);
    // Rendered again even on the same step, so that the field is focused once it is on screen.
    rerender((n) => n + 1);
  };

  /** Files read into the wizard: a new draft (the one so far keeps what was typed in it). */
  async function importPaths(paths: string[]) {
    setError(null);
    try {
      const imported = await importDocuments(paths);
      if (autosave.draftId() !== null) await autosave.detach();
      setOriginal(imported);
      latestRef.current = imported;
      setRequest(imported);
      setStep('product');
      setPort(0);
      autosave.changed(requestDocument(imported, imported), 'product');
      setFiles(`Imported ${paths.length === 1 ? paths[0] : `${paths.length} files`}.`);
    } catch (e) {
      setError(toIpcError(e));
      setErrorTitle('The files could not be imported.');
    }
  }

  async function importFiles() {
    const paths = await chooseDocuments();
    if (paths) await importPaths(paths);
  }

  async function exportFiles() {
    setError(null);
    try {
      const dir = await chooseFolder('Export the product and its contracts as YAML into…');
      if (!dir) return;
      const written = await exportRequest(doc(request), dir);
      setFiles(`Exported ${written.length} ${written.length === 1 ? 'file' : 'files'}: ${written.join(', ')}`);
    } catch (e) {
      setError(toIpcError(e));
      setErrorTitle('The request could not be exported.');
    }
  }

  // Files dropped on the window while the wizard is open are imported into it.
  const dropRef = useRef(importPaths);
  useEffect(() => {
    dropRef.current = importPaths;
  });
  useEffect(() => {
    let stop: (() => void) | null = null;
    let live = true;
    onFilesDropped((paths) => void dropRef.current(paths)).then(
      (unlisten) => {
        if (live) stop = unlisten;
        else unlisten();
      },
      () => undefined,
    );
    return () => {
      live = false;
      stop?.();
    };
  }, []);

  async function submit() {
    const document = doc(request);
    setSubmitting(true);
    setError(null);
    setErrorTitle('The product could not be submitted.');
    try {
      await autosave.saveNow();
      const outcome = await submitProduct(autosave.draftId(), document);
      if (outcome.outbox) {
        // The draft is the outbox's now (the shell removed it): nothing more to save.
        autosave.finish();
        onSubmitted(document.product, outcome as AcceptedOutcome);
      } else {
        setFindings(outcome.findings);
        const first = outcome.findings.find((f) => f.severity === 'error');
        if (first && stepOf(first.path) !== step) setStep(stepOf(first.path));
      }
    } catch (e) {
      setError(toIpcError(e));
    } finally {
      setSubmitting(false);
    }
  }

  function close() {
    const saved = autosave.saveNow();
    autosave.finish();
    onClose(saved);
  }

  const stepFindings = allFindings.filter((f) => stepOf(f.path) === step);
  const errors = allFindings.filter((f) => f.severity === 'error').length;
  const draftState = autosave.state;

  return (
    <section
      className="panel wizard"
      aria-labelledby="form-heading"
      data-testid="product-form"
      onKeyDownCapture={inputAt.handlers.onKeyDownCapture}
      onInputCapture={onInputCapture}
    >
      <div className="panel-head">
        <h2 id="form-heading">{title}</h2>
        <div className="panel-actions">
          <button
            type="button"
            className="btn btn-small"
            onClick={() => void importFiles()}
            title="Or drop ODPS and ODCS files on the window"
          >
            Import files…
          </button>
          <button type="button" className="btn btn-small" onClick={() => void exportFiles()}>
            Export YAML…
          </button>
          <button type="button" className="btn btn-ghost" onClick={close} data-testid="close-form">
            Close
          </button>
        </div>
      </div>
      {files ? (
        <p className="files-status" role="status" data-testid="files-status">
          {files}
        </p>
      ) : null}
      <nav className="wizard-steps" aria-label="Steps">
        <ol>
          {STEPS.map((s, i) => {
            const n = index.errorsIn(s.id);
            return (
              <li key={s.id}>
                <button
                  type="button"
                  className={`wizard-step${s.id === step ? ' current' : ''}${n > 0 ? ' has-errors' : ''}`}
                  data-step={s.label}
                  aria-current={s.id === step ? 'step' : undefined}
                  aria-describedby={n > 0 ? `step-errors-${s.id}` : undefined}
                  data-testid={`step-${s.id}`}
                  data-errors={n}
                  onClick={() => go(s.id)}
                >
                  <span className="step-number" aria-hidden="true">
                    {i + 1}
                  </span>
                  {/* The button's name is the step's alone (a contract): its number and its error
                      count are for the eye; the count is its description. */}
                  <span>{s.label}</span>
                  {n > 0 ? (
                    <span className="step-errors" id={`step-errors-${s.id}`} aria-hidden="true">
                      {n} {n === 1 ? 'error' : 'errors'}
                    </span>
                  ) : null}
                </button>
              </li>
            );
          })}
        </ol>
      </nav>
      {error ? <ErrorBanner title={errorTitle} error={error} onDismiss={() => setError(null)} /> : null}
      <div className="wizard-body" data-step={step}>
        {step === 'product' ? (
          <>
            <ProductStep
              product={request.product}
              findings={allFindings}
              domains={domains}
              disabled={submitting}
              onChange={onProduct}
            />
            {/* After the form, not above it: a search's answers never move the form's fields. */}
            <InputPortPicker
              ports={request.product.inputPorts ?? []}
              onAdd={(port) =>
                change((r) => ({
                  ...r,
                  product: { ...r.product, inputPorts: [...(r.product.inputPorts ?? []), port] },
                }))
              }
            />
          </>
        ) : step === 'ports' ? (
          <PortsStep request={request} index={index} onChange={change} />
        ) : step === 'contract' ? (
          <ContractStep request={request} port={port} onPort={setPort} index={index} onChange={change} />
        ) : step === 'quality' ? (
          <QualityStep request={request} port={port} onPort={setPort} index={index} onChange={change} />
        ) : step === 'sla' ? (
          <SlaStep request={request} port={port} onPort={setPort} index={index} onChange={change} />
        ) : step === 'infrastructure' ? (
          <InfrastructureStep
            infrastructure={request.infrastructure}
            findings={allFindings}
            disabled={submitting}
            onChange={onInfrastructure}
          />
        ) : (
          <ReviewStep request={doc(request)} index={index} review={review} onGo={goToFinding} />
        )}
      </div>
      {/* Below the step's form: findings that come and go never move the fields under the pointer. */}
      {step !== 'review' && stepFindings.length > 0 ? (
        <section
          className={`findings ${stepFindings.some((f) => f.severity === 'error') ? 'findings-error' : 'findings-warning'}`}
          data-testid="findings"
          aria-label={`Findings of step ${STEPS[at]?.label ?? ''}`}
        >
          <h3 className="findings-title">
            {stepFindings.length} {stepFindings.length === 1 ? 'finding' : 'findings'} on this step
          </h3>
          <FindingList findings={stepFindings} onGo={goToFinding} />
        </section>
      ) : null}
      <div className="form-actions wizard-actions">
        <button type="button" className="btn" disabled={at <= 0} onClick={() => go(STEPS[at - 1]?.id ?? step)}>
          Back
        </button>
        <button
          type="button"
          className={`btn${step === 'review' ? '' : ' btn-primary'}`}
          disabled={at >= STEPS.length - 1}
          onClick={() => go(STEPS[at + 1]?.id ?? step)}
        >
          Next
        </button>
        <button
          type="button"
          className={`btn${step === 'review' ? ' btn-primary' : ''}`}
          data-testid="save-product"
          disabled={submitting || errors > 0}
          aria-describedby="submit-state"
          onClick={() => void submit()}
        >
          {submitting ? 'Submitting…' : 'Submit'}
        </button>
        <span id="submit-state" className="submit-state" data-testid="submit-state">
          {errors > 0
            ? `${errors} ${errors === 1 ? 'error' : 'errors'} to fix before submitting`
            : checked
              ? 'Ready to submit'
              : 'Checking…'}
        </span>
        <button type="button" className="btn btn-ghost" onClick={close} data-testid="cancel-product">
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
              onClick={() => void autosave.saveNow()}
            >
              Retry
            </button>
          ) : null}
        </span>
      </div>
    </section>
  );
}
