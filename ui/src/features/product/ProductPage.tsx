import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import type { DataContract, ProductLink, ProductView, SchemaObject } from '../../bindings';
import { ErrorBanner } from '../../components/ui/ErrorBanner';
import { ErrorBoundary } from '../../components/ui/ErrorBoundary';
import { plural, shortTime, statusClass } from '../../lib/format';
import { productView, publishedYaml, reportViewPainted, toIpcError } from '../../lib/ipc';
import { afterPaint } from '../../lib/measure';
import { onDemand } from '../../lib/onDemand';
import { editPath, paths, productPath } from '../../lib/paths';
import { IncidentRow } from '../incidents/IncidentsPage';
import { Unprovision } from './Unprovision';
import { AccessTable } from '../access/AccessTable';
import { PortAccess } from '../access/PortAccess';
import { PERIODS, QualityTrend, preloadTrendChart } from './QualityTrend';
import type { Period } from './QualityTrend';

// The graph and its layout library (dagre) load when a Lineage tab is first opened, not with the
// catalog.
const lineageGraph = onDemand(() => import('./LineageGraph'));

function LineageGraph({ productId }: { productId: string }) {
  const graph = lineageGraph.useLoaded();
  return graph ? (
    <graph.LineageGraph productId={productId} />
  ) : (
    <p className="tab-note" role="status">
      Reading the lineage…
    </p>
  );
}

export const productKeys = {
  view: (id: string) => ['product-view', id] as const,
};

/** The page's tabs, in order; their names are contracts (checks outside the repo click them). */
export const PRODUCT_TABS = ['Overview', 'Ports & contracts', 'Quality', 'SLOs', 'Incidents', 'Lineage', 'Access'] as const;
type Tab = (typeof PRODUCT_TABS)[number];

/** A tab's name in the page's address (`?tab=quality`), so that a tab can be linked to and kept on reload. */
export function tabSlug(tab: Tab): string {
  return tab.toLowerCase().split(/[^a-z]+/)[0] ?? 'overview';
}

function tabOf(slug: string | null): Tab {
  return PRODUCT_TABS.find((t) => tabSlug(t) === slug) ?? 'Overview';
}

function periodOf(days: string | null): Period | undefined {
  return PERIODS.find((p) => String(p) === days);
}


/**
 * A data product's page, read from the offline cache (so it opens without the platform): its
 * overview, ports and contracts, quality, SLOs, incidents, lineage and access, one tab each.
 */
export function ProductPage() {
  const { productId = '' } = useParams();
  const view = useQuery({ queryKey: productKeys.view(productId), queryFn: () => productView(productId) });
  const [params, setParams] = useSearchParams();
  const tab = tabOf(params.get('tab'));
  const { tabOpening, chartStage, chartDrawn } = usePaintMeasure(productId, tab, view.data);
  // The chart's code loads while the product and its history are read, not after them.
  useEffect(() => {
    if (tab === 'Quality') preloadTrendChart().then(() => chartStage('code'), () => undefined);
  }, [tab, chartStage]);
  const setTab = (next: Tab) => {
    tabOpening(next);
    setParams(next === 'Overview' ? {} : { tab: tabSlug(next) }, { replace: true });
  };

  if (view.isError) {
    return (
      <div className="page">
        <ErrorBanner
          title="The product could not be read from the offline catalog."
          error={toIpcError(view.error)}
          onRetry={() => void view.refetch()}
        />
      </div>
    );
  }
  if (view.isPending) {
    return (
      <div className="page">
        <p className="empty" role="status">
          Opening the product…
        </p>
      </div>
    );
  }
  const data = view.data;
  if (!data) {
    return (
      <div className="page">
        <section className="panel" aria-labelledby="product-missing">
          <h2 id="product-missing">Not in the offline catalog</h2>
          <p className="empty-hint">
            The catalog does not hold this product: it may have been unprovisioned, or it was published after the
            last sync. Sync now, or go back to the <Link to={paths.catalog}>catalog</Link>.
          </p>
        </section>
      </div>
    );
  }
  const product = data.product;
  const name = product.name ?? product.id;
  return (
    <div className="page">
      <section className="panel product-page" aria-labelledby="product-heading" data-testid="product-page">
        <div className="panel-head">
          <div className="product-title">
            <h2 id="product-heading">{name}</h2>
            <span className={`badge ${statusClass(product.status)}`}>{product.status}</span>
            <span className="muted">
              {product.domain ?? 'no domain'} · version {product.version ?? 'none'}
            </span>
          </div>
          <div className="product-actions">
            {data.owner ? (
              <Link to={editPath(product.id)} className="btn btn-small">
                Edit as a new version
              </Link>
            ) : null}
            {data.owner ? <Unprovision id={product.id} name={name} /> : null}
            <Link to={paths.catalog} className="btn btn-small btn-ghost">
              Catalog
            </Link>
          </div>
        </div>
        <p className="muted product-synced">
          From the offline catalog, synced {shortTime(data.syncedAt)}.
        </p>
        <Tabs tab={tab} onChange={setTab} counts={{ Incidents: openIncidents(data) }}>
          {tab === 'Overview' ? <Overview view={data} /> : null}
          {tab === 'Ports & contracts' ? <Ports view={data} /> : null}
          {tab === 'Quality' ? <Quality view={data} days={periodOf(params.get('days'))} onHistory={chartStage} onChartDrawn={chartDrawn} /> : null}
          {tab === 'SLOs' ? <Slos view={data} /> : null}
          {tab === 'Incidents' ? <Incidents view={data} /> : null}
          {tab === 'Lineage' ? <Lineage view={data} /> : null}
          {tab === 'Access' ? <Access view={data} /> : null}
        </Tabs>
      </section>
    </div>
  );
}

