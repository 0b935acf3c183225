import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import type { Incident, IncidentFilter } from '../../bindings';
import { ErrorBanner } from '../../components/ui/ErrorBanner';
import { plural, shortTime } from '../../lib/format';
import { getIncident, listIncidents, toIpcError } from '../../lib/ipc';
import { incidentPath, paths, productPath } from '../../lib/paths';
import { IncidentActions } from './IncidentActions';
import { useNoticesSeen } from '../notices/notices';
import { QualityTrend } from '../product/QualityTrend';

export const incidentKeys = {
  all: ['incidents'] as const,
  list: (filter: IncidentFilter) => ['incidents', 'list', filter] as const,
  detail: (id: string) => ['incidents', 'detail', id] as const,
};

const STATES = ['open', 'acknowledged', 'assigned', 'reopened', 'resolved'] as const;

/** The filter in the URL (`?state=…&domain=…&assignee=…`), so Back and a reload keep it. */
function filterOf(params: URLSearchParams): IncidentFilter {
  const filter: IncidentFilter = {};
  const state = params.get('state') ?? 'active';
  if (state !== 'all') filter.state = state;
  const domain = params.get('domain');
  if (domain) filter.domain = domain;
  const assignee = params.get('assignee');
  if (assignee) filter.assignee = assignee;
  return filter;
}

/**
 * The quality incidents the offline cache holds, filtered by state, domain and assignee; each opens
 * its timeline.
 */
export function IncidentsPage() {
  useNoticesSeen('incidents');
  const [params, setParams] = useSearchParams();
  const filter = filterOf(params);
  const list = useQuery({
    queryKey: incidentKeys.list(filter),
    queryFn: () => listIncidents(filter),
    placeholderData: keepPreviousData,
  });
  const ids = { state: useId(), domain: useId(), assignee: useId() };
  const set = (key: string, value: string, fallback: string) => {
    const next = new URLSearchParams(params);
    if (value === fallback) next.delete(key);
    else next.set(key, value);
    setParams(next, { replace: true });
  };
  const data = list.data;
  return (
    <div className="page">
      <section className="panel" aria-labelledby="incidents-heading" data-testid="incidents-page">
        <div className="panel-head">
          <h2 id="incidents-heading">Incidents</h2>
        </div>
        <div className="filters" role="group" aria-label="Filter the incidents">
          <label htmlFor={ids.state}>State</label>
          <select
            id={ids.state}
            className="form-control"
            value={params.get('state') ?? 'active'}
            onChange={(e) => set('state', e.target.value, 'active')}
          >
            <option value="active">Not resolved</option>
            <option value="all">Any state</option>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {s[0]?.toUpperCase()}
                {s.slice(1)}
              </option>
            ))}
          </select>
          <label htmlFor={ids.domain}>Domain</label>
          <select
            id={ids.domain}
            className="form-control"
            value={params.get('domain') ?? ''}
            onChange={(e) => set('domain', e.target.value, '')}
          >
            <option value="">Every domain</option>
            {(data?.domains ?? []).map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
          <label htmlFor={ids.assignee}>Assignee</label>
          <select
            id={ids.assignee}
            className="form-control"
            value={params.get('assignee') ?? ''}
            onChange={(e) => set('assignee', e.target.value, '')}
          >
            <option value="">Anyone</option>
            <option value="-">Nobody</option>
            {(data?.assignees ?? []).map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        {list.isError ? (
          <ErrorBanner
            title="The incidents could not be read from the offline catalog."
            error={toIpcError(list.error)}
            onRetry={() => void list.refetch()}
          />
        ) : null}
        {data && data.incidents.length === 0 ? (
          <div className="empty">
            <p>No incident matches.</p>
            <p className="empty-hint">A failing quality check opens one; the list comes with the sync.</p>
          </div>
        ) : null}
        {data && data.incidents.length > 0 ? (
          <>
            <p className="muted" role="status">
              {plural(data.incidents.length, 'incident')}
            </p>
            <ul className="incident-list" aria-label="Incidents" aria-busy={list.isFetching}>
              {data.incidents.map((i) => (
                <IncidentRow key={i.id} incident={i} />
              ))}
            </ul>
          </>
        ) : null}
      </section>
    </div>
  );
}

