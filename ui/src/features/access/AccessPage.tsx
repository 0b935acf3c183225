import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link } from 'react-router';
import type { AccessAsk, AccessList, AccessRequest } from '../../bindings';
import { ErrorBanner } from '../../components/ui/ErrorBanner';
import { shortTime } from '../../lib/format';
import { decideAccess, dismissAccessAsk, listAccess, toIpcError } from '../../lib/ipc';
import type { Verdict } from '../../lib/ipc';
import { productPath } from '../../lib/paths';
import { useNoticesSeen } from '../notices/notices';
import { AccessTable } from './AccessTable';

export const accessKeys = {
  all: ['access'] as const,
  list: () => ['access', 'list'] as const,
};

/** Whether `user` owns the domain `domain` (`*`: every domain). */
function owns(list: AccessList, domain: string): boolean {
  return list.ownedDomains.some((d) => d === '*' || d.toLowerCase() === domain.toLowerCase());
}

/**
 * Access, from the offline cache: the user's own requests with their states; for owners, the queue
 * of requests on their domains' ports to approve or reject, and the grants they may revoke, each
 * decision with a reason. Decisions go to the platform at once (they grant or take away access).
 */
export function AccessPage() {
  useNoticesSeen('access');
  const list = useQuery({ queryKey: accessKeys.list(), queryFn: listAccess });
  /** The last decision taken here: the request leaves its list with the next sync, the notice stays. */
  const [decided, setDecided] = useState<AccessRequest | null>(null);
  const data = list.data;
  const mine = data ? data.requests.filter((r) => r.consumer === data.user) : [];
  const owned = data ? data.requests.filter((r) => r.consumer !== data.user && owns(data, r.domain)) : [];
  const queue = owned.filter((r) => r.state === 'requested');
  const granted = owned.filter((r) => r.state === 'approved' || r.state === 'active');
  return (
    <div className="page">
      <section className="panel" aria-labelledby="access-heading" data-testid="access-page">
        <div className="panel-head">
          <h2 id="access-heading">Access</h2>
          {data?.user ? <span className="muted">Signed in as {data.user}</span> : null}
        </div>
        {decided ? (
          <p className="banner banner-success" role="status" data-testid="access-decided">
            {DONE[decided.state] ?? decided.state} {decided.consumer}&rsquo;s access to {decided.productName}{' '}
            {decided.outputPort}.
          </p>
        ) : null}
        {list.isError ? (
          <ErrorBanner
            title="The access requests could not be read from the offline catalog."
            error={toIpcError(list.error)}
            onRetry={() => void list.refetch()}
          />
        ) : null}
        {data && data.ownedDomains.length > 0 ? (
          <>
            <section aria-labelledby="access-queue" className="access-section">
              <h3 id="access-queue">To decide ({queue.length})</h3>
              {queue.length === 0 ? (
                <Empty title="No request waits for you" hint="Requests on your domains' ports come with the sync." />
              ) : (
                <ul className="access-list" aria-label="Requests to decide">
                  {queue.map((r) => (
                    <Decision key={r.id} request={r} verdicts={['approve', 'reject']} onDecided={setDecided} />
                  ))}
                </ul>
              )}
            </section>
            <section aria-labelledby="access-granted" className="access-section">
              <h3 id="access-granted">Granted ({granted.length})</h3>
              {granted.length === 0 ? (
                <Empty title="Nobody holds a grant on your domains' ports" hint="Approved requests show here." />
              ) : (
                <ul className="access-list" aria-label="Grants on my domains">
                  {granted.map((r) => (
                    <Decision key={r.id} request={r} verdicts={['revoke']} onDecided={setDecided} />
                  ))}
                </ul>
              )}
            </section>
          </>
        ) : null}
        <section aria-labelledby="access-mine" className="access-section">
          <h3 id="access-mine">My requests</h3>
          {data && data.asked.length > 0 ? <Asked asks={data.asked} /> : null}
          {data && mine.length === 0 && data.asked.length === 0 ? (
            <Empty
              title="You have asked for no access"
              hint="Open a product and ask for access to one of its output ports on its Access tab."
            />
          ) : null}
          {mine.length > 0 ? <AccessTable requests={mine} label="My requests" first="product" /> : null}
        </section>
      </section>
    </div>
  );
}

const VERDICT_LABELS: Record<Verdict, string> = { approve: 'Approve', reject: 'Reject', revoke: 'Revoke' };

const DONE: Partial<Record<AccessRequest['state'], string>> = {
  active: 'Approved',
  approved: 'Approved',
  rejected: 'Rejected',
  revoked: 'Revoked',
};