/**
 * How long a product's page takes to show, from its route opening until the frame that draws its
 * first answer is painted: a performance measure (`product-page`, read by the end-to-end test) and a line
 * in the shell's log (`view painted`, read by `cargo xtask bench-desktop`). The Quality tab has its
 * own (`product-quality`): from the tab's opening (or the route's, when it opens on it) until its
 * trend chart is drawn; `tabOpening` and `chartDrawn` tell the hook of both. Its stages are logged
 * too, for the benchmark's account of where the time goes: the chart's code loaded
 * (`product-quality-code`), the check's history read (`product-quality-history`), each from the
 * same opening, and the draw itself (`product-quality-draw`).
 */
function usePaintMeasure(productId: string, tab: Tab, data: ProductView | null | undefined) {
  const opened = useRef({ id: '', at: 0, measured: false });
  const tabOpened = useRef({ tab, at: 0, measured: false, stages: new Set<string>() });
  // A stage of the Quality tab's first chart, logged with its time since the tab opened; once each
  // per opening, measured or not (the chart may be drawn in the very commit that shows the history).
  const chartStage = useCallback((stage: 'code' | 'history') => {
    const mark = tabOpened.current;
    if (mark.tab !== 'Quality' || mark.stages.has(stage)) return;
    mark.stages.add(stage);
    measure(`product-quality-${stage}`, mark.at, 0);
  }, []);
  useEffect(() => {
    if (opened.current.id === productId) return;
    const at = performance.now();
    opened.current = { id: productId, at, measured: false };
    // The tab the address names: another product's page may be opened on its Quality tab straight
    // from this one's Lineage tab.
    tabOpened.current = { tab, at, measured: false, stages: new Set() };
  }, [productId, tab]);
  useEffect(() => {
    const mark = opened.current;
    if (!data || mark.measured || mark.id !== productId) return;
    mark.measured = true;
    afterPaint(() => measure('product-page', mark.at, data.quality?.checks.length ?? 0));
  }, [data, productId]);
  return {
    tabOpening: (next: Tab) => {
      tabOpened.current = { tab: next, at: performance.now(), measured: false, stages: new Set() };
    },
    chartStage,
    chartDrawn: (points: number, drawMs: number) => {
      const mark = tabOpened.current;
      if (mark.measured || mark.tab !== 'Quality') return;
      mark.measured = true;
      measure('product-quality-draw', performance.now() - drawMs, points);
      afterPaint(() => measure('product-quality', mark.at, points));
    },
  };
}

function measure(name: string, start: number, total: number) {
  const took = performance.now() - start;
  if (typeof performance.measure === 'function') {
    performance.measure(name, { start, end: start + took });
  }
  reportViewPainted(name, total, took);
}

