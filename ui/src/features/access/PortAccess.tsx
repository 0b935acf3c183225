import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { AccessAsk, DataContract, PortRows, ProductView } from '../../bindings';
import { ErrorBanner } from '../../components/ui/ErrorBanner';
import { plural, shortTime } from '../../lib/format';
import { listAccess, portRows, requestAccess, toIpcError } from '../../lib/ipc';
import { accessKeys } from './AccessPage';

interface Port {
  name: string;
  contractId?: string;
}

/** The product's output ports, each with the user's access to it: ask for it, follow it, read rows. */
export function PortAccess({ view }: { view: ProductView }) {
  const ports: Port[] = (view.product.outputPorts ?? []).map((p) => ({ name: p.name, contractId: p.contractId }));
  if (ports.length === 0) return null;
  return (
    <div className="port-access">
      {ports.map((port) => (
        <OnePort
          key={port.name}
          view={view}
          port={port}
          contract={view.contracts.find((c) => c.id === port.contractId)}
        />
      ))}
    </div>
  );
}

function OnePort({ view, port, contract }: { view: ProductView; port: Port; contract?: DataContract }) {
  const mine = view.accessRequests.filter((r) => r.consumer === view.user && r.outputPort === port.name);
  const holding = mine.find((r) => r.state === 'active' || r.state === 'approved');
  const waiting = mine.find((r) => r.state === 'requested');
  // Asked for while the platform was out of reach: in the outbox until the sync sends it.
  const asked = useQuery({ queryKey: accessKeys.list(), queryFn: listAccess });
  const queued = (asked.data?.asked ?? []).find(
    (a) => a.state === 'queued' && a.productId === view.product.id && a.outputPort === port.name,
  );
  const headingId = useId();
  return (
    <section className="port-access-card" aria-labelledby={headingId} data-testid="port-access" data-port={port.name}>
      <h3 id={headingId}>Port {port.name}</h3>
      {holding ? (
        <p data-testid="my-grant">
          You hold access to {port.name} <span className={`badge access-${holding.state}`}>{holding.state}</span>
          {holding.until ? ` until ${shortTime(holding.until)}` : ''}.
        </p>
      ) : null}
      {waiting ? (
        <p data-testid="my-grant">
          Your request is waiting for the owners of {view.product.domain ?? 'the domain'}{' '}
          <span className="badge access-requested">requested</span>.
        </p>
      ) : null}
      {queued && !waiting ? <Queued ask={queued} domain={view.product.domain} /> : null}
      {!view.owner && !holding && !waiting && !queued ? (
        <RequestAccess view={view} port={port} contract={contract} />
      ) : null}
      {view.owner || holding || mine.length > 0 ? <RowsPreview view={view} port={port} contract={contract} /> : null}
    </section>
  );
}

/** A request in the outbox: it goes to the owners when the platform answers. */
function Queued({ ask, domain }: { ask: AccessAsk; domain?: string | null }) {
  return (
    <p role="status" data-testid="access-queued">
      Queued: your request goes to the owners of {domain ?? 'the domain'} when the platform answers{' '}
      <span className="badge access-queued">queued</span>.{' '}
      <span className="muted">
        {plural(ask.attempts, 'try', 'tries')} so far; “My requests” under Access follows it.
      </span>
    </p>
  );
}

/**
 * The terms a consumer agrees to: the contract's usage, limitations and roles (the product's usage and
 * limitations where the contract says none).
 */
function Terms({ view, contract }: { view: ProductView; contract?: DataContract }) {
  const usage = contract?.description?.usage ?? view.product.description?.usage;
  const limitations = contract?.description?.limitations ?? view.product.description?.limitations;
  const roles = contract?.roles ?? [];
  if (!usage && !limitations && roles.length === 0) return null;
  return (
    <dl className="facts terms">
      {usage ? (
        <>
          <dt>Usage</dt>
          <dd>{usage}</dd>
        </>
      ) : null}
      {limitations ? (
        <>
          <dt>Limitations</dt>
          <dd>{limitations}</dd>
        </>
      ) : null}
      {roles.length > 0 ? (
        <>
          <dt>Roles</dt>
          <dd>{roles.map((r) => `${r.role}${r.access ? ` (${r.access})` : ''}`).join(', ')}</dd>
        </>
      ) : null}
    </dl>
  );
}

/**
 * "Request access": a purpose (required) and an end date (optional), sent to the platform, or queued
 * in the outbox while it is out of reach.
 */
