// `npm run bench:lineage`: dagre's layout of a 200-product lineage graph (the budget:
// < 300 ms), built like a mesh: sources, then layers each reading two or three products before them.
import { bench, describe } from 'vitest';
import type { LineageView } from '../../bindings';
import { layoutLineage } from './lineageLayout';

/** A deterministic mesh of `n` products in layers of `width`, each reading 1 to 3 of the layer before. */
export function mesh(n: number, width: number): LineageView {
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const nodes: LineageView['nodes'] = [];
  const edges: LineageView['edges'] = [];
  for (let i = 0; i < n; i++) {
    const layer = Math.floor(i / width);
    nodes.push({
      id: `p${i}`,
      name: `Product ${i}`,
      domain: `domain-${i % 7}`,
      status: 'active',
      version: '1.0.0',
      openIncidents: i % 11 === 0 ? 1 : 0,
      depth: layer,
    });
    if (layer > 0) {
      const reads = 1 + Math.floor(random() * 3);
      for (let r = 0; r < reads; r++) {
        const from = (layer - 1) * width + Math.floor(random() * width);
        edges.push({ from: `p${from}`, to: `p${i}`, contractId: `c${from}` });
      }
    }
  }
  return { nodes, edges, truncated: false };
}

describe('lineage layout', () => {
  const big = mesh(200, 25);
  const small = mesh(20, 5);
  bench('200 products, 8 layers', () => {
    layoutLineage(big);
  });
  bench('20 products, 4 layers', () => {
    layoutLineage(small);
  });
});
