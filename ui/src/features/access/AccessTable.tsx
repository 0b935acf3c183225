import { Link } from 'react-router';
import type { AccessRequest } from '../../bindings';
import { shortTime } from '../../lib/format';
import { productPath } from '../../lib/paths';

/**
 * Access requests as a table: who asks (or, for one's own, which product), the port, the state, the
 * purpose, the end and the decision with its reason.
 */
export function AccessTable({
  requests,
  label,
  first,
}: {
  requests: AccessRequest[];
  label: string;
  /** What the first column names: the consumer (a product's requests) or the product (my requests). */
  first: 'consumer' | 'product';
}) {
  return (
    <table className="table" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">{first === 'consumer' ? 'Consumer' : 'Product'}</th>
          <th scope="col">Port</th>
          <th scope="col">State</th>
          <th scope="col">Purpose</th>
          <th scope="col">Until</th>
          <th scope="col">Decision</th>
        </tr>
      </thead>
      <tbody>
        {requests.map((r) => (
          <tr key={r.id} data-testid="access-request-row" data-state={r.state}>
            <th scope="row">
              {first === 'consumer' ? r.consumer : <Link to={productPath(r.productId)}>{r.productName}</Link>}
            </th>
            <td>{r.outputPort}</td>
            <td>
              <span className={`badge access-${r.state}`}>{r.state}</span>
            </td>
            <td>{r.purpose}</td>
            <td>{r.until ? shortTime(r.until) : 'no end'}</td>
            <td>{r.decidedBy ? `${r.decidedBy}${r.reason ? `: ${r.reason}` : ''}` : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