function RequestAccess({ view, port, contract }: { view: ProductView; port: Port; contract?: DataContract }) {
  const queryClient = useQueryClient();
  const ids = { purpose: useId(), until: useId() };
  const [purpose, setPurpose] = useState('');
  const [until, setUntil] = useState('');
  const [tried, setTried] = useState(false);
  const ask = useMutation({
    mutationFn: () => requestAccess(view.product.id, port.name, purpose, until || null),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: accessKeys.all });
      void queryClient.invalidateQueries({ queryKey: ['product-view', view.product.id] });
    },
  });
  const missing = tried && !purpose.trim();
  if (ask.data?.outcome === 'sent') {
    return (
      <p role="status" data-testid="access-requested">
        Requested: the owners of {ask.data.request.domain} decide; “My requests” under Access follows it.
      </p>
    );
  }
  if (ask.data?.outcome === 'queued') return <Queued ask={ask.data.ask} domain={view.product.domain} />;
  return (
    <form
      className="request-access"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        if (purpose.trim()) ask.mutate();
      }}
    >
      <Terms view={view} contract={contract} />
      <label htmlFor={ids.purpose}>Purpose</label>
      <textarea
        id={ids.purpose}
        className="form-control"
        rows={2}
        required
        aria-invalid={missing}
        aria-describedby={missing ? `${ids.purpose}-error` : undefined}
        value={purpose}
        onChange={(e) => setPurpose(e.target.value)}
      />
      {missing ? (
        <p className="field-error" id={`${ids.purpose}-error`}>
          Say what the data will be used for: the owners decide on it.
        </p>
      ) : null}
      <label htmlFor={ids.until}>Until (optional)</label>
      <input
        id={ids.until}
        type="date"
        className="form-control"
        value={until}
        onChange={(e) => setUntil(e.target.value)}
      />
      {ask.isError ? (
        <ErrorBanner title="The request was not sent." error={toIpcError(ask.error)} onDismiss={() => ask.reset()} />
      ) : null}
      <button type="submit" className="btn btn-primary" disabled={ask.isPending}>
        Request access
      </button>
    </form>
  );
}

/** The first 100 rows of one of the port's tables, read from the platform, with a column filter. */
function RowsPreview({ view, port, contract }: { view: ProductView; port: Port; contract?: DataContract }) {
  const tables = (contract?.schema ?? []).map((t) => t.physicalName ?? t.name);
  const [table, setTable] = useState(tables[0] ?? '');
  const [column, setColumn] = useState('');
  const [value, setValue] = useState('');
  const ids = { table: useId(), column: useId(), value: useId() };
  const read = useMutation({
    mutationFn: (): Promise<PortRows> =>
      portRows(view.product.id, port.name, table || null, column && value ? [[column, value]] : []),
  });
  const object = (contract?.schema ?? []).find((t) => (t.physicalName ?? t.name) === table);
  const columns = (object?.properties ?? []).map((p) => p.physicalName ?? p.name);
  return (
    <div className="rows-preview">
      <div className="filters" role="group" aria-label={`Rows of ${port.name}`}>
        {tables.length > 1 ? (
          <>
            <label htmlFor={ids.table}>Table</label>
            <select id={ids.table} className="form-control" value={table} onChange={(e) => setTable(e.target.value)}>
              {tables.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </>
        ) : null}
        <label htmlFor={ids.column}>Column</label>
        <select id={ids.column} className="form-control" value={column} onChange={(e) => setColumn(e.target.value)}>
          <option value="">No filter</option>
          {columns.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        <label htmlFor={ids.value}>Equals</label>
        <input
          id={ids.value}
          className="form-control"
          value={value}
          disabled={!column}
          onChange={(e) => setValue(e.target.value)}
        />
        <button type="button" className="btn" disabled={read.isPending} onClick={() => read.mutate()}>
          Preview rows
        </button>
      </div>
      {read.isError ? (
        <ErrorBanner title="The rows could not be read." error={toIpcError(read.error)} onDismiss={() => read.reset()} />
      ) : null}
      {read.data ? <RowsTable rows={read.data} /> : null}
    </div>
  );
}

function RowsTable({ rows }: { rows: PortRows }) {
  return (
    // Scrolls both ways: focusable, so the keyboard scrolls it too.
    <div className="rows-table-wrap" tabIndex={0} role="region" aria-label={`The first rows of ${rows.table}, scrollable`}>
      <p className="muted" role="status">
        {plural(rows.rows.length, 'row')} of {rows.table}
        {rows.nextCursor ? ', the first of more' : ''}
      </p>
      <table className="table rows-table" aria-label={`Rows of ${rows.table}`}>
        <thead>
          <tr>
            {rows.columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.rows.map((row, n) => (
            <tr key={n}>
              {row.map((cell, m) => (
                <td key={m}>{cell === null ? <span className="muted">null</span> : cellText(cell)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A cell as text: strings as they are, anything else as JSON. */
function cellText(cell: unknown): string {
  return typeof cell === 'string' ? cell : JSON.stringify(cell);
}