function openIncidents(view: ProductView): number {
  return view.incidents.filter((i) => i.state !== 'resolved').length;
}

/** WAI-ARIA tabs: one tab stop, arrows, Home and End move between the tabs and show each. */
function Tabs({
  tab,
  onChange,
  counts,
  children,
}: {
  tab: Tab;
  onChange: (tab: Tab) => void;
  counts: Partial<Record<Tab, number>>;
  children: ReactNode;
}) {
  const base = useId();
  const refs = useRef<Partial<Record<Tab, HTMLButtonElement | null>>>({});
  const move = (e: KeyboardEvent<HTMLDivElement>) => {
    const at = PRODUCT_TABS.indexOf(tab);
    const next =
      e.key === 'ArrowRight'
        ? (at + 1) % PRODUCT_TABS.length
        : e.key === 'ArrowLeft'
          ? (at - 1 + PRODUCT_TABS.length) % PRODUCT_TABS.length
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? PRODUCT_TABS.length - 1
              : -1;
    if (next < 0) return;
    e.preventDefault();
    const to = PRODUCT_TABS[next];
    if (!to) return;
    onChange(to);
    refs.current[to]?.focus();
  };
  return (
    <>
      <div className="tabs" role="tablist" aria-label="Product" onKeyDown={move}>
        {PRODUCT_TABS.map((t, i) => {
          const count = counts[t];
          return (
            <button
              key={t}
              ref={(el) => {
                refs.current[t] = el;
              }}
              type="button"
              role="tab"
              id={`${base}-tab-${i}`}
              aria-controls={`${base}-panel`}
              aria-selected={t === tab}
              tabIndex={t === tab ? 0 : -1}
              className={t === tab ? 'tab tab-selected' : 'tab'}
              onClick={() => onChange(t)}
            >
              {t}
              {count ? (
                // The tab's name stays its label (a contract); the count is for the eye, and the
                // panel lists the same incidents.
                <span className="tab-count" aria-hidden="true" title={plural(count, 'open incident')}>
                  {count}
                </span>
              ) : null}
            </button>
          );
        })}
      </div>
      <div
        className="tab-panel"
        role="tabpanel"
        id={`${base}-panel`}
        aria-labelledby={`${base}-tab-${PRODUCT_TABS.indexOf(tab)}`}
        tabIndex={0}
      >
        {children}
      </div>
    </>
  );
}

