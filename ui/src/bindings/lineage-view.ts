/* eslint-disable */
/**
 * Generated, do not edit; run `npm --prefix ui run gen:types`.
 * Source: schemas/lineage-view.schema.json
 */

/**
 * The products upstream and downstream of one product, up to a depth, from the offline cache.
 */
export interface LineageView {
  nodes: LineageNode[];
  edges: LineageEdge[];
  /**
   * Whether the walk stopped at the depth or the node limit with more beyond.
   */
  truncated: boolean;
}
/**
 * A product in a lineage graph read from the offline cache.
 *
 * This interface was referenced by `LineageView`'s JSON-Schema
 * via the `definition` "LineageNode".
 */
export interface LineageNode {
  id: string;
  name: string;
  domain: string;
  status: string;
  version: string;
  /**
   * Open incidents of that product, for its health.
   */
  openIncidents: number;
  /**
   * Steps from the product the graph is about: negative upstream, positive downstream, 0 itself.
   */
  depth: number;
}
/**
 * Data flowing from one product's output port to another's input port, through a contract.
 *
 * This interface was referenced by `LineageView`'s JSON-Schema
 * via the `definition` "LineageEdge".
 */
export interface LineageEdge {
  from: string;
  to: string;
  contractId: string;
}
