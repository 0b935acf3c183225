import { useEffect, useState } from 'react';
import type { Finding, ProvisioningRequest, Severity } from '../../bindings';
import { ErrorBanner } from '../../components/ui/ErrorBanner';
import { requestYaml, toIpcError } from '../../lib/ipc';
import type { IpcError, RequestReview, RequestYaml } from '../../lib/ipc';
import { parsePointer } from '../product-form/rjsf/pointer';
import { STEPS, stepOf } from './model';
import type { FindingIndex } from './model';

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Where a finding is, for people: its step, then the field's path within the product or the request. */
function where(path: string): string {
  const step = STEPS.find((s) => s.id === stepOf(path))?.label ?? 'Review';
  const tokens = parsePointer(path);
  const inProduct = tokens[0] === 'product';
  const field = inProduct ? tokens.slice(1) : tokens;
  const whole = inProduct ? 'the whole product' : 'the whole request';
  return `${step}: ${field.length === 0 ? whole : field.join(' › ')}`;
}

/** Every finding, errors first; each names its step and field and goes there. */
export function FindingList({ findings, onGo }: { findings: readonly Finding[]; onGo: (path: string) => void }) {
  const sorted = [...findings].sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
  return (
    <ul className="findings-list">
      {sorted.map((f, i) => (
        <li key={i} className={`finding severity-${f.severity}`}>
          <span className={`severity-badge severity-badge-${f.severity}`}>{f.severity}</span>
          <div className="finding-body">
            <button type="button" className="finding-where" onClick={() => onGo(f.path)}>
              {where(f.path)}
            </button>
            <p className="finding-message">{f.message}</p>
            {f.hint ? <p className="finding-hint">{f.hint}</p> : null}
          </div>
        </li>
      ))}
    </ul>
  );
}

/** Step “Review”: the product and its contracts as YAML side by side, with every finding. */
export function ReviewStep({
  request,
  index,
  review,
  onGo,
}: {
  request: ProvisioningRequest;
  index: FindingIndex;
  /** The comparison with the published version; null for a new product. */
  review: RequestReview | null;
  onGo: (path: string) => void;
}) {
  const [yaml, setYaml] = useState<RequestYaml | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  useEffect(() => {
    let live = true;
    requestYaml(request).then(
      (y) => {
        if (live) {
          setYaml(y);
          setError(null);
        }
      },
      (e: unknown) => {
        if (live) setError(toIpcError(e));
      },
    );
    return () => {
      live = false;
    };
  }, [request]);
  const errors = index.all.filter((f) => f.severity === 'error').length;
  return (
    <div className="wizard-step-body review">
      <section aria-label="Findings" className={`findings ${errors > 0 ? 'findings-error' : 'findings-warning'}`}>
        <h3 className="findings-title">
          {index.all.length === 0
            ? 'No findings: ready to submit.'
            : errors > 0
              ? `${errors} ${errors === 1 ? 'problem' : 'problems'} to fix before submitting`
              : 'Ready to submit, with remarks'}
        </h3>
        {index.all.length > 0 ? <FindingList findings={index.all} onGo={onGo} /> : null}
      </section>
      {review ? <Changes review={review} /> : null}
      {error ? <ErrorBanner title="The YAML could not be shown." error={error} /> : null}
      <div className="yaml-columns">
        <figure className="yaml-doc">
          <figcaption>Product (ODPS)</figcaption>
          <pre aria-label="Product YAML" tabIndex={0}>
            {yaml?.product ?? '…'}
          </pre>
        </figure>
        {(yaml?.contracts ?? []).map((c) => (
          <figure key={c.id} className="yaml-doc">
            <figcaption>Contract {c.id} (ODCS)</figcaption>
            <pre aria-label={`Contract ${c.id} YAML`} tabIndex={0}>
              {c.yaml}
            </pre>
          </figure>
        ))}
      </div>
    </div>
  );
}

/** The changes against the published version, which of them break, and whom they reach. */
function Changes({ review }: { review: RequestReview }) {
  const breaking = review.changes.filter((c) => c.breaking);
  return (
    <section
      aria-label="Changes against the published version"
      className={`review-changes verdict-${review.verdict}`}
      data-testid="review-changes"
      data-verdict={review.verdict}
    >
      <h3 className="findings-title">
        Against the published version {review.oldVersion ?? ''}: {review.summary}
      </h3>
      {review.changes.length > 0 ? (
        <ul className="change-list">
          {review.changes.map((c, i) => (
            <li key={i} className={c.breaking ? 'change-breaking' : 'change-compatible'} data-testid="review-change">
              <span className={`severity-badge severity-badge-${c.breaking ? 'error' : 'info'}`}>
                {c.breaking ? 'breaking' : 'compatible'}
              </span>{' '}
              <code>{c.path || 'the product'}</code> {c.message}
            </li>
          ))}
        </ul>
      ) : null}
      {breaking.length > 0 ? (
        <div className="impact">
          <h4>Who the breaking changes reach</h4>
          {review.downstream.length === 0 && review.consumers.length === 0 ? (
            <p className="empty">No cached product reads the changed ports, and no consumer holds a grant on them.</p>
          ) : (
            <ul data-testid="review-downstream">
              {review.downstream.map((d, i) => (
                <li key={`d${i}`}>
                  Product <strong>{d.name ?? d.productId}</strong>
                  {d.domain ? ` (${d.domain})` : ''} reads port <code>{d.upstreamPort}</code> through its input port{' '}
                  <code>{d.inputPort}</code>
                </li>
              ))}
              {review.consumers.map((c, i) => (
                <li key={`c${i}`}>
                  Consumer <strong>{c.consumer}</strong> holds a grant on port <code>{c.port}</code>
                </li>
              ))}
            </ul>
          )}
        </div>
      ) : null}
      {review.notes.map((n, i) => (
        <p key={i} className="field-help">
          {n}
        </p>
      ))}
    </section>
  );
}
