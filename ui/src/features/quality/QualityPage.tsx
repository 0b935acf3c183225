import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { ErrorBanner } from '../../components/ui/ErrorBanner';
import { plural, shortTime } from '../../lib/format';
import { qualityHome, reportViewPainted, toIpcError } from '../../lib/ipc';
import { paths, productPath } from '../../lib/paths';
import { IncidentRow } from '../incidents/IncidentsPage';

export const qualityHomeKey = ['quality-home'] as const;

function percent(part: number, whole: number): string {
  return whole === 0 ? '—' : `${Math.round((100 * part) / whole)}%`;
}

/**
 * The stewards' home, from the offline cache: across the domains the user stewards, the products by
 * health, the checks failing now, how the SLOs stand, and the open incidents, each a link to its page.
 */
export function QualityPage() {
  const home = useQuery({ queryKey: qualityHomeKey, queryFn: qualityHome });
  const painted = useRef(false);
  const data = home.data;
  useEffect(() => {
    if (data && !painted.current) {
      painted.current = true;
      reportViewPainted('quality-home', data.products.total);
    }
  }, [data]);
  const slos = data ? data.slos.met + data.slos.atRisk + data.slos.breached + data.slos.unknown : 0;
  const measured = data ? data.products.healthy + data.products.failing : 0;
  return (
    <div className="page">
      <section className="panel" aria-labelledby="quality-heading" data-testid="quality-page">
        <div className="panel-head">
          <h2 id="quality-heading">Quality</h2>
          {data ? (
            <span className="muted" data-testid="quality-scope">
              {data.domains.includes('*')
                ? data.stewarded
                  ? 'Every domain (you steward them all)'
                  : 'The whole mesh (you steward no domain)'
                : `The domains you steward: ${data.domains.join(', ')}`}
            </span>
          ) : null}
        </div>
        {home.isError ? (
          <ErrorBanner
            title="The quality overview could not be read from the offline catalog."
            error={toIpcError(home.error)}
            onRetry={() => void home.refetch()}
          />
        ) : null}
        {data ? (
          <>
            <ul className="tiles" aria-label="At a glance">
              <li className="tile" data-testid="tile-health">
                <span className="tile-figure">{percent(data.products.healthy, measured)}</span>
                <span className="tile-label">
                  of {plural(measured, 'measured product')} healthy: {data.products.failing} failing,{' '}
                  {data.products.unmeasured} never measured of {data.products.total}
                </span>
              </li>
              <li className="tile" data-testid="tile-checks">
                <span className="tile-figure">{data.failingChecksTotal}</span>
                <span className="tile-label">{data.failingChecksTotal === 1 ? 'check failing now' : 'checks failing now'}</span>
              </li>
              <li className="tile" data-testid="tile-slos">
                <span className="tile-figure">{percent(data.slos.met, slos)}</span>
                <span className="tile-label">
                  of {plural(slos, 'SLO')} met: {data.slos.atRisk} at risk, {data.slos.breached} breached,{' '}
                  {data.slos.unknown} unknown
                </span>
              </li>
              <li className="tile" data-testid="tile-incidents">
                <span className="tile-figure">{data.openIncidentsTotal}</span>
                <span className="tile-label">{data.openIncidentsTotal === 1 ? 'open incident' : 'open incidents'}</span>
              </li>
            </ul>

            <section aria-labelledby="quality-failing-products" className="home-section">
              <h3 id="quality-failing-products">Failing products</h3>
              {data.failingProducts.length === 0 ? (
                <p className="muted">Every measured product passed its last run.</p>
              ) : (
                <table className="table" aria-label="Failing products">
                  <thead>
                    <tr>
                      <th scope="col">Product</th>
                      <th scope="col">Domain</th>
                      <th scope="col">Failed</th>
                      <th scope="col">Passed</th>
                      <th scope="col">Open incidents</th>
                      <th scope="col">Last run</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.failingProducts.map((p) => (
                      <tr key={p.id}>
                        <th scope="row">
                          <Link to={productPath(p.id)}>{p.name}</Link>
                        </th>
                        <td>{p.domain}</td>
                        <td>{p.failed}</td>
                        <td>{p.passed}</td>
                        <td>{p.openIncidents}</td>
                        <td>{shortTime(p.lastRunAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>

            <section aria-labelledby="quality-failing-checks" className="home-section">
              <h3 id="quality-failing-checks">Checks failing now</h3>
              {data.failingChecks.length === 0 ? (
                <p className="muted">No check fails.</p>
              ) : (
                <table className="table" aria-label="Checks failing now">
                  <thead>
                    <tr>
                      <th scope="col">Check</th>
                      <th scope="col">Product</th>
                      <th scope="col">Value</th>
                      <th scope="col">At</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.failingChecks.map((c) => (
                      <tr key={`${c.productId}-${c.check}`} data-testid="failing-check">
                        <th scope="row">
                          <code>{c.check}</code>
                        </th>
                        <td>
                          <Link to={productPath(c.productId)}>{c.productName}</Link> ({c.domain})
                        </td>
                        <td>{c.value ?? '—'}</td>
                        <td>{shortTime(c.at)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              {data.failingChecksTotal > data.failingChecks.length ? (
                <p className="muted">The {data.failingChecks.length} latest of {data.failingChecksTotal}.</p>
              ) : null}
            </section>

            <section aria-labelledby="quality-open-incidents" className="home-section">
              <h3 id="quality-open-incidents">Open incidents</h3>
              {data.openIncidents.length === 0 ? (
                <p className="muted">No open incident.</p>
              ) : (
                <ul className="incident-list" aria-label="Open incidents">
                  {data.openIncidents.map((i) => (
                    <IncidentRow key={i.id} incident={i} />
                  ))}
                </ul>
              )}
              {data.openIncidentsTotal > data.openIncidents.length ? (
                <p className="muted">
                  The {data.openIncidents.length} most recently changed of {data.openIncidentsTotal}; all of them under{' '}
                  <Link to={paths.incidents}>Incidents</Link>.
                </p>
              ) : null}
            </section>
          </>
        ) : null}
      </section>
    </div>
  );
}
