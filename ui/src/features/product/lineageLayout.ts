import dagre from '@dagrejs/dagre';
import type { EdgeLabel, GraphLabel, NodeLabel } from '@dagrejs/dagre';
import type { LineageView } from '../../bindings';

export const NODE_WIDTH = 250;
export const NODE_HEIGHT = 46;

export interface PlacedNode {
  id: string;
  /** The node's centre. */
  x: number;
  y: number;
}

export interface PlacedEdge {
  from: string;
  to: string;
  contractId: string;
  points: { x: number; y: number }[];
}

export interface LineageLayout {
  width: number;
  height: number;
  nodes: Map<string, PlacedNode>;
  edges: PlacedEdge[];
}

/**
 * Lays the graph out left to right, upstream first, with dagre (layered, edges routed between the
 * layers). Pure: the same view gives the same layout.
 */
export function layoutLineage(view: LineageView): LineageLayout {
  const g = new dagre.graphlib.Graph<GraphLabel, NodeLabel, EdgeLabel>({ multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 70, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of view.nodes) g.setNode(node.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const edge of view.edges) {
    if (g.hasNode(edge.from) && g.hasNode(edge.to)) g.setEdge(edge.from, edge.to, {}, edge.contractId);
  }
  dagre.layout(g);
  const nodes = new Map<string, PlacedNode>();
  for (const id of g.nodes()) {
    const n = g.node(id);
    nodes.set(id, { id, x: n.x ?? 0, y: n.y ?? 0 });
  }
  const edges: PlacedEdge[] = [];
  for (const e of g.edges()) {
    edges.push({ from: e.v, to: e.w, contractId: e.name ?? '', points: g.edge(e).points ?? [] });
  }
  const graph = g.graph();
  return { width: graph.width ?? 0, height: graph.height ?? 0, nodes, edges };
}