/** What a tab says when it has nothing to show, and why. */
function Nothing({ title, hint }: { title: string; hint: string }) {
  return (
    <div className="tab-note">
      <p>{title}.</p>
      <p className="muted">{hint}</p>
    </div>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function Overview({ view }: { view: ProductView }) {
  const p = view.product;
  const members = p.team?.members ?? [];
  const owners = members.filter((m) => m.role === 'owner').map((m) => m.name ?? m.username);
  return (
    <div className="overview">
      <dl className="facts">
        <Field label="Owner">{owners.length ? owners.join(', ') : 'No owner named'}</Field>
        <Field label="Domain">{p.domain ?? '—'}</Field>
        <Field label="Status">{p.status}</Field>
        <Field label="Version">{p.version ?? '—'}</Field>
        <Field label="Tags">{p.tags?.length ? p.tags.join(', ') : 'None'}</Field>
        <Field label="Purpose">{p.description?.purpose ?? 'No purpose stated.'}</Field>
        {p.description?.usage ? <Field label="Usage">{p.description.usage}</Field> : null}
        {p.description?.limitations ? <Field label="Limitations">{p.description.limitations}</Field> : null}
      </dl>
      <h3>Team</h3>
      {members.length ? (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Role</th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={`${m.username}-${m.role ?? ''}`}>
                <td>{m.name ? `${m.name} (${m.username})` : m.username}</td>
                <td>{m.role ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="tab-note">No team members are named.</p>
      )}
    </div>
  );
}

function Ports({ view }: { view: ProductView }) {
  const ports = view.product.outputPorts ?? [];
  if (ports.length === 0) return <Nothing title="No output ports" hint="This product serves no data yet." />;
  return (
    <div className="ports">
      {ports.map((port) => {
        const contract = view.contracts.find((c) => c.id === port.contractId);
        return (
          <section key={port.name} className="port" aria-label={`Output port ${port.name}`}>
            <h3>
              {port.name} <span className="muted">{port.type ? `${port.type} · ` : ''}version {port.version}</span>
            </h3>
            {contract ? (
              <Contract contract={contract} product={view} />
            ) : (
              <p className="tab-note">
                {port.contractId
                  ? `Its contract ${port.contractId} is not in the offline catalog.`
                  : 'This port names no contract.'}
              </p>
            )}
          </section>
        );
      })}
    </div>
  );
}

function Contract({ contract, product }: { contract: DataContract; product: ProductView }) {
  const [showYaml, setShowYaml] = useState(false);
  const yaml = useQuery({
    queryKey: ['contract-yaml', product.product.id, contract.id],
    queryFn: () => publishedYaml(product.product, [contract]),
    enabled: showYaml,
  });
  return (
    <>
      <p className="muted">
        Contract {contract.name ?? contract.id} {contract.version} ({contract.status})
      </p>
      {(contract.schema ?? []).map((object) => (
        <TableOf key={object.name} object={object} />
      ))}
      <button
        type="button"
        className="btn btn-small btn-ghost"
        aria-expanded={showYaml}
        onClick={() => setShowYaml((v) => !v)}
      >
        {showYaml ? 'Hide the contract’s YAML' : 'Show the contract’s YAML'}
      </button>
      {showYaml ? (
        yaml.data ? (
          <pre className="yaml" aria-label={`YAML of contract ${contract.id}`} tabIndex={0}>
            {yaml.data.contracts[0]?.yaml ?? ''}
          </pre>
        ) : yaml.isError ? (
          <ErrorBanner title="The contract could not be written as YAML." error={toIpcError(yaml.error)} />
        ) : (
          <p className="empty" role="status">
            Writing the YAML…
          </p>
        )
      ) : null}
    </>
  );
}

function TableOf({ object }: { object: SchemaObject }) {
  const columns = object.properties ?? [];
  return (
    <table className="table columns-table" aria-label={`Columns of ${object.name}`}>
      <caption>
        {object.name}
        {object.description ? <span className="muted"> — {object.description}</span> : null}
      </caption>
      <thead>
        <tr>
          <th scope="col">Column</th>
          <th scope="col">Type</th>
          <th scope="col">Keys</th>
          <th scope="col">Classification</th>
          <th scope="col">Description</th>
        </tr>
      </thead>
      <tbody>
        {columns.map((c) => (
          <tr key={c.name}>
            <th scope="row">{c.name}</th>
            <td>
              {c.logicalType ?? '—'}
              {c.physicalType ? <span className="muted"> ({c.physicalType})</span> : null}
            </td>
            <td>
              {[c.primaryKey ? 'primary key' : null, c.required ? 'required' : null, c.unique ? 'unique' : null]
                .filter(Boolean)
                .join(', ') || '—'}
            </td>
            <td>
              {c.classification ? <span className={`badge class-${c.classification}`}>{c.classification}</span> : '—'}
            </td>
            <td>{c.description ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Quality({
  view,
  days,
  onHistory,
  onChartDrawn,
}: {
  view: ProductView;
  days?: Period;
  onHistory?: (stage: 'history') => void;
  onChartDrawn?: (points: number, drawMs: number) => void;
}) {
  const q = view.quality;
  const failing = q ? q.checks.find((_, i) => q.latest[i]?.status === 'failed') : undefined;
  const [chosen, setChosen] = useState<string | null>(null);
  const trendId = useId();
  if (!q) {
    return <Nothing title="No quality run yet" hint="The platform checks the product after it is provisioned." />;
  }
  const check = chosen ?? failing ?? q.checks[0];
  return (
    <div className="quality">
      <p>
        Last run {shortTime(q.lastRunAt)}: {plural(q.passed, 'check')} passed, {q.failed} failed, {q.warnings}{' '}
        {q.warnings === 1 ? 'warning' : 'warnings'}, {plural(q.errors, 'error')}.
      </p>
      <table className="table" aria-label="Checks">
        <thead>
          <tr>
            <th scope="col">Check</th>
            <th scope="col">Status</th>
            <th scope="col">Value</th>
            <th scope="col">At</th>
          </tr>
        </thead>
        <tbody>
          {q.checks.map((check, i) => {
            const point = q.latest[i];
            return (
              <tr key={check} data-status={point?.status}>
                <th scope="row">{check}</th>
                <td>
                  <span className={`badge check-${point?.status ?? 'unknown'}`}>{point?.status ?? 'unknown'}</span>
                </td>
                <td>{point?.value ?? '—'}</td>
                <td>{shortTime(point?.at)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {check ? (
        <div className="trend-of">
          <label htmlFor={trendId}>Trend of</label>
          <select id={trendId} className="form-control" value={check} onChange={(e) => setChosen(e.target.value)}>
            {q.checks.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
          <QualityTrend
            productId={view.product.id}
            check={check}
            initialDays={days}
            onHistory={onHistory}
            onDrawn={onChartDrawn}
          />
        </div>
      ) : null}
    </div>
  );
}

function Slos({ view }: { view: ProductView }) {
  const slos = view.quality?.slos ?? [];
  if (slos.length === 0) {
    return <Nothing title="No SLOs measured" hint="The contracts' SLA properties are measured by each quality run." />;
  }
  return (
    <table className="table" aria-label="Service level objectives">
      <thead>
        <tr>
          <th scope="col">Objective</th>
          <th scope="col">Port</th>
          <th scope="col">Status</th>
          <th scope="col">Measured</th>
          <th scope="col">Target</th>
        </tr>
      </thead>
      <tbody>
        {slos.map((s) => (
          <tr key={`${s.slo}-${s.port}-${s.element ?? ''}-${s.property}`}>
            <th scope="row">
              {s.slo}
              {s.element ? <span className="muted"> of {s.element}</span> : null}
            </th>
            <td>{s.port}</td>
            <td>
              <span className={`badge slo-${s.status}`}>{s.status}</span>
            </td>
            <td>{s.measured === undefined ? '—' : `${s.measured} ${s.unit}`}</td>
            <td>{`${s.target} ${s.unit}`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Incidents({ view }: { view: ProductView }) {
  if (view.incidents.length === 0) {
    return <Nothing title="No incidents" hint="A failing check opens one." />;
  }
  return (
    <ul className="incident-list" aria-label="Incidents">
      {view.incidents.map((i) => (
        <IncidentRow key={i.id} incident={i} />
      ))}
    </ul>
  );
}

function Neighbours({ title, links, empty }: { title: string; links: ProductLink[]; empty: string }) {
  return (
    <section aria-label={title}>
      <h3>{title}</h3>
      {links.length === 0 ? (
        <p className="tab-note">{empty}</p>
      ) : (
        <ul className="lineage-list">
          {links.map((l) => (
            <li key={`${l.id}-${l.contractId}`}>
              <span
                className={l.openIncidents > 0 ? 'health health-bad' : 'health health-good'}
                aria-label={l.openIncidents > 0 ? plural(l.openIncidents, 'open incident') : 'healthy'}
                role="img"
              />
              <Link to={productPath(l.id)}>{l.name}</Link>{' '}
              <span className="muted">
                {l.domain} · {l.status} · {l.version}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Lineage({ view }: { view: ProductView }) {
  return (
    <div className="lineage">
      <ErrorBoundary what="The lineage graph">
        <LineageGraph productId={view.product.id} />
      </ErrorBoundary>
      <Neighbours title="Upstream" links={view.upstream} empty="It reads no other product of the catalog." />
      <Neighbours title="Downstream" links={view.downstream} empty="No product of the catalog reads it." />
    </div>
  );
}

function Access({ view }: { view: ProductView }) {
  const requests = view.owner ? view.accessRequests : view.accessRequests.filter((r) => r.consumer === view.user);
  return (
    <>
      <PortAccess view={view} />
      <AccessRequests view={view} requests={requests} />
    </>
  );
}

function AccessRequests({ view, requests }: { view: ProductView; requests: ProductView['accessRequests'] }) {
  if (requests.length === 0) {
    return (
      <Nothing
        title={view.owner ? 'Nobody has asked for access' : 'You hold no grant and have asked for none'}
        hint={view.owner ? 'Requests on its ports appear here.' : 'Access is asked for on an output port, above.'}
      />
    );
  }
  return (
    <AccessTable
      requests={requests}
      label={view.owner ? 'Access requests and grants' : 'My access requests'}
      first="consumer"
    />
  );
}
