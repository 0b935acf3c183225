import { useEffect, useMemo, useRef, useState } from 'react';
import type { DataProduct, Finding, InfrastructureSpec, OutboxItem, ProvisioningRequest, SubmitOutcome } from '../../bindings';
import { ErrorBanner } from '../../components/ui/ErrorBanner';
import { checkRequest, ownedDomains, reviewRequest, submitProduct, toIpcError } from '../../lib/ipc';
import type { IpcError, RequestReview } from '../../lib/ipc';
import { toDocument } from '../product-form/rjsf/document';
import { ContractStep } from './ContractStep';
import { FindingList } from './ReviewStep';
import { ReviewStep } from './ReviewStep';
import { FindingIndex, STEPS, focusPath, stepOf } from './model';
import type { StepId } from './model';
import { PortsStep } from './PortsStep';
import { QualityStep } from './QualityStep';
import { InfrastructureStep, ProductStep } from './RjsfSteps';
import { SlaStep } from './SlaStep';
import { draftStatusText, stableStringify, useAutosave } from './useAutosave';

/** A submit the outbox took. */
export type AcceptedOutcome = SubmitOutcome & { outbox: OutboxItem };

/** How long after the last change the request is checked (schema, semantics, the synced packs). */
export const CHECK_DELAY_MS = 150;

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

/** The request as it is sent and saved: without the empty containers rjsf leaves behind. */
export function requestDocument(request: ProvisioningRequest): ProvisioningRequest {
  const pruned = toDocument(request as unknown as DataProduct) as unknown as Partial<ProvisioningRequest>;
  // The request's own members stay, even empty: a request has a list of contracts, maybe empty.
  return {
    ...pruned,
    product: pruned.product ?? request.product,
    contracts: pruned.contracts ?? [],
    infrastructure: pruned.infrastructure ?? {},
  } as ProvisioningRequest;
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
  const [step, setStep] = useState<StepId>(initialStep);
  const [port, setPort] = useState(0);
  const [findings, setFindings] = useState<Finding[]>([]);
  const [checked, setChecked] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
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
  const allFindings = useMemo(() => [...findings, ...reviewFindings(review)], [findings, review]);
  const index = useMemo(() => new FindingIndex(allFindings), [allFindings]);

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

  // Checked as typed: one call after a pause; an answer overtaken by a later change is dropped.
  const sequence = useRef(0);
  useEffect(() => {
    const n = ++sequence.current;
    const timer = setTimeout(() => {
      checkRequest(requestDocument(request)).then(
        (found) => {
          if (n !== sequence.current) return;
          setFindings(found);
          setChecked(true);
        },
        () => undefined,
      );
    }, CHECK_DELAY_MS);
    return () => clearTimeout(timer);
  }, [request]);

  // Compared with the published version (an edit): what breaks, and whom it reaches.
  const reviewSequence = useRef(0);
  useEffect(() => {
    const n = ++reviewSequence.current;
    const timer = setTimeout(() => {
      reviewRequest(requestDocument(request)).then(
        (found) => {
          if (n === reviewSequence.current) setReview(found);
        },
        () => undefined,
      );
    }, REVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [request]);

  useEffect(() => {
    if (focusRef.current === null) return;
    focusPath(focusRef.current);
    focusRef.current = null;
  });

  const at = STEPS.findIndex((s) => s.id === step);
  const change = (next: ProvisioningRequest) => {
    setRequest(next);
    autosave.changed(requestDocument(next), step);
  };
  const go = (next: StepId) => {
    setStep(next);
    autosave.changed(requestDocument(request), next);
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

  async function submit() {
    const document = requestDocument(request);
    setSubmitting(true);
    setError(null);
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
    <section className="panel wizard" aria-labelledby="form-heading" data-testid="product-form">
      <div className="panel-head">
        <h2 id="form-heading">{title}</h2>
        <button type="button" className="btn btn-ghost" onClick={close} data-testid="close-form">
          Close
        </button>
      </div>
      <nav className="wizard-steps" aria-label="Steps">
        <ol>
          {STEPS.map((s, i) => {
            const n = index.errorsIn(s.id);
            return (
              <li key={s.id}>
                <button
                  type="button"
                  className={`wizard-step${s.id === step ? ' current' : ''}${n > 0 ? ' has-errors' : ''}`}
                  aria-label={s.label}
                  aria-current={s.id === step ? 'step' : undefined}
                  aria-describedby={n > 0 ? `step-errors-${s.id}` : undefined}
                  data-testid={`step-${s.id}`}
                  data-errors={n}
                  onClick={() => go(s.id)}
                >
                  <span className="step-number" aria-hidden="true">
                    {i + 1}
                  </span>
                  <span aria-hidden="true">{s.label}</span>
                  {n > 0 ? (
                    <span className="step-errors" id={`step-errors-${s.id}`}>
                      {n} {n === 1 ? 'error' : 'errors'}
                    </span>
                  ) : null}
                </button>
              </li>
            );
          })}
        </ol>
      </nav>
      {error ? (
        <ErrorBanner title="The product could not be submitted." error={error} onDismiss={() => setError(null)} />
      ) : null}
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
      <div className="wizard-body" data-step={step}>
        {step === 'product' ? (
          <ProductStep
            product={request.product}
            findings={allFindings}
            domains={domains}
            disabled={submitting}
            onChange={(product) => change({ ...request, product })}
          />
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
            onChange={(infrastructure: InfrastructureSpec) => change({ ...request, infrastructure })}
          />
        ) : (
          <ReviewStep request={requestDocument(request)} index={index} review={review} onGo={goToFinding} />
        )}
      </div>
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