/** An incident in a list: its state, severity and title (a link to its page), and where it is. */
export function IncidentRow({ incident: i }: { incident: Incident }) {
  return (
    <li className="incident-row" data-state={i.state} data-testid="incident-row">
      <span className={`badge incident-${i.state}`}>{i.state}</span>{' '}
      <span className={`badge severity-${i.severity}`}>{i.severity}</span>{' '}
      <Link to={incidentPath(i.id)}>{i.title}</Link>
      <p className="muted">
        {i.productName} · {i.domain} · {i.check} · opened {shortTime(i.openedAt)} · {plural(i.failures, 'failure')}
        {i.assignee ? ` · assigned to ${i.assignee}` : ''}
      </p>
    </li>
  );
}

const ACTIONS: Record<string, string> = {
  opened: 'opened it',
  'failed-again': 'saw the check fail again',
  acknowledged: 'acknowledged it',
  assigned: 'assigned it',
  commented: 'commented',
  resolved: 'resolved it',
  reopened: 'reopened it',
};

/** One incident from the offline cache: what failed, where it stands, and its timeline. */
export function IncidentPage() {
  const { incidentId = '' } = useParams();
  const incident = useQuery({ queryKey: incidentKeys.detail(incidentId), queryFn: () => getIncident(incidentId) });
  const i = incident.data;
  return (
    <div className="page">
      <section className="panel" aria-labelledby="incident-heading" data-testid="incident-page">
        <div className="panel-head">
          <h2 id="incident-heading">{i ? i.title : 'Incident'}</h2>
          <Link to={paths.incidents} className="btn btn-small btn-ghost">
            All incidents
          </Link>
        </div>
        {incident.isError ? (
          <ErrorBanner
            title="The incident could not be read from the offline catalog."
            error={toIpcError(incident.error)}
            onRetry={() => void incident.refetch()}
          />
        ) : null}
        {incident.isSuccess && !i ? (
          <p className="empty">The offline catalog does not hold this incident; sync, or go back to the list.</p>
        ) : null}
        {i ? (
          <>
            <dl className="facts">
              <dt>State</dt>
              <dd>
                <span className={`badge incident-${i.state}`} data-testid="incident-state">
                  {i.state}
                </span>
              </dd>
              <dt>Product</dt>
              <dd>
                <Link to={productPath(i.productId)}>{i.productName}</Link> ({i.domain})
              </dd>
              <dt>Check</dt>
              <dd>
                <code>{i.check}</code> on port {i.port}, {i.severity}
              </dd>
              <dt>Assignee</dt>
              <dd>{i.assignee ?? 'Nobody'}</dd>
              <dt>Failures</dt>
              <dd>{plural(i.failures, 'failed run')}</dd>
              <dt>Opened</dt>
              <dd>{shortTime(i.openedAt)}</dd>
              {i.resolvedAt ? (
                <>
                  <dt>Resolved</dt>
                  <dd>{shortTime(i.resolvedAt)}</dd>
                </>
              ) : null}
            </dl>
            <h3 className="timeline-heading">Trend of the check</h3>
            <QualityTrend productId={i.productId} check={i.check} />
            <IncidentActions incident={i} />
            <h3 className="timeline-heading">Timeline</h3>
            <ol className="timeline" aria-label="Timeline">
              {i.events.map((e, n) => (
                <li key={`${e.at}-${n}`} data-action={e.action}>
                  <time dateTime={e.at}>{shortTime(e.at)}</time> <strong>{e.actor}</strong>{' '}
                  {ACTIONS[e.action] ?? e.action}
                  {e.from && e.to ? (
                    <span className="muted">
                      {' '}
                      ({e.from} → {e.to})
                    </span>
                  ) : null}
                  {e.comment ? <blockquote>{e.comment}</blockquote> : null}
                </li>
              ))}
            </ol>
          </>
        ) : null}
      </section>
    </div>
  );
}