/** One request an owner decides on: who asks for what and why, a reason, and the verdicts. */
function Decision({
  request: r,
  verdicts,
  onDecided,
}: {
  request: AccessRequest;
  verdicts: Verdict[];
  onDecided: (request: AccessRequest) => void;
}) {
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const id = useId();
  const decide = useMutation({
    mutationFn: (verdict: Verdict) => decideAccess(r.id, verdict, reason.trim() || null),
    onSuccess: (decided) => {
      onDecided(decided);
      // The sync brings the decision into the cache; read the queue again meanwhile.
      void queryClient.invalidateQueries({ queryKey: accessKeys.all });
      void queryClient.invalidateQueries({ queryKey: ['product-view', r.productId] });
    },
  });
  const who = `${r.consumer} on ${r.productName} ${r.outputPort}`;
  return (
    <li className="access-row" data-testid="access-decision" data-consumer={r.consumer} data-state={r.state}>
      <p>
        <strong>{r.consumer}</strong> {r.state === 'requested' ? 'asks for' : 'holds'}{' '}
        <Link to={productPath(r.productId)}>{r.productName}</Link> · {r.outputPort}{' '}
        <span className={`badge access-${r.state}`}>{r.state}</span>
      </p>
      <p className="muted">
        “{r.purpose}” · asked {shortTime(r.requestedAt)} · {r.until ? `until ${shortTime(r.until)}` : 'no end'}
      </p>
      {decide.isError ? (
        <ErrorBanner title="The decision was not taken." error={toIpcError(decide.error)} onDismiss={() => decide.reset()} />
      ) : null}
      {decide.isSuccess ? (
        <p role="status" className="muted">
          {decide.data.state === 'rejected' ? 'Rejected' : decide.data.state === 'revoked' ? 'Revoked' : 'Approved'}; the
          list follows with the next sync.
        </p>
      ) : (
        <div className="action-row">
          <label htmlFor={id}>Reason</label>
          <input
            id={id}
            className="form-control"
            value={reason}
            aria-description={`for ${who}`}
            onChange={(e) => setReason(e.target.value)}
          />
          <span className="decision-buttons">
            {verdicts.map((v) => (
              <button
                key={v}
                type="button"
                className={v === 'approve' ? 'btn btn-primary' : v === 'revoke' ? 'btn btn-danger' : 'btn'}
                disabled={decide.isPending}
                aria-label={`${VERDICT_LABELS[v]} ${who}`}
                onClick={() => decide.mutate(v)}
              >
                {VERDICT_LABELS[v]}
              </button>
            ))}
          </span>
        </div>
      )}
    </li>
  );
}

/**
 * The user's requests the platform has not taken: queued while it was out of reach (the sync sends
 * them), or refused when they were sent, with why, until dismissed.
 */
function Asked({ asks }: { asks: AccessAsk[] }) {
  const queued = asks.filter((a) => a.state === 'queued').length;
  return (
    <div className="access-asked" role="region" aria-label="Requests not taken by the platform" data-testid="access-asked">
      <p>
        {queued > 0
          ? `${queued === 1 ? '1 request waits' : `${queued} requests wait`} for the platform: the sync sends ${queued === 1 ? 'it' : 'them'} when it answers.`
          : 'The platform refused these requests when they were sent.'}
      </p>
      <ul>
        {asks.map((a) => (
          <AskedRow key={a.id} ask={a} />
        ))}
      </ul>
    </div>
  );
}

function AskedRow({ ask: a }: { ask: AccessAsk }) {
  const queryClient = useQueryClient();
  const dismiss = useMutation({
    mutationFn: () => dismissAccessAsk(a.id),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: accessKeys.all }),
  });
  const what = `${a.productName ?? a.productId} ${a.outputPort}`;
  return (
    <li data-testid="access-ask" data-state={a.state}>
      <Link to={productPath(a.productId)}>{a.productName ?? a.productId}</Link> · {a.outputPort}{' '}
      <span className={`badge access-${a.state}`}>{a.state}</span> · “{a.purpose}” · asked {shortTime(a.queuedAt)}
      {a.state === 'refused' ? (
        <>
          <span className="field-error"> {a.message ?? 'The platform refused it.'}</span>{' '}
          <button
            type="button"
            className="btn btn-small"
            aria-label={`Dismiss the refused request for ${what}`}
            disabled={dismiss.isPending}
            onClick={() => dismiss.mutate()}
          >
            Dismiss
          </button>
        </>
      ) : null}
      {dismiss.isError ? (
        <ErrorBanner title="It was not dismissed." error={toIpcError(dismiss.error)} onDismiss={() => dismiss.reset()} />
      ) : null}
    </li>
  );
}

function Empty({ title, hint }: { title: string; hint: string }) {
  return (
    <div className="empty">
      <p>{title}</p>
      <p className="empty-hint">{hint}</p>
    </div>
  );
}
