import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { LineageNode, LineageView } from '../../bindings';
import { ErrorBanner } from '../../components/ui/ErrorBanner';
import { plural } from '../../lib/format';
import { productLineage, toIpcError } from '../../lib/ipc';
import { productPath } from '../../lib/paths';
import { layoutLineage, NODE_HEIGHT, NODE_WIDTH } from './lineageLayout';

/** How far the graph reaches each way, and how many products it shows at most. */
export const LINEAGE_DEPTH = 3;
export const LINEAGE_LIMIT = 200;

function health(node: LineageNode): string {
  return node.openIncidents > 0 ? plural(node.openIncidents, 'open incident') : 'healthy';
}

/**
 * The product's lineage from the offline cache: the products upstream and downstream, laid out left
 * to right (dagre), each coloured by its health. A node is a link: a click or Enter opens that
 * product's page.
 */
export function LineageGraph({ productId }: { productId: string }) {
  const lineage = useQuery({
    queryKey: ['lineage', productId, LINEAGE_DEPTH, LINEAGE_LIMIT],
    queryFn: () => productLineage(productId, LINEAGE_DEPTH, LINEAGE_LIMIT),
  });
  if (lineage.isError) {
    return <ErrorBanner title="The lineage could not be read." error={toIpcError(lineage.error)} />;
  }
  if (!lineage.data) {
    return (
      <p className="tab-note" role="status">
        Reading the lineage…
      </p>
    );
  }
  return <Graph view={lineage.data} productId={productId} />;
}

function Graph({ view, productId }: { view: LineageView; productId: string }) {
  const layout = useMemo(() => layoutLineage(view), [view]);
  const byId = useMemo(() => new Map(view.nodes.map((n) => [n.id, n])), [view]);
  if (view.nodes.length <= 1) {
    return <p className="tab-note">No product of the catalog reads it, and it reads none.</p>;
  }
  return (
    <figure className="lineage-graph">
      <svg
        width={layout.width}
        height={layout.height}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        role="group"
        aria-label={`Lineage: ${plural(view.nodes.length, 'product')}, ${plural(view.edges.length, 'flow')}`}
      >
        <defs>
          <marker id="lineage-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">
            <path d="M0,0 L10,5 L0,10 z" className="lineage-arrowhead" />
          </marker>
        </defs>
        {layout.edges.map((e) => (
          <path
            key={`${e.from}-${e.to}-${e.contractId}`}
            className="lineage-edge"
            d={e.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x},${p.y}`).join(' ')}
            markerEnd="url(#lineage-arrow)"
            data-from={e.from}
            data-to={e.to}
          />
        ))}
        {view.nodes.map((n) => {
          const at = layout.nodes.get(n.id);
          if (!at) return null;
          const self = n.id === productId;
          return (
            <a
              key={n.id}
              href={`#${productPath(n.id)}`}
              className={`lineage-node${self ? ' lineage-self' : ''} ${n.openIncidents > 0 ? 'health-bad' : 'health-good'}`}
              aria-current={self ? 'page' : undefined}
              data-product-id={n.id}
              data-depth={n.depth}
            >
              {/* React types `a` as HTML's; inside the svg it is SVG's, placed by its group. */}
              <g transform={`translate(${at.x - NODE_WIDTH / 2},${at.y - NODE_HEIGHT / 2})`}>
                <rect width={NODE_WIDTH} height={NODE_HEIGHT} rx="7" />
                <circle cx="14" cy={NODE_HEIGHT / 2} r="5" className="lineage-health" />
                <text x="26" y="19" className="lineage-name">
                  {n.name}
                </text>
                {/* The link's name is its text: the product, then its domain, version and health. */}
                <text x="26" y="35" className="lineage-meta">
                  {`${n.domain} · ${n.version} · ${health(n)}`}
                </text>
              </g>
            </a>
          );
        })}
      </svg>
      <figcaption className="muted">
        Upstream on the left, downstream on the right, up to {LINEAGE_DEPTH} steps each way
        {view.truncated ? `; more lies beyond (${plural(byId.size, 'product')} shown)` : ''}. A red dot is an open
        incident.
      </figcaption>
    </figure>
  );
}
